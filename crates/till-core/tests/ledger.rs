//! The ledger on a real file: two books of gap-free receipts, the journal, verification naming
//! the first altered record, sealed Z reports, journaled settings, anchors, and the WAL kept
//! small.

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
    assert_eq!(
        l.sale_by_receipt("front", false, 2).unwrap().amount_minor,
        300
    );
    assert!(matches!(
        l.sale_by_receipt("front", false, 9),
        Err(LedgerError::NoSuchReceipt(n)) if n == "9"
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
fn a_z_is_sealed_once_and_its_seal_is_checked() {
    let (_dir, path) = temp();
    ledger_with_three_sales(&path);
    let mut l = Ledger::open(&path).unwrap();
    let (z, sealed) = report::close(&mut l, "t", false, None, "Olga").unwrap();
    assert_eq!((z.label.as_str(), z.totals.documents), ("Z1", 3));
    assert_eq!(sealed.chain_head, l.chain_head().unwrap());
    let again = report::close(&mut l, "t", false, None, "Olga").unwrap_err();
    assert!(
        again
            .to_string()
            .starts_with("nothing happened since Z1 (closed at "),
        "{again}"
    );
    assert_eq!(l.verify().unwrap().z_reports, 1);
    drop(l);
    for (sql, expected) in [
        (
            "UPDATE z_reports SET chain_head = 'x'",
            "Z1 of terminal t does not match the journal",
        ),
        (
            "UPDATE z_reports SET report = replace(report, '\"count\":3', '\"count\":4')",
            "the report of Z1 of terminal t differs from its journal",
        ),
        (
            "UPDATE sales SET z_id = NULL WHERE receipt_no = 2",
            "receipt 2 claims another Z report than the one that sealed it",
        ),
        (
            "PRAGMA foreign_keys = OFF; DELETE FROM z_reports",
            "journal entry 7 seals a Z report that is no longer in the ledger",
        ),
    ] {
        let (_d, copy) = temp();
        std::fs::copy(&path, &copy).unwrap();
        tamper(&copy, sql);
        let err = Ledger::open(&copy)
            .unwrap()
            .verify()
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{sql}\n  gave: {err}");
    }
}

#[test]
fn training_and_live_are_two_books_and_training_never_leaves_a_gap() {
    let (_dir, path) = temp();
    let mut l = Ledger::open(&path).unwrap();
    let mut demo = new_sale("front", "1");
    demo.training = true;
    let numbers: Vec<String> = [false, true, true, false, true, false]
        .into_iter()
        .map(|training| {
            let new = if training {
                demo.clone()
            } else {
                new_sale("front", "2")
            };
            l.insert_sale(&new, Utc::now()).unwrap().label()
        })
        .collect();
    assert_eq!(numbers, ["1", "T1", "T2", "2", "T3", "3"]);
    assert_eq!(
        l.sale_by_receipt("front", true, 2).unwrap().amount_minor,
        100
    );
    assert_eq!(l.verify().unwrap().sales, 6);
    drop(l);
    tamper(
        &path,
        "UPDATE sales SET receipt_no = 5 WHERE training = 1 AND receipt_no = 3",
    );
    let err = Ledger::open(&path)
        .unwrap()
        .verify()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("receipt numbers of terminal front jump from T2 to T5"),
        "{err}"
    );
}

#[test]
fn settings_that_money_depends_on_are_tamper_evident() {
    let (_dir, path) = temp();
    {
        let mut l = Ledger::open(&path).unwrap();
        l.set_settings(&[("shop_name", "Corner Café"), ("sound", "off")])
            .unwrap();
        l.set_setting("gateway_url", "https://dashboard.aurpay.net")
            .unwrap();
        // Writing the value it already has journals nothing.
        let head = l.chain_head().unwrap();
        l.set_setting("shop_name", "Corner Café").unwrap();
        assert_eq!(l.chain_head().unwrap(), head);
        l.verify().unwrap();
    }
    for (sql, expected) in [
        (
            "UPDATE settings SET value = 'https://evil.example' WHERE key = 'gateway_url'",
            "the setting gateway_url was changed outside the till",
        ),
        (
            "INSERT INTO staff (name, role, pin_hash, added_at) VALUES ('Mallory', 'owner', '$argon2id$forged', '2026-01-01T00:00:00Z')",
            "the staff does not match the journal",
        ),
        (
            "DELETE FROM settings WHERE key = 'shop_name'",
            "the setting shop_name was changed outside the till",
        ),
    ] {
        let (_d, copy) = temp();
        std::fs::copy(&path, &copy).unwrap();
        tamper(&copy, sql);
        let err = Ledger::open(&copy)
            .unwrap()
            .verify()
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{sql}\n  gave: {err}");
    }
    // A chime is configuration, not money: changing it by hand is not tampering.
    tamper(
        &path,
        "UPDATE settings SET value = 'on' WHERE key = 'sound'",
    );
    Ledger::open(&path).unwrap().verify().unwrap();
}

#[test]
fn a_printed_head_is_found_until_the_ledger_is_rewritten() {
    let (_dir, path) = temp();
    ledger_with_three_sales(&path);
    let l = Ledger::open(&path).unwrap();
    let head = l.chain_head().unwrap();
    let anchor = l.find_anchor(&head[..16]).unwrap().unwrap();
    assert_eq!((anchor.hash.as_str(), anchor.id), (head.as_str(), 6));
    // The same sales written again from scratch: a valid chain, but not the printed one.
    let (_d, other) = temp();
    ledger_with_three_sales(&other);
    let rewritten = Ledger::open(&other).unwrap();
    rewritten.verify().unwrap();
    assert_eq!(rewritten.find_anchor(&head[..16]).unwrap(), None);
    assert_eq!(l.find_anchor("ffffffffffffffff").unwrap(), None);
}

#[test]
fn settings_are_stored_and_replaced() {
    let mut l = Ledger::in_memory().unwrap();
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

/// A bulk load (writes that never pause) keeps the WAL small: it checkpoints in its own commits.
/// Before, the WAL grew without end while the background checkpointer fell behind (50 GB while
/// generating the benchmark's million sales).
#[test]
fn a_bulk_load_keeps_the_wal_small() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let mut l = Ledger::open(&path).unwrap();
    l.set_durable(false).unwrap();
    let wal = || {
        std::fs::metadata(dir.path().join("ledger.sqlite-wal"))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    let mut largest = 0;
    for i in 0..20_000 {
        l.insert_sale(&new_sale("t", &format!("{}", i % 500 + 1)), Utc::now())
            .unwrap();
        largest = largest.max(wal());
    }
    l.set_durable(true).unwrap();
    assert!(
        largest < till_core::ledger::WAL_LIMIT,
        "the WAL reached {largest} bytes"
    );
    assert_eq!(l.verify().unwrap().sales, 20_000);
}
