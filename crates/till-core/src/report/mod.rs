//! Reports: what a book's documents add up to, per status and currency, in fiat and in sats.
//!
//! - The **Z report** closes a period, as fiscal tills do: Z reports are numbered per terminal
//!   and book (Z1, Z2, ...; the training book's TZ1, ...), and each seals every document of its
//!   book since the previous Z: the sales rung up (with the state they have then), the refunds
//!   recorded, and the late payments of sales an earlier Z sealed as timed out or cancelled
//!   ("paid late, from Z n"). So every document lands in exactly one Z, and closing twice a day
//!   (two shifts) is two Z reports. A Z cannot seal a sale still waiting for the gateway.
//! - The **X report** is a look at what the next Z would seal now; it changes nothing.
//! - The **day report** counts the sales and refunds of one calendar day of the shop (in its time
//!   zone), whichever Z sealed them.
//!
//! Training (demo) and live are two books: a report counts one of them and says how many
//! documents of the other it left out. Every figure is computed by [`totals`], at closing from
//! the ledger's rows and by `crate::verify` from the journal, so a sealed Z can be re-added.

mod render;
mod totals;

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use crate::calendar::{day_bounds, parse_day, today};
/// The setting that names the shop's time zone.
pub use crate::settings::TIMEZONE as TIMEZONE_SETTING;
pub use render::{render, render_in};
pub use totals::{period_totals, totals, LateLine, Line, RefundFigures, SaleFigures, Totals};

use crate::{
    calendar,
    ledger::{label, time_text, zreports::Cutoff, Ledger, LedgerError, ZReport},
    settings,
};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Not a `YYYY-MM-DD` date.
    #[error(transparent)]
    BadDate(#[from] calendar::BadDate),
    /// A range whose end is before its start.
    #[error("the range ends ({1}) before it starts ({0})")]
    BadRange(String, String),
    /// The time zone setting is not an IANA zone name.
    #[error(transparent)]
    BadTimezone(#[from] settings::BadTimezone),
    /// The day has not ended anywhere yet.
    #[error("{0} is in the future; it cannot be closed")]
    FutureDay(String),
    /// Sales of the period are still waiting; closing now would seal wrong totals.
    #[error("{count} sale(s) are still waiting for the gateway (receipts {receipts}); wait, cancel them, or have a manager settle them, then close")]
    OpenSales {
        /// How many.
        count: usize,
        /// Which.
        receipts: String,
    },
    /// Nothing happened since the last Z.
    #[error("nothing happened since {0}; there is nothing to close")]
    NothingToClose(String),
    /// No Z report of that number in this book (`Z7`, or `TZ7` in the training book).
    #[error("there is no {0}")]
    NoSuchZ(String),
    /// The ledger failed, or the period is sealed already.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ReportKind {
    /// A look at the open period.
    X,
    /// A sealed period.
    Z,
    /// One calendar day.
    #[serde(rename = "day")]
    Day,
}

/// A report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Report {
    /// X, Z or day.
    pub kind: ReportKind,
    /// How people name it: `Z3`, `TZ1`, `X`, `2026-11-20`.
    #[serde(default)]
    pub label: String,
    /// The Z's number (for an X report, the number the next Z will have).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub z_no: Option<i64>,
    /// The shop's day it was made on, or the day it counts (`YYYY-MM-DD`).
    pub day: String,
    /// The zone the shop's days are counted in.
    pub timezone: String,
    /// The terminal.
    pub terminal: String,
    /// True for the training (demo) book.
    pub training: bool,
    /// When it was made (UTC).
    pub generated_at: String,
    /// Where its period starts (the previous Z's cutoff; UTC), if anywhere.
    #[serde(default)]
    pub from: Option<String>,
    /// Where its period ends (UTC).
    #[serde(default)]
    pub to: Option<String>,
    /// The figures.
    #[serde(flatten)]
    pub totals: Totals,
    /// Documents of the other book (training in a live report, real in a demo one) in the same
    /// span, not counted here.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub left_out: u64,
    /// The ledger's chain head when it was made (a sealed Z prints its seal's hash instead).
    pub chain_head: String,
    /// The shifts closed in the period, each with its drawer's count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<ShiftLine>,
    /// Who closed the period (a Z), when that was recorded (Zs sealed before people did not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
}

/// A shift closed in a report's period: its drawer, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ShiftLine {
    /// `S3`.
    pub label: String,
    /// Who opened it.
    pub opened_by: String,
    /// Who closed it.
    pub closed_by: String,
    /// The drawer's currency.
    pub currency: String,
    /// The float.
    pub float: String,
    /// Cash sales into the drawer.
    pub cash_sales: String,
    /// Paid in.
    pub pay_ins: String,
    /// Paid out.
    pub pay_outs: String,
    /// Cash refunds out of the drawer.
    pub refunds: String,
    /// What the drawer should have held.
    pub expected: String,
    /// What was counted.
    pub counted: String,
    /// Counted less expected (negative: short).
    pub variance: String,
}

/// The report lines of a period's closed shifts.
pub fn shift_lines(shifts: &[(crate::ledger::Shift, crate::ledger::Drawer)]) -> Vec<ShiftLine> {
    shifts
        .iter()
        .map(|(s, d)| {
            let c = s.currency.as_str();
            let m = |minor: i64| crate::money::decimal_text(minor, c);
            ShiftLine {
                label: s.label(),
                opened_by: s.opened_by.clone(),
                closed_by: s.closed_by.clone().unwrap_or_default(),
                currency: c.into(),
                float: m(d.float_minor),
                cash_sales: m(d.cash_sales_minor),
                pay_ins: m(d.pay_ins_minor),
                pay_outs: m(d.pay_outs_minor),
                refunds: m(d.refunds_minor),
                expected: m(s.expected_minor.unwrap_or(d.expected_minor)),
                counted: m(s.counted_minor.unwrap_or(0)),
                variance: m(s.variance_minor().unwrap_or(0)),
            }
        })
        .collect()
}

impl From<settings::TimezoneError> for ReportError {
    fn from(e: settings::TimezoneError) -> Self {
        match e {
            settings::TimezoneError::Bad(b) => Self::BadTimezone(b),
            settings::TimezoneError::Ledger(l) => Self::Ledger(l),
        }
    }
}

/// The shop's time zone, as reports need it.
pub fn shop_timezone(ledger: &Ledger) -> Result<Tz, ReportError> {
    Ok(settings::shop_timezone(ledger)?)
}

/// The X report of a book: what its next Z would seal now. Changes nothing.
pub fn x_report(ledger: &Ledger, terminal: &str, training: bool) -> Result<Report, ReportError> {
    let tz = shop_timezone(ledger)?;
    let now = Utc::now();
    let period = ledger.open_period(terminal, training, now)?;
    let other = ledger.open_period(terminal, !training, now)?;
    let last = ledger.last_z(terminal, training)?;
    Ok(Report {
        kind: ReportKind::X,
        label: "X".into(),
        z_no: Some(last.as_ref().map_or(1, |z| z.z_no + 1)),
        day: calendar::day_of(now, tz).to_string(),
        timezone: tz.name().into(),
        terminal: terminal.into(),
        training,
        generated_at: time_text(now),
        from: last.map(|z| z.cutoff),
        to: Some(time_text(now)),
        totals: period_totals(&period),
        left_out: other.sales.len() as u64,
        chain_head: ledger.chain_head()?,
        shifts: shift_lines(&period.shifts),
        closed_by: None,
    })
}

/// The day report of one calendar day of the shop: its sales and refunds, whichever Z sealed
/// them. Changes nothing.
pub fn day_report(
    ledger: &Ledger,
    day: NaiveDate,
    terminal: &str,
    training: bool,
) -> Result<Report, ReportError> {
    let tz = shop_timezone(ledger)?;
    let (from, to) = day_bounds(day, tz);
    let all = ledger.sales_between(from, to)?;
    let mine =
        |terminal_of: &str, training_of: bool| terminal_of == terminal && training_of == training;
    let sales: Vec<SaleFigures<'_>> = all
        .iter()
        .filter(|s| mine(&s.terminal, s.training))
        .map(SaleFigures::from)
        .collect();
    let left_out = all
        .iter()
        .filter(|s| s.terminal == terminal && s.training != training)
        .count() as u64;
    let refunds_all = ledger.refunds_between(from, to)?;
    let refunds: Vec<RefundFigures<'_>> = refunds_all
        .iter()
        .filter(|r| mine(&r.terminal, r.training))
        .map(RefundFigures::from)
        .collect();
    Ok(Report {
        kind: ReportKind::Day,
        label: day.to_string(),
        z_no: None,
        day: day.to_string(),
        timezone: tz.name().into(),
        terminal: terminal.into(),
        training,
        generated_at: time_text(Utc::now()),
        from: Some(time_text(from)),
        to: Some(time_text(to)),
        totals: totals(&sales, &[], &refunds),
        left_out,
        chain_head: ledger.chain_head()?,
        shifts: Vec::new(),
        closed_by: None,
    })
}

/// Closes the next Z of a book: seals every document since the previous Z, up to now or, with
/// `upto`, up to the end of that day of the shop (a day closed late), closed `by` someone. Refuses a day in the
/// future, a period with sales still waiting for the gateway, and a period with nothing in it.
pub fn close(
    ledger: &mut Ledger,
    terminal: &str,
    training: bool,
    upto: Option<NaiveDate>,
    by: &str,
) -> Result<(Report, ZReport), ReportError> {
    let tz = shop_timezone(ledger)?;
    let cutoff = match upto {
        Some(day) if day > today(tz) => return Err(ReportError::FutureDay(day.to_string())),
        // The day's last millisecond: documents are sealed up to and including the cutoff.
        Some(day) => Cutoff::At(day_bounds(day, tz).1 - chrono::Duration::milliseconds(1)),
        None => Cutoff::Now,
    };
    let other = ledger
        .open_period(terminal, !training, Utc::now())?
        .sales
        .len() as u64;
    let z = ledger.close_z(terminal, training, cutoff, |period, ctx| {
        let totals = period_totals(period);
        if !totals.open.is_empty() {
            return Err(ReportError::OpenSales {
                count: totals.open.len(),
                receipts: totals
                    .open
                    .iter()
                    .map(|n| label("", training, *n))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if period.is_empty() {
            return Err(ReportError::NothingToClose(match ctx.previous {
                Some(p) => format!("{} (closed at {})", p.label(), p.closed_at),
                None => "this till was set up".into(),
            }));
        }
        let report = Report {
            kind: ReportKind::Z,
            label: label("Z", training, ctx.z_no),
            z_no: Some(ctx.z_no),
            day: calendar::day_of(ctx.now, tz).to_string(),
            timezone: tz.name().into(),
            terminal: terminal.into(),
            training,
            generated_at: time_text(ctx.now),
            from: ctx.previous.map(|p| p.cutoff.clone()),
            to: Some(time_text(ctx.cutoff)),
            totals,
            left_out: other,
            chain_head: ctx.head.to_owned(),
            shifts: shift_lines(&period.shifts),
            closed_by: Some(by.to_owned()).filter(|b| !b.is_empty()),
        };
        serde_json::to_value(&report).map_err(|e| LedgerError::Corrupt(e.to_string()).into())
    })?;
    Ok((sealed_report(&z)?, z))
}

/// A sealed Z's report as it was sealed (a day closed before Z reports were numbered reads as
/// its Z), with the seal's own hash as the chain head to print.
pub fn sealed_report(z: &ZReport) -> Result<Report, ReportError> {
    let mut r: Report = serde_json::from_str(&z.report)
        .map_err(|e| LedgerError::Corrupt(format!("the report of {}: {e}", z.label())))?;
    r.kind = ReportKind::Z;
    r.label = z.label();
    r.z_no = Some(z.z_no);
    r.chain_head = z.chain_head.clone();
    Ok(r)
}

/// A past Z of a book by number.
pub fn z_report(
    ledger: &Ledger,
    terminal: &str,
    training: bool,
    z_no: i64,
) -> Result<(Report, ZReport), ReportError> {
    let z = ledger
        .z_report(terminal, training, z_no)?
        .ok_or_else(|| ReportError::NoSuchZ(label("Z", training, z_no)))?;
    Ok((sealed_report(&z)?, z))
}
