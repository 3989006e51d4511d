//! What the simulated gateway remembers: orders, balance, withdrawals, the request log, faults.
//!
//! Order lifetimes are measured on tokio's clock, so tests that pause and advance time see orders
//! expire and auto-pay without waiting.

use std::{
    collections::{BTreeMap, HashSet, VecDeque},
    sync::{Mutex, MutexGuard},
    time::Duration,
};

use aurpay::{Amount, OrderStatus};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

pub use crate::steering::ControlError;

use crate::{invoices::Node, SimConfig};

/// What kind of order it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    /// A Lightning order from Create BLN Order.
    Lightning,
    /// A hosted checkout from Get Payment URL.
    PayUrl,
    /// A single-coin order from Get Payment Info.
    PayInfo,
}

/// One order as the simulator keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct SimOrder {
    /// The 20-digit id.
    pub order_id: String,
    /// What kind of order.
    pub kind: OrderKind,
    /// The status as the gateway would report it now.
    pub status: OrderStatus,
    /// The coin (`BTC-LN` for Lightning).
    pub currency: String,
    /// The chain (`BLN` for Lightning).
    pub chain: String,
    /// The amount in the coin.
    pub amount: Decimal,
    /// The fiat amount.
    pub vs_price: Decimal,
    /// The fiat currency.
    pub vs_currency: String,
    /// When it was created (UTC, wall clock).
    pub create_time: DateTime<Utc>,
    /// When it last changed.
    pub update_time: DateTime<Utc>,
    /// The BOLT11 invoice (Lightning orders).
    pub payment_request: Option<String>,
    /// Hex payment hash (Lightning orders).
    pub payment_hash: Option<String>,
    /// Hex payment secret (Lightning orders).
    pub payment_addr: Option<String>,
    /// True when it was paid after it had become `OVERDUE`.
    pub paid_late: bool,
    /// True once refunded.
    pub refunded: bool,
    /// The callback URL it was created with.
    pub callback_url: Option<String>,
    /// Set while the order is pending: when it was created on tokio's clock.
    #[serde(skip)]
    pub born: Instant,
}

/// A withdrawal from the BLN balance.
#[derive(Debug, Clone, Serialize)]
pub struct Withdrawal {
    /// Its id.
    pub withdraw_id: String,
    /// The invoice paid.
    pub invoice: String,
    /// The invoice's payment hash.
    pub payment_hash: String,
    /// The amount paid.
    pub amount_msat: u64,
    /// When.
    pub at: DateTime<Utc>,
}

/// One request the simulator received.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SeenRequest {
    /// The HTTP method.
    pub method: String,
    /// The path and query.
    pub path: String,
    /// How it authenticated: `api-key`, `signature`, `none` or `refused`.
    pub auth: String,
    /// The fault applied, if any.
    pub fault: Option<String>,
    /// When (UTC).
    pub at: DateTime<Utc>,
}

/// A fault to inject into the next `count` requests whose path starts with `path`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FaultRule {
    /// A path prefix, such as `/api/bln/order` or `/api/v2/order/detail/`.
    pub path: String,
    /// What to do.
    pub fault: Fault,
    /// How many requests it applies to.
    pub count: u32,
}

/// The faults the simulator can inject.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer this HTTP status with a `msg`, without acting on the request.
    HttpError {
        /// The status, such as 500, 502 or 503.
        status: u16,
    },
    /// Act on the request, then wait this long before answering (past a client's timeout, the
    /// order exists but its answer is lost).
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Act on the request, then answer with a body that is not valid JSON.
    Malformed,
    /// Act on the request, then break the connection before the answer is complete.
    Drop,
    /// Answer body `code` 401, without acting on the request.
    Unauthorized,
    /// Create the order, but with an invoice for one satoshi more than the order's amount.
    WrongAmount,
    /// Create the order, but with an invoice for another network.
    WrongNetwork,
    /// Create the order, but under the id of the order made before it, as a gateway whose order
    /// ids started again would.
    RepeatOrderId,
}

impl Fault {
    /// A short name for the request log.
    pub fn name(&self) -> String {
        match self {
            Self::HttpError { status } => format!("http_error {status}"),
            Self::Delay { ms } => format!("delay {ms} ms"),
            Self::Malformed => "malformed".into(),
            Self::Drop => "drop".into(),
            Self::Unauthorized => "unauthorized".into(),
            Self::WrongAmount => "wrong_amount".into(),
            Self::WrongNetwork => "wrong_network".into(),
            Self::RepeatOrderId => "repeat_order_id".into(),
        }
    }
}

/// Everything mutable, behind one lock (held only briefly, never across an await).
#[derive(Debug, Default)]
pub struct Store {
    /// Orders by id.
    pub orders: BTreeMap<String, SimOrder>,
    /// The BLN balance.
    pub balance_msat: u64,
    /// Withdrawals, oldest first.
    pub withdrawals: Vec<Withdrawal>,
    /// Payment hashes already paid out (a Lightning invoice can be paid once).
    pub paid_hashes: HashSet<String>,
    /// Requests, oldest first (the latest `SimConfig::request_log`).
    pub requests: VecDeque<SeenRequest>,
    /// Faults waiting to be applied.
    pub faults: Vec<FaultRule>,
    /// The last order id's counter.
    pub counter: u64,
    /// The refunds paid: order id and the amount asked for (BTC text), oldest first.
    pub refunds: Vec<(String, Option<String>)>,
    /// Simulated Bolt Cards, by id.
    pub cards: crate::cards::Cards,
}

/// The simulator's shared state.
#[derive(Debug)]
pub struct SimState {
    /// The configuration it was started with.
    pub config: SimConfig,
    /// The node that signs invoices.
    pub node: Node,
    /// The base URL it is reachable at (for pay URLs).
    pub base_url: String,
    store: Mutex<Store>,
}

impl SimState {
    /// New state for `config`, reachable at `base_url`.
    pub fn new(config: SimConfig, base_url: String) -> Self {
        let node = Node::new(config.network);
        Self {
            config,
            node,
            base_url,
            store: Mutex::new(Store::default()),
        }
    }

    /// The store, with every order's status brought up to date.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave the store half-written in a way that matters
        // to a test double, so a poisoned lock is simply taken over.
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let mut newly_paid = 0u64;
        for o in store.orders.values_mut() {
            if o.status != OrderStatus::Pending {
                continue;
            }
            let age = now.saturating_duration_since(o.born);
            if let Some(after) = self.config.auto_pay_after {
                if age >= after && age < self.config.lifetime {
                    o.status = OrderStatus::Success;
                    o.update_time = Utc::now();
                    newly_paid += lightning_msat(o);
                    continue;
                }
            }
            if age >= self.config.lifetime {
                o.status = OrderStatus::Overdue;
                o.update_time = Utc::now();
            }
        }
        store.balance_msat = store.balance_msat.saturating_add(newly_paid);
        store
    }

    /// Records a request in the log.
    pub fn log(&self, seen: SeenRequest) {
        if self.config.request_log == 0 {
            return;
        }
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        while store.requests.len() >= self.config.request_log {
            store.requests.pop_front();
        }
        store.requests.push_back(seen);
    }

    /// Takes one use of the first fault whose prefix matches `path`.
    pub fn take_fault(&self, path: &str) -> Option<Fault> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let i = store
            .faults
            .iter()
            .position(|r| path.starts_with(&r.path) && r.count > 0)?;
        let rule = &mut store.faults[i];
        rule.count -= 1;
        let fault = rule.fault.clone();
        if rule.count == 0 {
            store.faults.remove(i);
        }
        Some(fault)
    }
}

/// A Lightning order's amount in msat (0 for other orders, which do not feed the BLN balance).
pub fn lightning_msat(o: &SimOrder) -> u64 {
    if o.kind != OrderKind::Lightning {
        return 0;
    }
    Amount(o.amount).btc_to_msat().unwrap_or(0)
}

/// How long orders live unless configured otherwise (Aurpay's product guide: 30 minutes).
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// How long invoices are payable (both seed invoices carry 24 h).
pub const INVOICE_EXPIRY: Duration = Duration::from_secs(24 * 60 * 60);

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(n: usize) -> SeenRequest {
        SeenRequest {
            method: "GET".into(),
            path: format!("/api/v2/order/detail/{n}"),
            auth: "api-key".into(),
            fault: None,
            at: Utc::now(),
        }
    }

    fn paths(state: &SimState) -> Vec<String> {
        state.requests().into_iter().map(|r| r.path).collect()
    }

    #[test]
    fn the_log_keeps_the_latest_requests_it_is_sized_for() {
        let sized = |request_log| {
            SimState::new(
                SimConfig {
                    request_log,
                    ..SimConfig::default()
                },
                "http://127.0.0.1:1".into(),
            )
        };
        let three = sized(3);
        (0..5).for_each(|n| three.log(seen(n)));
        assert_eq!(
            paths(&three),
            [
                "/api/v2/order/detail/2",
                "/api/v2/order/detail/3",
                "/api/v2/order/detail/4"
            ]
        );
        let none = sized(0);
        none.log(seen(0));
        assert!(paths(&none).is_empty());
        let demo = sized(crate::DEMO_REQUEST_LOG);
        (0..crate::DEMO_REQUEST_LOG + 50).for_each(|n| demo.log(seen(n)));
        assert_eq!(paths(&demo).len(), crate::DEMO_REQUEST_LOG);
    }
}
