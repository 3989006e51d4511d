//! The journal: every change to the ledger, each entry hashed together with the one before. This
//! is the bottom of the ledger: the record modules append to it; it knows none of them.
//!
//! An entry's hash is SHA-256 over its predecessor's hash and its own fields, each written with
//! its length first so no two different entries can hash the same text. Editing, inserting or
//! removing an entry breaks the chain at that point; editing a record without journaling it makes
//! the record differ from its last entry (see `crate::verify`).

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{
    text::{canonical, time_text},
    LedgerError,
};

/// The hash the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One journal entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    /// Its position in the journal.
    pub id: i64,
    /// The sale it concerns (none for a Z report, a withdrawal or a setting).
    pub sale_id: Option<i64>,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// What happened: `created`, `order_created`, `status`, `paid`, `z_closed`, ...
    pub kind: String,
    /// Details, as JSON text.
    pub detail: String,
    /// The sale's row after the change, as JSON text.
    pub snapshot: Option<String>,
    /// The predecessor's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl JournalEntry {
    /// The hash this entry should carry, recomputed from its fields.
    pub fn recompute(&self) -> String {
        entry_hash(
            &self.prev_hash,
            self.id,
            self.sale_id,
            &self.at,
            &self.kind,
            &self.detail,
            self.snapshot.as_deref(),
        )
    }
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

fn entry_hash(
    prev: &str,
    id: i64,
    sale_id: Option<i64>,
    at: &str,
    kind: &str,
    detail: &str,
    snapshot: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    field(&mut h, prev.as_bytes());
    field(&mut h, &id.to_be_bytes());
    field(
        &mut h,
        sale_id
            .map(|s| s.to_string())
            .unwrap_or_default()
            .as_bytes(),
    );
    field(&mut h, at.as_bytes());
    field(&mut h, kind.as_bytes());
    field(&mut h, detail.as_bytes());
    match snapshot {
        Some(s) => field(&mut h, s.as_bytes()),
        None => field(&mut h, b"\xff"),
    }
    hex::encode(h.finalize())
}

/// Appends an entry inside the caller's transaction; returns (id, hash).
pub(super) fn append(
    tx: &Transaction<'_>,
    sale_id: Option<i64>,
    kind: &str,
    detail: &Value,
    snapshot: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(i64, String), LedgerError> {
    let (last_id, prev): (i64, String) = tx
        .query_row(
            "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_owned()));
    let id = last_id + 1;
    let at = time_text(now);
    let detail = canonical(detail)?;
    let hash = entry_hash(&prev, id, sale_id, &at, kind, &detail, snapshot);
    tx.execute(
        "INSERT INTO events (id, sale_id, at, kind, detail, snapshot, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, sale_id, at, kind, detail, snapshot, prev, hash],
    )?;
    Ok((id, hash))
}

/// The journal's columns, in the order [`entry_from_row`] reads them.
pub(super) const ENTRY_COLUMNS: &str = "id, sale_id, at, kind, detail, snapshot, prev_hash, hash";

pub(super) fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JournalEntry> {
    Ok(JournalEntry {
        id: r.get(0)?,
        sale_id: r.get(1)?,
        at: r.get(2)?,
        kind: r.get(3)?,
        detail: r.get(4)?,
        snapshot: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}
