//! First run: the shop, the terminal, the currency and the manager PIN.

use tauri::{AppHandle, Manager, Runtime, State};
use till_core::{
    currencies::{self, CurrencyList},
    settings::{self, FirstRun},
};

use super::connection::restart;
use crate::{IpcError, Shell};
use till_core::people::Action;

/// The gateway's real (fiat) currencies, or a fallback list when it cannot be asked. Only codes
/// this till knows (ISO 4217) are offered.
#[tauri::command]
pub async fn currencies(shell: State<'_, Shell>) -> Result<CurrencyList, IpcError> {
    let core = shell.core()?;
    Ok(currencies::offered(core.till.gateway()).await)
}

/// Finishes the first run: the shop's name, this terminal's name, the currency and the manager
/// PIN (4 to 12 digits), and the shop's language (the system's when not given). Everything is checked before anything is saved, and saved at once. Once
/// set up with a PIN, running it again needs the manager.
#[tauri::command]
pub async fn finish_setup<R: Runtime>(
    app: AppHandle<R>,
    shop_name: String,
    terminal: String,
    currency: String,
    pin: String,
    language: Option<String>,
) -> Result<(), IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.core()?;
    let done = settings::setup_done(&core.till.ledger())?;
    if done {
        shell.manager(Action::Settings)?;
    }
    let first = FirstRun {
        shop_name,
        terminal,
        currency,
        pin,
        language: language.unwrap_or_default(),
    };
    settings::finish_setup(&mut core.till.ledger(), &first)?;
    drop(core);
    shell.open_manager();
    restart(&app).await
}
