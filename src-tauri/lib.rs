//! The desktop shell: builds the Tauri app around `till-core` and exposes it to the web view.
//!
//! The shell is deliberately thin. A command pulls state, calls one core function and converts
//! the error; anything worth testing without a window lives in the crates.

mod commands;
mod error;
mod events;
mod logging;
mod state;
mod views;
mod windows;

pub use commands::{AppInfo, Readiness};
pub use error::{ErrorCode, IpcError};
pub use events::SALE_UPDATED;
pub use state::{start as start_core, Core, Shell};
pub use views::{SaleDetail, SaleUpdated, SaleView, TimelineEntry};

use tauri::{Builder, Manager, Runtime};

/// Adds the till's state, commands and event forwarding to a builder. `run` calls it with the
/// real runtime; the tests call it with `tauri::test::mock_builder()` and go through the real
/// IPC path.
pub fn builder<R: Runtime>(builder: Builder<R>, shell: Shell) -> Builder<R> {
    builder
        .manage(shell)
        .setup(|app| {
            let handle = app.handle().clone();
            events::forward(&handle, &app.state::<Shell>());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::charge,
            commands::requote,
            commands::cancel_sale,
            commands::check_sale,
            commands::simulate_payment,
            commands::sales_today,
            commands::sale_detail,
            commands::invoice_qr,
            commands::pending_alerts,
            commands::acknowledge_alert,
            commands::open_customer_display,
            commands::current_sale,
            commands::gateway_ready,
            commands::save_receipt,
        ])
}

/// Starts the desktop app.
pub fn run() {
    let _log = till_core::Environment::from_process()
        .ok()
        .and_then(|env| logging::start(&env.data_dir));
    tracing::info!(version = till_core::VERSION, "Till starting");
    let shell = tauri::async_runtime::block_on(Shell::start());
    if let Err(e) = builder(Builder::default(), shell).run(tauri::generate_context!()) {
        eprintln!("Till could not start its window: {e}");
        std::process::exit(1);
    }
}
