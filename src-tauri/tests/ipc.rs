//! The shell's commands on Tauri's mock runtime, through the real IPC path: the real
//! tauri.conf.json (so the real capability decides what may be called), a real webview label,
//! JSON in and out exactly as the web view sends and receives it.

use serde_json::{json, Value};
use tauri::{
    ipc::{CallbackFn, InvokeBody},
    test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY},
    webview::InvokeRequest,
    App, WebviewWindowBuilder,
};
use till_app::Shell;
use till_core::Environment;

fn app_with(vars: &[(&str, &str)]) -> App<MockRuntime> {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let environment = Environment::from_lookup(|name| {
        vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    });
    till_app::builder(mock_builder(), Shell { environment })
        .build(tauri::generate_context!())
        .expect("the app builds on the mock runtime")
}

/// Invokes `cmd` from a webview labelled `label`; Ok is the command's answer, Err its error.
fn invoke(app: &App<MockRuntime>, label: &str, cmd: &str, args: Value) -> Result<Value, Value> {
    let webview = WebviewWindowBuilder::new(app, label, Default::default())
        .build()
        .expect("a mock webview");
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("a URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("the answer is JSON"))
}

#[test]
fn app_info_reports_demo_mode_without_credentials() {
    let app = app_with(&[("TILL_DATA_DIR", "/tmp/till-ipc-test")]);
    let info = invoke(&app, "main", "app_info", json!({})).expect("app_info succeeds");
    assert_eq!(
        info,
        json!({
            "version": env!("CARGO_PKG_VERSION"),
            "demo": true,
            "data_dir": "/tmp/till-ipc-test",
            "network": "bitcoin",
        })
    );
}

#[test]
fn app_info_reports_live_mode_with_credentials() {
    let app = app_with(&[
        ("TILL_DATA_DIR", "/tmp/till-ipc-test"),
        ("AURPAY_API_KEY", "k"),
        ("AURPAY_NETWORK", "testnet"),
    ]);
    let info = invoke(&app, "main", "app_info", json!({})).expect("app_info succeeds");
    assert_eq!(info["demo"], json!(false));
    assert_eq!(info["network"], json!("testnet"));
    // The key itself never travels to the web view.
    assert!(!info.to_string().contains("\"k\""), "{info}");
}

#[test]
fn a_bad_setting_comes_back_as_a_config_error() {
    let app = app_with(&[("TILL_DATA_DIR", "/d"), ("AURPAY_NETWORK", "dogecoin")]);
    let err = invoke(&app, "main", "app_info", json!({})).expect_err("app_info fails");
    assert_eq!(err["code"], json!("config"));
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .starts_with("AURPAY_NETWORK:"),
        "{err}"
    );
}

#[test]
fn an_unknown_command_is_refused() {
    let app = app_with(&[("TILL_DATA_DIR", "/d")]);
    let err = invoke(&app, "main", "read_file", json!({"path": "/etc/passwd"}))
        .expect_err("no such command");
    assert!(err.to_string().contains("read_file"), "{err}");
}

#[test]
fn a_window_without_the_capability_cannot_call_commands() {
    let app = app_with(&[("TILL_DATA_DIR", "/d")]);
    let err = invoke(&app, "stranger", "app_info", json!({}))
        .expect_err("only the main window is granted app_info");
    assert!(err.to_string().contains("not allowed"), "{err}");
}
