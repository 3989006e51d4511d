//! Criterion benchmarks of the till's hot operations, on a durable ledger on disk:
//! a sale written (insert, committed), a sale changed (update, committed), the QR of an invoice,
//! and the day report and day export of a 2,000-sale ledger. `cargo xtask bench` runs these
//! beside `till-bench`, whose per-operation percentiles are what BENCHMARKS.md compares with the
//! budgets.

#![allow(clippy::unwrap_used, missing_docs)]

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use till_core::{
    export::{self, ExportFormat},
    ledger::{Ledger, LedgerError, NewSale},
    money::{Currency, Fiat},
    qr, report,
    sale::SaleState,
};

fn new_sale(minor: i64) -> NewSale {
    let currency = Currency::from_code("USD").unwrap();
    NewSale::keyed("bench", Fiat { minor, currency }, "")
}

fn durable(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("ledger.sqlite")).unwrap();
    c.bench_function("durable sale insert", |b| {
        b.iter(|| l.insert_sale(&new_sale(1250), Utc::now()).unwrap())
    });
    let id = l.insert_sale(&new_sale(1250), Utc::now()).unwrap().id;
    let mut flip = false;
    c.bench_function("durable sale update", |b| {
        b.iter(|| {
            flip = !flip;
            l.update_sale::<LedgerError>(id, Utc::now(), |s| {
                s.memo = if flip { "a".into() } else { "b".into() };
                Ok(Some(("note", json!({}))))
            })
            .unwrap()
        })
    });
}

fn qr_svg(c: &mut Criterion) {
    let uri = qr::invoice_uri("lnbcrt125u1p4sf4dhdp5x93rjer9x4jrye3kvvmkgwp5xyckgdp3vd3nyv34xccxywfhvvussp5qyvqqxmdtcxe3ye8dvzvq45dl6tmyqp5nthdpzwvflwl5ss3vskq9qyysgqcqpcxqyz5vqrzjqwfn3p9278ttzzpe0e00uhyxhned3j5d9acqak5emwfpflp8z2cnflctr6qq3f7mrsq");
    c.bench_function("invoice QR as SVG", |b| b.iter(|| qr::svg(&uri).unwrap()));
}

fn day(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("ledger.sqlite")).unwrap();
    l.set_durable(false).unwrap();
    l.set_setting(report::TIMEZONE_SETTING, "UTC").unwrap();
    l.set_setting(till_core::settings::TERMINAL, "bench")
        .unwrap();
    let start = Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap();
    for i in 0..2_000i64 {
        let t = start + chrono::Duration::seconds(i * 20);
        let s = l.insert_sale(&new_sale(100 + i), t).unwrap();
        l.update_sale::<LedgerError>(s.id, t, |s| {
            s.state = SaleState::Paid;
            s.amount_msat = Some(1_000_000);
            s.paid_at = Some(t);
            Ok(Some(("paid", json!({}))))
        })
        .unwrap();
    }
    l.set_durable(true).unwrap();
    let d = report::parse_day("2026-11-20").unwrap();
    c.bench_function("day report, 2,000 sales", |b| {
        b.iter(|| report::day_report(&l, d, "bench", false).unwrap())
    });
    c.bench_function("X report of an open period of 2,000 sales", |b| {
        b.iter(|| report::x_report(&l, "bench", false).unwrap())
    });
    c.bench_function("day CSV export, 2,000 sales", |b| {
        b.iter(|| export::days(&l, d, d, false, ExportFormat::Csv).unwrap())
    });
}

criterion_group!(benches, durable, qr_svg, day);
criterion_main!(benches);
