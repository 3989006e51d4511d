//! Ledgers written by earlier releases of Till, opened by this one: brought forward losing
//! nothing, and still verifying, from the fixtures in `tests/fixtures`.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use chrono::Utc;
use serde_json::json;
use till_core::{
    ledger::{Ledger, LedgerError},
    report,
    sale::SaleState,
};

mod common;

use common::{new_sale, tamper, temp};

/// A ledger written by the Till before two books and numbered Z reports (schema 2): live and
/// training receipts in one series, a day closed after which a sale was still rung up that day,
/// a sale that day paid late the next, a refund and a withdrawal.
fn v2_ledger() -> (tempfile::TempDir, std::path::PathBuf) {
    fixture("v2-ledger.sqlite")
}

/// A copy of a ledger in `tests/fixtures`, to open and change.
fn fixture(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::copy(from, &path).unwrap();
    (dir, path)
}

/// A ledger written by the release before sats were printed on reports (`till --demo`: a sale
/// paid, one voided, TZ1, another paid, TZ2). Its sealed reports hold no sats; they still add up,
/// and read back they show the sats their millisatoshis make.
#[test]
fn z_reports_sealed_before_sats_were_printed_still_verify() {
    let (_dir, path) = fixture("v3-ledger.sqlite");
    let l = Ledger::open(&path).unwrap();
    let v = l.verify().unwrap();
    assert_eq!((v.sales, v.z_reports), (3, 2));
    assert!(l
        .find_anchor("a06799cfea4c0ffbce44a7444a98ab30043dc75a50b9d15c1fdb1e2c3c5500cf")
        .unwrap()
        .is_some());
    let terminal = till_core::settings::terminal(&l).unwrap();
    let (tz1, _) = report::z_report(&l, &terminal, true, 1).unwrap();
    let received = &tz1.totals.received[0];
    assert_eq!(
        (received.amount.as_str(), received.msat),
        ("12.50", 12_500_000)
    );
    assert_eq!(received.sats, 12_500);
}

#[test]
fn a_ledger_from_before_two_books_is_brought_forward_losing_nothing() {
    let (_dir, path) = v2_ledger();
    let mut l = Ledger::open(&path).unwrap();
    let v = l.verify().unwrap();
    assert_eq!(
        (v.sales, v.refunds, v.withdrawals, v.z_reports),
        (7, 1, 1, 1)
    );
    assert_eq!(
        l.setting("shop_name").unwrap().as_deref(),
        Some("Legacy Café")
    );
    assert!(till_core::pin::is_set(&l).unwrap());

    // The old day close is Z1 of the live book, as it was printed.
    let z1 = l.z_report("till-1", false, 1).unwrap().unwrap();
    assert_eq!(z1.legacy_day.as_deref(), Some("2026-11-20"));
    let printed = report::sealed_report(&z1).unwrap();
    assert_eq!(printed.totals.received[0].amount, "32.50");

    // What it missed is in the next Z: the sale rung up after it that day, the next day's sale,
    // and the next day's late payment of a sale it sealed as timed out.
    let x = report::x_report(&l, "till-1", false).unwrap();
    assert_eq!(x.z_no, Some(2));
    let usd = |lines: &[till_core::report::Line]| {
        lines
            .iter()
            .find(|l| l.currency == "USD")
            .map(|l| l.amount.clone())
    };
    assert_eq!(
        usd(&x.totals.received).as_deref(),
        Some("24.00"),
        "7 + 8 + 9 paid late"
    );
    assert_eq!(x.totals.late_payments.len(), 1);
    assert_eq!(
        (
            x.totals.late_payments[0].receipt_no,
            x.totals.late_payments[0].from_z
        ),
        (3, 1)
    );
    // The training sales were never in a live close: they are the training book's first Z.
    let tx = report::x_report(&l, "till-1", true).unwrap();
    assert_eq!(tx.totals.documents, 2);

    // Both books go on past the old shared series: no number is ever given twice.
    let live = l.insert_sale(&new_sale("till-1", "1"), Utc::now()).unwrap();
    let mut t = new_sale("till-1", "1");
    t.training = true;
    let training = l.insert_sale(&t, Utc::now()).unwrap();
    assert_eq!(
        (live.label(), training.label()),
        ("8".to_owned(), "T8".to_owned())
    );
    l.update_sale::<LedgerError>(live.id, Utc::now(), |s| {
        s.state = SaleState::Failed;
        Ok(Some(("create_failed", json!({}))))
    })
    .unwrap();
    let (z2, _) = report::close(&mut l, "till-1", false, None, "Olga").unwrap();
    assert_eq!((z2.label.as_str(), z2.totals.documents), ("Z2", 4));
    l.verify().unwrap();
    drop(l);
    // Opening again changes nothing more.
    let l = Ledger::open(&path).unwrap();
    assert_eq!(l.verify().unwrap().z_reports, 2);
    drop(l);
    tamper(&path, "UPDATE legacy_numbers SET last = 3");
    let err = Ledger::open(&path)
        .unwrap()
        .verify()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("where the old receipt numbers end differs"),
        "{err}"
    );
}
