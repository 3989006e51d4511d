//! A typed async client for the Aurpay merchant API.
//!
//! This crate knows Aurpay and nothing of tills: credentials that never print their secrets, both
//! authentication methods, every endpoint in Aurpay's documentation, wire types that read money
//! exactly, BOLT11 invoice checks and callback verification.
//!
//! What is verified against Aurpay's public material and what is our inference is said on each
//! item; the unverified choices live in [`endpoints`] (paths), [`wire`] (answer shapes) and
//! [`signing`] (what is signed).
//!
//! ```no_run
//! use aurpay::{Amount, Client, Config, CreateBlnOrder, Credentials, Network};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(
//!     Config::new(aurpay::DEFAULT_BASE_URL).credentials(Credentials::api_key("your-api-key")),
//! )?;
//! let order = client.create_bln_order(&CreateBlnOrder::new("12.50".parse()?, "USD")).await?;
//! // Never show an invoice that has not been checked.
//! let invoice = order.check_invoice(Network::Bitcoin, chrono::Utc::now())?;
//! println!("pay {} msat: lightning:{}", invoice.amount_msat, invoice.payment_request.to_uppercase());
//! let status = client.order_details(&order.order_id).await?.status;
//! println!("order {} is {status}", order.order_id);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod amount;
mod answer;
pub mod callback;
mod client;
pub mod credentials;
pub mod endpoints;
mod error;
pub mod invoice;
pub mod network;
pub mod reference;
pub mod signing;
pub mod wire;

pub use amount::{Amount, AmountError};
pub use answer::{decode_answer, Recorded};
pub use client::{Client, Config, Usage, DEFAULT_TIMEOUT};
pub use credentials::{Credentials, Secret};
pub use error::Error;
pub use invoice::{CheckedInvoice, InvoiceError};
pub use network::Network;
pub use wire::{
    BlnBalance, BlnOrder, BlnWithdrawRequest, BlnWithdrawal, CreateBlnOrder, CurrencyInfo, Order,
    OrderStatus, Page, PaymentInfo, PaymentInfoRequest, PaymentUrl, PaymentUrlRequest, Refund,
    RefundInfo, RefundRequest, Timestamp, Transaction, Urls,
};

/// Aurpay's production host, as every official example uses it.
pub const DEFAULT_BASE_URL: &str = "https://dashboard.aurpay.net";

impl BlnOrder {
    /// Checks this order's invoice against the order itself: valid BOLT11 with a valid signature,
    /// the order's `amount` to the millisatoshi, the configured `network`, not expired at `now`,
    /// and (when the gateway sent one) `payment_addr` equal to the invoice's payment secret.
    pub fn check_invoice(
        &self,
        network: Network,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<CheckedInvoice, InvoiceError> {
        let msat = self
            .amount
            .btc_to_msat()
            .map_err(|e| InvoiceError::Undecodable(format!("order amount: {e}")))?;
        let checked = invoice::check(&self.payment_request, msat, network, now)?;
        if let Some(addr) = &self.payment_addr {
            if !addr.trim().eq_ignore_ascii_case(&checked.payment_secret) {
                return Err(InvoiceError::PaymentAddrMismatch);
            }
        }
        Ok(checked)
    }
}
