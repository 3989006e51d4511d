//! Exports for the accountant: CSV (with the `csv` crate) and JSON, one row per sale and one per
//! refund, with the same fields in the same order. A refund's row is numbered `R1`, `R2`, ...,
//! has a negative amount (so the amount column adds up to the money kept), and names the receipt
//! it refers to. Training documents are numbered `T1`, `TR1`, ... and only ever exported apart.
//! The export of a Z report also has a `late_payment` row for each sale an earlier Z sealed
//! unpaid whose money arrived in its period. Every row carries the ledger's chain head at export
//! (`chain_head`): kept with the books, it lets `till verify --head` prove the ledger was not
//! rewritten since.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (and some also
//! act on a leading tab or carriage return), so in CSV every text cell that starts with one of
//! those gets a leading apostrophe. JSON is data, not a spreadsheet, and keeps values as they are.

use serde::Serialize;

use crate::{
    ledger::{time_text, zreports::LatePayment, Ledger, Period, Refund, Sale, ZReport},
    report,
};

/// One exported sale. The field order is the column order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Receipt number (per terminal), or `R` and the refund's number.
    pub receipt_no: String,
    /// Rung up at (RFC 3339, UTC).
    pub created_at: String,
    /// Paid at (RFC 3339, UTC), if paid.
    pub paid_at: String,
    /// Status.
    pub status: String,
    /// Fiat amount in major units.
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The invoice's amount in millisatoshis.
    pub amount_msat: String,
    /// Fiat per BTC charged.
    pub rate: String,
    /// The gateway's order id.
    pub order_id: String,
    /// The invoice's payment hash.
    pub payment_hash: String,
    /// The cashier's note.
    pub memo: String,
    /// The terminal.
    pub terminal: String,
    /// The cashier.
    pub cashier: String,
    /// A demo (training) sale.
    pub training: bool,
    /// `sale` or `refund`.
    pub document: String,
    /// For a refund, the receipt number it gives money back on.
    pub refers_to: String,
    /// The ledger's chain head when the export was made.
    pub chain_head: String,
    /// The lines' amounts before discounts (a sale priced from a bill).
    pub subtotal: String,
    /// Every discount.
    pub discount: String,
    /// All tax (included and added).
    pub tax: String,
    /// The tip.
    pub tip: String,
    /// What was charged: `amount` again, kept beside its parts.
    pub total: String,
    /// `cash` or `lightning` (for a refund: how the money went back).
    pub tender: String,
    /// Cash handed over, for a cash sale.
    pub tendered: String,
    /// The change given, for a cash sale.
    pub change: String,
    /// The manager who approved it (a discount above the limit, a refund).
    pub approved_by: String,
    /// The lines (JSON only; the CSV of lines is `till export --lines`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<crate::money::bill::LineView>,
}

impl From<&Sale> for Row {
    fn from(s: &Sale) -> Self {
        let amount = s
            .fiat()
            .map(|f| f.to_decimal().to_string())
            .unwrap_or_else(|_| s.amount_minor.to_string());
        Self {
            receipt_no: s.label(),
            created_at: time_text(s.created_at),
            paid_at: s.paid_at.map(time_text).unwrap_or_default(),
            status: s.state.as_str().into(),
            currency: s.currency.clone(),
            amount_msat: s.amount_msat.map(|m| m.to_string()).unwrap_or_default(),
            rate: s.rate.clone().unwrap_or_default(),
            order_id: s.order_id.clone().unwrap_or_default(),
            payment_hash: s.payment_hash.clone().unwrap_or_default(),
            memo: s.memo.clone(),
            terminal: s.terminal.clone(),
            cashier: s.cashier.clone(),
            training: s.training,
            document: "sale".into(),
            refers_to: String::new(),
            chain_head: String::new(),
            subtotal: String::new(),
            discount: String::new(),
            tax: String::new(),
            tip: String::new(),
            total: amount.clone(),
            tender: s.tender().as_str().into(),
            tendered: s
                .cash
                .map(|c| crate::money::decimal_text(c.tendered_minor, &s.currency))
                .unwrap_or_default(),
            change: s
                .cash
                .map(|c| crate::money::decimal_text(c.change_minor, &s.currency))
                .unwrap_or_default(),
            approved_by: s.approved_by.clone().unwrap_or_default(),
            lines: Vec::new(),
            amount,
        }
        .with_bill(s.bill.as_ref())
    }
}

impl Row {
    fn with_bill(mut self, bill: Option<&crate::money::bill::Bill>) -> Self {
        if let Some(b) = bill.map(crate::money::bill::Bill::view) {
            self.subtotal = b.subtotal;
            self.discount = b.discount;
            self.tax = b.tax_total;
            self.tip = b.tip;
            self.total = b.total;
            self.lines = b.lines;
        }
        self
    }
}

impl From<&Refund> for Row {
    fn from(r: &Refund) -> Self {
        let amount = crate::money::decimal_text(-r.amount_minor, &r.currency);
        Self {
            receipt_no: r.label.clone(),
            created_at: r.created_at.clone(),
            paid_at: String::new(),
            status: "refund".into(),
            currency: r.currency.clone(),
            amount_msat: String::new(),
            rate: String::new(),
            order_id: String::new(),
            payment_hash: String::new(),
            memo: format!("{} ({})", r.reason, r.method.as_str()),
            terminal: r.terminal.clone(),
            cashier: r.made_by.clone().unwrap_or_default(),
            training: r.training,
            document: "refund".into(),
            refers_to: crate::ledger::label("", r.training, r.receipt_no),
            chain_head: String::new(),
            subtotal: String::new(),
            discount: String::new(),
            // An itemized refund gives its tax and tip back: negative, as its amount.
            tax: r
                .lines
                .as_ref()
                .map(|l| {
                    crate::money::decimal_text(
                        -l.taxes.iter().map(|t| t.tax).sum::<i64>(),
                        &r.currency,
                    )
                })
                .unwrap_or_default(),
            tip: r
                .lines
                .as_ref()
                .map(|l| crate::money::decimal_text(-l.tip, &r.currency))
                .unwrap_or_default(),
            total: amount.clone(),
            tender: r.method.as_str().into(),
            tendered: String::new(),
            change: String::new(),
            approved_by: r.approved_by.clone().unwrap_or_default(),
            lines: Vec::new(),
            amount,
        }
    }
}

/// The late payment of a sale sealed unpaid by an earlier Z: its money, on its payment time.
fn late_row(l: &LatePayment) -> Row {
    Row {
        created_at: l.sale.paid_at.map(time_text).unwrap_or_default(),
        status: "paid_late".into(),
        memo: format!(
            "paid late, sealed unpaid in {}",
            crate::ledger::label("Z", l.sale.training, l.from_z)
        ),
        document: "late_payment".into(),
        refers_to: l.sale.label(),
        ..Row::from(&l.sale)
    }
}

/// A book's documents as rows, in time order, each with the chain head.
pub fn rows(docs: &Period, chain_head: &str) -> Vec<Row> {
    let mut rows: Vec<Row> = docs.sales.iter().map(Row::from).collect();
    rows.extend(docs.late.iter().map(late_row));
    rows.extend(docs.refunds.iter().map(Row::from));
    // RFC 3339 UTC text with fixed milliseconds sorts as time; the sort is stable.
    rows.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    for r in &mut rows {
        r.chain_head = chain_head.to_owned();
    }
    rows
}

/// The CSV header, in column order (the bill's columns come last, so a script reading the
/// columns by position before them still reads the same ones).
pub const COLUMNS: [&str; 26] = [
    "receipt_no",
    "created_at",
    "paid_at",
    "status",
    "amount",
    "currency",
    "amount_msat",
    "rate",
    "order_id",
    "payment_hash",
    "memo",
    "terminal",
    "cashier",
    "training",
    "document",
    "refers_to",
    "chain_head",
    "subtotal",
    "discount",
    "tax",
    "tip",
    "total",
    "tender",
    "tendered",
    "change",
    "approved_by",
];

/// Makes a text cell inert in a spreadsheet. A plain number (a refund's `-2.50`) is data, not a
/// formula, and is left as it is.
pub fn neutralise(cell: &str) -> String {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let plain =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let whole = parts.next();
    let frac = parts.next();
    if plain(whole) && (frac.is_none() || plain(frac)) {
        return cell.to_owned();
    }
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing failed (disk full, folder gone).
    #[error("the export could not be written: {0}")]
    Write(String),
    /// The dates asked for are not usable, or the ledger failed.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// A range without its first or last day.
    #[error("give the first and the last day")]
    NoDays,
}

/// The two export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ExportFormat {
    /// Comma-separated, for spreadsheets.
    Csv,
    /// A JSON array, for programs.
    Json,
    /// Comma-separated, one row per line sold (`till export --lines`).
    Lines,
}

impl ExportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv | Self::Lines => "csv",
            Self::Json => "json",
        }
    }
}

/// An export, ready to be written to a file.
#[derive(Debug, Clone)]
pub struct Export {
    /// The file's content.
    pub bytes: Vec<u8>,
    /// How many sales it holds.
    pub sales: usize,
    /// How many refunds it holds.
    pub refunds: usize,
    /// A file name that says what it is: `till-<terminal>-<first>[_<last>].<ext>`.
    pub file_name: String,
}

/// [`days`] for two days as typed (`YYYY-MM-DD`, from a form or the command line): both are
/// needed.
pub fn range(
    ledger: &Ledger,
    first: &str,
    last: &str,
    training: bool,
    format: ExportFormat,
) -> Result<Export, ExportError> {
    let day = |text: &str| -> Result<chrono::NaiveDate, ExportError> {
        if text.trim().is_empty() {
            return Err(ExportError::NoDays);
        }
        Ok(crate::calendar::parse_day(text).map_err(report::ReportError::from)?)
    };
    days(ledger, day(first)?, day(last)?, training, format)
}

/// Exports the sales and refunds of the shop's days `first..=last` (in its time zone), of one
/// book (real or training), of every terminal on this ledger.
pub fn days(
    ledger: &Ledger,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    training: bool,
    format: ExportFormat,
) -> Result<Export, ExportError> {
    if last < first {
        return Err(report::ReportError::BadRange(first.to_string(), last.to_string()).into());
    }
    let tz = report::shop_timezone(ledger)?;
    let (from, _) = report::day_bounds(first, tz);
    let (_, to) = report::day_bounds(last, tz);
    let ledger_err = |e| ExportError::Report(report::ReportError::Ledger(e));
    let docs = Period {
        sales: ledger
            .sales_between(from, to)
            .map_err(ledger_err)?
            .into_iter()
            .filter(|s| s.training == training)
            .collect(),
        late: Vec::new(),
        shifts: Vec::new(),
        refunds: ledger
            .refunds_between(from, to)
            .map_err(ledger_err)?
            .into_iter()
            .filter(|r| r.training == training)
            .collect(),
    };
    let terminal = crate::settings::terminal(ledger).map_err(ledger_err)?;
    let span = if first == last {
        first.to_string()
    } else {
        format!("{first}_{last}")
    };
    let demo = if training { "-demo" } else { "" };
    let head = ledger.chain_head().map_err(ledger_err)?;
    finish(
        &docs,
        &head,
        format,
        format!("till-{terminal}-{span}{demo}.{}", format.extension()),
    )
}

/// Exports what a Z report sealed: its sales, late payments and refunds, with the seal's hash as
/// the chain head. Named `till-<terminal>-<day>-Z<n>`.
pub fn z(ledger: &Ledger, z: &ZReport, format: ExportFormat) -> Result<Export, ExportError> {
    let ledger_err = |e| ExportError::Report(report::ReportError::Ledger(e));
    let docs = ledger.sealed_by(z).map_err(ledger_err)?;
    let tz = report::shop_timezone(ledger)?;
    let day = crate::ledger::parse_time(&z.closed_at)
        .map(|t| crate::calendar::day_of(t, tz).to_string())
        .unwrap_or_default();
    let demo = if z.training { "-demo" } else { "" };
    finish(
        &docs,
        &z.chain_head,
        format,
        format!(
            "till-{}-{day}-{}{demo}.{}",
            z.terminal,
            z.label(),
            format.extension()
        ),
    )
}

fn finish(
    docs: &Period,
    head: &str,
    format: ExportFormat,
    file_name: String,
) -> Result<Export, ExportError> {
    let rows = rows(docs, head);
    let file_name = match format {
        ExportFormat::Lines => file_name.replace(".csv", "-lines.csv"),
        _ => file_name,
    };
    let mut bytes = Vec::new();
    match format {
        ExportFormat::Csv => write_csv(&rows, &mut bytes)?,
        ExportFormat::Json => write_json(&rows, &mut bytes)?,
        ExportFormat::Lines => write_lines_csv(&line_rows(&rows), &mut bytes)?,
    }
    Ok(Export {
        bytes,
        sales: docs.sales.len(),
        refunds: docs.refunds.len(),
        file_name,
    })
}

/// Writes rows as CSV with a header row, every text cell made inert for spreadsheets.
pub fn write_csv<W: std::io::Write>(rows: &[Row], out: W) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| ExportError::Write(e.to_string());
    w.write_record(COLUMNS).map_err(err)?;
    for r in rows {
        let training = r.training.to_string();
        let cells = [
            &r.receipt_no,
            &r.created_at,
            &r.paid_at,
            &r.status,
            &r.amount,
            &r.currency,
            &r.amount_msat,
            &r.rate,
            &r.order_id,
            &r.payment_hash,
            &r.memo,
            &r.terminal,
            &r.cashier,
            &training,
            &r.document,
            &r.refers_to,
            &r.chain_head,
            &r.subtotal,
            &r.discount,
            &r.tax,
            &r.tip,
            &r.total,
            &r.tender,
            &r.tendered,
            &r.change,
            &r.approved_by,
        ];
        w.write_record(cells.iter().map(|c| neutralise(c)))
            .map_err(err)?;
    }
    w.flush().map_err(|e| ExportError::Write(e.to_string()))
}

/// The columns of the line CSV: the receipt number is the key back to the sales CSV.
pub const LINE_COLUMNS: [&str; 19] = [
    "receipt_no",
    "created_at",
    "status",
    "document",
    "line",
    "sku",
    "name",
    "category",
    "quantity",
    "unit",
    "amount",
    "discount",
    "net",
    "tax_rate",
    "tax_included",
    "tax",
    "gross",
    "currency",
    "terminal",
];

/// One row of the line CSV.
fn line_rows(rows: &[Row]) -> Vec<[String; 19]> {
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| r.document == "sale") {
        for (n, l) in r.lines.iter().enumerate() {
            out.push([
                r.receipt_no.clone(),
                r.created_at.clone(),
                r.status.clone(),
                r.document.clone(),
                (n + 1).to_string(),
                l.sku.clone().unwrap_or_default(),
                l.name.clone(),
                l.category.clone().unwrap_or_default(),
                l.quantity.to_string(),
                l.unit.clone(),
                l.amount.clone(),
                l.discount.clone(),
                l.net.clone(),
                l.tax_rate.clone(),
                l.tax_included.to_string(),
                l.tax.clone(),
                l.gross.clone(),
                r.currency.clone(),
                r.terminal.clone(),
            ]);
        }
    }
    out
}

/// Writes the line rows as CSV with a header row, every text cell made inert.
fn write_lines_csv<W: std::io::Write>(rows: &[[String; 19]], out: W) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| ExportError::Write(e.to_string());
    w.write_record(LINE_COLUMNS).map_err(err)?;
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise(c)))
            .map_err(err)?;
    }
    w.flush().map_err(|e| ExportError::Write(e.to_string()))
}

/// Writes rows as a JSON array.
pub fn write_json<W: std::io::Write>(rows: &[Row], mut out: W) -> Result<(), ExportError> {
    serde_json::to_writer_pretty(&mut out, rows).map_err(|e| ExportError::Write(e.to_string()))?;
    out.write_all(b"\n")
        .map_err(|e| ExportError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes_are_neutralised() {
        for (cell, out) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("-2", "-2"),
            ("-2.50", "-2.50"),
            ("-2+3", "'-2+3"),
            ("-1e3", "'-1e3"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("table 4", "table 4"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), out);
        }
    }
}
