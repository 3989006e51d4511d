//! The shell's commands on Tauri's mock runtime, through the real IPC path: the real
//! tauri.conf.json (so the real capabilities decide what may be called), real webview labels,
//! JSON in and out exactly as the web view sends and receives it, and the real till behind it in
//! demo mode (the simulator on 127.0.0.1).

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

mod common;

use common::{app_with, app_with_unreachable_gateway, call, call_from, invoke, main};
use serde_json::json;
use till_app::{AppInfo, ErrorCode, SaleDetail, SaleView};
use till_core::{connect::Readiness, sale::SaleState};

#[test]
fn app_info_reports_demo_mode_and_the_shop() {
    let (app, dir) = app_with(&[]);
    let info: AppInfo = call(&app, "app_info", json!({})).unwrap();
    assert!(info.demo);
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.data_dir, dir.path().display().to_string());
    assert_eq!(
        (
            info.network.as_str(),
            info.currency.as_str(),
            info.currency_exponent
        ),
        ("regtest", "USD", 2)
    );
    assert_eq!(info.shop_name, "Till");
    let ready: Readiness = call(&app, "gateway_ready", json!({})).unwrap();
    assert!(ready.ready, "{ready:?}");
}

#[test]
fn an_unreachable_gateway_turns_the_light_red() {
    let (app, _dir) = app_with_unreachable_gateway();
    let ready: Readiness = call(&app, "gateway_ready", json!({})).unwrap();
    assert!(!ready.ready);
    assert!(
        ready.message.starts_with("could not reach Aurpay"),
        "{ready:?}"
    );
    assert!(!call::<AppInfo>(&app, "app_info", json!({})).unwrap().demo);
}

#[test]
fn a_bad_setting_comes_back_as_a_config_error_from_every_command() {
    let (app, _dir) = app_with(&[("AURPAY_NETWORK", "dogecoin")]);
    for (cmd, args) in [
        ("app_info", json!({})),
        ("charge", json!({"amount": "1", "memo": ""})),
        ("sales_today", json!({})),
    ] {
        let err = call::<serde_json::Value>(&app, cmd, args).unwrap_err();
        assert_eq!(err.code, ErrorCode::Config, "{cmd}");
        assert!(err.message.starts_with("AURPAY_NETWORK:"), "{err:?}");
    }
}

#[test]
fn a_sale_from_keypad_to_paid_through_ipc() {
    let (app, _dir) = app_with(&[]);
    // The wire form, as the web view receives it: status as text, money as exact decimal text.
    let raw = main(
        &app,
        "charge",
        json!({"amount": "12.50", "memo": "table 4"}),
    )
    .unwrap();
    assert_eq!(
        (&raw["status"], &raw["amount"], &raw["sats"]),
        (&json!("awaiting_payment"), &json!("12.50"), &json!(12_500))
    );
    let sale: SaleView = serde_json::from_value(raw).unwrap();
    assert_eq!(
        (sale.status, sale.receipt_no, sale.amount.as_str()),
        (SaleState::AwaitingPayment, 1, "12.50")
    );
    assert_eq!(sale.amount_msat, Some(12_500_000));
    assert!(sale.training);
    assert!(sale.order_expires_at.is_some());

    let qr = |pay_url: bool| -> String {
        call(
            &app,
            "invoice_qr",
            json!({"receiptNo": 1, "payUrl": pay_url}),
        )
        .unwrap()
    };
    let svg = qr(false);
    assert!(svg.contains("<svg"));
    assert_ne!(svg, qr(true), "the pay-URL QR is another code");

    let current = || call::<Option<SaleView>>(&app, "current_sale", json!({})).unwrap();
    assert_eq!(current().map(|s| s.receipt_no), Some(1));
    let paid: SaleView = call(&app, "simulate_payment", json!({"receiptNo": 1})).unwrap();
    assert_eq!(paid.status, SaleState::Paid);
    assert!(paid.paid_at.is_some());
    assert_eq!(
        current().map(|s| s.status),
        Some(SaleState::Paid),
        "the display shows the result a while (till-core's tests follow it to the end)"
    );

    let path: String = call(&app, "save_receipt", json!({"receiptNo": 1})).unwrap();
    let pdf = std::fs::read(path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF receipt was saved");
    assert_eq!(
        call::<String>(&app, "save_receipt", json!({"receiptNo": 5}))
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );

    let detail: SaleDetail = call(&app, "sale_detail", json!({"receiptNo": 1})).unwrap();
    let whats: Vec<&str> = detail.timeline.iter().map(|e| e.what.as_str()).collect();
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
    let err = call::<SaleView>(
        &app,
        "charge",
        json!({"amount": "1", "memo": "x".repeat(300)}),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::BadInput);
    assert_eq!(
        call::<Vec<SaleView>>(&app, "sales_today", json!({})).unwrap(),
        [],
        "nothing was written"
    );
    // A malformed call (a number where text is expected) is refused by the IPC layer, not a crash.
    assert!(main(&app, "charge", json!({"amount": 5, "memo": ""})).is_err());
}

#[test]
fn cancel_requote_check_and_history() {
    let (app, _dir) = app_with(&[]);
    let sale = |cmd: &str, args| call::<SaleView>(&app, cmd, args);
    sale("charge", json!({"amount": "3", "memo": "coffee"})).unwrap();
    sale("charge", json!({"amount": "4.50", "memo": "cake"})).unwrap();
    let cancelled = sale("cancel_sale", json!({"receiptNo": 1})).unwrap();
    assert_eq!(cancelled.status, SaleState::Cancelled);
    let again = sale("requote", json!({"receiptNo": 1})).unwrap();
    assert_eq!(
        (again.receipt_no, again.replaces, again.amount.as_str()),
        (3, Some(1), "3.00")
    );
    assert_eq!(
        sale("check_sale", json!({"receiptNo": 2})).unwrap().status,
        SaleState::AwaitingPayment
    );

    let today = |args| call::<Vec<SaleView>>(&app, "sales_today", args).unwrap();
    let receipts: Vec<i64> = today(json!({})).iter().map(|s| s.receipt_no).collect();
    assert_eq!(receipts, [3, 2, 1], "newest first");
    assert_eq!(today(json!({"query": "cake"})).len(), 1);
    assert_eq!(
        today(json!({"query": "3"})).len(),
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
    let err = sale("requote", json!({"receiptNo": 2})).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAllowed);
}

#[test]
fn a_late_payment_raises_an_alert_until_acknowledged() {
    let (app, _dir) = app_with(&[]);
    let sale = |cmd: &str, args| call::<SaleView>(&app, cmd, args).unwrap();
    sale("charge", json!({"amount": "2", "memo": ""}));
    sale("cancel_sale", json!({"receiptNo": 1}));
    let late = sale("simulate_payment", json!({"receiptNo": 1}));
    assert_eq!(late.status, SaleState::PaidLate);
    let alerts = || call::<Vec<SaleView>>(&app, "pending_alerts", json!({})).unwrap();
    assert_eq!(alerts().len(), 1);
    call::<()>(&app, "acknowledge_alert", json!({"receiptNo": 1})).unwrap();
    assert_eq!(alerts(), []);
}

#[test]
fn the_customer_window_may_only_read() {
    let (app, _dir) = app_with(&[]);
    call::<SaleView>(&app, "charge", json!({"amount": "2", "memo": ""})).unwrap();
    let current: Option<SaleView> = call_from(&app, "customer", "current_sale", json!({})).unwrap();
    assert_eq!(current.map(|s| s.receipt_no), Some(1));
    assert!(call_from::<String>(
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
