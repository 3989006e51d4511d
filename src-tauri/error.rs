//! The one error shape the web view receives: `{code, message}`.
//!
//! `code` is what the UI branches on (which screen, which message); `message` is a plain sentence
//! safe to show a cashier. The full cause is logged in Rust. Only add a code the UI acts on.

use serde::Serialize;
use till_core::{ledger::LedgerError, till::TillError};
use ts_rs::TS;

/// What the UI can do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The till's configuration cannot be used: show it, with the fix.
    Config,
    /// The amount, currency or memo typed is refused: stay on the keypad and show why.
    BadInput,
    /// No such receipt.
    NotFound,
    /// The action does not apply to the sale as it is now.
    NotAllowed,
    /// The gateway refused the credentials: the owner must fix them.
    Unauthorized,
    /// The gateway could not be reached or answered badly: offer to try again.
    Gateway,
    /// Only in demo mode.
    DemoOnly,
    /// The till is locked: show the lock screen.
    Locked,
    /// A manager action: ask for the manager PIN, then try again.
    PinRequired,
    /// A wrong PIN (the message says how long to wait when it is slowed down).
    WrongPin,
    /// The system keychain cannot be used: show what is missing and how to fix it.
    Keychain,
    /// Anything else: the ledger or the app itself failed.
    Internal,
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

impl IpcError {
    /// An error with a code and a sentence.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<&till_core::EnvironmentError> for IpcError {
    fn from(e: &till_core::EnvironmentError) -> Self {
        Self::new(ErrorCode::Config, e.to_string())
    }
}

impl From<TillError> for IpcError {
    fn from(e: TillError) -> Self {
        let code = match &e {
            TillError::Money(_) | TillError::MemoTooLong | TillError::BadInput(_) => {
                ErrorCode::BadInput
            }
            TillError::Refused(_) => ErrorCode::NotAllowed,
            TillError::Ledger(LedgerError::NoSuchReceipt(_)) => ErrorCode::NotFound,
            TillError::Ledger(_) => ErrorCode::Internal,
            TillError::NotAllowed { .. } => ErrorCode::NotAllowed,
            TillError::Gateway(aurpay::Error::Unauthorized { .. }) => ErrorCode::Unauthorized,
            TillError::Gateway(_) => ErrorCode::Gateway,
        };
        if code == ErrorCode::Internal {
            tracing::error!("internal error: {e:?}");
        }
        Self::new(code, e.to_string())
    }
}

impl From<LedgerError> for IpcError {
    fn from(e: LedgerError) -> Self {
        TillError::from(e).into()
    }
}
