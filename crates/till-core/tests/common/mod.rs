//! What the suites share: the fixture's shop (with a cashier named, or the payout suites' shorter
//! timeout), a sale's timeline, a ledger file in a temporary folder, a sale to write, a hand edit
//! behind the till's back, and a shop's books (`books`).

#![allow(clippy::unwrap_used, dead_code)]

pub mod books;

use std::time::Duration;

use aurpay_sim::SimConfig;
use till_core::{
    fixture::Shop,
    ledger::{Ledger, NewSale},
    money::{Currency, Fiat},
};

/// The shop of these tests: the fixture's, with a cashier named.
pub async fn shop_with(sim: SimConfig, timeout: Duration) -> Shop {
    Shop::builder()
        .sim(sim)
        .timeout(timeout)
        .configure(|c| c.cashier = "ana".into())
        .open()
        .await
}

pub async fn shop() -> Shop {
    shop_with(SimConfig::default(), Duration::from_secs(3)).await
}

pub fn kinds(shop: &Shop, receipt: i64) -> Vec<String> {
    let l = shop.till.ledger();
    let sale = l.sale_by_receipt("front", false, receipt).unwrap();
    l.timeline(sale.id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

pub fn new_sale(terminal: &str, amount: &str) -> NewSale {
    let usd = Currency::from_code("USD").unwrap();
    NewSale {
        memo: "table 4".into(),
        ..NewSale::keyed(terminal, Fiat::parse(amount, usd).unwrap(), "ana")
    }
}

pub fn temp() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    (dir, path)
}

/// Opens the ledger file behind the till's back, as someone editing it would.
pub fn tamper(path: &std::path::Path, sql: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(sql).unwrap();
}

/// The shop of the payout suites: the fixture's, with a 2 s gateway timeout.
pub async fn payout_shop() -> Shop {
    payout_shop_on(Ledger::in_memory().unwrap()).await
}

/// [`payout_shop`] over `ledger`.
pub async fn payout_shop_on(ledger: Ledger) -> Shop {
    Shop::builder()
        .timeout(Duration::from_secs(2))
        .ledger(ledger)
        .open()
        .await
}
