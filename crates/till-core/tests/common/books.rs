//! A shop's books for the report suites: a ledger in Zurich's zone with sales in every state on
//! 2026-11-20 (one of them training), and paid sales written at a given moment.

use chrono::{TimeZone, Utc};
use serde_json::json;
use till_core::{
    ledger::{Ledger, LedgerError, NewSale},
    money::{Currency, Fiat},
    report,
    sale::SaleState,
};

pub fn sale(
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
                memo: memo.into(),
                training,
                ..NewSale::keyed("front", Fiat::parse(amount, c).unwrap(), "ana")
            },
            at,
        )
        .unwrap();
    l.update_sale::<LedgerError>(s.id, at, |x| {
        x.state = state;
        x.amount_msat = Some(msat);
        x.order_id = Some(format!("2026112010000000000{}", s.id));
        x.rate = Some("100000".into());
        if state.is_paid() {
            x.paid_at = Some(at + chrono::Duration::seconds(30));
        }
        Ok(Some(("test", json!({}))))
    })
    .unwrap();
    s.receipt_no
}

pub fn shop() -> Ledger {
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

pub fn day() -> chrono::NaiveDate {
    report::parse_day("2026-11-20").unwrap()
}

pub fn sale_at(l: &mut Ledger, amount: &str, at: chrono::DateTime<Utc>) -> i64 {
    let usd = Currency::from_code("USD").unwrap();
    let s = l
        .insert_sale(
            &NewSale::keyed("front", Fiat::parse(amount, usd).unwrap(), "ana"),
            at,
        )
        .unwrap();
    l.update_sale::<LedgerError>(s.id, at, |x| {
        x.state = SaleState::Paid;
        x.amount_msat = Some(x.amount_minor as u64 * 10_000);
        x.order_id = Some(format!("9{:019}", x.id));
        x.paid_at = Some(at);
        Ok(Some(("status", json!({"status": "SUCCESS"}))))
    })
    .unwrap();
    s.id
}
