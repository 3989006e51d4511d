//! The till: the ledger and the gateway together. Every sale is written before the gateway is
//! called, every answer is committed before anyone is told, and an answer that was lost is
//! reconciled against the gateway's own list (`crate::reconcile`) before anything is tried again.
//!
//! Here: the till itself and how every change is applied and told; ringing up in `charge`,
//! following a sale in `follow`, a manager's settling in `settle`.

mod charge;
mod follow;
mod settle;
mod tap;

use std::{
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use aurpay::Network;
use chrono::Utc;
use serde_json::json;
use tokio::sync::broadcast;

pub use charge::CashQuote;
/// Why a card or withdraw link could not pay (the `lnurlw` crate's outcomes).
pub use lnurlw::Error as CardError;
pub use settle::Settlement;
pub use tap::check_link;

use crate::{
    ledger::{label, Ledger, LedgerError, Sale},
    money::MoneyError,
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
    /// A card or withdraw link could not pay the sale's invoice (see `tap`); nothing was written.
    #[error(transparent)]
    Card(#[from] lnurlw::Error),
    /// The ledger refuses it as things stand (a refund of money already given back, an invoice
    /// already sent); nothing was written.
    #[error("{0}")]
    Refused(String),
    /// The cart or the bill cannot be priced as asked; nothing was written.
    #[error(transparent)]
    Cart(#[from] crate::cart::CartError),
}

impl From<crate::money::bill::BillError> for TillError {
    fn from(e: crate::money::bill::BillError) -> Self {
        Self::Cart(e.into())
    }
}

impl From<crate::settings::SellingError> for TillError {
    fn from(e: crate::settings::SellingError) -> Self {
        Self::Cart(e.into())
    }
}

impl From<crate::settings::TimezoneError> for TillError {
    fn from(e: crate::settings::TimezoneError) -> Self {
        match e {
            // The stored zone is not one: say so, as a setting to fix.
            crate::settings::TimezoneError::Bad(bad) => Self::BadInput(bad.to_string()),
            crate::settings::TimezoneError::Ledger(l) => Self::Ledger(l),
        }
    }
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
    /// Who is at the till: the name its documents record (the configured cashier until someone
    /// signs in).
    cashier: Mutex<String>,
    /// The sales a card is paying right now (one link at a time per sale).
    taps: tap::InFlight,
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
            cashier: Mutex::new(config.cashier.clone()),
            config,
            updates,
            taps: tap::InFlight::default(),
        })
    }

    /// Who is at the till now: the name the sales, refunds and drawer moves it makes record.
    pub fn cashier(&self) -> String {
        self.cashier
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Someone else is at the till (signed in with their PIN).
    pub fn set_cashier(&self, name: &str) {
        *self.cashier.lock().unwrap_or_else(|p| p.into_inner()) = name.to_owned();
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
