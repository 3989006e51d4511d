//! The ledger: the till's truth, in SQLite.
//!
//! - WAL mode with `synchronous=FULL`: every committed transition survives a power cut.
//! - The schema steps forward through numbered migrations (`rusqlite_migration`, which records
//!   the version in SQLite's `user_version`).
//! - Two books per terminal, live and training: each numbers its receipts and refunds gap-free
//!   from 1 (assigned inside the insert's transaction; rows are never deleted), so nothing done
//!   in training can leave a gap in the live series.
//! - Every change appends an entry to one journal (`events`), each entry carrying the SHA-256 of
//!   the one before and, for a sale, a snapshot of the sale as it now is. `crate::verify`
//!   recomputes the chain and names the first record that does not match.
//! - Z reports are numbered per terminal and book; each seals every document since the one before
//!   (see [`zreports`]), so every sale, refund and late payment lands in exactly one Z.
//! - The settings that money and trust depend on (the PIN's hash, the shop's and terminal's
//!   names, the currency, the gateway, the time zone) are journaled whenever they change.

pub mod cart;
pub mod catalog;
mod chain;
#[cfg(test)]
mod cost_tests;
mod error;
mod journal;
mod print_jobs;
pub(crate) mod refunds;
mod sales;
mod schema;
mod shifts;
mod staff;
mod text;
mod upgrade;
mod withdrawals;
pub mod zreports;

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use cart::{CartLine, StoredCart};
pub use catalog::{Category, Imported, Item, ItemQuery, ItemRow, TaxRate};
pub use chain::{JournalEntry, GENESIS};
pub use error::LedgerError;
pub use journal::Anchor;
pub use print_jobs::PrintJob;
pub use refunds::{NewRefund, Refund, RefundMethod, RefundRefused, RefundState};
pub use sales::{CashPaid, NewSale, Sale, Tender};
pub use shifts::{shift_document, CashMove, CashMoveKind, Drawer, NewShiftClose, Shift};
pub use staff::StaffRow;
use text::canonical;
pub use text::{label, parse_time, time_text};
pub use withdrawals::{Withdrawal, WithdrawalRefused, WithdrawalState};
pub use zreports::{Period, ZReport};

/// The ledger's file name inside the data folder (the app and the `till` command share it).
pub const FILE_NAME: &str = "ledger.sqlite";

/// The settings whose every change is journaled, so `verify` notices one changed behind the
/// till's back: whoever can rewrite them can take the shop's money or hide its sales.
pub const JOURNALED_SETTINGS: [&str; 6] = [
    "shop_name",
    "terminal_name",
    "shop_currency",
    "gateway_url",
    "network",
    "timezone",
];

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
///
/// A passive checkpoint alone lets the WAL grow without end while writes never pause (the WAL
/// starts again from its beginning only after a checkpoint that caught up, and a busy writer keeps
/// it behind): a bulk load grew it to 50 GB. So when the WAL has passed [`WAL_LIMIT`], the
/// checkpointer also truncates it, waiting its turn between two commits.
#[derive(Debug)]
struct Checkpointer {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// How often the background checkpointer runs.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The WAL's size past which the checkpointer truncates it.
pub const WAL_LIMIT: u64 = 64 * 1024 * 1024;

/// SQLite's page cache for the ledger's connection, in KiB (SQLite's default is 2,000). Over a
/// day the cache fills with the pages of the day's sales and stays full, memory the till holds
/// all day for reads the operating system's file cache serves in microseconds: a commit touches
/// a few dozen pages, the history and the day's report a few hundred.
pub const PAGE_CACHE_KIB: i64 = 512;

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
                        c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
                        if wal_size(&path) > WAL_LIMIT {
                            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
                        }
                        Ok(())
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

/// The size of the ledger's WAL file (0 when there is none).
fn wal_size(path: &Path) -> u64 {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
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
        crate::platform::folders::restrict_to_owner(data_dir);
        Self::open(&data_dir.join(FILE_NAME))
    }

    /// A ledger in memory, for tests.
    pub fn in_memory() -> Result<Self, LedgerError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, LedgerError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Off while the schema steps forward (a rebuilt table is referred to by others), on after.
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        schema::migrate(&mut conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut ledger = Self {
            conn,
            checkpointer: None,
        };
        upgrade::finish(&mut ledger)?;
        Ok(ledger)
    }

    /// Turns the fsync at each commit off for a bulk load (benchmarks generating a large ledger)
    /// or back on. The till itself never turns it off: `open` makes every commit durable. A bulk
    /// load also checkpoints in its own commits, as SQLite does by default: writes that never
    /// pause would leave the background checkpointer behind.
    pub fn set_durable(&self, durable: bool) -> Result<(), LedgerError> {
        self.conn
            .pragma_update(None, "synchronous", if durable { "FULL" } else { "OFF" })?;
        let inline_checkpoint = if durable && self.checkpointer.is_some() {
            0
        } else {
            1000
        };
        self.conn
            .pragma_update(None, "wal_autocheckpoint", inline_checkpoint)?;
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

    /// Sets one setting (see [`Ledger::set_settings`]).
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), LedgerError> {
        self.set_settings(&[(key, value)])
    }

    /// Sets several settings in one transaction: all or none. Each change of a
    /// [`JOURNALED_SETTINGS`] key is journaled; the others (a chime, a window's place) are
    /// configuration only. Writing the value a setting already has journals nothing.
    pub fn set_settings(&mut self, pairs: &[(&str, &str)]) -> Result<(), LedgerError> {
        let now = Utc::now();
        let tx = self.write()?;
        for (key, value) in pairs {
            let old: Option<String> = {
                use rusqlite::OptionalExtension;
                tx.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?
            };
            if old.as_deref() == Some(*value) {
                continue;
            }
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            if JOURNALED_SETTINGS.contains(key) {
                journal_setting(&tx, key, value, now)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The connection, for the submodules.
    fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A write transaction that takes the lock at once (two processes never interleave inside).
    fn write(&mut self) -> Result<Transaction<'_>, LedgerError> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

/// Every row `stmt` answers for `args`, each read by `read`.
fn read_all<T>(
    stmt: &mut rusqlite::Statement<'_>,
    args: impl rusqlite::Params,
    read: impl Fn(&rusqlite::Row<'_>) -> Result<T, LedgerError>,
) -> Result<Vec<T>, LedgerError> {
    let mut rows = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read(r)?);
    }
    Ok(out)
}

fn journal_setting(
    tx: &Transaction<'_>,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
) -> Result<(), LedgerError> {
    chain::append(
        tx,
        None,
        "setting",
        &serde_json::json!({"key": key, "value": value}),
        None,
        now,
    )?;
    Ok(())
}
