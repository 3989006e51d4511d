//! X and Z reports and exports over a ledger with sales in every state.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use serde_json::json;
use till_core::{
    export,
    ledger::{Ledger, LedgerError, NewSale},
    money::{Currency, Fiat},
    report::{self, ReportError},
    sale::SaleState,
};

fn sale(
    l: &mut Ledger,
    amount: &str,
    currency: &str,
    state: SaleState,
    msat: u64,
    memo: &str,
    training: bool,
) -> i64 {
    let c = Currency::from_code(currency).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
    let s = l
        .insert_sale(
            &NewSale {
                terminal: "front".into(),
                fiat: Fiat::parse(amount, c).unwrap(),
                memo: memo.into(),
                cashier: "ana".into(),
                training,
                replaces: None,
            },
            at,
        )
        .unwrap();
    l.update_sale::<LedgerError>(s.id, at, |x| {
        x.state = state;
        x.amount_msat = Some(msat);
        x.order_id = Some(format!("2026112010000000000{}", s.receipt_no));
        x.rate = Some("100000".into());
        if state.is_paid() {
            x.paid_at = Some(at + chrono::Duration::seconds(30));
        }
        Ok(Some(("test", json!({}))))
    })
    .unwrap();
    s.receipt_no
}

fn shop() -> Ledger {
    let mut l = Ledger::in_memory().unwrap();
    l.set_setting(report::TIMEZONE_SETTING, "Europe/Zurich")
        .unwrap();
    sale(
        &mut l,
        "12.50",
        "USD",
        SaleState::Paid,
        12_500_000,
        "=HYPERLINK(\"http://evil\")",
        false,
    );
    sale(&mut l, "7.50", "USD", SaleState::Paid, 7_500_000, "", false);
    sale(
        &mut l,
        "3",
        "USD",
        SaleState::PaidLate,
        3_000_000,
        "+late",
        false,
    );
    sale(
        &mut l,
        "9",
        "USD",
        SaleState::TimedOut,
        9_000_000,
        "",
        false,
    );
    sale(
        &mut l,
        "1500",
        "JPY",
        SaleState::Paid,
        10_000_000,
        "",
        false,
    );
    sale(&mut l, "1", "USD", SaleState::Failed, 0, "", false);
    sale(
        &mut l,
        "99",
        "USD",
        SaleState::Paid,
        99_000_000,
        "demo",
        true,
    );
    l
}

fn day() -> chrono::NaiveDate {
    report::parse_day("2026-11-20").unwrap()
}

#[test]
fn the_x_report_counts_each_status_and_currency_and_leaves_training_out() {
    let l = shop();
    let r = report::x_report(&l, day(), "front", false).unwrap();
    let line = |status: &str, cur: &str| {
        r.lines
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
    let usd = r.received.iter().find(|x| x.currency == "USD").unwrap();
    assert_eq!(
        (usd.count, usd.amount.as_str(), usd.msat),
        (3, "23.00", 23_000_000)
    );
    assert_eq!(r.paid_late, vec![3]);
    assert_eq!(r.left_out, 1, "the demo sale is not counted");
    assert_eq!(r.timezone, "Europe/Zurich");
    let text = report::render(&r);
    assert!(text.contains("PAID LATE: receipts 3"), "{text}");
    assert!(
        text.contains("1 training (demo) sale(s) not counted here"),
        "{text}"
    );

    let demo = report::x_report(&l, day(), "front", true).unwrap();
    assert_eq!(
        (demo.received[0].amount.as_str(), demo.left_out),
        ("99.00", 6)
    );
    // Another day has nothing.
    assert!(
        report::x_report(&l, report::parse_day("2026-11-21").unwrap(), "front", false)
            .unwrap()
            .lines
            .is_empty()
    );
}

#[test]
fn the_z_report_seals_the_day_once() {
    let mut l = shop();
    let (z, close) = report::close_day(&mut l, day(), "front", false).unwrap();
    assert_eq!(z.kind, "Z");
    assert_eq!(close.chain_head, l.chain_head().unwrap());
    let stored: report::Report = serde_json::from_str(&close.report).unwrap();
    assert_eq!(stored.received, z.received);
    assert!(matches!(
        report::close_day(&mut l, day(), "front", false),
        Err(ReportError::Ledger(LedgerError::AlreadyClosed(_)))
    ));
    l.verify().unwrap();
}

#[test]
fn a_day_with_open_sales_or_in_the_future_cannot_be_closed() {
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
    let err = report::close_day(&mut l, day(), "front", false).unwrap_err();
    assert_eq!(err.to_string(), "1 sale(s) of 2026-11-20 are still waiting for the gateway (receipts 8); wait, or cancel them, then close");
    let future = Utc::now().date_naive() + chrono::Duration::days(3);
    assert!(matches!(
        report::close_day(&mut l, future, "front", false),
        Err(ReportError::FutureDay(_))
    ));
    assert!(l.day_closes().unwrap().is_empty(), "nothing was sealed");
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
        assert!(
            matches!(report::parse_day(bad), Err(ReportError::BadDate(_))),
            "{bad}"
        );
    }
    let l = Ledger::in_memory().unwrap();
    l.set_setting(report::TIMEZONE_SETTING, "Mars/Olympus")
        .unwrap();
    let err = report::x_report(&l, day(), "front", false).unwrap_err();
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
    let sales: Vec<_> = l
        .all_sales()
        .unwrap()
        .into_iter()
        .filter(|s| !s.training)
        .collect();
    let mut out = Vec::new();
    export::write_csv(&sales, &[], &mut out).unwrap();
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

    let mut json_out = Vec::new();
    export::write_json(&sales, &[], &mut json_out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json_out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 6);
    assert_eq!(
        v[0]["memo"], "=HYPERLINK(\"http://evil\")",
        "JSON keeps the value as typed"
    );
    assert_eq!(v[0]["amount"], "12.50");
}
