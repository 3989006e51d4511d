//! Shifts and the cash drawer: a shift opens with a counted float, the drawer takes cash sales
//! and pay-ins and gives change, cash refunds and pay-outs, and the shift closes when the drawer
//! is counted. At most one shift is open per terminal and book (a unique index says so). Each
//! change is journaled with the row as it now is, so `verify` catches an edited count.
//!
//! What the drawer should hold is always computed in the writing transaction from the documents
//! themselves ([`Ledger::drawer`]), never kept as a running figure that could drift.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{chain, read_all, time_text, Ledger, LedgerError};
use crate::money::decimal_text;

/// A shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Shift {
    /// Row id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The terminal.
    pub terminal: String,
    /// The training book's shift (demo mode).
    pub training: bool,
    /// Numbered per terminal and book, from 1.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shift_no: i64,
    /// The drawer's currency (the shop's).
    pub currency: String,
    /// When it opened.
    pub opened_at: String,
    /// Who opened it.
    pub opened_by: String,
    /// The float counted into the drawer, in minor units.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub float_minor: i64,
    /// When it closed.
    pub closed_at: Option<String>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// What the drawer should have held at the close.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub expected_minor: Option<i64>,
    /// What was counted.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub counted_minor: Option<i64>,
    /// The count by denomination (its face value in major units, and how many), when counted so.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, number> | null"))]
    pub counts: Option<BTreeMap<String, i64>>,
}

impl Shift {
    /// Counted less expected (negative: short), once closed.
    pub fn variance_minor(&self) -> Option<i64> {
        Some(self.counted_minor? - self.expected_minor?)
    }

    /// `S3`, or `TS1` in training.
    pub fn label(&self) -> String {
        super::label("S", self.training, self.shift_no)
    }
}

/// Into or out of the drawer, other than a sale or a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum CashMoveKind {
    /// Cash put in (change from the bank).
    PayIn,
    /// Cash taken out (milk for the coffee).
    PayOut,
}

impl CashMoveKind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PayIn => "pay_in",
            Self::PayOut => "pay_out",
        }
    }
}

/// A pay-in or pay-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CashMove {
    /// Row id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The shift whose drawer.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shift_id: i64,
    /// In or out.
    pub kind: CashMoveKind,
    /// How much, in minor units.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub amount_minor: i64,
    /// Why.
    pub reason: String,
    /// Who.
    pub made_by: String,
    /// When.
    pub at: String,
}

/// A drawer count that closes a shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShiftClose {
    /// The total counted, in minor units.
    pub counted_minor: i64,
    /// By denomination, when counted so.
    pub counts: Option<BTreeMap<String, i64>>,
    /// Who counted and closed.
    pub by: String,
}

/// What a shift's drawer holds by the documents, in minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Drawer {
    /// The float.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub float_minor: i64,
    /// Cash sales paid (their totals: the change went back out of what was tendered).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cash_sales_minor: i64,
    /// How many cash sales.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cash_sales: i64,
    /// Cash given back for refunds.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub refunds_minor: i64,
    /// Paid in.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pay_ins_minor: i64,
    /// Paid out.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pay_outs_minor: i64,
    /// What should be in the drawer now.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub expected_minor: i64,
}

const COLUMNS: &str =
    "id, terminal, training, shift_no, currency, opened_at, opened_by, float_minor, \
     closed_at, closed_by, expected_minor, counted_minor, counts";

fn from_row(r: &Row<'_>) -> Result<Shift, LedgerError> {
    Ok(Shift {
        id: r.get(0)?,
        terminal: r.get(1)?,
        training: r.get(2)?,
        shift_no: r.get(3)?,
        currency: r.get(4)?,
        opened_at: r.get(5)?,
        opened_by: r.get(6)?,
        float_minor: r.get(7)?,
        closed_at: r.get(8)?,
        closed_by: r.get(9)?,
        expected_minor: r.get(10)?,
        counted_minor: r.get(11)?,
        counts: r
            .get::<_, Option<String>>(12)?
            .map(|c| {
                serde_json::from_str(&c).map_err(|e| LedgerError::Corrupt(format!("counts: {e}")))
            })
            .transpose()?,
    })
}

const MOVE_COLUMNS: &str = "id, shift_id, kind, amount_minor, reason, made_by, at";

fn move_from_row(r: &Row<'_>) -> Result<CashMove, LedgerError> {
    let kind: String = r.get(2)?;
    Ok(CashMove {
        id: r.get(0)?,
        shift_id: r.get(1)?,
        kind: match kind.as_str() {
            "pay_in" => CashMoveKind::PayIn,
            "pay_out" => CashMoveKind::PayOut,
            other => return Err(LedgerError::Corrupt(format!("cash move {other:?}"))),
        },
        amount_minor: r.get(3)?,
        reason: r.get(4)?,
        made_by: r.get(5)?,
        at: r.get(6)?,
    })
}

pub(super) fn load_in(conn: &rusqlite::Connection, id: i64) -> Result<Shift, LedgerError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM shifts WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => from_row(r),
        None => Err(LedgerError::Corrupt(format!("shift id {id} vanished"))),
    }
}

/// The open shift of a terminal's book, read on `conn` (a writing transaction's, for a sale).
pub(super) fn open_of(
    conn: &rusqlite::Connection,
    terminal: &str,
    training: bool,
) -> Result<Option<Shift>, LedgerError> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM shifts INDEXED BY shifts_open WHERE terminal = ?1 AND training = ?2 AND closed_at IS NULL",
            params![terminal, training],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| load_in(conn, id)).transpose()
}

/// What the shift's drawer should hold, by its documents, read on `conn`.
pub(super) fn drawer_of(conn: &rusqlite::Connection, shift: &Shift) -> Result<Drawer, LedgerError> {
    let (cash_sales, cash_sales_minor): (i64, i64) = conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(amount_minor), 0) FROM sales INDEXED BY sales_shift \
         WHERE shift_id = ?1 AND tendered_minor IS NOT NULL AND state = 'paid' AND currency = ?2",
        params![shift.id, shift.currency],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let refunds_minor: i64 = conn.query_row(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM refunds INDEXED BY refunds_shift \
         WHERE shift_id = ?1 AND method = 'cash' AND currency = ?2",
        params![shift.id, shift.currency],
        |r| r.get(0),
    )?;
    let sum = |kind: &str| -> Result<i64, LedgerError> {
        Ok(conn.query_row(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM cash_moves WHERE shift_id = ?1 AND kind = ?2",
            params![shift.id, kind],
            |r| r.get(0),
        )?)
    };
    let pay_ins_minor = sum("pay_in")?;
    let pay_outs_minor = sum("pay_out")?;
    Ok(Drawer {
        float_minor: shift.float_minor,
        cash_sales_minor,
        cash_sales,
        refunds_minor,
        pay_ins_minor,
        pay_outs_minor,
        expected_minor: shift.float_minor + cash_sales_minor + pay_ins_minor
            - pay_outs_minor
            - refunds_minor,
    })
}

/// The shift's row as its journal entries hold it.
pub fn shift_document(s: &Shift) -> Value {
    serde_json::to_value(s).unwrap_or_default()
}

fn journal_shift(
    tx: &Transaction<'_>,
    kind: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Shift, LedgerError> {
    let shift = load_in(tx, id)?;
    chain::append(tx, None, kind, &shift_document(&shift), None, now)?;
    Ok(shift)
}

fn no_shift() -> LedgerError {
    LedgerError::Refused(
        "no shift is open: open one with the float counted into the drawer first".into(),
    )
}

impl Ledger {
    /// The open shift of a terminal's book.
    pub fn open_shift(&self, terminal: &str, training: bool) -> Result<Option<Shift>, LedgerError> {
        open_of(self.conn(), terminal, training)
    }

    /// A shift by row id.
    pub fn shift(&self, id: i64) -> Result<Shift, LedgerError> {
        load_in(self.conn(), id)
    }

    /// The last shift of a terminal's book (open or closed).
    pub fn last_shift(&self, terminal: &str, training: bool) -> Result<Option<Shift>, LedgerError> {
        let id: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM shifts WHERE terminal = ?1 AND training = ?2 ORDER BY shift_no DESC LIMIT 1",
                params![terminal, training],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| load_in(self.conn(), id)).transpose()
    }

    /// Every shift, by row (for `verify`).
    /// Which Z sealed each shift (by row id), for `verify`.
    pub(crate) fn shift_seals(
        &self,
    ) -> Result<std::collections::HashMap<i64, Option<i64>>, LedgerError> {
        let mut stmt = self.conn().prepare("SELECT id, z_id FROM shifts")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every shift, oldest first.
    pub fn shifts(&self) -> Result<Vec<Shift>, LedgerError> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {COLUMNS} FROM shifts ORDER BY id"))?;
        read_all(&mut stmt, [], from_row)
    }

    /// Shifts closed and not yet sealed by a Z, of a terminal's book.
    pub fn unsealed_shifts(
        &self,
        terminal: &str,
        training: bool,
    ) -> Result<Vec<Shift>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM shifts INDEXED BY shifts_unsealed WHERE terminal = ?1 AND training = ?2 \
             AND z_id IS NULL ORDER BY shift_no"
        ))?;
        read_all(&mut stmt, params![terminal, training], from_row)
    }

    /// The shifts a Z sealed.
    pub fn shifts_sealed_by(&self, z_id: i64) -> Result<Vec<Shift>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM shifts WHERE z_id = ?1 ORDER BY shift_no"
        ))?;
        read_all(&mut stmt, [z_id], from_row)
    }

    /// A shift's pay-ins and pay-outs, oldest first.
    pub fn cash_moves(&self, shift_id: i64) -> Result<Vec<CashMove>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {MOVE_COLUMNS} FROM cash_moves WHERE shift_id = ?1 ORDER BY id"
        ))?;
        read_all(&mut stmt, [shift_id], move_from_row)
    }

    /// Every pay-in and pay-out, by row (for `verify`).
    pub fn all_cash_moves(&self) -> Result<Vec<CashMove>, LedgerError> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {MOVE_COLUMNS} FROM cash_moves ORDER BY id"
        ))?;
        read_all(&mut stmt, [], move_from_row)
    }

    /// What a shift's drawer should hold now.
    pub fn drawer(&self, shift: &Shift) -> Result<Drawer, LedgerError> {
        drawer_of(self.conn(), shift)
    }

    /// Opens a shift with `float_minor` counted into the drawer; refused while one is open.
    pub fn open_new_shift(
        &mut self,
        terminal: &str,
        training: bool,
        currency: &str,
        float_minor: i64,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Shift, LedgerError> {
        if float_minor < 0 {
            return Err(LedgerError::Refused("the float cannot be negative".into()));
        }
        let tx = self.write()?;
        if let Some(open) = open_of(&tx, terminal, training)? {
            return Err(LedgerError::Refused(format!(
                "shift {} is still open (opened by {}); close it first",
                open.label(),
                open.opened_by
            )));
        }
        let no: i64 = tx.query_row(
            "SELECT COALESCE(MAX(shift_no), 0) + 1 FROM shifts WHERE terminal = ?1 AND training = ?2",
            params![terminal, training],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO shifts (terminal, training, shift_no, currency, opened_at, opened_by, float_minor) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![terminal, training, no, currency, time_text(now), by, float_minor],
        )?;
        let shift = journal_shift(&tx, "shift_opened", tx.last_insert_rowid(), now)?;
        tx.commit()?;
        Ok(shift)
    }

    /// Pays cash into or out of the open shift's drawer; a pay-out larger than the drawer holds
    /// is refused.
    #[allow(clippy::too_many_arguments)]
    pub fn move_cash(
        &mut self,
        terminal: &str,
        training: bool,
        kind: CashMoveKind,
        amount_minor: i64,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<CashMove, LedgerError> {
        if amount_minor <= 0 {
            return Err(LedgerError::Refused(
                "the amount must be more than zero".into(),
            ));
        }
        let tx = self.write()?;
        let shift = open_of(&tx, terminal, training)?.ok_or_else(no_shift)?;
        if kind == CashMoveKind::PayOut {
            let drawer = drawer_of(&tx, &shift)?;
            if amount_minor > drawer.expected_minor {
                return Err(LedgerError::Refused(format!(
                    "the drawer should hold only {} {}; {} cannot be paid out",
                    decimal_text(drawer.expected_minor, &shift.currency),
                    shift.currency,
                    decimal_text(amount_minor, &shift.currency),
                )));
            }
        }
        tx.execute(
            "INSERT INTO cash_moves (shift_id, kind, amount_minor, reason, made_by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![shift.id, kind.as_str(), amount_minor, reason, by, time_text(now)],
        )?;
        let id = tx.last_insert_rowid();
        let moved = {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {MOVE_COLUMNS} FROM cash_moves WHERE id = ?1"
            ))?;
            let mut rows = stmt.query([id])?;
            move_from_row(
                rows.next()?
                    .ok_or(LedgerError::Corrupt("cash move".into()))?,
            )?
        };
        chain::append(
            &tx,
            None,
            "cash_move",
            &serde_json::to_value(&moved).unwrap_or_default(),
            None,
            now,
        )?;
        tx.commit()?;
        Ok(moved)
    }

    /// Closes the open shift with the drawer's count: what it should hold is computed in the
    /// same transaction, so a sale finishing meanwhile is either in both or in neither.
    pub fn close_shift(
        &mut self,
        terminal: &str,
        training: bool,
        close: &NewShiftClose,
        now: DateTime<Utc>,
    ) -> Result<(Shift, Drawer), LedgerError> {
        if close.counted_minor < 0 {
            return Err(LedgerError::Refused("the count cannot be negative".into()));
        }
        let tx = self.write()?;
        let shift = open_of(&tx, terminal, training)?.ok_or_else(no_shift)?;
        let drawer = drawer_of(&tx, &shift)?;
        let counts = close
            .counts
            .as_ref()
            .map(|c| serde_json::to_string(c).map_err(|e| LedgerError::Corrupt(e.to_string())))
            .transpose()?;
        tx.execute(
            "UPDATE shifts SET closed_at = ?2, closed_by = ?3, expected_minor = ?4, counted_minor = ?5, counts = ?6 \
             WHERE id = ?1",
            params![
                shift.id,
                time_text(now),
                close.by,
                drawer.expected_minor,
                close.counted_minor,
                counts
            ],
        )?;
        let closed = journal_shift(&tx, "shift_closed", shift.id, now)?;
        tx.commit()?;
        Ok((closed, drawer))
    }
}
