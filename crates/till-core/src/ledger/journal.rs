//! Reading the journal: a sale's timeline, the chain's head, a printed head found again, and
//! every entry in order for verification.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::{
    chain::{entry_from_row, ENTRY_COLUMNS, GENESIS},
    JournalEntry, Ledger, LedgerError,
};

/// Where a printed chain head was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// The entry's position.
    pub id: i64,
    /// When it was written.
    pub at: String,
    /// What it records.
    pub kind: String,
    /// Its whole hash.
    pub hash: String,
}

impl Ledger {
    /// A sale's timeline, oldest first.
    pub fn timeline(&self, sale_id: i64) -> Result<Vec<JournalEntry>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM events WHERE sale_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([sale_id], entry_from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The chain's head: the last entry's hash.
    pub fn chain_head(&self) -> Result<String, LedgerError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT hash FROM events ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| GENESIS.to_owned()))
    }

    /// The entry whose hash starts with `prefix` (lower-case hex), if the chain holds one: a head
    /// printed on a Z report or an export is found here unless the ledger was rewritten since.
    pub fn find_anchor(&self, prefix: &str) -> Result<Option<Anchor>, LedgerError> {
        // GLOB is case-sensitive, so the unique index on `hash` serves the prefix.
        Ok(self
            .conn()
            .query_row(
                "SELECT id, at, kind, hash FROM events WHERE hash GLOB ?1 || '*' ORDER BY id LIMIT 1",
                [prefix],
                |r| {
                    Ok(Anchor {
                        id: r.get(0)?,
                        at: r.get(1)?,
                        kind: r.get(2)?,
                        hash: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// The last entry's number (0 for an empty journal).
    pub fn last_entry_id(&self) -> Result<i64, LedgerError> {
        Ok(self
            .conn()
            .query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))?)
    }

    /// At most `limit` entries after the one numbered `after`, in order: what a till forwards to
    /// the shop's server from its watermark, batch by batch.
    pub fn entries_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<JournalEntry>, LedgerError> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM events WHERE id > ?1 ORDER BY id LIMIT ?2"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(rusqlite::params![after, limit], entry_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Calls `f` with every journal entry in order, one at a time (a ledger of a million sales
    /// holds three million entries: they are never all in memory).
    pub fn each_entry(
        &self,
        mut f: impl FnMut(JournalEntry) -> Result<(), LedgerError>,
    ) -> Result<(), LedgerError> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {ENTRY_COLUMNS} FROM events ORDER BY id"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(entry_from_row(r)?)?;
        }
        Ok(())
    }
}
