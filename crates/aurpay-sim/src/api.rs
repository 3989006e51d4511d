//! The Aurpay endpoints, on the paths of `aurpay::endpoints`, answering in the documented shapes
//! (and, where Aurpay documents none, in the shapes `aurpay::wire` reads).

use std::{collections::HashMap, sync::Arc};

use aurpay::{wire::BlnWithdrawRequest, Amount, OrderStatus};
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

use crate::{
    reply::{ok, refuse},
    state::{lightning_msat, Fault, OrderKind, SimOrder, SimState, Withdrawal, INVOICE_EXPIRY},
};

/// Gateway code for a request it will not act on (the real table of codes is not public).
const BAD_REQUEST: i64 = 400;
/// Gateway code for an order id it does not know.
const NOT_FOUND: i64 = 404;

fn btc_text(d: Decimal) -> String {
    format!("{:.8}", d)
}

fn time_text(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// The order object of Get Orders Details (shared/aurpay-api.md, 3.2).
pub fn order_json(s: &SimState, o: &SimOrder) -> Value {
    json!({
        "user_id": "mct-simulator",
        "order_id": o.order_id,
        "order_type": "ORDER",
        "platform": "AURPAY",
        "status": o.status.as_str(),
        "chain": o.chain,
        "chain_name": if o.chain == "BLN" { "Bitcoin Lightning Network" } else { o.chain.as_str() },
        "currency": o.currency,
        "amount": btc_text(o.amount),
        "vs_price": o.vs_price.to_string(),
        "vs_currency": o.vs_currency,
        "remark": null,
        "refund": o.refunded,
        "bind_id": null,
        "create_time": time_text(o.create_time),
        "update_time": time_text(o.update_time),
        "tx_id": null,
        "tx_type": if o.status.is_paid() { Value::from("payment") } else { Value::Null },
        "obtained": if o.status.is_paid() { Value::from(btc_text(o.amount)) } else { Value::Null },
        "fee": if o.status.is_paid() { Value::from("0.00000000") } else { Value::Null },
        "from_addr": null,
        "to_addr": null,
        "tx_hash": if o.status.is_paid() { o.payment_hash.clone().map(Value::from).unwrap_or(Value::Null) } else { Value::Null },
        "tx_hash_list": [],
        "contract_id": null,
        "website": s.base_url,
        "callback_url": if s.config.echo_callback_url { o.callback_url.clone().map(Value::from).unwrap_or(Value::Null) } else { Value::Null },
    })
}

/// Reads a price-and-currency body and converts the price to BTC, or says why not.
fn priced(s: &SimState, body: &[u8]) -> Result<(PriceRequest, Decimal), String> {
    let req: PriceRequest =
        serde_json::from_slice(body).map_err(|e| format!("invalid request: {e}"))?;
    let btc = btc_for(s, req.price.0, &req.currency)?;
    Ok((req, btc))
}

/// The body of Create BLN Order and Get Payment URL (other fields are ignored).
#[derive(Deserialize)]
struct PriceRequest {
    price: Amount,
    currency: String,
    #[serde(default)]
    callback_url: Option<String>,
}

/// BTC for `price` of `currency` at the configured rate, rounded to the satoshi.
fn btc_for(s: &SimState, price: Decimal, currency: &str) -> Result<Decimal, String> {
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

fn new_order(
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

fn insert(s: &SimState, mut o: SimOrder) -> SimOrder {
    let mut store = s.store();
    o.order_id = SimState::next_order_id(&mut store);
    store.orders.insert(o.order_id.clone(), o.clone());
    o
}

/// Stores an order under the id of the last one made (which it replaces): a gateway whose ids
/// started again.
fn insert_reusing_id(s: &SimState, mut o: SimOrder) -> SimOrder {
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

fn page_params(q: &HashMap<String, String>) -> Result<(usize, usize), String> {
    let get = |k: &str, default: usize| -> Result<usize, String> {
        match q.get(k) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .map_err(|_| format!("{k} must be a whole number")),
        }
    };
    let page = get("page", 1)?.max(1);
    let size = get("size", 20)?;
    if size == 0 || size > 100 {
        return Err("size must be between 1 and 100".into());
    }
    Ok((page, size))
}

fn paged(items: Vec<Value>, page: usize, size: usize) -> Value {
    let total = items.len();
    let max_page = total.div_ceil(size).max(1);
    let data: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * size)
        .take(size)
        .collect();
    json!({"page": page, "size": size, "total": total, "max_page": max_page, "data": data})
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

/// GET /api/bln/balance (path unverified)
pub async fn bln_balance(State(s): State<Arc<SimState>>) -> Response {
    ok(json!({"balance": btc_text(Amount::from_msat(s.balance_msat()).0), "currency": "BTC-LN"}))
}

/// POST /api/bln/withdraw: pays an invoice from the balance, once per payment hash.
pub async fn bln_withdraw(State(s): State<Arc<SimState>>, body: Bytes) -> Response {
    let req: BlnWithdrawRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return refuse(BAD_REQUEST, format!("invalid request: {e}")),
    };
    let decoded = match aurpay::invoice::decode(&req.ln_invoices) {
        Ok(d) => Some(d),
        Err(aurpay::InvoiceError::NoAmount) => None,
        Err(e) => return refuse(BAD_REQUEST, format!("invalid ln_invoices: {e}")),
    };
    let Some(inv) = decoded else {
        return refuse(
            BAD_REQUEST,
            "invoices without an amount are not supported by the simulator",
        );
    };
    if inv.network != s.node.network() {
        return refuse(
            BAD_REQUEST,
            format!(
                "the invoice is for {}, the gateway pays on {}",
                inv.network,
                s.node.network()
            ),
        );
    }
    if inv.expires_at <= Utc::now() {
        return refuse(BAD_REQUEST, "the invoice has expired");
    }
    let mut store = s.store();
    if store.paid_hashes.contains(&inv.payment_hash) {
        return refuse(BAD_REQUEST, "this invoice has already been paid");
    }
    if inv.amount_msat > store.balance_msat {
        return refuse(BAD_REQUEST, "insufficient balance");
    }
    store.balance_msat -= inv.amount_msat;
    store.paid_hashes.insert(inv.payment_hash.clone());
    store.counter += 1;
    let withdraw_id = format!(
        "W{}{:06}",
        Utc::now().format("%Y%m%d%H%M%S"),
        store.counter % 1_000_000
    );
    store.withdrawals.push(Withdrawal {
        withdraw_id: withdraw_id.clone(),
        invoice: inv.payment_request.clone(),
        payment_hash: inv.payment_hash.clone(),
        amount_msat: inv.amount_msat,
        at: Utc::now(),
    });
    ok(json!({
        "withdraw_id": withdraw_id,
        "status": "SUCCESS",
        "amount": Amount::from_msat(inv.amount_msat).to_string(),
        "fee": "0",
        "payment_hash": inv.payment_hash,
    }))
}

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

/// GET /api/v2/order/refund-info/{order_id}
pub async fn refund_info(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    match s.order(&id) {
        Ok(o) => ok(
            json!({"order_id": o.order_id, "chain": o.chain, "currency": o.currency, "amount": btc_text(o.amount)}),
        ),
        Err(_) => refuse(NOT_FOUND, format!("order {id} not found")),
    }
}

#[derive(Deserialize, Default)]
struct RefundBody {
    #[serde(default)]
    amount: Option<String>,
    #[serde(default)]
    address: Option<String>,
}

/// POST /api/v2/order/refund/{order_id}: refunds a paid order once.
pub async fn refund(
    State(s): State<Arc<SimState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let req: RefundBody = if body.is_empty() {
        RefundBody::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(r) => r,
            Err(e) => return refuse(BAD_REQUEST, format!("invalid request: {e}")),
        }
    };
    let o = match s.order(&id) {
        Ok(o) => o,
        Err(_) => return refuse(NOT_FOUND, format!("order {id} not found")),
    };
    if o.refunded {
        return refuse(BAD_REQUEST, "this order has already been refunded");
    }
    if !o.status.is_paid() {
        return refuse(
            BAD_REQUEST,
            format!(
                "order {id} is {}, only paid orders can be refunded",
                o.status
            ),
        );
    }
    let amount = match req.amount.as_deref().map(Amount::parse) {
        None => o.amount,
        Some(Ok(a)) if a.0 > Decimal::ZERO && a.0 <= o.amount => a.0,
        Some(_) => {
            return refuse(
                BAD_REQUEST,
                "the refund amount must be above 0 and at most the order's amount",
            )
        }
    };
    // A Lightning invoice with an amount is paid that amount: it must be the refund's.
    if let Some(invoice) = req
        .address
        .as_deref()
        .and_then(|a| aurpay::invoice::decode(a).ok())
    {
        if Some(invoice.amount_msat) != Amount(amount).btc_to_msat().ok() {
            return refuse(
                BAD_REQUEST,
                "the invoice's amount is not the refund's amount",
            );
        }
    }
    {
        let mut store = s.store();
        let debit = lightning_msat(&o).min(Amount(amount).btc_to_msat().unwrap_or(0));
        store.balance_msat = store.balance_msat.saturating_sub(debit);
        if let Some(stored) = store.orders.get_mut(&id) {
            stored.refunded = true;
            stored.status = OrderStatus::Refunded;
            stored.update_time = Utc::now();
        }
        store.refunds.push((id.clone(), req.amount.clone()));
    }
    ok(
        json!({"order_id": id, "refund_status": "SUCCESS", "refund_amount": btc_text(amount), "refund_date": time_text(Utc::now())}),
    )
}

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
