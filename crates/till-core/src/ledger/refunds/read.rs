//! Reading refunds: of a sale, of a span, one by number, and every one for verification.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{from_row, Refund, COLUMNS};
use crate::ledger::{read_all, time_text, Ledger, LedgerError};

impl Ledger {
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

    /// Every refund, by terminal, number and book, with the Z that sealed it (for verification).
    pub fn each_refund(
        &self,
        mut f: impl FnMut(Refund, Option<i64>) -> Result<(), LedgerError>,
    ) -> Result<(), LedgerError> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS}, r.z_id FROM refunds r JOIN sales s ON s.id = r.sale_id \
             ORDER BY r.terminal, r.refund_no, r.training"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let z: Option<i64> = r.get(21)?;
            f(from_row(r)?, z)?;
        }
        Ok(())
    }

    /// One refund by terminal, book and number.
    pub fn refund(
        &self,
        terminal: &str,
        training: bool,
        refund_no: i64,
    ) -> Result<Option<Refund>, LedgerError> {
        Ok(self
            .refunds_where(
                "r.terminal = ?1 AND r.training = ?2 AND r.refund_no = ?3",
                params![terminal, training, refund_no],
            )?
            .into_iter()
            .next())
    }

    pub(super) fn refunds_where(
        &self,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Refund>, LedgerError> {
        select(self.conn(), None, condition, args)
    }
}

/// The refunds `condition` selects (an SQL `WHERE` clause over `refunds r JOIN sales s`), by
/// terminal, book and number, on `conn` (the ledger's connection or a transaction on it), through
/// `index` when one is named (see `sales::select`).
pub(in crate::ledger) fn select(
    conn: &rusqlite::Connection,
    index: Option<&str>,
    condition: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<Refund>, LedgerError> {
    let indexed = index
        .map(|i| format!(" INDEXED BY {i}"))
        .unwrap_or_default();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM refunds r{indexed} JOIN sales s ON s.id = r.sale_id WHERE {condition} \
         ORDER BY r.terminal, r.training, r.refund_no"
    ))?;
    read_all(&mut stmt, args, from_row)
}
