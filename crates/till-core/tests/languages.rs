//! Every receipt and report in every language Till speaks: the shop's language on paper, each
//! line inside its paper, every word in the printer's code page, amounts with their digits kept.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use aurpay::Network;
use till_core::{
    cart,
    ledger::{CashMoveKind, Ledger},
    money::Currency,
    receipt, report,
    settings::{self, selling},
    shift::Count,
    till::{Till, TillConfig},
    words::Lang,
};
use till_print::{CodePage, Paper};

/// A day with everything a receipt and a report can show: a cash sale from a cart with a
/// discount, a tip and tax at 21% included, a pay-in, a pay-out and a closed shift.
fn a_day(lang: Lang) -> (std::sync::Arc<Till>, till_core::ledger::Sale) {
    let mut ledger = Ledger::in_memory().unwrap();
    ledger
        .set_setting(selling::DEFAULT_TAX, "21% included")
        .unwrap();
    ledger.set_setting(settings::LANGUAGE, lang.tag()).unwrap();
    let client = till_core::fixture::client("http://127.0.0.1:9", Duration::from_millis(200));
    let till = Till::new(ledger, client, TillConfig::new("front", Network::Regtest));
    till.set_cashier("Zoë");
    till.open_shift("100.00").unwrap();
    let usd = Currency::from_code("USD").unwrap();
    let order = cart::quick_order(
        &till.ledger(),
        Some("1234.50"),
        usd,
        &[],
        Some("10%"),
        Some("2.00"),
    )
    .unwrap();
    let sale = till.sell_order_for_cash(&order, "1200", "table 4").unwrap();
    till.move_cash(CashMoveKind::PayIn, "20.00", "change", "Max")
        .unwrap();
    till.move_cash(CashMoveKind::PayOut, "5.00", "milk", "Max")
        .unwrap();
    (till, sale)
}

/// `text` through every code page: no `?` where the text had none (every letter of every
/// catalog is in the page or has a fair ASCII stand-in).
fn encodes_everywhere(what: &str, text: &str) {
    for page in CodePage::ALL {
        let bytes = page.encode(text);
        let asked = text.matches('?').count();
        let sent = bytes.iter().filter(|b| **b == b'?').count();
        assert_eq!(sent, asked, "{what} in {page:?} lost letters:\n{text}");
    }
}

#[test]
fn every_receipt_and_report_is_in_the_shops_language_and_prints_in_every_code_page() {
    for lang in Lang::ALL {
        let (till, sale) = a_day(lang);
        assert_eq!(settings::language(&till.ledger()), lang);
        for width in [32, 40, 48] {
            let lines = receipt::lines_in(
                &sale,
                "Café Ñandú",
                "DE123456789",
                chrono_tz::UTC,
                width,
                lang,
            );
            let text = lines.join("\n");
            for l in &lines {
                assert!(
                    l.chars().count() <= width.max(receipt::WIDTH),
                    "{lang} at {width}: {l:?} is too long\n{text}"
                );
            }
            encodes_everywhere(&format!("the {lang} receipt"), &text);
            // The amounts keep their digits; only the separator follows the language.
            let total = lang.amount("1113.05");
            assert!(text.contains(&total), "{lang}: no {total} in\n{text}");
        }
        let lines = receipt::lines_in(
            &sale,
            "Café Ñandú",
            "DE123456789",
            chrono_tz::UTC,
            receipt::WIDTH,
            lang,
        );
        if lang != Lang::En {
            // Not one English label left: each line differs where English has words.
            for key in [
                "print_served_by",
                "print_subtotal",
                "print_paid_cash",
                "print_change",
                "print_total",
            ] {
                let english_word = Lang::En.text(key).split(' ').next().unwrap().to_owned();
                let word = lang.text(key).split(' ').next().unwrap().to_owned();
                if english_word != word {
                    assert!(
                        !lines.iter().any(|l| l.starts_with(&english_word)),
                        "{lang}: an English {english_word:?} on\n{}",
                        lines.join("\n")
                    );
                }
            }
            // The same sale in English differs on every line that has words.
            let english = receipt::lines_in(
                &sale,
                "Café Ñandú",
                "DE123456789",
                chrono_tz::UTC,
                receipt::WIDTH,
                Lang::En,
            );
            for (theirs, ours) in lines.iter().zip(&english) {
                if ours.chars().any(|c| c.is_ascii_alphabetic())
                    && !ours.starts_with("Café")
                    && !ours.contains("UTC")
                    && !ours.contains("Zoë")
                {
                    assert_ne!(theirs, ours, "{lang} printed English");
                }
            }
        }

        // The printer's bytes, a first print and a copy, on both papers and every page.
        for paper in [Paper::NARROW, Paper::WIDE] {
            for copy in [false, true] {
                let head = receipt::ShopHead {
                    name: "Café Ñandú".into(),
                    address: "Rue du Marché 4".into(),
                    tax_number: "DE123456789".into(),
                    tz: chrono_tz::UTC,
                    lang,
                };
                let doc = receipt::printed(&sale, &head, paper.columns, copy);
                let printed = doc.lines(paper);
                for l in &printed {
                    assert!(
                        l.chars().count() <= usize::from(paper.columns),
                        "{lang} on {} columns: {l:?}",
                        paper.columns
                    );
                }
                let text = printed.join("\n");
                encodes_everywhere(&format!("the printed {lang} receipt"), &text);
                if copy {
                    assert!(text.contains(lang.text("print_copy")), "{text}");
                }
                for page in CodePage::ALL {
                    doc.bytes(paper, page).unwrap();
                }
            }
        }

        // The shift's report and the X report, in the same language.
        let closed = till
            .close_shift(&Count::Total("1226.00".into()), "Max")
            .unwrap();
        let shift = closed.render_in(lang);
        encodes_everywhere(&format!("the {lang} shift report"), &shift);
        assert!(shift.contains(lang.text("print_shift_expected")), "{shift}");
        let x = report::x_report(&till.ledger(), "front", false).unwrap();
        let text = report::render_in(&x, lang);
        encodes_everywhere(&format!("the {lang} X report"), &text);
        assert!(text.contains(lang.text("print_report_received")), "{text}");
        assert!(
            text.contains(&lang.amount("1113.05")),
            "{lang}: the received total in\n{text}"
        );
        for l in text.lines().chain(shift.lines()) {
            assert!(l.chars().count() <= 80, "{lang}: {l:?} is too long");
        }
        if lang != Lang::En {
            assert_ne!(text, report::render(&x), "{lang} reported in English");
            assert_ne!(shift, closed.render(), "{lang} counted in English");
        }
        // The day closed: its Z report and the day's report, on paper in this language.
        let today = till_core::calendar::today(chrono_tz::UTC);
        let (closed_day, _) = {
            let mut ledger = till.ledger();
            till_core::day::close(&mut ledger, "front", false, None, "Max").unwrap()
        };
        let day = report::day_report(&till.ledger(), today, "front", false).unwrap();
        for (what, r) in [("Z", &closed_day.report), ("day", &day)] {
            let text = report::render_in(r, lang);
            encodes_everywhere(&format!("the {lang} {what} report"), &text);
            assert!(
                text.contains(&lang.amount("1113.05")),
                "{lang} {what}: {text}"
            );
            if lang != Lang::En {
                assert_ne!(text, report::render(r), "{lang} {what} in English");
            }
            let doc = till_core::printing::report_doc(r, "Café Ñandú", lang);
            for paper in [Paper::NARROW, Paper::WIDE] {
                let printed = doc.lines(paper);
                encodes_everywhere(&format!("the printed {lang} {what}"), &printed.join("\n"));
                assert!(printed
                    .iter()
                    .all(|l| l.chars().count() <= usize::from(paper.columns)));
            }
        }
        let test_page = till_core::printing::test_page(
            "Café Ñandú",
            &till_core::printing::PrinterSetup::load(&till.ledger(), None, None, None).unwrap(),
            lang,
        );
        encodes_everywhere(
            &format!("the {lang} test page"),
            &test_page.lines(Paper::WIDE).join("\n"),
        );
    }
}
