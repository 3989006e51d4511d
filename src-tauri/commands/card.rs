//! Tap to pay: a Bolt Card on the reader, or an LNURL-withdraw link pasted or scanned. The
//! reader's loop and the link's rules live in `till_core::nfc` and `till_core::till::tap`.

use std::sync::{atomic::AtomicBool, Arc};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use till_core::{nfc::TapState, people::Action};
use ts_rs::TS;

use crate::{events, IpcError, Shell};

/// What the card reader is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CardState {
    /// Waiting for a card: "Hold the card on the reader".
    Armed,
    /// A card was read and its service is being asked.
    Reading,
    /// The card's service took the invoice: the payment is on its way.
    Sent,
    /// That card did not pay (`message` says why); the reader is armed for another tap.
    Refused,
    /// No reader can be used (`message` says why).
    Unavailable,
    /// The reader is off.
    Stopped,
}

/// The card reader's state for a sale, sent as `card-tap`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CardTap {
    /// The sale the reader is armed for.
    #[ts(type = "number")]
    pub receipt_no: i64,
    /// What it is doing.
    pub state: CardState,
    /// Why, in plain words, when it refused or cannot be used.
    pub message: Option<String>,
}

impl CardTap {
    fn new(receipt_no: i64, state: TapState) -> Self {
        let (state, message) = match state {
            TapState::Armed => (CardState::Armed, None),
            TapState::Reading => (CardState::Reading, None),
            TapState::Sent => (CardState::Sent, None),
            TapState::Refused(m) => (CardState::Refused, Some(m)),
            TapState::Unavailable(m) => (CardState::Unavailable, Some(m)),
            TapState::Stopped => (CardState::Stopped, None),
        };
        Self {
            receipt_no,
            state,
            message,
        }
    }
}

/// Arms the card reader for a sale waiting for payment ("Tap card"); a reader armed for another
/// sale stops first. Its progress arrives as `card-tap` events.
#[tauri::command]
pub fn tap_card<R: Runtime>(app: AppHandle<R>, receipt_no: i64) -> Result<(), IpcError> {
    let shell = app.state::<Shell>();
    let (core, _) = shell.allow(Action::Sell)?;
    let sale = core.till.sale(receipt_no)?;
    let stop = Arc::new(AtomicBool::new(false));
    shell.arm_card(stop.clone());
    let till = core.till.clone();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        till_core::nfc::run_reader(till, sale.id, stop, move |state| {
            if let Err(e) = events::CARD_TAP.emit(&handle, CardTap::new(receipt_no, state)) {
                tracing::warn!("could not tell the windows about the card reader: {e}");
            }
        })
        .await;
    });
    Ok(())
}

/// Stops the card reader (the sale ended, or the cashier turned it off).
#[tauri::command]
pub fn stop_card(shell: State<'_, Shell>) -> Result<(), IpcError> {
    shell.arm_card(Arc::new(AtomicBool::new(true)));
    Ok(())
}

/// Pays a sale from an LNURL-withdraw link pasted or scanned (a QR scanner types it). `Ok`
/// means the link's service took the invoice; the sale is paid when the gateway says so.
#[tauri::command]
pub async fn pay_by_link<R: Runtime>(
    app: AppHandle<R>,
    receipt_no: i64,
    link: String,
) -> Result<(), IpcError> {
    let shell = app.state::<Shell>();
    let (core, _) = shell.allow(Action::Sell)?;
    let sale = core.till.sale(receipt_no)?;
    core.till.pay_from_link(sale.id, &link).await?;
    Ok(())
}
