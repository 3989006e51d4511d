//! Paying an invoice from an LNURL-withdraw link: what a Bolt Card holds (read over NFC) and what
//! a wallet's "withdraw" QR carries (scanned or pasted).
//!
//! - [`link`]: the link in any of its spellings, LUD-17's `lnurlw://`, LUD-01's bech32
//!   `LNURL1...`, a plain `https://` address, or a wallet's `lightning:` prefix, turned into the
//!   address to ask. HTTPS only, except loopback and `.onion` (LUD-01).
//! - [`withdraw`]: LUD-03: ask the link for its withdraw request, check it is one and that the
//!   invoice's amount is within its limits, then hand the invoice to its callback with `k1`.
//!
//! The service's `OK` only means it will try to pay: whether the invoice was paid is the
//! gateway's to say, so this crate never reports a sale as paid.

pub mod link;
pub mod withdraw;

mod error;

pub use error::Error;
pub use link::parse;
pub use withdraw::{Accepted, Service, WithdrawRequest};
