//! Reading sales: by id, receipt or order, by day, the ones the watcher follows, and the
//! indexed reads that cost the same on a ledger of years as on a new one.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{from_row, Sale, SealColumns, COLUMNS};
use crate::ledger::{label, read_all, time_text, Ledger, LedgerError};

impl Ledger {
    /// One sale by row id.
    pub fn sale(&self, id: i64) -> Result<Option<Sale>, LedgerError> {
        self.one(
            &format!("SELECT {COLUMNS} FROM sales WHERE id = ?1"),
            params![id],
        )
    }

    /// One sale by terminal, book and receipt number.
    pub fn sale_by_receipt(
        &self,
        terminal: &str,
        training: bool,
        receipt_no: i64,
    ) -> Result<Sale, LedgerError> {
        self.one(
            &format!("SELECT {COLUMNS} FROM sales WHERE terminal = ?1 AND training = ?2 AND receipt_no = ?3"),
            params![terminal, training, receipt_no],
        )?
        .ok_or_else(|| LedgerError::NoSuchReceipt(label("", training, receipt_no)))
    }

    /// The last sale rung up in a book (its highest receipt number), read backwards along the
    /// `(terminal, training, receipt_no)` key: one row, however long the book.
    pub fn latest_sale(&self, terminal: &str, training: bool) -> Result<Option<Sale>, LedgerError> {
        self.one(
            &format!("SELECT {COLUMNS} FROM sales WHERE terminal = ?1 AND training = ?2 ORDER BY receipt_no DESC LIMIT 1"),
            params![terminal, training],
        )
    }

    /// The sale that holds a gateway order id.
    pub fn sale_by_order_id(&self, order_id: &str) -> Result<Option<Sale>, LedgerError> {
        self.one(
            &format!("SELECT {COLUMNS} FROM sales WHERE order_id = ?1"),
            params![order_id],
        )
    }

    /// Sales created in `[from, to)`, oldest first.
    pub fn sales_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Sale>, LedgerError> {
        self.many(
            &format!("SELECT {COLUMNS} FROM sales WHERE created_at >= ?1 AND created_at < ?2 ORDER BY created_at, id"),
            params![time_text(from), time_text(to)],
        )
    }

    /// Every sale the watcher should follow at `now`, oldest first: the open ones, and the
    /// timed-out or cancelled ones whose invoice can still be paid. Read through the
    /// `(state, invoice_expires_at)` index, so years of old sales cost nothing.
    pub fn watched_sales(&self, now: DateTime<Utc>) -> Result<Vec<Sale>, LedgerError> {
        self.many(
            &format!(
                "SELECT {COLUMNS} FROM sales WHERE state IN ('creating', 'awaiting_payment', 'uncertain') \
                 UNION ALL SELECT {COLUMNS} FROM sales WHERE state IN ('timed_out', 'cancelled') \
                 AND (invoice_expires_at > ?1 OR invoice_expires_at IS NULL) ORDER BY id"
            ),
            params![time_text(now)],
        )
    }

    /// The sales of a book still waiting for the gateway (creating, awaiting payment, uncertain).
    pub fn open_sales(&self, terminal: &str, training: bool) -> Result<Vec<Sale>, LedgerError> {
        self.many(
            &format!(
                "SELECT {COLUMNS} FROM sales INDEXED BY sales_watch \
                 WHERE state IN ('creating', 'awaiting_payment', 'uncertain') \
                 AND terminal = ?1 AND training = ?2 ORDER BY id"
            ),
            params![terminal, training],
        )
    }

    /// Sales of a book paid after they timed out or were cancelled whose alert nobody has
    /// acknowledged yet.
    pub fn unacknowledged_paid_late(
        &self,
        terminal: &str,
        training: bool,
    ) -> Result<Vec<Sale>, LedgerError> {
        self.many(
            &format!(
                "SELECT {COLUMNS} FROM sales s INDEXED BY sales_watch \
                 WHERE state = 'paid_late' AND terminal = ?1 AND training = ?2 \
                 AND NOT EXISTS (SELECT 1 FROM events e WHERE e.sale_id = s.id AND e.kind = 'alert_acknowledged') \
                 ORDER BY id"
            ),
            params![terminal, training],
        )
    }

    /// Whether any sale was ever written.
    pub fn has_sales(&self) -> Result<bool, LedgerError> {
        Ok(self
            .conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM sales)", [], |r| r.get(0))?)
    }

    /// Every sale, oldest first (tests and small tools; the till itself reads through indexes).
    pub fn all_sales(&self) -> Result<Vec<Sale>, LedgerError> {
        self.many(
            &format!("SELECT {COLUMNS} FROM sales ORDER BY id"),
            params![],
        )
    }

    /// Calls `f` with every sale ordered by terminal, receipt number and book, one at a time.
    pub fn each_sale(
        &self,
        mut f: impl FnMut(Result<Sale, LedgerError>, SealColumns) -> Result<(), LedgerError>,
    ) -> Result<(), LedgerError> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS}, z_id, z_state, late_z_id FROM sales ORDER BY terminal, receipt_no, training"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let seal = SealColumns {
                id: r.get(0)?,
                z_id: r.get(33)?,
                z_state: r.get(34)?,
                late_z_id: r.get(35)?,
            };
            f(from_row(r), seal)?;
        }
        Ok(())
    }

    pub(super) fn one(
        &self,
        sql: &str,
        p: impl rusqlite::Params,
    ) -> Result<Option<Sale>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(sql)?;
        let mut rows = stmt.query(p)?;
        rows.next()?.map(from_row).transpose()
    }

    pub(super) fn many(
        &self,
        sql: &str,
        p: impl rusqlite::Params,
    ) -> Result<Vec<Sale>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(sql)?;
        read_all(&mut stmt, p, from_row)
    }
}

/// The sales `condition` (an SQL `WHERE` clause, with its `ORDER BY`) selects, on `conn` (the
/// ledger's connection or a transaction on it), read through `index` (`INDEXED BY`) when one is
/// named: for the reads that must cost the same on a ledger of years as on an empty one. Without
/// statistics SQLite prefers the `(terminal, training, receipt_no)` key, which walks every sale a
/// book ever had; naming the small partial index makes the plan certain, and a query the index
/// cannot serve fails instead of crawling.
pub(in crate::ledger) fn select(
    conn: &rusqlite::Connection,
    index: Option<&str>,
    condition: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<Sale>, LedgerError> {
    let indexed = index
        .map(|i| format!(" INDEXED BY {i}"))
        .unwrap_or_default();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sales{indexed} WHERE {condition}"
    ))?;
    read_all(&mut stmt, args, from_row)
}
