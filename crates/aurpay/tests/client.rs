//! The client against the simulator, over real HTTP on 127.0.0.1: every endpoint, both
//! authentication methods, wrong credentials, orders that time out or are paid late, and what the
//! client counts.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use aurpay::{
    wire::{BlnWithdrawRequest, PaymentInfoRequest, PaymentUrlRequest, RefundRequest, Urls},
    Client, Config, CreateBlnOrder, Credentials, Error, Network, OrderStatus, Secret,
};
use aurpay_sim::SimConfig;
use chrono::Utc;

mod common;

use common::{client, sim, usd, KEY, SECRET, TOKEN};

#[tokio::test]
async fn a_lightning_sale_with_the_api_key() {
    let sim = sim().await;
    let c = client(&sim, Credentials::api_key(KEY));
    let order = c.create_bln_order(&usd("12.50")).await.unwrap();
    assert_eq!(order.status, OrderStatus::Pending);
    // 12.50 USD at the simulator's 100,000 USD/BTC.
    assert_eq!(order.amount.to_string(), "0.000125");
    assert_eq!(order.order_id.len(), 20);
    let invoice = order.check_invoice(Network::Regtest, Utc::now()).unwrap();
    assert_eq!(invoice.amount_msat, 12_500_000);
    assert_eq!(
        order.pay_url.as_deref(),
        Some(format!("{}/#/cashier/{}", sim.url(), order.order_id).as_str())
    );

    assert_eq!(
        c.order_details(&order.order_id).await.unwrap().status,
        OrderStatus::Pending
    );
    sim.state().pay(&order.order_id).unwrap();
    let paid = c.order_details(&order.order_id).await.unwrap();
    assert_eq!(paid.status, OrderStatus::Success);
    assert_eq!(paid.tx_hash.as_deref(), Some(invoice.payment_hash.as_str()));
    assert_eq!(paid.vs_price, Some("12.5".parse().unwrap()));
    assert_eq!(
        sim.state()
            .requests()
            .iter()
            .filter(|r| r.auth == "api-key")
            .count(),
        3
    );
}

#[tokio::test]
async fn the_signature_method_reaches_the_same_endpoints() {
    let sim = sim().await;
    let c = client(&sim, Credentials::signature(TOKEN, SECRET));
    let order = c.create_bln_order(&usd("3")).await.unwrap();
    c.order_details(&order.order_id).await.unwrap();
    // A GET with a query string: the query is not part of the signed path.
    let page = c.orders(1, 10).await.unwrap();
    assert_eq!(page.data.len(), 1);
    let seen = sim.state().requests();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|r| r.auth == "signature"), "{seen:?}");
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_unauthorized() {
    let sim = sim().await;
    for creds in [
        Credentials::api_key("not-the-key"),
        Credentials::signature(TOKEN, "wrong-secret"),
        Credentials::signature("wrong-token", SECRET),
    ] {
        let err = client(&sim, creds.clone())
            .create_bln_order(&usd("1"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Unauthorized { .. }),
            "{creds:?}: {err:?}"
        );
        assert!(
            !err.to_string().contains("not-the-key") && !err.to_string().contains("wrong-secret")
        );
    }
    assert!(sim.state().orders().is_empty(), "no order was created");
    let no_creds = Client::new(Config::new(sim.url())).unwrap();
    let err = no_creds.bln_balance().await.unwrap_err();
    assert_eq!(
        err,
        Error::Unauthorized {
            message: "no Aurpay credentials are configured".into()
        }
    );
    assert_eq!(
        sim.state().requests().len(),
        3,
        "nothing is sent without credentials"
    );
}

#[tokio::test]
async fn the_gateways_refusals_carry_its_reason() {
    let sim = sim().await;
    let c = client(&sim, Credentials::api_key(KEY));
    let err = c
        .create_bln_order(&CreateBlnOrder::new("5".parse().unwrap(), "XYZ"))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        Error::Rejected {
            code: 400,
            message: "currency XYZ is not supported".into()
        }
    );
    let err = c.order_details("99999999999999999999").await.unwrap_err();
    assert!(matches!(err, Error::Rejected { code: 404, .. }), "{err:?}");
    let err = c.create_bln_order(&usd("0")).await.unwrap_err();
    assert!(
        err.to_string().contains("price must be greater than 0"),
        "{err}"
    );
}

#[tokio::test]
async fn every_other_endpoint_answers_in_its_documented_shape() {
    let sim = sim().await;
    let c = client(&sim, Credentials::api_key(KEY));

    // Orders (paged) and transactions.
    let a = c.create_bln_order(&usd("10")).await.unwrap();
    let b = c.create_bln_order(&usd("20")).await.unwrap();
    let page = c.orders(1, 1).await.unwrap();
    assert_eq!(
        (page.total, page.max_page, page.data.len()),
        (Some(2), Some(2), 1)
    );
    assert_eq!(page.data[0].order_id, b.order_id, "newest first");
    sim.state().pay(&a.order_id).unwrap();
    let txs = c.transactions(1, 20).await.unwrap();
    assert_eq!(txs.data.len(), 1);
    assert_eq!(txs.data[0].amount, Some("0.0001".parse().unwrap()));

    // Balance: the paid order's 0.0001 BTC.
    assert_eq!(
        c.bln_balance().await.unwrap().balance,
        "0.0001".parse().unwrap()
    );

    // Withdraw to an invoice the simulator's own node issued (any valid regtest invoice works).
    let payee = c.create_bln_order(&usd("4")).await.unwrap();
    let req = BlnWithdrawRequest {
        ln_invoices: payee.payment_request.clone(),
        amount: None,
    };
    let w = c.bln_withdraw(&req).await.unwrap();
    assert_eq!(w.value.status.as_deref(), Some("SUCCESS"));
    assert_eq!(w.value.amount, Some("0.00004".parse().unwrap()));
    assert!(
        w.raw.contains("withdraw_id"),
        "the raw answer is kept: {}",
        w.raw
    );
    // The same invoice cannot be paid twice.
    let again = c.bln_withdraw(&req).await.unwrap_err();
    assert_eq!(
        again,
        Error::Rejected {
            code: 400,
            message: "this invoice has already been paid".into()
        }
    );
    assert_eq!(
        c.bln_balance().await.unwrap().balance,
        "0.00006".parse().unwrap()
    );

    // Payment URL and payment info.
    let url = c
        .payment_url(&PaymentUrlRequest {
            price: "9.99".parse().unwrap(),
            currency: "EUR".into(),
            urls: Urls::default(),
            fixed_encrypt_price: Some(true),
            enable_post_callback: None,
        })
        .await
        .unwrap();
    assert!(url
        .pay_url
        .starts_with(&format!("{}/#/cashier/", sim.url())));
    let info = c
        .payment_info(&PaymentInfoRequest {
            chain: "TRX".into(),
            currency: "USDT-TRC20".into(),
            vs_currency: "USD".into(),
            vs_price: "15".parse().unwrap(),
            urls: Urls::default(),
        })
        .await
        .unwrap();
    assert_eq!(
        (info.status, info.amount),
        (OrderStatus::Pending, Some("15".parse().unwrap()))
    );

    // Refund info and refund, once.
    let ri = c.refund_info(&a.order_id).await.unwrap();
    assert_eq!(ri.amount, Some("0.0001".parse().unwrap()));
    let r = c
        .refund(&a.order_id, &RefundRequest::default())
        .await
        .unwrap();
    assert_eq!(r.value.refund_status.as_deref(), Some("SUCCESS"));
    let twice = c
        .refund(&a.order_id, &RefundRequest::default())
        .await
        .unwrap_err();
    assert!(
        twice.to_string().contains("already been refunded"),
        "{twice}"
    );
    assert_eq!(
        c.order_details(&a.order_id).await.unwrap().status,
        OrderStatus::Refunded
    );

    // Currency lists.
    let fiat = c.real_currencies().await.unwrap();
    assert!(fiat
        .iter()
        .any(|f| f.code == "USD" && f.name.as_deref() == Some("US Dollar")));
    let crypto = c.crypto_currencies().await.unwrap();
    assert!(crypto.iter().any(|f| f.code == "BTC-LN"));

    // Get API-Key: the right account gets the key; a wrong password does not.
    let anon = Client::new(Config::new(sim.url())).unwrap();
    let key = anon
        .get_api_key("owner@shop.example", &Secret::new("hunter2-long"))
        .await
        .unwrap();
    assert_eq!(key.expose(), KEY);
    let err = anon
        .get_api_key("owner@shop.example", &Secret::new("guess-1234"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Rejected { .. }), "{err:?}");
    assert!(!err.to_string().contains("guess-1234"));
}

#[tokio::test]
async fn orders_time_out_and_a_late_payment_is_seen() {
    let sim = aurpay_sim::start(SimConfig {
        api_key: Some(KEY.into()),
        lifetime: Duration::from_millis(300),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let c = client(&sim, Credentials::api_key(KEY));
    let order = c.create_bln_order(&usd("1")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(
        c.order_details(&order.order_id).await.unwrap().status,
        OrderStatus::Overdue
    );
    sim.state().pay_late(&order.order_id).unwrap();
    assert_eq!(
        c.order_details(&order.order_id).await.unwrap().status,
        OrderStatus::Success
    );
}

#[tokio::test]
async fn auto_pay_pays_pending_orders_for_the_demo() {
    let sim = aurpay_sim::start(SimConfig {
        api_key: Some(KEY.into()),
        auto_pay_after: Some(Duration::from_millis(200)),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let c = client(&sim, Credentials::api_key(KEY));
    let order = c.create_bln_order(&usd("1")).await.unwrap();
    assert_eq!(
        c.order_details(&order.order_id).await.unwrap().status,
        OrderStatus::Pending
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        c.order_details(&order.order_id).await.unwrap().status,
        OrderStatus::Success
    );
}

#[tokio::test]
async fn the_client_counts_its_requests_and_its_waiting() {
    let sim = aurpay_sim::start(aurpay_sim::SimConfig {
        api_key: Some("k".into()),
        ..aurpay_sim::SimConfig::default()
    })
    .await
    .unwrap();
    let c = aurpay::Client::new(
        aurpay::Config::new(sim.url()).credentials(aurpay::Credentials::api_key("k")),
    )
    .unwrap();
    assert_eq!(c.usage(), aurpay::Usage::default());
    c.orders(1, 1).await.unwrap();
    let clone = c.clone();
    clone.orders(1, 1).await.unwrap();
    let used = c.usage();
    assert_eq!(used.requests, 2, "clones share the counters");
    assert!(used.waiting > std::time::Duration::ZERO);
}

/// Connections to a bare HTTP/1.1 server on 127.0.0.1 that holds its answers until `held`
/// requests are waiting (so each came on a connection of its own), then answers every request
/// with an empty JSON object and keeps the connection open; counts the connections still open.
async fn holding_server(held: usize) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    };
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let open = Arc::new(AtomicUsize::new(0));
    let waiting = Arc::new(tokio::sync::Semaphore::new(0));
    let counted = open.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            counted.fetch_add(1, Ordering::SeqCst);
            let (open, waiting) = (counted.clone(), waiting.clone());
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                let mut first = true;
                loop {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                    if !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        continue;
                    }
                    request.clear();
                    if first {
                        // Hold until `held` requests wait, then let them all through.
                        first = false;
                        waiting.add_permits(1);
                        let _ = waiting.acquire_many(held as u32).await;
                        waiting.add_permits(held);
                    }
                    let body = "{}";
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        break;
                    }
                }
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (url, open)
}

#[tokio::test]
async fn a_burst_of_requests_leaves_one_connection_open_not_one_each() {
    // The watcher's polls beside a create or a cancel open connections side by side; kept all
    // (reqwest's default, for 90 s) they were open files that grew over a long day.
    use std::sync::atomic::Ordering;
    let (url, open) = holding_server(4).await;
    let c = aurpay::Client::new(
        aurpay::Config::new(url)
            .credentials(aurpay::Credentials::api_key("k"))
            .timeout(Duration::from_secs(30)),
    )
    .unwrap();
    let burst = (0..4).map(|i| {
        let c = c.clone();
        async move { c.order_details(&format!("order-{i}")).await }
    });
    // The answers are `{}`, not orders: each request ends in a decoding error, after its whole
    // answer was read, which is all this test needs.
    let answers = futures_join_all(burst).await;
    assert_eq!(answers.len(), 4);
    assert_eq!(c.usage().requests, 4);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while open.load(Ordering::SeqCst) > 1 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        open.load(Ordering::SeqCst),
        1,
        "the connections the burst opened, still open"
    );
}

/// Runs the futures side by side and returns their outputs (no extra crate for one test).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let tasks: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}
