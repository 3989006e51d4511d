//! Sale changes pushed to every window as `sale-updated` events: the UI never polls.

use tauri::{AppHandle, Emitter, Runtime};

use crate::{views::SaleUpdated, Shell};

/// The event's name.
pub const SALE_UPDATED: &str = "sale-updated";

/// Forwards the till's updates to the windows for as long as the app runs.
pub fn forward<R: Runtime>(app: &AppHandle<R>, shell: &Shell) {
    let Ok(core) = shell.core() else { return };
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
