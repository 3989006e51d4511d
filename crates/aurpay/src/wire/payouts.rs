//! Money going out and the balance it comes from: Get BLN Balance, Create BLN Withdraw, Get
//! Orders Refund Info, Orders Refund. Mostly **unverified** shapes, read leniently.

use serde::{Deserialize, Serialize};

use super::lenient::{id_text, opt_id_text, opt_timestamp, Timestamp};
use crate::amount::{self, Amount};
/// Get BLN Balance. **Unverified**: neither the path nor the answer is public. We read
/// `balance` (or `amount`, or `available`) in BTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlnBalance {
    /// The spendable Lightning balance, in BTC.
    #[serde(alias = "amount", alias = "available")]
    pub balance: Amount,
    /// The coin (`BTC-LN`).
    #[serde(default)]
    pub currency: Option<String>,
}

/// The answer to Create BLN Withdraw. **Unverified**: the answer is not documented, so every
/// field is optional; the client also returns the raw answer for the ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlnWithdrawal {
    /// The withdrawal's id.
    #[serde(
        default,
        alias = "id",
        alias = "order_id",
        deserialize_with = "opt_id_text"
    )]
    pub withdraw_id: Option<String>,
    /// Its status, as the gateway words it.
    #[serde(default)]
    pub status: Option<String>,
    /// The amount paid, in BTC.
    #[serde(default, deserialize_with = "amount::optional")]
    pub amount: Option<Amount>,
    /// The fee charged, in BTC.
    #[serde(default, deserialize_with = "amount::optional")]
    pub fee: Option<Amount>,
    /// The paid invoice's payment hash.
    #[serde(default)]
    pub payment_hash: Option<String>,
}

/// The answer to Get Orders Refund Info. Only the first fields are **verified**; the page is cut
/// off after them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundInfo {
    /// The order's id.
    #[serde(deserialize_with = "id_text")]
    pub order_id: String,
    /// The order's chain.
    #[serde(default)]
    pub chain: Option<String>,
    /// The order's coin.
    #[serde(default)]
    pub currency: Option<String>,
    /// The refundable amount, in the coin.
    #[serde(default, deserialize_with = "amount::optional")]
    pub amount: Option<Amount>,
}

/// The answer to Orders Refund. **Verified** field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// The order's id.
    #[serde(deserialize_with = "id_text")]
    pub order_id: String,
    /// The refund's status, as the gateway words it.
    #[serde(default)]
    pub refund_status: Option<String>,
    /// The amount refunded.
    #[serde(default, deserialize_with = "amount::optional")]
    pub refund_amount: Option<Amount>,
    /// When it was refunded (UTC).
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub refund_date: Option<Timestamp>,
}
