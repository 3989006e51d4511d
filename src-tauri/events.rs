//! What Rust tells every window, as events: sale changes (`sale-updated`) and the idle lock
//! (`lock-changed`). The UI never polls.

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::{views::SaleUpdated, Core};

/// The event's name.
pub const SALE_UPDATED: &str = "sale-updated";

/// Forwards a core's updates to the windows until that core is replaced and dropped.
pub fn forward<R: Runtime>(app: &AppHandle<R>, core: &Core) {
    let mut updates = core.till.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(update) => {
                    if let Err(e) = app.emit(SALE_UPDATED, SaleUpdated::from(&update)) {
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

/// Tells the windows the lock changed (the idle lock locked the till from Rust).
pub const LOCK_CHANGED: &str = "lock-changed";

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
                if let Err(e) = app.emit(LOCK_CHANGED, ()) {
                    tracing::warn!("could not tell the windows the till locked: {e}");
                }
            }
        }
    });
}
