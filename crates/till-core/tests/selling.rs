//! Selling from the catalog: a cart charged for its bill's total, the bill in the ledger's
//! chain, the Z report's sections reconciling to the money received, and bad orders refused
//! without a trace.

#![allow(clippy::unwrap_used)]

mod common;

use till_core::{
    cart::{self, CartChange},
    catalog,
    ledger::Ledger,
    money::Currency,
    report,
    sale::SaleState,
    settings::selling::{DEFAULT_TAX, TIPS},
};

const CATALOG: &str = "sku,name,category,price,tax_rate,tax_included\n\
    ESP,Espresso,Coffee,2.50,10,false\n\
    CAP,Cappuccino,Coffee,3.50,10,false\n\
    BAG,Bagel,Food,3.00,8.375,false\n";

fn stock(l: &mut Ledger) {
    let usd = Currency::from_code("USD").unwrap();
    catalog::import(l, CATALOG.as_bytes(), usd).unwrap();
    l.set_setting(DEFAULT_TAX, "8.375% added").unwrap();
    l.set_setting(TIPS, "on").unwrap();
}

fn tap(l: &mut Ledger, sku: &str, change: Option<CartChange>) {
    let c = change.unwrap_or_else(|| CartChange::AddItem {
        item_id: l.item_by_sku(sku).unwrap().unwrap().id,
        quantity: None,
    });
    cart::change(l, "front", c, None).unwrap();
}

/// A stocked shop whose ledger is a file, for the tests that edit it behind the till's back.
async fn stocked_on_file() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    till_core::fixture::Shop,
) {
    let (dir, path) = common::temp();
    let shop = till_core::fixture::Shop::builder()
        .ledger(Ledger::open(&path).unwrap())
        .open()
        .await;
    stock(&mut shop.till.ledger());
    (dir, path, shop)
}

#[tokio::test]
async fn a_cart_is_charged_for_its_total_and_its_bill_is_kept_and_chained() {
    let shop = common::shop().await;
    {
        let mut l = shop.till.ledger();
        stock(&mut l);
        for sku in ["ESP", "ESP", "CAP", "BAG"] {
            tap(&mut l, sku, None);
        }
        tap(
            &mut l,
            "",
            Some(CartChange::Discount {
                discount: Some("10%".into()),
            }),
        );
        tap(
            &mut l,
            "",
            Some(CartChange::Tip {
                tip: Some("15%".into()),
            }),
        );
    }
    let sale = shop.till.charge_cart("").await.unwrap();
    assert_eq!(sale.state, SaleState::AwaitingPayment);
    let bill = sale.bill.clone().unwrap();
    // 2 × 2.50 + 3.50 at 10 % added, 3.00 at 8.375 % added; 10 % off 11.50 is 1.15, spread
    // 0.50 / 0.35 / 0.30; tax 0.45 + 0.32 + 0.23; a 15 % tip on 11.35 is 1.70.
    let v = bill.view();
    assert_eq!(
        (v.subtotal.as_str(), v.discount.as_str()),
        ("11.50", "1.15")
    );
    assert_eq!(v.tax_total, "1.00");
    assert_eq!((v.tip.as_str(), v.total.as_str()), ("1.70", "13.05"));
    assert_eq!(sale.amount_minor, 1305);
    // The gateway was asked for the total, tip included.
    let order = shop
        .sim
        .state()
        .order(sale.order_id.as_deref().unwrap())
        .unwrap();
    assert_eq!(order.vs_price.to_string(), "13.05");
    // The cart is empty once the sale is written.
    assert!(cart::view(&shop.till.ledger(), "front")
        .unwrap()
        .bill
        .is_none());
    // The bill is read back as written.
    let stored = shop.till.sale(sale.receipt_no).unwrap();
    assert_eq!(stored.bill.as_ref(), Some(&bill));
    shop.till.ledger().verify().unwrap();
}

#[tokio::test]
async fn the_z_report_adds_up_by_item_category_tax_discount_and_tip() {
    let shop = common::shop().await;
    {
        let mut l = shop.till.ledger();
        stock(&mut l);
    }
    let usd = Currency::from_code("USD").unwrap();
    let order = |items: &[(&str, i64)], tip: Option<&str>| {
        let items: Vec<(String, i64)> = items.iter().map(|(s, q)| (s.to_string(), *q)).collect();
        cart::quick_order(&shop.till.ledger(), None, usd, &items, Some("1.00"), tip).unwrap()
    };
    for o in [
        order(&[("ESP", 2), ("BAG", 1)], Some("2.00")),
        order(&[("CAP", 1)], None),
    ] {
        let sale = shop.till.charge_order(&o, "").await.unwrap();
        shop.sim
            .state()
            .pay(sale.order_id.as_deref().unwrap())
            .unwrap();
        assert_eq!(
            shop.till.check(sale.receipt_no).await.unwrap().state,
            SaleState::Paid
        );
    }
    // A typed amount and an unpaid cart: the first is "custom amount", the second no money.
    shop.paid_sale("1.00").await;
    shop.till
        .charge_order(&order(&[("ESP", 1)], None), "")
        .await
        .unwrap();
    let x = report::x_report(&shop.till.ledger(), "front", false).unwrap();
    let sold = &x.totals.sold;
    let items: Vec<(&str, i64, &str)> = sold
        .items
        .iter()
        .map(|l| (l.name.as_str(), l.quantity, l.amount.as_str()))
        .collect();
    assert_eq!(
        items,
        [
            ("Custom amount", 1, "1.08"),
            ("Cappuccino", 1, "2.75"),
            ("Espresso", 2, "4.81"),
            ("Bagel", 1, "2.85")
        ]
    );
    let cats: Vec<(&str, &str)> = sold
        .categories
        .iter()
        .map(|l| (l.category.as_str(), l.amount.as_str()))
        .collect();
    assert_eq!(cats, [("", "1.08"), ("Coffee", "7.56"), ("Food", "2.85")]);
    let received = x.totals.received[0].amount.as_str();
    assert_eq!(received, "13.49");
    // Items + tips = categories + tips = tax table's gross + tips = received.
    let minor = |s: &str| -> i64 { s.replace('.', "").parse().unwrap() };
    let items_sum: i64 = sold.items.iter().map(|l| minor(&l.amount)).sum();
    let tax_gross: i64 = sold.taxes.iter().map(|l| minor(&l.gross)).sum();
    let tips: i64 = sold.tips.iter().map(|l| minor(&l.amount)).sum();
    assert_eq!(tips, 200);
    assert_eq!(items_sum + tips, minor(received));
    assert_eq!(tax_gross + tips, minor(received));
    assert_eq!(sold.discounts[0].amount, "2.00");
    // Close, and verify re-adds the sealed sections from the journal. The open sale blocks the
    // close, so it is cancelled first.
    let open = shop.till.ledger().open_sales("front", false).unwrap();
    for s in open {
        shop.till.cancel(s.receipt_no).unwrap();
    }
    let (z, _) = report::close(&mut shop.till.ledger(), "front", false, None, "Olga").unwrap();
    assert_eq!(z.totals.sold, x.totals.sold);
    shop.till.ledger().verify().unwrap();
    assert!(report::render(&z).contains("8.375% added"));
}

#[tokio::test]
async fn an_edited_line_is_caught_by_verify() {
    let (_dir, path, shop) = stocked_on_file().await;
    let usd = Currency::from_code("USD").unwrap();
    let o = cart::quick_order(
        &shop.till.ledger(),
        None,
        usd,
        &[("ESP".into(), 2)],
        None,
        None,
    )
    .unwrap();
    shop.till.charge_order(&o, "").await.unwrap();
    shop.till.ledger().verify().unwrap();
    common::tamper(
        &path,
        r#"UPDATE sales SET bill = replace(bill, '"quantity":2', '"quantity":1')"#,
    );
    let err = shop.till.ledger().verify().unwrap_err().to_string();
    assert!(
        err.contains("sale with receipt 1 differs from its journal"),
        "{err}"
    );
}

#[tokio::test]
async fn bad_orders_are_refused_and_write_nothing() {
    let shop = common::shop().await;
    stock(&mut shop.till.ledger());
    let usd = Currency::from_code("USD").unwrap();
    let eur = Currency::from_code("EUR").unwrap();
    let attempt = |amount: Option<&str>,
                   cur,
                   items: &[(&str, i64)],
                   discount: Option<&str>,
                   tip: Option<&str>| {
        let items: Vec<(String, i64)> = items.iter().map(|(s, q)| (s.to_string(), *q)).collect();
        cart::quick_order(&shop.till.ledger(), amount, cur, &items, discount, tip)
            .map_err(|e| e.to_string())
            .and_then(|o| o.bill().map(|_| ()).map_err(|e| e.to_string()))
    };
    let cases: &[(Result<(), String>, &str)] = &[
        (
            attempt(None, usd, &[("NOPE", 1)], None, None),
            "no item for sale has the code or SKU \"NOPE\"",
        ),
        (
            attempt(None, usd, &[("ESP", 0)], None, None),
            "the quantity of Espresso must be a whole number from 1 to 9999, not 0",
        ),
        (
            attempt(None, usd, &[("ESP", -1)], None, None),
            "the quantity of Espresso must be a whole number from 1 to 9999, not -1",
        ),
        (
            attempt(None, usd, &[("ESP", 1)], Some("101%"), None),
            "\"101%\" is not a percentage from 0 to 100 (type it as 10 or 8.375)",
        ),
        (
            attempt(None, usd, &[("ESP", 1)], Some("2.51"), None),
            "a discount of 2.51 USD is more than the subtotal after line discounts (2.50 USD)",
        ),
        (
            attempt(None, eur, &[("ESP", 1)], None, None),
            "the catalog's prices are in USD, not EUR",
        ),
        (attempt(None, usd, &[], None, None), "the cart is empty"),
        (
            attempt(Some("abc"), usd, &[], None, None),
            "\"abc\" is not an amount; type digits with at most one point, as in 12.50",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got.as_ref().unwrap_err(), want);
    }
    assert!(!shop.till.ledger().has_sales().unwrap());
    let (item, qty) = cart::parse_item_arg("ESPx3").unwrap();
    assert_eq!((item.as_str(), qty), ("ESP", 3));
    assert_eq!(cart::parse_item_arg("BOX").unwrap(), ("BOX".into(), 1));
    assert_eq!(cart::parse_item_arg("ESPx-2").unwrap(), ("ESP".into(), -2));
}

#[tokio::test]
async fn an_itemized_refund_reverses_tax_per_rate_and_all_of_it_returns_the_sale_to_zero() {
    use till_core::{money::bill::Pick, payouts::RefundRequest};
    let (_dir, path, shop) = stocked_on_file().await;
    let usd = Currency::from_code("USD").unwrap();
    let items = [("ESP".to_owned(), 2), ("BAG".to_owned(), 1)];
    let o = cart::quick_order(&shop.till.ledger(), None, usd, &items, None, Some("1.00")).unwrap();
    let sale = shop.till.charge_order(&o, "").await.unwrap();
    shop.sim
        .state()
        .pay(sale.order_id.as_deref().unwrap())
        .unwrap();
    let sale = shop.till.check(sale.receipt_no).await.unwrap();
    // 5.00 + 0.50 tax at 10 %, 3.00 + 0.25 at 8.375 %, and a 1.00 tip: 9.75.
    assert_eq!(sale.amount_minor, 975);
    let req = |lines: Vec<Pick>, tip: bool| RefundRequest {
        receipt_no: sale.receipt_no,
        amount: String::new(),
        reason: "returned".into(),
        invoice: None,
        approved_by: None,
        lines,
        tip,
    };
    let one = shop
        .till
        .refund(&req(
            vec![Pick {
                line: 0,
                quantity: 1,
            }],
            false,
        ))
        .await
        .unwrap()
        .refund;
    // One espresso of two: 2.50 and 0.25 of tax at 10 %.
    assert_eq!(one.amount_minor, 275);
    let lines = one.lines.clone().unwrap();
    assert_eq!((lines.taxes[0].net, lines.taxes[0].tax), (250, 25));
    let too_many = shop
        .till
        .refund(&req(
            vec![Pick {
                line: 0,
                quantity: 2,
            }],
            false,
        ))
        .await
        .unwrap_err();
    assert_eq!(
        too_many.to_string(),
        "1 of Espresso can be given back, not 2"
    );
    let rest = shop
        .till
        .refund(&req(
            vec![
                Pick {
                    line: 0,
                    quantity: 1,
                },
                Pick {
                    line: 1,
                    quantity: 1,
                },
            ],
            true,
        ))
        .await
        .unwrap()
        .refund;
    assert_eq!(one.amount_minor + rest.amount_minor, sale.amount_minor);
    let nothing = shop.till.refund(&req(vec![], true)).await.unwrap_err();
    assert_eq!(nothing.to_string(), "there is no tip left to give back");
    shop.till.ledger().verify().unwrap();
    common::tamper(
        &path,
        r#"UPDATE refunds SET lines = replace(lines, '"quantity":1', '"quantity":2') WHERE refund_no = 1"#,
    );
    let err = shop.till.ledger().verify().unwrap_err().to_string();
    assert!(
        err.contains("refund R1 of terminal front differs from its journal"),
        "{err}"
    );
}
