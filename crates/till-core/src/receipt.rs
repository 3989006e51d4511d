//! The customer's receipt: plain lines (for the screen and the print dialog) and a PDF file,
//! 80 mm wide like thermal paper, set in a PDF built-in font so no font file is shipped. The
//! built-in fonts cover Western European text; other scripts print as `?`. Under the text sits a QR
//! of the payment proof (receipt, order id, whole payment hash), drawn as vector squares rather
//! than a bitmap: sharp at any printer resolution, and no image library in the till.

use chrono_tz::Tz;
use printpdf::{BuiltinFont, Mm, PdfDocument, Rect};

use crate::{ledger::Sale, money::bill::Bill, qr};

/// Why a receipt file could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the receipt could not be made: {0}")]
pub struct ReceiptError(String);

/// How wide a receipt's lines are, in characters (80 mm paper in the PDF's 9-point Courier).
pub const WIDTH: usize = 40;

/// `left` and `right` on one line of `width`, the right flush right.
fn row(left: &str, right: &str, width: usize) -> String {
    let room = width.saturating_sub(right.chars().count() + 1);
    let left: String = left.chars().take(room).collect();
    format!("{left:<room$} {right}")
}

/// The bill's lines: each item (with its unit price when more than one, and its discount), then
/// the subtotal, the discounts, the tax per rate, the tip and the total.
fn bill_lines(bill: &Bill, out: &mut Vec<String>, width: usize) {
    let row = |l: &str, r: &str| row(l, r, width);
    let b = bill.view();
    let minus = |amount: &str| format!("-{amount}");
    for (l, priced) in b.lines.iter().zip(&bill.lines) {
        let name = if l.quantity == 1 {
            l.name.clone()
        } else {
            format!("{} x {}", l.quantity, l.name)
        };
        out.push(row(&name, &l.amount));
        if l.quantity != 1 {
            out.push(format!("    @ {}", l.unit));
        }
        if priced.line_discount != 0 {
            out.push(row("    discount", &minus(&l.line_discount)));
        }
    }
    out.push(row("", &"-".repeat(10)));
    out.push(row("Subtotal", &b.subtotal));
    if bill.order_discount_total() != 0 {
        let what = match &b.order_discount {
            Some(d) if d.ends_with('%') => format!("Discount ({d} on the order)"),
            _ => "Discount on the order".to_owned(),
        };
        out.push(row(&what, &minus(&b.order_discount_amount)));
    }
    // Tax added on top is part of the sum; tax included is in the prices (summed up below).
    for t in b.tax.iter().filter(|t| !t.included) {
        out.push(row(&format!("Tax {}% added", t.rate), &t.tax));
    }
    if bill.tip != 0 {
        let what = match &b.tip_choice {
            Some(c) if c.ends_with('%') => format!("Tip ({c})"),
            _ => "Tip".to_owned(),
        };
        out.push(row(&what, &b.tip));
    }
    out.push(row("TOTAL", &format!("{} {}", b.total, b.currency)));
    if bill.tax != 0 && width < WIDTH {
        // Narrow paper: each rate on one line, its tax only.
        for t in &b.tax {
            let how = if t.included { "incl." } else { "added" };
            out.push(row(&format!("Tax {}% {how}", t.rate), &t.tax));
        }
    } else if bill.tax != 0 {
        out.push(format!(
            "{:<14}{:>9}{:>8}{:>9}",
            "Tax", "net", "tax", "gross"
        ));
        for t in &b.tax {
            let how = if t.included { "incl." } else { "added" };
            out.push(format!(
                "{:<14}{:>9}{:>8}{:>9}",
                format!("{}% {how}", t.rate),
                t.net,
                t.tax,
                t.gross
            ));
        }
    }
}

/// The receipt's lines, top to bottom: the shop (and its tax number, when it has one), the
/// receipt, what was sold, and how it was paid.
pub fn lines(sale: &Sale, shop: &str, tax_number: &str, tz: Tz) -> Vec<String> {
    lines_for(sale, shop, tax_number, tz, WIDTH)
}

/// [`lines`] for paper `width` characters wide (a thermal printer's 32 or 48 columns).
pub fn lines_for(sale: &Sale, shop: &str, tax_number: &str, tz: Tz, width: usize) -> Vec<String> {
    let mut out = vec![shop.to_owned()];
    if !tax_number.trim().is_empty() {
        out.push(format!("Tax no. {}", tax_number.trim()));
    }
    out.push(format!("Receipt {} ({})", sale.label(), sale.terminal));
    if !sale.state.is_paid() {
        out.push("NOT PAID - THIS IS NOT A RECEIPT FOR A PAYMENT".into());
    }
    if sale.training {
        out.push("TRAINING - NOT A REAL SALE".into());
    }
    out.push(
        sale.created_at
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
    );
    if !sale.cashier.is_empty() {
        out.push(format!("Served by {}", sale.cashier));
    }
    out.push(String::new());
    if let Some(b) = &sale.bill {
        bill_lines(b, &mut out, width);
        out.push(String::new());
    } else {
        let amount = sale
            .fiat()
            .map(|f| f.to_string())
            .unwrap_or_else(|_| format!("{} {}", sale.amount_minor, sale.currency));
        out.push(format!("Amount   {amount}"));
    }
    if let Some(msat) = sale.amount_msat {
        out.push(format!("Bitcoin  {} sats", crate::money::Msat(msat).sats()));
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
    if let Some(cash) = sale.cash {
        let m = |minor: i64| crate::money::decimal_text(minor, &sale.currency);
        out.push(format!(
            "Cash     {} {}",
            m(cash.tendered_minor),
            sale.currency
        ));
        out.push(format!(
            "Change   {} {}",
            m(cash.change_minor),
            sale.currency
        ));
    }
    if sale.state.is_paid() {
        out.push(sale.tender().paid_with().into());
    }
    if let Some(by) = &sale.approved_by {
        out.push(format!("Discount approved by {by}"));
    }
    out
}

/// The short reference a printed receipt's QR holds (`till:front:42`): the terminal and the
/// receipt number, which find the sale in the ledger and the export; never the whole invoice.
pub fn reference(sale: &Sale) -> String {
    format!("till:{}:{}", sale.terminal, sale.label())
}

/// The receipt for a thermal printer `columns` wide: the shop's name as its title, its address
/// under it (one line each), the lines, COPY on a reprint, the reference as a QR, and (a cash
/// sale's first print) the drawer kick.
pub fn printed(
    sale: &Sale,
    shop: &str,
    address: &str,
    tax_number: &str,
    tz: Tz,
    columns: u8,
    copy: bool,
) -> till_print::Doc {
    use till_print::doc::Block;
    let mut doc = till_print::Doc::new();
    let lines = lines_for(sale, shop, tax_number, tz, usize::from(columns));
    let mut rest = lines.into_iter();
    if let Some(title) = rest.next() {
        doc.push(Block::Title(title));
    }
    for line in address.lines().map(str::trim).filter(|l| !l.is_empty()) {
        doc.push(Block::Centre(line.to_owned()));
    }
    if copy {
        doc.push(Block::Title("COPY".into()));
    }
    for l in rest {
        doc.push(Block::Text(l));
    }
    doc.push(Block::Feed(1)).push(Block::Qr(reference(sale)));
    if sale.cash.is_some() && !copy {
        doc.push(Block::Drawer);
    }
    doc
}

/// What the receipt's QR holds: enough for the shop or the customer to find the payment again
/// (the printed hash is shortened; this one is whole). None for a sale never sent to the gateway.
pub fn proof(sale: &Sale) -> Option<String> {
    let order = sale.order_id.as_deref()?;
    let mut text = format!(
        "Till receipt {} ({})\nOrder {order}",
        sale.label(),
        sale.terminal
    );
    if let Some(hash) = &sale.payment_hash {
        text.push_str(&format!("\nPayment hash {hash}"));
    }
    Some(text)
}

/// Saves a sale's receipt as a PDF in `data_dir/receipts` (written whole or not at all); returns
/// the file's path.
pub fn save(
    data_dir: &std::path::Path,
    sale: &Sale,
    shop: &str,
    tax_number: &str,
    tz: Tz,
) -> Result<std::path::PathBuf, ReceiptError> {
    let lines = lines(sale, shop, tax_number, tz);
    let bytes = pdf(
        &lines,
        &format!("Receipt {}", sale.label()),
        proof(sale).as_deref(),
    )?;
    let dir = data_dir.join("receipts");
    let path = dir.join(format!(
        "receipt-{}-{}.pdf",
        sale.terminal.replace(['/', '\\', '.'], "_"),
        sale.label()
    ));
    crate::files::write_atomically(&path, &bytes)
        .map_err(|e| ReceiptError(format!("cannot save it in {}: {}", dir.display(), e.source)))?;
    Ok(path)
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

/// The QR's side on paper, quiet zone included.
const QR_MM: f32 = 40.0;

/// The receipt as a PDF, with `qr_text` (see [`proof`]) as a QR under the lines.
pub fn pdf(lines: &[String], title: &str, qr_text: Option<&str>) -> Result<Vec<u8>, ReceiptError> {
    let line_mm = 5.0;
    let code = qr_text
        .map(qr::modules)
        .transpose()
        .map_err(|e| ReceiptError(e.to_string()))?;
    let qr_space = if code.is_some() { QR_MM + 5.0 } else { 0.0 };
    let height = 20.0 + line_mm * lines.len() as f32 + qr_space;
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
    if let Some((width, dark)) = code {
        // Four modules of quiet zone on each side, centred on the 80 mm paper.
        let module = QR_MM / (width + 8) as f32;
        let left = (80.0 - QR_MM) / 2.0 + 4.0 * module;
        let top = 10.0 + QR_MM - 4.0 * module;
        for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
            let (x, y) = ((i % width) as f32, (i / width) as f32);
            let x0 = left + x * module;
            let y0 = top - (y + 1.0) * module;
            layer.add_rect(Rect::new(Mm(x0), Mm(y0), Mm(x0 + module), Mm(y0 + module)));
        }
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
            reference: None,
            attention: None,
            bill: None,
            cash: None,
            approved_by: None,
            shift_id: None,
        }
    }

    #[test]
    fn a_receipt_lists_the_lines_the_tax_per_rate_the_tip_and_the_tax_number() {
        use crate::money::bill::{Adjustment, LineInput, Order, Percent, Tax};
        let tax = |r: &str| Tax {
            rate: Percent::parse(r).unwrap(),
            included: true,
        };
        let line = |name: &str, unit: i64, quantity: i64, rate: &str| LineInput {
            name: name.into(),
            sku: None,
            category: None,
            unit,
            quantity,
            tax: tax(rate),
            discount: None,
        };
        let order = Order {
            currency: crate::money::Currency::from_code("EUR").unwrap(),
            lines: vec![
                line("Espresso", 250, 2, "21"),
                line("Croissant", 280, 1, "10"),
            ],
            discount: Some(Adjustment::Percent(Percent::parse("10").unwrap())),
            tip: Some(Adjustment::Amount(100)),
            tip_tax: None,
        };
        let mut s = sale();
        s.bill = Some(order.bill().unwrap());
        let l = lines(&s, "Corner Café", "DE123456789", Tz::UTC);
        assert_eq!(l[1], "Tax no. DE123456789");
        let text = l.join("\n");
        for want in [
            "2 x Espresso                        5.00",
            "    @ 2.50",
            "Croissant                           2.80",
            "Subtotal                            7.80",
            "Discount (10% on the order)        -0.78",
            "Tip                                 1.00",
            "TOTAL                           8.02 EUR",
            "Tax                 net     tax    gross",
            "10% incl.          2.29    0.23     2.52",
            "21% incl.          3.72    0.78     4.50",
        ] {
            assert!(text.contains(want), "{want:?} not in\n{text}");
        }
        assert!(l.iter().all(|line| line.chars().count() <= WIDTH), "{text}");
    }

    #[test]
    fn the_receipt_says_what_the_customer_needs() {
        let l = lines(&sale(), "Corner Café", "", "Europe/Zurich".parse().unwrap());
        assert_eq!(l[0], "Corner Café");
        assert_eq!(l[1], "Receipt 42 (till-1)");
        assert_eq!(l[2], "2026-11-24 10:30:00 CET");
        assert!(l.contains(&"Amount   12.50 EUR".to_owned()));
        assert!(l.contains(&"Bitcoin  13587 sats".to_owned()));
        assert!(l.contains(&"Rate     92000 EUR/BTC".to_owned()));
        assert!(l.contains(&"Status   paid".to_owned()));
        assert!(l.contains(&"Payment  abababababababab...".to_owned()));
        assert!(l.contains(&"Paid with Bitcoin Lightning".to_owned()));
        assert!(!l.iter().any(|x| x.contains("NOT PAID")));
    }

    #[test]
    fn only_a_paid_sale_says_paid() {
        for state in [
            SaleState::TimedOut,
            SaleState::Cancelled,
            SaleState::Failed,
            SaleState::AwaitingPayment,
        ] {
            let mut s = sale();
            s.state = state;
            s.paid_at = None;
            let l = lines(&s, "Shop", "", Tz::UTC);
            assert!(!l.iter().any(|x| x.contains("Paid with")), "{state}: {l:?}");
            assert_eq!(
                l[2], "NOT PAID - THIS IS NOT A RECEIPT FOR A PAYMENT",
                "{state}"
            );
            assert!(l.contains(&format!("Status   {}", state.as_str().replace('_', " "))));
        }
        let mut t = sale();
        t.training = true;
        assert_eq!(lines(&t, "Shop", "", Tz::UTC)[1], "Receipt T42 (till-1)");
    }

    #[test]
    fn a_pdf_is_made_even_for_text_its_font_cannot_draw() {
        let mut l = lines(&sale(), "Café 東京", "", Tz::UTC);
        l.push("\u{7}bell".into());
        let bytes = pdf(&l, "Receipt 42", None).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() > 500);
        assert_eq!(latin1("Café 東京"), "Café ??");
    }

    #[test]
    fn the_qr_holds_the_whole_payment_hash_and_is_drawn() {
        let text = proof(&sale()).unwrap();
        assert_eq!(
            text,
            format!(
                "Till receipt 42 (till-1)\nOrder 20261124093000000001\nPayment hash {}",
                "ab".repeat(32)
            )
        );
        let plain = pdf(&lines(&sale(), "Shop", "", Tz::UTC), "r", None).unwrap();
        let with_qr = pdf(&lines(&sale(), "Shop", "", Tz::UTC), "r", Some(&text)).unwrap();
        // Hundreds of filled squares (`re` operators) make the file much larger.
        assert!(
            with_qr.len() > plain.len() + 2_000,
            "{} vs {}",
            with_qr.len(),
            plain.len()
        );
        let mut never_sent = sale();
        never_sent.order_id = None;
        assert_eq!(proof(&never_sent), None);
    }
}
