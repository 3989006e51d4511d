//! A report as plain text, for a terminal or a receipt printer (48 columns).

use super::{Report, ReportKind};
use crate::ledger::label;

/// At most `max` characters, the last one an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

/// Plain text, one line per figure.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let mut push = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let title = match r.kind {
        ReportKind::Z => format!("Z REPORT {} (period closed)", r.label),
        ReportKind::X => match r.z_no {
            Some(n) => format!("X REPORT (open period, next {})", label("Z", r.training, n)),
            None => "X REPORT (open period)".into(),
        },
        ReportKind::Day => format!("DAY REPORT {}", r.day),
    };
    push(format!(
        "{title}{}",
        if r.training {
            "  [TRAINING / DEMO]"
        } else {
            ""
        }
    ));
    push(format!("terminal {}  ({})", r.terminal, r.timezone));
    if let Some(by) = &r.closed_by {
        push(format!("closed by {by}"));
    }
    match (&r.from, &r.to) {
        (Some(from), Some(to)) => push(format!("from {from}\n  to {to}")),
        (None, Some(to)) => push(format!("from the start\n  to {to}")),
        _ => push(format!("day {}", r.day)),
    }
    push(format!(
        "{:<18} {:>6} {:>16} {:>16}",
        "status", "count", "amount", "sats"
    ));
    let t = &r.totals;
    for l in &t.lines {
        push(format!(
            "{:<18} {:>6} {:>12} {} {:>16}",
            l.status, l.count, l.amount, l.currency, l.sats
        ));
    }
    for l in &t.late_payments {
        push(format!(
            "{:<18} {:>6} {:>12} {} {:>16}",
            format!("paid late {}", label("Z", r.training, l.from_z)),
            label("", r.training, l.receipt_no),
            l.amount,
            l.currency,
            l.sats
        ));
    }
    for l in &t.received {
        push(format!(
            "{:<18} {:>6} {:>12} {} {:>16}",
            "RECEIVED", l.count, l.amount, l.currency, l.sats
        ));
    }
    for l in &t.refunds {
        push(format!(
            "{:<18} {:>6} {:>12} {}",
            "REFUNDED", l.count, l.amount, l.currency
        ));
    }
    if !t.refunds.is_empty() {
        for l in &t.net {
            push(format!(
                "{:<18} {:>6} {:>12} {}",
                "NET", "", l.amount, l.currency
            ));
        }
    }
    if t.lines.is_empty() && t.late_payments.is_empty() && t.refunds.is_empty() {
        push("no sales".into());
    }
    let sold = &t.sold;
    if !sold.is_empty() {
        push("SOLD BY ITEM (received)".into());
        for l in &sold.items {
            push(format!(
                "  {:>5} x {:<24} {:>12} {}",
                l.quantity,
                shorten(&l.name, 24),
                l.amount,
                l.currency
            ));
        }
        push("BY CATEGORY".into());
        for l in &sold.categories {
            let name = if l.category.is_empty() {
                "(none)"
            } else {
                &l.category
            };
            push(format!(
                "  {:>5} x {:<24} {:>12} {}",
                l.quantity,
                shorten(name, 24),
                l.amount,
                l.currency
            ));
        }
        push(format!(
            "{:<18} {:>12} {:>12} {:>12}",
            "TAX", "net", "tax", "gross"
        ));
        for l in &sold.taxes {
            let how = if l.included { "incl." } else { "added" };
            push(format!(
                "  {:<16} {:>12} {:>12} {:>12} {}",
                format!("{}% {how}", l.rate),
                l.net,
                l.tax,
                l.gross,
                l.currency
            ));
        }
        for l in &sold.refunded_taxes {
            let how = if l.included { "incl." } else { "added" };
            push(format!(
                "  {:<16} {:>12} {:>12} {:>12} {}",
                format!("back {}% {how}", l.rate),
                format!("-{}", l.net),
                format!("-{}", l.tax),
                format!("-{}", l.gross),
                l.currency
            ));
        }
        for (title, lines) in [
            ("DISCOUNTS", &sold.discounts),
            ("TIPS", &sold.tips),
            ("WITHOUT ITEMS", &sold.unitemized),
        ] {
            for l in lines {
                push(format!("{title:<18} {:>19} {}", l.amount, l.currency));
            }
        }
    }
    if let Some(tenders) = &t.tenders {
        if !tenders.is_empty() {
            push(format!(
                "{:<18} {:>6} {:>12}     {:>6} {:>12}",
                "BY TENDER", "sales", "received", "refnd", "refunded"
            ));
        }
        for l in tenders {
            push(format!(
                "  {:<16} {:>6} {:>12} {} {:>6} {:>12} {}",
                l.tender, l.sales, l.received, l.currency, l.refunds, l.refunded, l.currency
            ));
        }
    }
    if let Some(people) = &t.people {
        if !people.is_empty() {
            push(format!(
                "{:<18} {:>6} {:>12}     {:>6} {:>12}",
                "BY PERSON", "sales", "received", "refnd", "refunded"
            ));
        }
        for l in people {
            let name = if l.name.is_empty() {
                "(not recorded)"
            } else {
                &l.name
            };
            push(format!(
                "  {:<16} {:>6} {:>12} {} {:>6} {:>12} {}",
                shorten(name, 16),
                l.sales,
                l.received,
                l.currency,
                l.refunds,
                l.refunded,
                l.currency
            ));
        }
    }
    for s in &r.shifts {
        push(format!(
            "SHIFT {} opened by {}, closed by {}",
            s.label, s.opened_by, s.closed_by
        ));
        for (what, amount) in [
            ("float", &s.float),
            ("cash sales", &s.cash_sales),
            ("paid in", &s.pay_ins),
            ("paid out", &s.pay_outs),
            ("cash refunds", &s.refunds),
            ("expected", &s.expected),
            ("counted", &s.counted),
            ("variance", &s.variance),
        ] {
            push(format!("  {what:<16} {amount:>19} {}", s.currency));
        }
    }
    let receipts = |v: &[i64]| {
        v.iter()
            .map(|n| label("", r.training, *n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !t.paid_late.is_empty() {
        push(format!("PAID LATE: receipts {}", receipts(&t.paid_late)));
    }
    if !t.late_payments.is_empty() {
        push(format!(
            "PAID LATE, FROM EARLIER Z: receipts {}",
            receipts(
                &t.late_payments
                    .iter()
                    .map(|l| l.receipt_no)
                    .collect::<Vec<_>>()
            )
        ));
    }
    if !t.underpaid.is_empty() {
        push(format!(
            "underpaid (accepted): receipts {}",
            receipts(&t.underpaid)
        ));
    }
    if !t.open.is_empty() {
        push(format!("still open: receipts {}", receipts(&t.open)));
    }
    if r.left_out > 0 {
        let what = if r.training {
            "real"
        } else {
            "training (demo)"
        };
        push(format!("{} {what} sale(s) not counted here", r.left_out));
    }
    push(format!("chain head {}", r.chain_head));
    out
}
