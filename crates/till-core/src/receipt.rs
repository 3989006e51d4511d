//! The customer's receipt: plain lines (for the screen and the print dialog) and a PDF file,
//! 80 mm wide like thermal paper, set in a PDF built-in font so no font file is shipped. The
//! built-in fonts cover Western European text; other scripts print as `?`.

use chrono_tz::Tz;
use printpdf::{BuiltinFont, Mm, PdfDocument};

use crate::ledger::Sale;

/// Why a receipt file could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the receipt could not be made: {0}")]
pub struct ReceiptError(String);

/// The receipt's lines, top to bottom.
pub fn lines(sale: &Sale, shop: &str, tz: Tz) -> Vec<String> {
    let mut out = vec![
        shop.to_owned(),
        format!("Receipt {} ({})", sale.receipt_no, sale.terminal),
    ];
    if sale.training {
        out.push("TRAINING - NOT A REAL SALE".into());
    }
    out.push(
        sale.created_at
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
    );
    out.push(String::new());
    let amount = sale
        .fiat()
        .map(|f| f.to_string())
        .unwrap_or_else(|_| format!("{} {}", sale.amount_minor, sale.currency));
    out.push(format!("Amount   {amount}"));
    if let Some(msat) = sale.amount_msat {
        out.push(format!("Bitcoin  {} sats", msat / 1000));
    }
    if let Some(rate) = &sale.rate {
        out.push(format!("Rate     {rate} {}/BTC", sale.currency));
    }
    let status = match sale.state.as_str() {
        "paid" if sale.underpaid => "paid (underpaid, accepted)".to_owned(),
        "paid_late" => "paid (late)".to_owned(),
        other => other.replace('_', " "),
    };
    out.push(format!("Status   {status}"));
    if !sale.memo.is_empty() {
        out.push(format!("Note     {}", sale.memo));
    }
    out.push(String::new());
    if let Some(id) = &sale.order_id {
        out.push(format!("Order    {id}"));
    }
    if let Some(hash) = &sale.payment_hash {
        out.push(format!("Payment  {}...", &hash[..hash.len().min(16)]));
    }
    out.push("Paid with Bitcoin Lightning".into());
    out
}

/// Keeps what the built-in fonts can draw (Latin-1), replacing the rest with `?`.
fn latin1(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c as u32) < 256 && !c.is_control() {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// The receipt as a PDF.
pub fn pdf(lines: &[String], title: &str) -> Result<Vec<u8>, ReceiptError> {
    let line_mm = 5.0;
    let height = 20.0 + line_mm * lines.len() as f32;
    let (doc, page, layer) = PdfDocument::new(latin1(title), Mm(80.0), Mm(height), "receipt");
    let font = doc
        .add_builtin_font(BuiltinFont::Courier)
        .map_err(|e| ReceiptError(e.to_string()))?;
    let bold = doc
        .add_builtin_font(BuiltinFont::CourierBold)
        .map_err(|e| ReceiptError(e.to_string()))?;
    let layer = doc.get_page(page).get_layer(layer);
    for (i, line) in lines.iter().enumerate() {
        let y = height - 10.0 - line_mm * i as f32;
        let (f, size) = if i == 0 { (&bold, 12.0) } else { (&font, 9.0) };
        layer.use_text(latin1(line), size, Mm(5.0), Mm(y), f);
    }
    doc.save_to_bytes().map_err(|e| ReceiptError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sale::SaleState;
    use chrono::{TimeZone, Utc};

    fn sale() -> Sale {
        let t = Utc.with_ymd_and_hms(2026, 11, 24, 9, 30, 0).unwrap();
        Sale {
            id: 1,
            terminal: "till-1".into(),
            receipt_no: 42,
            created_at: t,
            amount_minor: 1250,
            currency: "EUR".into(),
            memo: "table 4".into(),
            cashier: String::new(),
            training: false,
            state: SaleState::Paid,
            underpaid: false,
            partial: false,
            order_id: Some("20261124093000000001".into()),
            btc_amount: Some("0.00013587".into()),
            amount_msat: Some(13_587_000),
            rate: Some("92000".into()),
            payment_request: None,
            payment_hash: Some("ab".repeat(32)),
            pay_url: None,
            order_created_at: Some(t),
            order_expires_at: None,
            invoice_expires_at: None,
            paid_at: Some(t),
            error: None,
            replaces: None,
            updated_at: t,
        }
    }

    #[test]
    fn the_receipt_says_what_the_customer_needs() {
        let l = lines(&sale(), "Corner Café", "Europe/Zurich".parse().unwrap());
        assert_eq!(l[0], "Corner Café");
        assert_eq!(l[1], "Receipt 42 (till-1)");
        assert_eq!(l[2], "2026-11-24 10:30:00 CET");
        assert!(l.contains(&"Amount   12.50 EUR".to_owned()));
        assert!(l.contains(&"Bitcoin  13587 sats".to_owned()));
        assert!(l.contains(&"Rate     92000 EUR/BTC".to_owned()));
        assert!(l.contains(&"Status   paid".to_owned()));
        assert!(l.contains(&"Payment  abababababababab...".to_owned()));
    }

    #[test]
    fn a_pdf_is_made_even_for_text_its_font_cannot_draw() {
        let mut l = lines(&sale(), "Café 東京", Tz::UTC);
        l.push("\u{7}bell".into());
        let bytes = pdf(&l, "Receipt 42").unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() > 500);
        assert_eq!(latin1("Café 東京"), "Café ??");
    }
}
