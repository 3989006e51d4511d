//! The gateway connection: credentials tried before they are kept (in the OS keychain only),
//! signing in with the Aurpay account, testing, forgetting. The secret never comes back to the
//! web view.

use aurpay::Secret;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use till_core::{
    connect::{self, ConnectionResult, CredentialKind},
    secrets,
    startup::CredentialSource,
};
use ts_rs::TS;

use crate::{choice::Choice, events, IpcError, Shell};
use till_core::people::Action;

/// What the owner sees about the gateway connection. Never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CredentialStatus {
    /// Where the credentials in use come from (none: demo mode).
    pub source: CredentialSource,
    /// Which credentials, masked: `API key …3f2a`.
    pub hint: Option<String>,
    /// The gateway's address.
    pub base_url: String,
    /// Why the keychain cannot be used, and how to fix it, when it cannot.
    pub keychain_problem: Option<String>,
}

/// Where the credentials come from, masked.
#[tauri::command]
pub fn credential_status(shell: State<'_, Shell>) -> Result<CredentialStatus, IpcError> {
    let core = shell.manager(Action::Credentials)?;
    Ok(CredentialStatus {
        source: core.source,
        hint: core.credentials_hint.clone(),
        base_url: core.base_url.clone(),
        keychain_problem: core.keychain_problem.clone(),
    })
}

/// Tries credentials against the gateway and, only if it accepts them, saves them to the
/// keychain and switches the till to live mode.
#[tauri::command]
pub async fn save_credentials<R: Runtime>(
    app: AppHandle<R>,
    kind: Choice<CredentialKind>,
    api_key: Option<String>,
    token: Option<String>,
    secret: Option<String>,
) -> Result<ConnectionResult, IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.manager(Action::Credentials)?;
    let env = shell.env()?;
    let kind = kind.get("choose an API key, or an API token and secret")?;
    let credentials = connect::from_form(kind, api_key, token, secret)?;
    let result = connect::try_then_save(
        shell.secrets.as_ref(),
        env.credentials.is_some(),
        &core.base_url,
        env.timeout,
        credentials,
    )
    .await?;
    restart_if_saved(&app, &result).await?;
    Ok(result)
}

/// Signs in with the Aurpay account (Get API-Key): the username and password are used for this
/// one request and never stored; the API key it returns is tested and saved like a pasted one.
#[tauri::command]
pub async fn sign_in<R: Runtime>(
    app: AppHandle<R>,
    username: String,
    password: String,
) -> Result<ConnectionResult, IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.manager(Action::Credentials)?;
    let env = shell.env()?;
    let result = connect::sign_in(
        shell.secrets.as_ref(),
        env.credentials.is_some(),
        &core.base_url,
        env.timeout,
        &username,
        Secret::new(password),
    )
    .await?;
    restart_if_saved(&app, &result).await?;
    Ok(result)
}

/// Tests the credentials in use now.
#[tauri::command]
pub async fn test_connection(shell: State<'_, Shell>) -> Result<ConnectionResult, IpcError> {
    let core = shell.manager(Action::Credentials)?;
    Ok(connect::test(core.till.gateway(), core.is_demo()).await)
}

/// Removes the saved credentials; the till goes back to demo mode.
#[tauri::command]
pub async fn forget_credentials<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    let shell = app.state::<Shell>();
    shell.manager(Action::Credentials)?;
    secrets::clear_credentials(shell.secrets.as_ref())?;
    tracing::info!("gateway credentials removed from the keychain");
    restart(&app).await
}

async fn restart_if_saved<R: Runtime>(
    app: &AppHandle<R>,
    result: &ConnectionResult,
) -> Result<(), IpcError> {
    if result.saved {
        restart(app).await?;
    }
    Ok(())
}

/// Restarts the core with what is configured now and forwards its sale updates.
pub(crate) async fn restart<R: Runtime>(app: &AppHandle<R>) -> Result<(), IpcError> {
    let core = app.state::<Shell>().restart().await?;
    events::forward(app, &core);
    Ok(())
}
