//! X and Z reports: what a day's sales add up to, per status and currency, in fiat and in sats.
//!
//! A day is the shop's calendar day in its time zone (the `timezone` setting, an IANA name;
//! the system's zone until set), and a sale belongs to the day it was rung up. Demo (training)
//! sales never mix with real ones: a live report counts them apart, a demo report counts only
//! them. The X report can be printed any time; the Z report closes the day, is sealed in the
//! ledger with the chain's head, and cannot be made twice.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{
    ledger::{time_text, DayClose, Ledger, LedgerError, Refund, Sale},
    sale::SaleState,
};

/// The setting that names the shop's time zone.
pub const TIMEZONE_SETTING: &str = "timezone";

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Not a `YYYY-MM-DD` date.
    #[error("\"{0}\" is not a date; write it as YYYY-MM-DD, as in 2026-11-23")]
    BadDate(String),
    /// A range whose end is before its start.
    #[error("the range ends ({1}) before it starts ({0})")]
    BadRange(String, String),
    /// The time zone setting is not an IANA zone name.
    #[error(
        "the time zone \"{0}\" is not known; use a name such as Europe/Zurich or America/New_York"
    )]
    BadTimezone(String),
    /// The day has not ended anywhere yet.
    #[error("{0} is in the future; it cannot be closed")]
    FutureDay(String),
    /// Sales of the day are still waiting; closing now would seal wrong totals.
    #[error("{count} sale(s) of {day} are still waiting for the gateway (receipts {receipts}); wait, or cancel them, then close")]
    OpenSales {
        /// The day.
        day: String,
        /// How many.
        count: usize,
        /// Which.
        receipts: String,
    },
    /// The ledger failed, or the day is closed already.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// Parses `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<NaiveDate, ReportError> {
    let t = text.trim();
    if t.len() != 10 {
        return Err(ReportError::BadDate(t.chars().take(40).collect()));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| ReportError::BadDate(t.to_owned()))
}

/// The shop's time zone: the setting, else the system's, else UTC.
pub fn shop_timezone(ledger: &Ledger) -> Result<Tz, ReportError> {
    match ledger.setting(TIMEZONE_SETTING)? {
        Some(name) => name
            .parse::<Tz>()
            .map_err(|_| ReportError::BadTimezone(name)),
        None => Ok(iana_time_zone::get_timezone()
            .ok()
            .and_then(|n| n.parse::<Tz>().ok())
            .unwrap_or(Tz::UTC)),
    }
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

/// One line: the sales of one status in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Line {
    /// The status.
    pub status: String,
    /// The currency.
    pub currency: String,
    /// How many sales.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
    /// Their fiat total, in major units (`123.45`).
    pub amount: String,
    /// Their invoices' total, in millisatoshis (sales that got an invoice).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub msat: u64,
}

/// A report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Report {
    /// `X` (a look) or `Z` (the close).
    pub kind: String,
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// The zone the day is counted in.
    pub timezone: String,
    /// The terminal.
    pub terminal: String,
    /// True for a demo report (training sales only).
    pub training: bool,
    /// When it was made (UTC).
    pub generated_at: String,
    /// One line per status and currency.
    pub lines: Vec<Line>,
    /// Money received (paid and paid late), per currency.
    pub received: Vec<Line>,
    /// Money given back (refund documents recorded this day), per currency.
    #[serde(default)]
    pub refunds: Vec<Line>,
    /// Received minus refunded, per currency.
    #[serde(default)]
    pub net: Vec<Line>,
    /// Receipts paid after they had timed out or been cancelled.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub paid_late: Vec<i64>,
    /// Receipts paid short and accepted by the merchant.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub underpaid: Vec<i64>,
    /// Sales still waiting for the gateway.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub open: Vec<i64>,
    /// How many sales of the other kind (training in a live report, real in a demo one) were
    /// left out.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub left_out: u64,
    /// The ledger's chain head when the report was made.
    pub chain_head: String,
}

fn decimal(minor: i64, exponent: u32) -> String {
    Decimal::new(minor, exponent).to_string()
}

/// Builds a report over `sales` (already limited to the day).
#[allow(clippy::too_many_arguments)] // one call site each for X and Z; a struct would only rename them
fn build(
    kind: &str,
    day: NaiveDate,
    tz: Tz,
    terminal: &str,
    training: bool,
    sales: &[Sale],
    refunds: &[Refund],
    chain_head: String,
) -> Report {
    let mut lines: BTreeMap<(usize, String), (u64, i64, u64, u32)> = BTreeMap::new();
    let mut received: BTreeMap<String, (u64, i64, u64, u32)> = BTreeMap::new();
    let (mut paid_late, mut underpaid, mut open) = (vec![], vec![], vec![]);
    let mut left_out = 0;
    let order = |s: SaleState| SaleState::ALL.iter().position(|x| *x == s).unwrap_or(0);
    for s in sales.iter().filter(|s| s.terminal == terminal) {
        if s.training != training {
            left_out += 1;
            continue;
        }
        let exponent = s.fiat().map(|f| f.currency.exponent()).unwrap_or(2);
        let msat = s.amount_msat.unwrap_or(0);
        let e = lines
            .entry((order(s.state), s.currency.clone()))
            .or_insert((0, 0, 0, exponent));
        e.0 += 1;
        e.1 += s.amount_minor;
        e.2 += msat;
        if s.state.is_paid() {
            let r = received
                .entry(s.currency.clone())
                .or_insert((0, 0, 0, exponent));
            r.0 += 1;
            r.1 += s.amount_minor;
            r.2 += msat;
        }
        if s.state == SaleState::PaidLate {
            paid_late.push(s.receipt_no);
        }
        if s.underpaid {
            underpaid.push(s.receipt_no);
        }
        if matches!(
            s.state,
            SaleState::Creating | SaleState::AwaitingPayment | SaleState::Uncertain
        ) {
            open.push(s.receipt_no);
        }
    }
    let mut refunded: BTreeMap<String, (u64, i64, u64, u32)> = BTreeMap::new();
    for r in refunds
        .iter()
        .filter(|r| r.terminal == terminal && r.training == training)
    {
        let exponent = crate::money::Currency::from_code(&r.currency)
            .map(|c| c.exponent())
            .unwrap_or(2);
        let e = refunded
            .entry(r.currency.clone())
            .or_insert((0, 0, 0, exponent));
        e.0 += 1;
        e.1 += r.amount_minor;
    }
    let mut net: BTreeMap<String, (u64, i64, u64, u32)> = received.clone();
    for (cur, (_, minor, _, exp)) in &refunded {
        let e = net.entry(cur.clone()).or_insert((0, 0, 0, *exp));
        e.1 -= minor;
    }
    let to_line =
        |status: String, currency: String, (count, minor, msat, exp): (u64, i64, u64, u32)| Line {
            status,
            currency,
            count,
            amount: decimal(minor, exp),
            msat,
        };
    Report {
        kind: kind.into(),
        day: day.to_string(),
        timezone: tz.name().into(),
        terminal: terminal.into(),
        training,
        generated_at: time_text(Utc::now()),
        lines: lines
            .into_iter()
            .map(|((st, cur), v)| to_line(SaleState::ALL[st].as_str().into(), cur, v))
            .collect(),
        received: received
            .into_iter()
            .map(|(cur, v)| to_line("received".into(), cur, v))
            .collect(),
        refunds: refunded
            .into_iter()
            .map(|(cur, v)| to_line("refunded".into(), cur, v))
            .collect(),
        net: net
            .into_iter()
            .map(|(cur, v)| to_line("net".into(), cur, v))
            .collect(),
        paid_late,
        underpaid,
        open,
        left_out,
        chain_head,
    }
}

/// The X report of `day`: a look, changing nothing.
pub fn x_report(
    ledger: &Ledger,
    day: NaiveDate,
    terminal: &str,
    training: bool,
) -> Result<Report, ReportError> {
    let tz = shop_timezone(ledger)?;
    let (from, to) = day_bounds(day, tz);
    let sales = ledger.sales_between(from, to)?;
    let refunds = ledger.refunds_between(from, to)?;
    Ok(build(
        "X",
        day,
        tz,
        terminal,
        training,
        &sales,
        &refunds,
        ledger.chain_head()?,
    ))
}

/// Closes `day`: builds the Z report and seals it in the ledger. Refuses a future day, a day
/// with sales still waiting for the gateway, and a day already closed.
pub fn close_day(
    ledger: &mut Ledger,
    day: NaiveDate,
    terminal: &str,
    training: bool,
) -> Result<(Report, DayClose), ReportError> {
    let tz = shop_timezone(ledger)?;
    if day > today(tz) {
        return Err(ReportError::FutureDay(day.to_string()));
    }
    if let Some(close) = ledger.day_close(&day.to_string(), terminal)? {
        return Err(LedgerError::AlreadyClosed(format!(
            "{} (closed at {})",
            close.day, close.closed_at
        ))
        .into());
    }
    let (from, to) = day_bounds(day, tz);
    let sales = ledger.sales_between(from, to)?;
    let refunds = ledger.refunds_between(from, to)?;
    let mut report = build(
        "Z",
        day,
        tz,
        terminal,
        training,
        &sales,
        &refunds,
        String::new(),
    );
    if !report.open.is_empty() {
        return Err(ReportError::OpenSales {
            day: day.to_string(),
            count: report.open.len(),
            receipts: report
                .open
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    report.chain_head = ledger.chain_head()?;
    let value = serde_json::to_value(&report).map_err(|e| LedgerError::Corrupt(e.to_string()))?;
    let close = ledger.close_day(&day.to_string(), terminal, &value, Utc::now())?;
    Ok((report, close))
}

/// Plain text for a terminal or a printer.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let title = if r.kind == "Z" {
        "Z REPORT (day closed)"
    } else {
        "X REPORT"
    };
    out.push_str(&format!(
        "{title}{}\n",
        if r.training {
            "  [TRAINING / DEMO]"
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "day {}  ({})  terminal {}\n",
        r.day, r.timezone, r.terminal
    ));
    out.push_str(&format!(
        "{:<18} {:>6} {:>16} {:>16}\n",
        "status", "count", "amount", "sats"
    ));
    for l in &r.lines {
        out.push_str(&format!(
            "{:<18} {:>6} {:>12} {} {:>16}\n",
            l.status,
            l.count,
            l.amount,
            l.currency,
            l.msat / 1000
        ));
    }
    for l in &r.received {
        out.push_str(&format!(
            "{:<18} {:>6} {:>12} {} {:>16}\n",
            "RECEIVED",
            l.count,
            l.amount,
            l.currency,
            l.msat / 1000
        ));
    }
    for l in &r.refunds {
        out.push_str(&format!(
            "{:<18} {:>6} {:>12} {}\n",
            "REFUNDED", l.count, l.amount, l.currency
        ));
    }
    if !r.refunds.is_empty() {
        for l in &r.net {
            out.push_str(&format!(
                "{:<18} {:>6} {:>12} {}\n",
                "NET", "", l.amount, l.currency
            ));
        }
    }
    if r.lines.is_empty() {
        out.push_str("no sales\n");
    }
    if !r.paid_late.is_empty() {
        out.push_str(&format!("PAID LATE: receipts {}\n", join(&r.paid_late)));
    }
    if !r.underpaid.is_empty() {
        out.push_str(&format!(
            "underpaid (accepted): receipts {}\n",
            join(&r.underpaid)
        ));
    }
    if !r.open.is_empty() {
        out.push_str(&format!("still open: receipts {}\n", join(&r.open)));
    }
    if r.left_out > 0 {
        let what = if r.training {
            "real"
        } else {
            "training (demo)"
        };
        out.push_str(&format!("{} {what} sale(s) not counted here\n", r.left_out));
    }
    out.push_str(&format!("chain head {}\n", r.chain_head));
    out
}

fn join(v: &[i64]) -> String {
    v.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
