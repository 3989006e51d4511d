//! The mock-runtime app and the IPC calls the shell's tests share: `invoke` for the raw JSON (what
//! Tauri itself refuses), `call` for an answer read as the shell's own type, so a field renamed
//! or retyped in Rust fails here instead of reading as null.

#![allow(clippy::unwrap_used, dead_code)]

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tauri::{
    ipc::{CallbackFn, InvokeBody},
    test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY},
    webview::InvokeRequest,
    App, WebviewWindowBuilder,
};
use till_app::{ErrorCode, IpcError, Shell};
use till_core::{
    secrets::{MemoryStore, SecretStore},
    Environment,
};

/// The app on Tauri's mock runtime with `vars` as its environment, a fresh data folder and an
/// empty in-memory keychain.
pub fn app_with(vars: &[(&str, &str)]) -> (App<MockRuntime>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(vars, dir.path(), Arc::new(MemoryStore::default()));
    (app, dir)
}

/// The app over an existing data folder and keychain (a restart).
pub fn app_in(
    vars: &[(&str, &str)],
    data_dir: &std::path::Path,
    store: Arc<dyn SecretStore>,
) -> App<MockRuntime> {
    let mut vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    vars.push(("TILL_DATA_DIR".into(), data_dir.display().to_string()));
    let environment = Environment::from_lookup(|name| {
        vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    });
    let core = match &environment {
        // On Tauri's own runtime, so the demo gateway outlives this function.
        Ok(env) => tauri::async_runtime::block_on(till_app::start_core(env, store.as_ref())),
        Err(e) => Err(till_app::IpcError::new(
            till_app::ErrorCode::Config,
            e.to_string(),
        )),
    };
    till_app::builder(mock_builder(), Shell::new(environment, core, store))
        .build(tauri::generate_context!())
        .unwrap()
}

/// Invokes `cmd` from a webview labelled `label`; Ok is the command's answer, Err its error.
pub fn invoke(app: &App<MockRuntime>, label: &str, cmd: &str, args: Value) -> Result<Value, Value> {
    let webview = match tauri::Manager::get_webview_window(app, label) {
        Some(w) => w,
        None => WebviewWindowBuilder::new(app, label, Default::default())
            .build()
            .unwrap(),
    };
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

pub fn main(app: &App<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke(app, "main", cmd, args)
}

/// Invokes `cmd` from the main window; the answer read as `T`, or the command's `IpcError`.
/// Panics when either comes back in another shape: the contract with the web view broke.
pub fn call<T: DeserializeOwned>(
    app: &App<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<T, IpcError> {
    call_from(app, "main", cmd, args)
}

/// [`call`] from the window labelled `label`.
pub fn call_from<T: DeserializeOwned>(
    app: &App<MockRuntime>,
    label: &str,
    cmd: &str,
    args: Value,
) -> Result<T, IpcError> {
    match invoke(app, label, cmd, args) {
        Ok(v) => Ok(serde_json::from_value(v.clone())
            .unwrap_or_else(|e| panic!("{cmd} answered {v} ({e})"))),
        Err(v) => Err(serde_json::from_value(v.clone())
            .unwrap_or_else(|e| panic!("{cmd} failed outside the error shape: {v} ({e})"))),
    }
}

/// The code of a call that must fail.
pub fn code<T: std::fmt::Debug>(r: Result<T, IpcError>) -> ErrorCode {
    r.unwrap_err().code
}

/// The manager PIN the suites set up with.
pub const PIN: &str = "2468";

/// Finishes first run: Corner Café, terminal `front`, EUR, [`PIN`].
pub fn set_up(app: &App<MockRuntime>) {
    call::<()>(
        app,
        "finish_setup",
        json!({"shopName": "Corner Café", "terminal": "front", "currency": "EUR", "pin": PIN}),
    )
    .unwrap();
}

/// The PIN of Ana, the cashier `sign_in_cashier` puts on the staff.
pub const CASHIER_PIN: &str = "8642";

/// Adds Ana, a cashier, and signs her in ("who is selling?").
pub fn sign_in_cashier(app: &App<MockRuntime>) {
    call::<serde_json::Value>(
        app,
        "add_staff",
        json!({"name": "Ana", "role": "cashier", "pin": CASHIER_PIN}),
    )
    .unwrap();
    call::<serde_json::Value>(app, "unlock", json!({"pin": CASHIER_PIN})).unwrap();
}

/// A paid demo sale; its receipt number.
pub fn paid_sale(app: &App<MockRuntime>, amount: &str) -> i64 {
    let sale: till_app::SaleView =
        call(app, "charge", json!({"amount": amount, "memo": ""})).unwrap();
    let paid: till_app::SaleView = call(
        app,
        "simulate_payment",
        json!({"receiptNo": sale.receipt_no}),
    )
    .unwrap();
    assert_eq!(paid.status, till_core::sale::SaleState::Paid);
    sale.receipt_no
}

/// The app live against a gateway address where nothing listens.
pub fn app_with_unreachable_gateway() -> (App<MockRuntime>, tempfile::TempDir) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    app_with(&[
        ("AURPAY_API_KEY", "k"),
        ("AURPAY_BASE_URL", &url),
        ("AURPAY_NETWORK", "regtest"),
    ])
}

/// A simulator on 127.0.0.1 that accepts `key`, started on Tauri's runtime (which outlives the
/// test's calls).
pub fn sim_accepting(key: &str, account: Option<(&str, &str)>) -> aurpay_sim::RunningSim {
    tauri::async_runtime::handle()
        .block_on(aurpay_sim::start(aurpay_sim::SimConfig {
            api_key: Some(key.into()),
            account: account.map(|(u, p)| (u.into(), p.into())),
            ..Default::default()
        }))
        .unwrap()
}
