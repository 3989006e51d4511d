//! The Aurpay endpoints, on the paths of `aurpay::endpoints`, answering in the documented shapes
//! (and, where Aurpay documents none, in the shapes `aurpay::wire` reads): orders, payouts, the
//! hosted checkout, and what the gateway offers, each in its own module.

mod catalogue;
mod checkout;
mod orders;
mod payouts;

pub use catalogue::{crypto_currencies, get_api_key, real_currencies};
pub use checkout::{payment_info, payment_url};
pub use orders::{create_bln_order, order_details, orders, transactions};
pub use payouts::{bln_balance, bln_withdraw, refund, refund_info};

use std::collections::HashMap;

use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::state::{SimOrder, SimState};

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
