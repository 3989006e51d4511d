//! The customer's receipt: plain lines (for the screen and the print dialog) and a PDF file,
//! 80 mm wide like thermal paper, set in a PDF built-in font so no font file is shipped. The
//! built-in fonts cover Western European text; other scripts print as `?`. Under the text sits a QR
//! of the payment proof (receipt, order id, whole payment hash), drawn as vector squares rather
//! than a bitmap: sharp at any printer resolution, and no image library in the till.

use chrono_tz::Tz;
use printpdf::{BuiltinFont, Mm, PdfDocument, Rect};

use crate::words::{fit, Lang};
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
fn bill_lines(bill: &Bill, out: &mut Vec<String>, width: usize, lang: Lang) {
    let row = |l: &str, r: &str| row(l, r, width);
    let t = |key: &str| lang.text(key);
    let a = |amount: &str| lang.amount(amount);
    let b = bill.view();
    let minus = |amount: &str| format!("-{}", a(amount));
    for (l, priced) in b.lines.iter().zip(&bill.lines) {
        let name = if l.quantity == 1 {
            lang.line_name(&l.name)
        } else {
            format!("{} x {}", l.quantity, lang.line_name(&l.name))
        };
        out.push(row(&name, &a(&l.amount)));
        if l.quantity != 1 {
            out.push(format!("    @ {}", a(&l.unit)));
        }
        if priced.line_discount != 0 {
            out.push(row(
                &format!("    {}", t("print_line_discount")),
                &minus(&l.line_discount),
            ));
        }
    }
    out.push(row("", &"-".repeat(10)));
    out.push(row(t("print_subtotal"), &a(&b.subtotal)));
    if bill.order_discount_total() != 0 {
        let what = match &b.order_discount {
            Some(d) if d.ends_with('%') => {
                lang.fill("print_order_discount_pct", &[("percent", &a(d))])
            }
            _ => t("print_order_discount").to_owned(),
        };
        out.push(row(&what, &minus(&b.order_discount_amount)));
    }
    let rate = |r: &str, included: bool| lang.tax_rate(r, included);
    // Tax added on top is part of the sum; tax included is in the prices (summed up below).
    for tax in b.tax.iter().filter(|t| !t.included) {
        out.push(row(
            &lang.fill("print_tax_rate_added", &[("rate", &a(&tax.rate))]),
            &a(&tax.tax),
        ));
    }
    if bill.tip != 0 {
        let what = match &b.tip_choice {
            Some(c) if c.ends_with('%') => lang.fill("print_tip_pct", &[("percent", &a(c))]),
            _ => t("print_tip").to_owned(),
        };
        out.push(row(&what, &a(&b.tip)));
    }
    out.push(row(
        t("print_total"),
        &format!("{} {}", a(&b.total), b.currency),
    ));
    if bill.tax != 0 && width < WIDTH {
        // Narrow paper: each rate on one line, its tax only.
        for tax in &b.tax {
            out.push(row(
                &lang.fill(
                    "print_tax_rate_how",
                    &[("how", &rate(&tax.rate, tax.included))],
                ),
                &a(&tax.tax),
            ));
        }
    } else if bill.tax != 0 {
        out.push(format!(
            "{}{:>9}{:>8}{:>9}",
            fit(t("print_col_tax"), 14),
            t("print_col_net"),
            t("print_col_tax_amount"),
            t("print_col_gross")
        ));
        for tax in &b.tax {
            out.push(format!(
                "{}{:>9}{:>8}{:>9}",
                fit(&rate(&tax.rate, tax.included), 14),
                a(&tax.net),
                a(&tax.tax),
                a(&tax.gross)
            ));
        }
    }
}

/// The receipt's lines in English, top to bottom: the shop (and its tax number, when it has
/// one), the receipt, what was sold, and how it was paid.
pub fn lines(sale: &Sale, shop: &str, tax_number: &str, tz: Tz) -> Vec<String> {
    lines_in(sale, shop, tax_number, tz, WIDTH, Lang::En)
}

/// [`lines`] for paper `width` characters wide (a thermal printer's 32 or 48 columns), in `lang`.
pub fn lines_in(
    sale: &Sale,
    shop: &str,
    tax_number: &str,
    tz: Tz,
    width: usize,
    lang: Lang,
) -> Vec<String> {
    let t = |key: &str| lang.text(key);
    let a = |amount: &str| lang.amount(amount);
    let mut out = vec![shop.to_owned()];
    if !tax_number.trim().is_empty() {
        out.push(lang.fill("print_tax_no", &[("number", &tax_number.trim())]));
    }
    out.push(lang.fill(
        "print_receipt",
        &[("label", &sale.label()), ("terminal", &sale.terminal)],
    ));
    if !sale.state.is_paid() {
        out.push(t("print_not_paid").into());
    }
    if sale.training {
        out.push(t("print_training").into());
    }
    out.push(
        sale.created_at
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
    );
    if !sale.cashier.is_empty() {
        out.push(lang.fill("print_served_by", &[("name", &sale.cashier)]));
    }
    out.push(String::new());
    // The labels before the values line up, however long this language's longest one is.
    let labels = [
        "print_amount",
        "print_bitcoin",
        "print_rate",
        "print_status",
        "print_note",
        "print_order",
        "print_payment",
        "print_cash",
        "print_change",
    ];
    let pad = labels
        .iter()
        .map(|k| t(k).chars().count())
        .max()
        .unwrap_or(7)
        + 2;
    let field = |key: &str, value: &str| format!("{}{value}", fit(t(key), pad));
    if let Some(b) = &sale.bill {
        bill_lines(b, &mut out, width, lang);
        out.push(String::new());
    } else {
        let amount = match sale.fiat() {
            Ok(f) => format!("{} {}", a(&f.to_decimal().to_string()), sale.currency),
            Err(_) => format!("{} {}", sale.amount_minor, sale.currency),
        };
        out.push(field("print_amount", &amount));
    }
    if let Some(msat) = sale.amount_msat {
        out.push(field(
            "print_bitcoin",
            &lang.fill(
                "common_sats",
                &[("count", &crate::money::Msat(msat).sats())],
            ),
        ));
    }
    if let Some(rate) = &sale.rate {
        out.push(field(
            "print_rate",
            &format!("{} {}/BTC", a(rate), sale.currency),
        ));
    }
    let status = match sale.state.as_str() {
        "paid" if sale.underpaid => t("print_status_underpaid").to_owned(),
        "paid_late" => t("print_status_late").to_owned(),
        other => lang.state_word(other),
    };
    out.push(field("print_status", &status));
    if !sale.memo.is_empty() {
        out.push(field("print_note", &sale.memo));
    }
    out.push(String::new());
    if let Some(id) = &sale.order_id {
        out.push(field("print_order", id));
    }
    if let Some(hash) = &sale.payment_hash {
        out.push(field(
            "print_payment",
            &format!("{}...", &hash[..hash.len().min(16)]),
        ));
    }
    if let Some(cash) = sale.cash {
        let m = |minor: i64| a(&crate::money::decimal_text(minor, &sale.currency));
        out.push(field(
            "print_cash",
            &format!("{} {}", m(cash.tendered_minor), sale.currency),
        ));
        out.push(field(
            "print_change",
            &format!("{} {}", m(cash.change_minor), sale.currency),
        ));
    }
    if sale.state.is_paid() {
        out.push(t(sale.tender().paid_with()).into());
    }
    if let Some(by) = &sale.approved_by {
        out.push(lang.fill("print_discount_approved", &[("name", by)]));
    }
    out
}

/// The short reference a printed receipt's QR holds (`till:front:42`): the terminal and the
/// receipt number, which find the sale in the ledger and the export; never the whole invoice.
pub fn reference(sale: &Sale) -> String {
    format!("till:{}:{}", sale.terminal, sale.label())
}

/// What a printed receipt says of the shop, from its settings.
#[derive(Debug, Clone)]
pub struct ShopHead {
    /// Its name, the receipt's title.
    pub name: String,
    /// Its address, one line each (empty: none).
    pub address: String,
    /// Its tax number (empty: none).
    pub tax_number: String,
    /// Its time zone, for the sale's time.
    pub tz: Tz,
    /// Its language.
    pub lang: Lang,
}

/// The receipt for a thermal printer `columns` wide: the shop's name as its title, its address
/// under it (one line each), the lines, COPY on a reprint, the reference as a QR, and (a cash
/// sale's first print) the drawer kick.
pub fn printed(sale: &Sale, shop: &ShopHead, columns: u8, copy: bool) -> till_print::Doc {
    use till_print::doc::Block;
    let lang = shop.lang;
    let address = &shop.address;
    let mut doc = till_print::Doc::new();
    let lines = lines_in(
        sale,
        &shop.name,
        &shop.tax_number,
        shop.tz,
        usize::from(columns),
        lang,
    );
    let mut rest = lines.into_iter();
    if let Some(title) = rest.next() {
        doc.push(Block::Title(title));
    }
    for line in address.lines().map(str::trim).filter(|l| !l.is_empty()) {
        doc.push(Block::Centre(line.to_owned()));
    }
    if copy {
        doc.push(Block::Title(lang.text("print_copy").into()));
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
    lang: Lang,
) -> Result<std::path::PathBuf, ReceiptError> {
    let lines = lines_in(sale, shop, tax_number, tz, WIDTH, lang);
    let bytes = pdf(
        &lines,
        &lang.fill("print_receipt_title", &[("label", &sale.label())]),
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
            let word = Lang::En
                .text(&format!("state_{}", state.as_str()))
                .to_lowercase();
            assert!(l.contains(&format!("Status   {word}")), "{l:?}");
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
