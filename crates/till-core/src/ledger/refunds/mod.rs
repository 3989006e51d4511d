//! Refunds: each its own numbered document (gap-free per terminal and book, like receipts),
//! written with its journal entry in one transaction that also checks the sale still has that
//! much money left to give back. The document never changes; a Lightning refund's payment state
//! (sending, paid, refused, uncertain) does, and each change is journaled with the state.

mod read;

pub(in crate::ledger) use read::select;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{canonical, chain, label, parse_time, sales, time_text, Ledger, LedgerError};
use crate::money::bill::{Pick, RefundBill};

/// How a refund's money goes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RefundMethod {
    /// By hand, in cash.
    Cash,
    /// Through the gateway, to the customer's Lightning invoice.
    Lightning,
}

impl RefundMethod {
    /// As stored (and as its journal entry has it).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cash => "cash",
            Self::Lightning => "lightning",
        }
    }

    fn parse(s: &str) -> Result<Self, LedgerError> {
        match s {
            "cash" => Ok(Self::Cash),
            "lightning" => Ok(Self::Lightning),
            other => Err(LedgerError::Corrupt(format!("refund method {other:?}"))),
        }
    }
}

/// Where a refund's money is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RefundState {
    /// Given back by hand (cash).
    Done,
    /// Recorded; the gateway is being asked to pay the customer's invoice.
    Sending,
    /// The gateway paid the customer's invoice.
    Paid,
    /// The gateway clearly refused: nothing was paid; the money is owed by hand.
    Refused,
    /// The gateway's answer was lost: it may have been paid. Never sent again; check the
    /// Aurpay dashboard before giving anything back by hand.
    Uncertain,
    /// A Lightning refund recorded before refunds had a state: see its sale's timeline.
    Legacy,
}

impl RefundState {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Sending => "sending",
            Self::Paid => "paid",
            Self::Refused => "refused",
            Self::Uncertain => "uncertain",
            Self::Legacy => "legacy",
        }
    }

    fn parse(s: &str) -> Result<Self, LedgerError> {
        Ok(match s {
            "done" => Self::Done,
            "sending" => Self::Sending,
            "paid" => Self::Paid,
            "refused" => Self::Refused,
            "uncertain" => Self::Uncertain,
            "legacy" => Self::Legacy,
            other => return Err(LedgerError::Corrupt(format!("refund state {other:?}"))),
        })
    }
}

/// A refund document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Refund {
    /// Row id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The terminal that made it.
    pub terminal: String,
    /// Gap-free per terminal and book, from 1.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub refund_no: i64,
    /// `R4`, or `TR1` for a training refund.
    pub label: String,
    /// The refunded sale's row id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sale_id: i64,
    /// The refunded sale's receipt number.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub receipt_no: i64,
    /// When it was recorded: RFC 3339 UTC, as the ledger writes times.
    pub created_at: String,
    /// Fiat given back, in minor units (positive).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub amount_minor: i64,
    /// The same, as exact decimal text in major units (`2.50`): what screens show.
    pub amount: String,
    /// The sale's currency.
    pub currency: String,
    /// Why, in the manager's words.
    pub reason: String,
    /// How the money goes back.
    pub method: RefundMethod,
    /// A demo refund of a demo sale.
    pub training: bool,
    /// The journal entry written with it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub event_id: i64,
    /// Where its money is.
    pub state: RefundState,
    /// The customer's invoice's payment hash (Lightning refunds): one refund per invoice.
    pub payment_hash: Option<String>,
    /// What the gateway is asked to pay, in millisatoshis (Lightning refunds).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub amount_msat: Option<u64>,
    /// The gateway's answer, verbatim, or why there is none.
    pub answer: Option<String>,
    /// The last change of its state.
    pub updated_at: String,
    /// The lines taken back, for an itemized refund (tax reversed per rate); none for a refund
    /// of an amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub lines: Option<RefundBill>,
    /// Who made it (the person at the till).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_by: Option<String>,
    /// The manager whose PIN approved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// The shift whose drawer a cash refund came out of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub shift_id: Option<i64>,
}

/// What a refund needs before it is numbered.
#[derive(Debug, Clone)]
pub struct NewRefund {
    /// The sale's row id.
    pub sale_id: i64,
    /// Minor units to give back.
    pub amount_minor: i64,
    /// Why.
    pub reason: String,
    /// How the money goes back.
    pub method: RefundMethod,
    /// For a Lightning refund: the customer's invoice's payment hash and what it is to be paid.
    pub lightning: Option<(String, u64)>,
    /// For an itemized refund: the lines picked (and whether the tip goes back too), priced
    /// inside the insert's transaction against what earlier refunds took back; it must come to
    /// `amount_minor`.
    pub items: Option<(Vec<Pick>, bool)>,
    /// Who makes it.
    pub made_by: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
}

pub(super) const COLUMNS: &str =
    "r.id, r.terminal, r.refund_no, r.sale_id, s.receipt_no, r.created_at, r.amount_minor, \
     r.currency, r.reason, r.method, r.training, r.event_id, r.state, r.payment_hash, r.amount_msat, \
     r.answer, r.updated_at, r.lines, r.made_by, r.approved_by, r.shift_id";

pub(super) fn from_row(r: &Row<'_>) -> Result<Refund, LedgerError> {
    let training: bool = r.get(10)?;
    let refund_no: i64 = r.get(2)?;
    Ok(Refund {
        id: r.get(0)?,
        terminal: r.get(1)?,
        refund_no,
        label: label("R", training, refund_no),
        sale_id: r.get(3)?,
        receipt_no: r.get(4)?,
        created_at: {
            let t: String = r.get(5)?;
            parse_time(&t)?; // unreadable times are corruption, found here
            t
        },
        amount_minor: r.get(6)?,
        amount: crate::money::decimal_text(r.get(6)?, &r.get::<_, String>(7)?),
        currency: r.get(7)?,
        reason: r.get(8)?,
        method: RefundMethod::parse(&r.get::<_, String>(9)?)?,
        training,
        event_id: r.get(11)?,
        state: RefundState::parse(&r.get::<_, String>(12)?)?,
        payment_hash: r.get(13)?,
        amount_msat: r
            .get::<_, Option<i64>>(14)?
            .map(|m| u64::try_from(m).unwrap_or_default()),
        answer: r.get(15)?,
        updated_at: r.get(16)?,
        lines: r
            .get::<_, Option<String>>(17)?
            .map(|l| {
                serde_json::from_str(&l)
                    .map_err(|e| LedgerError::Corrupt(format!("refund lines: {e}")))
            })
            .transpose()?,
        made_by: r.get(18)?,
        approved_by: r.get(19)?,
        shift_id: r.get(20)?,
    })
}

/// The refund document as its creating journal entry holds it. Fields added after the first
/// refunds were written are left out while empty, so those still match.
pub fn detail(r: &Refund) -> Value {
    let mut v = serde_json::json!({
        "refund_no": r.refund_no,
        "terminal": r.terminal,
        "receipt_no": r.receipt_no,
        "amount_minor": r.amount_minor,
        "currency": r.currency,
        "reason": r.reason,
        "method": r.method,
        "training": r.training,
        "created_at": r.created_at,
    });
    if let Some(hash) = &r.payment_hash {
        v["payment_hash"] = hash.clone().into();
    }
    if let Some(msat) = r.amount_msat {
        v["amount_msat"] = msat.into();
    }
    if let Some(lines) = &r.lines {
        v["lines"] = serde_json::to_value(lines).unwrap_or_default();
    }
    if let Some(by) = &r.made_by {
        v["made_by"] = by.clone().into();
    }
    if let Some(by) = &r.approved_by {
        v["approved_by"] = by.clone().into();
    }
    if let Some(id) = r.shift_id {
        v["shift_id"] = id.into();
    }
    v
}

/// A refund's payment state as its `refund_state` journal entries hold it.
pub fn state_detail(r: &Refund) -> Value {
    serde_json::json!({
        "refund_no": r.refund_no,
        "terminal": r.terminal,
        "training": r.training,
        "state": r.state.as_str(),
        "answer": r.answer,
        "updated_at": r.updated_at,
    })
}

/// The state a refund has before any `refund_state` entry: cash is done at once; a Lightning
/// refund written before refunds had states is `legacy`.
pub fn initial_state(method: RefundMethod, lightning_known: bool) -> RefundState {
    match (method, lightning_known) {
        (RefundMethod::Cash, _) => RefundState::Done,
        (_, true) => RefundState::Sending,
        _ => RefundState::Legacy,
    }
}

/// Why a refund was not recorded (besides the ledger failing).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundRefused {
    /// The sale was never paid.
    #[error("receipt {0} was not paid, so there is nothing to refund")]
    NotPaid(String),
    /// Zero or negative.
    #[error("a refund must be more than zero")]
    NotPositive,
    /// More than is left of the sale.
    #[error("receipt {receipt} has only {left_minor} (minor units) left to refund; {asked_minor} is too much")]
    TooMuch {
        /// The receipt.
        receipt: String,
        /// What is left.
        left_minor: i64,
        /// What was asked.
        asked_minor: i64,
    },
    /// The customer's invoice was used for a refund already: a Lightning invoice is paid once.
    #[error("this invoice was already used for refund {0}; ask the customer for a new one")]
    InvoiceUsed(String),
    /// Lines picked from a sale rung up without them.
    #[error("receipt {0} has no lines to pick from; refund an amount instead")]
    NoLines(String),
    /// The lines picked cannot be given back (more than is left, a line the sale lacks).
    #[error("{0}")]
    Lines(String),
    /// A cash sale's refund comes out of the drawer, and no shift is open.
    #[error("receipt {0} was paid in cash and no shift with a drawer in its currency is open: open one (its drawer gives the money back) first")]
    NoDrawer(String),
    /// Another refund of the sale came first and the lines now come to another amount.
    #[error("another refund of receipt {0} was made meanwhile; pick the lines again")]
    Changed(String),
}

/// What the sale's earlier itemized refunds took back, read inside the caller's transaction.
pub(crate) fn earlier_lines(
    conn: &rusqlite::Connection,
    sale_id: i64,
) -> Result<Vec<RefundBill>, LedgerError> {
    let mut stmt =
        conn.prepare_cached("SELECT lines FROM refunds WHERE sale_id = ?1 AND lines IS NOT NULL")?;
    let mut rows = stmt.query([sale_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let text: String = r.get(0)?;
        out.push(
            serde_json::from_str(&text)
                .map_err(|e| LedgerError::Corrupt(format!("refund lines: {e}")))?,
        );
    }
    Ok(out)
}

impl Ledger {
    /// Records a refund against a paid sale, numbered and journaled in one transaction that
    /// first re-reads what has been refunded already: two refunds racing for the same money
    /// cannot both pass, and one invoice is never used twice.
    pub fn insert_refund(
        &mut self,
        new: &NewRefund,
        now: DateTime<Utc>,
    ) -> Result<Result<Refund, RefundRefused>, LedgerError> {
        let tx = self.write()?;
        let sale = sales::load(&tx, new.sale_id)?;
        if !sale.state.is_paid() {
            return Ok(Err(RefundRefused::NotPaid(sale.label())));
        }
        let lines = match &new.items {
            None => None,
            Some((picks, with_tip)) => {
                let Some(bill) = &sale.bill else {
                    return Ok(Err(RefundRefused::NoLines(sale.label())));
                };
                let earlier = earlier_lines(&tx, sale.id)?;
                match bill.refund(&earlier, picks, *with_tip) {
                    Ok(priced) if priced.total == new.amount_minor => Some(priced),
                    Ok(_) => return Ok(Err(RefundRefused::Changed(sale.label()))),
                    Err(e) => return Ok(Err(RefundRefused::Lines(e.to_string()))),
                }
            }
        };
        if new.amount_minor <= 0 {
            return Ok(Err(RefundRefused::NotPositive));
        }
        let refunded: i64 = tx.query_row(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM refunds WHERE sale_id = ?1",
            [new.sale_id],
            |r| r.get(0),
        )?;
        let left = sale.amount_minor - refunded;
        if new.amount_minor > left {
            return Ok(Err(RefundRefused::TooMuch {
                receipt: sale.label(),
                left_minor: left,
                asked_minor: new.amount_minor,
            }));
        }
        if let Some((hash, _)) = &new.lightning {
            let used: Option<(i64, bool)> = tx
                .query_row(
                    "SELECT refund_no, training FROM refunds WHERE payment_hash = ?1",
                    [hash],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((no, training)) = used {
                return Ok(Err(RefundRefused::InvoiceUsed(label("R", training, no))));
            }
        }
        // Cash given back comes out of the open shift's drawer, when it holds the sale's
        // currency; a cash sale's refund needs that drawer.
        let shift = match new.method {
            RefundMethod::Cash => super::shifts::open_of(&tx, &sale.terminal, sale.training)?
                .filter(|s| s.currency == sale.currency),
            RefundMethod::Lightning => None,
        };
        if sale.cash.is_some() && shift.is_none() {
            return Ok(Err(RefundRefused::NoDrawer(sale.label())));
        }
        let refund_no = sales::next_number(
            &tx,
            "refunds",
            "refund_no",
            "refund",
            &sale.terminal,
            sale.training,
        )?;
        let at = time_text(now);
        let mut refund = Refund {
            id: 0,
            terminal: sale.terminal.clone(),
            refund_no,
            label: label("R", sale.training, refund_no),
            sale_id: sale.id,
            receipt_no: sale.receipt_no,
            created_at: at.clone(),
            amount_minor: new.amount_minor,
            amount: crate::money::decimal_text(new.amount_minor, &sale.currency),
            currency: sale.currency.clone(),
            reason: new.reason.clone(),
            method: new.method,
            training: sale.training,
            event_id: 0,
            state: initial_state(new.method, new.lightning.is_some()),
            payment_hash: new.lightning.as_ref().map(|(h, _)| h.clone()),
            amount_msat: new.lightning.as_ref().map(|(_, m)| *m),
            answer: None,
            updated_at: at.clone(),
            lines,
            made_by: new.made_by.clone(),
            approved_by: new.approved_by.clone(),
            shift_id: shift.map(|s| s.id),
        };
        let (event_id, _) = chain::append(
            &tx,
            Some(sale.id),
            "refund",
            &detail(&refund),
            Some(&canonical(&sale)?),
            now,
        )?;
        tx.execute(
            "INSERT INTO refunds (terminal, refund_no, sale_id, created_at, amount_minor, currency, reason, method, \
             training, event_id, state, payment_hash, amount_msat, updated_at, lines, made_by, approved_by, shift_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?4, ?14, ?15, ?16, ?17)",
            params![
                refund.terminal,
                refund.refund_no,
                refund.sale_id,
                at,
                refund.amount_minor,
                refund.currency,
                refund.reason,
                refund.method.as_str(),
                refund.training,
                event_id,
                refund.state.as_str(),
                refund.payment_hash,
                refund.amount_msat.map(|m| i64::try_from(m).unwrap_or(i64::MAX)),
                refund.lines.as_ref().map(canonical).transpose()?,
                refund.made_by,
                refund.approved_by,
                refund.shift_id,
            ],
        )?;
        refund.id = tx.last_insert_rowid();
        refund.event_id = event_id;
        tx.commit()?;
        Ok(Ok(refund))
    }

    /// Records what became of a Lightning refund's payment.
    pub fn set_refund_state(
        &mut self,
        id: i64,
        state: RefundState,
        answer: &str,
        now: DateTime<Utc>,
    ) -> Result<Refund, LedgerError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE refunds SET state = ?2, answer = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, state.as_str(), answer, time_text(now)],
        )?;
        let refund = select(&tx, None, "r.id = ?1", [id])?
            .pop()
            .ok_or_else(|| LedgerError::Corrupt(format!("refund {id} vanished")))?;
        let sale = sales::load(&tx, refund.sale_id)?;
        chain::append(
            &tx,
            Some(sale.id),
            "refund_state",
            &state_detail(&refund),
            Some(&canonical(&sale)?),
            now,
        )?;
        tx.commit()?;
        Ok(refund)
    }
}
