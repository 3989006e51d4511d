//! `till-bench`: measures Till against the budgets of ARCHITECTURE.md and writes the figures as
//! JSON (`results.json`) and as a Markdown table (`results.md`) into the output folder.
//! `cargo xtask bench` builds it in release mode, runs it, then adds the whole-app measurements
//! (cold start, memory) made through the real window.
//!
//! ```text
//! till-bench [--out DIR] [--sales N] [--quick] [--till PATH] [--sqlite3 PATH]
//! ```

mod charge;
mod ledger;
#[cfg(target_os = "linux")]
mod link;
mod paid;
mod shop;
mod stats;

use std::path::PathBuf;

use serde_json::json;

struct Args {
    out: PathBuf,
    sales: u64,
    quick: bool,
    till: Option<PathBuf>,
    sqlite3: Option<PathBuf>,
    /// Only the shop link's figures (`--shop-link`).
    shop_link: bool,
}

fn args() -> anyhow::Result<Args> {
    let mut a = Args {
        out: PathBuf::from("target/bench"),
        sales: 1_000_000,
        quick: false,
        till: None,
        sqlite3: None,
        shop_link: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| anyhow::anyhow!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--out" => a.out = value()?.into(),
            "--sales" => a.sales = value()?.parse()?,
            "--quick" => a.quick = true,
            "--shop-link" => a.shop_link = true,
            "--till" => a.till = Some(value()?.into()),
            "--sqlite3" => a.sqlite3 = Some(value()?.into()),
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    anyhow::ensure!(
        a.sales >= ledger::PER_DAY,
        "--sales must be at least {}",
        ledger::PER_DAY
    );
    Ok(a)
}

fn main() -> anyhow::Result<()> {
    let a = args()?;
    std::fs::create_dir_all(&a.out)?;
    let n = |full: usize, quick: usize| if a.quick { quick } else { full };
    let rt = tokio::runtime::Runtime::new()?;
    let mut all = Vec::new();

    if a.shop_link {
        #[cfg(target_os = "linux")]
        for s in rt.block_on(link::run(10_000, n(20, 5)))? {
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                s.name, s.samples, s.median_ms, s.p95_ms, s.p99_ms, s.max_ms
            );
        }
        return Ok(());
    }

    eprintln!("== charge to QR");
    all.extend(rt.block_on(charge::run(n(2000, 200)))?);
    all.push(charge::qr_only(n(2000, 200))?);

    eprintln!("== paid event");
    let (paid, rates) = rt.block_on(paid::run(n(40, 8), if a.quick { 4 } else { 20 }))?;
    all.push(paid);

    eprintln!("== ledger of {} sales", a.sales);
    let dir = a.out.join(format!("ledger-{}", a.sales));
    let started = std::time::Instant::now();
    let path = ledger::generate(&dir, a.sales)?;
    eprintln!("  ready in {:.0} s", started.elapsed().as_secs_f64());
    all.extend(ledger::report_and_export(&path, a.sales, n(30, 5))?);
    all.extend(ledger::startup(&path, a.sales, n(30, 5))?);
    all.extend(ledger::transitions(&path, n(500, 50))?);
    all.push(ledger::fsync_floor(&dir, n(500, 50))?);
    if let Some(till) = &a.till {
        all.extend(ledger::processes(
            &dir,
            a.sales,
            till,
            a.sqlite3.as_deref(),
            n(10, 3),
        )?);
    }

    #[cfg(target_os = "linux")]
    {
        eprintln!("== shop link");
        all.extend(rt.block_on(link::run(10_000, n(20, 5)))?);
    }

    let mut md = String::from(
        "| what | samples | median ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n",
    );
    for s in &all {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            s.name, s.samples, s.median_ms, s.p95_ms, s.p99_ms, s.max_ms
        ));
    }
    md.push_str("\n| watcher polling | requests per open sale per second |\n|---|---|\n");
    for r in &rates {
        md.push_str(&format!(
            "| {} open sale(s), {:.0} s | {:.2} |\n",
            r.open_sales, r.seconds, r.per_sale_per_second
        ));
    }
    print!("{md}");
    std::fs::write(a.out.join("results.md"), &md)?;
    std::fs::write(
        a.out.join("results.json"),
        serde_json::to_vec_pretty(&json!({"sales": a.sales, "measures": all, "polling": rates}))?,
    )?;
    Ok(())
}
