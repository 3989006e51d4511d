//! What the shell keeps: the running till (started by `till_core::startup`, with its watcher),
//! the environment, where credentials are kept, and the session (`till_core::session`).
//!
//! The core can be replaced while the app runs (credentials saved or removed, the gateway or the
//! shop changed): commands take an `Arc<Core>` for the length of one call, and a new core starts
//! its own watcher after the old one has stopped.

use std::{
    ops::Deref,
    sync::{Arc, Mutex, RwLock},
    time::Instant,
};

use till_core::{
    people::{Action, Person},
    pin,
    secrets::{KeyringStore, SecretStore},
    session::Session,
    settings,
    startup::{self, Demo, Started},
    watcher::Watcher,
    Environment, EnvironmentError,
};

use crate::{views::TipOffer, IpcError};

/// The running till and its watcher.
#[derive(Debug)]
pub struct Core {
    /// The till and what the screens say about it.
    pub started: Started,
    /// Its watcher.
    pub watcher: Arc<Watcher>,
}

impl Deref for Core {
    type Target = Started;

    fn deref(&self) -> &Started {
        &self.started
    }
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
    /// The tips offered while the customer chooses (the customer display reads it when it opens
    /// in the middle of that).
    tip: Mutex<Option<TipOffer>>,
    /// The stop flag of the card reader's loop, while one runs (one sale at a time).
    card: Mutex<Option<Arc<std::sync::atomic::AtomicBool>>>,
}

/// Starts the till for `env` as the app does: demo mode when no credentials are configured
/// (or the keychain cannot be read), live otherwise; its watcher picks up every open sale.
pub async fn start(env: &Environment, store: &dyn SecretStore) -> Result<Core, IpcError> {
    let started = startup::start(env, store, Demo::WhenNoCredentials).await?;
    let watcher = Watcher::start(started.till.clone())?;
    Ok(Core { started, watcher })
}

impl Shell {
    /// A shell over a started (or failed) core.
    pub fn new(
        environment: Result<Environment, EnvironmentError>,
        core: Result<Core, IpcError>,
        secrets: Arc<dyn SecretStore>,
    ) -> Self {
        let pin_set = core
            .as_ref()
            .map(|c| pin::is_set(&c.till.ledger()).unwrap_or(false))
            .unwrap_or(false);
        let nobody =
            Person::implicit_owner(environment.as_ref().map(|e| e.user.as_str()).unwrap_or(""));
        Self {
            environment,
            core: RwLock::new(core.map(Arc::new)),
            secrets,
            session: Mutex::new(Session::new(pin_set, nobody, Instant::now())),
            tip: Mutex::new(None),
            card: Mutex::new(None),
        }
    }

    /// Makes `stop` the running card reader's flag, stopping the one before (if any).
    pub fn arm_card(&self, stop: Arc<std::sync::atomic::AtomicBool>) {
        let previous = self
            .card
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(stop);
        if let Some(previous) = previous {
            previous.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// The tips being offered now, if the customer is choosing.
    pub fn tip_offer(&self) -> Option<TipOffer> {
        self.tip.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Sets or clears the tips being offered.
    pub fn set_tip_offer(&self, offer: Option<TipOffer>) {
        *self.tip.lock().unwrap_or_else(|p| p.into_inner()) = offer;
    }

    /// Reads the environment and starts the till (on the caller's async runtime), with the OS
    /// keychain as the credential store.
    pub async fn start() -> Self {
        let environment = Environment::from_process();
        let store: Arc<dyn SecretStore> = Arc::new(KeyringStore::new());
        let core = match &environment {
            Ok(env) => start(env, store.as_ref()).await,
            Err(e) => Err(IpcError::from(e)),
        };
        if let Err(e) = &core {
            tracing::error!("the till could not start: {}", e.message);
        }
        Self::new(environment, core, store)
    }

    /// The environment, or why it cannot be used.
    pub fn env(&self) -> Result<&Environment, IpcError> {
        self.environment.as_ref().map_err(IpcError::from)
    }

    /// The session, locked for one decision.
    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a PIN is set (and so whether locking and the manager's PIN apply).
    fn pin_set(core: &Core) -> Result<bool, IpcError> {
        Ok(pin::is_set(&core.till.ledger())?)
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

    /// The till for a cashier's command: refused while the till is locked, and when it has been
    /// idle past the idle lock (which locks it).
    pub fn core(&self) -> Result<Arc<Core>, IpcError> {
        self.lock_if_idle(Instant::now());
        self.session().cashier()?;
        self.any_core()
    }

    /// The till and who does `action` on it: the person selling when their role allows it, or a
    /// manager who stepped in lately (see `till_core::session`). Refused in Rust whatever the
    /// window shows.
    pub fn allow(&self, action: Action) -> Result<(Arc<Core>, Person), IpcError> {
        let core = self.core()?;
        let pin_set = Self::pin_set(&core)?;
        let person = self.session().allow(action, Instant::now(), pin_set)?;
        Ok((core, person))
    }

    /// The till for a manager's (or the owner's) command: [`Shell::allow`] without the name.
    pub fn manager(&self, action: Action) -> Result<Arc<Core>, IpcError> {
        Ok(self.allow(action)?.0)
    }

    /// Whose PIN this is (the same slow-down after wrong tries as anywhere), refused when their
    /// role does not allow `action`. A till without staff has no PIN to ask: its owner acts.
    fn identify(&self, core: &Core, pin_text: &str, action: Action) -> Result<Person, IpcError> {
        if !Self::pin_set(core)? {
            return Ok(self.session().allow(action, Instant::now(), false)?);
        }
        let now = chrono::Utc::now();
        let person = pin::identify(&mut core.till.ledger(), pin_text, now)?;
        till_core::people::may_with_pin(&mut core.till.ledger(), &person, action, now)?;
        Ok(person)
    }

    /// "Who is selling?": the PIN says who; they are at the till now (a manager also has the
    /// manager's screens), and the documents the till makes carry their name.
    pub fn unlock(&self, pin_text: &str) -> Result<Person, IpcError> {
        let core = self.any_core()?;
        let person = self.identify(&core, pin_text, Action::Sell)?;
        core.till.set_cashier(&person.name);
        self.session().sign_in(person.clone(), Instant::now());
        Ok(person)
    }

    /// A manager steps in at an open till with their PIN: the manager's screens open for them
    /// while the person selling stays.
    pub fn step_in(&self, pin_text: &str) -> Result<Person, IpcError> {
        let core = self.core()?;
        let person = self.identify(&core, pin_text, Action::Reports)?;
        self.session().step_in(person.clone(), Instant::now());
        Ok(person)
    }

    /// The till and the person whose PIN approves `action` (a withdrawal, a refund, settling a
    /// sale): the PIN is asked every time, whatever the session; their manager's screens open.
    pub fn with_pin(
        &self,
        pin_text: &str,
        action: Action,
    ) -> Result<(Arc<Core>, Person), IpcError> {
        let core = self.core()?;
        let person = self.identify(&core, pin_text, action)?;
        self.session().step_in(person.clone(), Instant::now());
        Ok((core, person))
    }

    /// Checks a PIN for one approval (a discount above the cashier's limit), with the same
    /// slow-down after wrong tries, without opening the manager's screens: the cashier stays a
    /// cashier. The approver's name is recorded with what they approved.
    pub fn approve(&self, pin_text: &str) -> Result<(Arc<Core>, Person), IpcError> {
        let core = self.core()?;
        let person = self.identify(&core, pin_text, Action::ApproveDiscount)?;
        Ok((core, person))
    }

    /// Someone left the staff: they are signed out wherever the session has them.
    pub fn forget(&self, person_id: i64) {
        self.session().forget(person_id);
    }

    /// Who is at the till, if anyone.
    pub fn seller(&self) -> Option<Person> {
        self.session().seller().cloned()
    }

    /// The owner's PIN was just set (the first run): they are at the till.
    pub fn open_manager(&self) {
        let Ok(core) = self.any_core() else { return };
        let owner = till_core::people::owner(&core.till.ledger()).ok().flatten();
        if let Some(owner) = owner {
            core.till.set_cashier(&owner.name);
            self.session().sign_in(owner, Instant::now());
        }
    }

    /// Locks the till now (needs a PIN, or nobody could unlock it).
    pub fn lock(&self) -> Result<(), IpcError> {
        let core = self.any_core()?;
        let pin_set = Self::pin_set(&core)?;
        Ok(self.session().lock(pin_set)?)
    }

    /// A touch or a key in the window: the till is in use.
    pub fn touch(&self) {
        self.session().touch(Instant::now());
    }

    /// Locks the till when nobody has touched it for the idle lock's minutes, as of `now`. The
    /// rule is Rust's, not the window's: a window that stops reporting (hung, closed, tampered
    /// with) cannot keep the till open. True when this call locked it.
    pub fn lock_if_idle(&self, now: Instant) -> bool {
        let Ok(core) = self.any_core() else {
            return false;
        };
        let (pin_set, minutes) = {
            let ledger = core.till.ledger();
            (
                pin::is_set(&ledger).unwrap_or(false),
                settings::idle_lock_minutes(&ledger),
            )
        };
        let locked = self.session().lock_if_idle(now, pin_set, minutes);
        if locked {
            tracing::info!(minutes, "locked after the idle time");
        }
        locked
    }

    /// Closes the manager's screens, leaving the till unlocked for the cashier.
    pub fn end_manager(&self) {
        self.session().end_manager();
    }

    /// `(locked, manager's screens open, the person selling, the manager who stepped in)`.
    pub fn lock_state(&self) -> (bool, bool, Option<Person>, Option<Person>) {
        let s = self.session();
        let now = Instant::now();
        (
            s.is_locked(),
            s.is_manager(now),
            s.seller().cloned(),
            s.manager_at(now).cloned(),
        )
    }

    /// Starts a new core with what is configured now (after credentials or settings changed)
    /// and puts it in place of the old one, whose watcher stops. Returns the new core.
    pub async fn restart(&self) -> Result<Arc<Core>, IpcError> {
        let env = self.env()?;
        if let Ok(old) = self.any_core() {
            old.watcher.stop();
        }
        let new = start(env, self.secrets.as_ref()).await.map(Arc::new);
        if let (Ok(core), Some(p)) = (&new, self.seller()) {
            core.till.set_cashier(&p.name);
        }
        let out = new.clone();
        *self.core.write().unwrap_or_else(|p| p.into_inner()) = new;
        out
    }
}
