//! Z reports: every document lands in exactly one Z, and a day closed late seals that day and no
//! more.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use serde_json::json;
use till_core::{
    ledger::{Ledger, LedgerError, RefundMethod},
    report::{self},
    sale::SaleState,
};

mod common;

use common::books::{sale_at, shop};

/// The rule of the README, case by case: each Z seals every document of its book since the one
/// before, so nothing lands in no Z and nothing in two.
#[test]
fn every_document_lands_in_exactly_one_z() {
    let mut l = shop(); // receipts 1..6 on 2026-11-20 10:00 Zurich; 4 timed out
    let (z1, s1) = report::close(&mut l, "front", false, None, "Olga").unwrap();
    assert_eq!((z1.label.as_str(), z1.totals.documents), ("Z1", 6));

    // A sale rung up after the close, a refund of a Z1 sale, and the late payment of the sale Z1
    // sealed as timed out: all in Z2, the late payment called out with where it came from.
    let later = sale_at(&mut l, "2", Utc::now());
    let first = l.sale_by_receipt("front", false, 1).unwrap();
    l.insert_refund(
        &till_core::ledger::NewRefund {
            sale_id: first.id,
            amount_minor: 250,
            reason: "chipped cup".into(),
            method: RefundMethod::Cash,
            lightning: None,
            items: None,
            made_by: None,
            approved_by: None,
        },
        Utc::now(),
    )
    .unwrap()
    .unwrap();
    let timed_out = l.sale_by_receipt("front", false, 4).unwrap();
    l.update_sale::<LedgerError>(timed_out.id, Utc::now(), |x| {
        x.state = SaleState::PaidLate;
        x.paid_at = Some(Utc::now());
        Ok(Some(("status", json!({"status": "SUCCESS"}))))
    })
    .unwrap();
    let x = report::x_report(&l, "front", false).unwrap();
    assert_eq!(x.totals.documents, 3);
    let (z2, s2) = report::close(&mut l, "front", false, None, "Olga").unwrap();
    assert_eq!(z2.totals, x.totals);
    assert_eq!(z2.from.as_deref(), Some(s1.cutoff.as_str()));
    assert_eq!(z2.totals.late_payments.len(), 1);
    let late = &z2.totals.late_payments[0];
    assert_eq!(
        (late.receipt_no, late.from_z, late.amount.as_str()),
        (4, 1, "9.00")
    );
    assert_eq!(z2.totals.refunds[0].amount, "2.50");
    assert_eq!(
        z2.totals.received[0].amount, "11.00",
        "the 2.00 sale and the 9.00 paid late; the refund is apart"
    );
    assert_eq!(z2.totals.net[0].amount, "8.50");
    assert!(
        report::render(&z2).contains("paid late Z1"),
        "{}",
        report::render(&z2)
    );
    // Z1 still says what it said: the sale was timed out when it was sealed.
    let z1_again = report::sealed_report(&l.z_report("front", false, 1).unwrap().unwrap()).unwrap();
    assert_eq!(z1_again.totals, z1.totals);

    // Each sale is sealed once, and its late payment once.
    let sealed_by = |id: i64| {
        let p1 = l.sealed_by(&s1).unwrap();
        let p2 = l.sealed_by(&s2).unwrap();
        (
            p1.sales.iter().filter(|s| s.id == id).count()
                + p2.sales.iter().filter(|s| s.id == id).count(),
            p1.late.iter().filter(|x| x.sale.id == id).count()
                + p2.late.iter().filter(|x| x.sale.id == id).count(),
        )
    };
    assert_eq!(sealed_by(later), (1, 0));
    assert_eq!(sealed_by(timed_out.id), (1, 1));
    assert_eq!(sealed_by(first.id), (1, 0));
    let v = l.verify().unwrap();
    assert_eq!(
        v.z_reports, 2,
        "both Z reports were re-added from the journal"
    );
}

/// A day closed late (`close-day --day`) seals that day only; what came after waits for the next
/// Z; a cutoff before the last Z's is refused.
#[test]
fn a_day_closed_late_seals_that_day_and_no_more() {
    let mut l = Ledger::in_memory().unwrap();
    l.set_setting(report::TIMEZONE_SETTING, "Europe/Zurich")
        .unwrap();
    let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
    sale_at(&mut l, "1", at(20, 9));
    sale_at(&mut l, "2", at(20, 22)); // 23:00 in Zurich: still the 20th
    let next_day = sale_at(&mut l, "3", at(20, 23)); // midnight in Zurich: the 21st
    let (z1, _) = report::close(
        &mut l,
        "front",
        false,
        Some(report::parse_day("2026-11-20").unwrap()),
        "Olga",
    )
    .unwrap();
    assert_eq!(
        (z1.totals.documents, z1.totals.received[0].amount.as_str()),
        (2, "3.00")
    );
    assert_eq!(z1.to.as_deref(), Some("2026-11-20T22:59:59.999Z"));
    let (z2, _) = report::close(&mut l, "front", false, None, "Olga").unwrap();
    assert_eq!(z2.totals.documents, 1);
    assert_eq!(l.sale(next_day).unwrap().unwrap().receipt_no, 3);
    let err = report::close(
        &mut l,
        "front",
        false,
        Some(report::parse_day("2026-11-20").unwrap()),
        "Olga",
    )
    .unwrap_err();
    assert!(err.to_string().contains("is sealed already by Z2"), "{err}");
    l.verify().unwrap();
}

/// The journal alone (what the shop's server holds of a till) gives the same Zs, with the same
/// documents, and the same open figures as the ledger's own reports; a changed entry is named.
#[test]
fn the_journal_replayed_alone_gives_the_same_books() {
    use till_core::verify::{Documents, Replay};
    let mut l = shop();
    let (z1, _) = report::close(&mut l, "front", false, None, "Olga").unwrap();
    sale_at(&mut l, "2", Utc::now());
    sale_at(&mut l, "3.50", Utc::now());
    let x = report::x_report(&l, "front", false).unwrap();

    let mut entries = Vec::new();
    l.each_entry(|e| {
        entries.push(e);
        Ok(())
    })
    .unwrap();
    let mut r = Replay::new();
    for e in entries.iter().cloned() {
        r.push(e).unwrap();
    }
    assert_eq!(r.head(), l.chain_head().unwrap());
    assert_eq!(r.zs().len(), 1);
    let z = &r.zs()[0];
    assert_eq!((z.z.label().as_str(), z.z.z_no), ("Z1", 1));
    assert_eq!(z.report.totals, z1.totals);
    assert_eq!(Documents::totals(&[&z.documents]), z1.totals);
    assert_eq!(z.documents.len(), 6);
    let open = r.unsealed(false);
    assert_eq!(Documents::totals(&[&open]), x.totals);
    assert_eq!(open.len(), 2);
    let training = report::x_report(&l, "front", true).unwrap();
    assert!(
        training.totals.documents > 0,
        "the fixture has a training sale"
    );
    assert_eq!(Documents::totals(&[&r.unsealed(true)]), training.totals);
    // Two periods added up together equal the sum of their figures.
    let both = Documents::totals(&[&z.documents, &open]);
    assert_eq!(both.documents, z1.totals.documents + x.totals.documents);

    // One byte changed in a sale's snapshot: the entry is named, nothing else is taken.
    let mut bad = entries.clone();
    let i = bad.iter().position(|e| e.snapshot.is_some()).unwrap();
    let changed = bad[i]
        .snapshot
        .as_ref()
        .unwrap()
        .replacen("\"memo\":\"", "\"memo\":\"x", 1);
    assert_ne!(
        &changed,
        bad[i].snapshot.as_ref().unwrap(),
        "the test changes something"
    );
    bad[i].snapshot = Some(changed);
    let mut r = Replay::new();
    let err = bad
        .into_iter()
        .try_for_each(|e| r.push(e))
        .unwrap_err()
        .to_string();
    assert!(err.contains(&format!("journal entry {}", i + 1)), "{err}");
    assert_eq!(r.entries(), i as u64);
}
