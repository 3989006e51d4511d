//! The names of the settings kept in the ledger, and their defaults, in one place for the app and
//! the `till` command. None of them is secret.

use crate::ledger::{Ledger, LedgerError};

/// This terminal's name (receipt numbers count per terminal).
pub const TERMINAL: &str = "terminal_name";
/// The terminal's name until one is set.
pub const DEFAULT_TERMINAL: &str = "till-1";
/// The shop's name, for the customer display and receipts.
pub const SHOP_NAME: &str = "shop_name";
/// The currency the keypad charges in.
pub const SHOP_CURRENCY: &str = "shop_currency";

/// A setting's value, or `default` when it is unset or blank.
pub fn get_or(ledger: &Ledger, key: &str, default: &str) -> Result<String, LedgerError> {
    Ok(ledger
        .setting(key)?
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned()))
}

/// This terminal's name.
pub fn terminal(ledger: &Ledger) -> Result<String, LedgerError> {
    get_or(ledger, TERMINAL, DEFAULT_TERMINAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_settings_fall_back_to_their_default() {
        let l = Ledger::in_memory().unwrap();
        assert_eq!(terminal(&l).unwrap(), "till-1");
        l.set_setting(TERMINAL, "  ").unwrap();
        assert_eq!(terminal(&l).unwrap(), "till-1");
        l.set_setting(TERMINAL, "front").unwrap();
        assert_eq!(terminal(&l).unwrap(), "front");
    }
}
