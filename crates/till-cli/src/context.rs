//! What every command starts from: the global options, the environment with `--data-dir`
//! applied, and the till started by `till_core::startup` (the same start-up as the app's).

use std::{path::PathBuf, time::Duration};

use till_core::{
    ledger::Ledger,
    secrets::KeyringStore,
    startup::{self, Demo, Started},
    words::Lang,
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
    /// `--cashier`.
    pub cashier: Option<String>,
    /// Who the command acts as, once known (see `commands::people::sign_in`).
    pub person: Option<till_core::people::Person>,
    /// The language of the human output (see [`language`]); `--json` never changes with it.
    pub lang: Lang,
}

impl Globals {
    /// The name the command's documents record.
    pub fn actor(&self) -> String {
        self.person
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
}

/// The language a person at this terminal reads: `LC_ALL`, `LC_MESSAGES` or `LANG` as POSIX
/// orders them, else the shop's (when its ledger exists: asking never creates one), else the
/// system's, else English. Printed paper is always in the shop's language, whoever runs the command.
pub fn language(data_dir: Option<&PathBuf>) -> Lang {
    if let Some(lang) = Lang::from_env() {
        return lang;
    }
    let dir = match data_dir {
        Some(d) => d.clone(),
        None => match Environment::from_process() {
            Ok(env) => env.data_dir,
            Err(_) => return Lang::from_system().unwrap_or_default(),
        },
    };
    if !dir.join(till_core::ledger::FILE_NAME).exists() {
        return Lang::from_system().unwrap_or_default();
    }
    Ledger::open_in(&dir)
        .map(|l| till_core::settings::language(&l))
        .unwrap_or_default()
}

/// The environment, with `--data-dir` applied.
pub fn environment(g: &Globals) -> Result<Environment, Failure> {
    let mut env = Environment::from_process().map_err(Failure::from)?;
    if let Some(dir) = &g.data_dir {
        env.data_dir = dir.clone();
    }
    Ok(env)
}

/// Opens (creating) the data folder and the ledger in it, for commands that need no gateway.
pub fn open_ledger(g: &Globals) -> Result<(Environment, Ledger), Failure> {
    let env = environment(g)?;
    let ledger = Ledger::open_in(&env.data_dir).map_err(Failure::from)?;
    Ok((env, ledger))
}

/// Starts the till: the real gateway with the configured credentials, or with `--demo` a
/// simulator in this process whose customer pays after a few seconds (training sales).
pub async fn open_till(g: &Globals) -> Result<Started, Failure> {
    start(g, false).await
}

/// Starts the till for a command that never asks the gateway (a cash sale, the drawer): with
/// `--demo` as [`open_till`], otherwise in the live book whether or not credentials are set.
pub async fn open_till_offline(g: &Globals) -> Result<Started, Failure> {
    start(g, true).await
}

async fn start(g: &Globals, offline: bool) -> Result<Started, Failure> {
    let env = environment(g)?;
    let demo = if g.demo {
        Demo::Always {
            customer_pays_after: Some(DEMO_PAYS_AFTER),
        }
    } else if offline {
        Demo::NotNeeded
    } else {
        Demo::Never
    };
    let started = startup::start(&env, &KeyringStore::new(), demo)
        .await
        .map_err(Failure::from)?;
    if let Some(p) = &g.person {
        started.till.set_cashier(&p.name);
    }
    Ok(started)
}
