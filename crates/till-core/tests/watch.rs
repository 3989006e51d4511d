//! The watcher: sales followed to the end, faults while a sale waits, a stopped watcher, a demo
//! gateway gone, and `watch --once` going on past what it cannot check.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use aurpay::Network;
use aurpay_sim::{Fault, RunningSim, SimConfig};
use till_core::{
    fixture::{self, KEY},
    ledger::Ledger,
    sale::SaleState,
    till::{Till, TillConfig},
    watcher::{self, Watcher},
};

mod common;

use common::{shop, shop_with};

#[tokio::test(start_paused = true)]
async fn the_watcher_follows_sales_to_the_end_on_a_paused_clock() {
    // A long client timeout: on a paused clock, the only timers that fire are the watcher's.
    let shop = shop_with(
        SimConfig {
            lifetime: Duration::from_secs(60),
            ..SimConfig::default()
        },
        Duration::from_secs(3600),
    )
    .await;
    let paid = shop.till.charge("1", "USD", "").await.unwrap();
    let late = shop.till.charge("2", "USD", "").await.unwrap();
    let mut updates = shop.till.subscribe();
    let watcher = Watcher::start(shop.till.clone()).unwrap();
    assert_eq!(watcher.followed(), 2, "open sales are resumed on start");

    shop.sim
        .state()
        .pay(paid.order_id.as_deref().unwrap())
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), updates.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (first.sale.receipt_no, first.sale.state),
        (1, SaleState::Paid)
    );

    // The other order passes its lifetime and times out; then its invoice is paid late.
    let timed_out = tokio::time::timeout(Duration::from_secs(120), updates.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (timed_out.sale.receipt_no, timed_out.sale.state),
        (2, SaleState::TimedOut)
    );
    shop.sim
        .state()
        .pay_late(late.order_id.as_deref().unwrap())
        .unwrap();
    let alert = tokio::time::timeout(Duration::from_secs(120), updates.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(alert.is_paid_late());

    // Polls were about a second apart while paying, never two at once for one sale.
    let polls = shop
        .sim
        .state()
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/v2/order/detail/"))
        .count();
    assert!(
        (60..=200).contains(&polls),
        "{polls} polls for two sales over about a minute and a half"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(watcher.followed(), 0, "final sales are no longer followed");
}

#[tokio::test]
async fn watch_once_resolves_whatever_is_open() {
    let shop = shop().await;
    let a = shop.till.charge("1", "USD", "").await.unwrap();
    let _b = shop.till.charge("2", "USD", "").await.unwrap();
    shop.sim
        .state()
        .pay(a.order_id.as_deref().unwrap())
        .unwrap();
    let after = watcher::check_all_once(&shop.till).await.unwrap();
    let states: Vec<_> = after.sales.iter().map(|s| s.state).collect();
    assert_eq!(states, [SaleState::Paid, SaleState::AwaitingPayment]);
    assert!(after.failures.is_empty());
}

#[tokio::test]
async fn a_stopped_watcher_lets_go_and_a_live_till_leaves_demo_sales_alone() {
    let shop = shop().await;
    shop.till.charge("1", "USD", "").await.unwrap();
    let watcher = Watcher::start(shop.till.clone()).unwrap();
    assert_eq!(watcher.followed(), 1);
    watcher.stop();
    for _ in 0..100 {
        if watcher.followed() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(watcher.followed(), 0, "every task ended");
    watcher.track(1);
    assert_eq!(watcher.followed(), 1, "remembered, but no task is started");

    // A till in demo mode over a ledger holding an open real sale: not its sale to watch.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let open_for = |training: bool| {
        let mut config = TillConfig::new("front", Network::Regtest);
        config.training = training;
        let client = fixture::client(shop.sim.url(), aurpay::DEFAULT_TIMEOUT);
        Till::new(Ledger::open(&path).unwrap(), client, config)
    };
    let live = open_for(false);
    live.charge("1", "USD", "").await.unwrap();
    assert_eq!(Watcher::start(live).unwrap().followed(), 1);
    assert_eq!(Watcher::start(open_for(true)).unwrap().followed(), 0);
}

/// Every fault the simulator can make, injected into the status checks of a sale that is
/// waiting: each gives a plain error, leaves the sale as it was, and the next check finds the
/// payment. (The create call's faults are in the tests above.)
#[tokio::test]
async fn faults_during_status_checks_leave_the_sale_waiting_and_say_why() {
    let shop = shop_with(SimConfig::default(), Duration::from_millis(400)).await;
    let table: Vec<(Fault, &str)> = vec![
        (Fault::HttpError { status: 500 }, "500"),
        (Fault::HttpError { status: 503 }, "503"),
        (Fault::Delay { ms: 1_000 }, "did not answer"),
        (Fault::Drop, "connection"),
        (Fault::Malformed, "could not be read"),
        (Fault::Unauthorized, "credentials"),
    ];
    for (f, words) in table {
        let sale = shop.till.charge("2.20", "USD", "").await.unwrap();
        let order = sale.order_id.clone().unwrap();
        shop.fault(&format!("/api/v2/order/detail/{order}"), f.clone());
        let err = shop.till.check(sale.receipt_no).await.unwrap_err();
        let said = err.to_string();
        assert!(
            said.to_lowercase().contains(&words.to_lowercase()),
            "{f:?}: {said}"
        );
        assert!(
            !said.contains("panicked") && said.len() < 600,
            "{f:?}: {said}"
        );
        let now = shop.till.sale(sale.receipt_no).unwrap();
        assert_eq!(
            now.state,
            SaleState::AwaitingPayment,
            "{f:?} changed the sale"
        );
        assert_eq!(now.order_id.as_deref(), Some(order.as_str()));
        shop.sim.state().pay(&order).unwrap();
        tokio::time::sleep(Duration::from_millis(700)).await; // the delayed answer is gone
        assert_eq!(
            shop.till.check(sale.receipt_no).await.unwrap().state,
            SaleState::Paid,
            "{f:?}: the next check finds the payment"
        );
    }
    shop.till.ledger().verify().unwrap();
}

/// A demo sale's order lives only in the demo gateway that made it: another process's demo
/// gateway does not know it, so the sale is void, not watched for ever.
#[tokio::test]
async fn a_demo_sale_whose_demo_gateway_is_gone_is_void() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let demo_till = |sim: &RunningSim| {
        let client = fixture::client(sim.url(), aurpay::DEFAULT_TIMEOUT);
        let mut config = TillConfig::new("front", Network::Regtest);
        config.training = true;
        Till::new(Ledger::open(&path).unwrap(), client, config)
    };
    let first = aurpay_sim::start(SimConfig::with_api_key(KEY))
        .await
        .unwrap();
    let sale = demo_till(&first).charge("2", "USD", "").await.unwrap();
    assert_eq!(
        (sale.state, sale.label()),
        (SaleState::AwaitingPayment, "T1".to_owned())
    );
    first.shutdown().await;

    let second = aurpay_sim::start(SimConfig::with_api_key(KEY))
        .await
        .unwrap();
    let till = demo_till(&second);
    let checked = watcher::check_all_once(&till).await.unwrap();
    assert!(checked.failures.is_empty());
    assert_eq!(checked.sales[0].state, SaleState::Failed);
    let why = checked.sales[0].error.clone().unwrap();
    assert!(
        why.contains("demo gateway that made this order has stopped"),
        "{why}"
    );
    assert_eq!(Watcher::start(till.clone()).unwrap().followed(), 0);
    till.ledger().verify().unwrap();
}

#[tokio::test]
async fn watch_once_goes_on_past_a_sale_it_cannot_check() {
    let shop = shop().await;
    let a = shop.till.charge("1", "USD", "").await.unwrap();
    let b = shop.till.charge("2", "USD", "").await.unwrap();
    shop.fault(
        &format!("/api/v2/order/detail/{}", a.order_id.as_deref().unwrap()),
        Fault::HttpError { status: 500 },
    );
    shop.sim
        .state()
        .pay(b.order_id.as_deref().unwrap())
        .unwrap();
    let checked = watcher::check_all_once(&shop.till).await.unwrap();
    assert_eq!(checked.failures.len(), 1);
    assert_eq!(checked.failures[0].0.receipt_no, a.receipt_no);
    assert!(checked.failures[0].1.to_string().contains("500"));
    assert_eq!(checked.sales.len(), 1);
    assert_eq!(
        checked.sales[0].state,
        SaleState::Paid,
        "the sale after it was checked"
    );
}
