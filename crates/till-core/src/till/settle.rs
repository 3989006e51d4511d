//! A manager settles what the till could not: a sale whose create answer was lost, or one the
//! gateway said something impossible about.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{chrono_duration, clean_text, Till, TillError};
use crate::{
    ledger::Sale,
    money::{implied_rate, Msat},
    sale::{SaleEvent, SaleState},
};

/// How a manager settles a sale the till could not settle itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// The manager found the sale's order on the Aurpay dashboard.
    Found {
        /// Its id.
        order_id: String,
    },
    /// The manager found no order for it on the dashboard: no money can arrive; it is void.
    Void {
        /// Why, in the manager's words.
        reason: String,
    },
}

impl Settlement {
    /// A settlement as a form or the command line gives it: the order found on the dashboard,
    /// or, when none is given (or it is blank), void for `reason`.
    pub fn from_form(order_id: Option<String>, reason: Option<String>) -> Self {
        match order_id.filter(|o| !o.trim().is_empty()) {
            Some(order_id) => Self::Found { order_id },
            None => Self::Void {
                reason: reason.unwrap_or_default(),
            },
        }
    }
}

impl Till {
    /// Whether a create started at `created_at` may still be waiting for its answer somewhere.
    pub fn create_may_be_in_flight(&self, created_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now - created_at < chrono_duration(self.settle_time())
    }

    /// How long after a create started it can no longer be in flight.
    pub fn settle_time(&self) -> Duration {
        self.config.gateway_timeout + self.config.settle_margin
    }

    /// A manager settles a sale the till could not: one whose create answer was lost (creating
    /// or uncertain), or one the gateway said something impossible about. `Found` takes the
    /// order the manager found on the dashboard, after checking with the gateway that it is a
    /// Lightning order for this sale's amount that no other sale holds; `Void` records that no
    /// order exists. Either way it is journaled with who did it, and the day can then close.
    pub async fn settle(
        &self,
        receipt_no: i64,
        settlement: Settlement,
        by: &str,
    ) -> Result<Sale, TillError> {
        let sale = self.sale(receipt_no)?;
        let lost = matches!(sale.state, SaleState::Creating | SaleState::Uncertain);
        let flagged = sale.state == SaleState::AwaitingPayment && sale.attention.is_some();
        if !lost && !flagged {
            return Err(TillError::NotAllowed {
                receipt: sale.label(),
                state: sale.state,
                why: "only a sale whose gateway answer was lost, or one marked for a manager, can be settled",
            });
        }
        if sale.state == SaleState::Creating
            && self.create_may_be_in_flight(sale.created_at, Utc::now())
        {
            return Err(TillError::Refused(format!(
                "receipt {} may still be waiting for the gateway's answer; wait {} seconds, then settle it",
                sale.label(),
                self.settle_time().as_secs()
            )));
        }
        match settlement {
            Settlement::Void { reason } => {
                let reason = clean_text(&reason, 200).map_err(|max| {
                    TillError::BadInput(format!("the reason is longer than {max} characters"))
                })?;
                if reason.is_empty() {
                    return Err(TillError::BadInput(
                        "say why the sale is void (for example: no order on the Aurpay dashboard)"
                            .into(),
                    ));
                }
                let why = format!(
                    "voided by {}: {reason}",
                    if by.is_empty() { "a manager" } else { by }
                );
                self.apply(
                    sale.id,
                    SaleEvent::Void,
                    "settled_void",
                    json!({"by": by, "reason": reason}),
                    |s| {
                        s.error = Some(why.clone());
                        s.attention = None;
                    },
                )
            }
            Settlement::Found { order_id } => {
                if !lost {
                    return Err(TillError::NotAllowed {
                        receipt: sale.label(),
                        state: sale.state,
                        why: "it has its order already; it can only be voided",
                    });
                }
                let order_id = order_id.trim().to_owned();
                if order_id.is_empty()
                    || order_id.len() > 64
                    || !order_id.chars().all(|c| c.is_ascii_alphanumeric())
                {
                    return Err(TillError::BadInput(
                        "an Aurpay order id is the number shown on the dashboard, such as 20240426103947614609".into(),
                    ));
                }
                let order = self.gateway.order_details(&order_id).await?;
                crate::reconcile::check_claim(self, &sale, &order)?;
                let sale = self.to_uncertain(&sale)?;
                self.take_order(
                    &sale,
                    &order,
                    "settled_found",
                    json!({"by": by, "order_id": order_id}),
                )
                .await
            }
        }
    }

    /// Moves a sale still marked creating to uncertain (its create's answer is lost), so its
    /// timeline says so before anything is found.
    pub(crate) fn to_uncertain(&self, sale: &Sale) -> Result<Sale, TillError> {
        if sale.state != SaleState::Creating {
            return Ok(sale.clone());
        }
        self.apply(
            sale.id,
            SaleEvent::CreateOutcomeUnknown,
            "create_uncertain",
            json!({"error": "the till stopped before the gateway answered"}),
            |s| {
                s.error = Some(
                    "the till stopped before the gateway answered; checking the gateway".into(),
                );
            },
        )
    }

    /// Records `order` as the one an uncertain sale made, then asks for its status right away.
    pub(crate) async fn take_order(
        &self,
        sale: &Sale,
        order: &aurpay::Order,
        kind: &'static str,
        detail: serde_json::Value,
    ) -> Result<Sale, TillError> {
        let fiat = sale.fiat()?;
        let msat = order.amount.and_then(|a| a.btc_to_msat().ok());
        let created = order.create_time.map(|t| t.0).unwrap_or(sale.created_at);
        // The invoice itself was only in the lost answer; Aurpay's invoices live 24 h.
        let invoice_expires = created + chrono::Duration::hours(24);
        let deadline = self.order_deadline(created, invoice_expires);
        let pay_url = format!("{}/#/cashier/{}", self.gateway.base_url(), order.order_id);
        let taken = self.apply(sale.id, SaleEvent::Reconciled, kind, detail, |s| {
            s.order_id = Some(order.order_id.clone());
            s.btc_amount = order.amount.map(|a| a.to_string());
            s.amount_msat = msat;
            s.rate = msat
                .and_then(|m| implied_rate(fiat, Msat(m)))
                .map(|r| r.to_string());
            s.pay_url = Some(pay_url.clone());
            s.order_created_at = Some(created);
            s.order_expires_at = Some(deadline);
            s.invoice_expires_at = Some(invoice_expires);
            s.error = None;
            s.attention = None;
        })?;
        self.poll_order(&taken, &order.order_id).await
    }
}
