//! The shell's commands on Tauri's mock runtime, through the real IPC path: the real
//! tauri.conf.json (so the real capabilities decide what may be called), real webview labels,
//! JSON in and out exactly as the web view sends and receives it, and the real till behind it in
//! demo mode (the simulator on 127.0.0.1).

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

mod common;

use common::{app_with, app_with_unreachable_gateway, invoke, main};
use serde_json::{json, Value};

#[test]
fn app_info_reports_demo_mode_and_the_shop() {
    let (app, dir) = app_with(&[]);
    let info = main(&app, "app_info", json!({})).unwrap();
    assert_eq!(info["demo"], true);
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["data_dir"], dir.path().display().to_string());
    assert_eq!(
        (
            info["network"].as_str(),
            info["currency"].as_str(),
            info["currency_exponent"].as_u64()
        ),
        (Some("regtest"), Some("USD"), Some(2))
    );
    assert_eq!(info["shop_name"], "Till");
    let ready = main(&app, "gateway_ready", json!({})).unwrap();
    assert_eq!(ready["ready"], true, "{ready}");
}

#[test]
fn an_unreachable_gateway_turns_the_light_red() {
    let (app, _dir) = app_with_unreachable_gateway();
    let ready = main(&app, "gateway_ready", json!({})).unwrap();
    assert_eq!(ready["ready"], false);
    assert!(
        ready["message"]
            .as_str()
            .unwrap()
            .starts_with("could not reach Aurpay"),
        "{ready}"
    );
    assert_eq!(main(&app, "app_info", json!({})).unwrap()["demo"], false);
}

#[test]
fn a_bad_setting_comes_back_as_a_config_error_from_every_command() {
    let (app, _dir) = app_with(&[("AURPAY_NETWORK", "dogecoin")]);
    for (cmd, args) in [
        ("app_info", json!({})),
        ("charge", json!({"amount": "1", "memo": ""})),
        ("sales_today", json!({})),
    ] {
        let err = main(&app, cmd, args).unwrap_err();
        assert_eq!(err["code"], "config", "{cmd}");
        assert!(
            err["message"]
                .as_str()
                .unwrap()
                .starts_with("AURPAY_NETWORK:"),
            "{err}"
        );
    }
}

#[test]
fn a_sale_from_keypad_to_paid_through_ipc() {
    let (app, _dir) = app_with(&[]);
    let sale = main(
        &app,
        "charge",
        json!({"amount": "12.50", "memo": "table 4"}),
    )
    .unwrap();
    assert_eq!(
        (
            sale["status"].as_str(),
            sale["receipt_no"].as_i64(),
            sale["amount"].as_str()
        ),
        (Some("awaiting_payment"), Some(1), Some("12.50"))
    );
    assert_eq!(sale["amount_msat"], 12_500_000);
    assert_eq!(sale["training"], true);
    assert!(sale["order_expires_at"].as_str().is_some());

    let svg = main(&app, "invoice_qr", json!({"receiptNo": 1, "payUrl": false})).unwrap();
    assert!(svg.as_str().unwrap().contains("<svg"));
    let svg2 = main(&app, "invoice_qr", json!({"receiptNo": 1, "payUrl": true})).unwrap();
    assert_ne!(svg, svg2, "the pay-URL QR is another code");

    assert_eq!(
        main(&app, "current_sale", json!({})).unwrap()["receipt_no"],
        1
    );
    let paid = main(&app, "simulate_payment", json!({"receiptNo": 1})).unwrap();
    assert_eq!(paid["status"], "paid");
    assert!(paid["paid_at"].as_str().is_some());
    assert_eq!(main(&app, "current_sale", json!({})).unwrap(), Value::Null);

    let path = main(&app, "save_receipt", json!({"receiptNo": 1})).unwrap();
    let pdf = std::fs::read(path.as_str().unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF receipt was saved");
    assert_eq!(
        main(&app, "save_receipt", json!({"receiptNo": 5})).unwrap_err()["code"],
        "not_found"
    );

    let detail = main(&app, "sale_detail", json!({"receiptNo": 1})).unwrap();
    let whats: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        whats,
        [
            "Rung up",
            "Invoice created and checked",
            "Gateway says SUCCESS"
        ]
    );
}

#[test]
fn bad_amounts_stay_on_the_keypad_with_the_reason() {
    let (app, _dir) = app_with(&[]);
    for (amount, message) in [
        ("0", "the amount must be more than zero"),
        (
            "12,50",
            "\"12,50\" uses a comma; use a point for the decimals, as in 12.50",
        ),
        ("1.234", "USD has 2 decimal place(s); \"1.234\" has more"),
        ("", "type an amount"),
    ] {
        let err = main(&app, "charge", json!({"amount": amount, "memo": ""})).unwrap_err();
        assert_eq!(
            err,
            json!({"code": "bad_input", "message": message}),
            "{amount}"
        );
    }
    let err = main(
        &app,
        "charge",
        json!({"amount": "1", "memo": "x".repeat(300)}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "bad_input");
    assert_eq!(
        main(&app, "sales_today", json!({})).unwrap(),
        json!([]),
        "nothing was written"
    );
    // A malformed call (a number where text is expected) is refused by the IPC layer, not a crash.
    assert!(main(&app, "charge", json!({"amount": 5, "memo": ""})).is_err());
}

#[test]
fn cancel_requote_check_and_history() {
    let (app, _dir) = app_with(&[]);
    main(&app, "charge", json!({"amount": "3", "memo": "coffee"})).unwrap();
    main(&app, "charge", json!({"amount": "4.50", "memo": "cake"})).unwrap();
    let cancelled = main(&app, "cancel_sale", json!({"receiptNo": 1})).unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    let again = main(&app, "requote", json!({"receiptNo": 1})).unwrap();
    assert_eq!(
        (
            again["receipt_no"].as_i64(),
            again["replaces"].as_i64(),
            again["amount"].as_str()
        ),
        (Some(3), Some(1), Some("3.00"))
    );
    assert_eq!(
        main(&app, "check_sale", json!({"receiptNo": 2})).unwrap()["status"],
        "awaiting_payment"
    );

    let all = main(&app, "sales_today", json!({})).unwrap();
    let receipts: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["receipt_no"].as_i64().unwrap())
        .collect();
    assert_eq!(receipts, [3, 2, 1], "newest first");
    assert_eq!(
        main(&app, "sales_today", json!({"query": "cake"}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        main(&app, "sales_today", json!({"query": "3"}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2,
        "receipt 3, and the 3.00 of receipts 1 and 3"
    );

    for (cmd, args) in [
        ("cancel_sale", json!({"receiptNo": 99})),
        ("check_sale", json!({"receiptNo": 99})),
        ("sale_detail", json!({"receiptNo": 99})),
        ("invoice_qr", json!({"receiptNo": 99, "payUrl": false})),
        ("simulate_payment", json!({"receiptNo": 99})),
    ] {
        let err = main(&app, cmd, args).unwrap_err();
        assert_eq!(
            err,
            json!({"code": "not_found", "message": "there is no sale with receipt number T99"}),
            "{cmd}"
        );
    }
    let err = main(&app, "requote", json!({"receiptNo": 2})).unwrap_err();
    assert_eq!(err["code"], "not_allowed");
}

#[test]
fn a_late_payment_raises_an_alert_until_acknowledged() {
    let (app, _dir) = app_with(&[]);
    main(&app, "charge", json!({"amount": "2", "memo": ""})).unwrap();
    main(&app, "cancel_sale", json!({"receiptNo": 1})).unwrap();
    let late = main(&app, "simulate_payment", json!({"receiptNo": 1})).unwrap();
    assert_eq!(late["status"], "paid_late");
    let alerts = main(&app, "pending_alerts", json!({})).unwrap();
    assert_eq!(alerts.as_array().unwrap().len(), 1);
    main(&app, "acknowledge_alert", json!({"receiptNo": 1})).unwrap();
    assert_eq!(main(&app, "pending_alerts", json!({})).unwrap(), json!([]));
}

#[test]
fn the_customer_window_may_only_read() {
    let (app, _dir) = app_with(&[]);
    main(&app, "charge", json!({"amount": "2", "memo": ""})).unwrap();
    assert_eq!(
        invoke(&app, "customer", "current_sale", json!({})).unwrap()["receipt_no"],
        1
    );
    assert!(invoke(
        &app,
        "customer",
        "invoice_qr",
        json!({"receiptNo": 1, "payUrl": false})
    )
    .is_ok());
    for cmd in ["charge", "cancel_sale", "simulate_payment", "sales_today"] {
        let err = invoke(
            &app,
            "customer",
            cmd,
            json!({"amount": "1", "memo": "", "receiptNo": 1}),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not allowed"), "{cmd}: {err}");
    }
}

#[test]
fn unknown_commands_and_strange_windows_are_refused() {
    let (app, _dir) = app_with(&[]);
    let err = main(&app, "read_file", json!({"path": "/etc/passwd"})).unwrap_err();
    assert!(err.to_string().contains("read_file"), "{err}");
    let err = invoke(&app, "stranger", "app_info", json!({})).unwrap_err();
    assert!(err.to_string().contains("not allowed"), "{err}");
}
