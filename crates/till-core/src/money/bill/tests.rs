use proptest::prelude::*;

use super::*;

fn eur() -> Currency {
    Currency::from_code("EUR").unwrap()
}

fn rate(r: &str, included: bool) -> Tax {
    Tax {
        rate: Percent::parse(r).unwrap(),
        included,
    }
}

fn line(name: &str, unit: i64, quantity: i64, tax: Tax) -> LineInput {
    LineInput {
        name: name.into(),
        sku: None,
        category: None,
        unit,
        quantity,
        tax,
        discount: None,
    }
}

fn order(lines: Vec<LineInput>) -> Order {
    Order {
        currency: eur(),
        lines,
        discount: None,
        tip: None,
        tip_tax: None,
    }
}

fn rows(b: &Bill) -> Vec<(String, bool, i64, i64, i64)> {
    b.taxes
        .iter()
        .map(|r| {
            (
                r.rate.rate.to_string(),
                r.rate.included,
                r.net,
                r.tax,
                r.gross,
            )
        })
        .collect()
}

#[test]
fn tax_included_is_worked_out_of_the_price() {
    // LNbits TPoS #234: €3.50 including 21 % holds €0.61 of tax, not €0.74.
    let b = order(vec![line("Coffee", 350, 1, rate("21", true))])
        .bill()
        .unwrap();
    assert_eq!(rows(&b), [("21%".into(), true, 289, 61, 350)]);
    assert_eq!(
        (b.subtotal, b.discount, b.tax, b.tip, b.total),
        (350, 0, 61, 0, 350)
    );
}

#[test]
fn tax_added_goes_on_top_per_line_and_adds_up_per_rate() {
    // A 10 % item twice and a custom amount at an 8.375 % default rate, both added on top.
    let b = order(vec![
        line("Sandwich", 499, 2, rate("10", false)),
        line("Custom amount", 300, 1, rate("8.375", false)),
    ])
    .bill()
    .unwrap();
    // 9.98 × 10 % = 0.998 → 1.00; 3.00 × 8.375 % = 0.25125 → 0.25.
    assert_eq!(
        rows(&b),
        [
            ("8.375%".into(), false, 300, 25, 325),
            ("10%".into(), false, 998, 100, 1098)
        ]
    );
    assert_eq!((b.subtotal, b.tax, b.total), (1298, 125, 1423));
}

#[test]
fn an_order_discount_is_spread_before_tax_with_the_remainder_on_the_largest_line() {
    let mut o = order(vec![
        line("A", 100, 1, rate("21", true)),
        line("B", 100, 1, rate("10", true)),
        line("C", 100, 2, rate("10", true)),
    ]);
    o.discount = Some(Adjustment::Amount(100));
    let b = o.bill().unwrap();
    // 1.00 over 1.00, 1.00, 2.00: 0.25, 0.25, 0.50 exactly.
    let shares: Vec<i64> = b.lines.iter().map(|l| l.order_discount).collect();
    assert_eq!(shares, [25, 25, 50]);
    o.lines[2].quantity = 1;
    let b = o.bill().unwrap();
    // 1.00 over three equal lines: 0.33 each and the cent left over on the first largest.
    let shares: Vec<i64> = b.lines.iter().map(|l| l.order_discount).collect();
    assert_eq!(shares, [34, 33, 33]);
    assert_eq!(b.discount, 100);
    // Tax is on what is paid: 0.66 including 21 % is 0.11 of tax.
    assert_eq!(b.lines[0].tax, 11);
    assert_eq!(b.total, 200);
}

#[test]
fn an_order_discount_never_makes_a_line_dearer_or_negative() {
    let five = || order((0..5).map(|_| line("A", 100, 1, rate("0", true))).collect());
    for (discount, shares) in [
        // Rounding each share (0.6 → 1) would give 0.05 and take 0.02 back from the first line.
        (3, [1, 1, 1, 0, 0]),
        // 99.4 each: never more than a line's 1.00.
        (497, [100, 100, 99, 99, 99]),
    ] {
        let mut o = five();
        o.discount = Some(Adjustment::Amount(discount));
        let b = o.bill().unwrap_or_else(|e| panic!("{discount}: {e}"));
        let got: Vec<i64> = b.lines.iter().map(|l| l.order_discount).collect();
        assert_eq!(got, shares, "{discount}");
    }
}

#[test]
fn refunding_one_unit_at_a_time_never_returns_more_than_its_share() {
    // 2 × 1.25 incl. 21 %: tax 0.43. Each unit returns 1.25, the tax split 0.22 / 0.21.
    let b = order(vec![line("Cake", 125, 2, rate("21", true))])
        .bill()
        .unwrap();
    let one = b
        .refund(
            &[],
            &[Pick {
                line: 0,
                quantity: 1,
            }],
            false,
        )
        .unwrap();
    let two = b
        .refund(
            std::slice::from_ref(&one),
            &[Pick {
                line: 0,
                quantity: 1,
            }],
            false,
        )
        .unwrap();
    assert_eq!((one.total, one.lines[0].tax), (125, 22));
    assert_eq!((two.total, two.lines[0].tax), (125, 21));
    // 4 × 0.05 incl. 10 %: tax 0.02 over four refunds, none negative.
    let b = order(vec![line("Sweet", 5, 4, rate("10", true))])
        .bill()
        .unwrap();
    let mut done: Vec<RefundBill> = Vec::new();
    for _ in 0..4 {
        let r = b
            .refund(
                &done,
                &[Pick {
                    line: 0,
                    quantity: 1,
                }],
                false,
            )
            .unwrap();
        assert!(r.lines[0].net >= 0 && r.lines[0].tax >= 0, "{r:?}");
        done.push(r);
    }
    let taxes: Vec<i64> = done.iter().map(|r| r.lines[0].tax).collect();
    assert_eq!(taxes.iter().sum::<i64>(), 2);
    assert_eq!(done.iter().map(|r| r.total).sum::<i64>(), 20);
}

#[test]
fn percent_discounts_round_half_away_from_zero() {
    let mut o = order(vec![line("A", 1298, 1, rate("0", true))]);
    o.discount = Some(Adjustment::Percent(Percent::parse("10").unwrap()));
    // 12.98 × 10 % = 1.298 → 1.30.
    assert_eq!(o.bill().unwrap().discount, 130);
    o.lines[0].unit = 25;
    o.discount = Some(Adjustment::Percent(Percent::parse("50%").unwrap()));
    // 0.125 → 0.13.
    assert_eq!(o.bill().unwrap().discount, 13);
}

#[test]
fn line_and_order_discounts_and_a_tip_after_tax() {
    let mut o = order(vec![
        line("Beer", 450, 2, rate("19", true)),
        line("Pretzel", 250, 1, rate("7", true)),
    ]);
    o.lines[0].discount = Some(Adjustment::Amount(100));
    o.discount = Some(Adjustment::Percent(Percent::parse("10").unwrap()));
    o.tip = Some(Adjustment::Percent(Percent::parse("15").unwrap()));
    let b = o.bill().unwrap();
    // Lines after their own discounts: 8.00 and 2.50; 10 % of 10.50 is 1.05, spread 0.80/0.25.
    assert_eq!(b.subtotal, 1150);
    assert_eq!(b.lines[0].order_discount, 80);
    assert_eq!(b.lines[1].order_discount, 25);
    assert_eq!(b.discount, 205);
    // 7.20 incl. 19 % holds 1.15; 2.25 incl. 7 % holds 0.15.
    assert_eq!(
        rows(&b),
        [
            ("7%".into(), true, 210, 15, 225),
            ("19%".into(), true, 605, 115, 720)
        ]
    );
    // 15 % of 9.45 = 1.4175 → 1.42; untaxed.
    assert_eq!((b.tip, b.total), (142, 1087));
}

#[test]
fn a_taxed_tip_carries_the_shops_rate() {
    let mut o = order(vec![line("Meal", 1000, 1, rate("10", false))]);
    o.tip = Some(Adjustment::Amount(110));
    o.tip_tax = Some(rate("10", false));
    let b = o.bill().unwrap();
    assert_eq!(b.tip_tax, 10);
    assert_eq!(
        rows(&b),
        [
            ("10%".into(), false, 1000, 100, 1100),
            ("10%".into(), true, 100, 10, 110)
        ]
    );
    assert_eq!(b.total, 1210);
}

#[test]
fn bad_orders_are_refused_in_plain_words() {
    let coffee = || line("Coffee", 350, 1, rate("21", true));
    let mut o = order(vec![coffee()]);
    o.lines[0].quantity = 0;
    assert_eq!(
        o.bill().unwrap_err().to_string(),
        "the quantity of Coffee must be a whole number from 1 to 9999, not 0"
    );
    let mut o = order(vec![coffee()]);
    o.discount = Some(Adjustment::Amount(351));
    assert_eq!(
        o.bill().unwrap_err().to_string(),
        "a discount of 3.51 EUR is more than the subtotal after line discounts (3.50 EUR)"
    );
    o.discount = Some(Adjustment::Percent(Percent::parse("100").unwrap()));
    assert_eq!(o.bill().unwrap_err(), BillError::NothingToCharge);
    let mut o = order(vec![coffee()]);
    o.lines[0].discount = Some(Adjustment::Amount(400));
    assert!(matches!(
        o.bill(),
        Err(BillError::DiscountTooLarge { what: "line", .. })
    ));
    assert_eq!(order(vec![]).bill().unwrap_err(), BillError::Empty);
    let mut o = order(vec![coffee()]);
    o.lines[0].unit = 99_999_999_999;
    o.lines[0].quantity = 2;
    assert!(matches!(o.bill(), Err(BillError::TooLarge(_))));
    for bad in ["101", "-1", "1,5", "abc", "", "%", "8.37501", "1e2"] {
        assert!(Percent::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(Percent::parse(" 8.375 ").unwrap().to_string(), "8.375%");
    assert_eq!(Percent::parse("21.0%").unwrap().to_string(), "21%");
    assert_eq!(
        Adjustment::parse("1.50", eur()).unwrap(),
        Adjustment::Amount(150)
    );
    assert_eq!(
        Adjustment::parse("101%", eur()).unwrap_err().to_string(),
        "\"101%\" is not a percentage from 0 to 100 (type it as 10 or 8.375)"
    );
    assert!(Adjustment::parse("-1", eur()).is_err());
}

#[test]
fn refunds_take_lines_back_and_the_last_units_return_what_is_left() {
    let b = order(vec![line("Cake", 100, 3, rate("21", true))])
        .bill()
        .unwrap();
    // 3.00 incl. 21 %: tax 0.52.
    assert_eq!(b.lines[0].tax, 52);
    let first = b
        .refund(
            &[],
            &[Pick {
                line: 0,
                quantity: 1,
            }],
            false,
        )
        .unwrap();
    // A third of 2.48 net and 0.52 tax: 0.83 and 0.17.
    assert_eq!(
        (first.lines[0].net, first.lines[0].tax, first.total),
        (83, 17, 100)
    );
    let second = b
        .refund(
            std::slice::from_ref(&first),
            &[Pick {
                line: 0,
                quantity: 2,
            }],
            false,
        )
        .unwrap();
    assert_eq!((second.lines[0].net, second.lines[0].tax), (165, 35));
    assert_eq!(
        b.refund(
            &[first.clone(), second.clone()],
            &[Pick {
                line: 0,
                quantity: 1
            }],
            false
        )
        .unwrap_err()
        .to_string(),
        "0 of Cake can be given back, not 1"
    );
    assert!(b
        .refund(
            &[],
            &[Pick {
                line: 1,
                quantity: 1
            }],
            false
        )
        .is_err());
    assert!(b.refund(&[], &[], false).is_err());
    assert!(b
        .refund(
            &[],
            &[Pick {
                line: 0,
                quantity: 0
            }],
            false
        )
        .is_err());
}

fn tax_strategy() -> impl Strategy<Value = Tax> {
    (
        prop::sample::select(vec!["0", "5", "7.7", "8.375", "10", "21", "100"]),
        any::<bool>(),
    )
        .prop_map(|(r, included)| rate(r, included))
}

fn adjustment(max_amount: i64) -> impl Strategy<Value = Option<Adjustment>> {
    prop_oneof![
        Just(None),
        (0u32..=10_000).prop_map(|bp| Some(Adjustment::Percent(
            Percent::try_from(Decimal::new(i64::from(bp), 2)).unwrap()
        ))),
        (0..=max_amount).prop_map(|a| Some(Adjustment::Amount(a))),
    ]
}

fn line_strategy() -> impl Strategy<Value = LineInput> {
    (0i64..200_000, 1i64..=12, tax_strategy(), adjustment(500)).prop_map(
        |(unit, quantity, tax, discount)| LineInput {
            discount: discount.filter(|d| match d {
                Adjustment::Amount(a) => *a <= unit * quantity,
                Adjustment::Percent(_) => true,
            }),
            ..line("x", unit, quantity, tax)
        },
    )
}

fn order_strategy() -> impl Strategy<Value = Order> {
    (
        prop::collection::vec(line_strategy(), 1..7),
        adjustment(1_000),
        adjustment(2_000),
        prop::option::of(tax_strategy()),
    )
        .prop_map(|(lines, discount, tip, tip_tax)| Order {
            currency: eur(),
            lines,
            discount,
            tip,
            tip_tax,
        })
}

proptest! {
    // A fixed seed: the same 512 orders every run, so the suite can never pass one day and fail
    // the next. A new seed explores new orders: change it on purpose, never in CI.
    #![proptest_config(ProptestConfig {
        cases: 512,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x7111_2026),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_parts_always_add_up_to_the_total(o in order_strategy()) {
        let Ok(b) = o.bill() else { return Ok(()) };
        let added: i64 = b.lines.iter().filter(|l| !l.tax_rate.included).map(|l| l.tax).sum();
        prop_assert_eq!(b.total, b.subtotal - b.discount + added + b.tip);
        prop_assert_eq!(b.total, b.lines.iter().map(|l| l.gross).sum::<i64>() + b.tip);
        let rows_gross: i64 = b.taxes.iter().map(|r| r.gross).sum();
        let untaxed_tip = if b.tip_tax_rate.is_some() { 0 } else { b.tip };
        prop_assert_eq!(rows_gross + untaxed_tip, b.total);
        prop_assert_eq!(b.tax, b.taxes.iter().map(|r| r.tax).sum::<i64>());
        let base: i64 = b.lines.iter().map(|l| l.amount - l.line_discount).sum();
        let wanted = o.discount.map_or(0, |d| d.of(base));
        prop_assert_eq!(b.lines.iter().map(|l| l.order_discount).sum::<i64>(), wanted);
        for l in &b.lines {
            prop_assert!(l.net >= 0 && l.tax >= 0 && l.gross >= l.net);
            prop_assert!(l.order_discount >= 0 && l.discount() <= l.amount);
            prop_assert_eq!(l.net + l.tax, l.gross);
        }
    }

    #[test]
    fn a_full_refund_returns_the_sale_to_zero(o in order_strategy(), split in 1i64..4) {
        let Ok(b) = o.bill() else { return Ok(()) };
        let mut done: Vec<RefundBill> = Vec::new();
        // Give every line back in up to `split` parts, then the tip.
        for (i, l) in b.lines.iter().enumerate() {
            let mut left = l.quantity;
            while left > 0 {
                let q = (l.quantity / split).max(1).min(left);
                let r = b.refund(&done, &[Pick { line: i, quantity: q }], false).unwrap();
                let back = &r.lines[0];
                prop_assert!(back.net >= 0 && back.tax >= 0, "{:?}", back);
                prop_assert!(back.gross <= l.gross && back.tax <= l.tax, "{:?}", back);
                done.push(r);
                left -= q;
            }
        }
        if b.tip > 0 {
            done.push(b.refund(&done, &[], true).unwrap());
        }
        prop_assert_eq!(done.iter().map(|r| r.total).sum::<i64>(), b.total);
        let mut back: Vec<TaxRow> = Vec::new();
        for row in done.iter().flat_map(|r| &r.taxes) {
            add_row(&mut back, row.rate, row.net, row.tax);
        }
        back.sort_by_key(|a| a.rate);
        prop_assert_eq!(back, b.taxes.clone());
    }
}
