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
    commands::{
        card::CardTap,
        printing::PrinterView,
        shop::{LastLink, ShopLink},
    },
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

/// The card reader armed for a sale changed: armed, reading, sent, refused, unavailable, stopped.
pub const CARD_TAP: Event<CardTap> = Event::new("card-tap");

/// The printer's state or its queue changed (the readiness light).
pub const PRINTER_CHANGED: Event<PrinterView> = Event::new("printer-changed");

/// The shop link's state changed: entries sent, the server lost or found, an alarm (the shop
/// light).
pub const SHOP_CHANGED: Event<ShopLink> = Event::new("shop-changed");

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
                    print_when_paid(&app, &update);
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

/// Queues a just-paid sale's receipt when it prints by itself (see
/// `till_core::printing::enqueue_when_paid`) and prints it off the async runtime.
fn print_when_paid<R: Runtime>(app: &AppHandle<R>, update: &till_core::till::SaleUpdate) {
    // Locked or not: a sale paid while nobody is at the till still prints.
    let Ok(core) = app.state::<crate::Shell>().any_core() else {
        return;
    };
    let queued = till_core::printing::enqueue_when_paid(&mut core.till.ledger(), update);
    match queued {
        Ok(true) => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                print_queue(&core).await;
                crate::commands::printing::tell_printer(&app).await;
            });
        }
        Ok(false) => {}
        Err(e) => tracing::warn!(
            "receipt {} could not be queued for printing: {e}",
            update.sale.label()
        ),
    }
}

/// How often the printer is asked for its state and the print queue tried again.
const PRINTER_CHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// Every half minute: the waiting print jobs tried again (a printer switched back on prints what
/// waited, in order) and the printer's state sent to the windows.
pub fn watch_printer<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(PRINTER_CHECK);
        loop {
            tick.tick().await;
            let Ok(core) = app.state::<crate::Shell>().any_core() else {
                continue;
            };
            let waiting = core
                .till
                .ledger()
                .waiting_print_jobs()
                .map(|j| !j.is_empty())
                .unwrap_or(false);
            if waiting {
                print_queue(&core).await;
            }
            crate::commands::printing::tell_printer(&app).await;
        }
    });
}

/// Prints what waits in the queue, off the async runtime (a printer may take seconds to fail).
async fn print_queue(core: &Core) {
    let till = core.till.clone();
    let run =
        tauri::async_runtime::spawn_blocking(move || till_core::printing::print_waiting_in(&*till))
            .await;
    if let Ok(Err(e)) = run {
        tracing::warn!("the print queue could not run: {e}");
    }
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

/// How often the till sends the shop what its journal holds beyond the last confirmed entry.
const SHOP_SYNC: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a round waits for the shop's server before calling it unreachable.
const SHOP_ANSWER: std::time::Duration = std::time::Duration::from_secs(30);

/// Every ten seconds, a round of the shop link (`till_shop::link::round`: its own handle on
/// the ledger, so a silent server never holds a sale up), and the light's state sent to the
/// windows when it changed. A till that has not joined a shop finds no login and does nothing
/// more.
pub fn watch_shop<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(SHOP_SYNC);
        loop {
            tick.tick().await;
            let shell = app.state::<crate::Shell>();
            let Ok(env) = shell.env() else { continue };
            let state = till_shop::link::round(&env.data_dir, &*shell.secrets, SHOP_ANSWER).await;
            let link = ShopLink::from(state);
            let last = app.state::<LastLink>();
            let changed = match last.0.lock() {
                Ok(mut l) if *l != link => {
                    *l = link.clone();
                    true
                }
                _ => false,
            };
            if changed {
                if let Err(e) = SHOP_CHANGED.emit(&app, link) {
                    tracing::warn!("could not tell the windows about the shop link: {e}");
                }
            }
        }
    });
}
