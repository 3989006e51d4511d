//! Sale changes pushed to every window as `sale-updated` events: the UI never polls.

use tauri::{AppHandle, Emitter, Runtime};

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
