//! Lost answers: a create whose answer never came, reconciled against the gateway's orders by the
//! reference the sale sent, never by its amount; and what a manager settles when there is no
//! proof.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{sync::Arc, time::Duration};

use aurpay::Network;
use aurpay_sim::{Fault, SimConfig};
use till_core::{
    fixture::Shop,
    ledger::Ledger,
    report,
    sale::SaleState,
    till::{Settlement, Till, TillConfig, TillError},
};

mod common;

use common::{kinds, shop_with};

#[tokio::test]
async fn a_lost_answer_is_reconciled_to_the_order_the_gateway_made() {
    let shop = shop_with(SimConfig::default(), Duration::from_millis(400)).await;
    for f in [Fault::Delay { ms: 1_200 }, Fault::Drop, Fault::Malformed] {
        shop.fault("/api/bln/order", f.clone());
        let s = shop.till.charge("3.30", "EUR", "").await.unwrap();
        assert_eq!(s.state, SaleState::Uncertain, "{f:?}");
        assert!(s.order_id.is_none());
        tokio::time::sleep(Duration::from_millis(450)).await;
        let r = shop.till.check(s.receipt_no).await.unwrap();
        assert_eq!(r.state, SaleState::AwaitingPayment, "{f:?}: {:?}", r.error);
        let order_id = r.order_id.clone().unwrap();
        assert_eq!(
            r.amount_msat,
            Some(3_587_000),
            "3.30 EUR at 92,000 EUR/BTC, to the satoshi"
        );
        shop.sim.state().pay(&order_id).unwrap();
        assert_eq!(
            shop.till.check(s.receipt_no).await.unwrap().state,
            SaleState::Paid
        );
    }
    // Each sale matched its own order: three sales, three orders, no order claimed twice.
    let sales = shop.till.ledger().all_sales().unwrap();
    let mut ids: Vec<_> = sales.iter().filter_map(|s| s.order_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        (sales.len(), ids.len(), shop.sim.state().orders().len()),
        (3, 3, 3)
    );
    assert_eq!(
        kinds(&shop, 1),
        ["created", "create_uncertain", "reconciled", "status"]
    );
    shop.till.ledger().verify().unwrap();
}

#[tokio::test]
async fn a_refused_create_that_left_no_order_is_failed_safe_to_retry() {
    let shop = shop_with(SimConfig::default(), Duration::from_millis(300)).await;
    shop.fault("/api/bln/order", Fault::HttpError { status: 503 });
    let s = shop.till.charge("2", "USD", "").await.unwrap();
    assert_eq!(
        s.state,
        SaleState::Uncertain,
        "a 5xx may have been processed"
    );
    // While the create could still be in flight somewhere, nothing is decided.
    assert_eq!(
        shop.till.check(1).await.unwrap().state,
        SaleState::Uncertain
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    let r = shop.till.check(1).await.unwrap();
    assert_eq!(r.state, SaleState::Failed);
    assert_eq!(
        r.error.as_deref(),
        Some("the gateway made no order for this sale; it is safe to charge again")
    );
    assert!(shop.sim.state().orders().is_empty());
}

/// A second till on the same gateway account (another counter, or the web shop): its own ledger,
/// the same simulator.
async fn other_till(shop: &Shop) -> Arc<Till> {
    let mut config = TillConfig::new("terrace", Network::Regtest);
    config.settle_margin = Duration::ZERO;
    shop.other_till(Ledger::in_memory().unwrap(), config)
}

/// A lost create is matched only by the reference the sale sent: another till's order of the
/// same amount at the same moment is never taken, whatever order the gateway lists them in.
#[tokio::test]
async fn a_lost_answer_is_matched_by_its_reference_never_by_its_amount() {
    let shop = shop_with(
        SimConfig {
            list_oldest_first: true,
            ..SimConfig::default()
        },
        Duration::from_millis(400),
    )
    .await;
    // 150 older orders, so the list runs over two pages and starts far outside the window.
    let other = other_till(&shop).await;
    for _ in 0..150 {
        other.charge("1", "USD", "").await.unwrap();
    }
    for o in shop.sim.state().store().orders.values_mut() {
        o.create_time -= chrono::Duration::hours(3);
    }
    // The other till sells the same amount just before; this till's answer is lost.
    other.charge("3.30", "EUR", "").await.unwrap();
    shop.fault("/api/bln/order", Fault::Delay { ms: 1_200 });
    let lost = shop.till.charge("3.30", "EUR", "").await.unwrap();
    assert_eq!(lost.state, SaleState::Uncertain);
    tokio::time::sleep(Duration::from_millis(450)).await;
    let found = shop.till.check(lost.receipt_no).await.unwrap();
    assert_eq!(
        found.state,
        SaleState::AwaitingPayment,
        "{:?}",
        found.attention
    );
    let order = shop
        .sim
        .state()
        .order(found.order_id.as_deref().unwrap())
        .unwrap();
    assert_eq!(
        order
            .callback_url
            .as_deref()
            .and_then(aurpay::reference::from_url),
        found.reference.as_deref(),
        "its own order, not the other till's"
    );
    let pages = shop
        .sim
        .state()
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/v2/order/?"))
        .count();
    assert_eq!(
        pages, 2,
        "every page was read: the order is on the last one"
    );
    shop.till.ledger().verify().unwrap();
}

/// When the gateway does not echo the reference, an order of the same amount might be anyone's:
/// the sale stays uncertain and says what to do, until a manager settles it.
#[tokio::test]
async fn without_proof_a_lost_answer_stays_uncertain_until_a_manager_settles_it() {
    let shop = shop_with(
        SimConfig {
            echo_callback_url: false,
            ..SimConfig::default()
        },
        Duration::from_millis(400),
    )
    .await;
    shop.fault("/api/bln/order", Fault::Delay { ms: 1_200 });
    let lost = shop.till.charge("3.30", "EUR", "").await.unwrap();
    tokio::time::sleep(Duration::from_millis(450)).await;
    let unproven = shop.till.check(lost.receipt_no).await.unwrap();
    assert_eq!(unproven.state, SaleState::Uncertain);
    let order_id = shop.sim.state().orders()[0].order_id.clone();
    let why = unproven.attention.clone().unwrap();
    assert!(why.contains(&order_id), "{why}");
    assert!(
        why.contains("Check the Aurpay dashboard before charging again"),
        "{why}"
    );
    // Checking again journals nothing new.
    let entries = kinds(&shop, lost.receipt_no).len();
    shop.till.check(lost.receipt_no).await.unwrap();
    assert_eq!(kinds(&shop, lost.receipt_no).len(), entries);
    // The day cannot close over it.
    assert!(matches!(
        report::close(&mut shop.till.ledger(), "front", false, None, "Olga"),
        Err(report::ReportError::OpenSales { .. })
    ));

    // A manager's wrong order id, or an order of another amount, is refused.
    let elsewhere = other_till(&shop)
        .await
        .charge("9", "USD", "")
        .await
        .unwrap();
    let settle = |order_id: &str| Settlement::Found {
        order_id: order_id.into(),
    };
    let wrong = shop
        .till
        .settle(
            lost.receipt_no,
            settle(elsewhere.order_id.as_deref().unwrap()),
            "maria",
        )
        .await
        .unwrap_err();
    assert!(
        wrong
            .to_string()
            .contains("not a Lightning order for 3.30 EUR"),
        "{wrong}"
    );
    assert!(shop
        .till
        .settle(lost.receipt_no, settle("12; DROP TABLE"), "maria")
        .await
        .is_err());
    // The manager found it on the dashboard: the sale takes it, and the customer can pay.
    let settled = shop
        .till
        .settle(lost.receipt_no, settle(&order_id), "maria")
        .await
        .unwrap();
    assert_eq!(
        (
            settled.state,
            settled.order_id.as_deref(),
            settled.attention.as_deref()
        ),
        (SaleState::AwaitingPayment, Some(order_id.as_str()), None)
    );
    assert!(kinds(&shop, lost.receipt_no).contains(&"settled_found".to_owned()));
    shop.sim.state().pay(&order_id).unwrap();
    assert_eq!(
        shop.till.check(lost.receipt_no).await.unwrap().state,
        SaleState::Paid
    );
    report::close(&mut shop.till.ledger(), "front", false, None, "Olga").unwrap();
    shop.till.ledger().verify().unwrap();
}

#[tokio::test]
async fn a_stuck_sale_is_voided_by_a_manager_and_the_day_closes() {
    let shop = shop_with(
        SimConfig {
            echo_callback_url: false,
            ..SimConfig::default()
        },
        Duration::from_millis(300),
    )
    .await;
    // The till stopped right after writing the sale: it stays "creating".
    let usd = till_core::money::Currency::from_code("USD").unwrap();
    let stuck = shop
        .till
        .ledger()
        .insert_sale(
            &till_core::ledger::NewSale::keyed(
                "front",
                till_core::money::Fiat::parse("4", usd).unwrap(),
                "ana",
            ),
            chrono::Utc::now(),
        )
        .unwrap();
    let void = |reason: &str| Settlement::Void {
        reason: reason.into(),
    };
    let early = shop
        .till
        .settle(stuck.receipt_no, void("none"), "maria")
        .await
        .unwrap_err();
    assert!(
        early.to_string().contains("may still be waiting"),
        "{early}"
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    let no_reason = shop
        .till
        .settle(stuck.receipt_no, void(" \u{7} "), "maria")
        .await
        .unwrap_err();
    assert!(matches!(no_reason, TillError::BadInput(_)), "{no_reason}");
    let voided = shop
        .till
        .settle(stuck.receipt_no, void("no order on the dashboard"), "maria")
        .await
        .unwrap();
    assert_eq!(voided.state, SaleState::Failed);
    assert_eq!(
        voided.error.as_deref(),
        Some("voided by maria: no order on the dashboard")
    );
    let paid = shop.till.charge("1", "USD", "").await.unwrap();
    assert!(
        shop.till
            .settle(paid.receipt_no, void("x"), "maria")
            .await
            .is_err(),
        "only stuck sales"
    );
    shop.sim
        .state()
        .pay(paid.order_id.as_deref().unwrap())
        .unwrap();
    shop.till.check(paid.receipt_no).await.unwrap();
    let (z, _) = report::close(&mut shop.till.ledger(), "front", false, None, "Olga").unwrap();
    assert_eq!(z.totals.documents, 2);
    shop.till.ledger().verify().unwrap();
}
