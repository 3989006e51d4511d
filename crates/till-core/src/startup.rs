//! One start-up for the app and the `till` command: the ledger, the settings, where the
//! credentials come from, the gateway (real, or the demo gateway in this process), and the till
//! over them. Both callers get the same decisions: the gateway address and network saved on the
//! settings screen are used by both, unless an `AURPAY_*` variable sets them.

use std::{sync::Arc, time::Duration};

use aurpay::{Client, Config, Credentials, Network};
use serde::{Deserialize, Serialize};

use crate::{
    ledger::{Ledger, LedgerError},
    secrets::{self, SecretError, SecretStore},
    settings,
    till::{Till, TillConfig},
    Environment,
};

/// Where the gateway credentials in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum CredentialSource {
    /// `AURPAY_*` variables: they win, and the app does not offer to change them.
    Environment,
    /// The OS keychain.
    Keychain,
    /// None: demo mode.
    None,
}

/// When to run against the demo gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Demo {
    /// When no credentials are configured (the app: it always opens, in demo mode at worst).
    WhenNoCredentials,
    /// Always (`till --demo`); the demo customer pays after the given time, if any.
    Always {
        /// When the demo customer pays a new order.
        customer_pays_after: Option<Duration>,
    },
    /// Never: no credentials is an error (`till` without `--demo`).
    Never,
    /// Not needed: the command never asks the gateway (a cash sale, the drawer). The live book,
    /// with the credentials when there are any and without them otherwise.
    NotNeeded,
}

/// Why the till could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The ledger cannot be opened.
    #[error("cannot open the ledger: {0}")]
    Ledger(#[from] LedgerError),
    /// No credentials, and demo mode was not asked for.
    #[error("no gateway credentials are set: run `till credentials set`, set AURPAY_API_KEY, or try it with --demo")]
    NoCredentials,
    /// The keychain cannot be read, and demo mode was not asked for.
    #[error("no gateway credentials in the environment, and {0}")]
    Keychain(#[from] SecretError),
    /// The gateway client cannot be made (a bad address).
    #[error(transparent)]
    Gateway(#[from] aurpay::Error),
    /// The demo gateway cannot start.
    #[error("cannot start the demo gateway: {0}")]
    Demo(String),
}

/// The running till and what the screens say about it.
#[derive(Debug)]
pub struct Started {
    /// The till.
    pub till: Arc<Till>,
    /// The demo gateway, when the till talks to it; it lives as long as this.
    #[cfg(feature = "demo")]
    pub demo: Option<aurpay_sim::RunningSim>,
    /// The shop's name.
    pub shop_name: String,
    /// The keypad's currency.
    pub currency: String,
    /// Where the credentials came from.
    pub source: CredentialSource,
    /// Which credentials, masked for the screen (`API key …3f2a`).
    pub credentials_hint: Option<String>,
    /// Why the keychain could not be read, when it could not (the till then runs in demo mode).
    pub keychain_problem: Option<String>,
    /// The gateway address in use.
    pub base_url: String,
}

impl Started {
    /// Whether the till talks to the demo gateway (its sales are training records).
    pub fn is_demo(&self) -> bool {
        self.till.config().training
    }
}

/// A client for `credentials` at `base_url`.
pub fn client(
    base_url: &str,
    credentials: Option<Credentials>,
    timeout: Duration,
) -> Result<Client, aurpay::Error> {
    let mut config = Config::new(base_url.to_owned()).timeout(timeout);
    if let Some(c) = credentials {
        config = config.credentials(c);
    }
    Client::new(config)
}

/// The credentials to use: the environment's first (headless use), then the keychain's.
pub fn credentials(
    env: &Environment,
    store: &dyn SecretStore,
) -> Result<Option<(Credentials, CredentialSource)>, SecretError> {
    if let Some(c) = &env.credentials {
        return Ok(Some((c.clone(), CredentialSource::Environment)));
    }
    Ok(secrets::load_credentials(store)?.map(|c| (c, CredentialSource::Keychain)))
}

/// Opens the ledger in the environment's data folder and starts the till over it.
pub async fn start(
    env: &Environment,
    store: &dyn SecretStore,
    demo: Demo,
) -> Result<Started, StartupError> {
    let ledger = Ledger::open_in(&env.data_dir)?;
    let terminal = settings::terminal(&ledger)?;
    let shop_name = settings::shop_name(&ledger)?;
    let currency = settings::shop_currency(&ledger)?;
    let (base_url, network) = settings::gateway(&ledger, env)?;
    let (credentials, keychain_problem) = match demo {
        Demo::Always { .. } => (None, None),
        Demo::Never => match credentials(env, store)? {
            Some(c) => (Some(c), None),
            None => return Err(StartupError::NoCredentials),
        },
        Demo::NotNeeded => (credentials(env, store).ok().flatten(), None),
        Demo::WhenNoCredentials => match credentials(env, store) {
            Ok(c) => (c, None),
            Err(e) => {
                tracing::warn!("the keychain cannot be read: {e}");
                (None, Some(e.to_string()))
            }
        },
    };
    let mut config = TillConfig::new(terminal, network);
    config.gateway_timeout = env.timeout;
    config.cashier = env.user.clone();
    let credentials_hint = credentials.as_ref().map(|(c, _)| secrets::hint(c));
    let source = credentials
        .as_ref()
        .map_or(CredentialSource::None, |(_, s)| *s);
    let (client, demo_gateway) = match credentials {
        Some((creds, _)) => (client(&base_url, Some(creds), env.timeout)?, None),
        None if demo == Demo::NotNeeded => (client(&base_url, None, env.timeout)?, None),
        None => {
            let pays_after = match demo {
                Demo::Always {
                    customer_pays_after,
                } => customer_pays_after,
                _ => None,
            };
            let (sim, client) = demo_gateway(env, pays_after).await?;
            config.network = Network::Regtest;
            config.training = true;
            // The countdown must end when the demo gateway stops waiting.
            config.order_lifetime = env.demo_order_lifetime;
            (client, Some(sim))
        }
    };
    #[cfg(not(feature = "demo"))]
    let _ = demo_gateway;
    Ok(Started {
        till: Till::new(ledger, client, config),
        #[cfg(feature = "demo")]
        demo: demo_gateway,
        shop_name,
        currency,
        source,
        credentials_hint,
        keychain_problem,
        base_url,
    })
}

#[cfg(feature = "demo")]
type DemoGateway = aurpay_sim::RunningSim;
#[cfg(not(feature = "demo"))]
type DemoGateway = ();

/// The simulator in this process on 127.0.0.1 (real HTTP, real signed invoices), and a client
/// for it.
#[cfg(feature = "demo")]
async fn demo_gateway(
    env: &Environment,
    customer_pays_after: Option<Duration>,
) -> Result<(DemoGateway, Client), StartupError> {
    aurpay_sim::start_demo(aurpay_sim::SimConfig {
        lifetime: env.demo_order_lifetime,
        auto_pay_after: customer_pays_after,
        ..aurpay_sim::SimConfig::default()
    })
    .await
    .map_err(|e| StartupError::Demo(e.to_string()))
}

#[cfg(not(feature = "demo"))]
async fn demo_gateway(
    _env: &Environment,
    _customer_pays_after: Option<Duration>,
) -> Result<(DemoGateway, Client), StartupError> {
    Err(StartupError::Demo(
        "this build has no demo gateway (till-core's `demo` feature)".into(),
    ))
}
