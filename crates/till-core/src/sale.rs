//! The life of a sale as a pure transition function: the state a sale is in, the events that can
//! happen to it, and which event may move which state. Nothing here does I/O; the ledger stores
//! the result and the watcher feeds the gateway's answers in.
//!
//! ```text
//! Creating -> AwaitingPayment -> Paid
//!    |              |---------> TimedOut  -> PaidLate
//!    |              '---------> Cancelled -> PaidLate
//!    '-> Failed    (gateway refused, or the invoice failed its checks)
//!    '-> Uncertain (the create call's answer was lost) -> AwaitingPayment | Failed
//! ```
//!
//! `Void` ends a sale no money can reach any more: one whose create answer was lost and whose
//! order a manager found not to exist, one the gateway said something impossible about, or a
//! demo sale whose demo gateway is gone.

use std::fmt;

use aurpay::OrderStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a sale is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum SaleState {
    /// Written to the ledger; the gateway has not answered yet.
    Creating,
    /// The customer has an invoice to pay.
    AwaitingPayment,
    /// Paid in time.
    Paid,
    /// The gateway marked the order overdue; still watched until the invoice expires.
    TimedOut,
    /// Paid after it timed out or was cancelled.
    PaidLate,
    /// The cashier cancelled it; still watched until the invoice expires.
    Cancelled,
    /// The gateway refused it, or its invoice failed the checks. No money can arrive.
    Failed,
    /// The create call's answer was lost: an order may or may not exist.
    Uncertain,
}

impl SaleState {
    /// Every state.
    pub const ALL: [SaleState; 8] = [
        Self::Creating,
        Self::AwaitingPayment,
        Self::Paid,
        Self::TimedOut,
        Self::PaidLate,
        Self::Cancelled,
        Self::Failed,
        Self::Uncertain,
    ];

    /// The name used in the ledger, exports and `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Creating => "creating",
            Self::AwaitingPayment => "awaiting_payment",
            Self::Paid => "paid",
            Self::TimedOut => "timed_out",
            Self::PaidLate => "paid_late",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
            Self::Uncertain => "uncertain",
        }
    }

    /// Reads a name written by [`SaleState::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// No event can move it any more (money either arrived or cannot).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Paid | Self::PaidLate | Self::Failed)
    }

    /// The customer's money arrived.
    pub fn is_paid(self) -> bool {
        matches!(self, Self::Paid | Self::PaidLate)
    }

    /// The watcher should keep asking the gateway about it.
    pub fn is_watched(self) -> bool {
        matches!(
            self,
            Self::Creating
                | Self::AwaitingPayment
                | Self::TimedOut
                | Self::Cancelled
                | Self::Uncertain
        )
    }
}

impl fmt::Display for SaleState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that happened to a sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaleEvent {
    /// The gateway created the order and its invoice passed the checks.
    OrderCreated,
    /// The gateway refused the order, or its invoice failed the checks.
    CreateFailed,
    /// The create call ended without a readable answer; an order may exist.
    CreateOutcomeUnknown,
    /// Reconciliation found the order this sale created.
    Reconciled,
    /// Reconciliation proved no order exists for this sale.
    NoOrderFound,
    /// The gateway reported a status.
    Gateway(OrderStatus),
    /// The cashier cancelled.
    Cancel,
    /// No money can arrive for it any more (see the module's doc).
    Void,
}

/// A transition's result: the new state, and what the cashier must be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The state after the event (may equal the one before).
    pub state: SaleState,
    /// Paid, but the gateway says underpaid and accepted (`RESOLVED`).
    pub underpaid: bool,
    /// Part of the amount arrived (`PARTIAL`); still waiting for the rest.
    pub partial: bool,
    /// When this event made the sale paid: the time passed in, only on the edge into a paid
    /// state (repeating news of a payment does not move it).
    pub paid_at: Option<DateTime<Utc>>,
}

/// An event that may not happen in a state. The sale is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a sale that is {from} cannot take {event}")]
pub struct Forbidden {
    /// The state.
    pub from: SaleState,
    /// The event, described.
    pub event: String,
}

fn same(state: SaleState) -> Outcome {
    Outcome {
        state,
        underpaid: false,
        partial: false,
        paid_at: None,
    }
}

/// The transition function: the state after `event` happens to a sale in `from` at `now`.
/// `Ok` with an unchanged state means "nothing new" (a poll that repeats what is known); `Err`
/// means the event makes no sense for the state and must not be applied.
pub fn transition(
    from: SaleState,
    event: &SaleEvent,
    now: DateTime<Utc>,
) -> Result<Outcome, Forbidden> {
    let mut out = next(from, event)?;
    if out.state.is_paid() && !from.is_paid() {
        out.paid_at = Some(now);
    }
    Ok(out)
}

fn next(from: SaleState, event: &SaleEvent) -> Result<Outcome, Forbidden> {
    use OrderStatus as G;
    use SaleEvent as E;
    use SaleState as S;
    let to = |state| Ok(same(state));
    match (from, event) {
        (S::Creating, E::OrderCreated) => to(S::AwaitingPayment),
        (S::Creating, E::CreateFailed) => to(S::Failed),
        (S::Creating, E::CreateOutcomeUnknown) => to(S::Uncertain),
        (S::Uncertain, E::Reconciled) => to(S::AwaitingPayment),
        (S::Uncertain, E::NoOrderFound) => to(S::Failed),
        (S::Creating | S::Uncertain | S::AwaitingPayment, E::Void) => to(S::Failed),

        (S::AwaitingPayment, E::Gateway(g)) => match g {
            G::Success => to(S::Paid),
            G::Resolved => Ok(Outcome {
                underpaid: true,
                ..same(S::Paid)
            }),
            G::Partial => Ok(Outcome {
                partial: true,
                ..same(S::AwaitingPayment)
            }),
            G::Overdue => to(S::TimedOut),
            G::Terminated => to(S::Failed),
            G::Pending | G::Other(_) => to(S::AwaitingPayment),
            G::Refunded => Err(forbidden(from, event)),
        },
        (S::AwaitingPayment, E::Cancel) => to(S::Cancelled),

        (S::TimedOut | S::Cancelled, E::Gateway(g)) => match g {
            G::Success => to(S::PaidLate),
            G::Resolved => Ok(Outcome {
                underpaid: true,
                ..same(S::PaidLate)
            }),
            G::Partial => Ok(Outcome {
                partial: true,
                ..same(from)
            }),
            G::Pending | G::Overdue | G::Terminated | G::Other(_) => to(from),
            G::Refunded => Err(forbidden(from, event)),
        },
        // Cancelling twice is harmless.
        (S::Cancelled, E::Cancel) => to(S::Cancelled),

        // Paid sales hear the same news again while the watcher winds down.
        (S::Paid, E::Gateway(G::Success)) => to(S::Paid),
        (S::Paid, E::Gateway(G::Resolved)) => Ok(Outcome {
            underpaid: true,
            ..same(S::Paid)
        }),
        (S::PaidLate, E::Gateway(G::Success | G::Resolved)) => to(S::PaidLate),

        _ => Err(forbidden(from, event)),
    }
}

fn forbidden(from: SaleState, event: &SaleEvent) -> Forbidden {
    let event = match event {
        SaleEvent::Gateway(g) => format!("the gateway status {g}"),
        other => format!("{other:?}"),
    };
    Forbidden { from, event }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as G;
    use SaleEvent as E;
    use SaleState as S;

    fn events() -> Vec<SaleEvent> {
        let mut v = vec![
            E::OrderCreated,
            E::CreateFailed,
            E::CreateOutcomeUnknown,
            E::Reconciled,
            E::NoOrderFound,
            E::Cancel,
            E::Void,
        ];
        for g in [
            G::Pending,
            G::Success,
            G::Resolved,
            G::Partial,
            G::Overdue,
            G::Terminated,
            G::Refunded,
            G::Other("X".into()),
        ] {
            v.push(E::Gateway(g));
        }
        v
    }

    /// Every (state, event) pair, with the expected new state or None for forbidden.
    fn expected(from: S, e: &SaleEvent) -> Option<S> {
        Some(match (from, e) {
            (S::Creating, E::OrderCreated) => S::AwaitingPayment,
            (S::Creating, E::CreateFailed) => S::Failed,
            (S::Creating, E::CreateOutcomeUnknown) => S::Uncertain,
            (S::Uncertain, E::Reconciled) => S::AwaitingPayment,
            (S::Uncertain, E::NoOrderFound) => S::Failed,
            (S::Creating | S::Uncertain | S::AwaitingPayment, E::Void) => S::Failed,
            (S::AwaitingPayment, E::Gateway(G::Success | G::Resolved)) => S::Paid,
            (S::AwaitingPayment, E::Gateway(G::Partial | G::Pending | G::Other(_))) => {
                S::AwaitingPayment
            }
            (S::AwaitingPayment, E::Gateway(G::Overdue)) => S::TimedOut,
            (S::AwaitingPayment, E::Gateway(G::Terminated)) => S::Failed,
            (S::AwaitingPayment, E::Cancel) => S::Cancelled,
            (S::TimedOut | S::Cancelled, E::Gateway(G::Success | G::Resolved)) => S::PaidLate,
            (
                S::TimedOut | S::Cancelled,
                E::Gateway(G::Partial | G::Pending | G::Overdue | G::Terminated | G::Other(_)),
            ) => from,
            (S::Cancelled, E::Cancel) => S::Cancelled,
            (S::Paid, E::Gateway(G::Success | G::Resolved)) => S::Paid,
            (S::PaidLate, E::Gateway(G::Success | G::Resolved)) => S::PaidLate,
            _ => return None,
        })
    }

    #[test]
    fn every_edge_allowed_and_forbidden() {
        let mut allowed = 0;
        let mut refused = 0;
        for from in S::ALL {
            for e in events() {
                match (transition(from, &e, Utc::now()), expected(from, &e)) {
                    (Ok(out), Some(to)) => {
                        assert_eq!(out.state, to, "{from} + {e:?}");
                        allowed += 1;
                    }
                    (Err(f), None) => {
                        assert_eq!(f.from, from);
                        refused += 1;
                    }
                    (got, want) => panic!("{from} + {e:?}: got {got:?}, expected {want:?}"),
                }
            }
        }
        // 8 states x 15 events.
        assert_eq!(allowed + refused, 120);
        assert_eq!(allowed, 35);
    }

    #[test]
    fn flags_say_underpaid_and_partial() {
        let r = transition(S::AwaitingPayment, &E::Gateway(G::Resolved), Utc::now()).unwrap();
        assert!(r.underpaid && !r.partial);
        let p = transition(S::AwaitingPayment, &E::Gateway(G::Partial), Utc::now()).unwrap();
        assert!(p.partial && !p.underpaid);
        let late = transition(S::TimedOut, &E::Gateway(G::Resolved), Utc::now()).unwrap();
        assert_eq!((late.state, late.underpaid), (S::PaidLate, true));
    }

    #[test]
    fn the_time_passed_in_stamps_the_payment_once() {
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 24, 9, 0, 0).unwrap();
        assert_eq!(
            transition(S::AwaitingPayment, &E::Gateway(G::Success), t)
                .unwrap()
                .paid_at,
            Some(t)
        );
        assert_eq!(
            transition(S::Cancelled, &E::Gateway(G::Success), t)
                .unwrap()
                .paid_at,
            Some(t)
        );
        assert_eq!(
            transition(S::Paid, &E::Gateway(G::Success), t)
                .unwrap()
                .paid_at,
            None,
            "news of an old payment"
        );
        assert_eq!(
            transition(S::AwaitingPayment, &E::Gateway(G::Pending), t)
                .unwrap()
                .paid_at,
            None
        );
    }

    #[test]
    fn final_states_take_no_new_news() {
        for from in [S::Paid, S::PaidLate, S::Failed] {
            assert!(from.is_final() && !from.is_watched());
            assert!(transition(from, &E::Cancel, Utc::now()).is_err());
            assert!(transition(from, &E::Gateway(G::Overdue), Utc::now()).is_err());
        }
        assert_eq!(
            transition(S::Paid, &E::Cancel, Utc::now())
                .unwrap_err()
                .to_string(),
            "a sale that is paid cannot take Cancel"
        );
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }
}
