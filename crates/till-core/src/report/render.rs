//! A report as plain text, for a terminal or a receipt printer (48 columns).

use super::{Report, ReportKind};
use crate::ledger::label;
use crate::words::{fit, Lang};

/// At most `max` characters, the last one an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

/// The heading of a table split by tender or by person: its title and the columns' words.
fn split_heading(lang: Lang, title: &str) -> String {
    let w = |key: &str| lang.text(key);
    format!(
        "{} {:>6} {:>12}     {:>6} {:>12}",
        fit(w(title), 18),
        shorten(w("print_col_sales"), 6),
        w("print_col_received"),
        shorten(w("print_col_refnd"), 6),
        w("print_col_refunded")
    )
}

/// Plain text in English, one line per figure.
pub fn render(r: &Report) -> String {
    render_in(r, Lang::En)
}

/// Plain text in `lang`, one line per figure; the amounts keep their digits, the labels are cut
/// to their columns.
pub fn render_in(r: &Report, lang: Lang) -> String {
    let w = |key: &str| lang.text(key);
    let a = |amount: &str| lang.amount(amount);
    let mut out = String::new();
    let mut push = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let title = match r.kind {
        ReportKind::Z => lang.fill("print_report_z", &[("label", &r.label)]),
        ReportKind::X => match r.z_no {
            Some(n) => lang.fill(
                "print_report_x_next",
                &[("label", &label("Z", r.training, n))],
            ),
            None => w("print_report_x").into(),
        },
        ReportKind::Day => lang.fill("print_report_day", &[("day", &r.day)]),
    };
    push(format!(
        "{title}{}",
        if r.training {
            format!("  {}", w("print_report_training"))
        } else {
            String::new()
        }
    ));
    push(lang.fill(
        "print_report_terminal",
        &[("terminal", &r.terminal), ("timezone", &r.timezone)],
    ));
    if let Some(by) = &r.closed_by {
        push(lang.fill("print_report_closed_by", &[("name", by)]));
    }
    match (&r.from, &r.to) {
        (Some(from), Some(to)) => {
            push(lang.fill("print_report_from_to", &[("from", from), ("to", to)]))
        }
        (None, Some(to)) => push(lang.fill("print_report_from_start", &[("to", to)])),
        _ => push(lang.fill("print_report_day_line", &[("day", &r.day)])),
    }
    push(format!(
        "{} {:>6} {:>16} {:>16}",
        fit(w("print_col_status"), 18),
        shorten(w("print_col_count"), 6),
        w("print_col_amount"),
        w("print_col_sats")
    ));
    let t = &r.totals;
    for l in &t.lines {
        push(format!(
            "{} {:>6} {:>12} {} {:>16}",
            fit(&lang.state_word(&l.status), 18),
            l.count,
            a(&l.amount),
            l.currency,
            l.sats
        ));
    }
    for l in &t.late_payments {
        push(format!(
            "{} {:>6} {:>12} {} {:>16}",
            fit(
                &lang.fill(
                    "print_report_paid_late_z",
                    &[("label", &label("Z", r.training, l.from_z))]
                ),
                18
            ),
            label("", r.training, l.receipt_no),
            a(&l.amount),
            l.currency,
            l.sats
        ));
    }
    for l in &t.received {
        push(format!(
            "{} {:>6} {:>12} {} {:>16}",
            fit(w("print_report_received"), 18),
            l.count,
            a(&l.amount),
            l.currency,
            l.sats
        ));
    }
    for l in &t.refunds {
        push(format!(
            "{} {:>6} {:>12} {}",
            fit(w("print_report_refunded"), 18),
            l.count,
            a(&l.amount),
            l.currency
        ));
    }
    if !t.refunds.is_empty() {
        for l in &t.net {
            push(format!(
                "{} {:>6} {:>12} {}",
                fit(w("print_report_net"), 18),
                "",
                a(&l.amount),
                l.currency
            ));
        }
    }
    if t.lines.is_empty() && t.late_payments.is_empty() && t.refunds.is_empty() {
        push(w("print_report_no_sales").into());
    }
    let sold = &t.sold;
    if !sold.is_empty() {
        push(w("print_report_sold_by_item").into());
        for l in &sold.items {
            push(format!(
                "  {:>5} x {:<24} {:>12} {}",
                l.quantity,
                shorten(&lang.line_name(&l.name), 24),
                a(&l.amount),
                l.currency
            ));
        }
        push(w("print_report_by_category").into());
        for l in &sold.categories {
            let name = if l.category.is_empty() {
                w("print_report_none")
            } else {
                &l.category
            };
            push(format!(
                "  {:>5} x {:<24} {:>12} {}",
                l.quantity,
                shorten(name, 24),
                a(&l.amount),
                l.currency
            ));
        }
        push(format!(
            "{} {:>12} {:>12} {:>12}",
            fit(w("print_report_tax"), 18),
            w("print_col_net"),
            w("print_col_tax_amount"),
            w("print_col_gross")
        ));
        for l in &sold.taxes {
            push(format!(
                "  {} {:>12} {:>12} {:>12} {}",
                fit(&lang.tax_rate(&l.rate, l.included), 16),
                a(&l.net),
                a(&l.tax),
                a(&l.gross),
                l.currency
            ));
        }
        for l in &sold.refunded_taxes {
            let key = if l.included {
                "print_report_back_incl"
            } else {
                "print_report_back_added"
            };
            push(format!(
                "  {} {:>12} {:>12} {:>12} {}",
                fit(&lang.fill(key, &[("rate", &a(&l.rate))]), 16),
                format!("-{}", a(&l.net)),
                format!("-{}", a(&l.tax)),
                format!("-{}", a(&l.gross)),
                l.currency
            ));
        }
        for (title, lines) in [
            (w("print_report_discounts"), &sold.discounts),
            (w("print_report_tips"), &sold.tips),
            (w("print_report_unitemized"), &sold.unitemized),
        ] {
            for l in lines {
                push(format!(
                    "{} {:>19} {}",
                    fit(title, 18),
                    a(&l.amount),
                    l.currency
                ));
            }
        }
    }
    if let Some(tenders) = &t.tenders {
        if !tenders.is_empty() {
            push(split_heading(lang, "print_report_by_tender"));
        }
        for l in tenders {
            push(format!(
                "  {} {:>6} {:>12} {} {:>6} {:>12} {}",
                fit(w(&format!("print_tender_{}", l.tender)), 16),
                l.sales,
                a(&l.received),
                l.currency,
                l.refunds,
                a(&l.refunded),
                l.currency
            ));
        }
    }
    if let Some(people) = &t.people {
        if !people.is_empty() {
            push(split_heading(lang, "print_report_by_person"));
        }
        for l in people {
            let name = if l.name.is_empty() {
                w("print_report_not_recorded")
            } else {
                &l.name
            };
            push(format!(
                "  {:<16} {:>6} {:>12} {} {:>6} {:>12} {}",
                shorten(name, 16),
                l.sales,
                a(&l.received),
                l.currency,
                l.refunds,
                a(&l.refunded),
                l.currency
            ));
        }
    }
    for s in &r.shifts {
        push(lang.fill(
            "print_report_shift",
            &[
                ("label", &s.label),
                ("opened", &s.opened_by),
                ("closed", &s.closed_by),
            ],
        ));
        for (what, amount) in [
            ("print_row_float", &s.float),
            ("print_row_cash_sales", &s.cash_sales),
            ("print_row_paid_in", &s.pay_ins),
            ("print_row_paid_out", &s.pay_outs),
            ("print_row_cash_refunds", &s.refunds),
            ("print_row_expected", &s.expected),
            ("print_row_counted", &s.counted),
            ("print_row_variance", &s.variance),
        ] {
            push(format!(
                "  {} {:>19} {}",
                fit(w(what), 16),
                a(amount),
                s.currency
            ));
        }
    }
    let receipts = |v: &[i64]| {
        v.iter()
            .map(|n| label("", r.training, *n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !t.paid_late.is_empty() {
        push(lang.fill(
            "print_report_paid_late",
            &[("list", &receipts(&t.paid_late))],
        ));
    }
    if !t.late_payments.is_empty() {
        let list = receipts(
            &t.late_payments
                .iter()
                .map(|l| l.receipt_no)
                .collect::<Vec<_>>(),
        );
        push(lang.fill("print_report_paid_late_earlier", &[("list", &list)]));
    }
    if !t.underpaid.is_empty() {
        push(lang.fill(
            "print_report_underpaid",
            &[("list", &receipts(&t.underpaid))],
        ));
    }
    if !t.open.is_empty() {
        push(lang.fill("print_report_open", &[("list", &receipts(&t.open))]));
    }
    if r.left_out > 0 {
        let key = if r.training {
            "print_report_left_out_real"
        } else {
            "print_report_left_out_training"
        };
        push(lang.fill(key, &[("count", &r.left_out)]));
    }
    push(lang.fill("print_report_chain", &[("hash", &r.chain_head)]));
    out
}
