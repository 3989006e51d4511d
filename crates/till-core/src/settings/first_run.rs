//! The first run: the shop's name, this terminal's name, the currency and the manager PIN, checked
//! together and saved in one transaction.

use super::{
    check_shop_name, check_terminal, terminal, SettingsError, SETUP_DONE, SHOP_CURRENCY, SHOP_NAME,
    TERMINAL,
};
use crate::{
    ledger::{time_text, Ledger},
    money::Currency,
    pin,
};

/// What the first-run screen asks.
#[derive(Debug, Clone)]
pub struct FirstRun {
    /// The shop's name.
    pub shop_name: String,
    /// This terminal's name.
    pub terminal: String,
    /// The currency the keypad charges in (ISO 4217).
    pub currency: String,
    /// The manager PIN (4 to 12 digits).
    pub pin: String,
    /// The shop's language tag; empty: leave it to the system's.
    pub language: String,
}

/// Checks everything, then saves it all at once: the PIN's hash, the names, the currency and the
/// mark that setup is done. The terminal's name cannot change once it has sales (receipt numbers
/// count per terminal).
pub fn finish_setup(ledger: &mut Ledger, first: &FirstRun) -> Result<(), SettingsError> {
    let shop_name = check_shop_name(&first.shop_name)?;
    let name = check_terminal(&first.terminal)?;
    let currency = Currency::from_code(first.currency.trim())
        .map_err(|e| SettingsError::Bad(e.to_string()))?;
    pin::check_format(&first.pin)?;
    let language = match first.language.trim() {
        "" => None,
        tag => Some(super::screen::check_language(tag)?.tag()),
    };
    let current = terminal(ledger)?;
    if current != name && ledger.has_sales()? {
        return Err(SettingsError::TerminalInUse(current));
    }
    // The drawer is counted in the currency its shift opened with.
    for training in [false, true] {
        if let Some(open) = ledger.open_shift(&current, training)? {
            if open.currency != currency.code() {
                return Err(SettingsError::Bad(format!(
                    "shift {} is open with a drawer in {}; close it before changing the currency",
                    open.label(),
                    open.currency
                )));
            }
        }
    }
    // The owner first: a PIN someone else on the staff has is refused before anything is kept.
    pin::set(ledger, &first.pin)?;
    let done = time_text(chrono::Utc::now());
    let mut pairs = vec![
        (SHOP_NAME, shop_name.as_str()),
        (TERMINAL, name.as_str()),
        (SHOP_CURRENCY, currency.code()),
        (SETUP_DONE, done.as_str()),
    ];
    if let Some(tag) = language {
        pairs.push((super::LANGUAGE, tag));
    }
    ledger.set_settings(&pairs)?;
    Ok(())
}
