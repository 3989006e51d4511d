//! What the shell keeps: the till (over the ledger and a gateway), its watcher, in demo mode the
//! simulator it talks to, where the credentials live, and whether the till is locked.
//!
//! The core can be replaced while the app runs (credentials saved or removed, the gateway or the
//! shop changed): commands take an `Arc<Core>` for the length of one call, and a new core starts
//! its own watcher after the old one has stopped.

use std::{
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant},
};

use aurpay::{Client, Config, Credentials, Network};
use aurpay_sim::{RunningSim, SimConfig};
use till_core::{
    ledger::Ledger,
    pin,
    secrets::{self, KeyringStore, SecretStore},
    settings,
    till::{Till, TillConfig},
    watcher::Watcher,
    Environment, EnvironmentError,
};

use crate::{ErrorCode, IpcError};

/// Where the gateway credentials in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    /// `AURPAY_*` variables: they win, and the app does not offer to change them.
    Environment,
    /// The OS keychain.
    Keychain,
    /// None: demo mode.
    None,
}

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
    /// Where the credentials came from.
    pub source: CredentialSource,
    /// Which kind of credentials are in use, masked for the screen (`api key ...3f2a`).
    pub credentials_hint: Option<String>,
    /// Why the keychain could not be read, if it could not: the app runs in demo mode and says so.
    pub keychain_problem: Option<String>,
    /// The gateway address in use.
    pub base_url: String,
}

/// How long the manager's PIN holds once entered (each manager action extends it).
pub const MANAGER_SESSION: Duration = Duration::from_secs(5 * 60);

#[derive(Debug)]
struct Session {
    locked: bool,
    manager_until: Option<Instant>,
    /// The last touch or key the window reported (or the last unlock).
    last_activity: Instant,
}

/// The shell's managed state.
#[derive(Debug)]
pub struct Shell {
    /// The configuration read at start-up, or why it could not be used. A bad variable does not
    /// stop the window from opening: the UI shows the sentence and the way to fix it.
    pub environment: Result<Environment, EnvironmentError>,
    core: RwLock<Result<Arc<Core>, IpcError>>,
    /// Where credentials are stored (the OS keychain; a memory store in tests).
    pub secrets: Arc<dyn SecretStore>,
    session: Mutex<Session>,
}

impl Shell {
    /// A shell over a started (or failed) core.
    pub fn new(
        environment: Result<Environment, EnvironmentError>,
        core: Result<Core, IpcError>,
        secrets: Arc<dyn SecretStore>,
    ) -> Self {
        let locked = core
            .as_ref()
            .map(|c| pin::is_set(&c.till.ledger()).unwrap_or(false))
            .unwrap_or(false);
        Self {
            environment,
            core: RwLock::new(core.map(Arc::new)),
            secrets,
            // A till with a PIN starts locked: whoever opens the laptop is not yet known.
            session: Mutex::new(Session {
                locked,
                manager_until: None,
                last_activity: Instant::now(),
            }),
        }
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The till for a cashier's command: refused while the till is locked, and when it has been
    /// idle past the idle lock (which locks it).
    pub fn core(&self) -> Result<Arc<Core>, IpcError> {
        self.lock_if_idle(Instant::now());
        if self.session().locked {
            return Err(IpcError::new(
                ErrorCode::Locked,
                "the till is locked; enter the manager PIN to unlock it",
            ));
        }
        self.any_core()
    }

    /// The till whether or not it is locked: for the customer display, the lock screen, and
    /// the sale updates a locked till keeps receiving.
    pub fn any_core(&self) -> Result<Arc<Core>, IpcError> {
        self.core
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(Arc::clone)
            .map_err(Clone::clone)
    }

    /// The till for a manager's command: the PIN must have been entered in the last
    /// [`MANAGER_SESSION`] (when a PIN is set); each use extends the session.
    pub fn manager(&self) -> Result<Arc<Core>, IpcError> {
        let core = self.core()?;
        if !pin::is_set(&core.till.ledger()).map_err(pin_error)? {
            return Ok(core);
        }
        let mut s = self.session();
        match s.manager_until {
            Some(until) if Instant::now() < until => {
                s.manager_until = Some(Instant::now() + MANAGER_SESSION);
                Ok(core)
            }
            _ => {
                s.manager_until = None;
                Err(IpcError::new(
                    ErrorCode::PinRequired,
                    "this needs the manager PIN",
                ))
            }
        }
    }

    /// Checks the PIN; on success the till is unlocked and the manager session starts.
    pub fn unlock(&self, pin: &str) -> Result<(), IpcError> {
        let core = self.any_core()?;
        pin::verify(&mut core.till.ledger(), pin, chrono::Utc::now()).map_err(pin_error)?;
        let mut s = self.session();
        s.locked = false;
        s.manager_until = Some(Instant::now() + MANAGER_SESSION);
        s.last_activity = Instant::now();
        Ok(())
    }

    /// The till for an action that takes the PIN itself (a withdrawal, a refund, a new PIN):
    /// the PIN is checked every time, whatever the session, and opens the manager session.
    pub fn manager_with_pin(&self, pin: &str) -> Result<Arc<Core>, IpcError> {
        let core = self.core()?;
        if pin::is_set(&core.till.ledger()).map_err(pin_error)? {
            pin::verify(&mut core.till.ledger(), pin, chrono::Utc::now()).map_err(pin_error)?;
        }
        self.open_manager();
        Ok(core)
    }

    /// Opens the manager session (the PIN was just entered or set).
    pub fn open_manager(&self) {
        self.session().manager_until = Some(Instant::now() + MANAGER_SESSION);
    }

    /// Locks the till (and ends the manager session). Needs a PIN to have been set, or nobody
    /// could unlock it.
    pub fn lock(&self) -> Result<(), IpcError> {
        let core = self.any_core()?;
        if !pin::is_set(&core.till.ledger()).map_err(pin_error)? {
            return Err(IpcError::new(
                ErrorCode::NotAllowed,
                "set a manager PIN first (Manager > Settings); without one the till could not be unlocked",
            ));
        }
        let mut s = self.session();
        s.locked = true;
        s.manager_until = None;
        Ok(())
    }

    /// A touch or a key in the window: the till is in use.
    pub fn touch(&self) {
        self.session().last_activity = Instant::now();
    }

    /// Locks the till when nobody has touched it for the idle lock's minutes (a setting; 0 is
    /// never), as of `now`. Enforced here, not only in the window: a window that stops reporting
    /// (hung, closed, tampered with) cannot keep the till open. Only a till with a PIN locks.
    /// True when this call locked it.
    pub fn lock_if_idle(&self, now: Instant) -> bool {
        let Ok(core) = self.any_core() else {
            return false;
        };
        let minutes = {
            let ledger = core.till.ledger();
            if !pin::is_set(&ledger).unwrap_or(false) {
                return false;
            }
            settings::idle_lock_minutes(&ledger)
        };
        if minutes == 0 {
            return false;
        }
        let mut s = self.session();
        let idle = now.saturating_duration_since(s.last_activity);
        if s.locked || idle < Duration::from_secs(u64::from(minutes) * 60) {
            return false;
        }
        s.locked = true;
        s.manager_until = None;
        tracing::info!(minutes, "locked after the idle time");
        true
    }

    /// Ends the manager session, leaving the till unlocked for the cashier.
    pub fn end_manager(&self) {
        self.session().manager_until = None;
    }

    /// `(locked, manager session open)`.
    pub fn lock_state(&self) -> (bool, bool) {
        let s = self.session();
        let manager = s.manager_until.is_some_and(|u| Instant::now() < u);
        (s.locked, manager)
    }

    /// Starts a new core with what is configured now (after credentials or settings changed)
    /// and puts it in place of the old one, whose watcher stops. Returns the new core.
    pub async fn restart(&self) -> Result<Arc<Core>, IpcError> {
        let env = self.environment.as_ref().map_err(IpcError::from)?;
        if let Ok(old) = self.any_core() {
            old.watcher.stop();
        }
        let new = start_with(env, self.secrets.as_ref()).await.map(Arc::new);
        let out = new.clone();
        *self.core.write().unwrap_or_else(|p| p.into_inner()) = new;
        out
    }
}

/// A PIN problem as the UI acts on it.
pub fn pin_error(e: pin::PinError) -> IpcError {
    let code = match e {
        pin::PinError::Wrong { .. } | pin::PinError::Locked { .. } => ErrorCode::WrongPin,
        pin::PinError::BadFormat => ErrorCode::BadInput,
        pin::PinError::NotSet => ErrorCode::NotAllowed,
        _ => ErrorCode::Internal,
    };
    IpcError::new(code, e.to_string())
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

/// Credentials shown on screen: which kind, and the last four characters of the public part.
fn hint(credentials: &Credentials) -> String {
    let tail = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        if n <= 8 {
            "…".to_owned()
        } else {
            format!("…{}", chars[n - 4..].iter().collect::<String>())
        }
    };
    match credentials {
        Credentials::ApiKey(key) => format!("API key {}", tail(key.expose())),
        Credentials::Signature { token, .. } => {
            format!("API token {} with its secret", tail(token))
        }
    }
}

/// A client for `credentials` at `base_url`.
pub fn client_for(
    base_url: &str,
    credentials: Option<Credentials>,
    timeout: Duration,
) -> Result<Client, IpcError> {
    let mut config = Config::new(base_url.to_owned()).timeout(timeout);
    if let Some(c) = credentials {
        config = config.credentials(c);
    }
    Client::new(config).map_err(|e| IpcError::new(ErrorCode::Config, e.to_string()))
}

/// Starts the till for `env`, with credentials from the environment only (no keychain): what the
/// tests on the mock runtime use.
pub async fn start(env: &Environment) -> Result<Core, IpcError> {
    start_with(env, &secrets::MemoryStore::default()).await
}

/// Starts the till: live with credentials from the environment or else the keychain; otherwise
/// demo mode with the simulator in this process on 127.0.0.1 (real HTTP, real signed invoices).
pub async fn start_with(env: &Environment, store: &dyn SecretStore) -> Result<Core, IpcError> {
    let internal = |what: &str, e: &dyn std::fmt::Display| {
        IpcError::new(ErrorCode::Internal, format!("{what}: {e}"))
    };
    let ledger =
        Ledger::open_in(&env.data_dir).map_err(|e| internal("cannot open the ledger", &e))?;
    let terminal = settings::terminal(&ledger)?;
    let shop_name = settings::get_or(&ledger, settings::SHOP_NAME, "Till")?;
    let currency = settings::get_or(&ledger, settings::SHOP_CURRENCY, "USD")?;
    let (base_url, network) = settings::gateway(&ledger, env)?;
    let (credentials, source, keychain_problem) = match &env.credentials {
        Some(c) => (Some(c.clone()), CredentialSource::Environment, None),
        None => match secrets::load_credentials(store) {
            Ok(Some(c)) => (Some(c), CredentialSource::Keychain, None),
            Ok(None) => (None, CredentialSource::None, None),
            Err(e) => {
                tracing::warn!("the keychain cannot be read: {e}");
                (None, CredentialSource::None, Some(e.to_string()))
            }
        },
    };
    let credentials_hint = credentials.as_ref().map(hint);
    let (client, network, demo) = match credentials {
        Some(creds) => (
            client_for(&base_url, Some(creds), env.timeout)?,
            network,
            None,
        ),
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
    if demo.is_some() {
        // The countdown must end when the demo gateway stops waiting.
        config.order_lifetime = demo_lifetime();
    }
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
        source,
        credentials_hint,
        keychain_problem,
        base_url,
    })
}

impl Shell {
    /// Reads the environment and starts the till (on the caller's async runtime), with the OS
    /// keychain as the credential store.
    pub async fn start() -> Self {
        let environment = Environment::from_process();
        let store: Arc<dyn SecretStore> = Arc::new(KeyringStore::new());
        let core = match &environment {
            Ok(env) => start_with(env, store.as_ref()).await,
            Err(e) => Err(IpcError::from(e)),
        };
        if let Err(e) = &core {
            tracing::error!("the till could not start: {}", e.message);
        }
        Self::new(environment, core, store)
    }
}
