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
        case("open_shift", json!({"float": "50.00"}), Role::Cashier),
        case(
            "move_cash",
            json!({"kind": "pay_in", "amount": "1.00", "reason": "change"}),
            Role::Cashier,
        ),
        // A manager (or the owner).
        case("x_report", json!({}), Role::Manager),
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
    let (app, _dir) = app_with(&[]);
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
    let mut checked = 0;
    for (role, pin) in [(Role::Cashier, CASHIER_PIN), (Role::Manager, MANAGER_PIN)] {
        let who: Value = call(&app, "unlock", json!({"pin": pin})).unwrap();
        assert_eq!(who["role"], json!(role));
        for c in cases(pin) {
            let may = role >= c.needs;
            if may && c.dialog {
                continue;
            }
            let answer = invoke(&app, "main", c.cmd, c.args.clone());
            assert_eq!(refused(&answer), !may, "{} as {role:?}: {answer:?}", c.cmd);
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
    // Nothing a refused call asked for happened.
    let staff: Vec<Value> = {
        call::<Value>(&app, "unlock", json!({"pin": common::PIN})).unwrap();
        call(&app, "staff_list", json!({})).unwrap()
    };
    let names: Vec<&str> = staff.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ana", "Max", "Owner"]);
}
