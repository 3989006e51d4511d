//! Refunds: each its own numbered document (gap-free per terminal, like receipts), written with
//! its journal entry in one transaction that also checks the sale still has that much money left
//! to give back. Rows are never changed; what the gateway later says is journaled beside them.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};
use serde::Serialize;
use serde_json::Value;

use super::{canonical, chain, parse_time, sales, time_text, Ledger, LedgerError};

/// A refund document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Refund {
    /// Row id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The terminal that made it.
    pub terminal: String,
    /// Gap-free per terminal, from 1.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub refund_no: i64,
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
    /// The sale's currency.
    pub currency: String,
    /// Why, in the manager's words.
    pub reason: String,
    /// How the money went back: `cash` (by hand) or `lightning` (through the gateway).
    pub method: String,
    /// A demo refund of a demo sale.
    pub training: bool,
    /// The journal entry written with it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub event_id: i64,
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
    /// `cash` or `lightning`.
    pub method: String,
}

const COLUMNS: &str =
    "r.id, r.terminal, r.refund_no, r.sale_id, s.receipt_no, r.created_at, r.amount_minor, \
     r.currency, r.reason, r.method, r.training, r.event_id";

fn from_row(r: &Row<'_>) -> Result<Refund, LedgerError> {
    Ok(Refund {
        id: r.get(0)?,
        terminal: r.get(1)?,
        refund_no: r.get(2)?,
        sale_id: r.get(3)?,
        receipt_no: r.get(4)?,
        created_at: {
            let t: String = r.get(5)?;
            parse_time(&t)?; // unreadable times are corruption, found here
            t
        },
        amount_minor: r.get(6)?,
        currency: r.get(7)?,
        reason: r.get(8)?,
        method: r.get(9)?,
        training: r.get(10)?,
        event_id: r.get(11)?,
    })
}

/// The refund's journal detail: the document itself, minus what the journal holds anyway.
pub(super) fn detail(r: &Refund) -> Value {
    serde_json::json!({
        "refund_no": r.refund_no,
        "terminal": r.terminal,
        "receipt_no": r.receipt_no,
        "amount_minor": r.amount_minor,
        "currency": r.currency,
        "reason": r.reason,
        "method": r.method,
        "training": r.training,
        "created_at": r.created_at,
    })
}

/// Why a refund was not recorded (besides the ledger failing).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundRefused {
    /// The sale was never paid.
    #[error("receipt {0} was not paid, so there is nothing to refund")]
    NotPaid(i64),
    /// Zero or negative.
    #[error("a refund must be more than zero")]
    NotPositive,
    /// More than is left of the sale.
    #[error("receipt {receipt} has only {left_minor} (minor units) left to refund; {asked_minor} is too much")]
    TooMuch {
        /// The receipt.
        receipt: i64,
        /// What is left.
        left_minor: i64,
        /// What was asked.
        asked_minor: i64,
    },
}

impl Ledger {
    /// Records a refund against a paid sale, numbered and journaled in one transaction that
    /// first re-reads what has been refunded already: two refunds racing for the same money
    /// cannot both pass.
    pub fn insert_refund(
        &mut self,
        new: &NewRefund,
        now: DateTime<Utc>,
    ) -> Result<Result<Refund, RefundRefused>, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sale = sales::load(&tx, new.sale_id)?;
        if !sale.state.is_paid() {
            return Ok(Err(RefundRefused::NotPaid(sale.receipt_no)));
        }
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
                receipt: sale.receipt_no,
                left_minor: left,
                asked_minor: new.amount_minor,
            }));
        }
        let refund_no: i64 = tx.query_row(
            "SELECT COALESCE(MAX(refund_no), 0) + 1 FROM refunds WHERE terminal = ?1",
            [&sale.terminal],
            |r| r.get(0),
        )?;
        let mut refund = Refund {
            id: 0,
            terminal: sale.terminal.clone(),
            refund_no,
            sale_id: sale.id,
            receipt_no: sale.receipt_no,
            created_at: time_text(now),
            amount_minor: new.amount_minor,
            currency: sale.currency.clone(),
            reason: new.reason.clone(),
            method: new.method.clone(),
            training: sale.training,
            event_id: 0,
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
             training, event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                refund.terminal,
                refund.refund_no,
                refund.sale_id,
                time_text(now),
                refund.amount_minor,
                refund.currency,
                refund.reason,
                refund.method,
                refund.training,
                event_id
            ],
        )?;
        refund.id = tx.last_insert_rowid();
        refund.event_id = event_id;
        tx.commit()?;
        Ok(Ok(refund))
    }

    /// The refunds of one sale, oldest first.
    pub fn refunds_of(&self, sale_id: i64) -> Result<Vec<Refund>, LedgerError> {
        self.refunds_where("r.sale_id = ?1", params![sale_id])
    }

    /// Refunds recorded in `[from, to)`, oldest first.
    pub fn refunds_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Refund>, LedgerError> {
        self.refunds_where(
            "r.created_at >= ?1 AND r.created_at < ?2",
            params![time_text(from), time_text(to)],
        )
    }

    /// Every refund, by terminal and number (for verification).
    pub fn all_refunds(&self) -> Result<Vec<Refund>, LedgerError> {
        self.refunds_where("1 = 1", params![])
    }

    /// One refund by terminal and number.
    pub fn refund(&self, terminal: &str, refund_no: i64) -> Result<Option<Refund>, LedgerError> {
        Ok(self
            .refunds_where(
                "r.terminal = ?1 AND r.refund_no = ?2",
                params![terminal, refund_no],
            )?
            .into_iter()
            .next())
    }

    fn refunds_where(
        &self,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Refund>, LedgerError> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM refunds r JOIN sales s ON s.id = r.sale_id WHERE {condition} \
             ORDER BY r.terminal, r.refund_no"
        ))?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(from_row(r)?);
        }
        Ok(out)
    }

    /// The journal entry's detail for `event_id`, if it is of `kind`.
    pub(super) fn entry_detail(
        &self,
        event_id: i64,
        kind: &str,
    ) -> Result<Option<String>, LedgerError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT detail FROM events WHERE id = ?1 AND kind = ?2",
                params![event_id, kind],
                |r| r.get(0),
            )
            .optional()?)
    }
}
