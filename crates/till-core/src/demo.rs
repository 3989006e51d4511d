//! Demo mode's own move: the simulated customer pays a sale (a timed-out one late). Only with
//! the `demo` feature, only against the demo gateway this till talks to.

use aurpay::OrderStatus;
use aurpay_sim::RunningSim;

use crate::{
    ledger::Sale,
    sale::SaleState,
    till::{Till, TillError},
};

impl Till {
    /// The demo customer pays `receipt_no` now (a timed-out or cancelled sale's order is paid
    /// late, as a wallet would after the order timed out), and the payment is recorded at once
    /// rather than at the watcher's next look.
    pub async fn simulate_payment(
        &self,
        sim: &RunningSim,
        receipt_no: i64,
    ) -> Result<Sale, TillError> {
        let sale = self.sale(receipt_no)?;
        let refused = |why: String| TillError::Refused(why);
        let order_id = sale
            .order_id
            .clone()
            .ok_or_else(|| refused(format!("receipt {} has no order to pay", sale.label())))?;
        let state = sim.state();
        let paid = match sale.state {
            SaleState::TimedOut | SaleState::Cancelled => {
                // A cancelled order is still pending at the gateway until it times out there.
                let order = state.order(&order_id).map_err(|e| refused(e.to_string()))?;
                if order.status == OrderStatus::Overdue {
                    state.pay_late(&order_id)
                } else {
                    state.pay(&order_id)
                }
            }
            _ => state.pay(&order_id),
        };
        paid.map_err(|e| refused(e.to_string()))?;
        self.check(receipt_no).await
    }
}
