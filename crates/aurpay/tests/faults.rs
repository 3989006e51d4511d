//! The client against the simulator's faults, over real HTTP on 127.0.0.1: server errors, slow
//! and dropped answers, malformed bodies, an injected 401, wrong invoices, an unreachable gateway,
//! and error texts that never carry the credentials.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use aurpay::{Client, Config, Credentials, Error, InvoiceError, Network, OrderStatus};
use aurpay_sim::Fault;
use chrono::Utc;

mod common;

use common::{client, fault, sim, usd, KEY};

#[tokio::test]
async fn server_errors_are_http_errors_and_leave_no_order() {
    let sim = sim().await;
    let c = client(&sim, Credentials::api_key(KEY));
    fault(&sim, "/api/bln/order", Fault::HttpError { status: 502 });
    let err = c.create_bln_order(&usd("1")).await.unwrap_err();
    assert_eq!(
        err,
        Error::Http {
            status: 502,
            message: "simulated gateway error".into()
        }
    );
    assert!(err.is_transient() && err.may_have_been_processed());
    assert!(sim.state().orders().is_empty());
    // The fault was used up: the next request goes through.
    c.create_bln_order(&usd("1")).await.unwrap();
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_though_the_order_exists() {
    let sim = sim().await;
    let c = Client::new(
        Config::new(sim.url())
            .credentials(Credentials::api_key(KEY))
            .timeout(Duration::from_millis(300)),
    )
    .unwrap();
    fault(&sim, "/api/bln/order", Fault::Delay { ms: 1_500 });
    let err = c.create_bln_order(&usd("2")).await.unwrap_err();
    assert_eq!(err, Error::Timeout);
    assert!(err.may_have_been_processed());
    assert_eq!(
        sim.state().orders().len(),
        1,
        "the gateway acted: this is the uncertain case"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_connection_lost() {
    let sim = sim().await;
    let c = client(&sim, Credentials::api_key(KEY));
    fault(&sim, "/api/bln/order", Fault::Drop);
    let err = c.create_bln_order(&usd("2")).await.unwrap_err();
    assert!(matches!(err, Error::ConnectionLost { .. }), "{err:?}");
    assert!(err.may_have_been_processed());
}

#[tokio::test]
async fn a_malformed_body_is_malformed_with_an_excerpt() {
    let sim = sim().await;
    let c = client(&sim, Credentials::api_key(KEY));
    let order = c.create_bln_order(&usd("2")).await.unwrap();
    fault(&sim, "/api/v2/order/detail/", Fault::Malformed);
    let err = c.order_details(&order.order_id).await.unwrap_err();
    match &err {
        Error::Malformed { detail, excerpt } => {
            assert!(detail.starts_with("not JSON"), "{detail}");
            assert!(excerpt.starts_with(r#"{\"code\":0"#), "{excerpt}");
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
    // And then it answers normally again.
    assert_eq!(
        c.order_details(&order.order_id).await.unwrap().status,
        OrderStatus::Pending
    );
}

#[tokio::test]
async fn an_injected_401_is_unauthorized() {
    let sim = sim().await;
    let c = client(&sim, Credentials::api_key(KEY));
    fault(&sim, "/api/bln/balance", Fault::Unauthorized);
    let err = c.bln_balance().await.unwrap_err();
    assert_eq!(
        err,
        Error::Unauthorized {
            message: "Unauthorized: token expired".into()
        }
    );
}

#[tokio::test]
async fn wrong_invoices_are_refused_before_they_are_shown() {
    let sim = sim().await;
    let c = client(&sim, Credentials::api_key(KEY));
    fault(&sim, "/api/bln/order", Fault::WrongAmount);
    let order = c.create_bln_order(&usd("1")).await.unwrap();
    let err = order
        .check_invoice(Network::Regtest, Utc::now())
        .unwrap_err();
    assert_eq!(
        err,
        InvoiceError::AmountMismatch {
            invoice_msat: 1_001_000,
            order_msat: 1_000_000
        }
    );

    fault(&sim, "/api/bln/order", Fault::WrongNetwork);
    let order = c.create_bln_order(&usd("1")).await.unwrap();
    let err = order
        .check_invoice(Network::Regtest, Utc::now())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the gateway's invoice is for bitcoin, but this till is set to regtest"
    );

    // A healthy order checked against the wrong configured network is refused too.
    let order = c.create_bln_order(&usd("1")).await.unwrap();
    assert!(matches!(
        order.check_invoice(Network::Bitcoin, Utc::now()),
        Err(InvoiceError::WrongNetwork { .. })
    ));
    assert!(order.check_invoice(Network::Regtest, Utc::now()).is_ok());
}

#[tokio::test]
async fn an_unreachable_gateway_is_connect_failed() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::new(
        Config::new(format!("http://127.0.0.1:{port}")).credentials(Credentials::api_key(KEY)),
    )
    .unwrap();
    let err = c.create_bln_order(&usd("1")).await.unwrap_err();
    assert!(matches!(err, Error::ConnectFailed { .. }), "{err:?}");
    assert!(!err.may_have_been_processed() && err.is_transient());
}

/// A gateway that echoes the API key back in a broken answer: the error must not repeat it.
#[tokio::test]
async fn error_excerpts_never_carry_the_credentials() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let _ = sock.read(&mut buf).await.unwrap();
        let body = format!("<html>bad gateway for key {KEY}</html>");
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        sock.write_all(reply.as_bytes()).await.unwrap();
    });
    let c = Client::new(Config::new(url).credentials(Credentials::api_key(KEY))).unwrap();
    let err = c.bln_balance().await.unwrap_err();
    server.await.unwrap();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Malformed { .. }), "{err:?}");
    assert!(!text.contains(KEY), "{text}");
    assert!(text.contains("<redacted>"), "{text}");
}
