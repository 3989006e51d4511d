//! The till itself, without a window: what the desktop app and the `till` command share.
//!
//! - [`money`]: fiat in minor units, BTC in millisatoshis, no floats;
//! - [`sale`]: the sale's life as a pure transition function;
//! - [`ledger`]: SQLite, gap-free receipts, a hash-chained journal, sealed days;
//! - [`till`]: charging, cancelling, checking, reconciling: the ledger and the gateway together;
//! - [`payouts`]: refunds and withdrawals, never paid twice;
//! - [`watcher`]: follows every open sale until its money arrives or cannot;
//! - [`report`] and [`export`]: X and Z reports, CSV and JSON;
//! - [`secrets`] and [`pin`]: credentials in the OS keychain, the manager PIN;
//! - [`qr`]: invoice QR codes as SVG;
//! - [`environment`]: what the process environment configures.
//!
//! Nothing here depends on Tauri, so all of it is tested with a temporary folder and the Aurpay
//! simulator.
#![deny(missing_docs)]

pub mod environment;
pub mod export;
pub mod files;
pub mod ledger;
pub mod money;
pub mod payouts;
pub mod pin;
pub mod qr;
pub mod receipt;
pub mod report;
pub mod sale;
pub mod secrets;
pub mod settings;
pub mod till;
pub mod watcher;

pub use environment::{Environment, EnvironmentError, Mode};

/// The till's version, as the desktop app and the command line report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
