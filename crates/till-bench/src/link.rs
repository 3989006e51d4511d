//! The shop link (issue 19): a till's journal forwarded to a throwaway PostgreSQL cluster on
//! loopback, and the shop's books read back and reported.
//!
//! A till of `entries` journal entries (paid sales, two entries each) sends its whole journal
//! at once, as a till joining a shop with its history does: how long the whole takes, and how
//! long each round takes once it is caught up (the app's every-ten-seconds round). Then the
//! shop's X report: every till's journal read and replayed, what every report and close does.

use std::time::Instant;

use till_core::ledger::Ledger;
use till_shop::{
    books, connect, forward, server,
    testing::{self, Cluster},
};

use crate::stats::{summarise, Summary};

/// A till with `entries` journal entries of paid sales.
fn till_with(entries: usize) -> anyhow::Result<Ledger> {
    let mut l = Ledger::in_memory()?;
    for i in 0..entries / 2 {
        testing::sell_paid(&mut l, "bench", 100 + i64::try_from(i % 5000)?);
    }
    Ok(l)
}

/// The whole journal forwarded, a caught-up round `rounds` times, the shop's X report `rounds`
/// times.
pub async fn run(entries: usize, rounds: usize) -> anyhow::Result<Vec<Summary>> {
    let cluster = Cluster::start();
    server::init(&cluster.admin(), "Europe/Zurich").await?;
    let login = server::join(&cluster.admin(), "bench").await?;
    let url = cluster.till(&login);
    let mut ledger = till_with(entries)?;
    let held = ledger.last_entry_id()?;
    let client = connect(&url).await?;

    let started = Instant::now();
    let sent = forward::sync_once(&mut ledger, &client, "bench").await?;
    let whole = started.elapsed();
    anyhow::ensure!(sent.accepted == held, "sent {} of {held}", sent.accepted);
    eprintln!(
        "  {held} entries forwarded in {:.2} s ({:.0} entries/s)",
        whole.as_secs_f64(),
        held as f64 / whole.as_secs_f64()
    );
    let mut out = vec![summarise(
        &format!("shop link: a till's {held} journal entries forwarded whole"),
        vec![whole],
    )];

    let mut caught_up = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let s = forward::sync_once(&mut ledger, &client, "bench").await?;
        caught_up.push(t.elapsed());
        anyhow::ensure!(s.accepted == 0, "a caught-up round sent {}", s.accepted);
    }
    out.push(summarise(
        "shop link: a round with nothing to send",
        caught_up,
    ));

    let tz: chrono_tz::Tz = "Europe/Zurich".parse()?;
    let mut reports = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let shop = books::read(&client).await?;
        let x = shop.x_report(tz, chrono::Utc::now())?;
        reports.push(t.elapsed());
        anyhow::ensure!(
            x.report.totals.documents == (held / 2) as u64,
            "the X report counted {} documents",
            x.report.totals.documents
        );
    }
    out.push(summarise(
        &format!("shop X report over {held} journal entries (read and replayed)"),
        reports,
    ));
    Ok(out)
}
