//! The control API under `/_sim/`, for tests, the demo's "simulate the customer paying", and
//! anyone driving the simulator with curl. No authentication: the simulator listens on loopback.
//!
//! | route | effect |
//! |---|---|
//! | `GET /_sim/orders` | every order, with its status and payment hash |
//! | `POST /_sim/orders/{id}/pay` | the customer pays (PENDING or PARTIAL -> SUCCESS) |
//! | `POST /_sim/orders/{id}/pay-late` | the wallet pays an OVERDUE order's invoice (-> SUCCESS) |
//! | `POST /_sim/orders/{id}/status` `{"status": "RESOLVED"}` | any status, as the dashboard would |
//! | `GET /_sim/requests` | every request seen, with how it authenticated and any fault |
//! | `POST /_sim/faults` `{"path": "/api/bln/order", "fault": {"kind": "http_error", "status": 502}, "count": 2}` | queue a fault |
//! | `DELETE /_sim/faults` | clear queued faults |
//! | `GET /_sim/balance`, `POST /_sim/balance` `{"msat": 1000000}` | read or set the BLN balance |
//! | `POST /_sim/invoice` `{"msat": 250000}` | an invoice from "someone else's wallet", to withdraw or refund to |
//! | `POST /_sim/cards` ... | simulated Bolt Cards: see [`crate::cards`] |

use std::sync::Arc;

use aurpay::OrderStatus;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::json;

use crate::state::{ControlError, FaultRule, SimOrder, SimState};

/// The control routes, to be nested under `/_sim`.
pub fn router() -> Router<Arc<SimState>> {
    Router::new()
        .route("/orders", get(list))
        .route("/orders/{id}/pay", post(pay))
        .route("/orders/{id}/pay-late", post(pay_late))
        .route("/orders/{id}/status", post(set_status))
        .route("/requests", get(requests))
        .route("/faults", post(inject).delete(clear))
        .route("/balance", get(balance).post(set_balance))
        .route("/invoice", post(invoice))
}

fn answer(r: Result<SimOrder, ControlError>) -> Response {
    match r {
        Ok(o) => Json(o).into_response(),
        Err(e @ ControlError::NoSuchOrder(_)) => {
            (StatusCode::NOT_FOUND, Json(json!({"error": e.to_string()}))).into_response()
        }
        Err(e) => (StatusCode::CONFLICT, Json(json!({"error": e.to_string()}))).into_response(),
    }
}

async fn list(State(s): State<Arc<SimState>>) -> Response {
    Json(s.orders()).into_response()
}

async fn pay(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    answer(s.pay(&id))
}

async fn pay_late(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    answer(s.pay_late(&id))
}

#[derive(Deserialize)]
struct StatusBody {
    status: String,
}

async fn set_status(
    State(s): State<Arc<SimState>>,
    Path(id): Path<String>,
    Json(b): Json<StatusBody>,
) -> Response {
    answer(s.set_status(&id, OrderStatus::parse(&b.status)))
}

async fn requests(State(s): State<Arc<SimState>>) -> Response {
    Json(s.requests()).into_response()
}

async fn inject(State(s): State<Arc<SimState>>, Json(rule): Json<FaultRule>) -> Response {
    if rule.count == 0 || !rule.path.starts_with('/') {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "path must start with / and count must be at least 1"})),
        )
            .into_response();
    }
    s.inject(rule);
    StatusCode::NO_CONTENT.into_response()
}

async fn clear(State(s): State<Arc<SimState>>) -> Response {
    s.clear_faults();
    StatusCode::NO_CONTENT.into_response()
}

async fn balance(State(s): State<Arc<SimState>>) -> Response {
    Json(json!({"msat": s.balance_msat()})).into_response()
}

#[derive(Deserialize)]
struct BalanceBody {
    msat: u64,
}

async fn set_balance(State(s): State<Arc<SimState>>, Json(b): Json<BalanceBody>) -> Response {
    s.set_balance_msat(b.msat);
    Json(json!({"msat": b.msat})).into_response()
}

async fn invoice(State(s): State<Arc<SimState>>, Json(b): Json<BalanceBody>) -> Response {
    match s.wallet_invoice(b.msat) {
        Ok(issued) => Json(json!({
            "payment_request": issued.payment_request,
            "payment_hash": issued.payment_hash,
        }))
        .into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, e).into_response(),
    }
}
