//! The one error shape the web view receives, `{code, message}`, and the one place every core
//! error becomes it.
//!
//! `code` is what the UI branches on (which screen, which message); `message` is a plain sentence
//! safe to show a cashier. An internal error (the ledger or the app failing) is logged here with
//! its whole chain of causes, and the window gets a short sentence. Only add a code the UI acts
//! on.

use std::error::Error as StdError;

use serde::{Deserialize, Serialize};
use till_core::{
    cart::CartError,
    catalog::CatalogError,
    connect::ConnectError,
    export::ExportError,
    files::WriteError,
    ledger::LedgerError,
    people::PeopleError,
    pin::PinError,
    qr::TooLong,
    receipt::ReceiptError,
    report::ReportError,
    secrets::SecretError,
    session::Refusal,
    settings::{SellingError, SettingsError},
    startup::StartupError,
    till::TillError,
    EnvironmentError,
};
use ts_rs::TS;

/// What the UI can do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
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
    /// A file or folder could not be written (a folder gone, a disk full, no permission): show
    /// the sentence, which names it, so the owner can pick another.
    File,
    /// A card (or a withdraw link) could not pay the invoice: show why where the card was tapped,
    /// and let the customer tap again or pay another way.
    Card,
    /// Anything else: the ledger or the app itself failed.
    Internal,
}

/// An error as the web view sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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

    /// `e` with `code`. An internal error is logged with its whole chain, and the window gets a
    /// fixed sentence instead of its text (SQLite's words, file paths and the like are for the
    /// log, not for a cashier).
    fn from_error(code: ErrorCode, e: &(dyn StdError + 'static)) -> Self {
        if code == ErrorCode::Internal {
            tracing::error!("internal error: {}", chain(e));
            return Self::new(code, INTERNAL);
        }
        Self::new(code, e.to_string())
    }
}

/// What the window is told of an internal error; the details are in the log.
pub const INTERNAL: &str =
    "Something went wrong inside the till, so that was not done; nothing was lost. \
     Try again, or restart Till. The details are in the log file in Till's data folder.";

/// `e` and every cause beneath it, for the log.
fn chain(e: &(dyn StdError + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        out.push_str(": ");
        out.push_str(&inner.to_string());
        source = inner.source();
    }
    out
}

/// Each core error's code: what the UI should do about it.
macro_rules! ipc_errors {
    ($($ty:ty => |$e:ident| $code:expr;)*) => {$(
        impl From<$ty> for IpcError {
            fn from($e: $ty) -> Self {
                let code = $code;
                Self::from_error(code, &$e)
            }
        }
    )*};
}

fn ledger_code(e: &LedgerError) -> ErrorCode {
    match e {
        LedgerError::NoSuchReceipt(_) => ErrorCode::NotFound,
        LedgerError::AlreadyClosed(_) | LedgerError::Refused(_) => ErrorCode::NotAllowed,
        LedgerError::NotFound(_) => ErrorCode::NotFound,
        _ => ErrorCode::Internal,
    }
}

fn cart_code(e: &CartError) -> ErrorCode {
    match e {
        CartError::Bill(_) | CartError::Money(_) | CartError::Currency { .. } => {
            ErrorCode::BadInput
        }
        CartError::UnknownItem(_) | CartError::NoLine(_) => ErrorCode::NotFound,
        CartError::NeedsManager { .. } => ErrorCode::PinRequired,
        CartError::Settings(SellingError::Ledger(l)) | CartError::Ledger(l) => ledger_code(l),
        CartError::Settings(_) => ErrorCode::Config,
    }
}

fn pin_code(e: &PinError) -> ErrorCode {
    match e {
        PinError::Wrong { .. } | PinError::Locked { .. } => ErrorCode::WrongPin,
        PinError::BadFormat => ErrorCode::BadInput,
        PinError::NotSet => ErrorCode::NotAllowed,
        PinError::Ledger(l) => ledger_code(l),
        PinError::Hash(_) => ErrorCode::Internal,
        PinError::Taken => ErrorCode::BadInput,
    }
}

fn gateway_code(e: &aurpay::Error) -> ErrorCode {
    match e {
        aurpay::Error::Unauthorized { .. } => ErrorCode::Unauthorized,
        aurpay::Error::Config(_) => ErrorCode::Config,
        _ => ErrorCode::Gateway,
    }
}

ipc_errors! {
    TillError => |e| match &e {
        TillError::Money(_) | TillError::MemoTooLong | TillError::BadInput(_) => ErrorCode::BadInput,
        TillError::Refused(_) | TillError::NotAllowed { .. } => ErrorCode::NotAllowed,
        TillError::Ledger(l) => ledger_code(l),
        TillError::Gateway(g) => gateway_code(g),
        TillError::Cart(c) => cart_code(c),
        TillError::Card(_) => ErrorCode::Card,
    };
    CartError => |e| cart_code(&e);
    SellingError => |e| match &e {
        SellingError::Ledger(l) => ledger_code(l),
        _ => ErrorCode::Config,
    };
    CatalogError => |e| match &e {
        CatalogError::Item(_) | CatalogError::Line { .. } | CatalogError::File(_) => ErrorCode::BadInput,
        CatalogError::Ledger(l) => ledger_code(l),
    };
    LedgerError => |e| ledger_code(&e);
    ReportError => |e| match &e {
        ReportError::BadDate(_) | ReportError::BadRange(..) | ReportError::BadTimezone(_) => {
            ErrorCode::BadInput
        }
        ReportError::FutureDay(_) | ReportError::OpenSales { .. } | ReportError::NothingToClose(_) => {
            ErrorCode::NotAllowed
        }
        ReportError::NoSuchZ(_) => ErrorCode::NotFound,
        ReportError::Ledger(l) => ledger_code(l),
    };
    ExportError => |e| match &e {
        ExportError::Write(_) => ErrorCode::Internal,
        ExportError::Report(ReportError::Ledger(l)) => ledger_code(l),
        ExportError::Report(_) | ExportError::NoDays => ErrorCode::BadInput,
    };
    PinError => |e| pin_code(&e);
    SettingsError => |e| match &e {
        SettingsError::Bad(_) | SettingsError::UnknownKey(_) => ErrorCode::BadInput,
        SettingsError::Fixed(..) | SettingsError::TerminalInUse(_) => ErrorCode::NotAllowed,
        SettingsError::Pin(p) => pin_code(p),
        SettingsError::Ledger(l) => ledger_code(l),
    };
    SecretError => |_e| ErrorCode::Keychain;
    ConnectError => |e| match &e {
        ConnectError::BadInput(_) => ErrorCode::BadInput,
        ConnectError::FromEnvironment => ErrorCode::NotAllowed,
        ConnectError::Keychain(_) => ErrorCode::Keychain,
        ConnectError::Gateway(g) => gateway_code(g),
    };
    StartupError => |e| match &e {
        StartupError::Gateway(aurpay::Error::Config(_)) => ErrorCode::Config,
        StartupError::NoCredentials => ErrorCode::Config,
        StartupError::Keychain(_) => ErrorCode::Keychain,
        _ => ErrorCode::Internal,
    };
    Refusal => |e| match e {
        Refusal::Locked => ErrorCode::Locked,
        Refusal::PinRequired(_) => ErrorCode::PinRequired,
        Refusal::NoPin => ErrorCode::NotAllowed,
    };
    PeopleError => |e| match &e {
        // A PIN whose person may not do this: a manager's PIN is needed.
        PeopleError::NotAllowed { .. } | PeopleError::PinMayNot { .. } => ErrorCode::PinRequired,
        PeopleError::Pin(p) => pin_code(p),
        PeopleError::Ledger(l) => ledger_code(l),
        PeopleError::Unknown(_) => ErrorCode::NotFound,
        PeopleError::LastOwner(_) | PeopleError::OwnerFirst(_) => ErrorCode::NotAllowed,
        _ => ErrorCode::BadInput,
    };
    ReceiptError => |_e| ErrorCode::File;
    WriteError => |_e| ErrorCode::File;
    tauri::Error => |_e| ErrorCode::Internal;
    TooLong => |_e| ErrorCode::Internal;
}

impl From<&EnvironmentError> for IpcError {
    fn from(e: &EnvironmentError) -> Self {
        Self::new(ErrorCode::Config, e.to_string())
    }
}
