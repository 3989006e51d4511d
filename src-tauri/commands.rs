//! The commands the web view may call. Each is listed in `build.rs`, which is what grants it,
//! and each pulls state, calls one core function and converts the error. The cashier's commands
//! are here; the owner's are in the submodules. A locked till refuses them all except what the
//! lock screen and the customer display need.

pub mod card;
pub mod connection;
pub mod day;
pub mod manager;
pub mod payouts;
pub mod people;
pub mod printing;
pub mod selling;
pub mod setup;
pub mod shop;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use till_core::{connect::Readiness, settings};
use ts_rs::TS;

use crate::{
    views::{SaleDetail, SaleView, TimelineEntry},
    windows, ErrorCode, IpcError, Shell,
};

/// What the window shows about the till itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The till's version.
    pub version: String,
    /// True when no gateway credentials are configured: sales are training records.
    pub demo: bool,
    /// Where the ledger, settings and logs live.
    pub data_dir: String,
    /// The network invoices must be on (`bitcoin`, `testnet`, `signet`, `regtest`).
    pub network: String,
    /// The shop's name.
    pub shop_name: String,
    /// The keypad's currency (ISO 4217).
    pub currency: String,
    /// Digits after the point in that currency.
    pub currency_exponent: u32,
    /// This terminal's name.
    pub terminal: String,
    /// The first-run setup has not been done yet.
    pub setup_needed: bool,
    /// The paid chime plays.
    pub sound: bool,
    /// Why the system keychain cannot be used, when it cannot (the till runs in demo mode).
    pub keychain_problem: Option<String>,
    /// The shop's tax number, for receipts (empty: none).
    pub tax_number: String,
    /// The shop's language: as saved, else the system's (so the screen, the receipts and the
    /// settings agree before the first run saves one).
    pub language: String,
    /// The customer display's language; empty: the shop's.
    pub customer_language: String,
}

/// The till's version, mode, shop and data folder.
#[tauri::command]
pub fn app_info(shell: State<'_, Shell>) -> Result<AppInfo, IpcError> {
    let env = shell.env()?;
    let core = shell.any_core()?;
    let config = core.till.config();
    let ledger = core.till.ledger();
    Ok(AppInfo {
        version: till_core::VERSION.to_owned(),
        demo: core.is_demo(),
        data_dir: env.data_dir.display().to_string(),
        network: config.network.to_string(),
        shop_name: core.shop_name.clone(),
        currency: core.currency.clone(),
        currency_exponent: till_core::money::Currency::from_code(&core.currency)
            .map_or(2, |c| c.exponent()),
        terminal: config.terminal.clone(),
        setup_needed: !settings::setup_done(&ledger)?,
        sound: settings::flag(&ledger, settings::SOUND, true),
        keychain_problem: core.keychain_problem.clone(),
        tax_number: ledger
            .setting(settings::selling::TAX_NUMBER)?
            .unwrap_or_default(),
        language: settings::language(&ledger).tag().to_owned(),
        customer_language: ledger
            .setting(settings::CUSTOMER_LANGUAGE)?
            .and_then(|t| till_core::words::Lang::closest(&t))
            .map(|l| l.tag().to_owned())
            .unwrap_or_default(),
    })
}

/// Rings up a sale in the shop's currency and starts watching it.
#[tauri::command]
pub async fn charge(
    shell: State<'_, Shell>,
    amount: String,
    memo: String,
) -> Result<SaleView, IpcError> {
    let core = shell.core()?;
    let sale = core.till.charge(&amount, &core.currency, &memo).await?;
    core.watcher.track(sale.id);
    Ok(SaleView::from(&sale))
}

/// A new sale for the same amount as a timed-out one, linked to it.
#[tauri::command]
pub async fn requote(shell: State<'_, Shell>, receipt_no: i64) -> Result<SaleView, IpcError> {
    let core = shell.core()?;
    let sale = core.till.requote(receipt_no).await?;
    core.watcher.track(sale.id);
    Ok(SaleView::from(&sale))
}

/// Cancels a sale waiting for payment (still watched for a late payment).
#[tauri::command]
pub fn cancel_sale(shell: State<'_, Shell>, receipt_no: i64) -> Result<SaleView, IpcError> {
    Ok(SaleView::from(&shell.core()?.till.cancel(receipt_no)?))
}

/// Asks the gateway about a sale now: "the customer says they paid".
#[tauri::command]
pub async fn check_sale(shell: State<'_, Shell>, receipt_no: i64) -> Result<SaleView, IpcError> {
    Ok(SaleView::from(&shell.core()?.till.check(receipt_no).await?))
}

/// Demo mode only: the simulated customer pays (a timed-out order is paid late).
#[tauri::command]
pub async fn simulate_payment(
    shell: State<'_, Shell>,
    receipt_no: i64,
) -> Result<SaleView, IpcError> {
    let core = shell.core()?;
    let sim = core.demo.as_ref().ok_or_else(|| {
        IpcError::new(ErrorCode::DemoOnly, "paying is simulated only in demo mode")
    })?;
    let sale = core.till.simulate_payment(sim, receipt_no).await?;
    Ok(SaleView::from(&sale))
}

/// Today's newest sales (in the shop's time zone; at most `till_core::history::HISTORY_ROWS`),
/// optionally filtered by receipt number, amount or memo.
#[tauri::command]
pub fn sales_today(
    shell: State<'_, Shell>,
    query: Option<String>,
) -> Result<Vec<SaleView>, IpcError> {
    // A cashier sees their own sales; a manager or the owner, everyone's.
    let own = shell
        .seller()
        .filter(|p| p.role == till_core::people::Role::Cashier && p.id != 0);
    let list = shell.core()?.till.sales_today(
        query.as_deref().unwrap_or(""),
        own.as_ref().map(|p| p.name.as_str()),
    )?;
    Ok(list.iter().map(SaleView::from).collect())
}

/// A sale and its timeline.
#[tauri::command]
pub fn sale_detail(shell: State<'_, Shell>, receipt_no: i64) -> Result<SaleDetail, IpcError> {
    let core = shell.core()?;
    let sale = core.till.sale(receipt_no)?;
    let timeline = core.till.ledger().timeline(sale.id)?;
    Ok(SaleDetail {
        sale: SaleView::from(&sale),
        timeline: timeline.iter().map(TimelineEntry::from).collect(),
    })
}

/// The QR the customer scans, drawn in Rust as SVG: the invoice (`LIGHTNING:` + upper case), or
/// the gateway's hosted checkout page.
#[tauri::command]
pub fn invoice_qr(
    shell: State<'_, Shell>,
    receipt_no: i64,
    pay_url: bool,
) -> Result<String, IpcError> {
    let sale = shell.any_core()?.till.sale(receipt_no)?;
    let text = till_core::qr::sale_text(&sale, pay_url).ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotAllowed,
            format!("receipt {} has no invoice to show", sale.label()),
        )
    })?;
    Ok(till_core::qr::svg(&text)?)
}

/// Paid-late sales the cashier has not acknowledged yet (they survive a restart).
#[tauri::command]
pub fn pending_alerts(shell: State<'_, Shell>) -> Result<Vec<SaleView>, IpcError> {
    let list = shell.core()?.till.pending_alerts()?;
    Ok(list.iter().map(SaleView::from).collect())
}

/// The cashier has seen a paid-late alert.
#[tauri::command]
pub fn acknowledge_alert(shell: State<'_, Shell>, receipt_no: i64) -> Result<(), IpcError> {
    Ok(shell.core()?.till.acknowledge_alert(receipt_no)?)
}

/// Opens (or brings forward) the customer-facing window.
#[tauri::command]
pub fn open_customer_display<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    Ok(windows::open_customer_display(&app)?)
}

/// Closes the customer display, as its window's close button does (a display made fullscreen on
/// a second screen has none to reach); nothing when it is not open.
#[tauri::command]
pub fn close_customer_display<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    if let Some(window) = app.get_webview_window(windows::CUSTOMER) {
        window.close()?;
    }
    Ok(())
}

/// The main window's page renewed in a new web process (`windows::renew_main_process`: the
/// customer display, if open, closed first and opened again in the new process); false where it
/// cannot be, and the page reloads its document itself.
#[tauri::command]
pub fn renew_page<R: Runtime>(app: AppHandle<R>) -> Result<bool, IpcError> {
    Ok(windows::renew_main_process(&app))
}

/// The customer display's idle screen needs the shop's name; the current sale comes by events.
#[tauri::command]
pub fn current_sale<R: Runtime>(app: AppHandle<R>) -> Result<Option<SaleView>, IpcError> {
    let sale = app.state::<Shell>().any_core()?.till.current_sale()?;
    Ok(sale.as_ref().map(SaleView::from))
}

/// Whether the gateway answers and accepts the credentials (the readiness light).
#[tauri::command]
pub async fn gateway_ready(shell: State<'_, Shell>) -> Result<Readiness, IpcError> {
    let core = shell.core()?;
    Ok(till_core::connect::readiness(core.till.gateway(), core.is_demo()).await)
}

/// Saves a sale's receipt as a PDF in the data folder's `receipts` folder; returns its path.
#[tauri::command]
pub fn save_receipt(shell: State<'_, Shell>, receipt_no: i64) -> Result<String, IpcError> {
    let env = shell.env()?;
    let core = shell.core()?;
    let sale = core.till.sale(receipt_no)?;
    let tz = till_core::report::shop_timezone(&core.till.ledger())?;
    let tax_number = till_core::settings::Selling::load(&core.till.ledger())?.tax_number;
    let lang = till_core::settings::language(&core.till.ledger());
    let path =
        till_core::receipt::save(&env.data_dir, &sale, &core.shop_name, &tax_number, tz, lang)?;
    Ok(path.display().to_string())
}
