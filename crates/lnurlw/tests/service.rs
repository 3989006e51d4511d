//! The client against services on 127.0.0.1: a withdrawal handed over with its `k1`, and each
//! way a service can answer badly named in plain words.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
    routing::get,
    Json, Router,
};
use lnurlw::{Error, Service};
use serde_json::json;

type Seen = Arc<Mutex<Vec<HashMap<String, String>>>>;

/// A service at a random port: its base address and what its callback was asked.
async fn service() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let cb = format!("{base}/cb?card=7");
    let app = Router::new()
        .route(
            "/w",
            get(move || async move {
                Json(json!({"tag": "withdrawRequest", "callback": cb, "k1": "k-one",
                    "minWithdrawable": 1000, "maxWithdrawable": 5_000_000, "defaultDescription": "card"}))
            }),
        )
        .route(
            "/cb",
            get(|State(seen): State<Seen>, Query(q): Query<HashMap<String, String>>| async move {
                seen.lock().unwrap().push(q);
                Json(json!({"status": "OK"}))
            }),
        )
        .route("/moved", get(|| async { Redirect::temporary("/w") }))
        .route("/html", get(|| async { "<html>hello</html>" }))
        .route(
            "/down",
            get(|| async { (StatusCode::BAD_GATEWAY, "bad gateway").into_response() }),
        )
        .route(
            "/refuses",
            get(|| async {
                (StatusCode::BAD_REQUEST, Json(json!({"status": "ERROR", "reason": "card is disabled"})))
                    .into_response()
            }),
        )
        .route(
            "/pay",
            get(|| async { Json(json!({"tag": "payRequest", "callback": "https://x.example/cb"})) }),
        )
        .with_state(seen.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, seen)
}

fn refused(r: Result<lnurlw::Accepted, Error>) -> Error {
    r.unwrap_err()
}

#[tokio::test]
async fn the_invoice_goes_to_the_callback_with_k1_and_the_callbacks_own_query() {
    let (base, seen) = service().await;
    let link = base.replace("http://", "lnurlw://") + "/w";
    Service::new()
        .unwrap()
        .pay(&link, "lnbcrt50u1invoice", 5_000_000)
        .await
        .unwrap();
    let asked = seen.lock().unwrap().clone();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0]["k1"], "k-one");
    assert_eq!(asked[0]["pr"], "lnbcrt50u1invoice");
    assert_eq!(asked[0]["card"], "7");
}

#[tokio::test]
async fn over_the_limit_nothing_is_handed_over() {
    let (base, seen) = service().await;
    let err = refused(
        Service::new()
            .unwrap()
            .pay(&format!("{base}/w"), "lnbcrt1", 5_000_001)
            .await,
    );
    assert!(
        matches!(err, Error::OverLimit { max_sat: 5000, .. }),
        "{err}"
    );
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn bad_answers_are_named_and_redirects_not_followed() {
    let (base, _) = service().await;
    let s = Service::new().unwrap();
    let pay = |path: &str| {
        let s = s.clone();
        let url = format!("{base}{path}");
        async move { s.pay(&url, "lnbcrt1", 2_000).await }
    };
    assert_eq!(
        refused(pay("/refuses").await),
        Error::Refused("card is disabled".into())
    );
    assert_eq!(
        refused(pay("/pay").await),
        Error::NotWithdraw("payRequest".into())
    );
    assert!(matches!(refused(pay("/html").await), Error::BadAnswer(_)));
    assert!(matches!(refused(pay("/down").await), Error::Unreachable(m) if m.contains("HTTP 502")));
    // A redirect could lead from HTTPS to plain HTTP: it is an answer the till does not follow.
    assert!(
        matches!(refused(pay("/moved").await), Error::Unreachable(m) if m.contains("HTTP 307"))
    );
}
