//! Decoders that read what the gateway sends in whichever form it sends it: ids and counts as
//! strings or numbers, flags as booleans, numbers or words, timestamps with or without a zone.
//! Each refuses what it cannot read with a short excerpt, never the whole input.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{de, Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

/// Reads a JSON string or number as text (an order id of 20 digits overflows an integer).
pub(crate) fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    let text = raw.get().trim();
    if text.starts_with('"') {
        serde_json::from_str::<String>(text).map_err(de::Error::custom)
    } else if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        Ok(text.to_owned())
    } else {
        Err(de::Error::custom(format!(
            "expected an id, found {}",
            excerpt(text, 40)
        )))
    }
}

pub(crate) fn opt_id_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    match raw {
        None => Ok(None),
        Some(raw) => id_text(&*raw).map(Some).map_err(de::Error::custom),
    }
}

/// Reads a count that may come as a number or a numeric string.
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    let text = raw.get().trim().trim_matches('"').trim();
    text.parse::<u64>()
        .map_err(|_| de::Error::custom(format!("expected a count, found {}", excerpt(text, 40))))
}

pub(crate) fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    match raw {
        None => Ok(None),
        Some(raw) => count(&*raw).map(Some).map_err(de::Error::custom),
    }
}

/// Reads a boolean that may come as `true`, `1`, `"true"`, `"1"` and their opposites.
pub(crate) fn opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    let Some(raw) = raw else { return Ok(None) };
    match raw
        .get()
        .trim()
        .trim_matches('"')
        .to_ascii_lowercase()
        .as_str()
    {
        "true" | "1" => Ok(Some(true)),
        "false" | "0" | "" => Ok(Some(false)),
        other => Err(de::Error::custom(format!(
            "expected a flag, found {}",
            excerpt(other, 20)
        ))),
    }
}

/// A gateway timestamp. Aurpay writes `2024-04-28T12:00:00` with no zone; we take it as UTC.
/// An explicit `Z` or offset, and a space instead of `T`, are accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// Parses the forms described on the type.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
            return Some(Self(dt.with_timezone(&Utc)));
        }
        for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
                return Some(Self(naive.and_utc()));
            }
        }
        None
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S"))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s)
            .ok_or_else(|| de::Error::custom(format!("not a timestamp: {}", excerpt(&s, 40))))
    }
}

pub(crate) fn opt_timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Timestamp>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => Timestamp::parse(&s)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("not a timestamp: {}", excerpt(&s, 40)))),
    }
}

/// The start of `text` for an error message: control and non-ASCII characters escaped, at most
/// `max` characters of output, then `…` when something was cut.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let escaped: String = c.escape_default().collect();
        let width = escaped.chars().count();
        if used + width > max {
            out.push('…');
            return out;
        }
        out.push_str(&escaped);
        used += width;
    }
    out
}
