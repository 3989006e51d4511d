use super::*;
use crate::settings::selling::{DEFAULT_TAX, DISCOUNT_LIMIT, TIPS};

const CATALOG: &str = "sku,name,category,price,tax_rate,tax_included,barcode\n\
    ESP,Espresso,Coffee,2.50,21,true,4006381333931\n\
    CAKE,Cake,Food,4.00,10,true,\n";

fn shop(l: &mut Ledger) {
    l.set_setting("shop_currency", "EUR").unwrap();
    l.set_setting(DEFAULT_TAX, "8.375% added").unwrap();
    let eur = crate::money::Currency::from_code("EUR").unwrap();
    crate::catalog::import(l, CATALOG.as_bytes(), eur).unwrap();
}

fn id(l: &Ledger, sku: &str) -> i64 {
    l.item_by_sku(sku).unwrap().unwrap().id
}

fn add(l: &mut Ledger, sku: &str) -> CartView {
    let item_id = id(l, sku);
    change(l, "t1", CartChange::AddItem { item_id, quantity: None }, false).unwrap()
}

#[test]
fn taps_scans_and_typed_amounts_make_lines_priced_in_rust() {
    let mut l = Ledger::in_memory().unwrap();
    shop(&mut l);
    add(&mut l, "ESP");
    add(&mut l, "CAKE");
    let v = add(&mut l, "ESP");
    // A second tap on an item counts its line up.
    assert_eq!(v.lines.len(), 2);
    assert_eq!(v.units, 3);
    let v = change(&mut l, "t1", CartChange::Scan { code: " 4006381333931 ".into() }, false).unwrap();
    assert_eq!(v.bill.as_ref().unwrap().lines[0].quantity, 3);
    let v = change(&mut l, "t1", CartChange::AddAmount { amount: "3.00".into() }, false).unwrap();
    let b = v.bill.unwrap();
    assert_eq!(b.lines[2].name, CUSTOM_AMOUNT);
    // The custom amount is taxed at the default rate, added on top: 3.00 + 0.25.
    assert_eq!((b.lines[2].tax_rate.as_str(), b.lines[2].gross.as_str()), ("8.375", "3.25"));
    // 3 × 2.50 + 4.00 + 3.25.
    assert_eq!(b.total, "14.75");
    assert_eq!(b.subtotal, "14.50");
}

#[test]
fn refused_changes_leave_the_cart_as_it_was() {
    let mut l = Ledger::in_memory().unwrap();
    shop(&mut l);
    add(&mut l, "ESP");
    let before = view(&l, "t1").unwrap();
    let refusals = [
        (CartChange::SetQuantity { line: 0, quantity: 0 }, "the quantity of Espresso must be a whole number from 1 to 9999, not 0"),
        (CartChange::SetQuantity { line: 0, quantity: -2 }, "the quantity of Espresso must be a whole number from 1 to 9999, not -2"),
        (CartChange::SetQuantity { line: 3, quantity: 1 }, "the cart has no line 3"),
        (CartChange::Discount { discount: Some("3.00".into()) }, "a discount of 3.00 EUR is more than the subtotal after line discounts (2.50 EUR)"),
        (CartChange::Discount { discount: Some("120%".into()) }, "\"120%\" is not a percentage from 0 to 100 (type it as 10 or 8.375)"),
        (CartChange::LineDiscount { line: 0, discount: Some("2.51".into()) }, "a discount of 2.51 EUR is more than the line (2.50 EUR)"),
        (CartChange::Scan { code: "999".into() }, "no item for sale has the code or SKU \"999\""),
        (CartChange::AddAmount { amount: "12,50".into() }, "\"12,50\" uses a comma; use a point for the decimals, as in 12.50"),
    ];
    for (c, why) in refusals {
        assert_eq!(change(&mut l, "t1", c, false).unwrap_err().to_string(), why);
        assert_eq!(view(&l, "t1").unwrap(), before);
    }
}

#[test]
fn an_order_discount_above_the_owners_limit_needs_the_pin() {
    let mut l = Ledger::in_memory().unwrap();
    shop(&mut l);
    l.set_setting(DISCOUNT_LIMIT, "10").unwrap();
    add(&mut l, "CAKE");
    let big = || CartChange::Discount { discount: Some("1.00".into()) };
    assert_eq!(
        change(&mut l, "t1", big(), false).unwrap_err().to_string(),
        "a discount of 25% is above the 10% a cashier may give; a manager's PIN is needed"
    );
    assert_eq!(view(&l, "t1").unwrap().bill.unwrap().discount, "0.00");
    let v = change(&mut l, "t1", CartChange::Discount { discount: Some("10%".into()) }, false).unwrap();
    assert_eq!(v.bill.unwrap().discount, "0.40");
    let v = change(&mut l, "t1", big(), true).unwrap();
    assert_eq!(v.bill.unwrap().total, "3.00");
}

#[test]
fn lines_are_removed_discounted_and_cleared_and_tips_offered() {
    let mut l = Ledger::in_memory().unwrap();
    shop(&mut l);
    l.set_setting(TIPS, "on").unwrap();
    add(&mut l, "ESP");
    add(&mut l, "CAKE");
    let v = change(&mut l, "t1", CartChange::LineDiscount { line: 1, discount: Some("50%".into()) }, false).unwrap();
    assert_eq!(v.lines[1].discount.as_deref(), Some("50%"));
    assert_eq!(v.bill.unwrap().total, "4.50");
    l.set_setting(TIPS, "off").unwrap();
    assert_eq!(tip_choices(&l, "t1").unwrap(), (String::new(), Vec::new()));
    l.set_setting(TIPS, "on").unwrap();
    let (before, tips) = tip_choices(&l, "t1").unwrap();
    assert_eq!(before, "4.50");
    let shown: Vec<_> = tips.iter().map(|(p, a)| (p.to_string(), a.clone())).collect();
    // 10, 15 and 20 % of 4.50.
    assert_eq!(shown, [("10%".into(), "0.45".into()), ("15%".into(), "0.68".into()), ("20%".into(), "0.90".into())]);
    let v = change(&mut l, "t1", CartChange::Tip { tip: Some("15%".into()) }, false).unwrap();
    assert_eq!(v.bill.unwrap().total, "5.18");
    let v = change(&mut l, "t1", CartChange::Remove { line: 0 }, false).unwrap();
    assert_eq!(v.bill.unwrap().lines[0].name, "Cake");
    let v = change(&mut l, "t1", CartChange::Clear, false).unwrap();
    assert_eq!((v.lines.len(), v.bill), (0, None));
    // Another terminal's cart is its own.
    add(&mut l, "ESP");
    assert!(view(&l, "t2").unwrap().bill.is_none());
}

#[test]
fn the_cart_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut l = Ledger::open_in(dir.path()).unwrap();
        shop(&mut l);
        add(&mut l, "ESP");
        change(&mut l, "t1", CartChange::Discount { discount: Some("0.50".into()) }, false).unwrap();
    }
    let l = Ledger::open_in(dir.path()).unwrap();
    let b = view(&l, "t1").unwrap().bill.unwrap();
    assert_eq!((b.lines[0].name.as_str(), b.discount.as_str(), b.total.as_str()), ("Espresso", "0.50", "2.00"));
}
