//! What stands in front of every Aurpay route: the request log, authentication (both methods,
//! checked exactly as the client signs) and fault injection.

use std::sync::Arc;

use aurpay::{signing, wire::Timestamp};
use axum::{
    body::{to_bytes, Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use chrono::Utc;
use futures_util::stream;
use serde_json::json;

use crate::{
    reply,
    state::{Fault, SeenRequest, SimState},
};

/// The largest request body the simulator reads.
const MAX_BODY: usize = 1 << 20;

/// The middleware: log, authenticate, then apply a queued fault if one matches.
pub async fn gate(State(s): State<Arc<SimState>>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or(path.clone());
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return reply::refuse(413, "request body too large");
    };
    let auth = if path == aurpay::endpoints::GET_API_KEY.path {
        "none"
    } else {
        check_auth(&s, &parts.headers, &method, &path_and_query, &bytes)
    };
    let fault = if auth == "refused" {
        None
    } else {
        s.take_fault(&path)
    };
    s.log(SeenRequest {
        method,
        path: path_and_query,
        auth: auth.into(),
        fault: fault.as_ref().map(Fault::name),
        at: Utc::now(),
    });
    if auth == "refused" {
        return reply::refuse(401, "Unauthorized: invalid API key or signature");
    }
    match &fault {
        Some(Fault::HttpError { status }) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (
                status,
                Json(json!({"code": status.as_u16(), "msg": "simulated gateway error"})),
            )
                .into_response();
        }
        Some(Fault::Unauthorized) => return reply::refuse(401, "Unauthorized: token expired"),
        _ => {}
    }
    let mut req = Request::from_parts(parts, Body::from(bytes));
    if let Some(f) = &fault {
        req.extensions_mut().insert(f.clone());
    }
    let response = next.run(req).await;
    match fault {
        Some(Fault::Delay { ms }) => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            response
        }
        Some(Fault::Malformed) => (
            StatusCode::OK,
            [("content-type", "application/json")],
            r#"{"code":0,"message":"ok","data":{"order_id":"2024"#,
        )
            .into_response(),
        Some(Fault::Drop) => {
            // Half an answer, then an error: hyper aborts the connection mid-body.
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from_static(br#"{"code":0,"message":"ok","#)),
                Err(std::io::Error::other("simulated dropped connection")),
            ];
            Response::builder()
                .status(StatusCode::OK)
                .header("content-type", "application/json")
                .body(Body::from_stream(stream::iter(chunks)))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        _ => response,
    }
}

/// `api-key`, `signature`, or `refused`.
fn check_auth(
    s: &SimState,
    headers: &HeaderMap,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> &'static str {
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(key) = h("api-key") {
        return match &s.config.api_key {
            Some(expected) if expected == key => "api-key",
            _ => "refused",
        };
    }
    let Some(token) = h("api-token") else {
        return "refused";
    };
    let (Some(expected_token), Some(secret)) = (&s.config.token, &s.config.secret) else {
        return "refused";
    };
    if token != expected_token || h("algorithm") != Some(signing::ALGORITHM) {
        return "refused";
    }
    let Some(date) = h("date") else {
        return "refused";
    };
    let Some(when) = Timestamp::parse(date) else {
        return "refused";
    };
    if (Utc::now() - when.0).num_seconds().abs() > signing::MAX_SKEW_SECONDS {
        return "refused";
    }
    let md5 = if body.is_empty() {
        None
    } else {
        match h("body-md5") {
            Some(m) if m == signing::body_md5(body) => Some(m),
            _ => return "refused",
        }
    };
    let origin = signing::origin(date, method, path_and_query, md5);
    match h("signature") {
        Some(sig) if signing::verify(secret, &origin, sig) => "signature",
        _ => "refused",
    }
}
