//! Withdrawals from the gateway's Lightning balance, one row per invoice (its payment hash is
//! unique), written before the gateway is asked to pay and updated with its answer, each change
//! journaled with the row as it now is. A Lightning invoice can be paid only once on the network,
//! and the till never asks twice for an invoice unless the gateway clearly refused it.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{chain, read_all, time_text, Ledger, LedgerError};

/// Where a withdrawal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum WithdrawalState {
    /// Written; the gateway is being asked.
    Sending,
    /// The gateway accepted it.
    Sent,
    /// The gateway clearly refused it: nothing was paid, it may be tried again.
    Refused,
    /// The answer was lost: it may have been paid. Never sent again; check the balance.
    Uncertain,
}

impl WithdrawalState {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Refused => "refused",
            Self::Uncertain => "uncertain",
        }
    }

    fn parse(s: &str) -> Result<Self, LedgerError> {
        Ok(match s {
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "refused" => Self::Refused,
            "uncertain" => Self::Uncertain,
            other => return Err(LedgerError::Corrupt(format!("withdrawal state {other:?}"))),
        })
    }
}

/// A withdrawal as the ledger holds it; its JSON form is what the journal chains, so a field
/// added here would make every withdrawal written before it fail verification: what a screen
/// derives (its sats) belongs in the shell's views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Withdrawal {
    /// Row id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The invoice's payment hash (hex): one withdrawal per invoice.
    pub payment_hash: String,
    /// The invoice paid.
    pub invoice: String,
    /// Its amount.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub amount_msat: u64,
    /// Where it is.
    pub state: WithdrawalState,
    /// The gateway's answer, verbatim (or why it failed).
    pub answer: Option<String>,
    /// A demo withdrawal from the demo gateway.
    pub training: bool,
    /// When it was first asked for.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
    /// Who asked for it (the owner whose PIN sent it). Absent from the rows and journal entries
    /// written before it was recorded, so those verify as they were chained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_by: Option<String>,
}

const COLUMNS: &str =
    "id, payment_hash, invoice, amount_msat, state, answer, training, created_at, updated_at, made_by";

fn from_row(r: &Row<'_>) -> Result<Withdrawal, LedgerError> {
    Ok(Withdrawal {
        id: r.get(0)?,
        payment_hash: r.get(1)?,
        invoice: r.get(2)?,
        amount_msat: r.get::<_, i64>(3)?.try_into().unwrap_or_default(),
        state: WithdrawalState::parse(&r.get::<_, String>(4)?)?,
        answer: r.get(5)?,
        training: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
        made_by: r.get(9)?,
    })
}

/// Why a withdrawal may not be asked for (now).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WithdrawalRefused {
    /// Asked for before, and paid or possibly paid.
    #[error(
        "this invoice was already sent to the gateway on {at} ({state}); it is never paid twice"
    )]
    AlreadySent {
        /// When.
        at: String,
        /// `sent`, `sending` or `uncertain`.
        state: &'static str,
    },
}

fn load(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<Withdrawal, LedgerError> {
    let mut stmt =
        tx.prepare_cached(&format!("SELECT {COLUMNS} FROM withdrawals WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => from_row(r),
        None => Err(LedgerError::Corrupt(format!("withdrawal {id} vanished"))),
    }
}

impl Ledger {
    /// Writes a withdrawal as `sending` before the gateway is asked, or refuses it when this
    /// invoice was already sent (a refused one is sent again, as the same row).
    pub fn begin_withdrawal(
        &mut self,
        payment_hash: &str,
        invoice: &str,
        amount_msat: u64,
        training: bool,
        made_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<Withdrawal, WithdrawalRefused>, LedgerError> {
        let tx = self.write()?;
        let existing: Option<(i64, String, String)> = tx
            .query_row(
                "SELECT id, state, created_at FROM withdrawals WHERE payment_hash = ?1",
                [payment_hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let at = time_text(now);
        let id = match existing {
            Some((id, state, created)) => {
                let state = WithdrawalState::parse(&state)?;
                if state != WithdrawalState::Refused {
                    return Ok(Err(WithdrawalRefused::AlreadySent {
                        at: created,
                        state: state.as_str(),
                    }));
                }
                tx.execute(
                    "UPDATE withdrawals SET state = 'sending', answer = NULL, updated_at = ?2, made_by = ?3 \
                     WHERE id = ?1",
                    params![id, at, made_by],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO withdrawals (payment_hash, invoice, amount_msat, state, answer, training, created_at, \
                     updated_at, made_by) VALUES (?1, ?2, ?3, 'sending', NULL, ?4, ?5, ?5, ?6)",
                    params![payment_hash, invoice, amount_msat as i64, training, at, made_by],
                )?;
                tx.last_insert_rowid()
            }
        };
        let row = load(&tx, id)?;
        chain::append(&tx, None, "withdrawal", &as_value(&row)?, None, now)?;
        tx.commit()?;
        Ok(Ok(row))
    }

    /// Records the gateway's answer (or why there is none).
    pub fn finish_withdrawal(
        &mut self,
        id: i64,
        state: WithdrawalState,
        answer: &str,
        now: DateTime<Utc>,
    ) -> Result<Withdrawal, LedgerError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE withdrawals SET state = ?2, answer = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, state.as_str(), answer, time_text(now)],
        )?;
        let row = load(&tx, id)?;
        chain::append(&tx, None, "withdrawal", &as_value(&row)?, None, now)?;
        tx.commit()?;
        Ok(row)
    }

    /// Every withdrawal, newest first.
    pub fn withdrawals(&self) -> Result<Vec<Withdrawal>, LedgerError> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM withdrawals ORDER BY id DESC"
        ))?;
        read_all(&mut stmt, [], from_row)
    }
}

/// A withdrawal row as its journal entry holds it.
fn as_value(w: &Withdrawal) -> Result<Value, LedgerError> {
    serde_json::to_value(w).map_err(|e| LedgerError::Corrupt(e.to_string()))
}
