//! The watcher: follows every open sale until its money arrives or cannot.
//!
//! One task per sale, so there is never more than one request in flight for a sale. It polls
//! about once a second while the customer is paying, slower once the order's time is up, and
//! keeps watching timed-out and cancelled sales with a growing pause until their invoice expires,
//! because a wallet can still pay then: that payment becomes PaidLate. Every pause is jittered so
//! many open sales do not poll in step. On start, every sale that is not final is resumed.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, Utc};
use rand::Rng;

use crate::{
    ledger::Sale,
    sale::SaleState,
    till::{chrono_duration, Till, TillError},
};

/// The pause while the customer is paying.
pub const PAYING_INTERVAL: Duration = Duration::from_secs(1);
/// The longest pause between two looks at a sale.
pub const MAX_INTERVAL: Duration = Duration::from_secs(300);
/// Uncertain creates are given up on (left Uncertain for a person) after this long.
pub const UNCERTAIN_GIVE_UP: Duration = Duration::from_secs(24 * 60 * 60);

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn until(later: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (later - now).to_std().unwrap_or(Duration::ZERO)
}

/// When to look at `sale` next, counted from `now`, after `failures` failed looks in a row; `None`
/// when it no longer needs watching. Pure, so the schedule is tested without a clock.
pub fn next_poll(
    sale: &Sale,
    now: DateTime<Utc>,
    failures: u32,
    settle_time: Duration,
) -> Option<Duration> {
    let base = match sale.state {
        SaleState::Paid | SaleState::PaidLate | SaleState::Failed => return None,
        SaleState::Creating | SaleState::Uncertain => {
            if now - sale.created_at > chrono_duration(UNCERTAIN_GIVE_UP) {
                return None;
            }
            let settled = sale.created_at + chrono_duration(settle_time);
            if now < settled {
                until(settled, now)
            } else if sale.attention.is_some() {
                // The gateway's list could not prove anything: a person is on it; look seldom.
                MAX_INTERVAL
            } else {
                // Reconciling reads the gateway's whole list of orders: soon, then seldom.
                match (now - settled).num_seconds() {
                    ..120 => secs(5),
                    120..1800 => secs(60),
                    _ => MAX_INTERVAL,
                }
            }
        }
        SaleState::AwaitingPayment if sale.attention.is_some() => {
            // The gateway said something impossible; asking every second will not change it.
            if now - sale.created_at > chrono_duration(UNCERTAIN_GIVE_UP) {
                return None;
            }
            MAX_INTERVAL
        }
        SaleState::AwaitingPayment => match sale.order_expires_at {
            Some(deadline) if now > deadline + chrono::Duration::seconds(30) => secs(5),
            _ => PAYING_INTERVAL,
        },
        SaleState::TimedOut | SaleState::Cancelled => {
            let expires = sale
                .invoice_expires_at
                .unwrap_or(sale.created_at + chrono::Duration::hours(24));
            if now >= expires {
                return None;
            }
            let since = (now - sale.updated_at).to_std().unwrap_or(Duration::ZERO);
            let pause = match since.as_secs() {
                0..120 => secs(5),
                120..600 => secs(15),
                600..3600 => secs(60),
                _ => MAX_INTERVAL,
            };
            // Look once more right at expiry rather than sleeping past it.
            pause.min(until(expires, now).max(secs(1)))
        }
    };
    let backoff = base.saturating_mul(1u32 << failures.min(6));
    Some(backoff.min(MAX_INTERVAL).max(if failures > 0 {
        secs(1)
    } else {
        Duration::ZERO
    }))
}

/// `d` give or take 10 %.
fn jitter(d: Duration) -> Duration {
    let f: f64 = rand::thread_rng().gen_range(0.9..1.1);
    d.mul_f64(f)
}

/// Follows open sales, one task each.
#[derive(Debug)]
pub struct Watcher {
    till: Arc<Till>,
    tracked: Mutex<HashSet<i64>>,
    stop: tokio::sync::watch::Sender<bool>,
}

impl Watcher {
    /// A watcher that follows only the sales it is given.
    pub fn new(till: Arc<Till>) -> Arc<Self> {
        Arc::new(Self {
            till,
            tracked: Mutex::new(HashSet::new()),
            stop: tokio::sync::watch::channel(false).0,
        })
    }

    /// Starts watching every sale that is not final and of this till's book: a live till does
    /// not ask its gateway about demo sales, nor the demo gateway about real ones.
    pub fn start(till: Arc<Till>) -> Result<Arc<Self>, TillError> {
        let watcher = Self::new(till);
        for sale in watched(&watcher.till)? {
            watcher.track(sale.id);
        }
        Ok(watcher)
    }

    /// Stops following every sale (the app switches gateways); their states stay as they are,
    /// and the next watcher picks them up.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Follows one sale (a no-op if it is already followed).
    pub fn track(self: &Arc<Self>, sale_id: i64) {
        let new = self
            .tracked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(sale_id);
        if new && !*self.stop.borrow() {
            tokio::spawn(self.clone().follow(sale_id));
        }
    }

    /// How many sales are being followed.
    pub fn followed(&self) -> usize {
        self.tracked.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    async fn follow(self: Arc<Self>, sale_id: i64) {
        let mut failures = 0u32;
        let mut stop = self.stop.subscribe();
        loop {
            if *stop.borrow() {
                break;
            }
            let sale = match self.till.ledger().sale(sale_id) {
                Ok(Some(s)) => s,
                Ok(None) => break,
                Err(e) => {
                    tracing::error!(sale_id, "the watcher cannot read the ledger: {e}");
                    break;
                }
            };
            let timeout = self.till.config().gateway_timeout;
            let Some(pause) = next_poll(&sale, Utc::now(), failures, timeout) else {
                break;
            };
            tokio::select! {
                _ = tokio::time::sleep(jitter(pause)) => {}
                _ = stop.changed() => break,
            }
            let fresh = match self.till.ledger().sale(sale_id) {
                Ok(Some(s)) => s,
                _ => break,
            };
            match self.till.poll(&fresh).await {
                Ok(_) => failures = 0,
                Err(e) => {
                    failures = failures.saturating_add(1);
                    tracing::warn!(
                        receipt = fresh.receipt_no,
                        failures,
                        "could not check the sale: {e}"
                    );
                }
            }
        }
        self.tracked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&sale_id);
    }
}

/// The sales of this till's terminal and book that still need watching.
fn watched(till: &Till) -> Result<Vec<Sale>, TillError> {
    let config = till.config();
    Ok(till
        .ledger()
        .watched_sales(Utc::now())?
        .into_iter()
        .filter(|s| s.training == config.training && s.terminal == config.terminal)
        .collect())
}

/// What one look at every open sale found.
#[derive(Debug, Default)]
pub struct Checked {
    /// The sales as they are now.
    pub sales: Vec<Sale>,
    /// The sales that could not be checked, and why (each left as it was).
    pub failures: Vec<(Sale, TillError)>,
}

/// Looks once at every open sale of this till's book (after waiting, boundedly, for any create
/// that may still be in flight), going on past a sale that cannot be checked: `till watch
/// --once`.
pub async fn check_all_once(till: &Till) -> Result<Checked, TillError> {
    let mut out = Checked::default();
    for sale in watched(till)? {
        let now = Utc::now();
        if matches!(sale.state, SaleState::Creating | SaleState::Uncertain)
            && till.create_may_be_in_flight(sale.created_at, now)
        {
            let settled = sale.created_at + chrono_duration(till.settle_time());
            tokio::time::sleep(until(settled, now) + Duration::from_millis(50)).await;
        }
        match till.poll(&sale).await {
            Ok(now) => out.sales.push(now),
            Err(e) => {
                tracing::warn!(receipt = %sale.label(), "could not check the sale: {e}");
                let now = till.ledger().sale(sale.id)?.unwrap_or(sale);
                out.failures.push((now, e));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(state: SaleState, now: DateTime<Utc>) -> Sale {
        Sale {
            id: 1,
            terminal: "t".into(),
            receipt_no: 1,
            created_at: now,
            amount_minor: 100,
            currency: "USD".into(),
            memo: String::new(),
            cashier: String::new(),
            training: false,
            state,
            underpaid: false,
            partial: false,
            order_id: Some("1".into()),
            btc_amount: None,
            amount_msat: None,
            rate: None,
            payment_request: None,
            payment_hash: None,
            pay_url: None,
            order_created_at: Some(now),
            order_expires_at: Some(now + chrono::Duration::minutes(30)),
            invoice_expires_at: Some(now + chrono::Duration::hours(24)),
            paid_at: None,
            error: None,
            replaces: None,
            updated_at: now,
            reference: None,
            attention: None,
            bill: None,
            cash: None,
            approved_by: None,
            shift_id: None,
        }
    }

    const T: Duration = Duration::from_secs(20);

    #[test]
    fn paying_customers_are_polled_every_second() {
        let t0 = Utc::now();
        let s = sale(SaleState::AwaitingPayment, t0);
        assert_eq!(next_poll(&s, t0, 0, T), Some(secs(1)));
        assert_eq!(
            next_poll(&s, t0 + chrono::Duration::minutes(29), 0, T),
            Some(secs(1))
        );
        assert_eq!(
            next_poll(&s, t0 + chrono::Duration::minutes(31), 0, T),
            Some(secs(5)),
            "slower once the order's time is up"
        );
        assert_eq!(next_poll(&s, t0, 3, T), Some(secs(8)), "errors back off");
        assert_eq!(next_poll(&s, t0, 30, T), Some(secs(64)));
    }

    #[test]
    fn timed_out_sales_are_watched_with_backoff_until_the_invoice_expires() {
        let t0 = Utc::now();
        let s = sale(SaleState::TimedOut, t0);
        assert_eq!(next_poll(&s, t0, 0, T), Some(secs(5)));
        assert_eq!(
            next_poll(&s, t0 + chrono::Duration::minutes(5), 0, T),
            Some(secs(15))
        );
        assert_eq!(
            next_poll(&s, t0 + chrono::Duration::minutes(30), 0, T),
            Some(secs(60))
        );
        assert_eq!(
            next_poll(&s, t0 + chrono::Duration::hours(2), 0, T),
            Some(MAX_INTERVAL)
        );
        let near_end = t0 + chrono::Duration::hours(24) - chrono::Duration::seconds(20);
        assert_eq!(
            next_poll(&s, near_end, 0, T),
            Some(secs(20)),
            "one last look at expiry"
        );
        assert_eq!(next_poll(&s, t0 + chrono::Duration::hours(24), 0, T), None);
        let c = sale(SaleState::Cancelled, t0);
        assert_eq!(next_poll(&c, t0, 0, T), Some(secs(5)));
    }

    #[test]
    fn creates_are_left_alone_while_they_may_be_in_flight() {
        let t0 = Utc::now();
        let s = sale(SaleState::Creating, t0);
        assert_eq!(next_poll(&s, t0, 0, T), Some(secs(20)));
        assert_eq!(
            next_poll(&s, t0 + chrono::Duration::seconds(30), 0, T),
            Some(secs(5))
        );
        assert_eq!(next_poll(&s, t0 + chrono::Duration::hours(25), 0, T), None);
        let mut u = sale(SaleState::Uncertain, t0);
        assert_eq!(
            next_poll(&u, t0 + chrono::Duration::minutes(10), 0, T),
            Some(secs(60)),
            "reconciling reads the whole list: seldom after the first minutes"
        );
        u.attention = Some("check the dashboard".into());
        assert_eq!(
            next_poll(&u, t0 + chrono::Duration::seconds(30), 0, T),
            Some(MAX_INTERVAL)
        );
    }

    #[test]
    fn a_sale_the_gateway_said_something_impossible_about_is_asked_seldom_and_then_left() {
        let t0 = Utc::now();
        let mut s = sale(SaleState::AwaitingPayment, t0);
        s.attention = Some("REFUNDED".into());
        assert_eq!(next_poll(&s, t0, 0, T), Some(MAX_INTERVAL));
        assert_eq!(next_poll(&s, t0 + chrono::Duration::hours(25), 0, T), None);
    }

    #[test]
    fn final_sales_are_not_watched() {
        let t0 = Utc::now();
        for st in [SaleState::Paid, SaleState::PaidLate, SaleState::Failed] {
            assert_eq!(next_poll(&sale(st, t0), t0, 0, T), None);
        }
    }

    #[test]
    fn jitter_stays_within_ten_percent() {
        for _ in 0..1000 {
            let j = jitter(secs(10));
            assert!(
                j >= Duration::from_millis(9000) && j <= Duration::from_millis(11000),
                "{j:?}"
            );
        }
    }
}
