//! What the client sends: the bodies of the order-creating, withdrawing and refunding requests.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::amount::Amount;

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
