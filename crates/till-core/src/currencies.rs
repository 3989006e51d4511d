//! The currencies a shop can charge in: the gateway's list of fiat currencies, limited to the ISO
//! 4217 codes this till knows, or a built-in list of the usual ones when the gateway cannot be
//! asked (the first run works offline).

use serde::{Deserialize, Serialize};

use crate::money::Currency;

/// Currencies offered when the gateway cannot be asked.
const FALLBACK: &[&str] = &[
    "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "CNY", "HKD", "SGD", "INR", "BRL", "MXN",
    "ZAR", "NGN", "KES", "SEK", "NOK", "DKK", "PLN", "CZK", "TRY", "AED", "THB", "PHP", "ARS",
    "SVC",
];

/// A currency the shop can charge in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CurrencyOption {
    /// ISO 4217 code.
    pub code: String,
    /// Its English name.
    pub name: String,
}

/// The currencies to choose from, and where the list came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CurrencyList {
    /// The choices, by code.
    pub currencies: Vec<CurrencyOption>,
    /// True when the gateway gave the list; false for the built-in fallback.
    pub from_gateway: bool,
    /// Why the fallback is shown, when it is.
    pub note: Option<String>,
}

fn known(code: &str) -> Option<CurrencyOption> {
    Currency::from_code(code).ok().map(|c| CurrencyOption {
        code: c.code().to_owned(),
        name: c.name(),
    })
}

fn fallback(note: String) -> CurrencyList {
    CurrencyList {
        currencies: FALLBACK.iter().filter_map(|c| known(c)).collect(),
        from_gateway: false,
        note: Some(note),
    }
}

/// The gateway's real (fiat) currencies, or the fallback with why.
pub async fn offered(gateway: &aurpay::Client) -> CurrencyList {
    match gateway.real_currencies().await {
        Ok(list) => {
            let mut currencies: Vec<CurrencyOption> =
                list.iter().filter_map(|c| known(&c.code)).collect();
            currencies.sort_by(|a, b| a.code.cmp(&b.code));
            currencies.dedup();
            if currencies.is_empty() {
                fallback(
                    "The gateway listed no currency this till knows; showing the usual ones."
                        .into(),
                )
            } else {
                CurrencyList {
                    currencies,
                    from_gateway: true,
                    note: None,
                }
            }
        }
        Err(e) => fallback(format!(
            "The gateway could not be asked ({e}); showing the usual currencies."
        )),
    }
}
