//! The ledger at size: a generated ledger of paid sales (10,000 a day in UTC days, each day
//! closed by its Z report as a shop would), its day report and day export, the reads the till
//! makes at start-up against an empty ledger's, a durable transition on it, and whole-process
//! comparisons with the `till` command and `sqlite3`.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::Context;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::json;
use till_core::{
    export::{self, ExportFormat},
    ledger::{Ledger, LedgerError, NewSale},
    money::{Currency, Fiat},
    report,
    sale::SaleState,
    settings,
};

use crate::stats::{summarise, Summary};

/// Sales per generated day.
pub const PER_DAY: u64 = 10_000;
/// Names the generated ledger's size and the ledger format it was generated in: another value
/// means it is generated again.
const MARKER: &str = "bench_generated_sales_v3";

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

fn at(i: u64) -> DateTime<Utc> {
    let day = first_day() + chrono::Days::new(i / PER_DAY);
    // Spread over the shop's opening hours, 07:00 to 21:00.
    let seconds = 7 * 3600 + (i % PER_DAY) * (14 * 3600) / PER_DAY;
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        + chrono::Duration::seconds(seconds as i64)
}

/// The middle day of a ledger of `sales`.
pub fn middle_day(sales: u64) -> NaiveDate {
    first_day() + chrono::Days::new((sales / PER_DAY) / 2)
}

/// Makes (or reuses) `dir/ledger.sqlite` with `sales` paid sales, each written as the till writes
/// them (insert, then the paid transition, both journaled), with fsync off while loading.
pub fn generate(dir: &Path, sales: u64) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(till_core::ledger::FILE_NAME);
    if path.exists() {
        let l = Ledger::open(&path)?;
        if l.setting(MARKER)?.as_deref() == Some(sales.to_string().as_str()) {
            return Ok(path);
        }
        drop(l);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    let mut l = Ledger::open(&path)?;
    l.set_durable(false)?;
    l.set_setting(report::TIMEZONE_SETTING, "UTC")?;
    l.set_setting(settings::TERMINAL, "bench")?;
    let usd = Currency::from_code("USD")?;
    let started = Instant::now();
    for i in 0..sales {
        let t = at(i);
        let minor = 100 + (i as i64 * 37) % 9_900;
        let fiat = Fiat {
            minor,
            currency: usd,
        };
        let sale = l.insert_sale(
            &NewSale {
                memo: if i % 7 == 0 {
                    format!("table {}", i % 40)
                } else {
                    String::new()
                },
                ..NewSale::keyed("bench", fiat, "ana")
            },
            t,
        )?;
        l.update_sale::<LedgerError>(sale.id, t + chrono::Duration::seconds(20), |s| {
            s.state = SaleState::Paid;
            s.order_id = Some(format!(
                "{:020}",
                20_260_000_000_000_000_000u128 + u128::from(i)
            ));
            s.amount_msat = Some(minor as u64 * 10_000_000 / 100);
            s.rate = Some("100000".into());
            s.payment_hash = Some(format!("{:064x}", i));
            s.paid_at = Some(t + chrono::Duration::seconds(20));
            Ok(Some(("paid", json!({"status": "SUCCESS"}))))
        })?;
        if (i + 1) % PER_DAY == 0 {
            let day = first_day() + chrono::Days::new(i / PER_DAY);
            report::close(&mut l, "bench", false, Some(day), "Olga")?;
        }
        if (i + 1) % 100_000 == 0 {
            eprintln!(
                "  generated {} sales in {:.0} s",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    l.set_setting(MARKER, &sales.to_string())?;
    l.set_durable(true)?;
    Ok(path)
}

/// The day report and the day export of the middle day, in process.
pub fn report_and_export(path: &Path, sales: u64, samples: usize) -> anyhow::Result<Vec<Summary>> {
    let l = Ledger::open(path)?;
    let day = middle_day(sales);
    // The first report after opening reads the day's pages from disk; it is kept apart.
    let t = Instant::now();
    report::day_report(&l, day - chrono::Days::new(1), "bench", false)?;
    let first = t.elapsed();
    let (mut reports, mut exports) = (Vec::new(), Vec::new());
    for _ in 0..samples {
        let t = Instant::now();
        let r = report::day_report(&l, day, "bench", false)?;
        reports.push(t.elapsed());
        anyhow::ensure!(
            r.totals.received.first().map(|x| x.count) == Some(PER_DAY),
            "a day holds {PER_DAY} sales"
        );
        let t = Instant::now();
        let e = export::days(&l, day, day, false, ExportFormat::Csv)?;
        exports.push(t.elapsed());
        anyhow::ensure!(e.sales as u64 == PER_DAY);
    }
    Ok(vec![
        summarise(
            "day report, the first after opening the ledger",
            vec![first],
        ),
        summarise("day report of a 10,000-sale day", reports),
        summarise("CSV export of a 10,000-sale day, in process", exports),
    ])
}

/// What the till reads when it starts (the watcher's open sales, unacknowledged late payments,
/// the customer display's current sale, the open period's X report, the last Z), on a ledger
/// just opened: on the big ledger and on an empty one. Indexes make them cost the same.
pub fn startup(path: &Path, sales: u64, samples: usize) -> anyhow::Result<Vec<Summary>> {
    let empty = tempfile::tempdir()?;
    {
        let mut l = Ledger::open_in(empty.path())?;
        l.set_setting(report::TIMEZONE_SETTING, "UTC")?;
    }
    let read = |p: &Path| -> anyhow::Result<Duration> {
        let t = Instant::now();
        let l = Ledger::open(p)?;
        l.watched_sales(Utc::now())?;
        l.unacknowledged_paid_late("bench", false)?;
        l.open_sales("bench", false)?;
        report::x_report(&l, "bench", false)?;
        l.last_z("bench", false)?;
        Ok(t.elapsed())
    };
    let empty_path = empty.path().join(till_core::ledger::FILE_NAME);
    let (mut big, mut small) = (Vec::new(), Vec::new());
    for _ in 0..samples {
        big.push(read(path)?);
        small.push(read(&empty_path)?);
    }
    Ok(vec![
        summarise(
            &format!(
                "open + start-up reads, {}-sale ledger",
                till_core::money::grouped(sales)
            ),
            big,
        ),
        summarise("open + start-up reads, empty ledger", small),
    ])
}

/// Durable transitions on the big ledger: a sale written, and a sale changed, each committed
/// with fsync.
pub fn transitions(path: &Path, samples: usize) -> anyhow::Result<Vec<Summary>> {
    let mut l = Ledger::open(path)?;
    let usd = Currency::from_code("USD")?;
    let (mut inserts, mut updates) = (Vec::new(), Vec::new());
    let twelve_fifty = Fiat {
        minor: 1250,
        currency: usd,
    };
    for _ in 0..samples {
        let now = Utc::now();
        let t = Instant::now();
        let sale = l.insert_sale(
            &NewSale {
                training: true,
                ..NewSale::keyed("bench-live", twelve_fifty, "")
            },
            now,
        )?;
        inserts.push(t.elapsed());
        let t = Instant::now();
        l.update_sale::<LedgerError>(sale.id, now, |s| {
            s.state = SaleState::Failed;
            s.error = Some("benchmark".into());
            Ok(Some(("create_failed", json!({}))))
        })?;
        updates.push(t.elapsed());
    }
    Ok(vec![
        summarise("durable sale insert (committed, fsync)", inserts),
        summarise("durable sale transition (committed, fsync)", updates),
    ])
}

/// The plain floor under any durable commit: 4 KiB written and `fdatasync`ed, on the same disk.
pub fn fsync_floor(dir: &Path, samples: usize) -> anyhow::Result<Summary> {
    use std::io::Write;
    let mut f = std::fs::File::create(dir.join("fsync-floor.bin"))?;
    let block = [7u8; 4096];
    let mut v = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        f.write_all(&block)?;
        f.sync_data()?;
        v.push(t.elapsed());
    }
    drop(f);
    let _ = std::fs::remove_file(dir.join("fsync-floor.bin"));
    Ok(summarise("plain 4 KiB write + fdatasync, same disk", v))
}

fn time_process(mut c: Command, samples: usize, what: &str) -> anyhow::Result<Vec<Duration>> {
    let mut v = Vec::new();
    for _ in 0..samples {
        let t = Instant::now();
        let out = c.output().with_context(|| format!("cannot run {what}"))?;
        v.push(t.elapsed());
        anyhow::ensure!(
            out.status.success(),
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(v)
}

/// Whole processes: `till export` of the day against `sqlite3 -csv` of the same rows, and
/// `till verify` over the whole chain.
pub fn processes(
    dir: &Path,
    sales: u64,
    till: &Path,
    sqlite3: Option<&Path>,
    samples: usize,
) -> anyhow::Result<Vec<Summary>> {
    let day = middle_day(sales);
    let out = tempfile::tempdir()?;
    let mut export = Command::new(till);
    export
        .env("TILL_DATA_DIR", dir)
        .args([
            "export",
            "--day",
            &day.to_string(),
            "--format",
            "csv",
            "--output",
        ])
        .arg(out.path().join("day.csv"));
    let mut v = vec![summarise(
        "till export --day (whole process)",
        time_process(export, samples, "till export")?,
    )];
    if let Some(sqlite3) = sqlite3 {
        let (from, to) = report::day_bounds(day, chrono_tz::UTC);
        let sql = format!(
            "SELECT receipt_no, created_at, paid_at, state, amount_minor, currency, amount_msat, rate, order_id, \
             payment_hash, memo, terminal, cashier, training FROM sales WHERE created_at >= '{}' AND created_at < '{}' ORDER BY created_at",
            till_core::ledger::time_text(from),
            till_core::ledger::time_text(to)
        );
        let mut c = Command::new(sqlite3);
        c.args(["-readonly", "-csv", "-header"])
            .arg(dir.join(till_core::ledger::FILE_NAME))
            .arg(sql);
        v.push(summarise(
            "sqlite3 -csv of the same rows (whole process)",
            time_process(c, samples, "sqlite3")?,
        ));
    }
    let mut verify = Command::new(till);
    verify.env("TILL_DATA_DIR", dir).arg("verify");
    v.push(summarise(
        "till verify over the whole ledger (whole process)",
        time_process(verify, samples.clamp(1, 3), "till verify")?,
    ));
    Ok(v)
}
