//! X and day reports and exports over a ledger with sales in every state.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use till_core::{
    export,
    ledger::{Ledger, Period},
    report::{self, ReportError},
    sale::SaleState,
};

mod common;

use common::books::{day, sale, shop};

#[test]
fn the_day_report_counts_each_status_and_currency_and_leaves_training_out() {
    let l = shop();
    let r = report::day_report(&l, day(), "front", false).unwrap();
    let line = |status: &str, cur: &str| {
        r.totals
            .lines
            .iter()
            .find(|x| x.status == status && x.currency == cur)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            line("paid", "USD").count,
            line("paid", "USD").amount.as_str(),
            line("paid", "USD").msat
        ),
        (2, "20.00", 20_000_000)
    );
    assert_eq!(line("paid_late", "USD").amount, "3.00");
    assert_eq!(line("paid", "JPY").amount, "1500");
    assert_eq!(line("timed_out", "USD").count, 1);
    let usd = r
        .totals
        .received
        .iter()
        .find(|x| x.currency == "USD")
        .unwrap();
    assert_eq!(
        (usd.count, usd.amount.as_str(), usd.msat),
        (3, "23.00", 23_000_000)
    );
    assert_eq!(r.totals.paid_late, vec![3]);
    assert_eq!(r.left_out, 1, "the demo sale is not counted");
    assert_eq!(r.timezone, "Europe/Zurich");
    let text = report::render(&r);
    assert!(text.contains("PAID LATE: receipts 3"), "{text}");
    assert!(
        text.contains("training (demo) sales not counted here: 1"),
        "{text}"
    );

    let demo = report::day_report(&l, day(), "front", true).unwrap();
    assert_eq!(
        (demo.totals.received[0].amount.as_str(), demo.left_out),
        ("99.00", 6)
    );
    assert!(report::render(&demo).contains("PAID") || demo.totals.paid_late.is_empty());
    // Another day has nothing.
    assert!(
        report::day_report(&l, report::parse_day("2026-11-21").unwrap(), "front", false)
            .unwrap()
            .totals
            .lines
            .is_empty()
    );
}

#[test]
fn the_x_report_is_what_the_next_z_seals_and_changes_nothing() {
    let mut l = shop();
    let x = report::x_report(&l, "front", false).unwrap();
    assert_eq!(
        (x.kind, x.z_no, x.from.as_deref()),
        (report::ReportKind::X, Some(1), None)
    );
    assert_eq!(x.totals.documents, 6, "every live sale since the start");
    assert_eq!(x.left_out, 1);
    let head = l.chain_head().unwrap();
    let (z, sealed) = report::close(&mut l, "front", false, None, "Olga").unwrap();
    assert_eq!(z.totals, x.totals, "the Z seals what the X showed");
    assert_eq!(
        l.chain_head().unwrap(),
        sealed.chain_head,
        "the seal is the chain's head"
    );
    assert_ne!(head, sealed.chain_head);
    let after = report::x_report(&l, "front", false).unwrap();
    assert_eq!((after.z_no, after.totals.documents), (Some(2), 0));
    assert_eq!(after.from.as_deref(), Some(sealed.cutoff.as_str()));
}

#[test]
fn a_period_with_open_sales_a_future_day_or_nothing_in_it_cannot_be_closed() {
    let mut l = shop();
    sale(
        &mut l,
        "4",
        "USD",
        SaleState::AwaitingPayment,
        4_000_000,
        "",
        false,
    );
    let err = report::close(&mut l, "front", false, None, "Olga").unwrap_err();
    assert_eq!(err.to_string(), "1 sale(s) are still waiting for the gateway (receipts 7); wait, cancel them, or have a manager settle them, then close", "the live series is 1 to 6, then 7: the demo sale is T1");
    let future = Utc::now().date_naive() + chrono::Duration::days(3);
    assert!(matches!(
        report::close(&mut l, "front", false, Some(future), "Olga"),
        Err(ReportError::FutureDay(_))
    ));
    assert!(l.z_reports().unwrap().is_empty(), "nothing was sealed");
    // The training book has nothing open: its Z closes, and the live book's waits.
    let (tz, _) = report::close(&mut l, "front", true, None, "Olga").unwrap();
    assert_eq!((tz.label.as_str(), tz.totals.documents), ("TZ1", 1));
    let again = report::close(&mut l, "front", true, None, "Olga").unwrap_err();
    assert!(
        again
            .to_string()
            .starts_with("nothing happened since TZ1 (closed at "),
        "{again}"
    );
    l.verify().unwrap();
}

#[test]
fn bad_dates_and_zones_are_refused_plainly() {
    for bad in [
        "2026-13-01",
        "20261120",
        "yesterday",
        "2026-11-20T00:00",
        "",
    ] {
        assert!(report::parse_day(bad).is_err(), "{bad}");
    }
    let mut l = Ledger::in_memory().unwrap();
    l.set_setting(report::TIMEZONE_SETTING, "Mars/Olympus")
        .unwrap();
    let err = report::x_report(&l, "front", false).unwrap_err();
    assert!(err.to_string().contains("Mars/Olympus"), "{err}");
}

#[test]
fn day_bounds_follow_the_shops_zone() {
    let (from, to) = report::day_bounds(day(), "Europe/Zurich".parse().unwrap());
    assert_eq!(from, Utc.with_ymd_and_hms(2026, 11, 19, 23, 0, 0).unwrap());
    assert_eq!(to, Utc.with_ymd_and_hms(2026, 11, 20, 23, 0, 0).unwrap());
}

#[test]
fn csv_export_has_a_header_one_row_per_sale_and_no_live_formulas() {
    let l = shop();
    let docs = Period {
        sales: l
            .all_sales()
            .unwrap()
            .into_iter()
            .filter(|s| !s.training)
            .collect(),
        ..Period::default()
    };
    let head = l.chain_head().unwrap();
    let rows = export::rows(&docs, &head);
    let mut out = Vec::new();
    export::write_csv(&rows, &mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        export::COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(&rows[0][0], "1");
    assert_eq!(&rows[0][1], "2026-11-20T10:00:00.000Z");
    assert_eq!(&rows[0][2], "2026-11-20T10:00:30.000Z");
    assert_eq!(
        (&rows[0][3], &rows[0][4], &rows[0][5], &rows[0][6]),
        ("paid", "12.50", "USD", "12500000")
    );
    assert_eq!(
        &rows[0][10], "'=HYPERLINK(\"http://evil\")",
        "formula neutralised"
    );
    assert_eq!(&rows[2][10], "'+late");
    assert_eq!(&rows[4][4], "1500");
    assert!(
        rows.iter().all(|r| r[16] == *head),
        "every row carries the chain head"
    );

    let mut json_out = Vec::new();
    export::write_json(&export::rows(&docs, &head), &mut json_out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json_out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 6);
    assert_eq!(
        v[0]["memo"], "=HYPERLINK(\"http://evil\")",
        "JSON keeps the value as typed"
    );
    assert_eq!(v[0]["amount"], "12.50");
}
