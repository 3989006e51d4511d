//! The start-up reads cost the same on a ledger of years as on a new one: counted in SQLite
//! virtual-machine steps, which are exact and the same on every run (a timed test would be
//! neither). Without the named indexes these reads walk every sale a book ever had.

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

use chrono::Utc;
use serde_json::json;

use super::{Ledger, LedgerError, NewSale};
use crate::{
    money::{Currency, Fiat},
    report,
    sale::SaleState,
};

const TERMINAL: &str = "till-1";

/// Adds `n` finished sales and seals them with a Z report.
fn add_sealed_sales(ledger: &mut Ledger, n: usize) {
    let twelve_fifty = Fiat {
        minor: 1250,
        currency: Currency::from_code("USD").unwrap(),
    };
    ledger.set_durable(false).unwrap();
    for _ in 0..n {
        let sale = ledger
            .insert_sale(&NewSale::keyed(TERMINAL, twelve_fifty, ""), Utc::now())
            .unwrap();
        ledger
            .update_sale::<LedgerError>(sale.id, Utc::now(), |s| {
                s.state = SaleState::Failed;
                s.error = Some("test".into());
                Ok(Some(("create_failed", json!({}))))
            })
            .unwrap();
    }
    ledger.set_durable(true).unwrap();
    report::close(ledger, TERMINAL, false, None, "Olga").unwrap();
}

/// The virtual-machine steps the till's start-up reads take.
fn startup_steps(ledger: &Ledger) -> u64 {
    let steps = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&steps);
    ledger
        .conn()
        .progress_handler(
            1,
            Some(move || {
                counter.fetch_add(1, Ordering::Relaxed);
                false
            }),
        )
        .unwrap();
    let now = Utc::now();
    ledger.watched_sales(now).unwrap();
    ledger.unacknowledged_paid_late(TERMINAL, false).unwrap();
    ledger.open_sales(TERMINAL, false).unwrap();
    // The customer display's first look.
    ledger.latest_sale(TERMINAL, false).unwrap();
    ledger.open_period(TERMINAL, false, now).unwrap();
    ledger.last_z(TERMINAL, false).unwrap();
    ledger
        .conn()
        .progress_handler(1, None::<fn() -> bool>)
        .unwrap();
    steps.load(Ordering::Relaxed)
}

#[test]
fn start_up_reads_do_not_grow_with_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open_in(dir.path()).unwrap();
    ledger.set_setting(report::TIMEZONE_SETTING, "UTC").unwrap();
    add_sealed_sales(&mut ledger, 50);
    // Warm the statement cache, so both counts are of running the reads, not preparing them.
    startup_steps(&ledger);
    let small = startup_steps(&ledger);
    add_sealed_sales(&mut ledger, 2_000);
    let big = startup_steps(&ledger);
    assert!(small > 0, "the counter counts");
    assert!(
        big <= small + small / 10,
        "start-up reads took {small} steps over 50 sealed sales and {big} over 2,050"
    );
}

#[test]
fn the_page_cache_is_the_small_one() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open_in(dir.path()).unwrap();
    let kib: i64 = ledger
        .conn()
        .query_row("PRAGMA cache_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        kib,
        -super::PAGE_CACHE_KIB,
        "negative: KiB rather than pages"
    );
}
