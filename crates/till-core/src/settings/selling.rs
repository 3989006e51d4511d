//! The owner's selling rules: the default tax rate, tips, the discount a cashier may give without
//! a PIN, and the shop's tax number. Read once per cart change or charge.

use super::{flag, get_or};
use crate::{
    ledger::{Ledger, LedgerError},
    money::{
        bill::{BillError, Percent, Tax},
        Currency, MoneyError,
    },
};

/// The rate a typed amount (a "custom amount" line) is taxed at: `21% included`, `none`.
pub const DEFAULT_TAX: &str = "default_tax";
/// Whether the customer is offered a tip before the QR is made (`on`/`off`).
pub const TIPS: &str = "tips";
/// The tip percentages offered, as `10,15,20`.
pub const TIP_PRESETS: &str = "tip_presets";
/// Whether a tip includes tax at the default rate (`on`/`off`; off: tips are untaxed).
pub const TIPS_TAXED: &str = "tips_taxed";
/// The largest order discount, in percent of the order, a cashier gives without the PIN.
pub const DISCOUNT_LIMIT: &str = "discount_limit";
/// The shop's tax number, printed on receipts.
pub const TAX_NUMBER: &str = "tax_number";

/// The tip percentages offered when the owner has not chosen.
pub const DEFAULT_TIP_PRESETS: &str = "10,15,20";
/// The discount limit when the owner has not chosen.
pub const DEFAULT_DISCOUNT_LIMIT: &str = "20";

/// Why the selling rules cannot be read (a value stored by hand that does not parse).
#[derive(Debug, thiserror::Error)]
pub enum SellingError {
    /// A rate or a percentage.
    #[error(transparent)]
    Bill(#[from] BillError),
    /// The shop's currency.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// The ledger.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// The selling rules as the cart and the charge use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selling {
    /// The shop's currency: catalog prices are in it.
    pub currency: Currency,
    /// The rate of a custom amount.
    pub default_tax: Tax,
    /// Tips offered.
    pub tips: bool,
    /// The tip percentages offered.
    pub tip_presets: Vec<Percent>,
    /// The rate a tip includes, when tips are taxed.
    pub tip_tax: Option<Tax>,
    /// The order discount a cashier gives without the PIN.
    pub discount_limit: Percent,
    /// The shop's tax number.
    pub tax_number: String,
}

/// Reads `10,15,20` (refusing anything that is not a list of percentages).
pub fn parse_presets(text: &str) -> Result<Vec<Percent>, BillError> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Percent::parse)
        .collect()
}

impl Selling {
    /// The rules as stored, with their defaults.
    pub fn load(ledger: &Ledger) -> Result<Self, SellingError> {
        let currency = Currency::from_code(&super::shop_currency(ledger)?)?;
        let default_tax = Tax::parse(&ledger.setting(DEFAULT_TAX)?.unwrap_or_default())?;
        Ok(Self {
            currency,
            default_tax,
            tips: flag(ledger, TIPS, false),
            tip_presets: parse_presets(&get_or(ledger, TIP_PRESETS, DEFAULT_TIP_PRESETS)?)?,
            tip_tax: flag(ledger, TIPS_TAXED, false).then_some(default_tax),
            discount_limit: Percent::parse(&get_or(
                ledger,
                DISCOUNT_LIMIT,
                DEFAULT_DISCOUNT_LIMIT,
            )?)?,
            tax_number: ledger.setting(TAX_NUMBER)?.unwrap_or_default(),
        })
    }
}
