//! `till verify`: proves the ledger is what the till wrote, and that every report it printed
//! still adds up.
//!
//! One pass over the journal recomputes the hash chain and, entry by entry, what each record must
//! look like now: each sale's last snapshot, each refund's document and payment state, each
//! withdrawal, each journaled setting, and which Z sealed which document. At every Z's seal it
//! re-adds the documents that Z sealed with [`report::totals`] and compares them with the figures
//! the Z printed. Then the tables are read once and compared with that; the first record that
//! differs is named. Memory holds only digests and the documents not yet sealed, never the
//! journal.
//!
//! What it cannot see alone: a ledger rewritten from the start and hashed again is a valid chain.
//! Against that the chain is anchored outside the computer: every Z report and export prints the
//! chain's head, and `till verify --head HEX` checks that a printed head is still in the chain.
//! (A keyed chain was the other choice: its key would sit on the same computer, readable by
//! whoever can rewrite the ledger, and lost with the keychain.)
//!
//! Here the pass over the journal; what each entry means in `walk`, the tables compared with
//! the walk in `tables`, the receipt and refund series in `numbering`.

mod numbering;
mod replay;
mod tables;
mod walk;

pub use replay::{Documents, Replay, SealedZ};
use walk::{Walk, ZSource};

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::ledger::{Ledger, LedgerError, GENESIS};

/// What [`Ledger::verify`] checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Journal entries checked.
    pub entries: u64,
    /// Sales checked against their last entry.
    pub sales: u64,
    /// Refunds checked.
    pub refunds: u64,
    /// Withdrawals checked.
    pub withdrawals: u64,
    /// Z reports checked (each re-added).
    pub z_reports: u64,
    /// The chain's head.
    pub head: String,
}

type Book = (String, bool);

fn tampered<T>(why: impl Into<String>) -> Result<T, LedgerError> {
    Err(LedgerError::Tampered(why.into()))
}

fn json(text: &str, what: &str) -> Result<Value, LedgerError> {
    serde_json::from_str(text).or_else(|_| tampered(format!("{what} cannot be read")))
}

impl Ledger {
    /// Recomputes the whole chain and checks every record and every sealed Z against it. The
    /// error names the first record that does not match.
    pub fn verify(&self) -> Result<VerifyReport, LedgerError> {
        let zrows: BTreeMap<i64, crate::ledger::ZReport> = self
            .z_reports()?
            .into_iter()
            .map(|z| (z.event_id, z))
            .collect();
        let mut w = Walk {
            head: GENESIS.to_owned(),
            ..Walk::default()
        };
        self.each_entry(|e| w.entry(e, ZSource::Rows(&zrows)).map(|_| ()))?;
        if let Some((event, z)) = zrows.iter().find(|(ev, _)| !w.z_seen.contains(ev)) {
            return tampered(format!(
                "{} of terminal {} was sealed by no journal entry ({event})",
                z.label(),
                z.terminal
            ));
        }

        let sales = self.check_sales(&w)?;
        let refunds = self.check_refunds(&w)?;
        let withdrawals = self.check_withdrawals(&w)?;
        self.check_people_and_drawers(&w)?;
        self.check_settings(&w)?;
        self.check_legacy_numbers(&w)?;
        Ok(VerifyReport {
            entries: w.entries,
            sales,
            refunds,
            withdrawals,
            z_reports: w.z_count,
            head: w.head,
        })
    }
}
