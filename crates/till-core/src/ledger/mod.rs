//! The ledger: the till's truth, in SQLite.
//!
//! - WAL mode with `synchronous=FULL`: every committed transition survives a power cut.
//! - The schema steps forward through numbered migrations (`rusqlite_migration`, which records
//!   the version in SQLite's `user_version`).
//! - Receipt numbers are gap-free per terminal: assigned inside the insert's transaction, and
//!   rows are never deleted.
//! - Every change appends an entry to one journal (`events`), each entry carrying the SHA-256 of
//!   the one before and a snapshot of the sale as it now is; [`Ledger::verify`] recomputes the
//!   chain and names the first record that does not match.
//! - A closed day is sealed with its totals and the chain's head at closing.
//! - Refunds are numbered documents and withdrawals one row per invoice; both are journaled and
//!   checked by `verify` like the sales.

mod chain;
mod days;
mod refunds;
mod sales;
mod schema;
mod withdrawals;

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;
use serde::Serialize;

pub use chain::{JournalEntry, VerifyReport};
pub use days::DayClose;
pub use refunds::{NewRefund, Refund, RefundRefused};
pub use sales::{NewSale, Sale};
pub use withdrawals::{Withdrawal, WithdrawalRefused, WithdrawalState};

/// What can go wrong with the ledger. Each says what it means for the till.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// SQLite itself failed (disk full, file locked too long, ...).
    #[error("the ledger could not be read or written: {0}")]
    Storage(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("the ledger's schema could not be updated: {0}")]
    Migration(String),
    /// No sale with that receipt number.
    #[error("there is no sale with receipt number {0}")]
    NoSuchReceipt(i64),
    /// A stored value cannot be read back (a hand-edited or corrupt row).
    #[error("the ledger holds a value it cannot read ({0}); run `till verify`")]
    Corrupt(String),
    /// The day was closed already.
    #[error("{0} is already closed")]
    AlreadyClosed(String),
    /// The chain does not verify.
    #[error("the ledger has been altered: {0}")]
    Tampered(String),
    /// The data folder cannot be created.
    #[error("cannot create the data folder {0}")]
    Folder(String),
}

/// The ledger's file name inside the data folder (the app and the `till` command share it).
pub const FILE_NAME: &str = "ledger.sqlite";

/// The ledger.
#[derive(Debug)]
pub struct Ledger {
    conn: Connection,
    /// Tells the background checkpointer (file ledgers only) to stop when the ledger goes.
    checkpointer: Option<Checkpointer>,
}

/// Copies the WAL back into the database file every few seconds on its own connection and
/// thread, so no sale's commit pays for it: with SQLite's automatic checkpoint, one commit in a
/// few hundred copied up to 4 MB and synced the main file (the slowest 1 % in BENCHMARKS.md).
/// A passive checkpoint never blocks a writer; SQLite still checkpoints when the last connection
/// closes.
#[derive(Debug)]
struct Checkpointer {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// How often the background checkpointer runs.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

impl Checkpointer {
    fn start(path: &Path) -> Self {
        use std::sync::atomic::Ordering;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let path = path.to_owned();
        let spawned = std::thread::Builder::new()
            .name("ledger-checkpoint".into())
            .spawn(move || {
                let step = std::time::Duration::from_millis(100);
                let mut waited = std::time::Duration::ZERO;
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(step);
                    waited += step;
                    if waited < CHECKPOINT_EVERY {
                        continue;
                    }
                    waited = std::time::Duration::ZERO;
                    let done = Connection::open(&path).and_then(|c| {
                        c.busy_timeout(std::time::Duration::from_secs(1))?;
                        c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    });
                    if let Err(e) = done {
                        tracing::debug!("background checkpoint skipped: {e}");
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("no background checkpoint ({e}); SQLite checkpoints at close");
        }
        Self { stop }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// UTC time as the ledger writes it: RFC 3339 with milliseconds and `Z`, sortable as text.
pub fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads a time written by [`time_text`].
pub fn parse_time(s: &str) -> Result<DateTime<Utc>, LedgerError> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| LedgerError::Corrupt(format!("time {s:?}")))
}

impl Ledger {
    /// Opens (creating if needed) the ledger at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, LedgerError> {
        let conn = Connection::open(path)?;
        let mut ledger = Self::init(conn)?;
        // Checkpoints move off the commit path (see `Checkpointer`).
        ledger.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        ledger.checkpointer = Some(Checkpointer::start(path));
        Ok(ledger)
    }

    /// Opens the ledger in `data_dir`, creating the folder (readable by its owner only) if needed.
    pub fn open_in(data_dir: &Path) -> Result<Self, LedgerError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| LedgerError::Folder(format!("{}: {e}", data_dir.display())))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700));
        }
        Self::open(&data_dir.join(FILE_NAME))
    }

    /// A ledger in memory, for tests.
    pub fn in_memory() -> Result<Self, LedgerError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, LedgerError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        Ok(Self {
            conn,
            checkpointer: None,
        })
    }

    /// Turns the fsync at each commit off for a bulk load (benchmarks generating a large ledger)
    /// or back on. The till itself never turns it off: `open` makes every commit durable.
    pub fn set_durable(&self, durable: bool) -> Result<(), LedgerError> {
        self.conn
            .pragma_update(None, "synchronous", if durable { "FULL" } else { "OFF" })?;
        Ok(())
    }

    /// A setting's value.
    pub fn setting(&self, key: &str) -> Result<Option<String>, LedgerError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a setting (settings are configuration, not sales: not journaled).
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), LedgerError> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// The connection, for the submodules.
    fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Serializes a value to the canonical JSON stored in the journal.
fn canonical<T: Serialize>(value: &T) -> Result<String, LedgerError> {
    serde_json::to_string(value).map_err(|e| LedgerError::Corrupt(e.to_string()))
}
