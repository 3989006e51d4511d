//! The catalog and the cart from the command line: `till catalog import/export`, `till charge`
//! with items, a discount and a tip, `till export --lines`, and bad input refused with nothing
//! changed.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{against, json_lines, run, stderr, till};

const CATALOG: &str = "sku,name,category,price,tax_rate,tax_included\n\
    ESP,Espresso,Coffee,2.50,21,true\n\
    CAP,Cappuccino,Coffee,3.50,21,true\n\
    BAG,Bagel,Food,3.00,8.375,false\n";

fn stocked(dir: &std::path::Path) {
    std::fs::write(dir.join("catalog.csv"), CATALOG).unwrap();
    let out = run(
        till(dir),
        &[
            "--json",
            "catalog",
            "import",
            dir.join("catalog.csv").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&out)[0]["added"], 3);
}

#[test]
fn a_catalog_goes_in_and_comes_out_the_same() {
    let dir = tempfile::tempdir().unwrap();
    stocked(dir.path());
    let out = run(till(dir.path()), &["catalog", "export"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("sku,name,category,price,tax_rate,tax_included,"),
        "{text}"
    );
    assert!(text.contains("BAG,Bagel,Food,3.00,8.375,false"), "{text}");
    let file = dir.path().join("out.csv");
    let out = run(
        till(dir.path()),
        &["catalog", "export", "--output", file.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn a_bad_catalog_file_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    stocked(dir.path());
    let before = run(till(dir.path()), &["catalog", "export"]).stdout;
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "sku,name,category,price,tax_rate,tax_included\nNEW,New,,1.00,21,true\nX,Bad,,1.00,150,true\n").unwrap();
    let out = run(
        till(dir.path()),
        &["catalog", "import", bad.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim(),
        "till: line 3: the tax rate \"150\" is not a percentage from 0 to 100 (write 21 or 8.375); nothing was imported"
    );
    assert_eq!(run(till(dir.path()), &["catalog", "export"]).stdout, before);
    let out = run(
        till(dir.path()),
        &["catalog", "import", "/nonexistent/file.csv"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot read /nonexistent/file.csv"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn items_a_discount_and_a_tip_are_charged_with_every_figure_in_the_json() {
    let sim = common::sim(Duration::from_secs(60)).await;
    let dir = tempfile::tempdir().unwrap();
    stocked(dir.path());
    let out = run(
        against(dir.path(), &sim),
        &[
            "--json",
            "charge",
            "--item",
            "ESPx2",
            "--item",
            "BAG",
            "--discount",
            "10%",
            "--tip",
            "15%",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let sale = &json_lines(&out)[0];
    // 2 × 2.50 incl. 21 % and 3.00 + 8.375 %; 10 % off 8.00 = 0.80 (0.50 and 0.30); tax 0.78
    // (included) and 0.23 (added); a 15 % tip on 7.43 is 1.11.
    assert_eq!(sale["subtotal"], "8.00");
    assert_eq!(sale["discount"], "0.80");
    assert_eq!(sale["tax"][0]["rate"], "8.375");
    assert_eq!(sale["tax"][0]["net"], "2.70");
    assert_eq!(sale["tax"][0]["tax"], "0.23");
    assert_eq!(sale["tax"][1]["rate"], "21");
    assert_eq!(sale["tax"][1]["tax"], "0.78");
    assert_eq!(sale["tip"], "1.11");
    assert_eq!(sale["total"], "8.54");
    assert_eq!(sale["amount"], "8.54");
    assert_eq!(sale["lines"][0]["name"], "Espresso");
    assert_eq!(sale["lines"][0]["quantity"], 2);
    assert_eq!(sale["lines"][1]["gross"], "2.93");
    // An amount alone works as before, as one custom line.
    let out = run(against(dir.path(), &sim), &["--json", "charge", "4.20"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plain = &json_lines(&out)[0];
    assert_eq!(
        (plain["amount"].as_str(), plain["total"].as_str()),
        (Some("4.20"), Some("4.20"))
    );
    assert_eq!(plain["lines"][0]["name"], "Custom amount");
    // The line CSV has a row per line, keyed by receipt number.
    let out = run(till(dir.path()), &["export", "--lines"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0]
        .starts_with("receipt_no,created_at,status,document,line,sku,name,category,quantity"));
    assert_eq!(rows.len(), 4, "{text}");
    assert!(
        rows[1].starts_with("1,") && rows[1].contains(",ESP,Espresso,Coffee,2,2.50,5.00,"),
        "{text}"
    );
    assert!(
        rows[3].starts_with("2,") && rows[3].contains("Custom amount"),
        "{text}"
    );
    // The sales CSV has the bill's columns.
    let out = run(till(dir.path()), &["export"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().next().unwrap().ends_with(
            ",chain_head,subtotal,discount,tax,tip,total,tender,tendered,change,approved_by"
        ),
        "{text}"
    );
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .ends_with(",8.00,0.80,1.01,1.11,8.54,lightning,,,"),
        "{text}"
    );
}

#[tokio::test]
async fn bad_orders_get_a_plain_error_and_change_nothing() {
    let sim = common::sim(Duration::from_secs(60)).await;
    let dir = tempfile::tempdir().unwrap();
    stocked(dir.path());
    for (args, why) in [
        (
            vec!["charge", "--item", "NOPE"],
            "no item for sale has the code or SKU \"NOPE\"",
        ),
        (
            vec!["charge", "--item", "ESPx0"],
            "the quantity of Espresso must be a whole number from 1 to 9999, not 0",
        ),
        (
            vec!["charge", "--item", "ESPx-3"],
            "the quantity of Espresso must be a whole number from 1 to 9999, not -3",
        ),
        (
            vec!["charge", "--item", "ESP", "--discount", "120%"],
            "\"120%\" is not a percentage from 0 to 100 (type it as 10 or 8.375)",
        ),
        (
            vec!["charge", "--item", "ESP", "--discount", "9.00"],
            "a discount of 9.00 USD is more than the subtotal after line discounts (2.50 USD)",
        ),
        (
            vec!["charge", "--item", "ESP", "--tip", "-1"],
            "an amount cannot be negative",
        ),
        (
            vec!["charge", "--item", "ESP", "--currency", "EUR"],
            "the catalog's prices are in USD, not EUR",
        ),
    ] {
        let out = run(against(dir.path(), &sim), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&out).trim(), format!("till: {why}"), "{args:?}");
    }
    let out = run(against(dir.path(), &sim), &["charge"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap refuses a charge of nothing"
    );
    assert_eq!(common::ledger_sales(dir.path()), 0);
}
