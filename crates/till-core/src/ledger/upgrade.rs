//! What migration V3 leaves to Rust, done once in one transaction when a ledger written before
//! it is first opened (the `upgrade_v3` marker):
//!
//! - the old shared receipt and refund series: where each terminal's ended is recorded (and
//!   journaled), and both books go on from there, so no number is ever given twice;
//! - the old day closes, now the first Z reports: the sales and refunds each sealed (those of its
//!   day that existed when it was closed) are marked with it, so the first new Z seals what they
//!   missed, including a late payment of a sale they sealed unpaid;
//! - the settings that are now journaled get their first entry, with the value they have.
//!
//! `crate::verify` applies the same rules to the journal, so an upgraded ledger verifies.

use std::collections::BTreeMap;

use chrono::Utc;
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

use super::{chain, journal_setting, time_text, Ledger, LedgerError, JOURNALED_SETTINGS};
use crate::calendar;

const MARKER: &str = "upgrade_v3";
const MARKER_V5: &str = "upgrade_v5";

fn maxima(tx: &rusqlite::Transaction<'_>, sql: &str) -> Result<BTreeMap<String, i64>, LedgerError> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<BTreeMap<_, _>, _>>()?)
}

pub(super) fn finish(ledger: &mut Ledger) -> Result<(), LedgerError> {
    finish_v3(ledger)?;
    finish_v5(ledger)
}

/// Migration V5's Rust half: the one manager PIN becomes the owner's (see `staff`).
fn finish_v5(ledger: &mut Ledger) -> Result<(), LedgerError> {
    if ledger.setting(MARKER_V5)?.as_deref() != Some("pending") {
        return Ok(());
    }
    let tx = ledger.write()?;
    super::staff::adopt_manager_pin(&tx, Utc::now())?;
    tx.execute("DELETE FROM settings WHERE key = ?1", [MARKER_V5])?;
    tx.commit()?;
    Ok(())
}

fn finish_v3(ledger: &mut Ledger) -> Result<(), LedgerError> {
    if ledger.setting(MARKER)?.as_deref() != Some("pending") {
        return Ok(());
    }
    let now = Utc::now();
    let tx = ledger.write()?;

    let receipts = maxima(
        &tx,
        "SELECT terminal, MAX(receipt_no) FROM sales GROUP BY terminal",
    )?;
    let refunds = maxima(
        &tx,
        "SELECT terminal, MAX(refund_no) FROM refunds GROUP BY terminal",
    )?;
    for (series, list) in [("receipt", &receipts), ("refund", &refunds)] {
        for (terminal, last) in list {
            tx.execute(
                "INSERT INTO legacy_numbers (terminal, series, last) VALUES (?1, ?2, ?3)",
                params![terminal, series, last],
            )?;
        }
    }
    if !receipts.is_empty() || !refunds.is_empty() {
        chain::append(
            &tx,
            None,
            "books_split",
            &json!({"receipts": receipts, "refunds": refunds}),
            None,
            now,
        )?;
    }

    let closes: Vec<(i64, String, bool, i64, String)> = {
        let mut stmt = tx.prepare(
            "SELECT id, terminal, training, event_id, report FROM z_reports \
             WHERE legacy_day IS NOT NULL ORDER BY event_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    for (z_id, terminal, training, event_id, report) in closes {
        let report: Value = serde_json::from_str(&report)
            .map_err(|e| LedgerError::Corrupt(format!("an old day close: {e}")))?;
        let day = report["day"]
            .as_str()
            .and_then(|d| calendar::parse_day(d).ok());
        let tz = report["timezone"]
            .as_str()
            .and_then(|t| t.parse::<chrono_tz::Tz>().ok());
        let (Some(day), Some(tz)) = (day, tz) else {
            return Err(LedgerError::Corrupt("an old day close names no day".into()));
        };
        let (from, to) = calendar::day_bounds(day, tz);
        let sealed: Vec<i64> = {
            let mut stmt = tx.prepare(
                "SELECT id FROM sales s WHERE terminal = ?1 AND training = ?2 AND z_id IS NULL \
                 AND created_at >= ?3 AND created_at < ?4 \
                 AND (SELECT MIN(id) FROM events e WHERE e.sale_id = s.id) < ?5",
            )?;
            let rows = stmt.query_map(
                params![terminal, training, time_text(from), time_text(to), event_id],
                |r| r.get(0),
            )?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        for sale_id in sealed {
            let snapshot: Option<String> = tx
                .query_row(
                    "SELECT snapshot FROM events WHERE sale_id = ?1 AND id < ?2 AND snapshot IS NOT NULL \
                     ORDER BY id DESC LIMIT 1",
                    params![sale_id, event_id],
                    |r| r.get(0),
                )
                .optional()?;
            let state = snapshot
                .and_then(|s| serde_json::from_str::<Value>(&s).ok())
                .and_then(|v| v["state"].as_str().map(str::to_owned))
                .ok_or_else(|| {
                    LedgerError::Corrupt(format!("sale id {sale_id} has no snapshot"))
                })?;
            tx.execute(
                "UPDATE sales SET z_id = ?2, z_state = ?3 WHERE id = ?1",
                params![sale_id, z_id, state],
            )?;
        }
        tx.execute(
            "UPDATE refunds SET z_id = ?1 WHERE terminal = ?2 AND training = ?3 AND z_id IS NULL \
             AND created_at >= ?4 AND created_at < ?5 AND event_id < ?6",
            params![
                z_id,
                terminal,
                training,
                time_text(from),
                time_text(to),
                event_id
            ],
        )?;
    }

    for key in JOURNALED_SETTINGS {
        let value: Option<String> = tx
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(value) = value {
            journal_setting(&tx, key, &value, now)?;
        }
    }
    tx.execute("DELETE FROM settings WHERE key = ?1", [MARKER])?;
    tx.commit()?;
    Ok(())
}

impl Ledger {
    /// Where an older ledger's shared series ended, per terminal (`receipt` or `refund`).
    pub fn legacy_numbers(&self, series: &str) -> Result<BTreeMap<String, i64>, LedgerError> {
        let mut stmt = self
            .conn()
            .prepare("SELECT terminal, last FROM legacy_numbers WHERE series = ?1")?;
        let rows = stmt.query_map([series], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<BTreeMap<_, _>, _>>()?)
    }
}
