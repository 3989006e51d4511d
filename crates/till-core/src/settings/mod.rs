//! The settings kept in the ledger, in one place for the app and the `till` command: their names
//! and defaults here, the settings screen's rules and its one save in [`screen`], the first run
//! in [`first_run`]. None of them is secret.

mod first_run;
mod screen;
pub mod selling;

pub use first_run::{finish_setup, FirstRun};
pub use screen::{
    check_language, check_shop_name, check_terminal, Saved, Settings, SettingsError, KEYS,
};
pub use selling::{Selling, SellingError};

use crate::ledger::{Ledger, LedgerError};

/// This terminal's name (receipt numbers count per terminal).
pub const TERMINAL: &str = "terminal_name";
/// The terminal's name until one is set.
pub const DEFAULT_TERMINAL: &str = "till-1";
/// The shop's name, for the customer display and receipts.
pub const SHOP_NAME: &str = "shop_name";
/// The currency the keypad charges in.
pub const SHOP_CURRENCY: &str = "shop_currency";

/// Set once the first-run setup is finished.
pub const SETUP_DONE: &str = "setup_done";
/// Whether the paid chime plays (`on`/`off`).
pub const SOUND: &str = "sound";
/// Minutes without a touch or key before the till locks (0: never).
pub const IDLE_LOCK_MINUTES: &str = "idle_lock_minutes";
/// Whether the customer display opens with the app (`on`/`off`).
pub const CUSTOMER_DISPLAY: &str = "customer_display";
/// The network, unless `AURPAY_NETWORK` says otherwise.
pub const NETWORK: &str = "network";
/// The gateway's address, unless `AURPAY_BASE_URL` says otherwise.
pub const GATEWAY_URL: &str = "gateway_url";
/// A folder every closed day is exported to as CSV (empty: none).
pub const AUTO_EXPORT_DIR: &str = "auto_export_dir";
/// The default idle lock.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 5;
/// The shop's time zone (an IANA name), which its days are counted in.
pub const TIMEZONE: &str = "timezone";
/// The shop's language (a tag such as `de` or `pt-BR`): the cashier's screen, receipts, reports.
pub const LANGUAGE: &str = "language";
/// The customer display's language when it differs from the shop's (a tourist at the counter);
/// unset or empty: the shop's.
pub const CUSTOMER_LANGUAGE: &str = "customer_language";

/// The time zone setting is not an IANA zone name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the time zone \"{0}\" is not known; use a name such as Europe/Zurich or America/New_York")]
pub struct BadTimezone(pub String);

/// Why the shop's time zone cannot be told.
#[derive(Debug, thiserror::Error)]
pub enum TimezoneError {
    /// The setting is not a zone.
    #[error(transparent)]
    Bad(#[from] BadTimezone),
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// The shop's time zone: the setting, else the system's, else UTC.
pub fn shop_timezone(ledger: &Ledger) -> Result<chrono_tz::Tz, TimezoneError> {
    match ledger.setting(TIMEZONE)? {
        Some(name) => Ok(name.parse().map_err(|_| BadTimezone(name))?),
        None => Ok(iana_time_zone::get_timezone()
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(chrono_tz::Tz::UTC)),
    }
}

/// The gateway address and network to use: the environment's when it sets them, else the
/// settings', else the defaults.
pub fn gateway(
    ledger: &Ledger,
    env: &crate::Environment,
) -> Result<(String, aurpay::Network), LedgerError> {
    let url = match ledger
        .setting(GATEWAY_URL)?
        .filter(|v| !v.trim().is_empty())
    {
        Some(u) if !env.base_url_set => {
            crate::environment::check_base_url(&u).unwrap_or_else(|_| env.base_url.clone())
        }
        _ => env.base_url.clone(),
    };
    let network = match ledger.setting(NETWORK)?.filter(|v| !v.trim().is_empty()) {
        Some(n) if !env.network_set => n.parse().unwrap_or(env.network),
        _ => env.network,
    };
    Ok((url, network))
}

/// A setting's value, or `default` when it is unset or blank.
pub fn get_or(ledger: &Ledger, key: &str, default: &str) -> Result<String, LedgerError> {
    Ok(ledger
        .setting(key)?
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned()))
}

/// Minutes without a touch or key before the till locks (0: never); the default when unset or
/// unreadable.
pub fn idle_lock_minutes(ledger: &Ledger) -> u32 {
    ledger
        .setting(IDLE_LOCK_MINUTES)
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_IDLE_LOCK_MINUTES)
}

/// This terminal's name.
pub fn terminal(ledger: &Ledger) -> Result<String, LedgerError> {
    get_or(ledger, TERMINAL, DEFAULT_TERMINAL)
}

/// The shop's name as receipts and the customer display show it.
pub fn shop_name(ledger: &Ledger) -> Result<String, LedgerError> {
    get_or(ledger, SHOP_NAME, "Till")
}

/// The currency the keypad charges in.
pub fn shop_currency(ledger: &Ledger) -> Result<String, LedgerError> {
    get_or(ledger, SHOP_CURRENCY, "USD")
}

/// An on/off setting, or `default` when unset or unreadable.
pub fn flag(ledger: &Ledger, key: &str, default: bool) -> bool {
    match ledger.setting(key).ok().flatten().as_deref() {
        Some("on") => true,
        Some("off") => false,
        _ => default,
    }
}

/// Whether the first-run setup was done.
pub fn setup_done(ledger: &Ledger) -> Result<bool, LedgerError> {
    Ok(ledger.setting(SETUP_DONE)?.is_some())
}

/// The shop's language for the screen, receipts and reports: the setting, else the system's
/// (Windows' UI language, `LANG` on Linux), else English. An unreadable ledger or a tag Till lacks never stops a receipt: it prints in English.
pub fn language(ledger: &Ledger) -> crate::words::Lang {
    ledger
        .setting(LANGUAGE)
        .ok()
        .flatten()
        .and_then(|tag| crate::words::Lang::closest(&tag))
        .or_else(crate::words::Lang::from_system)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_settings_fall_back_to_their_default() {
        let mut l = Ledger::in_memory().unwrap();
        assert_eq!(terminal(&l).unwrap(), "till-1");
        l.set_setting(TERMINAL, "  ").unwrap();
        assert_eq!(terminal(&l).unwrap(), "till-1");
        l.set_setting(TERMINAL, "front").unwrap();
        assert_eq!(terminal(&l).unwrap(), "front");
    }
}
