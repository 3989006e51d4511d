//! The Aurpay connection on Tauri's mock runtime through the real IPC path: credentials tried
//! against a real simulator before they are kept, signing in, a machine without a keychain, and
//! the currency list when the gateway cannot be asked.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{app_in, app_with_unreachable_gateway, call, set_up, sim_accepting, PIN};
use serde_json::json;
use till_app::{AppInfo, CredentialStatus, ErrorCode, SaleView};
use till_core::{
    connect::ConnectionResult,
    currencies::CurrencyList,
    gateway::Probe,
    secrets::{self, MemoryStore, SecretStore},
    startup::CredentialSource,
};

fn demo(app: &tauri::App<tauri::test::MockRuntime>) -> bool {
    call::<AppInfo>(app, "app_info", json!({})).unwrap().demo
}

#[test]
fn credentials_are_tried_before_they_are_kept_and_never_come_back() {
    let sim = sim_accepting("right-key-0123456789", None);
    let url = sim.url();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
    let vars = [("AURPAY_BASE_URL", url), ("AURPAY_NETWORK", "regtest")];
    let app = app_in(&vars, dir.path(), store.clone());
    set_up(&app);
    let status: CredentialStatus = call(&app, "credential_status", json!({})).unwrap();
    assert_eq!(status.source, CredentialSource::None);

    let save = |args: serde_json::Value| call::<ConnectionResult>(&app, "save_credentials", args);
    let wrong = save(json!({"kind": "api_key", "apiKey": "wrong"})).unwrap();
    assert_eq!(
        (wrong.outcome, wrong.saved),
        (Probe::WrongCredentials, false)
    );
    assert_eq!(
        secrets::load_credentials(store.as_ref()),
        Ok(None),
        "nothing saved"
    );
    assert!(demo(&app));

    let err = save(json!({"kind": "api_key", "apiKey": "  "})).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadInput);
    let err = save(json!({"kind": "password"})).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadInput);
    assert!(
        err.message
            .contains("choose an API key, or an API token and secret"),
        "{err:?}"
    );

    let right = save(json!({"kind": "api_key", "apiKey": "right-key-0123456789"})).unwrap();
    assert_eq!(
        (right.outcome, right.saved),
        (Probe::Connected, true),
        "{right:?}"
    );
    assert!(secrets::load_credentials(store.as_ref()).unwrap().is_some());
    let info: AppInfo = call(&app, "app_info", json!({})).unwrap();
    assert_eq!((info.demo, info.network.as_str()), (false, "regtest"));
    let raw = common::main(&app, "credential_status", json!({})).unwrap();
    let status: CredentialStatus = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(status.source, CredentialSource::Keychain);
    assert_eq!(status.hint.as_deref(), Some("API key …6789"));
    assert!(
        !raw.to_string().contains("right-key"),
        "the secret never comes back: {raw}"
    );
    let tested: ConnectionResult = call(&app, "test_connection", json!({})).unwrap();
    assert_eq!(tested.outcome, Probe::Connected);

    // Live now: a real sale goes to the simulator.
    let sale: SaleView = call(&app, "charge", json!({"amount": "3", "memo": ""})).unwrap();
    assert!(!sale.training);
    assert_eq!(sim.state().orders().len(), 1);

    // A restart reads the keychain.
    drop(app);
    let app = app_in(&vars, dir.path(), store.clone());
    assert!(!demo(&app));
    call::<serde_json::Value>(&app, "unlock", json!({"pin": PIN})).unwrap();
    call::<()>(&app, "forget_credentials", json!({})).unwrap();
    assert_eq!(secrets::load_credentials(store.as_ref()), Ok(None));
    assert!(demo(&app));

    // Unreachable: said so, nothing saved.
    drop(sim);
    let gone: ConnectionResult = call(
        &app,
        "save_credentials",
        json!({"kind": "signature", "token": "t", "secret": "s"}),
    )
    .unwrap();
    assert_eq!(gone.outcome, Probe::Unreachable, "{gone:?}");
    assert_eq!(secrets::load_credentials(store.as_ref()), Ok(None));
}

#[test]
fn signing_in_uses_the_password_once_and_keeps_only_the_key() {
    let sim = sim_accepting("issued-key-abcdef", Some(("shop@example.com", "hunter22")));
    let url = sim.url();
    let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(
        &[("AURPAY_BASE_URL", url), ("AURPAY_NETWORK", "regtest")],
        dir.path(),
        store.clone(),
    );
    set_up(&app);
    let sign_in = |password: &str| {
        call::<ConnectionResult>(
            &app,
            "sign_in",
            json!({"username": "shop@example.com", "password": password}),
        )
        .unwrap()
    };
    let bad = sign_in("nope");
    assert_eq!(bad.outcome, Probe::WrongCredentials, "{bad:?}");
    let good = sign_in("hunter22");
    assert_eq!(good.outcome, Probe::Connected, "{good:?}");
    assert_eq!(
        secrets::load_credentials(store.as_ref()).unwrap(),
        Some(aurpay::Credentials::api_key("issued-key-abcdef"))
    );
    assert!(!format!("{store:?}").contains("hunter22"));
}

/// A keychain that cannot be used, as on a machine without a Secret Service.
#[derive(Debug)]
struct NoKeychain;

impl SecretStore for NoKeychain {
    fn get(&self, _: &str) -> Result<Option<aurpay::Secret>, secrets::SecretError> {
        Err(secrets::SecretError::Unavailable(
            "no Secret Service on the bus".into(),
        ))
    }
    fn set(&self, _: &str, _: &aurpay::Secret) -> Result<(), secrets::SecretError> {
        Err(secrets::SecretError::Unavailable(
            "no Secret Service on the bus".into(),
        ))
    }
    fn delete(&self, _: &str) -> Result<(), secrets::SecretError> {
        Err(secrets::SecretError::Unavailable(
            "no Secret Service on the bus".into(),
        ))
    }
}

#[test]
fn without_a_keychain_the_app_says_what_is_missing_and_never_falls_back_to_a_file() {
    let sim = sim_accepting("right-key-0123456789", None);
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(
        &[
            ("AURPAY_BASE_URL", sim.url()),
            ("AURPAY_NETWORK", "regtest"),
        ],
        dir.path(),
        Arc::new(NoKeychain),
    );
    let info: AppInfo = call(&app, "app_info", json!({})).unwrap();
    assert!(info.demo);
    assert!(
        info.keychain_problem
            .as_deref()
            .unwrap()
            .contains("apt install gnome-keyring"),
        "{info:?}"
    );
    set_up(&app);
    let err = call::<ConnectionResult>(
        &app,
        "save_credentials",
        json!({"kind": "api_key", "apiKey": "right-key-0123456789"}),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Keychain);
    assert!(err.message.contains("keychain is not available"), "{err:?}");
    // Nothing was written anywhere in the data folder but the ledger and its journal files.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("ledger.sqlite"))
        .collect();
    names.sort();
    assert_eq!(names, Vec::<String>::new());
    let sqlite = std::fs::read(dir.path().join("ledger.sqlite")).unwrap();
    assert!(
        !sqlite.windows(20).any(|w| w == b"right-key-0123456789"),
        "not in the ledger"
    );
    assert!(demo(&app));
}

#[test]
fn the_currency_list_falls_back_when_the_gateway_cannot_be_asked() {
    let (app, _dir) = app_with_unreachable_gateway();
    let list: CurrencyList = call(&app, "currencies", json!({})).unwrap();
    assert!(!list.from_gateway);
    assert!(
        list.note.as_deref().unwrap().contains("could not be asked"),
        "{list:?}"
    );
    let codes: Vec<&str> = list.currencies.iter().map(|c| c.code.as_str()).collect();
    assert!(
        codes.contains(&"EUR") && codes.contains(&"USD") && codes.contains(&"CHF"),
        "{codes:?}"
    );
}
