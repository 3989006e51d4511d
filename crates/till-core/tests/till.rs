//! The till against the Aurpay simulator over real HTTP: sales charged, paid, timed out,
//! cancelled, paid late and refused, each ending in the right state with its reason recorded and
//! the ledger still verifying.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use aurpay::Network;
use aurpay_sim::{Fault, SimConfig};
use till_core::{
    fixture::{self},
    ledger::Ledger,
    sale::SaleState,
    till::{Settlement, Till, TillConfig, TillError},
    watcher::{self},
};

mod common;

use common::{kinds, shop, shop_with};

#[tokio::test]
async fn a_sale_is_charged_checked_and_paid() {
    let shop = shop().await;
    let sale = shop.till.charge("12.50", "usd", "table 4").await.unwrap();
    assert_eq!(sale.state, SaleState::AwaitingPayment);
    assert_eq!(
        (sale.receipt_no, sale.amount_minor, sale.currency.as_str()),
        (1, 1250, "USD")
    );
    assert_eq!(sale.amount_msat, Some(12_500_000));
    assert_eq!(sale.rate.as_deref(), Some("100000"));
    assert!(sale
        .payment_request
        .as_deref()
        .unwrap()
        .starts_with("lnbcrt125u1"));
    assert_eq!(sale.payment_hash.as_ref().unwrap().len(), 64);
    let order_id = sale.order_id.clone().unwrap();

    assert_eq!(
        shop.till.check(1).await.unwrap().state,
        SaleState::AwaitingPayment
    );
    shop.sim.state().pay(&order_id).unwrap();
    let paid = shop.till.check(1).await.unwrap();
    assert_eq!(paid.state, SaleState::Paid);
    assert!(paid.paid_at.is_some());
    assert_eq!(
        kinds(&shop, 1),
        ["created", "order_created", "status"],
        "polls that bring nothing new are not journaled"
    );
    shop.till.ledger().verify().unwrap();
}

#[tokio::test]
async fn the_customer_display_sees_the_sale_being_paid_then_its_result_for_a_while() {
    let shop = shop().await;
    assert!(
        shop.till.current_sale().unwrap().is_none(),
        "nothing rung up yet"
    );
    let sale = shop.till.charge("3", "usd", "").await.unwrap();
    let now = chrono::Utc::now();
    let current = |at| {
        shop.till
            .current_sale_at(at)
            .unwrap()
            .map(|s| (s.receipt_no, s.state))
    };
    assert_eq!(current(now), Some((1, SaleState::AwaitingPayment)));
    assert_eq!(
        current(now + chrono::TimeDelta::hours(1)),
        Some((1, SaleState::AwaitingPayment)),
        "an open sale stays however long it waits"
    );
    shop.sim
        .state()
        .pay(sale.order_id.as_deref().unwrap())
        .unwrap();
    let paid = shop.till.check(1).await.unwrap();
    // A display that loads just after the payment still shows it, as one that heard it would.
    assert_eq!(current(paid.updated_at), Some((1, SaleState::Paid)));
    assert_eq!(
        current(paid.updated_at + till_core::history::RESULT_SHOWN),
        Some((1, SaleState::Paid))
    );
    assert_eq!(
        current(paid.updated_at + till_core::history::RESULT_SHOWN + chrono::TimeDelta::seconds(1)),
        None,
        "the display rests once the result has been shown"
    );
}

#[tokio::test]
async fn bad_input_is_refused_and_writes_nothing() {
    let shop = shop().await;
    for (amount, currency, memo) in [
        ("0", "USD", ""),
        ("12,50", "USD", ""),
        ("-1", "USD", ""),
        ("5", "XYZ", ""),
        ("1.234", "USD", ""),
        ("abc", "USD", ""),
    ] {
        let err = shop.till.charge(amount, currency, memo).await.unwrap_err();
        assert!(
            matches!(err, TillError::Money(_)),
            "{amount} {currency}: {err:?}"
        );
    }
    let err = shop
        .till
        .charge("5", "USD", &"x".repeat(500))
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "the memo is longer than 200 characters");
    assert!(shop.till.ledger().all_sales().unwrap().is_empty());
    assert!(
        shop.sim.state().requests().is_empty(),
        "the gateway was never asked"
    );
    assert!(matches!(
        shop.till.check(7).await,
        Err(TillError::Ledger(_))
    ));
}

#[tokio::test]
async fn refusals_and_bad_invoices_fail_the_sale_with_the_reason() {
    let shop = shop().await;
    shop.fault("/api/bln/order", Fault::Unauthorized);
    let s = shop.till.charge("1", "USD", "").await.unwrap();
    assert_eq!(s.state, SaleState::Failed);
    assert_eq!(
        s.error.as_deref(),
        Some("Aurpay did not accept the credentials: Unauthorized: token expired")
    );

    shop.fault("/api/bln/order", Fault::WrongAmount);
    let s = shop.till.charge("1", "USD", "").await.unwrap();
    assert_eq!(s.state, SaleState::Failed);
    assert_eq!(
        s.error.as_deref(),
        Some("the gateway's invoice is for 1001000 msat but the order is for 1000000 msat; no QR was shown")
    );
    assert!(
        s.payment_request.is_none(),
        "a refused invoice is never stored for display"
    );

    shop.fault("/api/bln/order", Fault::WrongNetwork);
    let s = shop.till.charge("1", "USD", "").await.unwrap();
    assert_eq!(s.state, SaleState::Failed);
    assert!(s
        .error
        .unwrap()
        .contains("is for bitcoin, but this till is set to regtest"));

    let s = shop.till.charge("5", "GBP", "").await.unwrap();
    assert_eq!(
        s.state,
        SaleState::AwaitingPayment,
        "and then sales work again"
    );
    assert_eq!(
        s.receipt_no, 4,
        "failed sales keep their receipt numbers: no gaps"
    );
    shop.till.ledger().verify().unwrap();
}

#[tokio::test]
async fn an_unreachable_gateway_fails_the_sale_plainly() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = fixture::client(&format!("http://127.0.0.1:{port}"), aurpay::DEFAULT_TIMEOUT);
    let till = Till::new(
        Ledger::in_memory().unwrap(),
        client,
        TillConfig::new("front", Network::Regtest),
    );
    let s = till.charge("1", "USD", "").await.unwrap();
    assert_eq!(
        s.state,
        SaleState::Failed,
        "nothing was sent, so nothing can exist"
    );
    assert!(s.error.unwrap().starts_with("could not reach Aurpay"));
}

#[tokio::test]
async fn timed_out_and_cancelled_sales_are_paid_late_and_can_be_requoted() {
    let shop = shop_with(
        SimConfig {
            lifetime: Duration::from_millis(300),
            ..SimConfig::default()
        },
        Duration::from_secs(3),
    )
    .await;
    let a = shop.till.charge("4", "USD", "late one").await.unwrap();
    let b = shop.till.charge("5", "USD", "").await.unwrap();

    let cancelled = shop.till.cancel(b.receipt_no).unwrap();
    assert_eq!(cancelled.state, SaleState::Cancelled);
    assert!(matches!(shop.till.cancel(99), Err(TillError::Ledger(_))));

    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        shop.till.check(a.receipt_no).await.unwrap().state,
        SaleState::TimedOut
    );
    assert!(matches!(
        shop.till.cancel(a.receipt_no),
        Err(TillError::NotAllowed { .. })
    ));

    let mut updates = shop.till.subscribe();
    shop.sim
        .state()
        .pay_late(a.order_id.as_deref().unwrap())
        .unwrap();
    let late = shop.till.check(a.receipt_no).await.unwrap();
    assert_eq!(late.state, SaleState::PaidLate);
    let update = updates.recv().await.unwrap();
    assert!(update.is_paid_late(), "the cashier is alerted");
    assert_eq!(update.sale.receipt_no, a.receipt_no);

    // The cancelled sale's order timed out at the gateway too; a wallet pays it anyway.
    shop.sim
        .state()
        .pay_late(b.order_id.as_deref().unwrap())
        .unwrap();
    assert_eq!(
        shop.till.check(b.receipt_no).await.unwrap().state,
        SaleState::PaidLate
    );

    // A timed-out sale can be charged again, linked to the old one.
    let c = shop.till.charge("6", "USD", "").await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    shop.till.check(c.receipt_no).await.unwrap();
    let again = shop.till.requote(c.receipt_no).await.unwrap();
    assert_eq!(
        (again.replaces, again.amount_minor, again.state),
        (Some(c.receipt_no), 600, SaleState::AwaitingPayment)
    );
    assert!(matches!(
        shop.till.requote(again.receipt_no).await,
        Err(TillError::NotAllowed { .. })
    ));
    shop.till.ledger().verify().unwrap();
}

#[tokio::test]
async fn resolved_and_partial_are_flagged() {
    let shop = shop().await;
    let s = shop.till.charge("10", "USD", "").await.unwrap();
    let id = s.order_id.clone().unwrap();
    shop.sim
        .state()
        .set_status(&id, aurpay::OrderStatus::Partial)
        .unwrap();
    let p = shop.till.check(1).await.unwrap();
    assert_eq!((p.state, p.partial), (SaleState::AwaitingPayment, true));
    shop.sim
        .state()
        .set_status(&id, aurpay::OrderStatus::Resolved)
        .unwrap();
    let r = shop.till.check(1).await.unwrap();
    assert_eq!(
        (r.state, r.underpaid, r.partial),
        (SaleState::Paid, true, false)
    );
}

/// An order id the ledger already holds (a gateway whose ids started again) fails the new sale
/// plainly and leaves the old one alone: never a sale stuck in "creating".
#[tokio::test]
async fn an_order_id_another_sale_holds_fails_the_sale_plainly() {
    let shop = shop().await;
    let first = shop.till.charge("1", "USD", "").await.unwrap();
    shop.fault("/api/bln/order", Fault::RepeatOrderId);
    let second = shop.till.charge("2", "USD", "").await.unwrap();
    assert_eq!(second.state, SaleState::Failed);
    let why = second.error.unwrap();
    assert!(why.contains("which receipt 1 already holds"), "{why}");
    assert!(why.contains("no QR was shown"), "{why}");
    assert_eq!(second.order_id, None);
    assert_eq!(shop.till.sale(1).unwrap(), first);
    assert!(kinds(&shop, 2).contains(&"order_id_reused".to_owned()));
    shop.till.ledger().verify().unwrap();
}

/// REFUNDED for a sale waiting for payment is impossible in the state machine: it is recorded on
/// the sale once and shown, and polling slows down, instead of an error retried for ever.
#[tokio::test]
async fn an_impossible_gateway_status_is_recorded_once_not_retried_as_an_error() {
    let shop = shop().await;
    let sale = shop.till.charge("5", "USD", "").await.unwrap();
    let order = sale.order_id.clone().unwrap();
    shop.sim
        .state()
        .set_status(&order, aurpay::OrderStatus::Refunded)
        .unwrap();
    let flagged = shop.till.check(sale.receipt_no).await.unwrap();
    assert_eq!(flagged.state, SaleState::AwaitingPayment);
    let why = flagged.attention.clone().unwrap();
    assert!(
        why.contains("REFUNDED") && why.contains("a manager can settle it"),
        "{why}"
    );
    let entries = kinds(&shop, sale.receipt_no);
    assert_eq!(entries.last().map(String::as_str), Some("gateway_anomaly"));
    shop.till.check(sale.receipt_no).await.unwrap();
    assert_eq!(kinds(&shop, sale.receipt_no), entries, "said once");
    assert_eq!(
        watcher::next_poll(&flagged, chrono::Utc::now(), 0, Duration::from_secs(3)),
        Some(watcher::MAX_INTERVAL)
    );
    let voided = shop
        .till
        .settle(
            sale.receipt_no,
            Settlement::Void {
                reason: "refunded on the dashboard".into(),
            },
            "maria",
        )
        .await
        .unwrap();
    assert_eq!((voided.state, voided.attention), (SaleState::Failed, None));
    shop.till.ledger().verify().unwrap();
}

/// The countdown ends when the gateway stops waiting: the order's lifetime after its creation,
/// never after the invoice's own expiry.
#[tokio::test]
async fn the_countdown_ends_when_the_gateway_stops_waiting() {
    for (lifetime, expected) in [
        (Duration::from_secs(600), chrono::Duration::minutes(10)),
        (Duration::from_secs(48 * 3600), chrono::Duration::hours(24)),
    ] {
        let shop = shop_with(
            SimConfig {
                lifetime,
                ..SimConfig::default()
            },
            Duration::from_secs(3),
        )
        .await;
        let s = shop.till.charge("1", "USD", "").await.unwrap();
        let order_created = s.order_created_at.unwrap();
        let deadline = s.order_expires_at.unwrap() - order_created;
        // The invoice was made a moment after the order, to the second.
        assert!(
            (deadline - expected).num_seconds().abs() <= 1,
            "{lifetime:?}: {deadline}"
        );
        assert!(s.order_expires_at <= s.invoice_expires_at);
    }
}

#[tokio::test]
async fn the_history_lists_the_newest_hundred_and_a_search_finds_older_ones() {
    let shop = shop().await;
    for i in 1..=105 {
        let memo = if i == 3 { "table 3" } else { "" };
        shop.till
            .charge(&format!("{i}.00"), "usd", memo)
            .await
            .unwrap();
    }
    let list = shop.till.sales_today("", None).unwrap();
    assert_eq!(list.len(), till_core::history::HISTORY_ROWS);
    assert_eq!(
        (list[0].receipt_no, list[list.len() - 1].receipt_no),
        (105, 6),
        "the newest first, the oldest left to a search"
    );
    let older = shop.till.sales_today("table 3", None).unwrap();
    assert_eq!(older.iter().map(|s| s.receipt_no).collect::<Vec<_>>(), [3]);
    assert!(shop
        .till
        .sales_today("", Some("nobody"))
        .unwrap()
        .is_empty());
}
