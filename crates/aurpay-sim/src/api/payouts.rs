//! Money going out: the Lightning balance, withdrawals to an invoice, and refunds of orders.

use std::sync::Arc;

use aurpay::{wire::BlnWithdrawRequest, Amount, OrderStatus};
use axum::{
    body::Bytes,
    extract::{Path, State},
    response::Response,
};
use chrono::Utc;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;

use super::{btc_text, time_text, BAD_REQUEST, NOT_FOUND};
use crate::{
    reply::{ok, refuse},
    state::{lightning_msat, SimState, Withdrawal},
};

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
