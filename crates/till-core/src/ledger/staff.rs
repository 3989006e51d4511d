//! The staff as stored: one row per person ever on it (a removed person keeps their row, since
//! documents carry their name), each change journaled with the row as it now is. The journal
//! holds a digest of the PIN's hash, not the hash itself: `verify` notices a PIN swapped behind
//! the till's back without the journal handing out anything to crack.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{chain, read_all, time_text, Ledger, LedgerError};
use crate::people::Role;

/// A staff row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    /// Row id.
    pub id: i64,
    /// The name documents record.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// Their PIN's Argon2id hash.
    pub pin_hash: String,
    /// When added (or taken back).
    pub added_at: String,
    /// When removed; none while on the staff.
    pub removed_at: Option<String>,
}

impl StaffRow {
    /// The row as its journal entries hold it.
    pub fn document(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "role": self.role.as_str(),
            "pin": hex::encode(Sha256::digest(self.pin_hash.as_bytes())),
            "added_at": self.added_at,
            "removed_at": self.removed_at,
        })
    }
}

const COLUMNS: &str = "id, name, role, pin_hash, added_at, removed_at";

fn from_row(r: &Row<'_>) -> Result<StaffRow, LedgerError> {
    let role: String = r.get(2)?;
    Ok(StaffRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).map_err(|_| LedgerError::Corrupt(format!("role {role:?}")))?,
        pin_hash: r.get(3)?,
        added_at: r.get(4)?,
        removed_at: r.get(5)?,
    })
}

fn journal(tx: &rusqlite::Transaction<'_>, id: i64, now: DateTime<Utc>) -> Result<(), LedgerError> {
    let row = {
        let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM staff WHERE id = ?1"))?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(r) => from_row(r)?,
            None => return Err(LedgerError::Corrupt(format!("staff id {id} vanished"))),
        }
    };
    chain::append(tx, None, "staff", &row.document(), None, now)?;
    Ok(())
}

impl Ledger {
    /// The people on the staff now, by name.
    pub fn staff(&self) -> Result<Vec<StaffRow>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM staff WHERE removed_at IS NULL ORDER BY name"
        ))?;
        read_all(&mut stmt, [], from_row)
    }

    /// Everyone ever on the staff, by row (for `verify`).
    pub fn staff_rows(&self) -> Result<Vec<StaffRow>, LedgerError> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {COLUMNS} FROM staff ORDER BY id"))?;
        read_all(&mut stmt, [], from_row)
    }

    /// Whether anyone is on the staff.
    pub fn has_staff(&self) -> Result<bool, LedgerError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM staff WHERE removed_at IS NULL LIMIT 1",
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Adds someone, or takes back a removed person of that name, and journals it.
    pub fn put_staff(
        &mut self,
        name: &str,
        role: Role,
        pin_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<StaffRow, LedgerError> {
        let tx = self.write()?;
        let at = time_text(now);
        let earlier: Option<i64> = tx
            .query_row(
                "SELECT id FROM staff WHERE name = ?1 AND removed_at IS NOT NULL",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        let id = match earlier {
            Some(id) => {
                tx.execute(
                    "UPDATE staff SET name = ?2, role = ?3, pin_hash = ?4, added_at = ?5, removed_at = NULL WHERE id = ?1",
                    params![id, name, role.as_str(), pin_hash, at],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO staff (name, role, pin_hash, added_at) VALUES (?1, ?2, ?3, ?4)",
                    params![name, role.as_str(), pin_hash, at],
                )?;
                tx.last_insert_rowid()
            }
        };
        journal(&tx, id, now)?;
        let row = {
            let mut stmt =
                tx.prepare_cached(&format!("SELECT {COLUMNS} FROM staff WHERE id = ?1"))?;
            let mut rows = stmt.query([id])?;
            from_row(rows.next()?.ok_or(LedgerError::Corrupt("staff".into()))?)?
        };
        tx.commit()?;
        Ok(row)
    }

    /// Takes someone off the staff, and journals it.
    pub fn remove_staff(&mut self, id: i64, now: DateTime<Utc>) -> Result<(), LedgerError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE staff SET removed_at = ?2 WHERE id = ?1",
            params![id, time_text(now)],
        )?;
        journal(&tx, id, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces someone's PIN hash, and journals it.
    pub fn set_staff_pin(
        &mut self,
        id: i64,
        pin_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE staff SET pin_hash = ?2 WHERE id = ?1",
            params![id, pin_hash],
        )?;
        journal(&tx, id, now)?;
        tx.commit()?;
        Ok(())
    }
}

/// The one PIN of a ledger written before people existed becomes its owner's, named "Owner",
/// inside the caller's transaction (migration V5's Rust half); the old setting goes.
pub(super) fn adopt_manager_pin(
    tx: &rusqlite::Transaction<'_>,
    now: DateTime<Utc>,
) -> Result<(), LedgerError> {
    let hash: Option<String> = tx
        .query_row(
            "SELECT value FROM settings WHERE key = 'manager_pin'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(hash) = hash.filter(|h| !h.is_empty()) {
        tx.execute(
            "INSERT INTO staff (name, role, pin_hash, added_at) VALUES ('Owner', 'owner', ?1, ?2)",
            params![hash, time_text(now)],
        )?;
        journal(tx, tx.last_insert_rowid(), now)?;
    }
    tx.execute("DELETE FROM settings WHERE key = 'manager_pin'", [])?;
    Ok(())
}
