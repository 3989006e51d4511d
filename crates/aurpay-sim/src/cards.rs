//! Bolt Cards, simulated: the LNURL-withdraw service behind an NFC card (LUD-03), paying the
//! simulator's own invoices, so a till's tap-to-pay can be tested end to end on 127.0.0.1.
//!
//! | route | effect |
//! |---|---|
//! | `POST /_sim/cards` `{"max_msat": 10000000}` | a new card: `{"id", "link"}`, the link its tag holds |
//! | `POST /_sim/cards/{id}/enabled` `{"enabled": false}` | the card's owner blocks (or unblocks) it |
//! | `GET /_sim/cards/{id}` | the card: limit, last tap counter, invoices paid |
//! | `GET /boltcard/{id}?c=N` | a tap: the withdraw request, with a fresh one-time `k1` |
//! | `GET /boltcard/{id}/callback?k1=..&pr=..` | the invoice handed over: paid, or refused |
//!
//! A real Bolt Card's link changes at every tap (`p` holds an encrypted counter, `c` its MAC);
//! here `c` is the counter in plain. Like a real service this one refuses a tap whose counter is
//! not above the last (a replayed tap), a `k1` used before (a replayed claim), an invoice over
//! the card's limit, a blocked card, and an invoice it cannot pay. It pays by marking the order
//! paid, as the control API's `pay` does: the till still learns it from the gateway.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    str::FromStr,
    sync::Arc,
};

use aurpay::OrderStatus;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use lightning_invoice::Bolt11Invoice;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::state::SimState;

/// The least a simulated card pays, in msat (one satoshi, as most services).
pub const MIN_MSAT: u64 = 1_000;

/// One simulated card.
#[derive(Debug, Clone, Serialize)]
pub struct SimCard {
    /// Its id, in its link.
    pub id: String,
    /// The most it pays per tap, in msat.
    pub max_msat: u64,
    /// Whether its owner has it enabled.
    pub enabled: bool,
    /// The highest tap counter seen.
    pub last_counter: u64,
    /// The order ids it paid, oldest first.
    pub paid: Vec<String>,
    /// Every `k1` handed out and not yet used.
    #[serde(skip)]
    pub open_k1: HashSet<String>,
    /// Every `k1` already used.
    #[serde(skip)]
    pub used_k1: HashSet<String>,
}

/// The cards, by id.
pub type Cards = BTreeMap<String, SimCard>;

/// The card service's routes, to be nested under `/boltcard`.
pub fn service() -> Router<Arc<SimState>> {
    Router::new()
        .route("/{id}", get(tap))
        .route("/{id}/callback", get(callback))
}

/// The control routes for cards, to be merged into `/_sim`.
pub fn control() -> Router<Arc<SimState>> {
    Router::new()
        .route("/cards", post(new_card))
        .route("/cards/{id}", get(show))
        .route("/cards/{id}/enabled", post(set_enabled))
}

impl SimState {
    /// A new card paying at most `max_msat` a tap; its link without a counter (a static
    /// withdraw link, as a pasted or printed one is).
    pub fn new_card(&self, max_msat: u64) -> (String, String) {
        let id = format!("{:016x}", rand::random::<u64>());
        self.store().cards.insert(
            id.clone(),
            SimCard {
                id: id.clone(),
                max_msat,
                enabled: true,
                last_counter: 0,
                paid: Vec::new(),
                open_k1: HashSet::new(),
                used_k1: HashSet::new(),
            },
        );
        (id.clone(), self.card_link(&id))
    }

    /// The `lnurlw://` link of a card (LUD-17), without a counter.
    pub fn card_link(&self, id: &str) -> String {
        let authority = self.base_url.trim_start_matches("http://");
        format!("lnurlw://{authority}/boltcard/{id}")
    }

    /// A card, as it stands.
    pub fn card(&self, id: &str) -> Option<SimCard> {
        self.store().cards.get(id).cloned()
    }
}

#[derive(Deserialize)]
struct NewCard {
    max_msat: u64,
}

async fn new_card(State(s): State<Arc<SimState>>, Json(b): Json<NewCard>) -> Response {
    if b.max_msat < MIN_MSAT {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": format!("max_msat must be at least {MIN_MSAT}")})),
        )
            .into_response();
    }
    let (id, link) = s.new_card(b.max_msat);
    Json(json!({"id": id, "link": link})).into_response()
}

async fn show(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    match s.card(&id) {
        Some(card) => Json(card).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such card"})),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
struct Enabled {
    enabled: bool,
}

async fn set_enabled(
    State(s): State<Arc<SimState>>,
    Path(id): Path<String>,
    Json(b): Json<Enabled>,
) -> Response {
    match s.store().cards.get_mut(&id) {
        Some(card) => {
            card.enabled = b.enabled;
            Json(card.clone()).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such card"})),
        )
            .into_response(),
    }
}

/// LUD-03's error answer (HTTP 200, as most services send it).
fn refuse(reason: impl Into<String>) -> Response {
    Json(json!({"status": "ERROR", "reason": reason.into()})).into_response()
}

async fn tap(
    State(s): State<Arc<SimState>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let counter = match q.get("c").map(|c| c.parse::<u64>()) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(_)) => return refuse("the card's counter is unreadable"),
    };
    let k1 = format!("{:032x}", rand::random::<u128>());
    let max_msat = {
        let mut store = s.store();
        let Some(card) = store.cards.get_mut(&id) else {
            return refuse("unknown card");
        };
        if !card.enabled {
            return refuse("the card is blocked by its owner");
        }
        if let Some(c) = counter {
            if c <= card.last_counter {
                return refuse("this tap was already used (replayed counter)");
            }
            card.last_counter = c;
        }
        card.open_k1.insert(k1.clone());
        card.max_msat
    };
    Json(json!({
        "tag": "withdrawRequest",
        "callback": format!("{}/boltcard/{id}/callback", s.base_url),
        "k1": k1,
        "minWithdrawable": MIN_MSAT,
        "maxWithdrawable": max_msat,
        "defaultDescription": "Bolt Card (simulated)",
    }))
    .into_response()
}

async fn callback(
    State(s): State<Arc<SimState>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (Some(k1), Some(pr)) = (q.get("k1"), q.get("pr")) else {
        return refuse("k1 and pr are required");
    };
    let Ok(invoice) = Bolt11Invoice::from_str(pr) else {
        return refuse("pr is not a Lightning invoice");
    };
    let Some(amount) = invoice.amount_milli_satoshis() else {
        return refuse("the invoice has no amount");
    };
    let order_id = {
        let mut store = s.store();
        let order_id = store
            .orders
            .values()
            .find(|o| o.payment_request.as_deref() == Some(pr.as_str()))
            .map(|o| (o.order_id.clone(), o.status.clone()));
        let Some(card) = store.cards.get_mut(&id) else {
            return refuse("unknown card");
        };
        // The k1 is spent whatever follows: a claim is never tried twice.
        if !card.open_k1.remove(k1.as_str()) {
            return refuse(if card.used_k1.contains(k1.as_str()) {
                "this withdrawal was already claimed (k1 used)"
            } else {
                "unknown k1"
            });
        }
        card.used_k1.insert(k1.clone());
        if !card.enabled {
            return refuse("the card is blocked by its owner");
        }
        if amount > card.max_msat {
            return refuse(format!(
                "over the card's limit of {} sats",
                card.max_msat / 1000
            ));
        }
        match order_id {
            Some((order_id, OrderStatus::Pending)) => order_id,
            Some((_, status)) => {
                return refuse(format!("the invoice cannot be paid: the order is {status}"))
            }
            None => return refuse("no route to the invoice's node"),
        }
    };
    match s.pay(&order_id) {
        Ok(_) => {
            if let Some(card) = s.store().cards.get_mut(&id) {
                card.paid.push(order_id);
            }
            Json(json!({"status": "OK"})).into_response()
        }
        Err(e) => refuse(format!("the payment failed: {e}")),
    }
}
