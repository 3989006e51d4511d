//! First run and the gateway connection: the shop, the terminal, the currency, the manager PIN,
//! and the credentials (saved to the OS keychain only, tested before they are kept, never sent
//! back to the web view).

use aurpay::{Credentials, Secret};
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use till_core::{money::Currency, pin, secrets, settings};
use ts_rs::TS;

use crate::{
    events,
    state::{client_for, pin_error, CredentialSource},
    ErrorCode, IpcError, Shell,
};

/// Currencies offered when the gateway cannot be asked.
const FALLBACK_CURRENCIES: &[&str] = &[
    "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "CNY", "HKD", "SGD", "INR", "BRL", "MXN",
    "ZAR", "NGN", "KES", "SEK", "NOK", "DKK", "PLN", "CZK", "TRY", "AED", "THB", "PHP", "ARS",
    "SVC",
];

/// A currency the shop can charge in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CurrencyOption {
    /// ISO 4217 code.
    pub code: String,
    /// Its English name.
    pub name: String,
}

/// The currencies to choose from, and where the list came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CurrencyList {
    /// The choices, by code.
    pub currencies: Vec<CurrencyOption>,
    /// True when the gateway gave the list; false for the built-in fallback.
    pub from_gateway: bool,
    /// Why the fallback is shown, when it is.
    pub note: Option<String>,
}

/// The gateway's real (fiat) currencies, or a fallback list when it cannot be asked. Only codes
/// this till knows (ISO 4217) are offered.
#[tauri::command]
pub async fn currencies(shell: State<'_, Shell>) -> Result<CurrencyList, IpcError> {
    let core = shell.core()?;
    let known = |code: &str| {
        Currency::from_code(code).ok().map(|c| CurrencyOption {
            code: c.code().to_owned(),
            name: c.name(),
        })
    };
    let fallback = |note: String| CurrencyList {
        currencies: FALLBACK_CURRENCIES
            .iter()
            .filter_map(|c| known(c))
            .collect(),
        from_gateway: false,
        note: Some(note),
    };
    Ok(match core.till.gateway().real_currencies().await {
        Ok(list) => {
            let mut currencies: Vec<CurrencyOption> =
                list.iter().filter_map(|c| known(&c.code)).collect();
            currencies.sort_by(|a, b| a.code.cmp(&b.code));
            currencies.dedup();
            if currencies.is_empty() {
                fallback(
                    "The gateway listed no currency this till knows; showing the usual ones."
                        .into(),
                )
            } else {
                CurrencyList {
                    currencies,
                    from_gateway: true,
                    note: None,
                }
            }
        }
        Err(e) => fallback(format!(
            "The gateway could not be asked ({e}); showing the usual currencies."
        )),
    })
}

fn clean_name(what: &str, text: &str, max: usize) -> Result<String, IpcError> {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if cleaned.is_empty() {
        return Err(IpcError::new(
            ErrorCode::BadInput,
            format!("give the {what}"),
        ));
    }
    if cleaned.chars().count() > max {
        return Err(IpcError::new(
            ErrorCode::BadInput,
            format!("the {what} is longer than {max} characters"),
        ));
    }
    Ok(cleaned)
}

fn check_terminal(text: &str) -> Result<String, IpcError> {
    let t = text.trim().to_lowercase();
    let ok = (1..=32).contains(&t.len())
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        return Err(IpcError::new(
            ErrorCode::BadInput,
            "a terminal name is 1 to 32 letters, digits or dashes, such as till-1",
        ));
    }
    Ok(t)
}

/// Finishes the first run: the shop's name, this terminal's name, the currency and the manager
/// PIN (4 to 12 digits). The terminal's name cannot change once it has sales (receipt numbers
/// count per terminal). Everything is checked before anything is saved.
#[tauri::command]
pub async fn finish_setup<R: Runtime>(
    app: AppHandle<R>,
    shop_name: String,
    terminal: String,
    currency: String,
    pin: String,
) -> Result<(), IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.core()?;
    {
        let ledger = core.till.ledger();
        if ledger.setting(settings::SETUP_DONE)?.is_some()
            && pin::is_set(&ledger).map_err(pin_error)?
        {
            drop(ledger);
            shell.manager()?;
        }
    }
    let shop_name = clean_name("shop's name", &shop_name, 60)?;
    let terminal = check_terminal(&terminal)?;
    let currency = Currency::from_code(currency.trim())
        .map_err(|e| IpcError::new(ErrorCode::BadInput, e.to_string()))?;
    if !(4..=12).contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(IpcError::new(
            ErrorCode::BadInput,
            "a PIN is 4 to 12 digits",
        ));
    }
    {
        let mut ledger = core.till.ledger();
        let current = settings::terminal(&ledger)?;
        if current != terminal && ledger.has_sales()? {
            return Err(IpcError::new(
                ErrorCode::NotAllowed,
                format!(
                    "this till already has sales as terminal {current}; its name cannot change"
                ),
            ));
        }
        pin::set(&mut ledger, &pin).map_err(pin_error)?;
        ledger.set_setting(settings::SHOP_NAME, &shop_name)?;
        ledger.set_setting(settings::TERMINAL, &terminal)?;
        ledger.set_setting(settings::SHOP_CURRENCY, currency.code())?;
        ledger.set_setting(
            settings::SETUP_DONE,
            &till_core::ledger::time_text(chrono::Utc::now()),
        )?;
    }
    drop(core);
    shell.open_manager();
    restart(&app).await?;
    Ok(())
}

/// What the owner sees about the gateway connection. Never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CredentialStatus {
    /// `environment`, `keychain` or `none` (demo mode).
    pub source: String,
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
    let core = shell.manager()?;
    Ok(CredentialStatus {
        source: match core.source {
            CredentialSource::Environment => "environment",
            CredentialSource::Keychain => "keychain",
            CredentialSource::None => "none",
        }
        .into(),
        hint: core.credentials_hint.clone(),
        base_url: core.base_url.clone(),
        keychain_problem: core.keychain_problem.clone(),
    })
}

/// The outcome of trying credentials against the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ConnectionResult {
    /// `connected`, `wrong_credentials` or `unreachable`.
    pub outcome: String,
    /// What happened, in plain words.
    pub message: String,
    /// Whether the credentials were saved to the keychain (only when they work).
    pub saved: bool,
}

fn outcome(result: Result<(), aurpay::Error>, saved: bool) -> ConnectionResult {
    match result {
        Ok(()) => ConnectionResult {
            outcome: "connected".into(),
            message: if saved {
                "Connected: the gateway accepted the credentials. They are saved in the system keychain.".into()
            } else {
                "Connected: the gateway accepted the credentials.".into()
            },
            saved,
        },
        Err(aurpay::Error::Unauthorized { message }) => ConnectionResult {
            outcome: "wrong_credentials".into(),
            message: format!(
                "The gateway refused these credentials ({message}). Check them in the Aurpay dashboard; nothing was saved."
            ),
            saved: false,
        },
        Err(e) => ConnectionResult {
            outcome: "unreachable".into(),
            message: format!(
                "The gateway could not be reached ({e}). Check the internet connection and the gateway address; nothing was saved."
            ),
            saved: false,
        },
    }
}

/// Asks for one order: answered only when the gateway is reachable and accepts the credentials.
async fn try_credentials(shell: &Shell, credentials: Credentials) -> Result<(), aurpay::Error> {
    let Ok(env) = shell.environment.as_ref() else {
        return Err(aurpay::Error::Config(
            "the environment is not usable".into(),
        ));
    };
    let base_url = shell
        .any_core()
        .map(|c| c.base_url.clone())
        .unwrap_or_else(|_| env.base_url.clone());
    let client = client_for(&base_url, Some(credentials), env.timeout)
        .map_err(|e| aurpay::Error::Config(e.message))?;
    client.orders(1, 1).await.map(|_| ())
}

fn credentials_from(
    kind: &str,
    api_key: Option<String>,
    token: Option<String>,
    secret: Option<String>,
) -> Result<Credentials, IpcError> {
    let given = |v: Option<String>, what: &str| {
        v.map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| IpcError::new(ErrorCode::BadInput, format!("paste the {what}")))
    };
    let creds = match kind {
        "api_key" => Credentials::ApiKey(Secret::new(given(api_key, "API key")?)),
        "signature" => Credentials::Signature {
            token: given(token, "API token")?,
            secret: Secret::new(given(secret, "API secret")?),
        },
        _ => {
            return Err(IpcError::new(
                ErrorCode::BadInput,
                "choose an API key, or an API token and secret",
            ))
        }
    };
    let longest = match &creds {
        Credentials::ApiKey(k) => k.expose().len(),
        Credentials::Signature { token, secret } => token.len().max(secret.expose().len()),
    };
    if longest > 512 {
        return Err(IpcError::new(
            ErrorCode::BadInput,
            "that is far too long to be an Aurpay credential",
        ));
    }
    Ok(creds)
}

async fn save_if_accepted<R: Runtime>(
    app: &AppHandle<R>,
    credentials: Credentials,
) -> Result<ConnectionResult, IpcError> {
    let shell = app.state::<Shell>();
    if let Ok(env) = shell.environment.as_ref() {
        if env.credentials.is_some() {
            return Err(IpcError::new(
                ErrorCode::NotAllowed,
                "the credentials come from AURPAY_* environment variables, which win; change them there",
            ));
        }
    }
    let result = try_credentials(&shell, credentials.clone()).await;
    if result.is_err() {
        return Ok(outcome(result, false));
    }
    secrets::save_credentials(shell.secrets.as_ref(), &credentials)
        .map_err(|e| IpcError::new(ErrorCode::Keychain, e.to_string()))?;
    tracing::info!("gateway credentials saved to the keychain");
    restart(app).await?;
    Ok(outcome(Ok(()), true))
}

/// Tries credentials against the gateway and, only if it accepts them, saves them to the
/// keychain and switches the till to live mode. `kind` is `api_key` (with `apiKey`) or
/// `signature` (with `token` and `secret`).
#[tauri::command]
pub async fn save_credentials<R: Runtime>(
    app: AppHandle<R>,
    kind: String,
    api_key: Option<String>,
    token: Option<String>,
    secret: Option<String>,
) -> Result<ConnectionResult, IpcError> {
    app.state::<Shell>().manager()?;
    let credentials = credentials_from(&kind, api_key, token, secret)?;
    save_if_accepted(&app, credentials).await
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
    shell.manager()?;
    let env = shell.environment.as_ref().map_err(IpcError::from)?;
    if username.trim().is_empty() || password.is_empty() {
        return Err(IpcError::new(
            ErrorCode::BadInput,
            "give the Aurpay account's username and password",
        ));
    }
    let base_url = shell.any_core()?.base_url.clone();
    let client = client_for(&base_url, None, env.timeout)?;
    let password = Secret::new(password);
    match client.get_api_key(username.trim(), &password).await {
        Ok(key) => save_if_accepted(&app, Credentials::ApiKey(key)).await,
        Err(aurpay::Error::Unauthorized { message } | aurpay::Error::Rejected { message, .. }) => {
            Ok(ConnectionResult {
                outcome: "wrong_credentials".into(),
                message: format!("Aurpay did not accept that username and password ({message}). Nothing was saved."),
                saved: false,
            })
        }
        Err(e) => Ok(outcome(Err(e), false)),
    }
}

/// Tests the credentials in use now.
#[tauri::command]
pub async fn test_connection(shell: State<'_, Shell>) -> Result<ConnectionResult, IpcError> {
    let core = shell.manager()?;
    if core.demo.is_some() {
        return Ok(ConnectionResult {
            outcome: "connected".into(),
            message: "Demo mode: the built-in demo gateway answers. Connect Aurpay to take real payments.".into(),
            saved: false,
        });
    }
    Ok(outcome(
        core.till.gateway().orders(1, 1).await.map(|_| ()),
        false,
    ))
}

/// Removes the saved credentials; the till goes back to demo mode.
#[tauri::command]
pub async fn forget_credentials<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    let shell = app.state::<Shell>();
    shell.manager()?;
    secrets::clear_credentials(shell.secrets.as_ref())
        .map_err(|e| IpcError::new(ErrorCode::Keychain, e.to_string()))?;
    tracing::info!("gateway credentials removed from the keychain");
    restart(&app).await?;
    Ok(())
}

/// Restarts the core with what is configured now and forwards its sale updates.
pub(crate) async fn restart<R: Runtime>(app: &AppHandle<R>) -> Result<(), IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.restart().await?;
    events::forward(app, &core);
    Ok(())
}
