//! The hosted checkout: a payment URL for an amount, and what its page asks for.

use std::sync::Arc;

use aurpay::Amount;
use axum::{body::Bytes, extract::State, response::Response};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;

use super::orders::{btc_for, insert, new_order, priced};
use super::{time_text, BAD_REQUEST};
use crate::{
    reply::{ok, refuse},
    state::{OrderKind, SimState},
};

/// POST /api/order/pay-url: a hosted checkout (the customer picks a coin there).
pub async fn payment_url(State(s): State<Arc<SimState>>, body: Bytes) -> Response {
    let (req, btc) = match priced(&s, &body) {
        Ok(p) => p,
        Err(why) => return refuse(BAD_REQUEST, why),
    };
    let o = insert(
        &s,
        new_order(
            OrderKind::PayUrl,
            "BTC",
            "BTC",
            btc,
            req.price.0,
            &req.currency,
        ),
    );
    ok(json!({"pay_url": format!("{}/#/cashier/{}", s.base_url, o.order_id)}))
}

#[derive(Deserialize)]
struct PayInfoRequest {
    chain: String,
    currency: String,
    vs_currency: String,
    vs_price: Amount,
}

/// POST /api/order/pay-info: an order for one coin. Stablecoins are priced 1:1 in USD; other
/// coins through the BTC price table.
pub async fn payment_info(State(s): State<Arc<SimState>>, body: Bytes) -> Response {
    let req: PayInfoRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return refuse(BAD_REQUEST, format!("invalid request: {e}")),
    };
    let coin = req.currency.trim().to_ascii_uppercase();
    let amount = if coin.starts_with("USDT") || coin.starts_with("USDC") {
        if !req.vs_currency.trim().eq_ignore_ascii_case("USD") || req.vs_price.0 <= Decimal::ZERO {
            return refuse(
                BAD_REQUEST,
                "stablecoin orders must be priced in USD, above 0",
            );
        }
        req.vs_price.0
    } else {
        match btc_for(&s, req.vs_price.0, &req.vs_currency) {
            Ok(b) => b,
            Err(why) => return refuse(BAD_REQUEST, why),
        }
    };
    let o = insert(
        &s,
        new_order(
            OrderKind::PayInfo,
            &req.chain,
            &coin,
            amount,
            req.vs_price.0,
            &req.vs_currency,
        ),
    );
    ok(json!({
        "order_id": o.order_id, "status": "PENDING", "amount": amount.to_string(),
        "create_time": time_text(o.create_time), "vs_currency": o.vs_currency, "vs_price": o.vs_price.to_string(),
        "address": format!("sim-address-{}", o.order_id), "contract_addr": null,
        "pay_url": format!("{}/#/cashier/{}", s.base_url, o.order_id),
    }))
}
