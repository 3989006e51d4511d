//! The till: the ledger and the gateway together. Every sale is written before the gateway is
//! called, every answer is committed before anyone is told, and an answer that was lost is
//! reconciled against the gateway's own list (`crate::reconcile`) before anything is tried again.

use std::{
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use aurpay::{Amount, BlnOrder, CreateBlnOrder, Network};
use chrono::{DateTime, Utc};
use serde_json::json;
use tokio::sync::broadcast;

use crate::{
    ledger::{label, Ledger, LedgerError, NewSale, Sale},
    money::{implied_rate, Currency, Fiat, MoneyError, Msat},
    sale::{transition, SaleEvent, SaleState},
};

/// The longest memo a sale keeps.
pub const MAX_MEMO_CHARS: usize = 200;

/// How the till is set up.
#[derive(Debug, Clone)]
pub struct TillConfig {
    /// This terminal's name (receipt numbers count per terminal).
    pub terminal: String,
    /// Who is at the till.
    pub cashier: String,
    /// The network invoices must be on.
    pub network: Network,
    /// Demo sales: the training book, kept out of real reports and exports.
    pub training: bool,
    /// How long the gateway keeps an order payable before marking it overdue (Aurpay: 30 min;
    /// the demo gateway: whatever it was started with).
    pub order_lifetime: Duration,
    /// The gateway client's timeout: a create older than this plus `settle_margin` is no longer
    /// in flight anywhere and may be reconciled.
    pub gateway_timeout: Duration,
    /// Extra time before reconciling, for clocks and slow processes (5 s).
    pub settle_margin: Duration,
}

impl TillConfig {
    /// A till named `terminal` on `network`, with Aurpay's defaults.
    pub fn new(terminal: impl Into<String>, network: Network) -> Self {
        Self {
            terminal: terminal.into(),
            cashier: String::new(),
            network,
            training: false,
            order_lifetime: Duration::from_secs(30 * 60),
            gateway_timeout: aurpay::DEFAULT_TIMEOUT,
            settle_margin: Duration::from_secs(5),
        }
    }
}

/// What went wrong, as the cashier or the caller can act on it.
#[derive(Debug, thiserror::Error)]
pub enum TillError {
    /// The amount or currency typed is not usable; nothing was written.
    #[error("{0}")]
    Money(#[from] MoneyError),
    /// The memo is too long; nothing was written.
    #[error("the memo is longer than {MAX_MEMO_CHARS} characters")]
    MemoTooLong,
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The gateway could not be asked (for a status check or reconciliation).
    #[error(transparent)]
    Gateway(#[from] aurpay::Error),
    /// The action does not apply to the sale in its state.
    #[error("receipt {receipt} is {state}: {why}")]
    NotAllowed {
        /// The receipt, as people read it.
        receipt: String,
        /// Its state.
        state: SaleState,
        /// Why not.
        why: &'static str,
    },
    /// Something typed is not usable; nothing was written.
    #[error("{0}")]
    BadInput(String),
    /// The ledger refuses it as things stand (a refund of money already given back, an invoice
    /// already sent); nothing was written.
    #[error("{0}")]
    Refused(String),
}

/// A sale changed: sent to whoever listens (the window, the `till` command).
#[derive(Debug, Clone)]
pub struct SaleUpdate {
    /// The sale as now committed.
    pub sale: Sale,
    /// The state before.
    pub previous: SaleState,
}

impl SaleUpdate {
    /// A timed-out or cancelled sale was paid after all: the cashier must be alerted.
    pub fn is_paid_late(&self) -> bool {
        self.sale.state == SaleState::PaidLate && self.previous != SaleState::PaidLate
    }
}

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

/// The till.
#[derive(Debug)]
pub struct Till {
    ledger: Mutex<Ledger>,
    gateway: aurpay::Client,
    config: TillConfig,
    updates: broadcast::Sender<SaleUpdate>,
}

/// Removes control characters and surrounding space from a note; refuses one longer than `max`.
pub fn clean_text(text: &str, max: usize) -> Result<String, usize> {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.chars().count() > max {
        return Err(max);
    }
    Ok(cleaned)
}

/// Removes control characters and surrounding space from a memo; refuses one that is too long.
pub fn clean_memo(memo: &str) -> Result<String, TillError> {
    clean_text(memo, MAX_MEMO_CHARS).map_err(|_| TillError::MemoTooLong)
}

impl Till {
    /// A till over `ledger`, talking to `gateway`.
    pub fn new(ledger: Ledger, gateway: aurpay::Client, config: TillConfig) -> Arc<Self> {
        let (updates, _) = broadcast::channel(256);
        Arc::new(Self {
            ledger: Mutex::new(ledger),
            gateway,
            config,
            updates,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &TillConfig {
        &self.config
    }

    /// The gateway client.
    pub fn gateway(&self) -> &aurpay::Client {
        &self.gateway
    }

    /// Subscribes to sale changes.
    pub fn subscribe(&self) -> broadcast::Receiver<SaleUpdate> {
        self.updates.subscribe()
    }

    /// The ledger, locked. Never held across an await.
    pub fn ledger(&self) -> MutexGuard<'_, Ledger> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll back
        // on drop), so the lock is simply taken over.
        self.ledger.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A sale by receipt number on this terminal, in this till's book (live or training).
    pub fn sale(&self, receipt_no: i64) -> Result<Sale, TillError> {
        Ok(self.ledger().sale_by_receipt(
            &self.config.terminal,
            self.config.training,
            receipt_no,
        )?)
    }

    fn publish(&self, previous: SaleState, sale: &Sale) {
        if previous != sale.state {
            tracing::info!(receipt = %sale.label(), from = %previous, to = %sale.state, "sale changed");
        }
        let _ = self.updates.send(SaleUpdate {
            sale: sale.clone(),
            previous,
        });
    }

    /// Applies an event through the state machine, in one transaction with `extra` edits, and
    /// tells listeners. Returns the sale as it is now (unchanged when the event brought nothing
    /// new). A gateway status the state machine forbids (REFUNDED for a sale waiting for payment)
    /// is not an error to retry: it is recorded on the sale for a manager, once.
    pub(crate) fn apply(
        &self,
        id: i64,
        event: SaleEvent,
        kind: &'static str,
        detail: serde_json::Value,
        extra: impl FnOnce(&mut Sale),
    ) -> Result<Sale, TillError> {
        let now = Utc::now();
        let mut previous = SaleState::Creating;
        let changed = self
            .ledger()
            .update_sale(id, now, |sale| -> Result<_, TillError> {
                previous = sale.state;
                let original = sale.clone();
                match transition(sale.state, &event, now) {
                    Ok(out) => {
                        sale.state = out.state;
                        sale.underpaid |= out.underpaid;
                        sale.partial = out.partial && !out.state.is_paid();
                        if sale.paid_at.is_none() {
                            sale.paid_at = out.paid_at;
                        }
                        extra(sale);
                        Ok((*sale != original).then_some((kind, detail)))
                    }
                    Err(forbidden) => match &event {
                        SaleEvent::Gateway(status) => {
                            sale.attention = Some(format!(
                                "the gateway reports {status} for this sale's order, which a sale that is {} \
                                 cannot be; check the order on the Aurpay dashboard, then a manager can settle it",
                                forbidden.from.as_str().replace('_', " ")
                            ));
                            Ok((*sale != original).then(|| {
                                ("gateway_anomaly", json!({"status": status.as_str()}))
                            }))
                        }
                        _ => Err(TillError::NotAllowed {
                            receipt: sale.label(),
                            state: forbidden.from,
                            why: "that does not apply to it",
                        }),
                    },
                }
            })?;
        match changed {
            Some(sale) => {
                self.publish(previous, &sale);
                Ok(sale)
            }
            None => Ok(self
                .ledger()
                .sale(id)?
                .ok_or(LedgerError::Corrupt(format!("sale id {id} vanished")))?),
        }
    }

    /// Sets (or clears) why a manager must look at a sale, journaling it when it changes.
    pub(crate) fn flag(
        &self,
        id: i64,
        why: Option<String>,
        kind: &'static str,
    ) -> Result<Sale, TillError> {
        let changed =
            self.ledger()
                .update_sale(id, Utc::now(), |sale| -> Result<_, TillError> {
                    if sale.attention == why {
                        return Ok(None);
                    }
                    sale.attention = why.clone();
                    Ok(Some((kind, json!({"attention": why}))))
                })?;
        match changed {
            Some(sale) => {
                self.publish(sale.state, &sale);
                Ok(sale)
            }
            None => Ok(self
                .ledger()
                .sale(id)?
                .ok_or(LedgerError::Corrupt(format!("sale id {id} vanished")))?),
        }
    }

    /// Rings up a sale: checks the amount, writes the sale, asks the gateway for an order, checks
    /// its invoice, and commits the outcome. A refusal of the amount writes nothing; anything
    /// after the write is recorded on the sale (Failed or Uncertain with the reason).
    pub async fn charge(
        &self,
        amount: &str,
        currency: &str,
        memo: &str,
    ) -> Result<Sale, TillError> {
        let currency = Currency::from_code(currency)?;
        let fiat = Fiat::parse(amount, currency)?;
        self.charge_fiat(fiat, memo, None).await
    }

    /// Re-quotes a timed-out (or cancelled) sale: a new sale for the same amount, linked to it.
    pub async fn requote(&self, receipt_no: i64) -> Result<Sale, TillError> {
        let old = self.sale(receipt_no)?;
        if !matches!(
            old.state,
            SaleState::TimedOut | SaleState::Cancelled | SaleState::Failed
        ) {
            return Err(TillError::NotAllowed {
                receipt: old.label(),
                state: old.state,
                why: "only a timed-out, cancelled or failed sale can be charged again",
            });
        }
        self.charge_fiat(old.fiat()?, &old.memo, Some(old.receipt_no))
            .await
    }

    async fn charge_fiat(
        &self,
        fiat: Fiat,
        memo: &str,
        replaces: Option<i64>,
    ) -> Result<Sale, TillError> {
        let memo = clean_memo(memo)?;
        let new = NewSale {
            terminal: self.config.terminal.clone(),
            fiat,
            memo,
            cashier: self.config.cashier.clone(),
            training: self.config.training,
            replaces,
        };
        let sale = self.ledger().insert_sale(&new, Utc::now())?;
        self.publish(SaleState::Creating, &sale);
        let mut request = CreateBlnOrder::new(Amount(fiat.to_decimal()), fiat.currency.code());
        request.urls.callback_url = sale.reference.as_deref().map(aurpay::reference::url);
        match self.gateway.create_bln_order(&request).await {
            Ok(order) => self.record_order(&sale, &order, fiat),
            Err(e) if e.may_have_been_processed() => {
                let why = e.to_string();
                self.apply(
                    sale.id,
                    SaleEvent::CreateOutcomeUnknown,
                    "create_uncertain",
                    json!({"error": why}),
                    |s| {
                        s.error = Some(format!(
                            "{why}; checking whether the gateway made the order"
                        ));
                    },
                )
            }
            Err(e) => {
                let why = e.to_string();
                self.apply(
                    sale.id,
                    SaleEvent::CreateFailed,
                    "create_failed",
                    json!({"error": why}),
                    |s| s.error = Some(why.clone()),
                )
            }
        }
    }

    /// When an order created at `created` stops being payable at the gateway: its lifetime after
    /// creation, but never after its invoice expires.
    pub fn order_deadline(
        &self,
        created: DateTime<Utc>,
        invoice_expires: DateTime<Utc>,
    ) -> DateTime<Utc> {
        (created + chrono_duration(self.config.order_lifetime)).min(invoice_expires)
    }

    /// Records the gateway's answer to a create: the invoice is checked first, and a sale whose
    /// invoice fails is Failed with the reason (no QR is ever shown for it). An order id another
    /// sale already holds is the gateway's mistake: the sale fails with that said, never left
    /// half-made.
    fn record_order(&self, sale: &Sale, order: &BlnOrder, fiat: Fiat) -> Result<Sale, TillError> {
        let now = Utc::now();
        let created = order.create_time.map(|t| t.0).unwrap_or(now);
        let detail = json!({
            "order_id": order.order_id,
            "btc_amount": order.amount.to_string(),
            "payment_request": order.payment_request,
        });
        let holder = self.ledger().sale_by_order_id(&order.order_id)?;
        if let Some(other) = holder.filter(|o| o.id != sale.id) {
            let why = format!(
                "the gateway answered with order {}, which receipt {} already holds; no QR was shown. \
                 This is the gateway's mistake: charge again, and tell Aurpay if it happens again",
                order.order_id,
                other.label()
            );
            return self.apply(
                sale.id,
                SaleEvent::CreateFailed,
                "order_id_reused",
                json!({"order_id": order.order_id, "held_by": other.label()}),
                |s| s.error = Some(why.clone()),
            );
        }
        match order.check_invoice(self.config.network, now) {
            Ok(invoice) => {
                let msat = Msat(invoice.amount_msat);
                let deadline = self.order_deadline(created, invoice.expires_at);
                self.apply(
                    sale.id,
                    SaleEvent::OrderCreated,
                    "order_created",
                    detail,
                    |s| {
                        s.order_id = Some(order.order_id.clone());
                        s.btc_amount = Some(order.amount.to_string());
                        s.amount_msat = Some(msat.0);
                        s.rate = implied_rate(fiat, msat).map(|r| r.to_string());
                        s.payment_request = Some(invoice.payment_request.clone());
                        s.payment_hash = Some(invoice.payment_hash.clone());
                        s.pay_url = order.pay_url.clone();
                        s.order_created_at = Some(created);
                        s.order_expires_at = Some(deadline);
                        s.invoice_expires_at = Some(invoice.expires_at);
                        s.error = None;
                    },
                )
            }
            Err(bad) => {
                let why = format!("{bad}; no QR was shown");
                self.apply(
                    sale.id,
                    SaleEvent::CreateFailed,
                    "invoice_refused",
                    json!({"order_id": order.order_id, "error": why}),
                    |s| {
                        s.order_id = Some(order.order_id.clone());
                        s.btc_amount = Some(order.amount.to_string());
                        s.error = Some(why.clone());
                    },
                )
            }
        }
    }

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

/// A std duration as chrono's, saturating.
pub fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// A receipt label for messages (`12`, `T3`).
pub fn receipt_label(training: bool, receipt_no: i64) -> String {
    label("", training, receipt_no)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memos_lose_control_characters_and_keep_their_words() {
        assert_eq!(
            clean_memo("  table 4\n\t=SUM(A1)\u{7}  ").unwrap(),
            "table 4 =SUM(A1)"
        );
        assert_eq!(clean_memo("").unwrap(), "");
        assert!(matches!(
            clean_memo(&"x".repeat(201)),
            Err(TillError::MemoTooLong)
        ));
        assert_eq!(clean_memo(&"é".repeat(200)).unwrap().chars().count(), 200);
    }
}
