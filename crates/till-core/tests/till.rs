//! The till against the Aurpay simulator over real HTTP: sales paid, timed out, cancelled, paid
//! late, refused, and lost in every way the gateway can lose them, each ending in the right state
//! with its reason recorded and the ledger still verifying.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{sync::Arc, time::Duration};

use aurpay::{Client, Config, Credentials, Network};
use aurpay_sim::{Fault, FaultRule, RunningSim, SimConfig};
use till_core::{
    ledger::Ledger,
    report,
    sale::SaleState,
    till::{Settlement, Till, TillConfig, TillError},
    watcher::{self, Watcher},
};

const KEY: &str = "till-test-key";

struct Shop {
    sim: RunningSim,
    till: Arc<Till>,
}

async fn shop_with(sim: SimConfig, timeout: Duration) -> Shop {
    let sim = aurpay_sim::start(SimConfig {
        api_key: Some(KEY.into()),
        ..sim
    })
    .await
    .unwrap();
    let client = Client::new(
        Config::new(sim.url())
            .credentials(Credentials::api_key(KEY))
            .timeout(timeout),
    )
    .unwrap();
    let mut config = TillConfig::new("front", Network::Regtest);
    config.cashier = "ana".into();
    config.gateway_timeout = timeout;
    config.settle_margin = Duration::ZERO;
    config.order_lifetime = sim.state().config.lifetime;
    let till = Till::new(Ledger::in_memory().unwrap(), client, config);
    Shop { sim, till }
}

async fn shop() -> Shop {
    shop_with(SimConfig::default(), Duration::from_secs(3)).await
}

fn fault(shop: &Shop, path: &str, fault: Fault) {
    shop.sim.state().inject(FaultRule {
        path: path.into(),
        fault,
        count: 1,
    });
}

fn kinds(shop: &Shop, receipt: i64) -> Vec<String> {
    let l = shop.till.ledger();
    let sale = l.sale_by_receipt("front", false, receipt).unwrap();
    l.timeline(sale.id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

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
    fault(&shop, "/api/bln/order", Fault::Unauthorized);
    let s = shop.till.charge("1", "USD", "").await.unwrap();
    assert_eq!(s.state, SaleState::Failed);
    assert_eq!(
        s.error.as_deref(),
        Some("Aurpay did not accept the credentials: Unauthorized: token expired")
    );

    fault(&shop, "/api/bln/order", Fault::WrongAmount);
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

    fault(&shop, "/api/bln/order", Fault::WrongNetwork);
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
async fn a_lost_answer_is_reconciled_to_the_order_the_gateway_made() {
    let shop = shop_with(SimConfig::default(), Duration::from_millis(400)).await;
    for f in [Fault::Delay { ms: 1_200 }, Fault::Drop, Fault::Malformed] {
        fault(&shop, "/api/bln/order", f.clone());
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
    fault(&shop, "/api/bln/order", Fault::HttpError { status: 503 });
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

#[tokio::test]
async fn an_unreachable_gateway_fails_the_sale_plainly() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(
        Config::new(format!("http://127.0.0.1:{port}")).credentials(Credentials::api_key(KEY)),
    )
    .unwrap();
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
        let client =
            Client::new(Config::new(shop.sim.url()).credentials(Credentials::api_key(KEY)))
                .unwrap();
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
        fault(&shop, &format!("/api/v2/order/detail/{order}"), f.clone());
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

/// A second till on the same gateway account (another counter, or the web shop): its own ledger,
/// the same simulator.
async fn other_till(shop: &Shop) -> Arc<Till> {
    let client =
        Client::new(Config::new(shop.sim.url()).credentials(Credentials::api_key(KEY))).unwrap();
    let mut config = TillConfig::new("terrace", Network::Regtest);
    config.settle_margin = Duration::ZERO;
    Till::new(Ledger::in_memory().unwrap(), client, config)
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
    fault(&shop, "/api/bln/order", Fault::Delay { ms: 1_200 });
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
    fault(&shop, "/api/bln/order", Fault::Delay { ms: 1_200 });
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
        report::close(&mut shop.till.ledger(), "front", false, None),
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
    report::close(&mut shop.till.ledger(), "front", false, None).unwrap();
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
            &till_core::ledger::NewSale {
                terminal: "front".into(),
                fiat: till_core::money::Fiat::parse("4", usd).unwrap(),
                memo: String::new(),
                cashier: "ana".into(),
                training: false,
                replaces: None,
            },
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
    let (z, _) = report::close(&mut shop.till.ledger(), "front", false, None).unwrap();
    assert_eq!(z.totals.documents, 2);
    shop.till.ledger().verify().unwrap();
}

/// An order id the ledger already holds (a gateway whose ids started again) fails the new sale
/// plainly and leaves the old one alone: never a sale stuck in "creating".
#[tokio::test]
async fn an_order_id_another_sale_holds_fails_the_sale_plainly() {
    let shop = shop().await;
    let first = shop.till.charge("1", "USD", "").await.unwrap();
    fault(&shop, "/api/bln/order", Fault::RepeatOrderId);
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

/// A demo sale's order lives only in the demo gateway that made it: another process's demo
/// gateway does not know it, so the sale is void, not watched for ever.
#[tokio::test]
async fn a_demo_sale_whose_demo_gateway_is_gone_is_void() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let demo_till = |sim: &RunningSim| {
        let client =
            Client::new(Config::new(sim.url()).credentials(Credentials::api_key(KEY))).unwrap();
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
    fault(
        &shop,
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
