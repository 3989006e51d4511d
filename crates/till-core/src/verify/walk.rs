//! What each journal entry means for the records it touches, and the re-adding of every Z.

use std::{
    borrow::Cow,
    collections::{BTreeMap, BTreeSet, HashMap},
};

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{json, tampered, Book};
use crate::{
    calendar,
    ledger::{label, time_text, JournalEntry, LedgerError, RefundMethod, Tender},
    money::bill::{Bill, RefundBill},
    report::{self, RefundFigures, Report, SaleFigures, Totals},
    sale::SaleState,
};

/// The fields of a sale's snapshot that reports and sealing need.
#[derive(Deserialize)]
pub(super) struct Snap<'a> {
    #[serde(borrow)]
    pub(super) terminal: Cow<'a, str>,
    pub(super) receipt_no: i64,
    #[serde(borrow)]
    pub(super) created_at: Cow<'a, str>,
    pub(super) amount_minor: i64,
    #[serde(borrow)]
    pub(super) currency: Cow<'a, str>,
    pub(super) training: bool,
    #[serde(borrow)]
    pub(super) state: Cow<'a, str>,
    pub(super) underpaid: bool,
    pub(super) amount_msat: Option<u64>,
    #[serde(borrow)]
    pub(super) paid_at: Option<Cow<'a, str>>,
    /// Who rang it up (read when first seen).
    #[serde(borrow, default)]
    pub(super) cashier: Cow<'a, str>,
    /// Paid in cash (set when first seen: a cash sale is written paid).
    #[serde(default)]
    pub(super) cash: Option<Value>,
    /// Read only when the sale is first seen (its bill never changes).
    #[serde(borrow, default)]
    pub(super) bill: Option<&'a serde_json::value::RawValue>,
}

/// A sale not yet sealed, or sealed unpaid and still able to be paid late.
#[derive(Debug, Clone)]
pub(super) struct Open {
    pub(super) book: Book,
    pub(super) receipt_no: i64,
    pub(super) created_at: String,
    pub(super) currency: String,
    pub(super) amount_minor: i64,
    pub(super) msat: u64,
    pub(super) underpaid: bool,
    pub(super) state: SaleState,
    pub(super) paid_at: Option<String>,
    /// What it was priced from.
    pub(super) bill: Option<Bill>,
    /// Who rang it up.
    pub(super) cashier: String,
    /// How it was paid.
    pub(super) tender: Tender,
    /// Sealed unpaid by this Z (row id, number): only its late payment is left to seal.
    pub(super) sealed_unpaid: Option<(i64, i64)>,
}

impl Open {
    pub(super) fn figures(&self) -> SaleFigures<'_> {
        SaleFigures {
            receipt_no: self.receipt_no,
            state: self.state,
            currency: &self.currency,
            amount_minor: self.amount_minor,
            msat: self.msat,
            underpaid: self.underpaid,
            bill: self.bill.as_ref(),
            tender: self.tender,
            cashier: &self.cashier,
        }
    }
}

/// Which Z sealed a sale, as recomputed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Sealed {
    pub(super) z_id: Option<i64>,
    pub(super) z_state: Option<String>,
    pub(super) late_z_id: Option<i64>,
}

/// A refund as its journal says it must be.
#[derive(Debug, Default)]
pub(super) struct RefundSeen {
    pub(super) document: String,
    pub(super) state: Option<String>,
    pub(super) z_id: Option<i64>,
    /// What a Z needs of it, while unsealed.
    pub(super) open: Option<OpenRefund>,
}

/// A refund not yet sealed, as its journal entry has it.
#[derive(Debug, Clone)]
pub(super) struct OpenRefund {
    pub(super) created_at: String,
    pub(super) currency: String,
    pub(super) amount_minor: i64,
    pub(super) lines: Option<RefundBill>,
    pub(super) method: RefundMethod,
    pub(super) made_by: String,
}

/// What one Z sealed: sales (with their state then), late payments (with the Z that sealed the
/// sale unpaid), refunds (currency and amount).
#[derive(Debug, Clone, Default)]
pub(super) struct Sealing {
    pub(super) sales: Vec<Open>,
    pub(super) late: Vec<(Open, i64)>,
    pub(super) refunds: Vec<OpenRefund>,
}

impl Sealing {
    /// The documents' figures, added up by the one function reports use.
    pub(super) fn totals(&self) -> Totals {
        let sales: Vec<SaleFigures<'_>> = self.sales.iter().map(Open::figures).collect();
        let late: Vec<(SaleFigures<'_>, i64)> =
            self.late.iter().map(|(o, z)| (o.figures(), *z)).collect();
        let refunds: Vec<RefundFigures<'_>> = self
            .refunds
            .iter()
            .map(|r| RefundFigures {
                currency: &r.currency,
                amount_minor: r.amount_minor,
                lines: r.lines.as_ref(),
                method: r.method,
                made_by: &r.made_by,
            })
            .collect();
        report::totals(&sales, &late, &refunds)
    }
}

#[derive(Default)]
pub(super) struct Walk {
    pub(super) entries: u64,
    pub(super) head: String,
    pub(super) digests: HashMap<i64, Option<[u8; 32]>>,
    pub(super) open: HashMap<i64, Open>,
    pub(super) sealed: HashMap<i64, Sealed>,
    pub(super) refunds: BTreeMap<(String, bool, i64), RefundSeen>,
    pub(super) withdrawals: BTreeMap<i64, Value>,
    /// The last journaled row of each staff member, shift and cash move.
    pub(super) staff: BTreeMap<i64, Value>,
    pub(super) shifts: BTreeMap<i64, Value>,
    pub(super) cash_moves: BTreeMap<i64, Value>,
    pub(super) settings: BTreeMap<String, String>,
    pub(super) legacy_receipts: BTreeMap<String, i64>,
    pub(super) legacy_refunds: BTreeMap<String, i64>,
    pub(super) z_seen: BTreeSet<i64>,
    pub(super) z_numbers: BTreeMap<Book, i64>,
    pub(super) z_count: u64,
}

impl Walk {
    pub(super) fn sale_entry(&mut self, e: &JournalEntry, id: i64) -> Result<(), LedgerError> {
        let digest = e
            .snapshot
            .as_deref()
            .map(|s| -> [u8; 32] { Sha256::digest(s.as_bytes()).into() });
        self.digests.insert(id, digest);
        let Some(text) = e.snapshot.as_deref() else {
            return Ok(());
        };
        let snap: Snap<'_> = serde_json::from_str(text).or_else(|_| {
            tampered(format!(
                "journal entry {} holds a sale it cannot read",
                e.id
            ))
        })?;
        let Some(state) = SaleState::parse(&snap.state) else {
            return tampered(format!(
                "journal entry {} holds a sale in no known state",
                e.id
            ));
        };
        if let Some(open) = self.open.get_mut(&id) {
            open.state = state;
            open.underpaid = snap.underpaid;
            open.msat = snap.amount_msat.unwrap_or(0);
            open.paid_at = snap.paid_at.map(Cow::into_owned);
        } else if !self.sealed.contains_key(&id) {
            let bill = match snap.bill {
                Some(raw) => Some(serde_json::from_str::<Bill>(raw.get()).or_else(|_| {
                    tampered(format!(
                        "journal entry {} holds a bill it cannot read",
                        e.id
                    ))
                })?),
                None => None,
            };
            self.open.insert(
                id,
                Open {
                    book: (snap.terminal.into_owned(), snap.training),
                    receipt_no: snap.receipt_no,
                    created_at: snap.created_at.into_owned(),
                    currency: snap.currency.into_owned(),
                    amount_minor: snap.amount_minor,
                    msat: snap.amount_msat.unwrap_or(0),
                    underpaid: snap.underpaid,
                    state,
                    paid_at: snap.paid_at.map(Cow::into_owned),
                    bill,
                    cashier: snap.cashier.into_owned(),
                    tender: if snap.cash.is_some() {
                        Tender::Cash
                    } else {
                        Tender::Lightning
                    },
                    sealed_unpaid: None,
                },
            );
        }
        Ok(())
    }

    pub(super) fn refund_entry(&mut self, e: &JournalEntry) -> Result<(), LedgerError> {
        let v = json(&e.detail, &format!("journal entry {}", e.id))?;
        let key = (
            v["terminal"].as_str().unwrap_or_default().to_owned(),
            v["training"].as_bool().unwrap_or(false),
            v["refund_no"].as_i64().unwrap_or(-1),
        );
        match e.kind.as_str() {
            "refund" => {
                let seen = RefundSeen {
                    document: e.detail.clone(),
                    state: None,
                    z_id: None,
                    open: Some(OpenRefund {
                        created_at: v["created_at"].as_str().unwrap_or_default().to_owned(),
                        currency: v["currency"].as_str().unwrap_or_default().to_owned(),
                        amount_minor: v["amount_minor"].as_i64().unwrap_or(0),
                        lines: match v.get("lines") {
                            None => None,
                            Some(l) => Some(serde_json::from_value(l.clone()).or_else(|_| {
                                tampered(format!(
                                    "journal entry {} holds refund lines it cannot read",
                                    e.id
                                ))
                            })?),
                        },
                        method: if v["method"].as_str() == Some("lightning") {
                            RefundMethod::Lightning
                        } else {
                            RefundMethod::Cash
                        },
                        made_by: v["made_by"].as_str().unwrap_or_default().to_owned(),
                    }),
                };
                if self.refunds.insert(key.clone(), seen).is_some() {
                    return tampered(format!(
                        "refund {} of terminal {} is journaled twice",
                        label("R", key.1, key.2),
                        key.0
                    ));
                }
            }
            _ => match self.refunds.get_mut(&key) {
                Some(r) => r.state = Some(e.detail.clone()),
                None => {
                    return tampered(format!(
                        "journal entry {} changes a refund that was never recorded",
                        e.id
                    ))
                }
            },
        }
        Ok(())
    }

    /// Seals a book's open documents: `take_sale` and `take_refund` say which.
    pub(super) fn seal(
        &mut self,
        book: &Book,
        z: (i64, i64),
        take_sale: impl Fn(&Open) -> bool,
        take_late: impl Fn(&Open) -> bool,
        take_refund: impl Fn(&str) -> bool,
    ) -> Sealing {
        let mut sales = Vec::new();
        let mut late = Vec::new();
        let ids: Vec<i64> = self
            .open
            .iter()
            .filter(|(_, o)| &o.book == book)
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            let Some(o) = self.open.get(&id) else {
                continue;
            };
            match o.sealed_unpaid {
                None if take_sale(o) => {
                    let o = o.clone();
                    let entry = self.sealed.entry(id).or_default();
                    entry.z_id = Some(z.0);
                    entry.z_state = Some(o.state.as_str().to_owned());
                    if matches!(o.state, SaleState::TimedOut | SaleState::Cancelled) {
                        if let Some(open) = self.open.get_mut(&id) {
                            open.sealed_unpaid = Some(z);
                        }
                    } else {
                        self.open.remove(&id);
                    }
                    sales.push(o);
                }
                Some((_, from_z)) if o.state == SaleState::PaidLate && take_late(o) => {
                    let o = o.clone();
                    self.sealed.entry(id).or_default().late_z_id = Some(z.0);
                    self.open.remove(&id);
                    late.push((o, from_z));
                }
                _ => {}
            }
        }
        let mut refunds = Vec::new();
        for ((terminal, training, _), r) in self.refunds.iter_mut() {
            if (terminal, *training) != (&book.0, book.1) {
                continue;
            }
            if r.open.as_ref().is_some_and(|o| take_refund(&o.created_at)) {
                if let Some(open) = r.open.take() {
                    refunds.push(open);
                    r.z_id = Some(z.0);
                }
            }
        }
        sales.sort_by_key(|o| o.receipt_no);
        late.sort_by_key(|(o, _)| o.receipt_no);
        Sealing {
            sales,
            late,
            refunds,
        }
    }

    /// Re-adds the documents a Z entry seals and checks them against the report it printed;
    /// answers what it sealed.
    fn z_entry(
        &mut self,
        e: &JournalEntry,
        z: &crate::ledger::ZReport,
    ) -> Result<Sealing, LedgerError> {
        let name = format!("{} of terminal {}", z.label(), z.terminal);
        if z.chain_head != e.hash {
            return tampered(format!("{name} does not match the journal"));
        }
        let detail = json(&e.detail, &name)?;
        let stored = detail.get("report").cloned().unwrap_or(Value::Null);
        if serde_json::to_string(&stored).ok().as_deref() != Some(z.report.as_str()) {
            return tampered(format!("the report of {name} differs from its journal"));
        }
        let book: Book = (z.terminal.clone(), z.training);
        let expected_no = self.z_numbers.get(&book).copied().unwrap_or(0) + 1;
        if z.z_no != expected_no {
            return tampered(format!(
                "Z reports of terminal {} jump from {} to {}",
                z.terminal,
                expected_no - 1,
                z.z_no
            ));
        }
        self.z_numbers.insert(book.clone(), z.z_no);
        self.z_seen.insert(e.id);
        self.z_count += 1;
        let zk = (z.id, z.z_no);
        if e.kind == "day_closed" {
            // A day closed before Z reports were numbered sealed the day's documents that existed.
            let report: Value = json(&z.report, &name)?;
            let (Some(day), Some(tz)) = (
                report["day"]
                    .as_str()
                    .and_then(|d| calendar::parse_day(d).ok()),
                report["timezone"]
                    .as_str()
                    .and_then(|t| t.parse::<chrono_tz::Tz>().ok()),
            ) else {
                return tampered(format!("{name} names no day"));
            };
            let (from, to) = calendar::day_bounds(day, tz);
            let (from, to) = (time_text(from), time_text(to));
            let inside = |t: &str| t >= from.as_str() && t < to.as_str();
            return Ok(self.seal(
                &book,
                zk,
                |o| inside(&o.created_at),
                |_| false,
                |t| inside(t),
            ));
        }
        let cutoff = detail["cutoff"].as_str().unwrap_or_default().to_owned();
        let sealing = self.seal(
            &book,
            zk,
            |o| o.created_at.as_str() <= cutoff.as_str(),
            |o| o.paid_at.as_deref().is_some_and(|p| p <= cutoff.as_str()),
            |t| t <= cutoff.as_str(),
        );
        let mut expected: Totals = sealing.totals();
        // A Z sealed before tenders and people were counted has neither; the rest it has must
        // still add up (its report is in the chain, so neither can have been cut out since).
        if printed_lacks_people(&stored) {
            expected.tenders = None;
            expected.people = None;
        }
        let printed: Report = serde_json::from_value(stored)
            .or_else(|_| tampered(format!("the report of {name} cannot be read")))?;
        if printed.totals != expected {
            return tampered(format!(
                "{name} does not add up: the documents it sealed give other totals"
            ));
        }
        if printed.to.as_deref() != Some(cutoff.as_str()) || printed.z_no != Some(z.z_no) {
            return tampered(format!("the report of {name} names another period"));
        }
        Ok(sealing)
    }
}

/// Where a Z entry's record comes from: the ledger's `z_reports` rows (a till's own `verify`,
/// which checks the table against the journal), or the entry itself (the shop's copy of a till's
/// journal, which has no tables).
pub(super) enum ZSource<'a> {
    Rows(&'a BTreeMap<i64, crate::ledger::ZReport>),
    Journal,
}

impl Walk {
    /// Takes the journal's next entry: checks that it follows the chain, then what it means for
    /// the records it touches. A Z entry answers what it sealed, re-added.
    pub(super) fn entry(
        &mut self,
        e: JournalEntry,
        zs: ZSource<'_>,
    ) -> Result<Option<(crate::ledger::ZReport, Sealing)>, LedgerError> {
        let expected_id = i64::try_from(self.entries).unwrap_or(i64::MAX) + 1;
        if e.id != expected_id {
            return tampered(format!(
                "journal entry {expected_id} is missing (found {} next)",
                e.id
            ));
        }
        if e.prev_hash != self.head {
            return tampered(format!(
                "journal entry {} does not follow entry {}",
                e.id,
                e.id - 1
            ));
        }
        if e.recompute() != e.hash {
            return tampered(format!(
                "journal entry {} ({} of sale id {:?}) was changed",
                e.id, e.kind, e.sale_id
            ));
        }
        if let Some(id) = e.sale_id {
            self.sale_entry(&e, id)?;
        }
        let mut sealed = None;
        match e.kind.as_str() {
            "refund" | "refund_state" => self.refund_entry(&e)?,
            "withdrawal" => {
                let v = json(&e.detail, &format!("journal entry {}", e.id))?;
                let id = v.get("id").and_then(Value::as_i64).unwrap_or(-1);
                self.withdrawals.insert(id, v);
            }
            "staff" | "shift_opened" | "shift_closed" | "cash_move" => {
                let v = json(&e.detail, &format!("journal entry {}", e.id))?;
                let id = v.get("id").and_then(Value::as_i64).unwrap_or(-1);
                let table = match e.kind.as_str() {
                    "staff" => &mut self.staff,
                    "cash_move" => &mut self.cash_moves,
                    _ => &mut self.shifts,
                };
                if e.kind == "cash_move" && table.contains_key(&id) {
                    return tampered(format!("cash move {id} is journaled twice"));
                }
                table.insert(id, v);
            }
            "setting" => {
                let v = json(&e.detail, &format!("journal entry {}", e.id))?;
                if let (Some(k), Some(val)) = (v["key"].as_str(), v["value"].as_str()) {
                    self.settings.insert(k.to_owned(), val.to_owned());
                }
            }
            "books_split" => {
                let v = json(&e.detail, &format!("journal entry {}", e.id))?;
                let read = |series: &str| -> BTreeMap<String, i64> {
                    v[series]
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .filter_map(|(k, n)| n.as_i64().map(|n| (k.clone(), n)))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                self.legacy_receipts = read("receipts");
                self.legacy_refunds = read("refunds");
            }
            "day_closed" | "z_closed" => {
                let z = match zs {
                    ZSource::Rows(rows) => rows.get(&e.id).cloned().ok_or_else(|| {
                        LedgerError::Tampered(format!(
                            "journal entry {} seals a Z report that is no longer in the ledger",
                            e.id
                        ))
                    })?,
                    ZSource::Journal => self.z_of_entry(&e)?,
                };
                let sealing = self.z_entry(&e, &z)?;
                sealed = Some((z, sealing));
            }
            _ => {}
        }
        self.head = e.hash;
        self.entries += 1;
        Ok(sealed)
    }

    /// A Z's record rebuilt from its journal entry alone (what `z_reports` holds beside it).
    fn z_of_entry(&self, e: &JournalEntry) -> Result<crate::ledger::ZReport, LedgerError> {
        let detail = json(&e.detail, &format!("journal entry {}", e.id))?;
        let report = detail.get("report").cloned().unwrap_or(Value::Null);
        let terminal = detail["terminal"]
            .as_str()
            .or_else(|| report["terminal"].as_str())
            .unwrap_or_default()
            .to_owned();
        let training = detail["training"]
            .as_bool()
            .or_else(|| report["training"].as_bool())
            .unwrap_or(false);
        let book: Book = (terminal.clone(), training);
        let next = self.z_numbers.get(&book).copied().unwrap_or(0) + 1;
        Ok(crate::ledger::ZReport {
            id: e.id,
            terminal,
            training,
            z_no: detail["z_no"].as_i64().unwrap_or(next),
            closed_at: e.at.clone(),
            cutoff: detail["cutoff"].as_str().unwrap_or_default().to_owned(),
            legacy_day: (e.kind == "day_closed")
                .then(|| report["day"].as_str().unwrap_or_default().to_owned()),
            report: serde_json::to_string(&report)
                .map_err(|e| LedgerError::Corrupt(e.to_string()))?,
            event_id: e.id,
            chain_head: e.hash.clone(),
        })
    }

    /// The documents of one book no Z has sealed yet (late payments of sales sealed unpaid
    /// among them), as the next Z would seal them now; changes nothing.
    pub(super) fn unsealed(&self, training: bool) -> Sealing {
        let mut out = Sealing::default();
        for o in self.open.values().filter(|o| o.book.1 == training) {
            match o.sealed_unpaid {
                None => out.sales.push(o.clone()),
                Some((_, from_z)) if o.state == SaleState::PaidLate => {
                    out.late.push((o.clone(), from_z));
                }
                Some(_) => {}
            }
        }
        for ((_, t, _), r) in &self.refunds {
            if *t == training {
                if let Some(open) = &r.open {
                    out.refunds.push(open.clone());
                }
            }
        }
        out.sales.sort_by_key(|o| o.receipt_no);
        out.late.sort_by_key(|(o, _)| o.receipt_no);
        out
    }
}

/// Whether a stored report was sealed before tenders and people were counted.
fn printed_lacks_people(stored: &Value) -> bool {
    // The totals are flattened into the report.
    stored.get("tenders").is_none() && stored.get("people").is_none()
}
