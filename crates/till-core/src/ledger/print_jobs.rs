//! The print queue: every receipt and report to print is written here first, with the bytes
//! laid out for its printer, and marked printed only once the printer took them all. A printer
//! that is off, out of paper or unplugged leaves its jobs waiting (with the reason) for the next
//! try, across restarts: a sale never waits for paper, and no receipt is lost. Print jobs are
//! not documents of the books, so they are not journaled.

use chrono::{DateTime, Utc};
use rusqlite::{params, Row};

use super::{read_all, time_text, Ledger, LedgerError};

/// A job in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    /// Row id: jobs print in this order.
    pub id: i64,
    /// When it was queued.
    pub created_at: String,
    /// What it is, in words (`receipt 12`, `Z3 report`).
    pub what: String,
    /// The printer it was laid out for.
    pub printer: String,
    /// The bytes to send.
    pub bytes: Vec<u8>,
    /// How many times it was tried.
    pub tries: i64,
    /// Why the last try failed.
    pub problem: Option<String>,
}

const COLUMNS: &str = "id, created_at, what, printer, bytes, tries, problem";

fn from_row(r: &Row<'_>) -> Result<PrintJob, LedgerError> {
    Ok(PrintJob {
        id: r.get(0)?,
        created_at: r.get(1)?,
        what: r.get(2)?,
        printer: r.get(3)?,
        bytes: r.get(4)?,
        tries: r.get(5)?,
        problem: r.get(6)?,
    })
}

impl Ledger {
    /// Queues a job; it waits until printed.
    pub fn add_print_job(
        &mut self,
        what: &str,
        printer: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<i64, LedgerError> {
        let at = time_text(now);
        self.conn().execute(
            "INSERT INTO print_jobs (created_at, what, printer, bytes, state, updated_at) \
             VALUES (?1, ?2, ?3, ?4, 'waiting', ?1)",
            params![at, what, printer, bytes],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// The jobs waiting, oldest first.
    pub fn waiting_print_jobs(&self) -> Result<Vec<PrintJob>, LedgerError> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM print_jobs INDEXED BY print_jobs_waiting \
             WHERE state = 'waiting' ORDER BY id"
        ))?;
        read_all(&mut stmt, [], from_row)
    }

    /// The printer took the job whole.
    pub fn print_job_printed(&mut self, id: i64, now: DateTime<Utc>) -> Result<(), LedgerError> {
        self.conn().execute(
            "UPDATE print_jobs SET state = 'printed', tries = tries + 1, problem = NULL, \
             updated_at = ?2 WHERE id = ?1",
            params![id, time_text(now)],
        )?;
        Ok(())
    }

    /// A try failed: the job keeps waiting, with the reason.
    pub fn print_job_failed(
        &mut self,
        id: i64,
        problem: &str,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        self.conn().execute(
            "UPDATE print_jobs SET tries = tries + 1, problem = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, problem, time_text(now)],
        )?;
        Ok(())
    }

    /// Whether a job called `what` was ever queued (printed, waiting or dropped).
    pub fn print_job_named(&self, what: &str) -> Result<bool, LedgerError> {
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM print_jobs WHERE what = ?1",
            params![what],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// Takes a waiting job out of the queue without printing it (the shop does not want it).
    pub fn drop_print_job(&mut self, id: i64, now: DateTime<Utc>) -> Result<bool, LedgerError> {
        let n = self.conn().execute(
            "UPDATE print_jobs SET state = 'dropped', updated_at = ?2 \
             WHERE id = ?1 AND state = 'waiting'",
            params![id, time_text(now)],
        )?;
        Ok(n == 1)
    }
}
