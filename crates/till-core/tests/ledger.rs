//! The ledger on a real file: gap-free receipts, the journal, verification naming the first
//! altered record, sealed days.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use chrono::Utc;
use serde_json::json;
use till_core::{
    ledger::{Ledger, LedgerError, NewSale},
    money::{Currency, Fiat},
    sale::SaleState,
};

fn new_sale(terminal: &str, amount: &str) -> NewSale {
    let usd = Currency::from_code("USD").unwrap();
    NewSale {
        terminal: terminal.into(),
        fiat: Fiat::parse(amount, usd).unwrap(),
        memo: "table 4".into(),
        cashier: "ana".into(),
        training: false,
        replaces: None,
    }
}

fn temp() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    (dir, path)
}

#[test]
fn receipts_are_gap_free_per_terminal_and_survive_reopening() {
    let (_dir, path) = temp();
    {
        let mut l = Ledger::open(&path).unwrap();
        let a1 = l.insert_sale(&new_sale("front", "1"), Utc::now()).unwrap();
        let b1 = l.insert_sale(&new_sale("back", "2"), Utc::now()).unwrap();
        let a2 = l.insert_sale(&new_sale("front", "3"), Utc::now()).unwrap();
        assert_eq!((a1.receipt_no, b1.receipt_no, a2.receipt_no), (1, 1, 2));
        assert_eq!(a1.state, SaleState::Creating);
    }
    let mut l = Ledger::open(&path).unwrap();
    let a3 = l.insert_sale(&new_sale("front", "4"), Utc::now()).unwrap();
    assert_eq!(a3.receipt_no, 3);
    assert_eq!(l.sale_by_receipt("front", 2).unwrap().amount_minor, 300);
    assert!(matches!(
        l.sale_by_receipt("front", 9),
        Err(LedgerError::NoSuchReceipt(9))
    ));
    let report = l.verify().unwrap();
    assert_eq!((report.entries, report.sales), (4, 4));
}

#[test]
fn every_change_lands_in_the_timeline_and_the_chain_verifies() {
    let mut l = Ledger::in_memory().unwrap();
    let s = l.insert_sale(&new_sale("t", "12.50"), Utc::now()).unwrap();
    let changed = l
        .update_sale::<LedgerError>(s.id, Utc::now(), |sale| {
            sale.state = SaleState::AwaitingPayment;
            sale.order_id = Some("20240426103947614609".into());
            Ok(Some((
                "order_created",
                json!({"order_id": "20240426103947614609"}),
            )))
        })
        .unwrap()
        .unwrap();
    assert_eq!(changed.state, SaleState::AwaitingPayment);
    // A change that declines to write leaves nothing behind.
    let none = l.update_sale::<LedgerError>(s.id, Utc::now(), |sale| {
        sale.state = SaleState::Paid;
        Ok(None)
    });
    assert!(none.unwrap().is_none());
    assert_eq!(
        l.sale(s.id).unwrap().unwrap().state,
        SaleState::AwaitingPayment
    );
    let timeline = l.timeline(s.id).unwrap();
    assert_eq!(
        timeline.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["created", "order_created"]
    );
    assert_eq!(timeline[1].prev_hash, timeline[0].hash);
    assert_eq!(l.verify().unwrap().head, timeline[1].hash);
}

/// Opens the ledger file behind the till's back, as someone editing it would.
fn tamper(path: &std::path::Path, sql: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(sql).unwrap();
}

fn ledger_with_three_sales(path: &std::path::Path) {
    let mut l = Ledger::open(path).unwrap();
    for amount in ["1", "2", "3"] {
        let s = l.insert_sale(&new_sale("t", amount), Utc::now()).unwrap();
        l.update_sale::<LedgerError>(s.id, Utc::now(), |sale| {
            sale.state = SaleState::Failed;
            sale.error = Some("refused".into());
            Ok(Some(("create_failed", json!({}))))
        })
        .unwrap();
    }
    l.verify().unwrap();
}

#[test]
fn verification_names_the_first_altered_record() {
    let cases: &[(&str, &str)] = &[
        (
            "UPDATE sales SET amount_minor = 99999 WHERE receipt_no = 2",
            "sale with receipt 2 differs from its journal",
        ),
        (
            "UPDATE sales SET state = 'paid' WHERE receipt_no = 3",
            "sale with receipt 3 differs from its journal",
        ),
        (
            "UPDATE events SET detail = '{}' WHERE id = 1",
            "journal entry 1 (created of sale id Some(1)) was changed",
        ),
        (
            "DELETE FROM events WHERE id = 3",
            "journal entry 3 is missing",
        ),
        (
            "UPDATE events SET prev_hash = hash WHERE id = 4",
            "journal entry 4 does not follow entry 3",
        ),
        (
            "UPDATE sales SET receipt_no = 7 WHERE receipt_no = 3",
            "receipt numbers of terminal t jump from 2 to 7",
        ),
        (
            "UPDATE sales SET created_at = 'yesterday' WHERE receipt_no = 1",
            "sale id 1 cannot be read",
        ),
    ];
    for (sql, expected) in cases {
        let (_dir, path) = temp();
        ledger_with_three_sales(&path);
        tamper(&path, sql);
        let err = Ledger::open(&path)
            .unwrap()
            .verify()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(expected),
            "{sql}\n  gave: {err}\n  want: {expected}"
        );
        assert!(err.starts_with("the ledger has been altered: "), "{err}");
    }
}

#[test]
fn a_day_is_sealed_once_and_its_seal_is_checked() {
    let (_dir, path) = temp();
    ledger_with_three_sales(&path);
    let mut l = Ledger::open(&path).unwrap();
    let close = l
        .close_day("2026-11-23", "t", &json!({"total": "6.00"}), Utc::now())
        .unwrap();
    assert_eq!(close.chain_head, l.chain_head().unwrap());
    let again = l
        .close_day("2026-11-23", "t", &json!({}), Utc::now())
        .unwrap_err();
    assert!(
        again.to_string().starts_with("2026-11-23 (closed at "),
        "{again}"
    );
    assert_eq!(l.verify().unwrap().day_closes, 1);
    drop(l);
    tamper(&path, "UPDATE day_closes SET chain_head = 'x'");
    let err = Ledger::open(&path)
        .unwrap()
        .verify()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the close of 2026-11-23 does not match the journal"),
        "{err}"
    );
}

#[test]
fn settings_are_stored_and_replaced() {
    let l = Ledger::in_memory().unwrap();
    assert_eq!(l.setting("shop_name").unwrap(), None);
    l.set_setting("shop_name", "Corner Café").unwrap();
    l.set_setting("shop_name", "Corner Café & Bar").unwrap();
    assert_eq!(
        l.setting("shop_name").unwrap().as_deref(),
        Some("Corner Café & Bar")
    );
}

#[test]
fn commits_leave_the_checkpoint_to_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let mut l = Ledger::open(&path).unwrap();
    let size = || std::fs::metadata(&path).unwrap().len();
    let before = size();
    for i in 0..300 {
        l.insert_sale(&new_sale("t", &format!("{}", i + 1)), Utc::now())
            .unwrap();
    }
    // No commit copied the log into the database file...
    assert_eq!(size(), before, "the commits wrote only to the WAL");
    // ...the checkpointer does, within a few seconds, while the ledger stays open.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(12);
    while size() == before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(size() > before, "the background checkpoint copied the WAL");
    l.verify().unwrap();
}
