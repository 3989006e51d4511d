//! The control API over HTTP, as curl or the demo would drive it, and the wire format as a
//! client that is not ours would see it.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use aurpay_sim::SimConfig;
use serde_json::{json, Value};

async fn post(url: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn create(base: &str, key: &str, body: Value) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/bln/order"))
        .header("API-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn orders_can_be_paid_and_faults_queued_over_http() {
    let sim = aurpay_sim::start(SimConfig::with_api_key("k"))
        .await
        .unwrap();
    let base = sim.url().to_owned();

    // Price as a string works as well as a number.
    let created = create(&base, "k", json!({"price": "7.5", "currency": "eur"})).await;
    assert_eq!(created["code"], 0);
    assert_eq!(created["result"], true);
    let id = created["data"]["order_id"].as_str().unwrap().to_owned();
    assert_eq!(created["data"]["currency"], "BTC-LN");
    assert!(created["data"]["payment_request"]
        .as_str()
        .unwrap()
        .starts_with("lnbcrt"));

    let (status, order) = post(&format!("{base}/_sim/orders/{id}/pay"), json!({})).await;
    assert_eq!((status, order["status"].as_str()), (200, Some("SUCCESS")));
    // Paying twice is a conflict, an unknown order is not found.
    assert_eq!(
        post(&format!("{base}/_sim/orders/{id}/pay"), json!({}))
            .await
            .0,
        409
    );
    assert_eq!(
        post(&format!("{base}/_sim/orders/123/pay"), json!({}))
            .await
            .0,
        404
    );
    // pay-late only applies to OVERDUE orders.
    assert_eq!(
        post(&format!("{base}/_sim/orders/{id}/pay-late"), json!({}))
            .await
            .0,
        409
    );
    let (_, o) = post(
        &format!("{base}/_sim/orders/{id}/status"),
        json!({"status": "RESOLVED"}),
    )
    .await;
    assert_eq!(o["status"], "RESOLVED");

    // A queued fault applies to the next request of that path only.
    let rule = json!({"path": "/api/bln/order", "fault": {"kind": "http_error", "status": 503}, "count": 1});
    assert_eq!(post(&format!("{base}/_sim/faults"), rule).await.0, 204);
    let r = reqwest::Client::new()
        .post(format!("{base}/api/bln/order"))
        .header("API-Key", "k")
        .json(&json!({"price": 1, "currency": "USD"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.json::<Value>().await.unwrap()["msg"],
        "simulated gateway error"
    );
    create(&base, "k", json!({"price": 1, "currency": "USD"})).await;

    // Bad fault rules are refused.
    assert_eq!(
        post(
            &format!("{base}/_sim/faults"),
            json!({"path": "x", "fault": {"kind": "drop"}, "count": 1})
        )
        .await
        .0,
        400
    );
    assert_eq!(
        post(
            &format!("{base}/_sim/faults"),
            json!({"path": "/a", "fault": {"kind": "nope"}, "count": 1})
        )
        .await
        .0,
        422
    );

    let seen: Vec<Value> = reqwest::get(format!("{base}/_sim/requests"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let faults: Vec<&Value> = seen.iter().filter(|r| !r["fault"].is_null()).collect();
    assert_eq!(faults.len(), 1);
    assert_eq!(faults[0]["fault"], "http_error 503");
    assert_eq!(seen.len(), 3);
}

#[tokio::test]
async fn bad_requests_get_the_gateways_envelope_not_a_crash() {
    let sim = aurpay_sim::start(SimConfig::with_api_key("k"))
        .await
        .unwrap();
    let base = sim.url().to_owned();
    for body in [
        json!({}),
        json!({"price": "abc", "currency": "USD"}),
        json!({"price": -1, "currency": "USD"}),
        json!({"price": 0.000001, "currency": "USD"}),
    ] {
        let r = reqwest::Client::new()
            .post(format!("{base}/api/bln/order"))
            .header("API-Key", "k")
            .json(&body)
            .send()
            .await
            .unwrap();
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], 400, "{body}: {v}");
        assert_eq!(v["result"], false);
    }
    assert!(sim.state().orders().is_empty());
    let r = reqwest::get(format!("{base}/api/nowhere")).await.unwrap();
    assert_eq!(r.status(), 404);
}
