//! The till itself, without a window: what the desktop app and the `till` command share.
//!
//! - [`money`]: fiat in minor units, BTC in millisatoshis, no floats;
//! - [`sale`]: the sale's life as a pure transition function;
//! - [`ledger`]: SQLite, two books of gap-free numbers, a hash-chained journal, numbered Z
//!   reports;
//! - [`till`]: charging, cancelling, checking, settling: the ledger and the gateway together;
//! - [`reconcile`]: finding the order a lost answer left behind, never by guessing;
//! - [`verify`]: the chain, every record and every sealed Z checked again;
//! - [`calendar`]: the shop's days;
//! - [`payouts`]: refunds and withdrawals, never paid twice;
//! - [`watcher`]: follows every open sale until its money arrives or cannot;
//! - [`report`] and [`export`]: X and Z reports, CSV and JSON;
//! - [`people`] and [`pin`]: the staff, their roles and what each may do, PINs;
//! - [`shift`]: shifts, the cash drawer, pay-ins and pay-outs, the count at the close;
//! - [`secrets`]: credentials in the OS keychain;
//! - [`session`]: the lock, the manager's PIN in force, the idle lock;
//! - [`qr`]: invoice QR codes as SVG;
//! - [`environment`]: what the process environment configures;
//! - [`startup`]: one start-up for the app and the `till` command (the demo gateway with the
//!   `demo` feature);
//! - [`gateway`]: whether the gateway answers and accepts the credentials;
//! - [`printing`]: the receipt printer's settings, documents and print queue;
//! - [`nfc`]: tap to pay, the card reader armed for a sale (the link's payment in `till::tap`).
//!
//! Nothing here depends on Tauri, so all of it is tested with a temporary folder and the Aurpay
//! simulator.
#![deny(missing_docs)]

pub mod calendar;
pub mod cart;
pub mod catalog;
pub mod connect;
pub mod currencies;
pub mod day;
#[cfg(feature = "demo")]
pub mod demo;
pub mod environment;
pub mod export;
pub mod files;
#[cfg(feature = "fixture")]
pub mod fixture;
pub mod gateway;
pub mod history;
pub mod ledger;
pub mod money;
pub mod nfc;
pub mod payouts;
pub mod people;
pub mod pin;
pub mod platform;
pub mod printing;
pub mod qr;
pub mod receipt;
pub mod reconcile;
pub mod report;
pub mod sale;
pub mod secrets;
pub mod session;
pub mod settings;
pub mod shift;
pub mod startup;
pub mod till;
pub mod verify;
pub mod watcher;
pub mod words;

pub use environment::{Environment, EnvironmentError};

/// The till's version, as the desktop app and the command line report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
