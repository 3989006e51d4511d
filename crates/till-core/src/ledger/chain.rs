//! The journal: every change to the ledger, each entry hashed together with the one before.
//!
//! An entry's hash is SHA-256 over its predecessor's hash and its own fields, each written with
//! its length first so no two different entries can hash the same text. Editing, inserting or
//! removing an entry breaks the chain at that point; editing a sale's row without journaling it
//! makes the row differ from the snapshot in its last entry.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{canonical, sales, time_text, Ledger, LedgerError};

/// The hash the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One journal entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    /// Its position in the journal.
    pub id: i64,
    /// The sale it concerns (none for a day close).
    pub sale_id: Option<i64>,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// What happened: `created`, `order_created`, `status`, `paid`, `day_closed`, ...
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

/// What [`Ledger::verify`] checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Journal entries checked.
    pub entries: u64,
    /// Sales checked against their last entry.
    pub sales: u64,
    /// Closed days checked.
    pub day_closes: u64,
    /// The chain's head.
    pub head: String,
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

/// The SHA-256 of a snapshot, to compare without keeping it.
fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
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

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JournalEntry> {
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

const ENTRY_COLUMNS: &str = "id, sale_id, at, kind, detail, snapshot, prev_hash, hash";

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

    /// Recomputes the whole chain and checks every sale and closed day against it. The error
    /// names the first record that does not match.
    pub fn verify(&self) -> Result<VerifyReport, LedgerError> {
        let tampered = |s: String| Err(LedgerError::Tampered(s));
        // Streamed, in memory only what must be compared later: a digest of each sale's last
        // snapshot and the hashes of the entries that seal closed days. (A ledger of a million
        // sales holds three million entries.)
        let sealed: HashSet<i64> = self.day_closes()?.iter().map(|c| c.event_id).collect();
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {ENTRY_COLUMNS} FROM events ORDER BY id"))?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS.to_owned();
        let mut expected_id = 1;
        let mut entries = 0u64;
        let mut last_snapshot: HashMap<i64, Option<[u8; 32]>> = HashMap::new();
        let mut hashes: HashMap<i64, String> = HashMap::new();
        while let Some(r) = rows.next()? {
            let e = entry_from_row(r)?;
            if e.id != expected_id {
                return tampered(format!(
                    "journal entry {expected_id} is missing (found {} next)",
                    e.id
                ));
            }
            if e.prev_hash != prev {
                return tampered(format!(
                    "journal entry {} does not follow entry {}",
                    e.id,
                    e.id - 1
                ));
            }
            let hash = entry_hash(
                &e.prev_hash,
                e.id,
                e.sale_id,
                &e.at,
                &e.kind,
                &e.detail,
                e.snapshot.as_deref(),
            );
            if hash != e.hash {
                return tampered(format!(
                    "journal entry {} ({} of sale id {:?}) was changed",
                    e.id, e.kind, e.sale_id
                ));
            }
            if let Some(sale) = e.sale_id {
                last_snapshot.insert(sale, e.snapshot.as_deref().map(digest));
            }
            if sealed.contains(&e.id) {
                hashes.insert(e.id, e.hash.clone());
            }
            prev = e.hash;
            expected_id += 1;
            entries += 1;
        }

        // Sales one row at a time, in receipt order per terminal.
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {} FROM sales ORDER BY terminal, receipt_no",
            sales::COLUMNS
        ))?;
        let mut rows = stmt.query([])?;
        let mut seen: HashSet<i64> = HashSet::new();
        let mut next_receipt: BTreeMap<String, i64> = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let sale = match sales::from_row(r) {
                Ok(s) => s,
                Err(e) => return tampered(format!("sale id {id} cannot be read: {e}")),
            };
            seen.insert(id);
            let expected = next_receipt.entry(sale.terminal.clone()).or_insert(1);
            if sale.receipt_no != *expected {
                return tampered(format!(
                    "receipt numbers of terminal {} jump from {} to {}",
                    sale.terminal,
                    *expected - 1,
                    sale.receipt_no
                ));
            }
            *expected += 1;
            let now = digest(&canonical(&sale)?);
            match last_snapshot.get(&id) {
                Some(Some(snap)) if *snap == now => {}
                Some(_) => {
                    return tampered(format!(
                        "sale with receipt {} differs from its journal",
                        sale.receipt_no
                    ))
                }
                None => {
                    return tampered(format!(
                        "sale with receipt {} has no journal entry",
                        sale.receipt_no
                    ))
                }
            }
        }
        if last_snapshot.keys().any(|id| !seen.contains(id)) {
            return tampered("the journal names a sale that is no longer in the ledger".into());
        }

        let mut next_refund: BTreeMap<String, i64> = BTreeMap::new();
        for refund in self.all_refunds()? {
            let expected = next_refund.entry(refund.terminal.clone()).or_insert(1);
            if refund.refund_no != *expected {
                return tampered(format!(
                    "refund numbers of terminal {} jump from {} to {}",
                    refund.terminal,
                    *expected - 1,
                    refund.refund_no
                ));
            }
            *expected += 1;
            let journaled = self.entry_detail(refund.event_id, "refund")?;
            if journaled.as_deref() != Some(canonical(&super::refunds::detail(&refund))?.as_str()) {
                return tampered(format!(
                    "refund {} of terminal {} differs from its journal",
                    refund.refund_no, refund.terminal
                ));
            }
        }
        let journaled = self.journaled_withdrawals()?;
        let withdrawals = self.withdrawals()?;
        if journaled.len() != withdrawals.len() {
            return tampered("the withdrawals do not match the journal".into());
        }
        for w in &withdrawals {
            let row = super::withdrawals::as_value(w)?;
            if !journaled.iter().any(|(id, v)| *id == w.id && *v == row) {
                return tampered(format!(
                    "the withdrawal of invoice {}... differs from its journal",
                    &w.payment_hash[..w.payment_hash.len().min(12)]
                ));
            }
        }

        let mut day_closes = 0u64;
        for close in self.day_closes()? {
            match hashes.get(&close.event_id) {
                Some(h) if *h == close.chain_head => day_closes += 1,
                _ => {
                    return tampered(format!(
                        "the close of {} does not match the journal",
                        close.day
                    ))
                }
            }
        }
        Ok(VerifyReport {
            entries,
            sales: seen.len() as u64,
            day_closes,
            head: prev,
        })
    }
}
