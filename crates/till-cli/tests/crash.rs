//! The crash driver: many sales through `till` against the simulator, the process killed with
//! SIGKILL at random points (during the create call, while waiting, during `watch`, during an
//! export, a cash sale, a shift's close), restarted each time, the customer paying some orders in
//! between. At the end every order the gateway knows is in the ledger once, with the gateway's
//! status; no sale is left half-made; receipt numbers have no gaps; the ledger verifies; an export
//! killed half-way never leaves half a file; every cash sale is paid, in exactly one shift's
//! drawer, and the day's Z counts the same cash by tender and by shift.
//!
//! Bounded: `TILL_CRASH_ROUNDS` rounds (60) within 90 s. The seed is printed and can be replayed
//! with `TILL_CRASH_SEED`.

#![allow(clippy::unwrap_used)]

mod common;

use std::{
    collections::{BTreeMap, BTreeSet},
    process::Stdio,
    time::{Duration, Instant},
};

use aurpay::OrderStatus;
use aurpay_sim::{Fault, FaultRule};
use common::{against, json_lines, run, sim, start, stderr, till};

/// A small deterministic generator (SplitMix64): the same seed replays the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sales_survive_sigkill_at_random_points() {
    let seed = env_number(
        "TILL_CRASH_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    );
    eprintln!("crash driver seed {seed} (replay with TILL_CRASH_SEED={seed})");
    let mut rng = Rng(seed);
    let rounds = env_number("TILL_CRASH_ROUNDS", 60);
    let deadline = Instant::now() + Duration::from_secs(90);
    let sim = sim(Duration::from_secs(1800)).await;
    let dir = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    let (mut kills, mut finished) = (BTreeMap::<&str, u32>::new(), 0u32);
    let opened = run(
        against(dir.path(), &sim),
        &["shift", "open", "--float", "100.00"],
    );
    assert!(opened.status.success(), "{}", stderr(&opened));

    for round in 0..rounds {
        if Instant::now() > deadline {
            break;
        }
        let amount = format!("{}.{:02}", 1 + rng.below(40), rng.below(100));
        if rng.below(3) == 0 {
            // A slow gateway widens the window in which the create call is killed.
            sim.state().inject(FaultRule {
                path: "/api/bln/order".into(),
                fault: Fault::Delay {
                    ms: 100 + rng.below(600),
                },
                count: 1,
            });
        }
        let export = exports.path().join(format!("export-{round}.csv"));
        // How long to let it run before the kill: short for the quick commands, so the kill lands
        // inside the create call or the export's write.
        let (what, args, window): (&str, Vec<String>, u64) = match rng.below(6) {
            0 => (
                "charge",
                vec!["--json".into(), "charge".into(), amount],
                120,
            ),
            1 => (
                "charge --wait",
                vec!["--json".into(), "charge".into(), amount, "--wait".into()],
                800,
            ),
            3 => (
                "charge --cash",
                vec![
                    "--json".into(),
                    "charge".into(),
                    amount,
                    "--cash".into(),
                    "--tendered".into(),
                    "50.00".into(),
                ],
                20,
            ),
            4 => (
                "shift close",
                vec![
                    "shift".into(),
                    "close".into(),
                    "--counted".into(),
                    "100.00".into(),
                ],
                60,
            ),
            2 => (
                "watch",
                vec!["--json".into(), "watch".into(), "--once".into()],
                800,
            ),
            _ => (
                "export",
                vec![
                    "export".into(),
                    "--format".into(),
                    "csv".into(),
                    "--output".into(),
                    export.display().to_string(),
                ],
                60,
            ),
        };
        let mut child = start(
            against(dir.path(), &sim)
                .args(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        tokio::time::sleep(Duration::from_millis(rng.below(window))).await;
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            *kills.entry(what).or_default() += 1;
        } else {
            finished += 1;
        }
        child.wait().unwrap();
        if what == "shift close" {
            // The next shift opens (refused, and harmless, when the close was killed before it
            // committed and the shift is still open).
            run(
                against(dir.path(), &sim),
                &["shift", "open", "--float", "100.00"],
            );
        }
        // A killed export leaves the whole file or none: it is written aside, then renamed.
        if export.exists() {
            let text = std::fs::read_to_string(&export).unwrap();
            assert!(
                text.starts_with("receipt_no,"),
                "a partial export: {text:.80}"
            );
            assert!(text.ends_with('\n'), "an export cut short");
        }
        // The customer pays some of what is waiting.
        for order in sim.state().orders() {
            if order.status == OrderStatus::Pending && rng.below(3) == 0 {
                sim.state().pay(&order.order_id).unwrap();
            }
        }
    }
    eprintln!("killed: {kills:?}; finished before the kill: {finished}");
    assert!(
        kills.values().sum::<u32>() >= 10,
        "the driver must really kill: {kills:?}"
    );

    // Restart and settle: a look at every open sale, after any create still in flight.
    sim.state().clear_faults();
    let mut last = Vec::new();
    for _ in 0..4 {
        let cmd = against(dir.path(), &sim);
        let out = tokio::task::spawn_blocking(move || run(cmd, &["--json", "watch", "--once"]))
            .await
            .unwrap();
        assert!(
            out.status.success() || out.status.code() == Some(3),
            "{}",
            stderr(&out)
        );
        last = json_lines(&out);
        if last
            .iter()
            .all(|s| s["status"] != "creating" && s["status"] != "uncertain")
        {
            break;
        }
    }

    let verify = run(till(dir.path()), &["verify"]);
    assert!(
        verify.status.success(),
        "the ledger must verify: {}",
        stderr(&verify)
    );
    let sales = json_lines(&run(till(dir.path()), &["--json", "sales"]));
    let mut receipts: Vec<i64> = sales
        .iter()
        .map(|s| s["receipt_no"].as_i64().unwrap())
        .collect();
    receipts.sort();
    assert_eq!(
        receipts,
        (1..=receipts.len() as i64).collect::<Vec<_>>(),
        "no gaps"
    );
    for s in &sales {
        assert!(
            !["creating", "uncertain"].contains(&s["status"].as_str().unwrap()),
            "left half-made: {s} (after {last:?})"
        );
    }

    let by_order: BTreeMap<String, &serde_json::Value> = sales
        .iter()
        .filter_map(|s| Some((s["order_id"].as_str()?.to_owned(), s)))
        .collect();
    let orders = sim.state().orders();
    let order_ids: BTreeSet<&str> = orders.iter().map(|o| o.order_id.as_str()).collect();
    assert_eq!(order_ids.len(), orders.len());
    for o in &orders {
        let sale = by_order.get(&o.order_id).unwrap_or_else(|| {
            panic!(
                "order {} (status {:?}) is not in the ledger: made twice or lost",
                o.order_id, o.status
            )
        });
        let expected: &[&str] = match o.status {
            OrderStatus::Success => &["paid", "paid_late"],
            OrderStatus::Pending => &["awaiting_payment"],
            _ => &["timed_out", "cancelled"],
        };
        assert!(
            expected.contains(&sale["status"].as_str().unwrap()),
            "order {} is {:?} at the gateway but {} in the ledger",
            o.order_id,
            o.status,
            sale["status"]
        );
    }
    assert_eq!(
        by_order.len(),
        orders.len(),
        "every ledger order is one gateway order"
    );
    eprintln!(
        "{} sales, {} orders at the gateway, all accounted for",
        sales.len(),
        orders.len()
    );
    cash_is_in_one_drawer(dir.path(), &sim, &sales);
}

/// Cents of a decimal text (`12.30` → 1230) for the sums below.
fn cents(text: &str) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, "0"));
    let sign = if whole.starts_with('-') { -1 } else { 1 };
    let whole: i64 = whole.trim_start_matches('-').parse().unwrap();
    let frac: i64 = format!("{frac:0<2}")[..2].parse().unwrap();
    sign * (whole * 100 + frac)
}

/// Every cash sale is paid and has no gateway order; once the last shift closes and the day
/// with it, the Z counts the same cash by tender as its shifts hold, and the ledger verifies.
fn cash_is_in_one_drawer(
    dir: &std::path::Path,
    sim: &aurpay_sim::RunningSim,
    sales: &[serde_json::Value],
) {
    let cash: Vec<&serde_json::Value> = sales.iter().filter(|s| s["tender"] == "cash").collect();
    for s in &cash {
        assert_eq!(s["status"], "paid", "a cash sale is paid when written: {s}");
        assert!(s["order_id"].is_null(), "a cash sale has no order: {s}");
    }
    let total: i64 = cash
        .iter()
        .map(|s| cents(s["amount"].as_str().unwrap()))
        .sum();
    // The day closes only with nothing waiting for the gateway: the customers pay the rest.
    for order in sim.state().orders() {
        if order.status == OrderStatus::Pending {
            sim.state().pay(&order.order_id).unwrap();
        }
    }
    let settled = run(against(dir, sim), &["--json", "watch", "--once"]);
    assert!(settled.status.success(), "{}", stderr(&settled));
    let close = run(against(dir, sim), &["shift", "close", "--counted", "0"]);
    assert!(close.status.success(), "{}", stderr(&close));
    let day = run(against(dir, sim), &["close-day"]);
    assert!(day.status.success(), "{}", stderr(&day));
    let z = &json_lines(&run(till(dir), &["--json", "report", "--z", "1"]))[0];
    let by_tender: i64 = z["tenders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["tender"] == "cash")
        .map(|t| cents(t["received"].as_str().unwrap()))
        .sum();
    let in_shifts: i64 = z["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| cents(s["cash_sales"].as_str().unwrap()))
        .sum();
    assert_eq!(
        (by_tender, in_shifts),
        (total, total),
        "{} cash sales of {total} cents: by tender {by_tender}, in the shifts {in_shifts}",
        cash.len()
    );
    let verify = run(till(dir), &["verify"]);
    assert!(verify.status.success(), "after the Z: {}", stderr(&verify));
    eprintln!(
        "{} cash sales in {} shifts, counted once each",
        cash.len(),
        z["shifts"].as_array().unwrap().len()
    );
}
