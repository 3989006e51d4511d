//! The till itself, without a window: what the desktop app and the `till` command share.
//!
//! Nothing here depends on Tauri, so all of it can be tested with a temporary folder and the
//! Aurpay simulator.
#![deny(missing_docs)]

pub mod environment;

pub use environment::{Environment, EnvironmentError, Mode};

/// The till's version, as the desktop app and the command line report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
