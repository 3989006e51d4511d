//! The wire types: what Aurpay sends and receives, field for field.
//!
//! Rules, from what is known of the gateway (`shared/aurpay-api.md`, section 4):
//! - money is an [`Amount`], read exactly from a number or a string;
//! - `order_id` is a string (a number is accepted too, read as its digits);
//! - timestamps carry no zone and are taken as UTC;
//! - unknown fields are ignored, absent optional fields are `None`, never an error.
//!
//! Shapes marked **unverified** are not in Aurpay's public documentation; they are our best
//! reading, kept here in one place and agreed with the simulator so the choice is tested.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{de, Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use crate::amount::{self, Amount};

// ---------------------------------------------------------------------------------------------
// Lenient scalar decoders

/// Reads a JSON string or number as text (an order id of 20 digits overflows an integer).
fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    let text = raw.get().trim();
    if text.starts_with('"') {
        serde_json::from_str::<String>(text).map_err(de::Error::custom)
    } else if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        Ok(text.to_owned())
    } else {
        Err(de::Error::custom(format!(
            "expected an id, found {}",
            excerpt(text, 40)
        )))
    }
}

fn opt_id_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    match raw {
        None => Ok(None),
        Some(raw) => id_text(&*raw).map(Some).map_err(de::Error::custom),
    }
}

/// Reads a count that may come as a number or a numeric string.
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    let text = raw.get().trim().trim_matches('"').trim();
    text.parse::<u64>()
        .map_err(|_| de::Error::custom(format!("expected a count, found {}", excerpt(text, 40))))
}

fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    match raw {
        None => Ok(None),
        Some(raw) => count(&*raw).map(Some).map_err(de::Error::custom),
    }
}

/// Reads a boolean that may come as `true`, `1`, `"true"`, `"1"` and their opposites.
fn opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    let Some(raw) = raw else { return Ok(None) };
    match raw
        .get()
        .trim()
        .trim_matches('"')
        .to_ascii_lowercase()
        .as_str()
    {
        "true" | "1" => Ok(Some(true)),
        "false" | "0" | "" => Ok(Some(false)),
        other => Err(de::Error::custom(format!(
            "expected a flag, found {}",
            excerpt(other, 20)
        ))),
    }
}

/// A gateway timestamp. Aurpay writes `2024-04-28T12:00:00` with no zone; we take it as UTC.
/// An explicit `Z` or offset, and a space instead of `T`, are accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// Parses the forms described on the type.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
            return Some(Self(dt.with_timezone(&Utc)));
        }
        for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
                return Some(Self(naive.and_utc()));
            }
        }
        None
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S"))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s)
            .ok_or_else(|| de::Error::custom(format!("not a timestamp: {}", excerpt(&s, 40))))
    }
}

fn opt_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => Timestamp::parse(&s)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("not a timestamp: {}", excerpt(&s, 40)))),
    }
}

/// The start of `text` for an error message: control and non-ASCII characters escaped, at most
/// `max` characters of output, then `…` when something was cut.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let escaped: String = c.escape_default().collect();
        let width = escaped.chars().count();
        if used + width > max {
            out.push('…');
            return out;
        }
        out.push_str(&escaped);
        used += width;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The envelope

/// Every answer's outer shape: `{"code": 0, "message": "ok", "data": {...}, "result": true}`.
/// On HTTP errors the official plugins read `msg` instead of `message`.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope {
    #[serde(default, deserialize_with = "opt_code")]
    pub code: Option<i64>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub msg: Option<String>,
    #[serde(default)]
    pub data: Option<Box<RawValue>>,
    #[serde(default, deserialize_with = "opt_flag")]
    pub result: Option<bool>,
}

fn opt_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    let Some(raw) = raw else { return Ok(None) };
    raw.get()
        .trim()
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| de::Error::custom(format!("code is not a number: {}", excerpt(raw.get(), 20))))
}

/// The envelope the simulator writes, and a success answer's shape.
#[derive(Debug, Serialize)]
pub struct Reply<T> {
    /// 0 on success.
    pub code: i64,
    /// `ok` on success, the reason otherwise.
    pub message: String,
    /// The answer.
    pub data: Option<T>,
    /// true on success.
    pub result: bool,
}

impl<T> Reply<T> {
    /// A success answer carrying `data`.
    pub fn ok(data: T) -> Self {
        Self {
            code: 0,
            message: "ok".into(),
            data: Some(data),
            result: true,
        }
    }
}

impl Reply<()> {
    /// A refusal with a gateway code and message.
    pub fn refuse(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
            result: false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Order status

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

// ---------------------------------------------------------------------------------------------
// Requests

/// The redirect and callback URLs that order-creating requests share, all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Urls {
    /// Where the hosted checkout sends the customer after paying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub succeed_url: Option<String>,
    /// Where the hosted checkout sends the customer after the order times out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_url: Option<String>,
    /// Called (GET, or POST with `enable_post_callback`) when the order is paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// Called when the order times out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_callback: Option<String>,
}

/// Create BLN Order (`POST /api/bln/order`): a Lightning invoice for a fiat amount. **Verified**
/// (the verbatim docs page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateBlnOrder {
    /// The fiat amount, sent as an exact JSON number.
    pub price: Amount,
    /// The fiat currency code, such as `USD`.
    pub currency: String,
    /// Redirect and callback URLs, all optional.
    #[serde(flatten)]
    pub urls: Urls,
}

impl CreateBlnOrder {
    /// An order for `price` in `currency`, with no redirect or callback URLs.
    pub fn new(price: Amount, currency: impl Into<String>) -> Self {
        Self {
            price,
            currency: currency.into(),
            urls: Urls::default(),
        }
    }
}

/// Create BLN Withdraw (`POST /api/bln/withdraw`): pay a Lightning invoice from the merchant's
/// BLN balance. Body **verified**; the answer is not documented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlnWithdrawRequest {
    /// The BOLT11 invoice to pay.
    pub ln_invoices: String,
    /// Only for invoices without an amount: how much to pay, in BTC, as a string.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub amount: Option<String>,
}

/// Get Payment URL (`POST /api/order/pay-url`): a hosted checkout where the customer picks a
/// coin. **Verified**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentUrlRequest {
    /// The fiat amount.
    pub price: Amount,
    /// The fiat currency code.
    pub currency: String,
    /// Redirect and callback URLs, all optional.
    #[serde(flatten)]
    pub urls: Urls,
    /// Fix the crypto price at creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_encrypt_price: Option<bool>,
    /// Make callbacks POST with the order as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_post_callback: Option<bool>,
}

/// Get Payment Info (`POST /api/order/pay-info`): an order for one coin. **Verified**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentInfoRequest {
    /// The chain, such as `TRX` or `BLN`.
    pub chain: String,
    /// The coin, such as `USDT-TRC20`.
    pub currency: String,
    /// The fiat currency code.
    pub vs_currency: String,
    /// The fiat amount.
    pub vs_price: Amount,
    /// Redirect and callback URLs, all optional.
    #[serde(flatten)]
    pub urls: Urls,
}

/// Orders Refund (`POST /api/v2/order/refund/{order_id}`). **Unverified**: how the destination
/// and a partial amount are given is not public; these two optional fields are our reading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRequest {
    /// Where to send the refund (an address or a Lightning invoice).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub address: Option<String>,
    /// A partial refund, in the order's coin; the whole order when absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub amount: Option<String>,
}

/// Get API-Key (`POST /api/plugin/key/aurpay`). **Verified**. The password is used once.
#[derive(Clone, Serialize)]
pub struct ApiKeyRequest {
    /// The Aurpay account's user name (an e-mail address).
    pub username: String,
    /// The account's password.
    pub password: String,
}

impl fmt::Debug for ApiKeyRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKeyRequest")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

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

/// The answer to Get Payment URL. **Verified**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentUrl {
    /// The hosted checkout page.
    pub pay_url: String,
}

/// The answer to Get Payment Info. **Verified**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInfo {
    /// The order's id.
    #[serde(deserialize_with = "id_text")]
    pub order_id: String,
    /// The order's status.
    pub status: OrderStatus,
    /// The amount in the coin.
    #[serde(default, deserialize_with = "amount::optional")]
    pub amount: Option<Amount>,
    /// When the order was created (UTC).
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub create_time: Option<Timestamp>,
    /// The fiat currency.
    #[serde(default)]
    pub vs_currency: Option<String>,
    /// The fiat amount.
    #[serde(default, deserialize_with = "amount::optional")]
    pub vs_price: Option<Amount>,
    /// The address to pay.
    #[serde(default)]
    pub address: Option<String>,
    /// The token contract.
    #[serde(default)]
    pub contract_addr: Option<String>,
    /// The hosted checkout page.
    #[serde(default)]
    pub pay_url: Option<String>,
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

/// An item of Get Transaction. **Verified** field names (the list is cut off after `fee`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// The merchant.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The transaction's id.
    #[serde(default, deserialize_with = "opt_id_text")]
    pub tx_id: Option<String>,
    /// Its type.
    #[serde(default)]
    pub tx_type: Option<String>,
    /// Its status.
    #[serde(default)]
    pub status: Option<String>,
    /// Its chain.
    #[serde(default)]
    pub chain: Option<String>,
    /// Its coin.
    #[serde(default)]
    pub currency: Option<String>,
    /// The amount.
    #[serde(default, deserialize_with = "amount::optional")]
    pub amount: Option<Amount>,
    /// What the merchant obtained.
    #[serde(default, deserialize_with = "amount::optional")]
    pub obtained: Option<Amount>,
    /// The fee.
    #[serde(default, deserialize_with = "amount::optional")]
    pub fee: Option<Amount>,
}

/// A currency the gateway supports, from Get Support Real/Crypto Currency List. **Unverified**:
/// the answers are not public, so a list of codes (`["USD", ...]`) and a list of objects with a
/// `currency`, `code` or `symbol` field are both read into this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrencyInfo {
    /// The code, such as `USD` or `BTC-LN`.
    pub code: String,
    /// A display name, when the gateway gives one.
    pub name: Option<String>,
}

impl<'de> Deserialize<'de> for CurrencyInfo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Code(String),
            Object {
                #[serde(alias = "code", alias = "symbol")]
                currency: String,
                #[serde(default, alias = "full_name", alias = "currency_name")]
                name: Option<String>,
            },
        }
        Ok(match Form::deserialize(d)? {
            Form::Code(code) => Self { code, name: None },
            Form::Object { currency, name } => Self {
                code: currency,
                name,
            },
        })
    }
}

/// The answer to Get API-Key. **Verified**.
#[derive(Deserialize)]
pub(crate) struct ApiKeyAnswer {
    pub access_token: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_serialize_flat_with_exact_prices_and_no_empty_urls() {
        let mut req = CreateBlnOrder::new(Amount::parse("12.50").unwrap(), "USD");
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"price":12.5,"currency":"USD"}"#
        );
        req.urls.callback_url = Some("https://shop.example/cb".into());
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"price":12.5,"currency":"USD","callback_url":"https://shop.example/cb"}"#
        );
    }

    #[test]
    fn excerpts_are_bounded_after_escaping() {
        assert_eq!(excerpt("abc", 10), "abc");
        assert_eq!(excerpt("a\nb", 10), "a\\nb");
        assert_eq!(excerpt("abcdef", 3), "abc…");
        let wide = "\u{fffd}".repeat(50);
        let e = excerpt(&wide, 20);
        assert!(e.chars().count() <= 21, "{e}");
        assert!(e.ends_with('…'));
    }

    #[test]
    fn the_api_key_request_never_prints_the_password() {
        let r = ApiKeyRequest {
            username: "u@x".into(),
            password: "pa55word".into(),
        };
        assert!(!format!("{r:?}").contains("pa55word"));
    }
}
