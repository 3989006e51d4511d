//! The one error shape the web view receives: `{code, message}`.
//!
//! `code` is what the UI branches on (which screen to show); `message` is a plain sentence safe
//! to show a cashier. The full cause stays in Rust. Only add a code when the UI acts on it.

use serde::Serialize;
use ts_rs::TS;

/// What the UI can do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The till's configuration (environment variables) cannot be used: show it, with the fix.
    Config,
}

/// An error as the web view sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    /// What kind of error, for the UI to choose a screen.
    pub code: ErrorCode,
    /// A plain sentence for the cashier or owner.
    pub message: String,
}

impl From<&till_core::EnvironmentError> for IpcError {
    fn from(e: &till_core::EnvironmentError) -> Self {
        Self {
            code: ErrorCode::Config,
            message: e.to_string(),
        }
    }
}
