//! Opening the till for a command: the data folder, the ledger, the gateway (real, or the
//! in-process demo simulator), and this terminal's name.

use std::{path::PathBuf, sync::Arc, time::Duration};

use aurpay::{Client, Config, Credentials, Network};
use aurpay_sim::{RunningSim, SimConfig};
use till_core::{
    ledger::Ledger,
    secrets::{self, KeyringStore, SecretError},
    settings,
    till::{Till, TillConfig},
    Environment,
};

use crate::Failure;

/// How long the demo customer takes to pay.
pub const DEMO_PAYS_AFTER: Duration = Duration::from_secs(3);

/// The global options every command shares.
#[derive(Debug, Clone)]
pub struct Globals {
    /// `--data-dir` (or `TILL_DATA_DIR`).
    pub data_dir: Option<PathBuf>,
    /// `--json`.
    pub json: bool,
    /// `--demo`.
    pub demo: bool,
}

/// The environment, with `--data-dir` applied.
pub fn environment(g: &Globals) -> Result<Environment, Failure> {
    let mut env = Environment::from_process().map_err(|e| Failure::error(e.to_string()))?;
    if let Some(dir) = &g.data_dir {
        env.data_dir = dir.clone();
    }
    Ok(env)
}

/// Opens (creating) the data folder and the ledger in it.
pub fn open_ledger(env: &Environment) -> Result<Ledger, Failure> {
    Ledger::open_in(&env.data_dir).map_err(|e| Failure::error(e.to_string()))
}

/// This terminal's name.
pub fn terminal(ledger: &Ledger) -> Result<String, Failure> {
    settings::terminal(ledger).map_err(|e| Failure::error(e.to_string()))
}

/// Credentials: the environment's first (headless use), then the keychain's.
pub fn credentials(env: &Environment) -> Result<Option<(Credentials, &'static str)>, Failure> {
    if let Some(c) = &env.credentials {
        return Ok(Some((c.clone(), "environment")));
    }
    match secrets::load_credentials(&KeyringStore::new()) {
        Ok(Some(c)) => Ok(Some((c, "keychain"))),
        Ok(None) => Ok(None),
        // No keychain and no environment credentials: say so, do not guess.
        Err(SecretError::Unavailable(why)) => Err(Failure::error(format!(
            "no gateway credentials in the environment, and {}",
            SecretError::Unavailable(why)
        ))),
        Err(e) => Err(Failure::error(e.to_string())),
    }
}

/// An open till, and the demo gateway behind it when there is one (kept alive with it).
pub struct Opened {
    /// The till.
    pub till: Arc<Till>,
    /// The in-process demo gateway: held, not read; dropping it would stop the gateway.
    #[allow(dead_code)]
    pub demo: Option<RunningSim>,
}

/// Opens the till: the real gateway with stored credentials, or with `--demo` a simulator in
/// this process whose customer pays after a few seconds (training sales).
pub async fn open_till(g: &Globals) -> Result<Opened, Failure> {
    let env = environment(g)?;
    let ledger = open_ledger(&env)?;
    let terminal = terminal(&ledger)?;
    let (client, network, demo) = if g.demo {
        let (sim, client) = aurpay_sim::start_demo(SimConfig {
            auto_pay_after: Some(DEMO_PAYS_AFTER),
            ..SimConfig::default()
        })
        .await
        .map_err(|e| Failure::error(format!("cannot start the demo gateway: {e}")))?;
        (client, Network::Regtest, Some(sim))
    } else {
        let Some((creds, _)) = credentials(&env)? else {
            return Err(Failure::error(
                "no gateway credentials are set: run `till credentials set`, set AURPAY_API_KEY, \
                 or try it with --demo",
            ));
        };
        let client = Client::new(
            Config::new(env.base_url.clone())
                .credentials(creds)
                .timeout(env.timeout),
        )
        .map_err(|e| Failure::error(e.to_string()))?;
        (client, env.network, None)
    };
    let mut config = TillConfig::new(terminal, network);
    config.gateway_timeout = env.timeout;
    config.cashier = std::env::var("USER").unwrap_or_default();
    config.training = g.demo;
    Ok(Opened {
        till: Till::new(ledger, client, config),
        demo,
    })
}
