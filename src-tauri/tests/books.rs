//! The owner's books on Tauri's mock runtime through the real IPC path: settings checked then
//! saved, closing the day with its automatic export, exports that check their dates, a manager
//! settling a flagged sale, and hostile input of every kind.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_with, call, code, main, paid_sale, set_up, PIN};
use serde_json::json;
use tauri::Manager;
use till_app::{ClosedDay, ErrorCode, LockState, RefundMade, SaleDetail, SaleView, Shell};
use till_core::{day::DayClosed, report::Report, sale::SaleState, settings::Settings};

fn settings(app: &tauri::App<tauri::test::MockRuntime>) -> Settings {
    call(app, "get_settings", json!({})).unwrap()
}

fn save(
    app: &tauri::App<tauri::test::MockRuntime>,
    s: &Settings,
) -> Result<Settings, till_app::IpcError> {
    call(app, "save_settings", json!({"settings": s}))
}

#[test]
fn settings_are_checked_then_saved_and_the_sound_follows() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    let s = settings(&app);
    assert!(s.sound);
    /// A field, how to spoil it, and words of the refusal.
    type Spoiled = (&'static str, fn(&mut Settings), &'static str);
    let bad: [Spoiled; 6] = [
        ("idle_lock_minutes", |s| s.idle_lock_minutes = 999, "240"),
        ("network", |s| s.network = "dogecoin".into(), "dogecoin"),
        (
            "gateway_url",
            |s| s.gateway_url = "ftp://x".into(),
            "ftp://x",
        ),
        (
            "auto_export_dir",
            |s| s.auto_export_dir = "/no/such/folder".into(),
            "does not exist",
        ),
        (
            "timezone",
            |s| s.timezone = "Mars/Olympus".into(),
            "not known",
        ),
        ("shop_name", |s| s.shop_name = String::new(), "shop's name"),
    ];
    for (field, spoil, words) in bad {
        let mut wrong = s.clone();
        spoil(&mut wrong);
        let err = save(&app, &wrong).unwrap_err();
        assert_eq!(err.code, ErrorCode::BadInput, "{field}");
        assert!(err.message.contains(words), "{field}: {err:?}");
    }
    assert_eq!(settings(&app), s, "nothing was saved");
    let mut s = s;
    s.sound = false;
    s.idle_lock_minutes = 2;
    s.timezone = "Europe/Zurich".into();
    s.auto_export_dir = dir.path().display().to_string();
    let saved = save(&app, &s).unwrap();
    assert_eq!(saved.idle_lock_minutes, 2);
    assert!(!call::<bool>(&app, "sound_on", json!({})).unwrap());
    let lock: LockState = call(&app, "lock_state", json!({})).unwrap();
    assert_eq!(lock.idle_lock_minutes, 2);
}

#[test]
fn closing_the_day_seals_the_z_report_exports_it_and_refuses_a_second_close() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    let exports = tempfile::tempdir().unwrap();
    let mut s = settings(&app);
    s.auto_export_dir = exports.path().display().to_string();
    save(&app, &s).unwrap();
    let a = paid_sale(&app, "4.00");
    paid_sale(&app, "6.00");
    let x: Report = call(&app, "x_report", json!({})).unwrap();
    assert_eq!(x.kind, till_core::report::ReportKind::X);
    assert_eq!(x.totals.received[0].amount, "10.00");

    let refund: RefundMade = call(
        &app,
        "refund",
        json!({"receiptNo": a, "amount": "1.50", "reason": "cold", "pin": PIN}),
    )
    .unwrap();
    assert_eq!(refund.refund.refund_no, 1);

    let closed: DayClosed = call(&app, "close_day", json!({})).unwrap();
    assert_eq!(closed.report.kind, till_core::report::ReportKind::Z);
    assert_eq!(closed.report.totals.net[0].amount, "8.50");
    let file = closed.exported_to.clone().unwrap();
    let csv = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        csv.lines().count(),
        4,
        "header, two sales, one refund:\n{csv}"
    );
    assert!(
        file.ends_with("-demo.csv") && file.contains("till-front-"),
        "{file}"
    );

    let again = call::<DayClosed>(&app, "close_day", json!({})).unwrap_err();
    assert_eq!(again.code, ErrorCode::NotAllowed);
    assert!(
        again.message.starts_with("nothing happened since TZ1"),
        "{again:?}"
    );
    let list: Vec<ClosedDay> = call(&app, "closed_days", json!({})).unwrap();
    assert_eq!(list[0].label, "TZ1");
    let z: Report = call(&app, "z_report", json!({"zNo": list[0].z_no})).unwrap();
    assert_eq!(z, closed.report, "reopened exactly as sealed");
    assert_eq!(
        code(call::<Report>(&app, "z_report", json!({"zNo": 99}))),
        ErrorCode::NotFound
    );
    // A number that is not a number is refused by the IPC layer itself.
    assert!(main(&app, "z_report", json!({"zNo": "yesterday"})).is_err());
    assert_eq!(
        code(call::<DayClosed>(
            &app,
            "close_day",
            json!({"day": "2999-01-01"})
        )),
        ErrorCode::NotAllowed
    );
    drop(dir);
}

#[test]
fn exports_check_their_dates_before_any_dialog_opens() {
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    let export = |first: &str, last: &str, format: &str| {
        call::<Option<String>>(
            &app,
            "export_sales",
            json!({"first": first, "last": last, "format": format}),
        )
    };
    for (first, last, format, words) in [
        ("2026-13-01", "2026-13-01", "csv", "not a date"),
        ("2026-11-24", "2026-11-20", "csv", "ends"),
        ("2026-11-24", "2026-11-24", "xlsx", "csv or json"),
        ("", "2026-11-24", "csv", "give the first and the last day"),
    ] {
        let err = export(first, last, format).unwrap_err();
        assert_eq!(err.code, ErrorCode::BadInput, "{first} {last} {format}");
        assert!(err.message.contains(words), "{err:?}");
    }
    // A cashier at the till is refused before any dialog opens.
    common::sign_in_cashier(&app);
    assert_eq!(
        code(export("2026-11-24", "2026-11-24", "csv")),
        ErrorCode::PinRequired
    );
}

/// A sale the gateway said something impossible about is shown for a manager, and settled only
/// with the PIN.
#[test]
fn a_manager_settles_a_flagged_sale_with_the_pin() {
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    let sale: SaleView = call(&app, "charge", json!({"amount": "3", "memo": ""})).unwrap();
    let n = sale.receipt_no;
    let order = sale.order_id.clone().unwrap();
    let core = app.state::<Shell>().any_core().unwrap();
    core.demo
        .as_ref()
        .unwrap()
        .state()
        .set_status(&order, aurpay::OrderStatus::Refunded)
        .unwrap();
    let flagged: SaleView = call(&app, "check_sale", json!({"receiptNo": n})).unwrap();
    assert_eq!(flagged.status, SaleState::AwaitingPayment);
    assert!(flagged.attention.as_deref().unwrap().contains("REFUNDED"));
    assert_eq!(flagged.label, "T1");

    let settle = |receipt: i64, pin: &str| {
        call::<SaleView>(
            &app,
            "settle_sale",
            json!({"receiptNo": receipt, "orderId": null, "reason": "refunded on the dashboard", "pin": pin}),
        )
    };
    assert_eq!(code(settle(n, "0000")), ErrorCode::WrongPin);
    let settled = settle(n, PIN).unwrap();
    assert_eq!(
        (settled.status, settled.attention),
        (SaleState::Failed, None)
    );
    // A paid sale is no sale to settle.
    let paid = paid_sale(&app, "2");
    assert_eq!(code(settle(paid, PIN)), ErrorCode::NotAllowed);
    let detail: SaleDetail = call(&app, "sale_detail", json!({"receiptNo": n})).unwrap();
    let what: Vec<&str> = detail.timeline.iter().map(|e| e.what.as_str()).collect();
    assert!(what.contains(&"Voided by a manager"), "{what:?}");
}

#[test]
fn hostile_inputs_are_refused_or_neutralised_and_the_ledger_still_verifies() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    let charge = |amount: &str, memo: &str| {
        call::<SaleView>(&app, "charge", json!({"amount": amount, "memo": memo}))
    };
    let huge = "9".repeat(100_000);
    for amount in [
        "", "-5", "1e9", "١٢", "NaN", "0.001", "0", &huge, "12.5.0", " 1 2 ",
    ] {
        let err = charge(amount, "").unwrap_err();
        assert_eq!(err.code, ErrorCode::BadInput, "{amount:.20}");
        assert!(err.message.len() < 300, "short and plain: {err:.300?}");
    }
    assert_eq!(code(charge("1", &"m".repeat(10_000))), ErrorCode::BadInput);
    for z_no in [0, -1, i64::MAX] {
        assert_eq!(
            code(call::<Report>(&app, "z_report", json!({"zNo": z_no}))),
            ErrorCode::NotFound,
            "{z_no}"
        );
    }
    for day in ["2026-02-30", "../../etc/passwd", "99999-01-01", "2026-1-1"] {
        assert_eq!(
            code(call::<Report>(&app, "x_report", json!({"day": day}))),
            ErrorCode::BadInput,
            "{day}"
        );
    }
    let mut s = settings(&app);
    s.timezone = "../../etc/passwd".into();
    assert_eq!(code(save(&app, &s)), ErrorCode::BadInput);
    s.timezone = "UTC".into();
    s.auto_export_dir = "relative/folder".into();
    assert_eq!(code(save(&app, &s)), ErrorCode::BadInput);
    // Wrong types are refused by the IPC layer itself, with a message, never a crash.
    assert!(main(&app, "charge", json!({"amount": 12, "memo": null})).is_err());
    assert!(main(&app, "refund", json!({"receiptNo": "one"})).is_err());

    // A memo with control characters and a formula is kept as text, cleaned, and exported inert.
    let exports = tempfile::tempdir().unwrap();
    s.auto_export_dir = exports.path().display().to_string();
    save(&app, &s).unwrap();
    let sale = charge("2.00", "=HYPERLINK(\"http://evil\")\u{0}\u{7}\r\n").unwrap();
    assert_eq!(sale.memo, "=HYPERLINK(\"http://evil\")");
    let n = sale.receipt_no;
    call::<SaleView>(&app, "simulate_payment", json!({"receiptNo": n})).unwrap();
    let err = call::<RefundMade>(
        &app,
        "refund",
        json!({"receiptNo": n, "amount": "1", "reason": "r".repeat(201), "pin": PIN}),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::BadInput);
    let closed: DayClosed = call(&app, "close_day", json!({})).unwrap();
    let csv = std::fs::read_to_string(closed.exported_to.unwrap()).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "neutralised in the CSV: {csv}");

    // Hostile PINs: refused, counted as wrong, never a crash (and the till then makes one wait).
    for pin in ["", "abc", "'; DROP TABLE sales; --", &"1".repeat(10_000)] {
        let err = call::<()>(
            &app,
            "change_pin",
            json!({"current": pin, "newPin": "1111"}),
        )
        .unwrap_err();
        assert!(
            [ErrorCode::WrongPin, ErrorCode::BadInput].contains(&err.code),
            "{err:?}"
        );
    }

    let ledger = till_core::ledger::Ledger::open_in(dir.path()).unwrap();
    let report = ledger.verify().unwrap();
    assert_eq!(report.sales, 1, "only the one good sale was written");
}

/// A ledger that cannot be read (a row edited behind the till's back): the window is told a safe
/// sentence, never SQLite's words or the row's contents; the whole chain goes to the log.
#[test]
fn an_internal_failure_tells_the_window_a_safe_sentence() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    call::<SaleView>(&app, "charge", json!({"amount": "1", "memo": ""})).unwrap();
    let c = rusqlite::Connection::open(dir.path().join("ledger.sqlite")).unwrap();
    c.execute_batch("UPDATE sales SET state = 'melted'")
        .unwrap();
    let err = call::<Vec<SaleView>>(&app, "sales_today", json!({})).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert_eq!(err.message, till_app::INTERNAL);
    assert!(!err.message.contains("melted"));
}
