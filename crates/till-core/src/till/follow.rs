//! Following a sale after it is rung up: cancelled, looked at, voided when its demo gateway is
//! gone.

use serde_json::json;

use super::{Till, TillError};
use crate::{
    ledger::Sale,
    sale::{SaleEvent, SaleState},
};

impl Till {
    /// Cancels a sale the customer is not going to pay. It is still watched until its invoice
    /// expires, so a payment that arrives anyway is recorded as paid late.
    pub fn cancel(&self, receipt_no: i64) -> Result<Sale, TillError> {
        let sale = self.sale(receipt_no)?;
        if !matches!(
            sale.state,
            SaleState::AwaitingPayment | SaleState::Cancelled
        ) {
            return Err(TillError::NotAllowed {
                receipt: sale.label(),
                state: sale.state,
                why: "only a sale waiting for payment can be cancelled",
            });
        }
        self.apply(
            sale.id,
            SaleEvent::Cancel,
            "cancelled",
            json!({"by": self.config.cashier}),
            |_| {},
        )
    }

    /// Asks the gateway about a sale now and records the answer: the "customer says they paid"
    /// button. Sales whose create answer was lost are reconciled instead.
    pub async fn check(&self, receipt_no: i64) -> Result<Sale, TillError> {
        let sale = self.sale(receipt_no)?;
        self.poll(&sale).await
    }

    /// One look at the gateway for a sale, applied through the state machine.
    pub async fn poll(&self, sale: &Sale) -> Result<Sale, TillError> {
        match (&sale.order_id, sale.state) {
            (None, SaleState::Creating | SaleState::Uncertain) => self.reconcile(sale).await,
            (None, _) => Ok(sale.clone()),
            (Some(_), state) if state.is_final() => Ok(sale.clone()),
            (Some(order_id), _) => self.poll_order(sale, order_id).await,
        }
    }

    pub(crate) async fn poll_order(&self, sale: &Sale, order_id: &str) -> Result<Sale, TillError> {
        let order = match self.gateway.order_details(order_id).await {
            Ok(order) => order,
            // The demo gateway lives in the process that made the order: another process's demo
            // gateway does not know it, and never will. No money can arrive.
            Err(aurpay::Error::Rejected { .. }) if sale.training => {
                return self
                    .void_training(sale, "the demo gateway that made this order has stopped");
            }
            Err(aurpay::Error::Rejected { code, message }) => {
                self.flag(
                    sale.id,
                    Some(format!(
                        "the gateway does not answer for order {order_id} ({message}, code {code}); \
                         check it on the Aurpay dashboard, then a manager can settle the sale"
                    )),
                    "gateway_anomaly",
                )?;
                return Err(aurpay::Error::Rejected { code, message }.into());
            }
            Err(e) => return Err(e.into()),
        };
        let detail = json!({"status": order.status.as_str()});
        self.apply(
            sale.id,
            SaleEvent::Gateway(order.status.clone()),
            "status",
            detail,
            |_| {},
        )
    }

    /// Voids an open training sale whose demo gateway is gone: no money can arrive for it.
    pub fn void_training(&self, sale: &Sale, why: &str) -> Result<Sale, TillError> {
        if !sale.training || sale.state.is_final() {
            return Ok(sale.clone());
        }
        if !matches!(
            sale.state,
            SaleState::Creating | SaleState::Uncertain | SaleState::AwaitingPayment
        ) {
            return Ok(sale.clone());
        }
        let why = format!("{why}; this demo sale can no longer be paid");
        self.apply(
            sale.id,
            SaleEvent::Void,
            "demo_gateway_gone",
            json!({"why": why}),
            |s| s.error = Some(why.clone()),
        )
    }
}
