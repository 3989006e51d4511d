//! A till's journal replayed on its own, without the tables beside it: how the shop's server
//! (crate `till-shop`) reads the books of each till it holds a copy of.
//!
//! The same walk as [`Ledger::verify`](crate::ledger::Ledger::verify), entry by entry: the chain
//! recomputed, each sale's snapshots followed, every Z re-added and compared with the report it
//! printed. What a Z sealed is kept ([`SealedZ`]), so a shop's day close adds up exactly the
//! documents its tills' Zs sealed, with [`report::totals`](crate::report::totals), the one
//! function every report's figures come from.

use crate::{
    ledger::{JournalEntry, LedgerError, ZReport, GENESIS},
    report::{Report, Totals},
};

use super::walk::{Sealing, Walk, ZSource};

/// The documents of a period: sales, late payments of sales sealed unpaid earlier, refunds.
#[derive(Debug, Clone, Default)]
pub struct Documents(Sealing);

impl Documents {
    /// The figures of several periods' documents together (one till's, or a shop's): added up
    /// once, so they equal the sum of each period's report.
    pub fn totals(parts: &[&Documents]) -> Totals {
        let mut all = Sealing::default();
        for p in parts {
            all.sales.extend(p.0.sales.iter().cloned());
            all.late.extend(p.0.late.iter().cloned());
            all.refunds.extend(p.0.refunds.iter().cloned());
        }
        all.totals()
    }

    /// How many documents.
    pub fn len(&self) -> usize {
        self.0.sales.len() + self.0.late.len() + self.0.refunds.len()
    }

    /// No document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Those that happened before `end` (UTC text as the journal has it): sales created, late
    /// payments arrived and refunds made before it.
    pub fn up_to(&self, end: &str) -> Documents {
        Documents(Sealing {
            sales: self
                .0
                .sales
                .iter()
                .filter(|o| o.created_at.as_str() < end)
                .cloned()
                .collect(),
            late: self
                .0
                .late
                .iter()
                .filter(|(o, _)| o.paid_at.as_deref().is_some_and(|p| p < end))
                .cloned()
                .collect(),
            refunds: self
                .0
                .refunds
                .iter()
                .filter(|r| r.created_at.as_str() < end)
                .cloned()
                .collect(),
        })
    }

    /// When the oldest of them happened (UTC text as the journal has it): a sale's creation, a
    /// late payment's arrival, a refund's creation.
    pub fn earliest(&self) -> Option<&str> {
        let sales = self.0.sales.iter().map(|o| o.created_at.as_str());
        let late = self.0.late.iter().filter_map(|(o, _)| o.paid_at.as_deref());
        let refunds = self.0.refunds.iter().map(|r| r.created_at.as_str());
        sales.chain(late).chain(refunds).min()
    }
}

/// A Z a till sealed, as its journal has it, with the documents it sealed.
#[derive(Debug, Clone)]
pub struct SealedZ {
    /// Its record, rebuilt from its journal entry.
    pub z: ZReport,
    /// The report it printed.
    pub report: Report,
    /// What it sealed (re-added and found equal to the report's figures).
    pub documents: Documents,
}

/// A journal replayed entry by entry, without its ledger.
pub struct Replay {
    walk: Walk,
    zs: Vec<SealedZ>,
}

impl std::fmt::Debug for Replay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay")
            .field("entries", &self.walk.entries)
            .field("head", &self.walk.head)
            .field("zs", &self.zs.len())
            .finish()
    }
}

impl Default for Replay {
    fn default() -> Self {
        Self::new()
    }
}

impl Replay {
    /// Before the first entry.
    pub fn new() -> Self {
        Self {
            walk: Walk {
                head: GENESIS.to_owned(),
                ..Walk::default()
            },
            zs: Vec::new(),
        }
    }

    /// Takes the next entry. An entry that does not follow the chain, does not give its hash,
    /// or a Z whose figures do not add up is [`LedgerError::Tampered`], naming it.
    pub fn push(&mut self, e: JournalEntry) -> Result<(), LedgerError> {
        if let Some((z, sealing)) = self.walk.entry(e, ZSource::Journal)? {
            let report = crate::report::sealed_report(&z).map_err(|e| match e {
                crate::report::ReportError::Ledger(l) => l,
                other => LedgerError::Corrupt(other.to_string()),
            })?;
            self.zs.push(SealedZ {
                z,
                report,
                documents: Documents(sealing),
            });
        }
        Ok(())
    }

    /// Entries taken.
    pub fn entries(&self) -> u64 {
        self.walk.entries
    }

    /// The last entry's hash (the genesis before the first).
    pub fn head(&self) -> &str {
        &self.walk.head
    }

    /// Every Z sealed so far, oldest first.
    pub fn zs(&self) -> &[SealedZ] {
        &self.zs
    }

    /// The documents of the live (`training` false) or training book that no Z has sealed yet:
    /// what the till's next Z would seal now, as far as this journal goes.
    pub fn unsealed(&self, training: bool) -> Documents {
        Documents(self.walk.unsealed(training))
    }
}
