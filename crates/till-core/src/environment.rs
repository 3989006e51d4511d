//! What the till reads from its process environment, shared by the app and the `till` command so
//! both can be pointed at the same data folder and gateway.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `TILL_DATA_DIR` | where the ledger, settings and logs live | the OS data folder + `till` |
//! | `AURPAY_BASE_URL` | the gateway's address | `https://dashboard.aurpay.net` |
//! | `AURPAY_NETWORK` | the network invoices must be on | `bitcoin` |
//! | `AURPAY_API_KEY` | API-key credentials | none |
//! | `AURPAY_API_TOKEN` + `AURPAY_API_SECRET` | signature credentials | none |
//! | `AURPAY_TIMEOUT` | seconds a gateway request may take, 1 to 120 | 15 |
//! | `TILL_DEMO_ORDER_SECONDS` | how long a demo order waits for payment, 5 to 86400 | 1800 |
//! | `USER` (`USERNAME` on Windows) | who is at the till, until cashiers sign in | empty |
//!
//! Credentials from the environment are for headless use; the OS keychain is the normal home.
//! With no credentials at all the till runs in demo mode against its embedded simulator.

use std::{fmt, path::PathBuf};

use aurpay::{Credentials, Network};

/// The till's configuration as read from the environment.
#[derive(Debug, Clone)]
pub struct Environment {
    /// Where the ledger, settings and logs live.
    pub data_dir: PathBuf,
    /// The gateway's base URL.
    pub base_url: String,
    /// True when `AURPAY_BASE_URL` set it (it then wins over the app's setting).
    pub base_url_set: bool,
    /// The network invoices must be on.
    pub network: Network,
    /// True when `AURPAY_NETWORK` set it (it then wins over the app's setting).
    pub network_set: bool,
    /// Credentials given through `AURPAY_*` variables, if any.
    pub credentials: Option<Credentials>,
    /// How long a gateway request may take.
    pub timeout: std::time::Duration,
    /// How long a demo order waits for payment (for tests and training; Aurpay's 30 minutes by
    /// default).
    pub demo_order_lifetime: std::time::Duration,
    /// The computer's user, recorded as who rang a sale up until cashiers sign in.
    pub user: String,
}

/// Aurpay's order lifetime, which the demo gateway keeps unless told otherwise.
pub const DEMO_ORDER_LIFETIME: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// A variable that is set but cannot be used. Each says which variable and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvironmentError {
    /// `AURPAY_NETWORK` names no Bitcoin network.
    BadNetwork(String),
    /// `AURPAY_BASE_URL` is not an http(s) URL.
    BadBaseUrl(String),
    /// Only one of `AURPAY_API_TOKEN` and `AURPAY_API_SECRET` is set.
    HalfSignature,
    /// A credential variable is set but empty.
    EmptyCredential(&'static str),
    /// No `TILL_DATA_DIR` and the OS reports no data folder (no home directory).
    NoDataDir,
    /// `AURPAY_TIMEOUT` is not a whole number of seconds from 1 to 120.
    BadTimeout(String),
}

impl fmt::Display for EnvironmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadNetwork(why) => write!(f, "AURPAY_NETWORK: {why}"),
            Self::BadBaseUrl(url) => write!(
                f,
                "AURPAY_BASE_URL \"{}\" is not a web address; it must start with http:// or https://",
                url.escape_debug()
            ),
            Self::HalfSignature => f.write_str(
                "AURPAY_API_TOKEN and AURPAY_API_SECRET go together: set both, or neither",
            ),
            Self::EmptyCredential(name) => write!(f, "{name} is set but empty"),
            Self::NoDataDir => f.write_str(
                "this system reports no data folder for the till; set TILL_DATA_DIR to a folder",
            ),
            Self::BadTimeout(v) => write!(
                f,
                "AURPAY_TIMEOUT \"{}\" is not a number of seconds from 1 to 120",
                v.escape_debug()
            ),
        }
    }
}

impl std::error::Error for EnvironmentError {}

/// A gateway address as the till uses it: http(s), without a trailing slash.
pub fn check_base_url(url: &str) -> Result<String, EnvironmentError> {
    let url = url.trim().trim_end_matches('/').to_owned();
    let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
    if !scheme_ok || url.len() <= "https://".len() || url.chars().any(char::is_whitespace) {
        return Err(EnvironmentError::BadBaseUrl(url.chars().take(80).collect()));
    }
    Ok(url)
}

impl Environment {
    /// Reads the process environment.
    pub fn from_process() -> Result<Self, EnvironmentError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The data folder alone, by the same rule as [`Environment::from_process`], for what must
    /// find it even when another setting is wrong and the till shows its setup error: the log,
    /// and the record of restarts after a lost web view.
    pub fn data_dir_from_process() -> Option<PathBuf> {
        data_dir_from(&|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, EnvironmentError> {
        let data_dir = data_dir_from(&lookup).ok_or(EnvironmentError::NoDataDir)?;
        let base_url_var = lookup("AURPAY_BASE_URL").filter(|v| !v.trim().is_empty());
        let base_url_set = base_url_var.is_some();
        let base_url = match base_url_var {
            Some(url) => check_base_url(&url)?,
            None => aurpay::DEFAULT_BASE_URL.to_owned(),
        };
        let network_set = lookup("AURPAY_NETWORK").is_some_and(|v| !v.trim().is_empty());
        let network = match lookup("AURPAY_NETWORK").filter(|v| !v.trim().is_empty()) {
            Some(name) => name.parse().map_err(|e: aurpay::network::UnknownNetwork| {
                EnvironmentError::BadNetwork(e.to_string())
            })?,
            None => Network::Bitcoin,
        };
        let credentials = credentials_from(&lookup)?;
        let timeout = match lookup("AURPAY_TIMEOUT").filter(|v| !v.trim().is_empty()) {
            Some(v) => match v.trim().parse::<u64>() {
                Ok(s) if (1..=120).contains(&s) => std::time::Duration::from_secs(s),
                _ => return Err(EnvironmentError::BadTimeout(v)),
            },
            None => aurpay::DEFAULT_TIMEOUT,
        };
        let demo_order_lifetime = lookup("TILL_DEMO_ORDER_SECONDS")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|s| (5..=86_400).contains(s))
            .map(std::time::Duration::from_secs)
            .unwrap_or(DEMO_ORDER_LIFETIME);
        let user = lookup("USER")
            .or_else(|| lookup("USERNAME"))
            .unwrap_or_default();
        Ok(Self {
            data_dir,
            base_url,
            base_url_set,
            network,
            network_set,
            credentials,
            timeout,
            demo_order_lifetime,
            user,
        })
    }
}

fn credentials_from(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, EnvironmentError> {
    let get = |name: &'static str| -> Result<Option<String>, EnvironmentError> {
        match lookup(name) {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Err(EnvironmentError::EmptyCredential(name)),
            Some(v) => Ok(Some(v.trim().to_owned())),
        }
    };
    if let Some(key) = get("AURPAY_API_KEY")? {
        return Ok(Some(Credentials::api_key(key)));
    }
    match (get("AURPAY_API_TOKEN")?, get("AURPAY_API_SECRET")?) {
        (Some(token), Some(secret)) => Ok(Some(Credentials::signature(token, secret))),
        (None, None) => Ok(None),
        _ => Err(EnvironmentError::HalfSignature),
    }
}

/// The OS data folder for the till: `~/.local/share/till` on Linux.
fn default_data_dir() -> Option<PathBuf> {
    crate::platform::folders::data_dir()
}

/// `TILL_DATA_DIR` when set, else the system's place for the app's data.
fn data_dir_from(lookup: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    match lookup("TILL_DATA_DIR").filter(|v| !v.trim().is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => default_data_dir(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(vars: &[(&str, &str)]) -> Result<Environment, EnvironmentError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Environment::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn no_credentials_in_the_environment_and_the_defaults() {
        let e = env(&[("TILL_DATA_DIR", "/tmp/till-x")]).unwrap();
        assert_eq!(e.credentials, None);
        assert_eq!(e.data_dir, PathBuf::from("/tmp/till-x"));
        assert_eq!(e.base_url, "https://dashboard.aurpay.net");
        assert_eq!(e.network, Network::Bitcoin);
    }

    #[test]
    fn the_data_folder_is_found_alone_when_another_setting_is_wrong() {
        let vars = [("TILL_DATA_DIR", "/tmp/till-x"), ("AURPAY_TIMEOUT", "soon")];
        assert!(matches!(env(&vars), Err(EnvironmentError::BadTimeout(_))));
        let map: HashMap<&str, &str> = vars.into_iter().collect();
        let lookup = |k: &str| map.get(k).map(|v| v.to_string());
        assert_eq!(data_dir_from(&lookup), Some(PathBuf::from("/tmp/till-x")));
        // Unset or blank: the system's place, as the whole environment would have it.
        assert_eq!(data_dir_from(&|_| Some(" ".into())), default_data_dir());
        assert_eq!(data_dir_from(&|_| None), default_data_dir());
    }

    #[test]
    fn an_api_key_or_a_token_and_secret_are_read() {
        let e = env(&[("TILL_DATA_DIR", "/d"), ("AURPAY_API_KEY", " k1 ")]).unwrap();
        assert_eq!(e.credentials, Some(Credentials::api_key("k1")));
        let e = env(&[
            ("TILL_DATA_DIR", "/d"),
            ("AURPAY_API_TOKEN", "t"),
            ("AURPAY_API_SECRET", "s"),
            ("AURPAY_NETWORK", "regtest"),
            ("AURPAY_BASE_URL", "http://127.0.0.1:8787/"),
        ])
        .unwrap();
        assert_eq!(e.credentials, Some(Credentials::signature("t", "s")));
        assert_eq!(e.network, Network::Regtest);
        assert_eq!(e.base_url, "http://127.0.0.1:8787");
    }

    #[test]
    fn unusable_values_are_refused_with_the_variable_named() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("AURPAY_NETWORK", "dogecoin")], "AURPAY_NETWORK"),
            (&[("AURPAY_BASE_URL", "ftp://x")], "AURPAY_BASE_URL"),
            (&[("AURPAY_BASE_URL", "https://")], "AURPAY_BASE_URL"),
            (&[("AURPAY_API_TOKEN", "t")], "AURPAY_API_SECRET"),
            (&[("AURPAY_API_SECRET", "s")], "AURPAY_API_TOKEN"),
            (
                &[("AURPAY_API_KEY", "  ")],
                "AURPAY_API_KEY is set but empty",
            ),
        ];
        for (vars, expected) in cases {
            let mut vars = vars.to_vec();
            vars.push(("TILL_DATA_DIR", "/d"));
            let err = env(&vars).unwrap_err().to_string();
            assert!(err.contains(expected), "{vars:?} gave {err:?}");
        }
    }
}
