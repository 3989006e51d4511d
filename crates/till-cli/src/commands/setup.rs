//! How the till is set up: its settings and what it runs against.

use chrono::Utc;
use serde_json::json;
use till_core::{
    ledger::{Ledger, FILE_NAME},
    money::Currency,
    secrets::KeyringStore,
    settings::{self, Settings},
    startup::{self, CredentialSource},
};

use super::{say, Globals};
use crate::{context, CatalogCommand, Failure, SettingsCommand};

/// One setting per line, as `KEY  VALUE`, marking those an environment variable fixes.
fn print_settings(g: &Globals, s: &Settings) {
    if g.json {
        crate::output::line(&serde_json::to_value(s).unwrap_or_default());
        return;
    }
    let value = serde_json::to_value(s).unwrap_or_default();
    for key in settings::KEYS {
        let shown = match &value[key] {
            serde_json::Value::Bool(true) => "on".to_owned(),
            serde_json::Value::Bool(false) => "off".to_owned(),
            serde_json::Value::String(t) if t.is_empty() => "(none)".to_owned(),
            serde_json::Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        let fixed = if s.fixed.iter().any(|f| f == key) {
            "  (set by the environment)"
        } else {
            ""
        };
        println!("{key:<18} {shown}{fixed}");
    }
}

pub fn settings(g: &Globals, what: Option<SettingsCommand>) -> Result<u8, Failure> {
    let (env, mut ledger) = context::open_ledger(g)?;
    match what {
        None | Some(SettingsCommand::Show) => print_settings(g, &Settings::load(&ledger, &env)?),
        Some(SettingsCommand::Set { key, value }) => {
            let (now, saved) = Settings::set(&mut ledger, &env, &key, &value)?;
            if g.json {
                print_settings(g, &now);
            } else {
                println!("{}", g.lang.fill("cli_setting_saved", &[("key", &key)]));
                if saved.restart_needed {
                    println!("{}", g.lang.text("cli_restart_needed"));
                }
            }
        }
    }
    Ok(0)
}

pub fn info(g: &Globals) -> Result<u8, Failure> {
    let env = context::environment(g)?;
    // The saved gateway address and network count, but asking must not create a ledger.
    let (base_url, network) = if env.data_dir.join(FILE_NAME).exists() {
        settings::gateway(&Ledger::open_in(&env.data_dir)?, &env)?
    } else {
        (env.base_url.clone(), env.network)
    };
    // The mode as `till charge` would find it: the environment's credentials, then the keychain's.
    let (mode, words) = if g.demo {
        ("demo", "demo (--demo)".to_owned())
    } else {
        match startup::credentials(&env, &KeyringStore::new()) {
            Ok(Some((_, CredentialSource::Environment))) => {
                ("live", "live (credentials from the environment)".to_owned())
            }
            Ok(Some(_)) => ("live", "live (credentials from the keychain)".to_owned()),
            Ok(None) => (
                "none",
                "no credentials: run `till credentials set`, or try it with --demo".to_owned(),
            ),
            Err(e) => ("none", format!("{e}; --demo works without it")),
        }
    };
    let mode_text = words.as_str();
    say(
        g,
        json!({"version": till_core::VERSION, "mode": mode, "network": network.to_string(), "gateway": base_url, "data_dir": env.data_dir, "at": Utc::now().to_rfc3339()}),
        &g.lang.fill(
            "cli_status",
            &[
                ("version", &till_core::VERSION),
                ("mode", &mode_text),
                ("network", &network),
                ("gateway", &base_url),
                ("dir", &env.data_dir.display()),
            ],
        ),
    );
    Ok(0)
}

pub fn catalog(g: &Globals, what: CatalogCommand) -> Result<u8, Failure> {
    let (_, mut ledger) = context::open_ledger(g)?;
    match what {
        CatalogCommand::Import { file } => {
            let currency = Currency::from_code(&settings::shop_currency(&ledger)?)?;
            let f = std::fs::File::open(&file)
                .map_err(|e| Failure::error(format!("cannot read {}: {e}", file.display())))?;
            let done =
                till_core::catalog::import(&mut ledger, std::io::BufReader::new(f), currency)?;
            say(
                g,
                json!({"added": done.added, "updated": done.updated}),
                &format!(
                    "imported {}: {} new item(s), {} updated",
                    file.display(),
                    done.added,
                    done.updated
                ),
            );
        }
        CatalogCommand::Export { output } => match output {
            Some(path) => {
                let mut buf = Vec::new();
                let n = till_core::catalog::export(&ledger, &mut buf)?;
                till_core::files::write_atomically(&path, &buf)?;
                say(
                    g,
                    json!({"items": n, "file": path.display().to_string()}),
                    &format!("wrote {n} item(s) to {}", path.display()),
                );
            }
            None => {
                till_core::catalog::export(&ledger, std::io::stdout().lock())?;
            }
        },
    }
    Ok(0)
}
