//! How the ledger writes things down: times (sortable text), document labels, and the canonical
//! JSON the journal hashes. The bottom of the ledger with `error`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::LedgerError;

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

/// How a document is numbered for people: training documents carry a `T` so they can never be
/// taken for real ones (`12`, `T3`; refunds `R4`, `TR1`; Z reports `Z2`, `TZ1`).
pub fn label(prefix: &str, training: bool, number: i64) -> String {
    format!("{}{prefix}{number}", if training { "T" } else { "" })
}

/// Serializes a value to the canonical JSON stored in the journal.
pub(super) fn canonical<T: Serialize>(value: &T) -> Result<String, LedgerError> {
    serde_json::to_string(value).map_err(|e| LedgerError::Corrupt(e.to_string()))
}
