//! The lock, the manager PIN, and the settings.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use till_core::{pin, settings};
use ts_rs::TS;

use crate::{state::pin_error, ErrorCode, IpcError, Shell};

/// Whether the till is locked and whether the manager's PIN is in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LockState {
    /// Locked: only the PIN opens it.
    pub locked: bool,
    /// A manager PIN is set.
    pub pin_set: bool,
    /// The manager entered the PIN recently: manager screens are open.
    pub manager: bool,
    /// Minutes without a touch or key before the till locks itself (0: never).
    pub idle_lock_minutes: u32,
}

/// The lock's state (answered while locked too).
#[tauri::command]
pub fn lock_state(shell: State<'_, Shell>) -> Result<LockState, IpcError> {
    let core = shell.any_core()?;
    let ledger = core.till.ledger();
    let (locked, manager) = shell.lock_state();
    Ok(LockState {
        locked,
        pin_set: pin::is_set(&ledger).map_err(pin_error)?,
        manager,
        idle_lock_minutes: settings::idle_lock_minutes(&ledger),
    })
}

/// Locks the till now (the cashier walks away, or the idle time passed).
#[tauri::command]
pub fn lock(shell: State<'_, Shell>) -> Result<(), IpcError> {
    shell.lock()
}

/// A touch or a key in the window: the till is in use (the idle lock counts from the last one).
#[tauri::command]
pub fn activity(shell: State<'_, Shell>) -> Result<(), IpcError> {
    shell.touch();
    Ok(())
}

/// Unlocks the till with the manager PIN and opens the manager screens for a few minutes. Wrong
/// PINs slow down: after three, each try waits longer.
#[tauri::command]
pub fn unlock(shell: State<'_, Shell>, pin: String) -> Result<(), IpcError> {
    shell.unlock(&pin)
}

/// Closes the manager screens (the till stays unlocked for the cashier).
#[tauri::command]
pub fn end_manager(shell: State<'_, Shell>) -> Result<(), IpcError> {
    shell.end_manager();
    Ok(())
}

/// Changes the manager PIN: the current one (when one is set) and the new one.
#[tauri::command]
pub fn change_pin(
    shell: State<'_, Shell>,
    current: String,
    new_pin: String,
) -> Result<(), IpcError> {
    let core = shell.manager_with_pin(&current)?;
    let mut ledger = core.till.ledger();
    pin::set(&mut ledger, &new_pin).map_err(pin_error)
}

/// The settings screen: nothing here is secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Settings {
    /// The shop's name (receipts, customer display).
    pub shop_name: String,
    /// The paid chime.
    pub sound: bool,
    /// Minutes without a touch or key before the till locks itself (0: never; at most 240).
    pub idle_lock_minutes: u32,
    /// Open the customer display when the app starts.
    pub customer_display: bool,
    /// `bitcoin`, `testnet`, `signet` or `regtest`.
    pub network: String,
    /// The gateway's address (advanced).
    pub gateway_url: String,
    /// A folder each closed day is exported to as CSV; empty for none.
    pub auto_export_dir: String,
    /// The shop's time zone (IANA name), for its days.
    pub timezone: String,
    /// Set by environment variables, so not editable here: `network`, `gateway_url`.
    pub fixed: Vec<String>,
}

fn on(ledger: &till_core::ledger::Ledger, key: &str, default: bool) -> bool {
    match ledger.setting(key).ok().flatten().as_deref() {
        Some("on") => true,
        Some("off") => false,
        _ => default,
    }
}

/// The sound setting, for the paid screen (a cashier setting: no PIN).
#[tauri::command]
pub fn sound_on(shell: State<'_, Shell>) -> Result<bool, IpcError> {
    let core = shell.core()?;
    let ledger = core.till.ledger();
    Ok(on(&ledger, settings::SOUND, true))
}

/// The settings as stored (and as the environment overrides them).
#[tauri::command]
pub fn get_settings(shell: State<'_, Shell>) -> Result<Settings, IpcError> {
    let core = shell.manager()?;
    let env = shell.environment.as_ref().map_err(IpcError::from)?;
    let ledger = core.till.ledger();
    let (url, network) = settings::gateway(&ledger, env)?;
    let mut fixed = Vec::new();
    if env.network_set {
        fixed.push("network".to_owned());
    }
    if env.base_url_set {
        fixed.push("gateway_url".to_owned());
    }
    Ok(Settings {
        shop_name: settings::get_or(&ledger, settings::SHOP_NAME, "Till")?,
        sound: on(&ledger, settings::SOUND, true),
        idle_lock_minutes: settings::idle_lock_minutes(&ledger),
        customer_display: on(&ledger, settings::CUSTOMER_DISPLAY, false),
        network: network.to_string(),
        gateway_url: url,
        auto_export_dir: ledger
            .setting(settings::AUTO_EXPORT_DIR)?
            .unwrap_or_default(),
        timezone: till_core::report::shop_timezone(&ledger)
            .map(|tz| tz.name().to_owned())
            .unwrap_or_default(),
        fixed,
    })
}

fn bad(message: impl Into<String>) -> IpcError {
    IpcError::new(ErrorCode::BadInput, message)
}

/// Checks and saves the settings; all are checked before any is saved. A changed network or
/// gateway address restarts the connection.
#[tauri::command]
pub async fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    settings: Settings,
) -> Result<Settings, IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.manager()?;
    let env = shell.environment.as_ref().map_err(IpcError::from)?;
    let shop_name = settings.shop_name.trim();
    if shop_name.is_empty()
        || shop_name.chars().count() > 60
        || shop_name.chars().any(char::is_control)
    {
        return Err(bad(
            "the shop's name is 1 to 60 characters, without control characters",
        ));
    }
    if settings.idle_lock_minutes > 240 {
        return Err(bad("the idle lock is 0 (never) to 240 minutes"));
    }
    let network: aurpay::Network = settings
        .network
        .trim()
        .parse()
        .map_err(|e: aurpay::network::UnknownNetwork| bad(e.to_string()))?;
    let url = till_core::environment::check_base_url(&settings.gateway_url)
        .map_err(|e| bad(e.to_string()))?;
    let dir = settings.auto_export_dir.trim();
    if !dir.is_empty() {
        let path = std::path::Path::new(dir);
        if !path.is_absolute() || !path.is_dir() {
            return Err(bad(format!(
                "the export folder {dir} does not exist (give a full path to a folder)"
            )));
        }
    }
    let tz = settings.timezone.trim();
    if tz.parse::<chrono_tz::Tz>().is_err() {
        return Err(bad(format!(
            "the time zone \"{}\" is not known; use a name such as Europe/Zurich",
            tz.chars().take(40).collect::<String>()
        )));
    }
    let restart_needed;
    {
        let mut ledger = core.till.ledger();
        let (old_url, old_network) = settings::gateway(&ledger, env)?;
        let yes_no = |b: bool| if b { "on" } else { "off" };
        ledger.set_setting(settings::SHOP_NAME, shop_name)?;
        ledger.set_setting(settings::SOUND, yes_no(settings.sound))?;
        ledger.set_setting(
            settings::IDLE_LOCK_MINUTES,
            &settings.idle_lock_minutes.to_string(),
        )?;
        ledger.set_setting(
            settings::CUSTOMER_DISPLAY,
            yes_no(settings.customer_display),
        )?;
        ledger.set_setting(settings::AUTO_EXPORT_DIR, dir)?;
        ledger.set_setting(till_core::report::TIMEZONE_SETTING, tz)?;
        if !env.network_set {
            ledger.set_setting(settings::NETWORK, &network.to_string())?;
        }
        if !env.base_url_set {
            ledger.set_setting(settings::GATEWAY_URL, &url)?;
        }
        let (new_url, new_network) = settings::gateway(&ledger, env)?;
        restart_needed =
            new_url != old_url || new_network != old_network || shop_name != core.shop_name;
    }
    drop(core);
    if restart_needed {
        super::setup::restart(&app).await?;
    }
    get_settings(app.state::<Shell>())
}
