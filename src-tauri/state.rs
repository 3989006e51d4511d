//! What the shell keeps: the till (over the ledger and a gateway), its watcher, and in demo mode
//! the simulator it talks to.

use std::{sync::Arc, time::Duration};

use aurpay::{Client, Config, Network};
use aurpay_sim::{RunningSim, SimConfig};
use till_core::{
    ledger::Ledger,
    settings,
    till::{Till, TillConfig},
    watcher::Watcher,
    Environment, EnvironmentError,
};

use crate::{ErrorCode, IpcError};

/// The running till.
#[derive(Debug)]
pub struct Core {
    /// The till.
    pub till: Arc<Till>,
    /// Its watcher.
    pub watcher: Arc<Watcher>,
    /// The demo gateway (demo mode only); kept alive with the till.
    pub demo: Option<RunningSim>,
    /// The shop's name, for the customer display and receipts.
    pub shop_name: String,
    /// The keypad's currency.
    pub currency: String,
}

/// The shell's managed state.
#[derive(Debug)]
pub struct Shell {
    /// The configuration read at start-up, or why it could not be used. A bad variable does not
    /// stop the window from opening: the UI shows the sentence and the way to fix it.
    pub environment: Result<Environment, EnvironmentError>,
    /// The till, or why it could not start.
    pub core: Result<Core, IpcError>,
}

impl Shell {
    /// The till, or the error that kept it from starting.
    pub fn core(&self) -> Result<&Core, IpcError> {
        self.core.as_ref().map_err(Clone::clone)
    }
}

/// How long a demo order waits for payment: `TILL_DEMO_ORDER_SECONDS` (for tests and training),
/// else Aurpay's 30 minutes.
fn demo_lifetime() -> Duration {
    std::env::var("TILL_DEMO_ORDER_SECONDS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| (5..=86_400).contains(s))
        .map(Duration::from_secs)
        .unwrap_or(aurpay_sim::DEFAULT_LIFETIME)
}

/// Starts the till for `env`: live with credentials from the environment, otherwise demo mode
/// with the simulator in this process on 127.0.0.1 (real HTTP, real signed invoices).
pub async fn start(env: &Environment) -> Result<Core, IpcError> {
    let internal = |what: &str, e: &dyn std::fmt::Display| {
        IpcError::new(ErrorCode::Internal, format!("{what}: {e}"))
    };
    let ledger =
        Ledger::open_in(&env.data_dir).map_err(|e| internal("cannot open the ledger", &e))?;
    let terminal = settings::terminal(&ledger)?;
    let shop_name = settings::get_or(&ledger, settings::SHOP_NAME, "Till")?;
    let currency = settings::get_or(&ledger, settings::SHOP_CURRENCY, "USD")?;
    let (client, network, demo) = match &env.credentials {
        Some(creds) => {
            let client = Client::new(
                Config::new(env.base_url.clone())
                    .credentials(creds.clone())
                    .timeout(env.timeout),
            )
            .map_err(|e| IpcError::new(ErrorCode::Config, e.to_string()))?;
            (client, env.network, None)
        }
        None => {
            let (sim, client) = aurpay_sim::start_demo(SimConfig {
                lifetime: demo_lifetime(),
                ..SimConfig::default()
            })
            .await
            .map_err(|e| internal("cannot start the demo gateway", &e))?;
            (client, Network::Regtest, Some(sim))
        }
    };
    let mut config = TillConfig::new(terminal, network);
    config.training = demo.is_some();
    config.gateway_timeout = env.timeout;
    config.cashier = std::env::var("USER").unwrap_or_default();
    let till = Till::new(ledger, client, config);
    let watcher = Watcher::start(till.clone()).map_err(IpcError::from)?;
    Ok(Core {
        till,
        watcher,
        demo,
        shop_name,
        currency,
    })
}

impl Shell {
    /// Reads the environment and starts the till (on the caller's async runtime).
    pub async fn start() -> Self {
        let environment = Environment::from_process();
        let core = match &environment {
            Ok(env) => start(env).await,
            Err(e) => Err(IpcError::from(e)),
        };
        if let Err(e) = &core {
            tracing::error!("the till could not start: {}", e.message);
        }
        Self { environment, core }
    }
}
