//! People and cash: staff with their own PINs, shifts with a drawer, cash sales beside Lightning
//! in one day, every document saying who made it, all of it in the hash chain.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{collections::BTreeMap, time::Duration};

use aurpay::Network;
use chrono::Utc;
use till_core::{
    cart,
    ledger::{CashMoveKind, Ledger},
    money::Currency,
    payouts::RefundRequest,
    people::{self, Role},
    pin, report,
    sale::SaleState,
    shift::Count,
    till::{Till, TillConfig, TillError},
};

mod common;

fn usd() -> Currency {
    Currency::from_code("USD").unwrap()
}

fn order(till: &Till, amount: &str) -> till_core::money::bill::Order {
    cart::quick_order(&till.ledger(), Some(amount), usd(), &[], None, None).unwrap()
}

/// A till whose gateway cannot be reached: nothing a cash sale does may need it.
fn offline_till(ledger: Ledger) -> std::sync::Arc<Till> {
    let client = till_core::fixture::client("http://127.0.0.1:9", Duration::from_millis(200));
    Till::new(ledger, client, TillConfig::new("front", Network::Regtest))
}

fn refused(e: TillError) -> String {
    e.to_string()
}

#[test]
fn a_cash_sale_needs_an_open_shift_and_enough_cash_and_works_with_the_gateway_down() {
    let till = offline_till(Ledger::in_memory().unwrap());
    till.set_cashier("Ana");
    let o = order(&till, "12.50");
    let no_shift = refused(till.sell_order_for_cash(&o, "20", "").unwrap_err());
    assert!(no_shift.contains("no shift is open"), "{no_shift}");
    assert!(till
        .ledger()
        .sales_between(Utc::now() - chrono::Duration::hours(1), Utc::now())
        .unwrap()
        .is_empty());

    let shift = till.open_shift("100.00").unwrap();
    assert_eq!(
        (shift.float_minor, shift.opened_by.as_str()),
        (10_000, "Ana")
    );
    let again = refused(till.open_shift("50").unwrap_err());
    assert!(again.contains("still open"), "{again}");

    let short = refused(till.sell_order_for_cash(&o, "10.00", "").unwrap_err());
    assert!(short.contains("2.50 USD more is needed"), "{short}");
    for bad in ["", "abc", "-5", "20.001"] {
        assert!(till.sell_order_for_cash(&o, bad, "").is_err(), "{bad:?}");
    }

    // The drawer holds the shift's currency: cash in another one is refused, nothing written.
    let jpy = Currency::from_code("JPY").unwrap();
    let yen = cart::quick_order(&till.ledger(), Some("1000"), jpy, &[], None, None).unwrap();
    let other = refused(till.sell_order_for_cash(&yen, "1000", "").unwrap_err());
    assert!(other.contains("holds USD; a cash sale in JPY"), "{other}");
    assert_eq!(
        till.shift_report().unwrap().unwrap().drawer.expected_minor,
        10_000
    );

    let sale = till.sell_order_for_cash(&o, "20", "").unwrap();
    assert_eq!(sale.state, SaleState::Paid);
    let cash = sale.cash.unwrap();
    assert_eq!((cash.tendered_minor, cash.change_minor), (2000, 750));
    assert_eq!(
        (sale.cashier.as_str(), sale.shift_id),
        ("Ana", Some(shift.id))
    );
    assert!(sale.order_id.is_none() && sale.paid_at.is_some());
    let receipt = till_core::receipt::lines(&sale, "Corner", "", chrono_tz::UTC);
    assert!(receipt.contains(&"Paid in cash".to_owned()), "{receipt:?}");
    assert!(
        receipt.contains(&"Change   7.50 USD".to_owned()),
        "{receipt:?}"
    );
    assert!(receipt.contains(&"Served by Ana".to_owned()), "{receipt:?}");
    till.ledger().verify().unwrap();
}

#[test]
fn the_cash_screen_quotes_the_carts_change_and_the_sale_empties_the_cart() {
    let till = offline_till(Ledger::in_memory().unwrap());
    till.set_cashier("Ana");
    let add = cart::CartChange::AddAmount {
        amount: "7.30".into(),
    };
    cart::change(&mut till.ledger(), "front", add, None).unwrap();
    let quote = till.cash_quote(None).unwrap();
    let text = |f: &till_core::money::Fiat| f.to_decimal().to_string();
    assert_eq!(text(&quote.total), "7.30");
    let keys: Vec<String> = quote.suggestions.iter().map(text).collect();
    assert_eq!(keys, ["7.30", "8.00", "10.00", "20.00"]);
    assert_eq!(quote.change, None);
    let change = till.cash_quote(Some("20")).unwrap().change.unwrap();
    assert_eq!(text(&change), "12.70");
    let short = refused(till.cash_quote(Some("5")).unwrap_err());
    assert!(short.contains("2.30"), "{short}");
    assert!(till.cash_quote(Some("five")).is_err());

    // Quoting wrote nothing; the sale needs a shift, then empties the cart.
    assert!(till.sell_cart_for_cash("20", "").is_err());
    assert_eq!(till.cash_quote(None).unwrap().total, quote.total);
    till.open_shift("50").unwrap();
    let sale = till.sell_cart_for_cash("20", "table 4").unwrap();
    assert_eq!(sale.cash.unwrap().change_minor, 1_270);
    assert!(sale.bill.is_some());
    let empty = till.cash_quote(None).unwrap_err();
    assert!(refused(empty).contains("empty"));
    till.ledger().verify().unwrap();
}

#[test]
fn the_drawer_counts_float_sales_pay_ins_pay_outs_and_refunds_and_the_close_shows_the_variance() {
    let till = offline_till(Ledger::in_memory().unwrap());
    till.set_cashier("Ana");
    till.open_shift("100").unwrap();
    till.sell_order_for_cash(&order(&till, "12.50"), "20", "")
        .unwrap();
    let second = till
        .sell_order_for_cash(&order(&till, "8.00"), "8", "")
        .unwrap();
    till.move_cash(CashMoveKind::PayIn, "20.00", "change from the bank", "Max")
        .unwrap();
    till.move_cash(CashMoveKind::PayOut, "5.00", "milk", "Max")
        .unwrap();
    // Bad pay-outs change nothing.
    let too_much = refused(
        till.move_cash(CashMoveKind::PayOut, "500", "rent", "Max")
            .unwrap_err(),
    );
    assert!(
        too_much.contains("should hold only 135.50 USD"),
        "{too_much}"
    );
    assert!(till
        .move_cash(CashMoveKind::PayOut, "1", "  ", "Max")
        .is_err());
    assert!(till
        .move_cash(CashMoveKind::PayOut, "0", "x", "Max")
        .is_err());

    // A cash sale's refund comes out of the drawer, made by the cashier, approved by a manager.
    let outcome = futures_block(till.refund(&RefundRequest {
        receipt_no: second.receipt_no,
        amount: "3.00".into(),
        lines: vec![],
        tip: false,
        reason: "cold coffee".into(),
        invoice: None,
        approved_by: Some("Max".into()),
    }))
    .unwrap();
    assert_eq!(outcome.refund.made_by.as_deref(), Some("Ana"));
    assert_eq!(outcome.refund.approved_by.as_deref(), Some("Max"));
    assert!(outcome.refund.shift_id.is_some());

    let open = till.shift_report().unwrap().unwrap();
    // 100 + 12.50 + 8 + 20 - 5 - 3
    assert_eq!(open.drawer.expected_minor, 13_250);
    assert_eq!(open.drawer.cash_sales, 2);

    let counts: BTreeMap<String, i64> = [
        ("100".into(), 1),
        ("20".into(), 1),
        ("10".into(), 1),
        ("1".into(), 2),
        ("0.25".into(), 1),
    ]
    .into();
    let closed = till
        .close_shift(&Count::Denominations(counts), "Max")
        .unwrap();
    assert_eq!(closed.shift.counted_minor, Some(13_225));
    assert_eq!(closed.variance_minor, Some(-25));
    let text = closed.render();
    assert!(
        text.contains("Variance") && text.contains("-0.25 USD (short)"),
        "{text}"
    );
    assert!(
        till.sell_order_for_cash(&order(&till, "1"), "1", "")
            .is_err(),
        "no drawer after the close"
    );
    let l = till.ledger();
    let v = l.verify().unwrap();
    // The shift opened, two sales, a pay-in, a pay-out, the refund, the close.
    assert_eq!(v.entries, 7);
}

/// Runs a future to its end on a small runtime (the refund of cash never calls the gateway).
fn futures_block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[tokio::test]
async fn the_day_counts_both_tenders_and_both_people_and_the_z_waits_for_the_drawer() {
    let shop = common::shop().await;
    let till = &shop.till;
    {
        let mut l = till.ledger();
        people::add(&mut l, "Olga", Role::Owner, "1111", Utc::now()).unwrap();
        people::add(&mut l, "Ana", Role::Cashier, "2222", Utc::now()).unwrap();
        people::add(&mut l, "Max", Role::Manager, "3333", Utc::now()).unwrap();
    }
    till.set_cashier("Ana");
    till.open_shift("50").unwrap();
    let cash = till
        .sell_order_for_cash(&order(till, "10.00"), "10", "")
        .unwrap();
    let lightning = shop.paid_sale("4.00").await;
    assert!(lightning.cash.is_none());
    till.set_cashier("Max");
    shop.paid_sale("6.00").await;
    let open_shift = report::close(&mut till.ledger(), "front", false, None, "Olga").unwrap_err();
    assert!(
        open_shift.to_string().contains("still open"),
        "{open_shift}"
    );
    till.close_shift(&Count::Total("60.00".into()), "Max")
        .unwrap();
    let (z, _) = report::close(&mut till.ledger(), "front", false, None, "Max").unwrap();
    assert_eq!(z.closed_by.as_deref(), Some("Max"));
    assert!(report::render(&z).contains("closed by Max"));
    let tenders = z.totals.tenders.clone().unwrap();
    let find = |t: &str| {
        tenders
            .iter()
            .find(|l| l.tender == t)
            .unwrap()
            .received
            .clone()
    };
    assert_eq!(
        (find("cash"), find("lightning")),
        ("10.00".into(), "10.00".into())
    );
    let people = z.totals.people.clone().unwrap();
    let names: Vec<(&str, u64)> = people.iter().map(|p| (p.name.as_str(), p.sales)).collect();
    assert_eq!(names, [("Ana", 2), ("Max", 1)]);
    assert_eq!(z.shifts.len(), 1);
    assert_eq!(
        (z.shifts[0].expected.as_str(), z.shifts[0].variance.as_str()),
        ("60.00", "0.00")
    );
    let text = report::render(&z);
    assert!(
        text.contains("BY TENDER") && text.contains("BY PERSON") && text.contains("SHIFT S1"),
        "{text}"
    );
    assert_eq!(cash.tender().as_str(), "cash");
    till.ledger().verify().unwrap();
}

#[test]
fn staff_shifts_and_drawer_moves_are_in_the_chain_and_an_edit_is_caught() {
    let (_d, path) = common::temp();
    {
        let till = offline_till(Ledger::open(&path).unwrap());
        people::add(&mut till.ledger(), "Olga", Role::Owner, "1111", Utc::now()).unwrap();
        people::add(&mut till.ledger(), "Ana", Role::Cashier, "2222", Utc::now()).unwrap();
        till.set_cashier("Ana");
        till.open_shift("100").unwrap();
        till.move_cash(CashMoveKind::PayOut, "5", "milk", "Max")
            .unwrap();
        till.sell_order_for_cash(&order(&till, "1.00"), "1", "")
            .unwrap();
        till.close_shift(&Count::Total("96".into()), "Olga")
            .unwrap();
        report::close(&mut till.ledger(), "front", false, None, "Olga").unwrap();
        till.ledger().verify().unwrap();
    }
    for (sql, expected) in [
        (
            "UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE name = 'Olga') WHERE name = 'Ana'",
            "Ana on the staff differs from the journal",
        ),
        (
            "UPDATE staff SET role = 'owner' WHERE name = 'Ana'",
            "Ana on the staff differs from the journal",
        ),
        (
            "UPDATE shifts SET counted_minor = 9700",
            "shift S1 of terminal front differs from its journal",
        ),
        ("DELETE FROM cash_moves", "pay-ins and pay-outs do not match"),
        // Unsealed, the shift would be counted again by the next Z.
        (
            "UPDATE shifts SET z_id = NULL",
            "shift S1 of terminal front claims another Z report",
        ),
        (
            "UPDATE cash_moves SET amount_minor = 50",
            "a pay-out of",
        ),
    ] {
        let (_d2, copy) = common::temp();
        std::fs::copy(&path, &copy).unwrap();
        common::tamper(&copy, sql);
        let err = Ledger::open(&copy).unwrap().verify().unwrap_err().to_string();
        assert!(err.contains(expected), "{sql}\n  gave: {err}");
    }
}

#[test]
fn a_ledger_from_before_people_makes_its_manager_pin_the_owners() {
    let (_d, path) = common::temp();
    {
        let l = Ledger::open(&path).unwrap();
        drop(l);
    }
    // Put the ledger back to how schema 4 kept the PIN: one hashed setting, no staff.
    let hash = pin::hash("4821").unwrap();
    common::tamper(
        &path,
        &format!(
            "DELETE FROM staff; INSERT INTO settings (key, value) VALUES ('manager_pin', '{hash}'), ('upgrade_v5', 'pending');"
        ),
    );
    let mut l = Ledger::open(&path).unwrap();
    let staff = l.staff().unwrap();
    assert_eq!(staff.len(), 1);
    assert_eq!(
        (staff[0].name.as_str(), staff[0].role),
        ("Owner", Role::Owner)
    );
    assert_eq!(l.setting("manager_pin").unwrap(), None);
    let owner = pin::identify(&mut l, "4821", Utc::now()).unwrap();
    assert_eq!(owner.role, Role::Owner);
    l.verify().unwrap();
}
