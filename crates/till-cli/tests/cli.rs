//! The `till` command as a black box: real processes, a real ledger file, the simulator on
//! 127.0.0.1 for a gateway, and SIGKILL in the middle of sales.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};

mod common;

use aurpay_sim::{Fault, FaultRule, RunningSim};
use common::{against, json_lines, run, sim, stderr, till};
use serde_json::Value;

fn ledger_sales(data: &Path) -> usize {
    let out = run(till(data), &["--json", "verify"]);
    assert!(out.status.success(), "verify failed: {}", stderr(&out));
    json_lines(&out)[0]["sales"].as_u64().unwrap() as usize
}

#[test]
fn a_demo_sale_is_paid_reported_exported_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        till(dir.path()),
        &[
            "--demo",
            "--json",
            "charge",
            "12.50",
            "--memo",
            "=cmd|' /C calc'!A0",
            "--wait",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["status"], "awaiting_payment");
    assert_eq!(lines[0]["receipt_no"], 1);
    assert_eq!(lines[0]["amount"], "12.50");
    assert_eq!(lines[0]["amount_msat"], 12_500_000);
    assert!(lines[0]["payment_request"]
        .as_str()
        .unwrap()
        .starts_with("lnbcrt"));
    assert_eq!(lines.last().unwrap()["status"], "paid");
    assert_eq!(
        lines.len(),
        2,
        "one line at creation, one per change: {lines:?}"
    );

    let demo_report = run(till(dir.path()), &["--demo", "report"]);
    assert!(String::from_utf8_lossy(&demo_report.stdout)
        .contains("RECEIVED                1        12.50 USD"));
    let live_report = run(till(dir.path()), &["report"]);
    assert!(String::from_utf8_lossy(&live_report.stdout)
        .contains("1 training (demo) sale(s) not counted here"));

    let csv = run(till(dir.path()), &["--demo", "export", "--format", "csv"]);
    let text = String::from_utf8_lossy(&csv.stdout);
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("receipt_no,created_at,paid_at,status,amount,currency,amount_msat"));
    let row = lines.next().unwrap();
    assert!(row.contains(",paid,12.50,USD,12500000,100000,"), "{row}");
    assert!(
        row.contains("'=cmd|' /C calc'!A0"),
        "the memo's formula is neutralised: {row}"
    );
    assert!(
        run(till(dir.path()), &["export"]).stdout.lines().count() == 1,
        "a live export leaves demo sales out"
    );

    let file = dir.path().join("out.json");
    let out = run(
        till(dir.path()),
        &[
            "--demo",
            "export",
            "--format",
            "json",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(v[0]["status"], "paid");
    assert_eq!(ledger_sales(dir.path()), 1);
}

#[test]
fn bad_input_is_refused_with_one_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    run(till(dir.path()), &["--demo", "charge", "1"]);
    let before = ledger_sales(dir.path());
    let cases: &[(&[&str], &str)] = &[
        (
            &["--demo", "charge", "0"],
            "the amount must be more than zero",
        ),
        (&["--demo", "charge", "12,50"], "uses a comma; use a point"),
        (
            &["--demo", "charge", "--", "-5"],
            "an amount cannot be negative",
        ),
        (&["--demo", "charge", "1.234"], "USD has 2 decimal place(s)"),
        (&["--demo", "charge", "1e9999"], "is not an amount"),
        (
            &["--demo", "charge", "99999999999999"],
            "is too large for one sale",
        ),
        (
            &["--demo", "charge", "5", "--currency", "XYZ"],
            "\"XYZ\" is not a currency code",
        ),
        (
            &["--demo", "status", "42"],
            "there is no sale with receipt number 42",
        ),
        (
            &["--demo", "cancel", "42"],
            "there is no sale with receipt number 42",
        ),
        (
            &["report", "--day", "2026-02-30"],
            "is not a date; write it as YYYY-MM-DD",
        ),
        (&["sales", "--day", "yesterday"], "is not a date"),
        (
            &["export", "--from", "2026-11-05", "--to", "2026-11-01"],
            "the range ends (2026-11-01) before it starts (2026-11-05)",
        ),
        (&["charge", "5"], "no gateway credentials"),
        (&["pin", "set"], "was expected on standard input"),
        (
            &[
                "--demo",
                "gateway",
                "withdraw",
                "lnbc1notaninvoice",
                "--yes",
            ],
            "not a valid Lightning invoice",
        ),
    ];
    for (args, expected) in cases {
        let out = run(till(dir.path()), args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(expected),
            "{args:?}\n  gave: {err}\n  want: {expected}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let long_memo = "m".repeat(10_000);
    let out = run(
        till(dir.path()),
        &["--demo", "charge", "1", "--memo", &long_memo],
    );
    assert!(stderr(&out).contains("the memo is longer than 200 characters"));
    assert_eq!(ledger_sales(dir.path()), before, "nothing was written");

    let usage = run(till(dir.path()), &["charge"]);
    assert_eq!(usage.status.code(), Some(2), "usage errors exit 2");
    let env = run(
        {
            let mut c = till(dir.path());
            c.env("AURPAY_NETWORK", "dogecoin");
            c
        },
        &["info"],
    );
    assert!(stderr(&env).contains("AURPAY_NETWORK"), "{}", stderr(&env));
}

#[test]
fn a_tampered_ledger_fails_verification() {
    let dir = tempfile::tempdir().unwrap();
    run(till(dir.path()), &["--demo", "charge", "1"]);
    run(till(dir.path()), &["--demo", "charge", "2"]);
    let c = rusqlite::Connection::open(dir.path().join("ledger.sqlite")).unwrap();
    c.execute("UPDATE sales SET amount_minor = 1 WHERE receipt_no = 2", [])
        .unwrap();
    drop(c);
    let out = run(till(dir.path()), &["verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("the ledger has been altered: sale with receipt 2 differs from its journal"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_sale_exits_3_and_a_live_status_check_sees_a_late_payment() {
    let sim = sim(Duration::from_millis(1500)).await;
    let dir = tempfile::tempdir().unwrap();
    let cmd = against(dir.path(), &sim);
    let out = tokio::task::spawn_blocking(move || {
        run(
            cmd,
            &["--json", "charge", "4.20", "--currency", "EUR", "--wait"],
        )
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.last().unwrap()["status"], "timed_out");
    let order_id = lines[0]["order_id"].as_str().unwrap().to_owned();
    sim.state().pay_late(&order_id).unwrap();
    let cmd = against(dir.path(), &sim);
    let out = tokio::task::spawn_blocking(move || run(cmd, &["--json", "status", "1"]))
        .await
        .unwrap();
    assert_eq!(
        json_lines(&out)[0]["status"],
        "paid_late",
        "{}",
        stderr(&out)
    );
}

/// Waits (boundedly) for the simulator to have seen `n` requests to `path`.
async fn await_requests(sim: &RunningSim, path: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while sim
        .state()
        .requests()
        .iter()
        .filter(|r| r.path.starts_with(path))
        .count()
        < n
    {
        assert!(
            Instant::now() < deadline,
            "the simulator never saw {n} request(s) to {path}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_waiting_then_watch_once_finds_the_payment() {
    let sim = sim(Duration::from_secs(1800)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = against(dir.path(), &sim);
    let mut child = cmd
        .args(["--json", "charge", "7", "--wait"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let first: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(first["status"], "awaiting_payment");
    await_requests(&sim, "/api/v2/order/detail/", 1).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    sim.state()
        .pay(first["order_id"].as_str().unwrap())
        .unwrap();
    let cmd = against(dir.path(), &sim);
    let out = tokio::task::spawn_blocking(move || run(cmd, &["--json", "watch", "--once"]))
        .await
        .unwrap();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(
        (lines[0]["receipt_no"].as_i64(), lines[0]["status"].as_str()),
        (Some(1), Some("paid"))
    );
    assert_eq!(sim.state().orders().len(), 1, "no second order was made");
    assert_eq!(ledger_sales(dir.path()), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_the_create_call_is_reconciled_not_charged_twice() {
    let sim = sim(Duration::from_secs(1800)).await;
    // The gateway makes the order but takes 3 s to answer: the till dies while it waits.
    sim.state().inject(FaultRule {
        path: "/api/bln/order".into(),
        fault: Fault::Delay { ms: 3_000 },
        count: 1,
    });
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = against(dir.path(), &sim);
    cmd.env("AURPAY_TIMEOUT", "10");
    let mut child = cmd
        .args(["--json", "charge", "8.80", "--wait"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    await_requests(&sim, "/api/bln/order", 1).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let orders = sim.state().orders();
    assert_eq!(orders.len(), 1, "the gateway made the order");
    sim.state().pay(&orders[0].order_id).unwrap();

    // The next run waits out the create's timeout (1 s here, plus a margin), then finds the order.
    let cmd = against(dir.path(), &sim);
    let out = tokio::task::spawn_blocking(move || run(cmd, &["--json", "watch", "--once"]))
        .await
        .unwrap();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?} {}", stderr(&out));
    assert_eq!(lines[0]["status"], "paid", "{lines:?}");
    assert_eq!(
        lines[0]["order_id"].as_str(),
        Some(orders[0].order_id.as_str())
    );
    assert_eq!(sim.state().orders().len(), 1, "no second order was made");
    let verify = run(till(dir.path()), &["verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}
