//! Tap to pay: the card reader armed for one sale. It waits for a card, reads its link and hands
//! the sale's invoice to the card's service (`Till::pay_from_link`). A card that is refused (or
//! lifted too soon, or no Bolt Card) is named and the reader arms itself again for another tap;
//! it stops once a service took the invoice, when the sale is no longer waiting, when it is
//! stopped, or when no reader can be used. Whether the sale is paid is the gateway's to say.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use till_nfc::{NfcError, Reader};

use crate::{sale::SaleState, till::Till};

/// How long one arming waits for a card before it looks at the sale again.
pub const ARMED_FOR: Duration = Duration::from_secs(20);
/// How long a card may stay on the reader after it was read before the reader re-arms anyway.
pub const LIFT_WAIT: Duration = Duration::from_secs(10);

/// What the reader is doing, for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TapState {
    /// Waiting for a card.
    Armed,
    /// A card was read; its service is being asked.
    Reading,
    /// The card's service took the invoice: the payment is on its way (the reader stops).
    Sent,
    /// This card did not pay, in plain words; the reader is armed again for another tap.
    Refused(String),
    /// No reader can be used (none plugged in, unplugged, no PC/SC service), in plain words.
    Unavailable(String),
    /// The reader stopped (the sale ended, or the cashier stopped it).
    Stopped,
}

/// Runs the reader for `sale_id` until it stops, telling `tell` each change.
pub async fn run_reader(
    till: Arc<Till>,
    sale_id: i64,
    stop: Arc<AtomicBool>,
    tell: impl Fn(TapState) + Send + Sync,
) {
    // The sale ending (paid, cancelled, timed out) stops the reader at once, even mid-wait.
    let mut updates = till.subscribe();
    let ended = stop.clone();
    let watch = tokio::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(u) if u.sale.id == sale_id && u.sale.state != SaleState::AwaitingPayment => {
                    ended.store(true, Ordering::Relaxed);
                    return;
                }
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    read_until_stopped(&till, sale_id, &stop, &tell).await;
    watch.abort();
}

async fn read_until_stopped(
    till: &Arc<Till>,
    sale_id: i64,
    stop: &Arc<AtomicBool>,
    tell: &(impl Fn(TapState) + Send + Sync),
) {
    let waiting = |till: &Till| {
        matches!(
            till.ledger().sale(sale_id),
            Ok(Some(s)) if s.state == SaleState::AwaitingPayment
        )
    };
    loop {
        if stop.load(Ordering::Relaxed) || !waiting(till) {
            tell(TapState::Stopped);
            return;
        }
        tell(TapState::Armed);
        let flag = stop.clone();
        let read = tokio::task::spawn_blocking(move || {
            Reader::open().map(|reader| {
                let tap = reader.wait_for_tap(ARMED_FOR, &flag);
                (reader, tap)
            })
        })
        .await
        .unwrap_or_else(|e| Err(NfcError::Reader(e.to_string())));
        match read {
            Ok((reader, Ok(tap))) => {
                tell(TapState::Reading);
                match till.pay_from_link(sale_id, &tap.uri).await {
                    Ok(()) => {
                        // The payment is on its way: no second card is asked for. The reader
                        // stops; the sale turns paid when the gateway says so.
                        tell(TapState::Sent);
                        return;
                    }
                    Err(e) => tell(TapState::Refused(e.to_string())),
                }
                // One tap is read once: wait for the card to leave before arming again.
                let flag = stop.clone();
                let _ = tokio::task::spawn_blocking(move || {
                    reader.wait_removed(&tap.reader, LIFT_WAIT, &flag)
                })
                .await;
            }
            Ok((_, Err(NfcError::NoTap))) => {}
            Ok((_, Err(NfcError::Stopped))) => {
                tell(TapState::Stopped);
                return;
            }
            Ok((reader, Err(e @ (NfcError::CardRemoved | NfcError::NotBoltCard(_))))) => {
                tell(TapState::Refused(e.to_string()));
                // A card that is not a Bolt Card is refused once, not read again while it lies
                // on the reader.
                let flag = stop.clone();
                let _ =
                    tokio::task::spawn_blocking(move || reader.wait_all_empty(LIFT_WAIT, &flag))
                        .await;
            }
            Ok((_, Err(e))) | Err(e) => {
                tell(TapState::Unavailable(e.to_string()));
                return;
            }
        }
    }
}
