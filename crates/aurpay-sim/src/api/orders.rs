//! Orders: creating one (priced at the simulator's rate, with its invoice), its details, the
//! paged list, and the transactions.

use std::{collections::HashMap, sync::Arc};

use aurpay::{Amount, OrderStatus};
use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    response::Response,
    Extension,
};
use chrono::Utc;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::time::Instant;

use super::{btc_text, order_json, page_params, paged, time_text, BAD_REQUEST, NOT_FOUND};
use crate::{
    reply::{ok, refuse},
    state::{Fault, OrderKind, SimOrder, SimState, INVOICE_EXPIRY},
};

/// Reads a price-and-currency body and converts the price to BTC, or says why not.
pub(super) fn priced(s: &SimState, body: &[u8]) -> Result<(PriceRequest, Decimal), String> {
    let req: PriceRequest =
        serde_json::from_slice(body).map_err(|e| format!("invalid request: {e}"))?;
    let btc = btc_for(s, req.price.0, &req.currency)?;
    Ok((req, btc))
}

/// The body of Create BLN Order and Get Payment URL (other fields are ignored).
#[derive(Deserialize)]
pub(super) struct PriceRequest {
    pub(super) price: Amount,
    pub(super) currency: String,
    #[serde(default)]
    pub(super) callback_url: Option<String>,
}

/// BTC for `price` of `currency` at the configured rate, rounded to the satoshi.
pub(super) fn btc_for(s: &SimState, price: Decimal, currency: &str) -> Result<Decimal, String> {
    if price <= Decimal::ZERO {
        return Err(format!("price must be greater than 0, got {price}"));
    }
    let code = currency.trim().to_ascii_uppercase();
    let rate = s
        .config
        .prices
        .get(&code)
        .ok_or_else(|| format!("currency {currency} is not supported"))?;
    let btc = (price / rate).round_dp_with_strategy(8, RoundingStrategy::MidpointAwayFromZero);
    if btc < Decimal::new(1, 8) {
        return Err(format!("{price} {code} is less than one satoshi"));
    }
    Ok(btc)
}

pub(super) fn new_order(
    kind: OrderKind,
    chain: &str,
    coin: &str,
    amount: Decimal,
    vs_price: Decimal,
    vs_currency: &str,
) -> SimOrder {
    let now = Utc::now();
    SimOrder {
        order_id: String::new(),
        kind,
        status: OrderStatus::Pending,
        currency: coin.into(),
        chain: chain.into(),
        amount,
        vs_price,
        vs_currency: vs_currency.trim().to_ascii_uppercase(),
        create_time: now,
        update_time: now,
        payment_request: None,
        payment_hash: None,
        payment_addr: None,
        paid_late: false,
        refunded: false,
        callback_url: None,
        born: Instant::now(),
    }
}

pub(super) fn insert(s: &SimState, mut o: SimOrder) -> SimOrder {
    let mut store = s.store();
    o.order_id = SimState::next_order_id(&mut store);
    store.orders.insert(o.order_id.clone(), o.clone());
    o
}

/// Stores an order under the id of the last one made (which it replaces): a gateway whose ids
/// started again.
pub(super) fn insert_reusing_id(s: &SimState, mut o: SimOrder) -> SimOrder {
    let mut store = s.store();
    let last = store
        .orders
        .values()
        .max_by(|a, b| a.create_time.cmp(&b.create_time))
        .map(|last| last.order_id.clone());
    o.order_id = last.unwrap_or_else(|| SimState::next_order_id(&mut store));
    store.orders.insert(o.order_id.clone(), o.clone());
    o
}

/// POST /api/bln/order
pub async fn create_bln_order(
    State(s): State<Arc<SimState>>,
    fault: Option<Extension<Fault>>,
    body: Bytes,
) -> Response {
    let (req, btc) = match priced(&s, &body) {
        Ok(p) => p,
        Err(why) => return refuse(BAD_REQUEST, why),
    };
    let msat = match Amount(btc).btc_to_msat() {
        Ok(m) => m,
        Err(e) => return refuse(BAD_REQUEST, e.to_string()),
    };
    let fault_taken = fault.map(|Extension(f)| f);
    let (invoice_msat, network) = match fault_taken.clone() {
        Some(Fault::WrongAmount) => (msat + 1_000, s.node.network()),
        Some(Fault::WrongNetwork) => (
            msat,
            if s.node.network() == aurpay::Network::Regtest {
                aurpay::Network::Bitcoin
            } else {
                aurpay::Network::Regtest
            },
        ),
        _ => (msat, s.node.network()),
    };
    let issued = match s.node.issue(invoice_msat, INVOICE_EXPIRY, network) {
        Ok(i) => i,
        Err(why) => return refuse(500, why),
    };
    let mut o = new_order(
        OrderKind::Lightning,
        "BLN",
        "BTC-LN",
        btc,
        req.price.0,
        &req.currency,
    );
    o.payment_request = Some(issued.payment_request.clone());
    o.payment_hash = Some(issued.payment_hash);
    o.payment_addr = Some(issued.payment_secret.clone());
    o.callback_url = req.callback_url.clone();
    let o = match fault_taken {
        Some(Fault::RepeatOrderId) => insert_reusing_id(&s, o),
        _ => insert(&s, o),
    };
    ok(json!({
        "order_id": o.order_id,
        "status": "PENDING",
        "amount": btc_text(btc),
        "create_time": time_text(o.create_time),
        "payment_request": issued.payment_request,
        "payment_addr": issued.payment_secret,
        "pay_url": format!("{}/#/cashier/{}", s.base_url, o.order_id),
        "currency": "BTC-LN",
    }))
}

/// GET /api/v2/order/detail/{order_id}
pub async fn order_details(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    match s.order(&id) {
        Ok(o) => ok(order_json(&s, &o)),
        Err(_) => refuse(NOT_FOUND, format!("order {id} not found")),
    }
}

/// GET /api/v2/order/?page=&size= (newest first, unless configured otherwise)
pub async fn orders(
    State(s): State<Arc<SimState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (page, size) = match page_params(&q) {
        Ok(p) => p,
        Err(why) => return refuse(BAD_REQUEST, why),
    };
    let mut all = s.orders();
    if !s.config.list_oldest_first {
        all.reverse();
    }
    ok(paged(
        all.iter().map(|o| order_json(&s, o)).collect(),
        page,
        size,
    ))
}

/// GET /api/v2/tx?page=&size=: paid orders and withdrawals, newest first.
pub async fn transactions(
    State(s): State<Arc<SimState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (page, size) = match page_params(&q) {
        Ok(p) => p,
        Err(why) => return refuse(BAD_REQUEST, why),
    };
    let mut items: Vec<(String, Value)> = s
        .orders()
        .into_iter()
        .filter(|o| o.status.is_paid())
        .map(|o| {
            (time_text(o.update_time), json!({
                "user_id": "mct-simulator", "tx_id": o.order_id, "tx_type": "payment", "status": "SUCCESS",
                "chain": o.chain, "currency": o.currency, "amount": btc_text(o.amount),
                "obtained": btc_text(o.amount), "fee": "0.00000000"
            }))
        })
        .collect();
    for w in s.store().withdrawals.iter() {
        items.push((time_text(w.at), json!({
            "user_id": "mct-simulator", "tx_id": w.withdraw_id, "tx_type": "withdraw", "status": "SUCCESS",
            "chain": "BLN", "currency": "BTC-LN", "amount": btc_text(Amount::from_msat(w.amount_msat).0),
            "obtained": "0.00000000", "fee": "0.00000000"
        })));
    }
    items.sort_by(|a, b| b.0.cmp(&a.0));
    ok(paged(
        items.into_iter().map(|(_, v)| v).collect(),
        page,
        size,
    ))
}
