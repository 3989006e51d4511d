//! Selling through the real IPC path on Tauri's mock runtime: the owner's catalog behind the PIN,
//! the cashier's cart priced in Rust, a discount above the limit approved by the PIN, the tip
//! chosen from the customer window (which can do nothing else with the cart), and the cart
//! charged with its bill.

#![allow(clippy::unwrap_used)]

mod common;

use common::{call, call_from, code, invoke, set_up, PIN};
use serde_json::{json, Value};
use till_app::{ErrorCode, ItemView, SaleView, TipOffer};
use till_core::{cart::CartView, report::Report, settings::Settings};

type App = tauri::App<tauri::test::MockRuntime>;

fn item(app: &App, sku: &str, name: &str, category: &str, price: &str, tax: &str) -> ItemView {
    call(
        app,
        "save_item",
        json!({"id": null, "form": {"sku": sku, "name": name, "category": category, "price": price,
            "tax_rate": tax, "tax_included": "true", "barcode": format!("400{sku}")}}),
    )
    .unwrap()
}

fn change(app: &App, change: Value) -> Result<CartView, till_app::IpcError> {
    call(app, "cart_change", json!({"change": change, "pin": null}))
}

fn shop() -> (App, tempfile::TempDir) {
    let (app, dir) = common::app_with(&[]);
    set_up(&app);
    item(&app, "ESP", "Espresso", "Coffee", "2.50", "21");
    item(&app, "CAK", "Cake", "Food", "4.00", "10");
    let mut s: Settings = call(&app, "get_settings", json!({})).unwrap();
    s.tips = true;
    s.discount_limit = "10".into();
    call::<Settings>(&app, "save_settings", json!({"settings": s})).unwrap();
    // A cashier sells: what needs a manager takes a manager's PIN.
    common::sign_in_cashier(&app);
    (app, dir)
}

#[test]
fn the_catalog_is_the_owners_and_the_cart_is_priced_in_rust() {
    let (app, _dir) = shop();
    // The manager screens are closed: the catalog cannot be changed without the PIN.
    let refused = call::<ItemView>(
        &app,
        "save_item",
        json!({"id": null, "form": {"name": "Tea", "price": "1", "tax_rate": "0", "tax_included": "true"}}),
    );
    assert_eq!(code(refused), ErrorCode::PinRequired);

    let list: Vec<ItemView> = call(&app, "items", json!({"filter": {"text": "esp"}})).unwrap();
    assert_eq!(list.len(), 1);
    let espresso = list[0].id;
    change(
        &app,
        json!({"kind": "add_item", "item_id": espresso, "quantity": 2}),
    )
    .unwrap();
    let cart = change(&app, json!({"kind": "scan", "code": "400CAK"})).unwrap();
    let bill = cart.bill.unwrap();
    assert_eq!((bill.total.as_str(), cart.units), ("9.00", 3));
    // 5.00 incl. 21 % holds 0.87; 4.00 incl. 10 % holds 0.36.
    let taxes: Vec<(&str, &str)> = bill
        .tax
        .iter()
        .map(|t| (t.rate.as_str(), t.tax.as_str()))
        .collect();
    assert_eq!(taxes, [("10", "0.36"), ("21", "0.87")]);

    // Refused changes say why and leave the cart as it was.
    let bad = change(
        &app,
        json!({"kind": "set_quantity", "line": 0, "quantity": 0}),
    )
    .unwrap_err();
    assert_eq!(bad.code, ErrorCode::BadInput);
    assert_eq!(
        code(change(&app, json!({"kind": "scan", "code": "nothing"}))),
        ErrorCode::NotFound
    );
    let still: CartView = call(&app, "cart", json!({})).unwrap();
    assert_eq!(still.bill.unwrap().total, "9.00");
}

#[test]
fn a_discount_above_the_limit_takes_the_pin() {
    let (app, _dir) = shop();
    change(&app, json!({"kind": "scan", "code": "400CAK"})).unwrap();
    let big = json!({"kind": "discount", "discount": "25%"});
    let asked = change(&app, big.clone()).unwrap_err();
    assert_eq!(asked.code, ErrorCode::PinRequired);
    assert!(asked.message.contains("above the 10%"), "{}", asked.message);
    let wrong = call::<CartView>(&app, "cart_change", json!({"change": big, "pin": "0000"}));
    assert_eq!(code(wrong), ErrorCode::WrongPin);
    let cart: CartView = call(&app, "cart", json!({})).unwrap();
    assert_eq!(cart.bill.unwrap().total, "4.00");
    let cart: CartView = call(&app, "cart_change", json!({"change": big, "pin": PIN})).unwrap();
    assert_eq!(cart.bill.unwrap().total, "3.00");
    // The PIN approved one discount; it opened no manager screens.
    let x = call::<Report>(&app, "x_report", json!({"day": null}));
    assert_eq!(code(x), ErrorCode::PinRequired);
    // The approval stays with the cart: the tip is chosen and the cart charged.
    call::<TipOffer>(&app, "ask_tip", json!({})).unwrap();
    let tipped: CartView = call(&app, "choose_tip", json!({"tip": null})).unwrap();
    assert_eq!(tipped.bill.unwrap().total, "3.00");
    let sale: SaleView = call(&app, "charge_cart", json!({"memo": ""})).unwrap();
    assert_eq!(sale.amount, "3.00");
    // A line discount above the limit needs the PIN too.
    change(&app, json!({"kind": "scan", "code": "400CAK"})).unwrap();
    let line = change(
        &app,
        json!({"kind": "line_discount", "line": 0, "discount": "50%"}),
    );
    assert_eq!(code(line), ErrorCode::PinRequired);
}

#[test]
fn the_customer_chooses_the_tip_and_the_cart_is_charged_with_its_bill() {
    let (app, _dir) = shop();
    change(&app, json!({"kind": "scan", "code": "400ESP"})).unwrap();
    change(&app, json!({"kind": "scan", "code": "400CAK"})).unwrap();
    // Nobody asked for a tip: the customer window cannot set one.
    let early = call_from::<CartView>(&app, "customer", "choose_tip", json!({"tip": "50%"}));
    assert_eq!(code(early), ErrorCode::NotAllowed);
    let offer: TipOffer = call(&app, "ask_tip", json!({})).unwrap();
    assert_eq!(offer.total, "6.50");
    let shown: Vec<(&str, &str)> = offer
        .choices
        .iter()
        .map(|c| (c.percent.as_str(), c.amount.as_str()))
        .collect();
    assert_eq!(shown, [("10", "0.65"), ("15", "0.98"), ("20", "1.30")]);

    // The customer window may choose the tip and read the cart, and nothing else of it.
    for cmd in [
        "cart_change",
        "charge_cart",
        "save_item",
        "items",
        "import_catalog",
    ] {
        let err = invoke(&app, "customer", cmd, json!({})).unwrap_err();
        assert!(err.to_string().contains("not allowed"), "{cmd}: {err}");
    }
    let cart: CartView = call_from(&app, "customer", "choose_tip", json!({"tip": "15%"})).unwrap();
    assert_eq!(cart.bill.as_ref().unwrap().tip, "0.98");

    let sale: SaleView = call(&app, "charge_cart", json!({"memo": "table 2"})).unwrap();
    assert_eq!(sale.amount, "7.48");
    let bill = sale.bill.unwrap();
    assert_eq!(
        (bill.lines.len(), bill.tip.as_str(), bill.total.as_str()),
        (2, "0.98", "7.48")
    );
    let empty: CartView = call(&app, "cart", json!({})).unwrap();
    assert!(
        empty.bill.is_none(),
        "the cart is emptied once the sale is written"
    );

    call::<SaleView>(
        &app,
        "simulate_payment",
        json!({"receiptNo": sale.receipt_no}),
    )
    .unwrap();
    call::<serde_json::Value>(&app, "unlock", json!({"pin": PIN})).unwrap();
    let x: Report = call(&app, "x_report", json!({"day": null})).unwrap();
    assert_eq!(x.totals.sold.tips[0].amount, "0.98");
    assert_eq!(x.totals.sold.items.len(), 2);
}
