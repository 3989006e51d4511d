//! The owner's commands on Tauri's mock runtime, through the real IPC path: first run, the
//! manager PIN and the lock, credentials tried against a real simulator before they are kept,
//! settings, closing the day with its automatic export, refunds and withdrawals.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{app_in, app_with, app_with_unreachable_gateway, invoke, main, sim_accepting};
use serde_json::{json, Value};
use tauri::{test::MockRuntime, App, Manager};
use till_app::Shell;
use till_core::secrets::{self, MemoryStore, SecretStore};

const PIN: &str = "2468";

fn code(r: Result<Value, Value>) -> String {
    r.unwrap_err()["code"].as_str().unwrap().to_owned()
}

fn set_up(app: &App<MockRuntime>) {
    main(
        app,
        "finish_setup",
        json!({"shopName": "Corner Café", "terminal": "front", "currency": "EUR", "pin": PIN}),
    )
    .unwrap();
}

/// A paid demo sale; its receipt number.
fn paid_sale(app: &App<MockRuntime>, amount: &str) -> i64 {
    let sale = main(app, "charge", json!({"amount": amount, "memo": ""})).unwrap();
    let n = sale["receipt_no"].as_i64().unwrap();
    let paid = main(app, "simulate_payment", json!({"receiptNo": n})).unwrap();
    assert_eq!(paid["status"], "paid");
    n
}

#[test]
fn first_run_sets_the_shop_and_the_pin_and_checks_everything_first() {
    let (app, _dir) = app_with(&[]);
    assert_eq!(
        main(&app, "app_info", json!({})).unwrap()["setup_needed"],
        true
    );
    let list = main(&app, "currencies", json!({})).unwrap();
    assert_eq!(
        list["from_gateway"], true,
        "the demo gateway lists its currencies"
    );
    assert!(list["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["code"] == "EUR"));

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
        let err = main(&app, "finish_setup", args).unwrap_err();
        assert_eq!(err["code"], "bad_input");
        assert!(err["message"].as_str().unwrap().contains(words), "{err}");
    }
    assert_eq!(
        main(&app, "app_info", json!({})).unwrap()["setup_needed"],
        true,
        "nothing saved"
    );

    set_up(&app);
    let info = main(&app, "app_info", json!({})).unwrap();
    assert_eq!(
        (
            info["setup_needed"].as_bool(),
            info["shop_name"].as_str(),
            info["terminal"].as_str(),
            info["currency"].as_str()
        ),
        (Some(false), Some("Corner Café"), Some("front"), Some("EUR"))
    );
    let sale = main(&app, "charge", json!({"amount": "2.50", "memo": ""})).unwrap();
    assert_eq!(
        (sale["currency"].as_str(), sale["receipt_no"].as_i64()),
        (Some("EUR"), Some(1))
    );
}

#[test]
fn the_pin_locks_the_till_and_guards_the_manager_screens() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    // Just set up: the manager session is open.
    assert_eq!(
        main(&app, "lock_state", json!({})).unwrap()["manager"],
        true
    );
    main(&app, "end_manager", json!({})).unwrap();
    for cmd in [
        "x_report",
        "get_settings",
        "credential_status",
        "balance",
        "closed_days",
        "withdrawals",
    ] {
        assert_eq!(code(main(&app, cmd, json!({}))), "pin_required", "{cmd}");
    }
    // The cashier can still sell.
    main(&app, "charge", json!({"amount": "1", "memo": ""})).unwrap();

    main(&app, "lock", json!({})).unwrap();
    assert_eq!(main(&app, "lock_state", json!({})).unwrap()["locked"], true);
    assert_eq!(
        code(main(&app, "charge", json!({"amount": "1", "memo": ""}))),
        "locked"
    );
    assert_eq!(code(main(&app, "sales_today", json!({}))), "locked");
    // The customer display and the lock screen still work.
    assert!(invoke(&app, "customer", "current_sale", json!({})).is_ok());
    assert!(main(&app, "app_info", json!({})).is_ok());

    // Wrong PINs: two say how many tries are left, the third makes the till wait.
    let e1 = main(&app, "unlock", json!({"pin": "0000"})).unwrap_err();
    assert_eq!(e1["code"], "wrong_pin");
    assert!(
        e1["message"].as_str().unwrap().contains("2 more tries"),
        "{e1}"
    );
    main(&app, "unlock", json!({"pin": "0001"})).unwrap_err();
    let e3 = main(&app, "unlock", json!({"pin": "0002"})).unwrap_err();
    assert!(
        e3["message"].as_str().unwrap().contains("try again in"),
        "{e3}"
    );
    let waiting = main(&app, "unlock", json!({"pin": PIN})).unwrap_err();
    assert!(
        waiting["message"]
            .as_str()
            .unwrap()
            .contains("try again in"),
        "even the right PIN waits"
    );
    assert_eq!(main(&app, "lock_state", json!({})).unwrap()["locked"], true);

    // A restart does not open a locked till: a till with a PIN starts locked.
    drop(app);
    let app = app_in(&[], dir.path(), Arc::new(MemoryStore::default()));
    assert_eq!(main(&app, "lock_state", json!({})).unwrap()["locked"], true);
}

/// The idle lock is Rust's: past the idle minutes without a reported touch or key, the till
/// locks whether or not the window says anything.
#[test]
fn the_idle_lock_is_enforced_in_rust() {
    use std::time::{Duration, Instant};
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    let mut s = main(&app, "get_settings", json!({})).unwrap();
    s["idle_lock_minutes"] = json!(2);
    main(&app, "save_settings", json!({"settings": s})).unwrap();
    main(&app, "end_manager", json!({})).unwrap();
    let shell = app.state::<Shell>();
    let later = |secs| Instant::now() + Duration::from_secs(secs);
    assert!(!shell.lock_if_idle(later(100)), "not yet two minutes");
    // A touch reported by the window counts from now.
    main(&app, "activity", json!({})).unwrap();
    assert!(!shell.lock_if_idle(later(110)));
    assert!(
        shell.lock_if_idle(later(121)),
        "two minutes without a touch"
    );
    assert_eq!(main(&app, "lock_state", json!({})).unwrap()["locked"], true);
    assert_eq!(
        code(main(&app, "charge", json!({"amount": "1", "memo": ""}))),
        "locked"
    );
    assert!(!shell.lock_if_idle(later(600)), "locked once");
    main(&app, "unlock", json!({"pin": PIN})).unwrap();
    main(&app, "charge", json!({"amount": "1", "memo": ""})).unwrap();
    // 0 means never.
    let mut s = main(&app, "get_settings", json!({})).unwrap();
    s["idle_lock_minutes"] = json!(0);
    main(&app, "save_settings", json!({"settings": s})).unwrap();
    assert!(!shell.lock_if_idle(later(86_400)));
}

#[test]
fn a_till_without_a_pin_cannot_be_locked_out() {
    let (app, _dir) = app_with(&[]);
    let err = main(&app, "lock", json!({})).unwrap_err();
    assert_eq!(err["code"], "not_allowed");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("set a manager PIN"));
    assert!(
        main(&app, "x_report", json!({})).is_ok(),
        "no PIN yet: nothing to ask"
    );
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
    assert_eq!(
        main(&app, "credential_status", json!({})).unwrap()["source"],
        "none"
    );

    let wrong = main(
        &app,
        "save_credentials",
        json!({"kind": "api_key", "apiKey": "wrong"}),
    )
    .unwrap();
    assert_eq!(
        (wrong["outcome"].as_str(), wrong["saved"].as_bool()),
        (Some("wrong_credentials"), Some(false))
    );
    assert_eq!(
        secrets::load_credentials(store.as_ref()),
        Ok(None),
        "nothing saved"
    );
    assert_eq!(main(&app, "app_info", json!({})).unwrap()["demo"], true);

    let err = main(
        &app,
        "save_credentials",
        json!({"kind": "api_key", "apiKey": "  "}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "bad_input");
    let err = main(&app, "save_credentials", json!({"kind": "password"})).unwrap_err();
    assert_eq!(err["code"], "bad_input");

    let right = main(
        &app,
        "save_credentials",
        json!({"kind": "api_key", "apiKey": "right-key-0123456789"}),
    )
    .unwrap();
    assert_eq!(
        (right["outcome"].as_str(), right["saved"].as_bool()),
        (Some("connected"), Some(true)),
        "{right}"
    );
    assert!(secrets::load_credentials(store.as_ref()).unwrap().is_some());
    let info = main(&app, "app_info", json!({})).unwrap();
    assert_eq!(
        (info["demo"].as_bool(), info["network"].as_str()),
        (Some(false), Some("regtest"))
    );
    let status = main(&app, "credential_status", json!({})).unwrap();
    assert_eq!(status["source"], "keychain");
    assert_eq!(status["hint"], "API key …6789");
    assert!(
        !status.to_string().contains("right-key"),
        "the secret never comes back: {status}"
    );
    assert_eq!(
        main(&app, "test_connection", json!({})).unwrap()["outcome"],
        "connected"
    );

    // Live now: a real sale goes to the simulator.
    let sale = main(&app, "charge", json!({"amount": "3", "memo": ""})).unwrap();
    assert_eq!(sale["training"], false);
    assert_eq!(sim.state().orders().len(), 1);

    // A restart reads the keychain.
    drop(app);
    let app = app_in(&vars, dir.path(), store.clone());
    assert_eq!(main(&app, "app_info", json!({})).unwrap()["demo"], false);
    main(&app, "unlock", json!({"pin": PIN})).unwrap();
    main(&app, "forget_credentials", json!({})).unwrap();
    assert_eq!(secrets::load_credentials(store.as_ref()), Ok(None));
    assert_eq!(main(&app, "app_info", json!({})).unwrap()["demo"], true);

    // Unreachable: said so, nothing saved.
    drop(sim);
    let gone = main(
        &app,
        "save_credentials",
        json!({"kind": "signature", "token": "t", "secret": "s"}),
    )
    .unwrap();
    assert_eq!(gone["outcome"], "unreachable", "{gone}");
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
    let bad = main(
        &app,
        "sign_in",
        json!({"username": "shop@example.com", "password": "nope"}),
    )
    .unwrap();
    assert_eq!(bad["outcome"], "wrong_credentials", "{bad}");
    let good = main(
        &app,
        "sign_in",
        json!({"username": "shop@example.com", "password": "hunter22"}),
    )
    .unwrap();
    assert_eq!(good["outcome"], "connected", "{good}");
    assert_eq!(
        secrets::load_credentials(store.as_ref()).unwrap(),
        Some(aurpay::Credentials::api_key("issued-key-abcdef"))
    );
    assert!(!format!("{store:?}").contains("hunter22"));
}

#[test]
fn settings_are_checked_then_saved_and_the_sound_follows() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    let mut s = main(&app, "get_settings", json!({})).unwrap();
    assert_eq!(s["sound"], true);
    for (field, value, words) in [
        ("idle_lock_minutes", json!(999), "240"),
        ("network", json!("dogecoin"), "dogecoin"),
        ("gateway_url", json!("ftp://x"), "ftp://x"),
        (
            "auto_export_dir",
            json!("/no/such/folder"),
            "does not exist",
        ),
        ("timezone", json!("Mars/Olympus"), "not known"),
        ("shop_name", json!(""), "shop's name"),
    ] {
        let mut bad = s.clone();
        bad[field] = value;
        let err = main(&app, "save_settings", json!({"settings": bad})).unwrap_err();
        assert_eq!(err["code"], "bad_input", "{field}");
        assert!(
            err["message"].as_str().unwrap().contains(words),
            "{field}: {err}"
        );
    }
    assert_eq!(
        main(&app, "get_settings", json!({})).unwrap(),
        s,
        "nothing was saved"
    );
    s["sound"] = json!(false);
    s["idle_lock_minutes"] = json!(2);
    s["timezone"] = json!("Europe/Zurich");
    s["auto_export_dir"] = json!(dir.path().display().to_string());
    let saved = main(&app, "save_settings", json!({"settings": s})).unwrap();
    assert_eq!(saved["idle_lock_minutes"], 2);
    assert_eq!(main(&app, "sound_on", json!({})).unwrap(), false);
    assert_eq!(
        main(&app, "lock_state", json!({})).unwrap()["idle_lock_minutes"],
        2
    );
}

#[test]
fn closing_the_day_seals_the_z_report_exports_it_and_refuses_a_second_close() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    let exports = tempfile::tempdir().unwrap();
    let mut s = main(&app, "get_settings", json!({})).unwrap();
    s["auto_export_dir"] = json!(exports.path().display().to_string());
    main(&app, "save_settings", json!({"settings": s})).unwrap();
    let a = paid_sale(&app, "4.00");
    paid_sale(&app, "6.00");
    let x = main(&app, "x_report", json!({})).unwrap();
    assert_eq!(x["kind"], "X");
    assert_eq!(x["received"][0]["amount"], "10.00");

    let refund = main(
        &app,
        "refund",
        json!({"receiptNo": a, "amount": "1.50", "reason": "cold", "pin": PIN}),
    )
    .unwrap();
    assert_eq!(refund["refund"]["refund_no"], 1);

    let closed = main(&app, "close_day", json!({})).unwrap();
    assert_eq!(closed["report"]["kind"], "Z");
    assert_eq!(closed["report"]["net"][0]["amount"], "8.50");
    let file = closed["exported_to"].as_str().unwrap();
    let csv = std::fs::read_to_string(file).unwrap();
    assert_eq!(
        csv.lines().count(),
        4,
        "header, two sales, one refund:\n{csv}"
    );
    assert!(
        file.ends_with("-demo.csv") && file.contains("till-front-"),
        "{file}"
    );

    let again = main(&app, "close_day", json!({})).unwrap_err();
    assert_eq!(again["code"], "not_allowed");
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .starts_with("nothing happened since TZ1"),
        "{again}"
    );
    let list = main(&app, "closed_days", json!({})).unwrap();
    assert_eq!(list[0]["label"], "TZ1");
    let z_no = list[0]["z_no"].as_i64().unwrap();
    let z = main(&app, "z_report", json!({"zNo": z_no})).unwrap();
    assert_eq!(z, closed["report"], "reopened exactly as sealed");
    assert_eq!(
        code(main(&app, "z_report", json!({"zNo": 99}))),
        "not_found"
    );
    assert!(main(&app, "z_report", json!({"zNo": "yesterday"})).is_err());
    assert_eq!(
        code(main(&app, "close_day", json!({"day": "2999-01-01"}))),
        "not_allowed"
    );
    drop(dir);
}

#[test]
fn refunds_and_withdrawals_need_the_pin_every_time_and_never_pay_twice() {
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    let n = paid_sale(&app, "10.00");
    let wrong = main(
        &app,
        "refund",
        json!({"receiptNo": n, "amount": "1", "reason": "x", "pin": "9999"}),
    )
    .unwrap_err();
    assert_eq!(wrong["code"], "wrong_pin");
    main(
        &app,
        "refund",
        json!({"receiptNo": n, "amount": "10.00", "reason": "all back", "pin": PIN}),
    )
    .unwrap();
    let twice = main(
        &app,
        "refund",
        json!({"receiptNo": n, "amount": "0.01", "reason": "x", "pin": PIN}),
    )
    .unwrap_err();
    assert_eq!(twice["code"], "not_allowed", "{twice}");
    assert_eq!(
        main(&app, "refunds_of", json!({"receiptNo": n}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The demo gateway's balance holds the paid sale; withdraw part of it to a wallet's invoice.
    let paid_sats = main(&app, "sale_detail", json!({"receiptNo": n})).unwrap()["sale"]
        ["amount_msat"]
        .as_u64()
        .unwrap()
        / 1000;
    let balance = main(&app, "balance", json!({})).unwrap();
    assert_eq!(
        (balance["sats"].as_u64(), balance["demo"].as_bool()),
        (Some(paid_sats), Some(true))
    );
    let invoice = {
        let shell = app.state::<Shell>();
        let core = shell.any_core().unwrap();
        core.demo
            .as_ref()
            .unwrap()
            .state()
            .wallet_invoice(2_500_000)
            .unwrap()
            .payment_request
    };
    let preview = main(&app, "preview_invoice", json!({"invoice": invoice})).unwrap();
    assert_eq!(preview["sats"], 2_500);
    assert_eq!(
        code(main(
            &app,
            "preview_invoice",
            json!({"invoice": "lnbc1garbage"})
        )),
        "bad_input"
    );
    assert_eq!(
        code(main(
            &app,
            "withdraw",
            json!({"invoice": invoice, "pin": "1111"})
        )),
        "wrong_pin"
    );
    let w = main(&app, "withdraw", json!({"invoice": invoice, "pin": PIN})).unwrap();
    assert_eq!(w["state"], "sent");
    let again = main(&app, "withdraw", json!({"invoice": invoice, "pin": PIN})).unwrap_err();
    assert_eq!(again["code"], "not_allowed");
    assert!(again["message"]
        .as_str()
        .unwrap()
        .contains("never paid twice"));
    assert_eq!(
        main(&app, "balance", json!({})).unwrap()["sats"],
        paid_sats - 2_500
    );
    assert_eq!(
        main(&app, "withdrawals", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
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
        let err = invoke(&app, "customer", cmd, json!({})).unwrap_err();
        assert!(err.to_string().contains("not allowed"), "{cmd}: {err}");
    }
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
    let info = main(&app, "app_info", json!({})).unwrap();
    assert_eq!(info["demo"], true);
    assert!(
        info["keychain_problem"]
            .as_str()
            .unwrap()
            .contains("apt install gnome-keyring"),
        "{info}"
    );
    set_up(&app);
    let err = main(
        &app,
        "save_credentials",
        json!({"kind": "api_key", "apiKey": "right-key-0123456789"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "keychain");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("keychain is not available"),
        "{err}"
    );
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
    assert_eq!(main(&app, "app_info", json!({})).unwrap()["demo"], true);
}

#[test]
fn the_pin_changes_only_with_the_current_one() {
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    let wrong = main(
        &app,
        "change_pin",
        json!({"current": "1357", "newPin": "9999"}),
    )
    .unwrap_err();
    assert_eq!(wrong["code"], "wrong_pin");
    let short = main(&app, "change_pin", json!({"current": PIN, "newPin": "12"})).unwrap_err();
    assert_eq!(short["code"], "bad_input");
    main(
        &app,
        "change_pin",
        json!({"current": PIN, "newPin": "975310"}),
    )
    .unwrap();
    main(&app, "lock", json!({})).unwrap();
    assert_eq!(code(main(&app, "unlock", json!({"pin": PIN}))), "wrong_pin");
    main(&app, "unlock", json!({"pin": "975310"})).unwrap();
}

#[test]
fn exports_check_their_dates_before_any_dialog_opens() {
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    for (first, last, format, words) in [
        ("2026-13-01", "2026-13-01", "csv", "not a date"),
        ("2026-11-24", "2026-11-20", "csv", "ends"),
        ("2026-11-24", "2026-11-24", "xlsx", "csv or json"),
    ] {
        let err = main(
            &app,
            "export_sales",
            json!({"first": first, "last": last, "format": format}),
        )
        .unwrap_err();
        assert_eq!(err["code"], "bad_input", "{first} {last} {format}");
        assert!(err["message"].as_str().unwrap().contains(words), "{err}");
    }
    main(&app, "end_manager", json!({})).unwrap();
    let err = main(
        &app,
        "export_sales",
        json!({"first": "2026-11-24", "last": "2026-11-24", "format": "csv"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "pin_required");
}

#[test]
fn the_currency_list_falls_back_when_the_gateway_cannot_be_asked() {
    let (app, _dir) = app_with_unreachable_gateway();
    let list = main(&app, "currencies", json!({})).unwrap();
    assert_eq!(list["from_gateway"], false);
    assert!(
        list["note"]
            .as_str()
            .unwrap()
            .contains("could not be asked"),
        "{list}"
    );
    let codes: Vec<&str> = list["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"EUR") && codes.contains(&"USD") && codes.contains(&"CHF"),
        "{codes:?}"
    );
}

#[test]
fn hostile_inputs_are_refused_or_neutralised_and_the_ledger_still_verifies() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    let huge = "9".repeat(100_000);
    for amount in [
        "", "-5", "1e9", "١٢", "NaN", "0.001", "0", &huge, "12.5.0", " 1 2 ",
    ] {
        let err = main(&app, "charge", json!({"amount": amount, "memo": ""})).unwrap_err();
        assert_eq!(err["code"], "bad_input", "{amount:.20}");
        assert!(
            err["message"].as_str().unwrap().len() < 300,
            "short and plain: {err:.300}"
        );
    }
    let err = main(
        &app,
        "charge",
        json!({"amount": "1", "memo": "m".repeat(10_000)}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "bad_input");
    for z_no in [0, -1, i64::MAX] {
        assert_eq!(
            code(main(&app, "z_report", json!({"zNo": z_no}))),
            "not_found",
            "{z_no}"
        );
    }
    for day in ["2026-02-30", "../../etc/passwd", "99999-01-01", "2026-1-1"] {
        assert_eq!(
            code(main(&app, "x_report", json!({"day": day}))),
            "bad_input",
            "{day}"
        );
    }
    let mut s = main(&app, "get_settings", json!({})).unwrap();
    s["timezone"] = json!("../../etc/passwd");
    assert_eq!(
        code(main(&app, "save_settings", json!({"settings": s.clone()}))),
        "bad_input"
    );
    s["timezone"] = json!("UTC");
    s["auto_export_dir"] = json!("relative/folder");
    assert_eq!(
        code(main(&app, "save_settings", json!({"settings": s.clone()}))),
        "bad_input"
    );
    // Wrong types are refused by the IPC layer itself, with a message, never a crash.
    assert!(main(&app, "charge", json!({"amount": 12, "memo": null})).is_err());
    assert!(main(&app, "refund", json!({"receiptNo": "one"})).is_err());

    // A memo with control characters and a formula is kept as text, cleaned, and exported inert.
    let exports = tempfile::tempdir().unwrap();
    s["auto_export_dir"] = json!(exports.path().display().to_string());
    main(&app, "save_settings", json!({"settings": s})).unwrap();
    let sale = main(
        &app,
        "charge",
        json!({"amount": "2.00", "memo": "=HYPERLINK(\"http://evil\")\u{0}\u{7}\r\n"}),
    )
    .unwrap();
    assert_eq!(sale["memo"], "=HYPERLINK(\"http://evil\")");
    let n = sale["receipt_no"].as_i64().unwrap();
    main(&app, "simulate_payment", json!({"receiptNo": n})).unwrap();
    let err = main(
        &app,
        "refund",
        json!({"receiptNo": n, "amount": "1", "reason": "r".repeat(201), "pin": PIN}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "bad_input");
    let closed = main(&app, "close_day", json!({})).unwrap();
    let csv = std::fs::read_to_string(closed["exported_to"].as_str().unwrap()).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "neutralised in the CSV: {csv}");

    // Hostile PINs: refused, counted as wrong, never a crash (and the till then makes one wait).
    for pin in ["", "abc", "'; DROP TABLE sales; --", &"1".repeat(10_000)] {
        let err = main(
            &app,
            "change_pin",
            json!({"current": pin, "newPin": "1111"}),
        )
        .unwrap_err();
        assert!(
            ["wrong_pin", "bad_input"].contains(&err["code"].as_str().unwrap()),
            "{err}"
        );
    }

    let ledger = till_core::ledger::Ledger::open_in(dir.path()).unwrap();
    let report = ledger.verify().unwrap();
    assert_eq!(report.sales, 1, "only the one good sale was written");
}

/// A sale the gateway said something impossible about is shown for a manager, and settled only
/// with the PIN.
#[test]
fn a_manager_settles_a_flagged_sale_with_the_pin() {
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    let sale = main(&app, "charge", json!({"amount": "3", "memo": ""})).unwrap();
    let n = sale["receipt_no"].as_i64().unwrap();
    let order = sale["order_id"].as_str().unwrap().to_owned();
    let core = app.state::<Shell>().any_core().unwrap();
    core.demo
        .as_ref()
        .unwrap()
        .state()
        .set_status(&order, aurpay::OrderStatus::Refunded)
        .unwrap();
    let flagged = main(&app, "check_sale", json!({"receiptNo": n})).unwrap();
    assert_eq!(flagged["status"], "awaiting_payment");
    assert!(flagged["attention"].as_str().unwrap().contains("REFUNDED"));
    assert_eq!(flagged["label"], "T1");

    let args = |pin: &str| json!({"receiptNo": n, "orderId": null, "reason": "refunded on the dashboard", "pin": pin});
    assert_eq!(code(main(&app, "settle_sale", args("0000"))), "wrong_pin");
    let settled = main(&app, "settle_sale", args(PIN)).unwrap();
    assert_eq!(
        (settled["status"].as_str(), &settled["attention"]),
        (Some("failed"), &Value::Null)
    );
    // A paid sale is no sale to settle.
    let paid = paid_sale(&app, "2");
    let err = main(
        &app,
        "settle_sale",
        json!({"receiptNo": paid, "orderId": null, "reason": "x", "pin": PIN}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "not_allowed");
    let detail = main(&app, "sale_detail", json!({"receiptNo": n})).unwrap();
    let what: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert!(what.contains(&"Voided by a manager"), "{what:?}");
}
