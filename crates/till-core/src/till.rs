//! The till: the ledger and the gateway together. Every sale is written before the gateway is
//! called, every answer is committed before anyone is told, and an answer that was lost is
//! reconciled against the gateway's own list before anything is tried again.

use std::{
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use aurpay::{Amount, BlnOrder, CreateBlnOrder, Network, Order};
use chrono::{DateTime, Utc};
use serde_json::json;
use tokio::sync::broadcast;

use crate::{
    ledger::{Ledger, LedgerError, NewSale, Sale},
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
    /// Demo sales: kept out of real reports and exports.
    pub training: bool,
    /// How long the gateway keeps an order payable before marking it overdue (Aurpay: 30 min).
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
        /// The receipt.
        receipt: i64,
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

/// The till.
#[derive(Debug)]
pub struct Till {
    ledger: Mutex<Ledger>,
    gateway: aurpay::Client,
    config: TillConfig,
    updates: broadcast::Sender<SaleUpdate>,
}

/// Removes control characters and surrounding space from a memo; refuses one that is too long.
pub fn clean_memo(memo: &str) -> Result<String, TillError> {
    let cleaned: String = memo
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.chars().count() > MAX_MEMO_CHARS {
        return Err(TillError::MemoTooLong);
    }
    Ok(cleaned)
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

    /// A sale by receipt number on this terminal.
    pub fn sale(&self, receipt_no: i64) -> Result<Sale, TillError> {
        Ok(self
            .ledger()
            .sale_by_receipt(&self.config.terminal, receipt_no)?)
    }

    fn publish(&self, previous: SaleState, sale: &Sale) {
        if previous != sale.state {
            tracing::info!(receipt = sale.receipt_no, from = %previous, to = %sale.state, "sale changed");
        }
        let _ = self.updates.send(SaleUpdate {
            sale: sale.clone(),
            previous,
        });
    }

    /// Applies an event through the state machine, in one transaction with `extra` edits, and
    /// tells listeners. Returns the sale as it is now (unchanged when the event brought nothing
    /// new).
    fn apply(
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
                let out =
                    transition(sale.state, &event, now).map_err(|f| TillError::NotAllowed {
                        receipt: sale.receipt_no,
                        state: f.from,
                        why: "that does not apply to it",
                    })?;
                let original = sale.clone();
                sale.state = out.state;
                sale.underpaid |= out.underpaid;
                sale.partial = out.partial && !out.state.is_paid();
                if sale.paid_at.is_none() {
                    sale.paid_at = out.paid_at;
                }
                extra(sale);
                Ok(if *sale == original {
                    None
                } else {
                    Some((kind, detail))
                })
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
                receipt: receipt_no,
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
        let request = CreateBlnOrder::new(Amount(fiat.to_decimal()), fiat.currency.code());
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

    /// Records the gateway's answer to a create: the invoice is checked first, and a sale whose
    /// invoice fails is Failed with the reason (no QR is ever shown for it).
    fn record_order(&self, sale: &Sale, order: &BlnOrder, fiat: Fiat) -> Result<Sale, TillError> {
        let now = Utc::now();
        let created = order.create_time.map(|t| t.0).unwrap_or(now);
        let detail = json!({
            "order_id": order.order_id,
            "btc_amount": order.amount.to_string(),
            "payment_request": order.payment_request,
        });
        match order.check_invoice(self.config.network, now) {
            Ok(invoice) => {
                let msat = Msat(invoice.amount_msat);
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
                        s.order_expires_at =
                            Some(created + chrono_duration(self.config.order_lifetime));
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
                receipt: receipt_no,
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
            (Some(order_id), _) => self.poll_order(sale.id, order_id).await,
        }
    }

    async fn poll_order(&self, sale_id: i64, order_id: &str) -> Result<Sale, TillError> {
        let order = self.gateway.order_details(order_id).await?;
        let detail = json!({"status": order.status.as_str()});
        self.apply(
            sale_id,
            SaleEvent::Gateway(order.status.clone()),
            "status",
            detail,
            |_| {},
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

    /// Finds the order a sale's lost create call made, by amount, currency and time, among the
    /// gateway's orders; records it, or records that there is none. Leaves the sale as it is
    /// while its create may still be in flight, or when the gateway's list cannot prove absence.
    pub async fn reconcile(&self, sale: &Sale) -> Result<Sale, TillError> {
        let now = Utc::now();
        if self.create_may_be_in_flight(sale.created_at, now) {
            return Ok(sale.clone());
        }
        let fiat = sale.fiat()?;
        let window_start = sale.created_at - chrono::Duration::minutes(2);
        let window_end = sale.created_at + chrono::Duration::minutes(10);
        let mut found: Option<Order> = None;
        let mut complete = false;
        'pages: for page in 1..=10u32 {
            let list = self.gateway.orders(page, 50).await?;
            if list.data.is_empty() {
                complete = true;
                break;
            }
            for order in list.data {
                let Some(created) = order.create_time.map(|t| t.0) else {
                    continue;
                };
                if created < window_start {
                    complete = true;
                    break 'pages;
                }
                let same_money = order
                    .vs_price
                    .and_then(|p| Fiat::from_decimal(p.0, fiat.currency))
                    == Some(fiat)
                    && order
                        .vs_currency
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case(fiat.currency.code()));
                let lightning = order
                    .currency
                    .as_deref()
                    .is_none_or(|c| c.eq_ignore_ascii_case("BTC-LN"));
                if same_money
                    && lightning
                    && created <= window_end
                    && self.ledger().sale_by_order_id(&order.order_id)?.is_none()
                {
                    // Newest first: keep going to prefer the earliest match in the window.
                    found = Some(order);
                }
            }
            if list.max_page.is_some_and(|m| u64::from(page) >= m) {
                complete = true;
                break;
            }
        }
        let sale = if sale.state == SaleState::Creating {
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
            )?
        } else {
            sale.clone()
        };
        match found {
            Some(order) => {
                let msat = order.amount.and_then(|a| a.btc_to_msat().ok());
                let created = order.create_time.map(|t| t.0).unwrap_or(sale.created_at);
                let pay_url = format!("{}/#/cashier/{}", self.gateway.base_url(), order.order_id);
                let reconciled = self.apply(
                    sale.id,
                    SaleEvent::Reconciled,
                    "reconciled",
                    json!({"order_id": order.order_id}),
                    |s| {
                        s.order_id = Some(order.order_id.clone());
                        s.btc_amount = order.amount.map(|a| a.to_string());
                        s.amount_msat = msat;
                        s.rate = msat
                            .and_then(|m| implied_rate(fiat, Msat(m)))
                            .map(|r| r.to_string());
                        s.pay_url = Some(pay_url.clone());
                        s.order_created_at = Some(created);
                        s.order_expires_at =
                            Some(created + chrono_duration(self.config.order_lifetime));
                        // The invoice itself is only in the lost answer; Aurpay's invoices live 24 h.
                        s.invoice_expires_at = Some(created + chrono::Duration::hours(24));
                        s.error = None;
                    },
                )?;
                // And its status right away.
                self.poll_order(reconciled.id, &order.order_id).await
            }
            None if complete => self.apply(
                sale.id,
                SaleEvent::NoOrderFound,
                "no_order_found",
                json!({}),
                |s| {
                    s.error = Some(
                        "the gateway made no order for this sale; it is safe to charge again"
                            .into(),
                    );
                },
            ),
            None => Ok(sale),
        }
    }
}

/// A std duration as chrono's, saturating.
pub fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
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
