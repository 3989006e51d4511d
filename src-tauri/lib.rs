//! The desktop shell: builds the Tauri app around `till-core` and exposes it to the web view.
//!
//! The shell is deliberately thin. A command pulls state, calls one core function and converts
//! the error; anything worth testing without a window lives in the crates.

mod choice;
mod commands;
mod crash;
mod error;
mod events;
mod logging;
mod process;
mod state;
mod views;
mod windows;

pub use commands::{
    connection::CredentialStatus,
    day::ClosedDay,
    manager::LockState,
    payouts::{Balance, InvoicePreview, RefundMade, WithdrawalView},
    AppInfo,
};
pub use error::{ErrorCode, IpcError, INTERNAL};
pub use events::SALE_UPDATED;
pub use state::{start as start_core, Core, Shell};
pub use views::{
    CategoryView, ItemView, SaleDetail, SaleUpdated, SaleView, TimelineEntry, TipChoice, TipOffer,
};

use tauri::{Builder, Manager, Runtime};

/// Adds the till's state, commands and event forwarding to a builder. `run` calls it with the
/// real runtime; the tests call it with `tauri::test::mock_builder()` and go through the real
/// IPC path.
pub fn builder<R: Runtime>(builder: Builder<R>, shell: Shell) -> Builder<R> {
    builder
        .manage(shell)
        .manage(commands::shop::LastLink::default())
        .plugin(tauri_plugin_dialog::init())
        .on_page_load(|webview, page| {
            process::give_back_after_load(webview, page);
            windows::reopen_display_after_renewal(webview, page);
        })
        .setup(|app| {
            let handle = app.handle().clone();
            windows::lean_web_view(&handle);
            if let Some(main) = handle.get_webview_window(windows::MAIN) {
                crash::reload_when_its_process_ends(&main);
            }
            events::watch_idle(&handle);
            events::watch_printer(&handle);
            events::watch_shop(&handle);
            let shell = app.state::<Shell>();
            if let Ok(core) = shell.any_core() {
                events::forward(&handle, &core);
                let open_display = core
                    .till
                    .ledger()
                    .setting(till_core::settings::CUSTOMER_DISPLAY)
                    .ok()
                    .flatten()
                    .as_deref()
                    == Some("on");
                if open_display {
                    if let Err(e) = windows::open_customer_display(&handle) {
                        tracing::warn!("could not open the customer display: {e}");
                    }
                }
            }
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
            commands::close_customer_display,
            commands::current_sale,
            commands::renew_page,
            commands::gateway_ready,
            commands::save_receipt,
            commands::setup::currencies,
            commands::setup::finish_setup,
            commands::connection::credential_status,
            commands::connection::save_credentials,
            commands::connection::sign_in,
            commands::connection::test_connection,
            commands::connection::forget_credentials,
            commands::manager::lock_state,
            commands::manager::lock,
            commands::manager::activity,
            commands::manager::unlock,
            commands::manager::end_manager,
            commands::manager::change_pin,
            commands::manager::sound_on,
            commands::manager::get_settings,
            commands::manager::save_settings,
            commands::day::x_report,
            commands::day::close_day,
            commands::day::closed_days,
            commands::day::z_report,
            commands::day::export_sales,
            commands::day::choose_export_folder,
            commands::payouts::balance,
            commands::payouts::preview_invoice,
            commands::payouts::withdraw,
            commands::payouts::withdrawals,
            commands::payouts::refund,
            commands::payouts::refunds_of,
            commands::payouts::settle_sale,
            commands::selling::items,
            commands::selling::categories,
            commands::selling::cart,
            commands::selling::cart_change,
            commands::selling::ask_tip,
            commands::selling::choose_tip,
            commands::selling::current_tip,
            commands::selling::cancel_tip,
            commands::selling::charge_cart,
            commands::people::staff_list,
            commands::people::add_staff,
            commands::people::remove_staff,
            commands::people::drawer,
            commands::people::open_shift,
            commands::people::move_cash,
            commands::people::close_shift,
            commands::people::sell_for_cash,
            commands::people::cash_quote,
            commands::people::count_drawer,
            commands::manager::step_in,
            commands::selling::save_item,
            commands::selling::import_catalog,
            commands::selling::export_catalog,
            commands::printing::printer,
            commands::printing::print_receipt,
            commands::printing::print_report,
            commands::printing::retry_prints,
            commands::printing::printer_settings,
            commands::printing::save_printer,
            commands::printing::print_test_page,
            commands::card::tap_card,
            commands::card::stop_card,
            commands::card::pay_by_link,
            commands::shop::shop_link,
        ])
}

/// Starts the desktop app.
pub fn run() {
    let refused = process::prepare();
    // Kept until the window closes: the shell's tasks run on it.
    let runtime = match process::async_runtime() {
        Ok(runtime) => {
            tauri::async_runtime::set(runtime.handle().clone());
            Some(runtime)
        }
        Err(e) => {
            eprintln!("Till keeps Tauri's own async runtime ({e})");
            None
        }
    };
    // The data folder alone: a wrong setting elsewhere is shown on the setup screen, and logged.
    let _log = till_core::Environment::data_dir_from_process().and_then(|dir| logging::start(&dir));
    tracing::info!(version = till_core::VERSION, "Till starting");
    if let Some(refused) = refused {
        tracing::warn!("{refused}");
    }
    let shell = tauri::async_runtime::block_on(Shell::start());
    if let Err(e) = builder(Builder::default(), shell).run(tauri::generate_context!()) {
        eprintln!("Till could not start its window: {e}");
        std::process::exit(1);
    }
    drop(runtime);
}
