//! What the gateway offers: its fiat and crypto currencies, and an API key for an account.

use std::sync::Arc;

use axum::{body::Bytes, extract::State, response::Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::BAD_REQUEST;
use crate::{
    reply::{ok, refuse},
    state::SimState,
};

/// GET /api/order/pay/real-currency (answer shape unverified)
pub async fn real_currencies(State(s): State<Arc<SimState>>) -> Response {
    let list: Vec<Value> = s
        .config
        .prices
        .keys()
        .map(|code| json!({"currency": code, "name": crate::currency_name(code)}))
        .collect();
    ok(list)
}

/// GET /api/order/pay/crypto-currency (path and answer unverified)
pub async fn crypto_currencies() -> Response {
    ok(json!([
        {"currency": "BTC-LN", "name": "Bitcoin Lightning Network"},
        {"currency": "BTC", "name": "Bitcoin"},
        {"currency": "USDT-TRC20", "name": "Tether (TRC20)"},
        {"currency": "USDT-ERC20", "name": "Tether (ERC20)"}
    ]))
}

#[derive(Deserialize)]
struct KeyRequest {
    username: String,
    password: String,
}

/// POST /api/plugin/key/aurpay: the account's API key, for the right user name and password.
pub async fn get_api_key(State(s): State<Arc<SimState>>, body: Bytes) -> Response {
    let Ok(req) = serde_json::from_slice::<KeyRequest>(&body) else {
        return refuse(BAD_REQUEST, "username and password are required");
    };
    match (&s.config.account, &s.config.api_key) {
        (Some((user, pass)), Some(key)) if *user == req.username && *pass == req.password => {
            ok(json!({"access_token": key}))
        }
        _ => refuse(BAD_REQUEST, "wrong username or password"),
    }
}
