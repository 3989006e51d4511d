//! Every command the web view may call, through the real IPC path, as each role: a cashier's
//! session calling a manager's command, or a manager's calling the owner's, is refused in Rust
//! (`pin_required`), and what a role may do is never refused for its role.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_with, call, invoke, set_up};
use serde_json::{json, Value};
use till_core::people::Role;

const CASHIER_PIN: &str = "8642";
const MANAGER_PIN: &str = "9753";

/// A command, arguments it accepts, and the least role it needs. Commands that open a system
/// dialog once allowed are only called where they must be refused (`dialog`).
struct Case {
    cmd: &'static str,
    args: Value,
    needs: Role,
    dialog: bool,
}

fn case(cmd: &'static str, args: Value, needs: Role) -> Case {
    Case {
        cmd,
        args,
        needs,
        dialog: false,
    }
}

fn cases(pin: &str) -> Vec<Case> {
    let dialog = |cmd, args, needs| Case {
        cmd,
        args,
        needs,
        dialog: true,
    };
    vec![
        // Anyone at the till.
        case("cart", json!({}), Role::Cashier),
        case("sales_today", json!({}), Role::Cashier),
        case("drawer", json!({}), Role::Cashier),
        case("items", json!({"filter": {}}), Role::Cashier),
        case("categories", json!({}), Role::Cashier),
        case("pending_alerts", json!({}), Role::Cashier),
        case("sound_on", json!({}), Role::Cashier),
        case("currencies", json!({}), Role::Cashier),
        case("gateway_ready", json!({}), Role::Cashier),
        case("shop_link", json!({}), Role::Cashier),
        case("charge", json!({"amount": "x", "memo": ""}), Role::Cashier),
        case("charge_cart", json!({"memo": ""}), Role::Cashier),
        case("cash_quote", json!({"tendered": null}), Role::Cashier),
        case(
            "count_drawer",
            json!({"counts": [{"face": "20.00", "pieces": 2}]}),
            Role::Cashier,
        ),
        case(
            "sell_for_cash",
            json!({"tendered": "1", "memo": ""}),
            Role::Cashier,
        ),
        case(
            "cart_change",
            json!({"change": {"kind": "clear"}}),
            Role::Cashier,
        ),
        case("ask_tip", json!({}), Role::Cashier),
        case("choose_tip", json!({"tip": null}), Role::Cashier),
        case("cancel_tip", json!({}), Role::Cashier),
        case("sale_detail", json!({"receiptNo": 999}), Role::Cashier),
        case("refunds_of", json!({"receiptNo": 999}), Role::Cashier),
        case("check_sale", json!({"receiptNo": 999}), Role::Cashier),
        case("requote", json!({"receiptNo": 999}), Role::Cashier),
        case("cancel_sale", json!({"receiptNo": 999}), Role::Cashier),
        case("simulate_payment", json!({"receiptNo": 999}), Role::Cashier),
        case(
            "acknowledge_alert",
            json!({"receiptNo": 999}),
            Role::Cashier,
        ),
        case("save_receipt", json!({"receiptNo": 999}), Role::Cashier),
        case("printer", json!({}), Role::Cashier),
        case(
            "print_receipt",
            json!({"receiptNo": 999, "copy": true}),
            Role::Cashier,
        ),
        case("retry_prints", json!({}), Role::Cashier),
        case(
            "print_report",
            json!({"kind": "shift", "zNo": null}),
            Role::Cashier,
        ),
        case("tap_card", json!({"receiptNo": 999}), Role::Cashier),
        case(
            "pay_by_link",
            json!({"receiptNo": 999, "link": "lnurlw://127.0.0.1:1/w"}),
            Role::Cashier,
        ),
        case("open_shift", json!({"float": "50.00"}), Role::Cashier),
        case(
            "move_cash",
            json!({"kind": "pay_in", "amount": "1.00", "reason": "change"}),
            Role::Cashier,
        ),
        // A manager (or the owner).
        case(
            "move_cash",
            json!({"kind": "pay_out", "amount": "1.00", "reason": "milk"}),
            Role::Manager,
        ),
        case("x_report", json!({}), Role::Manager),
        case(
            "print_report",
            json!({"kind": "x", "zNo": null}),
            Role::Manager,
        ),
        case("closed_days", json!({}), Role::Manager),
        case("z_report", json!({"zNo": 1}), Role::Manager),
        case("close_day", json!({}), Role::Manager),
        case(
            "preview_invoice",
            json!({"invoice": "lnbcrt1"}),
            Role::Manager,
        ),
        case(
            "refund",
            json!({"receiptNo": 1, "amount": "1.00", "reason": "x", "invoice": null, "lines": null, "tip": null, "pin": pin}),
            Role::Manager,
        ),
        case(
            "settle_sale",
            json!({"receiptNo": 1, "orderId": null, "reason": "x", "pin": pin}),
            Role::Manager,
        ),
        case(
            "save_item",
            json!({"id": null, "form": {"sku": "", "name": "Tea", "category": "", "price": "1.00", "tax_rate": "0", "tax_included": "true", "barcode": "", "label": "", "colour": "", "active": "true"}}),
            Role::Manager,
        ),
        case(
            "close_shift",
            json!({"counted": "0", "counts": null, "pin": pin}),
            Role::Manager,
        ),
        dialog(
            "export_sales",
            json!({"first": "2026-01-01", "last": "2026-01-01", "format": "csv"}),
            Role::Manager,
        ),
        dialog("import_catalog", json!({}), Role::Manager),
        dialog("export_catalog", json!({}), Role::Manager),
        // The owner.
        case("get_settings", json!({}), Role::Owner),
        case("credential_status", json!({}), Role::Owner),
        case("test_connection", json!({}), Role::Owner),
        case("balance", json!({}), Role::Owner),
        case("withdrawals", json!({}), Role::Owner),
        case("staff_list", json!({}), Role::Owner),
        case("printer_settings", json!({}), Role::Owner),
        case(
            "save_printer",
            json!({"settings": {"printer": "", "columns": 48, "code_page": "pc858", "print_when_paid": false, "address": ""}}),
            Role::Owner,
        ),
        case(
            "print_test_page",
            json!({"settings": {"printer": "tcp://127.0.0.1:1", "columns": 48, "code_page": "pc858", "print_when_paid": false, "address": ""}}),
            Role::Owner,
        ),
        case("forget_credentials", json!({}), Role::Owner),
        case(
            "save_settings",
            json!({"settings": {"shop_name": "", "sound": true, "idle_lock_minutes": 0,
                "customer_display": false, "network": "", "gateway_url": "", "auto_export_dir": "",
                "timezone": "", "default_tax": "", "tips": false, "tip_presets": "",
                "tips_taxed": false, "discount_limit": "", "tax_number": "", "language": "en",
                "customer_language": "", "fixed": []}}),
            Role::Owner,
        ),
        dialog(
            "finish_setup",
            json!({"shopName": "Shop", "terminal": "till-1", "currency": "EUR", "pin": "2468"}),
            Role::Owner,
        ),
        case(
            "withdraw",
            json!({"invoice": "lnbcrt1", "pin": pin}),
            Role::Owner,
        ),
        case("remove_staff", json!({"name": "Nobody"}), Role::Owner),
        case(
            "add_staff",
            json!({"name": "Zoe", "role": "cashier", "pin": "86420"}),
            Role::Owner,
        ),
        case(
            "save_credentials",
            json!({"kind": "api_key", "apiKey": "", "token": null, "secret": null}),
            Role::Owner,
        ),
        case(
            "sign_in",
            json!({"username": "", "password": ""}),
            Role::Owner,
        ),
        dialog("choose_export_folder", json!({}), Role::Owner),
    ]
}

fn refused(v: &Result<Value, Value>) -> bool {
    matches!(v, Err(e) if e["code"] == "pin_required")
}

#[test]
fn each_role_is_refused_exactly_what_it_may_not_do() {
    let (app, dir) = app_with(&[]);
    set_up(&app);
    for (name, role, pin) in [
        ("Ana", "cashier", CASHIER_PIN),
        ("Max", "manager", MANAGER_PIN),
    ] {
        call::<Value>(
            &app,
            "add_staff",
            json!({"name": name, "role": role, "pin": pin}),
        )
        .unwrap();
    }
    // The ledger beside the app's: its journal head, and the PIN misses cleared between calls
    // (a PIN that may not approve counts as a miss, and many in a row would lock the till).
    let ledger = || till_core::ledger::Ledger::open_in(dir.path()).unwrap();
    let mut checked = 0;
    for (role, pin) in [
        (Role::Cashier, CASHIER_PIN),
        (Role::Manager, MANAGER_PIN),
        (Role::Owner, common::PIN),
    ] {
        let who: Value = call(&app, "unlock", json!({"pin": pin})).unwrap();
        assert_eq!(who["role"], json!(role));
        for c in cases(pin) {
            let may = role >= c.needs;
            if may && c.dialog {
                continue;
            }
            let head = ledger().chain_head().unwrap();
            let answer = invoke(&app, "main", c.cmd, c.args.clone());
            assert_eq!(refused(&answer), !may, "{} as {role:?}: {answer:?}", c.cmd);
            if !may {
                // Nothing a refused call asked for happened.
                assert_eq!(
                    ledger().chain_head().unwrap(),
                    head,
                    "{} as {role:?}",
                    c.cmd
                );
            }
            till_core::pin::clear_misses(&mut ledger()).unwrap();
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

/// Commands any window may call whoever is at the till, even locked: they open the till, lock
/// it, or show what the customer display and the lock screen need.
const OPEN_TO_ALL: &[&str] = &[
    "app_info",
    "lock_state",
    "lock",
    "unlock",
    "step_in",
    "end_manager",
    "activity",
    "current_sale",
    "current_tip",
    // Loads the main window's page afresh, nothing more.
    "renew_page",
    "invoice_qr",
    "open_customer_display",
    "close_customer_display",
    // Checks the current PIN it is given, whoever's it is.
    "change_pin",
    // Only turns the card reader off.
    "stop_card",
];

#[test]
fn every_command_the_window_may_call_has_its_role_checked_above() {
    let build = include_str!("../build.rs");
    let list = &build[build.find("const COMMANDS").unwrap()..];
    let list = &list[..list.find("];").unwrap()];
    let commands: Vec<&str> = list.split('"').skip(1).step_by(2).collect();
    assert!(commands.len() > 60, "{commands:?}");
    let checked: Vec<&str> = cases("0").iter().map(|c| c.cmd).collect();
    let unchecked: Vec<&&str> = commands
        .iter()
        .filter(|c| !checked.contains(c) && !OPEN_TO_ALL.contains(c))
        .collect();
    assert!(unchecked.is_empty(), "no role case for {unchecked:?}");
}

#[test]
fn someone_taken_off_the_staff_is_signed_out_at_once() {
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    call::<Value>(
        &app,
        "add_staff",
        json!({"name": "Max", "role": "manager", "pin": MANAGER_PIN}),
    )
    .unwrap();
    // Max steps in; the owner (at the till) takes him off the staff.
    call::<Value>(&app, "step_in", json!({"pin": MANAGER_PIN})).unwrap();
    call::<()>(&app, "remove_staff", json!({"name": "Max"})).unwrap();
    let lock: Value = call(&app, "lock_state", json!({})).unwrap();
    assert_ne!(lock["manager_person"]["name"], "Max", "{lock}");
    // Max is the one selling when the owner steps in and takes him off: the till locks.
    call::<Value>(
        &app,
        "add_staff",
        json!({"name": "Max", "role": "manager", "pin": MANAGER_PIN}),
    )
    .unwrap();
    call::<Value>(&app, "unlock", json!({"pin": MANAGER_PIN})).unwrap();
    call::<Value>(&app, "step_in", json!({"pin": common::PIN})).unwrap();
    call::<()>(&app, "remove_staff", json!({"name": "Max"})).unwrap();
    let lock: Value = call(&app, "lock_state", json!({})).unwrap();
    assert_eq!(lock["locked"], true, "{lock}");
    assert!(invoke(&app, "main", "unlock", json!({"pin": MANAGER_PIN})).is_err());
}
