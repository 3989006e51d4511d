//! The shop's days: a day is the shop's calendar day in its time zone (an IANA name), and a
//! date is written `YYYY-MM-DD`. Pure arithmetic; the zone itself is a setting
//! (`settings::shop_timezone`).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// A text that is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a date; write it as YYYY-MM-DD, as in 2026-11-23")]
pub struct BadDate(pub String);

/// Parses `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<NaiveDate, BadDate> {
    let t = text.trim();
    if t.len() != 10 {
        return Err(BadDate(t.chars().take(40).collect()));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| BadDate(t.to_owned()))
}

/// The UTC instants where `day` starts and ends in `tz`.
pub fn day_bounds(day: NaiveDate, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        // Midnight can be skipped by a DST change in a few zones; take the earliest valid time.
        tz.from_local_datetime(&midnight)
            .earliest()
            .or_else(|| {
                tz.from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| midnight.and_utc())
    };
    (start(day), start(day.succ_opt().unwrap_or(day)))
}

/// Today in the shop's zone.
pub fn today(tz: Tz) -> NaiveDate {
    Utc::now().with_timezone(&tz).date_naive()
}

/// The shop's day an instant falls on.
pub fn day_of(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}
