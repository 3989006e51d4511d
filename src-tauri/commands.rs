//! The commands the web view may call. Each is listed in `build.rs`, which is what grants it,
//! and each pulls state, calls one core function and converts the error. The cashier's commands
//! are here; the owner's are in the submodules. A locked till refuses them all except what the
//! lock screen and the customer display need.

pub mod day;
pub mod manager;
pub mod payouts;
pub mod setup;

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use till_core::{report, sale::SaleState};
use ts_rs::TS;

use crate::{
    views::{SaleDetail, SaleView, TimelineEntry},
    windows, ErrorCode, IpcError, Shell,
};

/// What the window shows about the till itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
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
}

/// The till's version, mode, shop and data folder.
#[tauri::command]
pub fn app_info(shell: State<'_, Shell>) -> Result<AppInfo, IpcError> {
    let env = shell.environment.as_ref().map_err(IpcError::from)?;
    let core = shell.any_core()?;
    let (setup_needed, sound) = {
        let ledger = core.till.ledger();
        (
            ledger.setting(till_core::settings::SETUP_DONE)?.is_none(),
            ledger.setting(till_core::settings::SOUND)?.as_deref() != Some("off"),
        )
    };
    let exponent = till_core::money::Currency::from_code(&core.currency)
        .map(|c| c.exponent())
        .unwrap_or(2);
    Ok(AppInfo {
        version: till_core::VERSION.to_owned(),
        demo: core.demo.is_some(),
        data_dir: env.data_dir.display().to_string(),
        network: core.till.config().network.to_string(),
        shop_name: core.shop_name.clone(),
        currency: core.currency.clone(),
        currency_exponent: exponent,
        terminal: core.till.config().terminal.clone(),
        setup_needed,
        sound,
        keychain_problem: core.keychain_problem.clone(),
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
    let sale = core.till.sale(receipt_no)?;
    let order_id = sale.order_id.clone().ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotAllowed,
            format!("receipt {receipt_no} has no order to pay"),
        )
    })?;
    let paid = match sale.state {
        SaleState::TimedOut | SaleState::Cancelled => {
            // A cancelled order is still pending at the gateway until it times out there.
            let order = sim
                .state()
                .order(&order_id)
                .map_err(|e| IpcError::new(ErrorCode::NotAllowed, e.to_string()))?;
            if order.status == aurpay::OrderStatus::Overdue {
                sim.state().pay_late(&order_id)
            } else {
                sim.state().pay(&order_id)
            }
        }
        _ => sim.state().pay(&order_id),
    };
    paid.map_err(|e| IpcError::new(ErrorCode::NotAllowed, e.to_string()))?;
    // Record it now rather than at the watcher's next look.
    Ok(SaleView::from(&core.till.check(receipt_no).await?))
}

/// Today's sales (in the shop's time zone), newest first, optionally filtered by receipt number,
/// amount or memo.
#[tauri::command]
pub fn sales_today(
    shell: State<'_, Shell>,
    query: Option<String>,
) -> Result<Vec<SaleView>, IpcError> {
    let core = shell.core()?;
    let ledger = core.till.ledger();
    let tz = report::shop_timezone(&ledger)
        .map_err(|e| IpcError::new(ErrorCode::Internal, e.to_string()))?;
    let (from, to) = report::day_bounds(report::today(tz), tz);
    let terminal = &core.till.config().terminal;
    let q = query.unwrap_or_default().trim().to_lowercase();
    let mut list: Vec<SaleView> = ledger
        .sales_between(from, to)?
        .iter()
        .filter(|s| &s.terminal == terminal)
        .map(SaleView::from)
        .filter(|v| {
            q.is_empty()
                || v.receipt_no.to_string() == q
                || v.amount.contains(&q)
                || v.memo.to_lowercase().contains(&q)
        })
        .collect();
    list.reverse();
    Ok(list)
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
    let text = if pay_url {
        sale.pay_url.clone()
    } else {
        sale.payment_request
            .as_deref()
            .map(till_core::qr::invoice_uri)
    }
    .ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotAllowed,
            format!("receipt {receipt_no} has no invoice to show"),
        )
    })?;
    till_core::qr::svg(&text).map_err(|e| IpcError::new(ErrorCode::Internal, e.to_string()))
}

/// Paid-late sales the cashier has not acknowledged yet (they survive a restart).
#[tauri::command]
pub fn pending_alerts(shell: State<'_, Shell>) -> Result<Vec<SaleView>, IpcError> {
    let core = shell.core()?;
    let config = core.till.config();
    let list = core
        .till
        .ledger()
        .unacknowledged_paid_late(&config.terminal, config.training)?;
    Ok(list.iter().map(SaleView::from).collect())
}

/// The cashier has seen a paid-late alert.
#[tauri::command]
pub fn acknowledge_alert(shell: State<'_, Shell>, receipt_no: i64) -> Result<(), IpcError> {
    let core = shell.core()?;
    let sale = core.till.sale(receipt_no)?;
    core.till.ledger().note(
        sale.id,
        "alert_acknowledged",
        &serde_json::json!({}),
        chrono::Utc::now(),
    )?;
    Ok(())
}

/// Opens (or brings forward) the customer-facing window.
#[tauri::command]
pub fn open_customer_display<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    windows::open_customer_display(&app).map_err(|e| {
        IpcError::new(
            ErrorCode::Internal,
            format!("cannot open the customer display: {e}"),
        )
    })
}

/// The customer display's idle screen needs the shop's name; the current sale comes by events.
#[tauri::command]
pub fn current_sale<R: Runtime>(app: AppHandle<R>) -> Result<Option<SaleView>, IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.any_core()?;
    let config = core.till.config();
    let open = core
        .till
        .ledger()
        .open_sales(&config.terminal, config.training)?;
    Ok(open.last().map(SaleView::from))
}

/// Whether the gateway answers and accepts the credentials (the readiness light).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Readiness {
    /// Ready to take money.
    pub ready: bool,
    /// What the light means, in words.
    pub message: String,
}

/// Asks the gateway for one order: it answers only when reachable and the credentials work.
#[tauri::command]
pub async fn gateway_ready(shell: State<'_, Shell>) -> Result<Readiness, IpcError> {
    let core = shell.core()?;
    let message = |ok: &str| {
        if core.demo.is_some() {
            format!("{ok} (built-in demo gateway)")
        } else {
            ok.to_owned()
        }
    };
    Ok(match core.till.gateway().orders(1, 1).await {
        Ok(_) => Readiness {
            ready: true,
            message: message("The gateway answers and accepts the credentials"),
        },
        Err(aurpay::Error::Unauthorized { message }) => Readiness {
            ready: false,
            message: format!(
                "The gateway refused the credentials: {message}. The owner must set them again."
            ),
        },
        Err(e) => Readiness {
            ready: false,
            message: format!("{e}. Sales cannot be taken until it answers."),
        },
    })
}

/// Saves a sale's receipt as a PDF in the data folder's `receipts` folder; returns its path.
#[tauri::command]
pub fn save_receipt(shell: State<'_, Shell>, receipt_no: i64) -> Result<String, IpcError> {
    let env = shell.environment.as_ref().map_err(IpcError::from)?;
    let core = shell.core()?;
    let sale = core.till.sale(receipt_no)?;
    let tz = report::shop_timezone(&core.till.ledger())
        .map_err(|e| IpcError::new(ErrorCode::Internal, e.to_string()))?;
    let lines = till_core::receipt::lines(&sale, &core.shop_name, tz);
    let bytes = till_core::receipt::pdf(
        &lines,
        &format!("Receipt {receipt_no}"),
        till_core::receipt::proof(&sale).as_deref(),
    )
    .map_err(|e| IpcError::new(ErrorCode::Internal, e.to_string()))?;
    let dir = env.data_dir.join("receipts");
    let path = dir.join(format!(
        "receipt-{}-{receipt_no}.pdf",
        sale.terminal.replace(['/', '\\', '.'], "_")
    ));
    till_core::files::write_atomically(&path, &bytes).map_err(|e| {
        IpcError::new(
            ErrorCode::Internal,
            format!("cannot save the receipt in {}: {e}", dir.display()),
        )
    })?;
    Ok(path.display().to_string())
}
