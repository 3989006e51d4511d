//! The keys to the shop: gateway credentials in the OS keychain, and the manager PIN.

use aurpay::{Credentials, Secret};
use serde_json::json;
use till_core::{
    pin,
    secrets::{self, KeyringStore},
    startup,
};

use super::{read_line, say, Globals};
use crate::{context, CredentialsCommand, Failure, PinCommand};

pub fn credentials(g: &Globals, what: CredentialsCommand) -> Result<u8, Failure> {
    let store = KeyringStore::new();
    match what {
        CredentialsCommand::Set { signature } => {
            let creds = if signature {
                let token = read_line("the API token")?;
                let secret = read_line("the API secret")?;
                Credentials::Signature {
                    token,
                    secret: Secret::new(secret),
                }
            } else {
                Credentials::ApiKey(Secret::new(read_line("the API key")?))
            };
            secrets::save_credentials(&store, &creds)?;
            say(
                g,
                json!({"ok": true, "method": creds.method()}),
                &g.lang
                    .fill("cli_credentials_saved", &[("method", &creds.method())]),
            );
        }
        CredentialsCommand::Show => {
            let env = context::environment(g)?;
            match startup::credentials(&env, &store)? {
                None => say(
                    g,
                    json!({"method": null}),
                    g.lang.text("cli_credentials_none"),
                ),
                Some((c, source)) => {
                    let masked = secrets::hint(&c);
                    let from = match source {
                        startup::CredentialSource::Environment => "environment",
                        _ => "keychain",
                    };
                    say(
                        g,
                        json!({"method": c.method(), "source": from, "masked": masked}),
                        &format!("{masked} (from the {from})"),
                    );
                }
            }
        }
        CredentialsCommand::Clear => {
            secrets::clear_credentials(&store)?;
            say(
                g,
                json!({"ok": true}),
                g.lang.text("cli_credentials_removed"),
            );
        }
    }
    Ok(0)
}

pub fn pin(g: &Globals, what: PinCommand) -> Result<u8, Failure> {
    let (_, mut ledger) = context::open_ledger(g)?;
    match what {
        PinCommand::Set => {
            if pin::is_set(&ledger)? {
                // Whoever's PIN this is changes their own.
                let current = read_line("the current PIN")?;
                let pin_text = read_line("the new PIN")?;
                let who = till_core::people::change_pin(&mut ledger, &current, &pin_text, chrono::Utc::now())
                    .map_err(|e| {
                        Failure::error(format!(
                            "{e}; if the owner's PIN is forgotten, `till pin reset` sets a new one and removes the gateway credentials"
                        ))
                    })?;
                say(
                    g,
                    json!({"ok": true, "name": who.name}),
                    &g.lang.fill("cli_pin_changed", &[("name", &who.name)]),
                );
            } else {
                let pin_text = read_line("the new PIN")?;
                pin::set(&mut ledger, &pin_text)?;
                say(g, json!({"ok": true}), g.lang.text("cli_owner_pin_set"));
            }
        }
        PinCommand::Reset => {
            let pin_text = read_line("the new PIN")?;
            // Checked before anything is removed: a bad PIN leaves everything as it was.
            pin::check_format(&pin_text)?;
            // The credentials go first: a PIN reset must never hand over the shop's Aurpay
            // account, so without a keychain to clear, the PIN stays as it was.
            secrets::clear_credentials(&KeyringStore::new()).map_err(|e| {
                Failure::error(format!(
                    "the PIN was not reset: the gateway credentials could not be removed from the keychain first ({e})"
                ))
            })?;
            pin::set(&mut ledger, &pin_text)?;
            say(
                g,
                json!({"ok": true, "credentials_removed": true}),
                g.lang.text("cli_owner_pin_reset"),
            );
        }
    }
    Ok(0)
}
