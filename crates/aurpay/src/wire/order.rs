//! Orders: their status, the answer to Create BLN Order, the order object of Get Orders Details,
//! Get Orders and POST callbacks, and the pages lists come in.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use super::lenient::{id_text, opt_count, opt_flag, opt_id_text, opt_timestamp, Timestamp};
use crate::amount::{self, Amount};

/// An order's status. Only the values below are seen in Aurpay's material; anything else is kept
/// as `Other` rather than refused, so a new status never breaks the till.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    /// Waiting for payment (an order lives 30 minutes).
    Pending,
    /// Paid and confirmed.
    Success,
    /// Underpaid, and the merchant accepted it in the dashboard.
    Resolved,
    /// Partly paid (meaning inferred).
    Partial,
    /// Not paid in time, or paid the wrong amount.
    Overdue,
    /// Closed (meaning unknown).
    Terminated,
    /// Refunded.
    Refunded,
    /// A status this client does not know.
    Other(String),
}

impl OrderStatus {
    /// The status as the gateway writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Pending => "PENDING",
            Self::Success => "SUCCESS",
            Self::Resolved => "RESOLVED",
            Self::Partial => "PARTIAL",
            Self::Overdue => "OVERDUE",
            Self::Terminated => "TERMINATED",
            Self::Refunded => "REFUNDED",
            Self::Other(s) => s,
        }
    }

    /// Reads a status; unknown values become `Other`.
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_uppercase().as_str() {
            "PENDING" => Self::Pending,
            "SUCCESS" => Self::Success,
            "RESOLVED" => Self::Resolved,
            "PARTIAL" => Self::Partial,
            "OVERDUE" => Self::Overdue,
            "TERMINATED" => Self::Terminated,
            "REFUNDED" => Self::Refunded,
            _ => Self::Other(s.to_owned()),
        }
    }

    /// True when the customer's money arrived (`SUCCESS`, or `RESOLVED` accepted underpaid).
    pub fn is_paid(&self) -> bool {
        matches!(self, Self::Success | Self::Resolved)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for OrderStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for OrderStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::parse(&String::deserialize(d)?))
    }
}

/// The answer to Create BLN Order. **Verified** (both copies of the docs page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlnOrder {
    /// The order's id: 20 digits, as a string.
    #[serde(deserialize_with = "id_text")]
    pub order_id: String,
    /// `PENDING` when created.
    pub status: OrderStatus,
    /// The BTC amount the invoice must be for.
    pub amount: Amount,
    /// When the gateway created the order (UTC).
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub create_time: Option<Timestamp>,
    /// The BOLT11 invoice.
    pub payment_request: String,
    /// The invoice's payment secret, in hex (seen in one copy of the page).
    #[serde(default)]
    pub payment_addr: Option<String>,
    /// The hosted checkout page for this order.
    #[serde(default)]
    pub pay_url: Option<String>,
    /// `BTC-LN` (seen in one copy of the page).
    #[serde(default)]
    pub currency: Option<String>,
}

/// The order object of Get Orders Details, Get Orders and POST callbacks. **Verified** field
/// names; every field but the id and status may be absent or null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The order's id.
    #[serde(deserialize_with = "id_text")]
    pub order_id: String,
    /// The order's status.
    pub status: OrderStatus,
    /// The merchant (`mct-...`).
    #[serde(default)]
    pub user_id: Option<String>,
    /// `ORDER` or `INVOICE`.
    #[serde(default)]
    pub order_type: Option<String>,
    /// `AURPAY`.
    #[serde(default)]
    pub platform: Option<String>,
    /// `BLN` for Lightning.
    #[serde(default)]
    pub chain: Option<String>,
    /// The chain's display name.
    #[serde(default)]
    pub chain_name: Option<String>,
    /// The coin: `BTC-LN`, `BTC`, `USDT-TRC20`, ...
    #[serde(default)]
    pub currency: Option<String>,
    /// The amount in the coin.
    #[serde(default, deserialize_with = "amount::optional")]
    pub amount: Option<Amount>,
    /// The fiat amount.
    #[serde(default, deserialize_with = "amount::optional")]
    pub vs_price: Option<Amount>,
    /// The fiat currency.
    #[serde(default)]
    pub vs_currency: Option<String>,
    /// A merchant's remark.
    #[serde(default)]
    pub remark: Option<String>,
    /// Whether the order was refunded.
    #[serde(default, deserialize_with = "opt_flag")]
    pub refund: Option<bool>,
    /// An id the merchant bound to the order.
    #[serde(default, deserialize_with = "opt_id_text")]
    pub bind_id: Option<String>,
    /// When the order was created (UTC).
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub create_time: Option<Timestamp>,
    /// When the order last changed (UTC).
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub update_time: Option<Timestamp>,
    /// The payment transaction's id.
    #[serde(default, deserialize_with = "opt_id_text")]
    pub tx_id: Option<String>,
    /// The transaction's type.
    #[serde(default)]
    pub tx_type: Option<String>,
    /// What the merchant obtained.
    #[serde(default, deserialize_with = "amount::optional")]
    pub obtained: Option<Amount>,
    /// The gateway's fee.
    #[serde(default, deserialize_with = "amount::optional")]
    pub fee: Option<Amount>,
    /// The payer's address.
    #[serde(default)]
    pub from_addr: Option<String>,
    /// The receiving address.
    #[serde(default)]
    pub to_addr: Option<String>,
    /// The payment's transaction hash (for Lightning, the payment hash).
    #[serde(default)]
    pub tx_hash: Option<String>,
    /// Every transaction hash of the order (shape not documented: kept as JSON).
    #[serde(default)]
    pub tx_hash_list: Option<serde_json::Value>,
    /// The token contract, for token coins.
    #[serde(default, deserialize_with = "opt_id_text")]
    pub contract_id: Option<String>,
    /// The merchant's website.
    #[serde(default)]
    pub website: Option<String>,
    /// The callback URL the order was created with. **Unverified**: not among the documented
    /// fields of the order object; read when the gateway echoes it (see [`crate::reference`]).
    #[serde(default)]
    pub callback_url: Option<String>,
}

impl Order {
    /// The till sale's reference this order carries, when the gateway echoes it back.
    pub fn reference(&self) -> Option<&str> {
        self.callback_url
            .as_deref()
            .and_then(crate::reference::from_url)
    }
}

/// A page of a list (Get Orders, Get Transaction). **Verified**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// This page's number.
    #[serde(default, deserialize_with = "opt_count")]
    pub page: Option<u64>,
    /// The page size.
    #[serde(default, deserialize_with = "opt_count")]
    pub size: Option<u64>,
    /// How many items there are in all.
    #[serde(default, deserialize_with = "opt_count")]
    pub total: Option<u64>,
    /// The last page's number.
    #[serde(default, deserialize_with = "opt_count")]
    pub max_page: Option<u64>,
    /// The items.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
}
