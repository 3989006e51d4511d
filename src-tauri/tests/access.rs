//! Who may do what, on Tauri's mock runtime through the real IPC path: first run, the manager PIN
//! and the lock (typed and idle), and the customer window, which reaches none of the owner's
//! commands.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{app_in, app_with, call, call_from, code, invoke, set_up, PIN};
use serde_json::json;
use tauri::Manager;
use till_app::{AppInfo, ErrorCode, LockState, SaleView, Shell};
use till_core::{currencies::CurrencyList, secrets::MemoryStore, settings::Settings};

fn info(app: &tauri::App<tauri::test::MockRuntime>) -> AppInfo {
    call(app, "app_info", json!({})).unwrap()
}

fn lock_state(app: &tauri::App<tauri::test::MockRuntime>) -> LockState {
    call(app, "lock_state", json!({})).unwrap()
}

fn charge(app: &tauri::App<tauri::test::MockRuntime>) -> Result<SaleView, till_app::IpcError> {
    call(app, "charge", json!({"amount": "1", "memo": ""}))
}

#[test]
fn first_run_sets_the_shop_and_the_pin_and_checks_everything_first() {
    let (app, _dir) = app_with(&[]);
    assert!(info(&app).setup_needed);
    let list: CurrencyList = call(&app, "currencies", json!({})).unwrap();
    assert!(list.from_gateway, "the demo gateway lists its currencies");
    assert!(list.currencies.iter().any(|c| c.code == "EUR"));

    for (args, words) in [
        (
            json!({"shopName": " ", "terminal": "front", "currency": "EUR", "pin": PIN}),
            "shop's name",
        ),
        (
            json!({"shopName": "S", "terminal": "Front Till!", "currency": "EUR", "pin": PIN}),
            "terminal name",
        ),
        (
            json!({"shopName": "S", "terminal": "front", "currency": "EURO", "pin": PIN}),
            "EURO",
        ),
        (
            json!({"shopName": "S", "terminal": "front", "currency": "EUR", "pin": "12"}),
            "4 to 12 digits",
        ),
        (
            json!({"shopName": "S".repeat(61), "terminal": "front", "currency": "EUR", "pin": PIN}),
            "longer than 60",
        ),
    ] {
        let err = call::<()>(&app, "finish_setup", args).unwrap_err();
        assert_eq!(err.code, ErrorCode::BadInput);
        assert!(err.message.contains(words), "{err:?}");
    }
    assert!(info(&app).setup_needed, "nothing saved");

    set_up(&app);
    let info = info(&app);
    assert_eq!(
        (
            info.setup_needed,
            info.shop_name.as_str(),
            info.terminal.as_str(),
            info.currency.as_str()
        ),
        (false, "Corner Café", "front", "EUR")
    );
    let sale: SaleView = call(&app, "charge", json!({"amount": "2.50", "memo": ""})).unwrap();
    assert_eq!((sale.currency.as_str(), sale.receipt_no), ("EUR", 1));
    // Receipt numbers count per terminal: once it has sales, its name stays.
    let renamed = call::<()>(
        &app,
        "finish_setup",
        json!({"shopName": "Corner Café", "terminal": "back", "currency": "EUR", "pin": PIN}),
    )
    .unwrap_err();
    assert_eq!(renamed.code, ErrorCode::NotAllowed);
    assert!(
        renamed
            .message
            .contains("already has sales as terminal front"),
        "{renamed:?}"
    );
    assert_eq!(self::info(&app).terminal, "front");
}

#[test]
fn the_pin_locks_the_till_and_guards_the_manager_screens() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    // Just set up: the owner is at the till.
    assert!(lock_state(&app).manager);
    assert_eq!(lock_state(&app).person.unwrap().name, "Owner");
    // A cashier signs in ("who is selling?" is the same PIN pad): the manager's commands are
    // refused in Rust, whatever the window shows.
    common::sign_in_cashier(&app);
    let state = lock_state(&app);
    assert_eq!(
        (state.person.unwrap().name.as_str(), state.manager),
        ("Ana", false)
    );
    for cmd in [
        "x_report",
        "get_settings",
        "credential_status",
        "balance",
        "closed_days",
        "withdrawals",
    ] {
        assert_eq!(
            code(call::<serde_json::Value>(&app, cmd, json!({}))),
            ErrorCode::PinRequired,
            "{cmd}"
        );
    }
    // The cashier can still sell.
    charge(&app).unwrap();

    call::<()>(&app, "lock", json!({})).unwrap();
    assert!(lock_state(&app).locked);
    assert_eq!(code(charge(&app)), ErrorCode::Locked);
    assert_eq!(
        code(call::<Vec<SaleView>>(&app, "sales_today", json!({}))),
        ErrorCode::Locked
    );
    // The customer display and the lock screen still work.
    assert!(call_from::<Option<SaleView>>(&app, "customer", "current_sale", json!({})).is_ok());
    assert!(call::<AppInfo>(&app, "app_info", json!({})).is_ok());

    // Wrong PINs: two say how many tries are left, the third makes the till wait.
    let unlock = |pin: &str| call::<serde_json::Value>(&app, "unlock", json!({"pin": pin}));
    let e1 = unlock("0000").unwrap_err();
    assert_eq!(e1.code, ErrorCode::WrongPin);
    assert!(e1.message.contains("2 more tries"), "{e1:?}");
    unlock("0001").unwrap_err();
    let e3 = unlock("0002").unwrap_err();
    assert!(e3.message.contains("try again in"), "{e3:?}");
    let waiting = unlock(PIN).unwrap_err();
    assert!(
        waiting.message.contains("try again in"),
        "even the right PIN waits"
    );
    assert!(lock_state(&app).locked);

    // A restart does not open a locked till: a till with a PIN starts locked.
    drop(app);
    let app = app_in(&[], dir.path(), Arc::new(MemoryStore::default()));
    assert!(lock_state(&app).locked);
}

/// The idle lock is Rust's: past the idle minutes without a reported touch or key, the till
/// locks whether or not the window says anything.
#[test]
fn the_idle_lock_is_enforced_in_rust() {
    use std::time::{Duration, Instant};
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    let mut s: Settings = call(&app, "get_settings", json!({})).unwrap();
    s.idle_lock_minutes = 2;
    call::<Settings>(&app, "save_settings", json!({"settings": s})).unwrap();
    call::<()>(&app, "end_manager", json!({})).unwrap();
    let shell = app.state::<Shell>();
    let later = |secs| Instant::now() + Duration::from_secs(secs);
    assert!(!shell.lock_if_idle(later(100)), "not yet two minutes");
    // A touch reported by the window counts from now.
    call::<()>(&app, "activity", json!({})).unwrap();
    assert!(!shell.lock_if_idle(later(110)));
    assert!(
        shell.lock_if_idle(later(121)),
        "two minutes without a touch"
    );
    assert!(lock_state(&app).locked);
    assert_eq!(code(charge(&app)), ErrorCode::Locked);
    assert!(!shell.lock_if_idle(later(600)), "locked once");
    call::<serde_json::Value>(&app, "unlock", json!({"pin": PIN})).unwrap();
    charge(&app).unwrap();
    // 0 means never.
    let mut s: Settings = call(&app, "get_settings", json!({})).unwrap();
    s.idle_lock_minutes = 0;
    call::<Settings>(&app, "save_settings", json!({"settings": s})).unwrap();
    assert!(!shell.lock_if_idle(later(86_400)));
}

#[test]
fn a_till_without_a_pin_cannot_be_locked_out() {
    let (app, _dir) = app_with(&[]);
    let err = call::<()>(&app, "lock", json!({})).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAllowed);
    assert!(err.message.contains("set the owner's PIN"), "{err:?}");
    assert!(
        call::<till_core::report::Report>(&app, "x_report", json!({})).is_ok(),
        "no PIN yet: nothing to ask"
    );
}

#[test]
fn the_pin_changes_only_with_the_current_one() {
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    let change = |current: &str, new: &str| {
        call::<()>(
            &app,
            "change_pin",
            json!({"current": current, "newPin": new}),
        )
    };
    assert_eq!(code(change("1357", "9999")), ErrorCode::WrongPin);
    assert_eq!(code(change(PIN, "12")), ErrorCode::BadInput);
    change(PIN, "975310").unwrap();
    call::<()>(&app, "lock", json!({})).unwrap();
    assert_eq!(
        code(call::<serde_json::Value>(
            &app,
            "unlock",
            json!({"pin": PIN})
        )),
        ErrorCode::WrongPin
    );
    call::<serde_json::Value>(&app, "unlock", json!({"pin": "975310"})).unwrap();
}

#[test]
fn the_customer_window_reaches_none_of_the_owners_commands() {
    let (app, _dir) = app_with(&[]);
    for cmd in [
        "finish_setup",
        "unlock",
        "lock",
        "x_report",
        "close_day",
        "save_credentials",
        "withdraw",
        "refund",
        "get_settings",
        "export_sales",
    ] {
        // Tauri itself refuses: not an IpcError, a plain sentence.
        let err = invoke(&app, "customer", cmd, json!({})).unwrap_err();
        assert!(err.to_string().contains("not allowed"), "{cmd}: {err}");
    }
}
