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

use std::{
    borrow::Cow,
    collections::{BTreeMap, BTreeSet, HashMap},
};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    calendar,
    ledger::{
        label, refunds, time_text, JournalEntry, Ledger, LedgerError, Refund, RefundState, GENESIS,
        JOURNALED_SETTINGS,
    },
    report::{self, RefundFigures, Report, SaleFigures, Totals},
    sale::SaleState,
};

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

/// The fields of a sale's snapshot that reports and sealing need.
#[derive(Deserialize)]
struct Snap<'a> {
    #[serde(borrow)]
    terminal: Cow<'a, str>,
    receipt_no: i64,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    amount_minor: i64,
    #[serde(borrow)]
    currency: Cow<'a, str>,
    training: bool,
    #[serde(borrow)]
    state: Cow<'a, str>,
    underpaid: bool,
    amount_msat: Option<u64>,
    #[serde(borrow)]
    paid_at: Option<Cow<'a, str>>,
}

/// A sale not yet sealed, or sealed unpaid and still able to be paid late.
#[derive(Debug, Clone)]
struct Open {
    book: Book,
    receipt_no: i64,
    created_at: String,
    currency: String,
    amount_minor: i64,
    msat: u64,
    underpaid: bool,
    state: SaleState,
    paid_at: Option<String>,
    /// Sealed unpaid by this Z (row id, number): only its late payment is left to seal.
    sealed_unpaid: Option<(i64, i64)>,
}

impl Open {
    fn figures(&self) -> SaleFigures<'_> {
        SaleFigures {
            receipt_no: self.receipt_no,
            state: self.state,
            currency: &self.currency,
            amount_minor: self.amount_minor,
            msat: self.msat,
            underpaid: self.underpaid,
        }
    }
}

/// Which Z sealed a sale, as recomputed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Sealed {
    z_id: Option<i64>,
    z_state: Option<String>,
    late_z_id: Option<i64>,
}

/// A refund as its journal says it must be.
#[derive(Debug, Default)]
struct RefundSeen {
    document: String,
    state: Option<String>,
    z_id: Option<i64>,
    open: Option<(String, String, i64)>, // created_at, currency, amount_minor while unsealed
}

/// What one Z sealed: sales (with their state then), late payments (with the Z that sealed the
/// sale unpaid), refunds (currency and amount).
struct Sealing {
    sales: Vec<Open>,
    late: Vec<(Open, i64)>,
    refunds: Vec<(String, i64)>,
}

#[derive(Default)]
struct Walk {
    entries: u64,
    head: String,
    digests: HashMap<i64, Option<[u8; 32]>>,
    open: HashMap<i64, Open>,
    sealed: HashMap<i64, Sealed>,
    refunds: BTreeMap<(String, bool, i64), RefundSeen>,
    withdrawals: BTreeMap<i64, Value>,
    settings: BTreeMap<String, String>,
    legacy_receipts: BTreeMap<String, i64>,
    legacy_refunds: BTreeMap<String, i64>,
    z_seen: BTreeSet<i64>,
    z_numbers: BTreeMap<Book, i64>,
    z_count: u64,
}

fn tampered<T>(why: impl Into<String>) -> Result<T, LedgerError> {
    Err(LedgerError::Tampered(why.into()))
}

fn json(text: &str, what: &str) -> Result<Value, LedgerError> {
    serde_json::from_str(text).or_else(|_| tampered(format!("{what} cannot be read")))
}

impl Walk {
    fn sale_entry(&mut self, e: &JournalEntry, id: i64) -> Result<(), LedgerError> {
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
                    sealed_unpaid: None,
                },
            );
        }
        Ok(())
    }

    fn refund_entry(&mut self, e: &JournalEntry) -> Result<(), LedgerError> {
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
                    open: Some((
                        v["created_at"].as_str().unwrap_or_default().to_owned(),
                        v["currency"].as_str().unwrap_or_default().to_owned(),
                        v["amount_minor"].as_i64().unwrap_or(0),
                    )),
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
    fn seal(
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
            if let Some((created, currency, amount)) = &r.open {
                if take_refund(created) {
                    refunds.push((currency.clone(), *amount));
                    r.z_id = Some(z.0);
                    r.open = None;
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

    fn z_entry(
        &mut self,
        e: &JournalEntry,
        zrows: &BTreeMap<i64, crate::ledger::ZReport>,
    ) -> Result<(), LedgerError> {
        let Some(z) = zrows.get(&e.id) else {
            return tampered(format!(
                "journal entry {} seals a Z report that is no longer in the ledger",
                e.id
            ));
        };
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
            self.seal(
                &book,
                zk,
                |o| inside(&o.created_at),
                |_| false,
                |t| inside(t),
            );
            return Ok(());
        }
        let cutoff = detail["cutoff"].as_str().unwrap_or_default().to_owned();
        let Sealing {
            sales,
            late,
            refunds,
        } = self.seal(
            &book,
            zk,
            |o| o.created_at.as_str() <= cutoff.as_str(),
            |o| o.paid_at.as_deref().is_some_and(|p| p <= cutoff.as_str()),
            |t| t <= cutoff.as_str(),
        );
        let sale_figures: Vec<SaleFigures<'_>> = sales.iter().map(Open::figures).collect();
        let late_figures: Vec<(SaleFigures<'_>, i64)> =
            late.iter().map(|(o, z)| (o.figures(), *z)).collect();
        let refund_figures: Vec<RefundFigures<'_>> = refunds
            .iter()
            .map(|(currency, amount)| RefundFigures {
                currency,
                amount_minor: *amount,
            })
            .collect();
        let expected: Totals = report::totals(&sale_figures, &late_figures, &refund_figures);
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
        Ok(())
    }
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
        let mut expected_id = 1;
        self.each_entry(|e| {
            if e.id != expected_id {
                return tampered(format!(
                    "journal entry {expected_id} is missing (found {} next)",
                    e.id
                ));
            }
            if e.prev_hash != w.head {
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
                w.sale_entry(&e, id)?;
            }
            match e.kind.as_str() {
                "refund" | "refund_state" => w.refund_entry(&e)?,
                "withdrawal" => {
                    let v = json(&e.detail, &format!("journal entry {}", e.id))?;
                    let id = v.get("id").and_then(Value::as_i64).unwrap_or(-1);
                    w.withdrawals.insert(id, v);
                }
                "setting" => {
                    let v = json(&e.detail, &format!("journal entry {}", e.id))?;
                    if let (Some(k), Some(val)) = (v["key"].as_str(), v["value"].as_str()) {
                        w.settings.insert(k.to_owned(), val.to_owned());
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
                    w.legacy_receipts = read("receipts");
                    w.legacy_refunds = read("refunds");
                }
                "day_closed" | "z_closed" => w.z_entry(&e, &zrows)?,
                _ => {}
            }
            w.head = e.hash;
            expected_id += 1;
            w.entries += 1;
            Ok(())
        })?;
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

    fn check_sales(&self, w: &Walk) -> Result<u64, LedgerError> {
        let mut count = 0u64;
        let mut numbering = Numbering::new(&w.legacy_receipts, "receipt", "");
        self.each_sale(|sale, seal| {
            let id = seal.id;
            let sale = match sale {
                Ok(s) => s,
                Err(e) => return tampered(format!("sale id {id} cannot be read: {e}")),
            };
            count += 1;
            numbering.next(&sale.terminal, sale.training, sale.receipt_no)?;
            let now: [u8; 32] = Sha256::digest(
                serde_json::to_string(&sale)
                    .map_err(|e| LedgerError::Corrupt(e.to_string()))?
                    .as_bytes(),
            )
            .into();
            match w.digests.get(&id) {
                Some(Some(snap)) if *snap == now => {}
                Some(_) => {
                    return tampered(format!(
                        "sale with receipt {} differs from its journal",
                        sale.label()
                    ))
                }
                None => {
                    return tampered(format!(
                        "sale with receipt {} has no journal entry",
                        sale.label()
                    ))
                }
            }
            let expected = w.sealed.get(&id).cloned().unwrap_or_default();
            let stored = Sealed {
                z_id: seal.z_id,
                z_state: seal.z_state,
                late_z_id: seal.late_z_id,
            };
            if stored != expected {
                return tampered(format!(
                    "receipt {} claims another Z report than the one that sealed it",
                    sale.label()
                ));
            }
            Ok(())
        })?;
        numbering.finish()?;
        if count as usize != w.digests.len() {
            return tampered("the journal names a sale that is no longer in the ledger");
        }
        Ok(count)
    }

    fn check_refunds(&self, w: &Walk) -> Result<u64, LedgerError> {
        let mut count = 0u64;
        let mut numbering = Numbering::new(&w.legacy_refunds, "refund", "R");
        self.each_refund(|r: Refund, z_id| {
            count += 1;
            numbering.next(&r.terminal, r.training, r.refund_no)?;
            let name = format!("refund {} of terminal {}", r.label, r.terminal);
            let Some(seen) = w
                .refunds
                .get(&(r.terminal.clone(), r.training, r.refund_no))
            else {
                return tampered(format!("{name} has no journal entry"));
            };
            let document = serde_json::to_string(&refunds::detail(&r))
                .map_err(|e| LedgerError::Corrupt(e.to_string()))?;
            if seen.document != document {
                return tampered(format!("{name} differs from its journal"));
            }
            let state_ok = match &seen.state {
                Some(journaled) => {
                    serde_json::to_string(&refunds::state_detail(&r))
                        .ok()
                        .as_deref()
                        == Some(journaled.as_str())
                }
                None => {
                    r.state == refunds::initial_state(&r.method, r.payment_hash.is_some())
                        && r.answer.is_none()
                        && r.updated_at == r.created_at
                }
            };
            if !state_ok || (r.state == RefundState::Legacy && r.payment_hash.is_some()) {
                return tampered(format!(
                    "the payment state of {name} differs from its journal"
                ));
            }
            if z_id != seen.z_id {
                return tampered(format!(
                    "{name} claims another Z report than the one that sealed it"
                ));
            }
            Ok(())
        })?;
        numbering.finish()?;
        if count as usize != w.refunds.len() {
            return tampered("the journal names a refund that is no longer in the ledger");
        }
        Ok(count)
    }

    fn check_withdrawals(&self, w: &Walk) -> Result<u64, LedgerError> {
        let withdrawals = self.withdrawals()?;
        if withdrawals.len() != w.withdrawals.len() {
            return tampered("the withdrawals do not match the journal");
        }
        for wd in &withdrawals {
            let row = serde_json::to_value(wd).map_err(|e| LedgerError::Corrupt(e.to_string()))?;
            if w.withdrawals.get(&wd.id) != Some(&row) {
                return tampered(format!(
                    "the withdrawal of invoice {}... differs from its journal",
                    &wd.payment_hash[..wd.payment_hash.len().min(12)]
                ));
            }
        }
        Ok(withdrawals.len() as u64)
    }

    fn check_settings(&self, w: &Walk) -> Result<(), LedgerError> {
        for key in JOURNALED_SETTINGS {
            if self.setting(key)? != w.settings.get(key).cloned() {
                return tampered(format!(
                    "the setting {key} was changed outside the till (it differs from its journal)"
                ));
            }
        }
        Ok(())
    }

    fn check_legacy_numbers(&self, w: &Walk) -> Result<(), LedgerError> {
        for (series, journaled) in [
            ("receipt", &w.legacy_receipts),
            ("refund", &w.legacy_refunds),
        ] {
            if &self.legacy_numbers(series)? != journaled {
                return tampered(format!(
                    "where the old {series} numbers end differs from the journal"
                ));
            }
        }
        Ok(())
    }
}

/// Checks numbers, read in (terminal, number, book) order, are gap-free per terminal and book;
/// up to where an older ledger's shared series ended they are one series across both books.
struct Numbering<'a> {
    legacy: &'a BTreeMap<String, i64>,
    what: &'static str,
    prefix: &'static str,
    terminal: Option<String>,
    shared_next: i64,
    next: [i64; 2],
}

impl<'a> Numbering<'a> {
    fn new(legacy: &'a BTreeMap<String, i64>, what: &'static str, prefix: &'static str) -> Self {
        Self {
            legacy,
            what,
            prefix,
            terminal: None,
            shared_next: 1,
            next: [1, 1],
        }
    }

    fn legacy_of(&self, terminal: &str) -> i64 {
        self.legacy.get(terminal).copied().unwrap_or(0)
    }

    fn finish_terminal(&self) -> Result<(), LedgerError> {
        if let Some(t) = &self.terminal {
            let last = self.legacy_of(t);
            if self.shared_next != last + 1 {
                return tampered(format!(
                    "{} numbers of terminal {t} stop at {} before {last}",
                    self.what,
                    self.shared_next - 1
                ));
            }
        }
        Ok(())
    }

    fn next(&mut self, terminal: &str, training: bool, n: i64) -> Result<(), LedgerError> {
        if self.terminal.as_deref() != Some(terminal) {
            self.finish_terminal()?;
            let last = self.legacy_of(terminal);
            self.terminal = Some(terminal.to_owned());
            self.shared_next = 1;
            self.next = [last + 1, last + 1];
        }
        let last = self.legacy_of(terminal);
        let book = usize::from(training);
        let expected = if n <= last && self.shared_next <= last {
            &mut self.shared_next
        } else {
            &mut self.next[book]
        };
        if n != *expected {
            return tampered(format!(
                "{} numbers of terminal {terminal} jump from {} to {}",
                self.what,
                label(self.prefix, training, *expected - 1),
                label(self.prefix, training, n)
            ));
        }
        *expected += 1;
        Ok(())
    }

    fn finish(&self) -> Result<(), LedgerError> {
        self.finish_terminal()
    }
}
