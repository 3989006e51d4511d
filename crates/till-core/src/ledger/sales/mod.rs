//! Sales: written before the gateway is called, updated once per transition, never deleted.

mod read;

pub(in crate::ledger) use read::select;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::{
    canonical, cart, chain, label, parse_time, time_text, Ledger, LedgerError, StoredCart,
};
pub use crate::money::CashPaid;
use crate::{
    money::{bill::Bill, Currency, Fiat},
    sale::SaleState,
};

fn ser_time<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&time_text(*t))
}

fn ser_opt_time<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_some(&time_text(*t)),
        None => s.serialize_none(),
    }
}

/// A sale as the ledger holds it. Its JSON form (fields in this order) is the snapshot the journal
/// chains: a field added later is left out of the JSON while it is empty, so the sales written
/// before it still match their snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sale {
    /// Row id.
    pub id: i64,
    /// The terminal that made the sale.
    pub terminal: String,
    /// Gap-free per terminal and book (live or training), from 1.
    pub receipt_no: i64,
    /// When the sale was written (before the gateway was called).
    #[serde(serialize_with = "ser_time")]
    pub created_at: DateTime<Utc>,
    /// Fiat amount in minor units.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// The cashier's note.
    pub memo: String,
    /// Who rang it up.
    pub cashier: String,
    /// A demo (training) sale: its own book, kept out of real reports and exports.
    pub training: bool,
    /// Where it is in its life.
    pub state: SaleState,
    /// Paid, but accepted underpaid by the merchant (`RESOLVED`).
    pub underpaid: bool,
    /// Part of the amount has arrived (`PARTIAL`).
    pub partial: bool,
    /// The gateway's order id.
    pub order_id: Option<String>,
    /// The gateway's BTC amount, as it sent it.
    pub btc_amount: Option<String>,
    /// The invoice's amount.
    pub amount_msat: Option<u64>,
    /// Fiat per BTC implied by the quote.
    pub rate: Option<String>,
    /// The BOLT11 invoice.
    pub payment_request: Option<String>,
    /// The invoice's payment hash (hex).
    pub payment_hash: Option<String>,
    /// The gateway's hosted checkout page.
    pub pay_url: Option<String>,
    /// When the gateway created the order.
    #[serde(serialize_with = "ser_opt_time")]
    pub order_created_at: Option<DateTime<Utc>>,
    /// When the gateway will mark the order overdue (its lifetime after creation, never past the
    /// invoice's own expiry): the countdown's end.
    #[serde(serialize_with = "ser_opt_time")]
    pub order_expires_at: Option<DateTime<Utc>>,
    /// When the invoice stops being payable (a wallet can pay until then).
    #[serde(serialize_with = "ser_opt_time")]
    pub invoice_expires_at: Option<DateTime<Utc>>,
    /// When the till saw it paid.
    #[serde(serialize_with = "ser_opt_time")]
    pub paid_at: Option<DateTime<Utc>>,
    /// Why it failed, in plain words.
    pub error: Option<String>,
    /// The receipt number of the timed-out sale this one re-quotes.
    pub replaces: Option<i64>,
    /// Last change.
    #[serde(serialize_with = "ser_time")]
    pub updated_at: DateTime<Utc>,
    /// The sale's own mark, sent with its order so that an order whose answer was lost can be
    /// told apart from any other order of the same amount (see `crate::reconcile`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Why a manager must look at it (the gateway said something impossible, or a lost order
    /// cannot be told apart from another): shown, and settled by a manager.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attention: Option<String>,
    /// What was sold: the lines, discounts, tax per rate and tip the amount was priced from
    /// (none for a sale rung up before the catalog). Part of the snapshot, so `verify` catches
    /// an edited line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill: Option<Bill>,
    /// Paid in cash: what was tendered and the change given (none: Lightning).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cash: Option<CashPaid>,
    /// Who approved what needed a manager (a discount above the cashier's limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// The shift open at the till when it was rung up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shift_id: Option<i64>,
}

/// How a sale was paid (one tender per sale).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Tender {
    /// Bitcoin Lightning, through the gateway.
    Lightning,
    /// Cash, into the drawer.
    Cash,
}

impl Tender {
    /// As exports and `--json` have it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lightning => "lightning",
            Self::Cash => "cash",
        }
    }

    /// The catalog key of what a receipt says ("Paid in cash"), see [`crate::words`].
    pub fn paid_with(self) -> &'static str {
        match self {
            Self::Lightning => "print_paid_lightning",
            Self::Cash => "print_paid_cash",
        }
    }
}

impl Sale {
    /// The fiat amount with its currency.
    pub fn fiat(&self) -> Result<Fiat, LedgerError> {
        let currency =
            Currency::from_code(&self.currency).map_err(|e| LedgerError::Corrupt(e.to_string()))?;
        Ok(Fiat {
            minor: self.amount_minor,
            currency,
        })
    }

    /// How it was paid (or is to be paid).
    pub fn tender(&self) -> Tender {
        if self.cash.is_some() {
            Tender::Cash
        } else {
            Tender::Lightning
        }
    }

    /// The receipt number as people read it: `12`, or `T3` for a training sale.
    pub fn label(&self) -> String {
        label("", self.training, self.receipt_no)
    }
}

/// What is known of a sale before the gateway is asked.
#[derive(Debug, Clone)]
pub struct NewSale {
    /// The terminal.
    pub terminal: String,
    /// The amount.
    pub fiat: Fiat,
    /// The cashier's note (already cleaned of control characters).
    pub memo: String,
    /// Who rings it up.
    pub cashier: String,
    /// A demo sale (the training book).
    pub training: bool,
    /// The receipt number of the sale this one re-quotes.
    pub replaces: Option<i64>,
    /// What it was priced from (its total is `fiat`).
    pub bill: Option<Bill>,
    /// Paid in cash, with what was tendered: written paid at once, into the open shift's
    /// drawer (refused without one).
    pub cash: Option<CashPaid>,
    /// Who approved what needed a manager.
    pub approved_by: Option<String>,
}

impl NewSale {
    /// An amount keyed in by `cashier` at `terminal` and nothing more: no note, no cart, no
    /// cash, in the real books. The rest is set with struct update syntax where it matters
    /// (the tests' and benchmarks' sales are all made this way).
    pub fn keyed(terminal: &str, fiat: Fiat, cashier: &str) -> Self {
        NewSale {
            terminal: terminal.into(),
            fiat,
            memo: String::new(),
            cashier: cashier.into(),
            training: false,
            replaces: None,
            bill: None,
            cash: None,
            approved_by: None,
        }
    }
}

pub(super) const COLUMNS: &str = "id, terminal, receipt_no, created_at, amount_minor, currency, memo, cashier, training, \
     state, underpaid, partial, order_id, btc_amount, amount_msat, rate, payment_request, payment_hash, pay_url, \
     order_created_at, order_expires_at, invoice_expires_at, paid_at, error, replaces, updated_at, reference, attention, bill, \
     tendered_minor, change_minor, approved_by, shift_id";

fn opt_time(v: Option<String>) -> Result<Option<DateTime<Utc>>, LedgerError> {
    v.map(|s| parse_time(&s)).transpose()
}

pub(super) fn from_row(r: &Row<'_>) -> Result<Sale, LedgerError> {
    let state: String = r.get(9)?;
    let msat: Option<i64> = r.get(14)?;
    Ok(Sale {
        id: r.get(0)?,
        terminal: r.get(1)?,
        receipt_no: r.get(2)?,
        created_at: parse_time(&r.get::<_, String>(3)?)?,
        amount_minor: r.get(4)?,
        currency: r.get(5)?,
        memo: r.get(6)?,
        cashier: r.get(7)?,
        training: r.get(8)?,
        state: SaleState::parse(&state)
            .ok_or_else(|| LedgerError::Corrupt(format!("state {state:?}")))?,
        underpaid: r.get(10)?,
        partial: r.get(11)?,
        order_id: r.get(12)?,
        btc_amount: r.get(13)?,
        amount_msat: msat
            .map(|m| u64::try_from(m).map_err(|_| LedgerError::Corrupt(format!("amount_msat {m}"))))
            .transpose()?,
        rate: r.get(15)?,
        payment_request: r.get(16)?,
        payment_hash: r.get(17)?,
        pay_url: r.get(18)?,
        order_created_at: opt_time(r.get(19)?)?,
        order_expires_at: opt_time(r.get(20)?)?,
        invoice_expires_at: opt_time(r.get(21)?)?,
        paid_at: opt_time(r.get(22)?)?,
        error: r.get(23)?,
        replaces: r.get(24)?,
        updated_at: parse_time(&r.get::<_, String>(25)?)?,
        reference: r.get(26)?,
        attention: r.get(27)?,
        bill: r
            .get::<_, Option<String>>(28)?
            .map(|b| {
                serde_json::from_str(&b).map_err(|e| LedgerError::Corrupt(format!("bill: {e}")))
            })
            .transpose()?,
        cash: match (r.get::<_, Option<i64>>(29)?, r.get::<_, Option<i64>>(30)?) {
            (Some(tendered_minor), Some(change_minor)) => Some(CashPaid {
                tendered_minor,
                change_minor,
            }),
            _ => None,
        },
        approved_by: r.get(31)?,
        shift_id: r.get(32)?,
    })
}

pub(super) fn load(tx: &Transaction<'_>, id: i64) -> Result<Sale, LedgerError> {
    let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM sales WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => from_row(r),
        None => Err(LedgerError::Corrupt(format!("sale id {id} vanished"))),
    }
}

fn write(tx: &Transaction<'_>, s: &Sale) -> Result<(), LedgerError> {
    let msat = s.amount_msat.map(|m| i64::try_from(m).unwrap_or(i64::MAX));
    tx.execute(
        "UPDATE sales SET state = ?2, underpaid = ?3, partial = ?4, order_id = ?5, btc_amount = ?6, amount_msat = ?7, \
         rate = ?8, payment_request = ?9, payment_hash = ?10, pay_url = ?11, order_created_at = ?12, \
         order_expires_at = ?13, invoice_expires_at = ?14, paid_at = ?15, error = ?16, updated_at = ?17, \
         attention = ?18 WHERE id = ?1",
        params![
            s.id,
            s.state.as_str(),
            s.underpaid,
            s.partial,
            s.order_id,
            s.btc_amount,
            msat,
            s.rate,
            s.payment_request,
            s.payment_hash,
            s.pay_url,
            s.order_created_at.map(time_text),
            s.order_expires_at.map(time_text),
            s.invoice_expires_at.map(time_text),
            s.paid_at.map(time_text),
            s.error,
            time_text(s.updated_at),
            s.attention,
        ],
    )?;
    Ok(())
}

/// The next number of a series: one past the highest in the book, and never at or below what
/// the shared series of an older ledger reached (see `upgrade`).
pub(super) fn next_number(
    tx: &Transaction<'_>,
    table: &str,
    column: &str,
    series: &str,
    terminal: &str,
    training: bool,
) -> Result<i64, LedgerError> {
    let highest: i64 = tx.query_row(
        &format!(
            "SELECT COALESCE(MAX({column}), 0) FROM {table} WHERE terminal = ?1 AND training = ?2"
        ),
        params![terminal, training],
        |r| r.get(0),
    )?;
    let legacy: i64 = tx
        .query_row(
            "SELECT last FROM legacy_numbers WHERE terminal = ?1 AND series = ?2",
            params![terminal, series],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    Ok(highest.max(legacy) + 1)
}

/// A mark no other sale, till or shop will send: the terminal, the receipt, and 64 random bits.
fn reference(terminal: &str, training: bool, receipt_no: i64) -> String {
    format!(
        "{terminal}-{}-{:016x}",
        label("", training, receipt_no),
        rand::random::<u64>()
    )
}

impl Ledger {
    /// Writes a new sale with the next receipt number of its terminal's book, and journals it,
    /// in one committed transaction.
    pub fn insert_sale(&mut self, new: &NewSale, now: DateTime<Utc>) -> Result<Sale, LedgerError> {
        let tx = self.write()?;
        let sale = insert(&tx, new, now)?;
        tx.commit()?;
        Ok(sale)
    }

    /// Writes the sale of `terminal`'s cart and empties the cart, in one transaction, if the cart
    /// is still `priced` (what the sale's bill was made from); `None`, with nothing written, when
    /// it changed or was charged meanwhile. So one cart is never charged twice, and a crash
    /// leaves either the cart or its sale, never both.
    pub fn insert_sale_from_cart(
        &mut self,
        new: &NewSale,
        now: DateTime<Utc>,
        priced: &StoredCart,
    ) -> Result<Option<Sale>, LedgerError> {
        let tx = self.write()?;
        if cart::load(&tx, &new.terminal)? != *priced {
            return Ok(None);
        }
        let sale = insert(&tx, new, now)?;
        cart::clear(&tx, &new.terminal)?;
        tx.commit()?;
        Ok(Some(sale))
    }
}

/// Writes and journals a new sale inside the caller's transaction.
fn insert(tx: &Transaction<'_>, new: &NewSale, now: DateTime<Utc>) -> Result<Sale, LedgerError> {
    let receipt_no = next_number(
        tx,
        "sales",
        "receipt_no",
        "receipt",
        &new.terminal,
        new.training,
    )?;
    let at = time_text(now);
    let shift = super::shifts::open_of(tx, &new.terminal, new.training)?;
    if new.cash.is_some() && shift.is_none() {
        return Err(LedgerError::Refused(
            "no shift is open, so there is no drawer for cash: open a shift with its float first"
                .into(),
        ));
    }
    if let (Some(_), Some(shift)) = (&new.cash, &shift) {
        if shift.currency != new.fiat.currency.code() {
            return Err(LedgerError::Refused(format!(
                "the drawer of shift {} holds {}; a cash sale in {} cannot go into it",
                shift.label(),
                shift.currency,
                new.fiat.currency.code()
            )));
        }
    }
    let (state, paid_at) = match new.cash {
        Some(_) => (SaleState::Paid, Some(at.as_str())),
        None => (SaleState::Creating, None),
    };
    tx.execute(
            "INSERT INTO sales (terminal, receipt_no, created_at, amount_minor, currency, memo, cashier, training, state, \
             replaces, updated_at, reference, bill, paid_at, tendered_minor, change_minor, approved_by, shift_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?3, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                new.terminal,
                receipt_no,
                at,
                new.fiat.minor,
                new.fiat.currency.code(),
                new.memo,
                new.cashier,
                new.training,
                state.as_str(),
                new.replaces,
                // A cash sale never meets the gateway: it needs no mark to be found by.
                new.cash.is_none().then(|| reference(&new.terminal, new.training, receipt_no)),
                new.bill.as_ref().map(canonical).transpose()?,
                paid_at,
                new.cash.map(|c| c.tendered_minor),
                new.cash.map(|c| c.change_minor),
                new.approved_by,
                shift.map(|s| s.id),
            ],
        )?;
    let id = tx.last_insert_rowid();
    let sale = load(tx, id)?;
    let mut detail = serde_json::json!({"amount": new.fiat.to_decimal().to_string(), "currency": new.fiat.currency.code()});
    if let Some(cash) = new.cash {
        detail["tender"] = "cash".into();
        detail["tendered_minor"] = cash.tendered_minor.into();
        detail["change_minor"] = cash.change_minor.into();
    }
    chain::append(
        tx,
        Some(id),
        "created",
        &detail,
        Some(&canonical(&sale)?),
        now,
    )?;
    Ok(sale)
}

impl Ledger {
    /// Changes a sale inside one transaction: `change` sees the sale as stored now (not as some
    /// caller read it earlier), edits it, and returns the journal entry's kind and detail, or
    /// `None` to leave everything as it was. Either the change and its entry are both committed,
    /// or neither is.
    pub fn update_sale<E: From<LedgerError>>(
        &mut self,
        id: i64,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut Sale) -> Result<Option<(&'static str, Value)>, E>,
    ) -> Result<Option<Sale>, E> {
        let tx = self.write()?;
        let mut sale = load(&tx, id)?;
        let Some((kind, detail)) = change(&mut sale)? else {
            return Ok(None);
        };
        sale.updated_at = now;
        write(&tx, &sale)?;
        // Read back what SQLite stored, so the snapshot is exactly the row.
        let stored = load(&tx, id)?;
        chain::append(
            &tx,
            Some(id),
            kind,
            &detail,
            Some(&canonical(&stored)?),
            now,
        )?;
        tx.commit().map_err(LedgerError::from)?;
        Ok(Some(stored))
    }

    /// Journals something that happened to a sale without changing it (a poll that failed, a
    /// receipt printed, an alert seen).
    pub fn note(
        &mut self,
        id: i64,
        kind: &str,
        detail: &Value,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let tx = self.write()?;
        let sale = load(&tx, id)?;
        chain::append(&tx, Some(id), kind, detail, Some(&canonical(&sale)?), now)?;
        tx.commit()?;
        Ok(())
    }
}

/// Which Z sealed a sale, as stored beside it (not part of its snapshot: the Z's own journal
/// entry is the record, and `verify` recomputes these from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealColumns {
    /// The sale's row id.
    pub id: i64,
    /// The Z report (row id) that sealed the sale.
    pub z_id: Option<i64>,
    /// The sale's state when it was sealed.
    pub z_state: Option<String>,
    /// The Z report that sealed its late payment.
    pub late_z_id: Option<i64>,
}
