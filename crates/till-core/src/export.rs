//! Exports for the accountant: CSV (with the `csv` crate) and JSON, one row per sale, with the
//! same fields in the same order.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (and some also
//! act on a leading tab or carriage return), so in CSV every text cell that starts with one of
//! those gets a leading apostrophe. JSON is data, not a spreadsheet, and keeps values as they are.

use serde::Serialize;

use crate::ledger::{time_text, Sale};

/// One exported sale. The field order is the column order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Receipt number (per terminal).
    pub receipt_no: i64,
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
}

impl From<&Sale> for Row {
    fn from(s: &Sale) -> Self {
        let amount = s
            .fiat()
            .map(|f| f.to_decimal().to_string())
            .unwrap_or_else(|_| s.amount_minor.to_string());
        Self {
            receipt_no: s.receipt_no,
            created_at: time_text(s.created_at),
            paid_at: s.paid_at.map(time_text).unwrap_or_default(),
            status: s.state.as_str().into(),
            amount,
            currency: s.currency.clone(),
            amount_msat: s.amount_msat.map(|m| m.to_string()).unwrap_or_default(),
            rate: s.rate.clone().unwrap_or_default(),
            order_id: s.order_id.clone().unwrap_or_default(),
            payment_hash: s.payment_hash.clone().unwrap_or_default(),
            memo: s.memo.clone(),
            terminal: s.terminal.clone(),
            cashier: s.cashier.clone(),
            training: s.training,
        }
    }
}

/// The CSV header, in column order.
pub const COLUMNS: [&str; 14] = [
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
];

/// Makes a text cell inert in a spreadsheet.
pub fn neutralise(cell: &str) -> String {
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
}

/// Writes sales as CSV with a header row.
pub fn write_csv<W: std::io::Write>(sales: &[Sale], out: W) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| ExportError::Write(e.to_string());
    w.write_record(COLUMNS).map_err(err)?;
    for s in sales {
        let r = Row::from(s);
        let cells = [
            r.receipt_no.to_string(),
            r.created_at,
            r.paid_at,
            r.status,
            r.amount,
            r.currency,
            r.amount_msat,
            r.rate,
            r.order_id,
            r.payment_hash,
            r.memo,
            r.terminal,
            r.cashier,
            r.training.to_string(),
        ];
        w.write_record(cells.iter().map(|c| neutralise(c)))
            .map_err(err)?;
    }
    w.flush().map_err(|e| ExportError::Write(e.to_string()))
}

/// Writes sales as a JSON array of rows.
pub fn write_json<W: std::io::Write>(sales: &[Sale], mut out: W) -> Result<(), ExportError> {
    let rows: Vec<Row> = sales.iter().map(Row::from).collect();
    serde_json::to_writer_pretty(&mut out, &rows).map_err(|e| ExportError::Write(e.to_string()))?;
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
            ("-2", "'-2"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("table 4", "table 4"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), out);
        }
    }
}
