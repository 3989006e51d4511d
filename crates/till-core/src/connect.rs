//! Connecting the till to Aurpay: credentials given on a form (or by signing in) are tried
//! against the gateway first and kept in the OS keychain only when it accepts them; what
//! happened is said in one way for every caller.

use std::time::Duration;

use aurpay::{Credentials, Secret};
use serde::{Deserialize, Serialize};

use crate::{
    gateway::{self, Probe, Probed},
    secrets::{self, SecretError, SecretStore},
    startup,
};

/// Which credentials a form gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum CredentialKind {
    /// An API key (Aurpay: "for testing").
    ApiKey,
    /// An API token and its secret (Aurpay's advice for production).
    Signature,
}

/// The outcome of trying credentials against the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConnectionResult {
    /// Connected, wrong credentials, or unreachable.
    pub outcome: Probe,
    /// What happened, in plain words.
    pub message: String,
    /// Whether the credentials were saved to the keychain (only when they work).
    pub saved: bool,
}

/// Why credentials were not tried or kept (besides the gateway saying no, which is a
/// [`ConnectionResult`]).
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Something on the form is missing or absurd.
    #[error("{0}")]
    BadInput(String),
    /// `AURPAY_*` variables set the credentials; they win.
    #[error(
        "the credentials come from AURPAY_* environment variables, which win; change them there"
    )]
    FromEnvironment,
    /// The keychain cannot keep them.
    #[error(transparent)]
    Keychain(#[from] SecretError),
    /// The client cannot be made (a bad gateway address).
    #[error(transparent)]
    Gateway(#[from] aurpay::Error),
}

/// The longest credential accepted (Aurpay's keys are far shorter).
const MAX_CREDENTIAL: usize = 512;

/// Credentials from a form: the API key, or the token and secret.
pub fn from_form(
    kind: CredentialKind,
    api_key: Option<String>,
    token: Option<String>,
    secret: Option<String>,
) -> Result<Credentials, ConnectError> {
    let given = |v: Option<String>, what: &str| {
        v.map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ConnectError::BadInput(format!("paste the {what}")))
    };
    let creds = match kind {
        CredentialKind::ApiKey => Credentials::ApiKey(Secret::new(given(api_key, "API key")?)),
        CredentialKind::Signature => Credentials::Signature {
            token: given(token, "API token")?,
            secret: Secret::new(given(secret, "API secret")?),
        },
    };
    let longest = match &creds {
        Credentials::ApiKey(k) => k.expose().len(),
        Credentials::Signature { token, secret } => token.len().max(secret.expose().len()),
    };
    if longest > MAX_CREDENTIAL {
        return Err(ConnectError::BadInput(
            "that is far too long to be an Aurpay credential".into(),
        ));
    }
    Ok(creds)
}

/// What the gateway's answer means to someone connecting, saved or not.
pub fn result(probed: Probed, saved: bool) -> ConnectionResult {
    let why = probed.why.unwrap_or_default();
    let message = match probed.outcome {
        Probe::Connected if saved => {
            "Connected: the gateway accepted the credentials. They are saved in the system keychain.".into()
        }
        Probe::Connected => "Connected: the gateway accepted the credentials.".into(),
        Probe::WrongCredentials => format!(
            "The gateway refused these credentials ({why}). Check them in the Aurpay dashboard; nothing was saved."
        ),
        Probe::Unreachable => format!(
            "The gateway could not be reached ({why}). Check the internet connection and the gateway address; nothing was saved."
        ),
    };
    ConnectionResult {
        outcome: probed.outcome,
        message,
        saved: saved && probed.outcome == Probe::Connected,
    }
}

/// Tries `credentials` at `base_url` and, only when the gateway accepts them, saves them to the
/// keychain (replacing whatever was there).
pub async fn try_then_save(
    store: &dyn SecretStore,
    env_has_credentials: bool,
    base_url: &str,
    timeout: Duration,
    credentials: Credentials,
) -> Result<ConnectionResult, ConnectError> {
    if env_has_credentials {
        return Err(ConnectError::FromEnvironment);
    }
    let client = startup::client(base_url, Some(credentials.clone()), timeout)?;
    let probed = gateway::probe(&client).await;
    if probed.outcome != Probe::Connected {
        return Ok(result(probed, false));
    }
    secrets::save_credentials(store, &credentials)?;
    tracing::info!("gateway credentials saved to the keychain");
    Ok(result(probed, true))
}

/// Signs in with the Aurpay account (Get API-Key): the user name and password are used for this
/// one request and never kept; the API key it returns is tried and saved like a pasted one.
pub async fn sign_in(
    store: &dyn SecretStore,
    env_has_credentials: bool,
    base_url: &str,
    timeout: Duration,
    username: &str,
    password: Secret,
) -> Result<ConnectionResult, ConnectError> {
    if username.trim().is_empty() || password.expose().is_empty() {
        return Err(ConnectError::BadInput(
            "give the Aurpay account's username and password".into(),
        ));
    }
    let client = startup::client(base_url, None, timeout)?;
    match client.get_api_key(username.trim(), &password).await {
        Ok(key) => {
            try_then_save(
                store,
                env_has_credentials,
                base_url,
                timeout,
                Credentials::ApiKey(key),
            )
            .await
        }
        Err(aurpay::Error::Unauthorized { message } | aurpay::Error::Rejected { message, .. }) => {
            Ok(ConnectionResult {
                outcome: Probe::WrongCredentials,
                message: format!(
                    "Aurpay did not accept that username and password ({message}). Nothing was saved."
                ),
                saved: false,
            })
        }
        Err(e) => Ok(result(gateway::classify(Err(e)), false)),
    }
}

/// Tests the credentials a till uses now.
pub async fn test(gateway_client: &aurpay::Client, demo: bool) -> ConnectionResult {
    if demo {
        return ConnectionResult {
            outcome: Probe::Connected,
            message: "Demo mode: the built-in demo gateway answers. Connect Aurpay to take real payments.".into(),
            saved: false,
        };
    }
    result(gateway::probe(gateway_client).await, false)
}

/// Whether the gateway answers and accepts the credentials: the readiness light.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Readiness {
    /// Ready to take money.
    pub ready: bool,
    /// What the light means, in words.
    pub message: String,
}

/// The readiness light's state now.
pub async fn readiness(gateway_client: &aurpay::Client, demo: bool) -> Readiness {
    let probed = gateway::probe(gateway_client).await;
    let why = probed.why.unwrap_or_default();
    match probed.outcome {
        Probe::Connected => Readiness {
            ready: true,
            message: if demo {
                "The gateway answers and accepts the credentials (built-in demo gateway)".into()
            } else {
                "The gateway answers and accepts the credentials".into()
            },
        },
        Probe::WrongCredentials => Readiness {
            ready: false,
            message: format!(
                "The gateway refused the credentials: {why}. The owner must set them again."
            ),
        },
        Probe::Unreachable => Readiness {
            ready: false,
            message: format!("{why}. Sales cannot be taken until it answers."),
        },
    }
}
