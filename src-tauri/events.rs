//! What Rust tells every window, as events: sale changes and the idle lock. The UI never polls.
//!
//! Each event is a constant naming it and the payload it carries; `tests/bindings.rs` reads
//! these constants and generates `ui/src/lib/bindings/events.ts` from them, so the web view
//! listens for the same names with the same payload types.

use std::marker::PhantomData;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use till_core::cart::CartView;

use crate::{
    views::{SaleUpdated, TipOffer},
    Core,
};

/// An event's name and the type of what it carries.
#[derive(Debug)]
pub struct Event<T> {
    name: &'static str,
    payload: PhantomData<fn(T)>,
}

impl<T: Serialize + Clone> Event<T> {
    const fn new(name: &'static str) -> Self {
        Self {
            name,
            payload: PhantomData,
        }
    }

    /// Its name, as the web view listens for it.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Sends it to every window.
    pub fn emit<R: Runtime>(&self, app: &AppHandle<R>, payload: T) -> tauri::Result<()> {
        app.emit(self.name, payload)
    }
}

/// A sale changed.
pub const SALE_UPDATED: Event<SaleUpdated> = Event::new("sale-updated");

/// The cashier pressed Charge on a cart and tips are on: the customer display offers these
/// (nothing: the cashier went back to the cart, leave the tip screen).
pub const TIP_ASKED: Event<Option<TipOffer>> = Event::new("tip-asked");

/// A tip was chosen (on either screen): the cart as it now is, tip included.
pub const TIP_CHOSEN: Event<CartView> = Event::new("tip-chosen");

/// The idle lock locked the till from Rust.
pub const LOCK_CHANGED: Event<()> = Event::new("lock-changed");

/// Forwards a core's updates to the windows until that core is replaced and dropped.
pub fn forward<R: Runtime>(app: &AppHandle<R>, core: &Core) {
    let mut updates = core.till.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(update) => {
                    if let Err(e) = SALE_UPDATED.emit(&app, SaleUpdated::from(&update)) {
                        tracing::warn!(
                            "could not tell the windows about receipt {}: {e}",
                            update.sale.receipt_no
                        );
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(
                        "{n} sale updates were dropped; the windows will refresh on the next one"
                    );
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// How often the idle lock is checked.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// Checks the idle lock every few seconds and tells the windows when it locked the till, so the
/// lock screen shows even when nobody touches anything.
pub fn watch_idle<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(IDLE_CHECK);
        loop {
            tick.tick().await;
            let shell = app.state::<crate::Shell>();
            if shell.lock_if_idle(std::time::Instant::now()) {
                if let Err(e) = LOCK_CHANGED.emit(&app, ()) {
                    tracing::warn!("could not tell the windows the till locked: {e}");
                }
            }
        }
    });
}
