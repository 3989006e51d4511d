//! The commands the web view may call. Each is listed in `build.rs`, which is what grants it.

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::{IpcError, Shell};

/// What the window shows about the till itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The till's version.
    pub version: String,
    /// True when no gateway credentials are configured: sales are training records.
    pub demo: bool,
    /// Where the ledger, settings and logs live.
    pub data_dir: String,
    /// The network invoices must be on (`bitcoin`, `testnet`, `signet`, `regtest`).
    pub network: String,
}

/// The till's version, mode and data folder.
#[tauri::command]
pub fn app_info(shell: State<'_, Shell>) -> Result<AppInfo, IpcError> {
    let env = shell.environment.as_ref().map_err(IpcError::from)?;
    Ok(AppInfo {
        version: till_core::VERSION.to_owned(),
        demo: env.mode() == till_core::Mode::Demo,
        data_dir: env.data_dir.display().to_string(),
        network: env.network.to_string(),
    })
}
