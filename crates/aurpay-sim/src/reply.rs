//! The gateway's envelope, as the simulator writes it.

use aurpay::wire::Reply;
use axum::{response::IntoResponse, response::Response, Json};
use serde::Serialize;

/// `{"code":0,"message":"ok","data":...,"result":true}`.
pub fn ok<T: Serialize>(data: T) -> Response {
    Json(Reply::ok(data)).into_response()
}

/// HTTP 200 with a non-zero `code`, as the gateway refuses (401 for bad credentials).
pub fn refuse(code: i64, message: impl Into<String>) -> Response {
    Json(Reply::refuse(code, message)).into_response()
}
