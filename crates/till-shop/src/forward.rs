//! A till's side of the shop link: its journal's entries, in order, to `till_shop.ingest`.

use serde::Deserialize;
use serde_json::json;
use till_core::ledger::JournalEntry;

use crate::ShopError;

/// What the server did with a batch.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Ingested {
    /// Entries it took.
    pub accepted: i64,
    /// Entries it already held with the same bytes (a resend after a lost answer).
    pub duplicates: i64,
    /// The last entry of this till it holds.
    pub head_id: i64,
    /// That entry's hash.
    pub head_hash: String,
}

#[derive(Deserialize)]
struct Answer {
    accepted: i64,
    duplicates: i64,
    head_id: i64,
    head_hash: String,
    alarm: Option<Alarm>,
}

#[derive(Deserialize)]
struct Alarm {
    kind: String,
    entry_id: i64,
    detail: String,
}

/// Sends `entries` (in order, one transaction) for the till named `terminal`. An alarm (a gap,
/// a fork, a broken chain, or one raised earlier and not cleared) is an error: the till stops
/// forwarding and tells its owner; entries before the one it stopped at are kept by the server.
pub async fn send(
    client: &tokio_postgres::Client,
    terminal: &str,
    entries: &[JournalEntry],
) -> Result<Ingested, ShopError> {
    let batch = json!(entries);
    let row = client
        .query_one("SELECT till_shop.ingest($1, $2)", &[&terminal, &batch])
        .await?;
    let answer: serde_json::Value = row.get(0);
    let answer: Answer = serde_json::from_value(answer)
        .map_err(|e| ShopError::Refused(format!("the server's answer was not understood: {e}")))?;
    if let Some(alarm) = answer.alarm {
        return Err(ShopError::Alarm {
            kind: alarm.kind,
            entry_id: alarm.entry_id,
            detail: alarm.detail,
        });
    }
    Ok(Ingested {
        accepted: answer.accepted,
        duplicates: answer.duplicates,
        head_id: answer.head_id,
        head_hash: answer.head_hash,
    })
}

/// The ledger setting that holds the last entry the server has confirmed (not journaled: it is
/// the link's state, not the shop's books).
pub const WATERMARK: &str = "shop_sent_id";

/// How many entries go in one call of `ingest`.
pub const BATCH: usize = 500;

/// What one round of forwarding did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Synced {
    /// Entries the server took.
    pub accepted: i64,
    /// Entries it already held (sent before, their answer lost).
    pub duplicates: i64,
    /// The last entry the server now holds.
    pub head_id: i64,
}

/// Sends everything after the watermark, batch by batch, until the server holds the whole
/// journal; the watermark moves after each answer. A crash between the server's commit and the
/// watermark's update only means the next round resends that batch and the server answers
/// "duplicate": nothing is lost or counted twice.
///
/// Each round first asks where the server's copy ends (an empty batch, which also says whether
/// the server can be reached and whether an alarm stands). A server that holds less than the
/// watermark says (restored from a backup, say) gets the journal again from where its copy
/// ends, as long as its last entry is the till's own; otherwise the gap raises its alarm. An
/// alarm stops the round with the error, and is remembered in the ledger's settings ([`ALARM`])
/// for the till's screens until a round goes through.
pub async fn sync_once(
    ledger: &mut till_core::ledger::Ledger,
    client: &tokio_postgres::Client,
    terminal: &str,
) -> Result<Synced, ShopError> {
    let remember = |ledger: &mut till_core::ledger::Ledger, e: ShopError| {
        if matches!(e, ShopError::Alarm { .. }) {
            ledger.set_setting(ALARM, &e.to_string())?;
        }
        Err(e)
    };
    let head = match send(client, terminal, &[]).await {
        Ok(h) => h,
        Err(e) => return remember(ledger, e),
    };
    let mut sent = watermark(ledger)?;
    if head.head_id < sent {
        let ours = if head.head_id == 0 {
            Some(till_core::ledger::GENESIS.to_owned())
        } else {
            ledger
                .entries_after(head.head_id - 1, 1)?
                .into_iter()
                .next()
                .map(|e| e.hash)
        };
        if ours.as_deref() == Some(head.head_hash.as_str()) {
            sent = head.head_id;
            ledger.set_setting(WATERMARK, &sent.to_string())?;
        }
    }
    let mut done = Synced {
        head_id: head.head_id,
        ..Synced::default()
    };
    loop {
        let batch = ledger.entries_after(sent, BATCH)?;
        let Some(last_id) = batch.last().map(|e| e.id) else {
            // Everything is there: the shop may count this till caught up as of now.
            client
                .execute("SELECT till_shop.heartbeat($1, $2)", &[&terminal, &sent])
                .await?;
            ledger.set_settings(&[
                (SENT_AT, &till_core::ledger::time_text(chrono::Utc::now())),
                (ALARM, ""),
            ])?;
            return Ok(done);
        };
        let answer = match send(client, terminal, &batch).await {
            Ok(a) => a,
            Err(e) => return remember(ledger, e),
        };
        done.accepted += answer.accepted;
        done.duplicates += answer.duplicates;
        done.head_id = answer.head_id;
        sent = last_id;
        ledger.set_setting(WATERMARK, &sent.to_string())?;
    }
}

/// The ledger setting that holds when the server last confirmed the whole journal (UTC).
pub const SENT_AT: &str = "shop_sent_at";

/// The ledger setting that holds the alarm the server raised on the last round (empty: none).
pub const ALARM: &str = "shop_alarm";

/// Where the link stands as the till's own ledger records it (no server asked).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Local {
    /// Entries the server has not confirmed.
    pub waiting: i64,
    /// The last entry it confirmed (0 before the first).
    pub last_sent_id: i64,
    /// When it last confirmed the whole journal (UTC).
    pub last_sent_at: Option<String>,
    /// The alarm the last round met, if any.
    pub alarm: Option<String>,
}

/// The link as the ledger records it: what `till shop status` and the app's light show when
/// the server is not asked or cannot be reached.
pub fn local(ledger: &till_core::ledger::Ledger) -> Result<Local, ShopError> {
    let text = |key: &str| -> Result<Option<String>, ShopError> {
        Ok(ledger.setting(key)?.filter(|v| !v.is_empty()))
    };
    // One read of the watermark for both: the two figures then always agree.
    let last_sent_id = watermark(ledger)?;
    Ok(Local {
        waiting: unsent(ledger, last_sent_id)?,
        last_sent_id,
        last_sent_at: text(SENT_AT)?,
        alarm: text(ALARM)?,
    })
}

/// How many entries of the journal the server has not confirmed yet.
pub fn waiting(ledger: &till_core::ledger::Ledger) -> Result<i64, ShopError> {
    unsent(ledger, watermark(ledger)?)
}

/// The entries after `watermark`.
fn unsent(ledger: &till_core::ledger::Ledger, watermark: i64) -> Result<i64, ShopError> {
    Ok((ledger.last_entry_id()? - watermark).max(0))
}

/// The last entry the server has confirmed (0 before the first).
pub fn watermark(ledger: &till_core::ledger::Ledger) -> Result<i64, ShopError> {
    Ok(ledger
        .setting(WATERMARK)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}
