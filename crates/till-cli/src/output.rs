//! What the command prints: one JSON object per line with `--json`, plain lines otherwise.

use qrcode::{render::unicode::Dense1x2, EcLevel, QrCode};
use serde_json::{json, Value};
use till_core::{ledger::Sale, money::Msat, sale::SaleState, words::Lang};

/// A sale as one JSON object (the `--json` contract: receipt_no, order_id, status, amount,
/// currency, amount_msat, payment_request, pay_url, and error when failed; for a sale priced from
/// a bill, subtotal, discount, tax (a list of rate, net and tax), tip, total and lines, every
/// amount an exact decimal string).
pub fn sale_json(s: &Sale) -> Value {
    let amount = s
        .fiat()
        .map(|f| f.to_decimal().to_string())
        .unwrap_or_default();
    let mut v = json!({
        "receipt_no": s.receipt_no,
        "receipt": s.label(),
        "order_id": s.order_id,
        "status": s.state.as_str(),
        "amount": amount,
        "currency": s.currency,
        "amount_msat": s.amount_msat,
        "payment_request": s.payment_request,
        "pay_url": s.pay_url,
        "training": s.training,
    });
    if let Some(e) = &s.error {
        if matches!(s.state, SaleState::Failed | SaleState::Uncertain) {
            v["error"] = json!(e);
        }
    }
    if s.underpaid {
        v["underpaid"] = json!(true);
    }
    if let Some(r) = s.replaces {
        v["replaces"] = json!(r);
    }
    if let Some(a) = &s.attention {
        v["attention"] = json!(a);
    }
    if let Some(b) = &s.bill {
        let b = b.view();
        v["subtotal"] = json!(b.subtotal);
        v["discount"] = json!(b.discount);
        v["tax"] = json!(b.tax);
        v["tip"] = json!(b.tip);
        v["total"] = json!(b.total);
        v["lines"] = json!(b.lines);
    }
    v["tender"] = json!(s.tender().as_str());
    if let Some(c) = s.cash {
        v["tendered"] = json!(till_core::money::decimal_text(
            c.tendered_minor,
            &s.currency
        ));
        v["change"] = json!(till_core::money::decimal_text(c.change_minor, &s.currency));
    }
    if !s.cashier.is_empty() {
        v["cashier"] = json!(s.cashier);
    }
    if let Some(a) = &s.approved_by {
        v["approved_by"] = json!(a);
    }
    v
}

/// Prints one JSON line.
pub fn line(v: &Value) {
    println!("{v}");
}

fn status_words(s: &Sale, lang: Lang) -> String {
    let base = lang.text(match s.state {
        SaleState::Creating => "cli_status_creating",
        SaleState::AwaitingPayment if s.partial => "cli_status_partial",
        SaleState::AwaitingPayment => "cli_status_awaiting",
        SaleState::Paid if s.underpaid => "cli_status_underpaid",
        SaleState::Paid => "cli_status_paid",
        SaleState::TimedOut => "cli_status_timed_out",
        SaleState::PaidLate => "cli_status_paid_late",
        SaleState::Cancelled => "cli_status_cancelled",
        SaleState::Failed => "cli_status_failed",
        SaleState::Uncertain => "cli_status_uncertain",
    });
    let words = match (&s.error, s.state) {
        (Some(e), SaleState::Failed | SaleState::Uncertain) => format!("{base}: {e}"),
        _ => base.to_owned(),
    };
    match &s.attention {
        Some(a) => format!(
            "{words}\n  {}",
            lang.fill("cli_needs_manager", &[("why", a)])
        ),
        None => words,
    }
}

/// A sale in plain words, in `lang`.
pub fn sale_text(s: &Sale, lang: Lang) -> String {
    let amount = s
        .fiat()
        .map(|f| {
            format!(
                "{} {}",
                lang.amount(&f.to_decimal().to_string()),
                s.currency
            )
        })
        .unwrap_or_else(|_| format!("{} {}", s.amount_minor, s.currency));
    let mut out = lang.fill(
        "cli_sale_receipt",
        &[("label", &s.label()), ("amount", &amount)],
    );
    if let Some(msat) = s.amount_msat {
        out.push(' ');
        out.push_str(&lang.fill("cli_sale_sats", &[("sats", &group(Msat(msat).sats()))]));
    }
    if let Some(rate) = &s.rate {
        out.push(' ');
        out.push_str(&lang.fill(
            "cli_sale_rate",
            &[("rate", &lang.amount(rate)), ("currency", &s.currency)],
        ));
    }
    if s.training {
        out.push_str("  ");
        out.push_str(lang.text("cli_sale_demo"));
    }
    out.push_str(&format!("\n  {}", status_words(s, lang)));
    if let Some(id) = &s.order_id {
        out.push_str(&format!("\n  {}", lang.fill("cli_order", &[("id", id)])));
    }
    out
}

pub use till_core::money::grouped as group;

/// The invoice as the customer scans it: `lightning:` + upper case (alphanumeric mode: a
/// smaller, easier QR), drawn with half-block characters.
pub fn invoice_qr(payment_request: &str) -> Option<String> {
    let uri = till_core::qr::invoice_uri(payment_request);
    let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M).ok()?;
    Some(code.render::<Dense1x2>().quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_is_drawn() {
        let q = invoice_qr("lnbcrt1").unwrap();
        assert!(q.lines().count() > 10);
        assert!(q.contains('█'));
    }
}
