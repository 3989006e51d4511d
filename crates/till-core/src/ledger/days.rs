//! Closed days: a Z report sealed with the chain's head at closing, once per day and terminal.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use serde_json::Value;

use super::{chain, time_text, Ledger, LedgerError};

/// A sealed day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayClose {
    /// The shop's calendar day, `YYYY-MM-DD`.
    pub day: String,
    /// The terminal.
    pub terminal: String,
    /// When it was closed (UTC).
    pub closed_at: String,
    /// The Z report, as JSON text.
    pub report: String,
    /// The journal entry that seals it.
    pub event_id: i64,
    /// That entry's hash: the chain's head at closing.
    pub chain_head: String,
}

impl Ledger {
    /// Seals `day` for `terminal` with `report`; refuses a second close.
    pub fn close_day(
        &mut self,
        day: &str,
        terminal: &str,
        report: &Value,
        now: DateTime<Utc>,
    ) -> Result<DayClose, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: Option<String> = tx
            .query_row(
                "SELECT closed_at FROM day_closes WHERE day = ?1 AND terminal = ?2",
                params![day, terminal],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(at) = exists {
            return Err(LedgerError::AlreadyClosed(format!(
                "{day} (closed at {at})"
            )));
        }
        let detail = serde_json::json!({"day": day, "terminal": terminal, "report": report});
        let (event_id, head) = chain::append(&tx, None, "day_closed", &detail, None, now)?;
        let report_text = super::canonical(report)?;
        tx.execute(
            "INSERT INTO day_closes (day, terminal, closed_at, report, event_id, chain_head) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![day, terminal, time_text(now), report_text, event_id, head],
        )?;
        tx.commit()?;
        Ok(DayClose {
            day: day.into(),
            terminal: terminal.into(),
            closed_at: time_text(now),
            report: report_text,
            event_id,
            chain_head: head,
        })
    }

    /// The close of one day, if it was closed.
    pub fn day_close(&self, day: &str, terminal: &str) -> Result<Option<DayClose>, LedgerError> {
        Ok(self
            .closes("WHERE day = ?1 AND terminal = ?2", params![day, terminal])?
            .into_iter()
            .next())
    }

    /// Every closed day, oldest first.
    pub fn day_closes(&self) -> Result<Vec<DayClose>, LedgerError> {
        self.closes("", params![])
    }

    fn closes(&self, filter: &str, p: impl rusqlite::Params) -> Result<Vec<DayClose>, LedgerError> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT day, terminal, closed_at, report, event_id, chain_head FROM day_closes {filter} ORDER BY day, terminal"
        ))?;
        let rows = stmt.query_map(p, |r| {
            Ok(DayClose {
                day: r.get(0)?,
                terminal: r.get(1)?,
                closed_at: r.get(2)?,
                report: r.get(3)?,
                event_id: r.get(4)?,
                chain_head: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
