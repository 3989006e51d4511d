//! Steering the simulator, as a test or the control API does: orders paid, paid late or given a
//! status, faults injected, a wallet's invoices made, and what was asked read back.

use aurpay::OrderStatus;
use chrono::Utc;

use crate::state::{
    lightning_msat, FaultRule, SeenRequest, SimOrder, SimState, Store, INVOICE_EXPIRY,
};

/// Why a control action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlError {
    /// No such order.
    NoSuchOrder(String),
    /// The order is not in a state the action applies to.
    Conflict(String),
}

impl std::fmt::Display for ControlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoSuchOrder(id) => write!(f, "no order {id}"),
            Self::Conflict(why) => f.write_str(why),
        }
    }
}

impl SimState {
    /// Sets an order's status as the dashboard or a payment would. `SUCCESS` and `RESOLVED` credit
    /// the BLN balance once.
    pub fn set_status(
        &self,
        order_id: &str,
        status: OrderStatus,
    ) -> Result<SimOrder, ControlError> {
        let mut store = self.store();
        let o = store
            .orders
            .get_mut(order_id)
            .ok_or_else(|| ControlError::NoSuchOrder(order_id.into()))?;
        let was_paid = o.status.is_paid();
        o.status = status;
        o.update_time = Utc::now();
        if o.status == OrderStatus::Refunded {
            o.refunded = true;
        }
        let credit = if !was_paid && o.status.is_paid() {
            lightning_msat(o)
        } else {
            0
        };
        let snapshot = o.clone();
        store.balance_msat = store.balance_msat.saturating_add(credit);
        Ok(snapshot)
    }

    /// The customer pays a pending (or partly paid) order.
    pub fn pay(&self, order_id: &str) -> Result<SimOrder, ControlError> {
        let status = self.order(order_id)?.status;
        match status {
            OrderStatus::Pending | OrderStatus::Partial => {
                self.set_status(order_id, OrderStatus::Success)
            }
            other => Err(ControlError::Conflict(format!(
                "order {order_id} is {other}, not PENDING"
            ))),
        }
    }

    /// The customer's wallet pays an `OVERDUE` order's invoice after the order timed out (the
    /// invoice itself lives 24 h). What Aurpay then reports is not documented; we infer `SUCCESS`.
    pub fn pay_late(&self, order_id: &str) -> Result<SimOrder, ControlError> {
        let status = self.order(order_id)?.status;
        if status != OrderStatus::Overdue {
            return Err(ControlError::Conflict(format!(
                "order {order_id} is {status}, not OVERDUE"
            )));
        }
        {
            let mut store = self.store();
            if let Some(o) = store.orders.get_mut(order_id) {
                o.paid_late = true;
            }
        }
        self.set_status(order_id, OrderStatus::Success)
    }

    /// One order, up to date.
    pub fn order(&self, order_id: &str) -> Result<SimOrder, ControlError> {
        self.store()
            .orders
            .get(order_id)
            .cloned()
            .ok_or_else(|| ControlError::NoSuchOrder(order_id.into()))
    }

    /// Every order, oldest first.
    pub fn orders(&self) -> Vec<SimOrder> {
        let mut all: Vec<SimOrder> = self.store().orders.values().cloned().collect();
        all.sort_by(|a, b| {
            a.create_time
                .cmp(&b.create_time)
                .then_with(|| a.order_id.cmp(&b.order_id))
        });
        all
    }

    /// Queues a fault.
    pub fn inject(&self, rule: FaultRule) {
        self.store().faults.push(rule);
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        self.store().faults.clear();
    }

    /// The request log.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.store().requests.iter().cloned().collect()
    }

    /// Sets the BLN balance.
    pub fn set_balance_msat(&self, msat: u64) {
        self.store().balance_msat = msat;
    }

    /// An invoice from "someone else's wallet" (signed by the simulator's node), for tests and
    /// the demo to withdraw or refund to.
    pub fn wallet_invoice(&self, msat: u64) -> Result<crate::invoices::Issued, String> {
        if msat == 0 {
            return Err("an invoice needs an amount above 0".into());
        }
        self.node.issue(msat, INVOICE_EXPIRY, self.node.network())
    }

    /// An invoice without an amount from "someone else's wallet": the payer says how much.
    pub fn wallet_invoice_without_amount(&self) -> Result<crate::invoices::Issued, String> {
        self.node
            .issue_any(None, INVOICE_EXPIRY, self.node.network())
    }

    /// The amount the last refund paid asked for (BTC text), if any refund was paid.
    pub fn last_refund_amount(&self) -> Option<String> {
        self.store().refunds.last().and_then(|(_, a)| a.clone())
    }

    /// The BLN balance.
    pub fn balance_msat(&self) -> u64 {
        self.store().balance_msat
    }

    /// A new 20-digit order id: the UTC time to the second, then a 6-digit counter that starts
    /// at a random place, so two simulators started in the same second (two `till --demo`
    /// commands) do not hand out the same ids.
    pub fn next_order_id(store: &mut Store) -> String {
        if store.counter == 0 {
            store.counter = rand::random::<u64>() % 1_000_000;
        }
        store.counter += 1;
        format!(
            "{}{:06}",
            Utc::now().format("%Y%m%d%H%M%S"),
            store.counter % 1_000_000
        )
    }
}
