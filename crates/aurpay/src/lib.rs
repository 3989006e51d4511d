//! A typed client for the Aurpay merchant API.
//!
//! This crate knows Aurpay and nothing of tills: credentials, wire types, endpoints, invoice
//! checks and callback verification. What is verified against Aurpay's public documentation and
//! what is inferred is said on each item.
#![deny(missing_docs)]

pub mod credentials;
pub mod network;

pub use credentials::{Credentials, Secret};
pub use network::Network;

/// Aurpay's production host, as every official example uses it.
pub const DEFAULT_BASE_URL: &str = "https://dashboard.aurpay.net";
