//! The `till` command as a black box against a live gateway (the simulator on 127.0.0.1): a sale
//! timed out then paid late, SIGKILL while waiting and during the create call, and a manager
//! settling from the command line.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{
    io::{BufRead, BufReader},
    process::Stdio,
    time::{Duration, Instant},
};

mod common;

use aurpay_sim::{Fault, FaultRule, RunningSim};
use common::{against, json_lines, ledger_sales, run, sim, start, stderr, till};
use serde_json::Value;

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
    let mut child = start(
        cmd.args(["--json", "charge", "7", "--wait"])
            .stdout(Stdio::piped()),
    );
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
    let mut child = start(
        cmd.args(["--json", "charge", "8.80", "--wait"])
            .stdout(Stdio::null()),
    );
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

/// A sale whose answer was lost, on a gateway that does not echo the sale's reference: the
/// command says it cannot prove anything and leaves it for a manager, who voids it; the day then
/// closes. `watch --once` goes on past a sale it cannot check and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_settles_from_the_command_line_and_watch_once_reports_failures() {
    let sim = aurpay_sim::start(aurpay_sim::SimConfig {
        api_key: Some(common::KEY.into()),
        echo_callback_url: false,
        ..aurpay_sim::SimConfig::default()
    })
    .await
    .unwrap();
    sim.state().inject(FaultRule {
        path: "/api/bln/order".into(),
        fault: Fault::Delay { ms: 1_500 },
        count: 1,
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_owned();
    let cmd = against(&data, &sim);
    let lost = tokio::task::spawn_blocking(move || run(cmd, &["--json", "charge", "3"]))
        .await
        .unwrap();
    assert_eq!(
        json_lines(&lost)[0]["status"],
        "uncertain",
        "{}",
        stderr(&lost)
    );
    // A second sale whose status checks fail.
    let cmd = against(&data, &sim);
    let ok = tokio::task::spawn_blocking(move || run(cmd, &["--json", "charge", "4"]))
        .await
        .unwrap();
    let ok_order = json_lines(&ok)[0]["order_id"].as_str().unwrap().to_owned();
    sim.state().inject(FaultRule {
        path: format!("/api/v2/order/detail/{ok_order}"),
        fault: Fault::HttpError { status: 502 },
        count: 1,
    });
    let cmd = against(&data, &sim);
    let watch = tokio::task::spawn_blocking(move || run(cmd, &["--json", "watch", "--once"]))
        .await
        .unwrap();
    assert_eq!(watch.status.code(), Some(1), "a failure is reported");
    let lines = json_lines(&watch);
    let uncertain = lines.iter().find(|l| l["receipt_no"] == 1).unwrap();
    assert_eq!(uncertain["status"], "uncertain");
    assert!(uncertain["attention"]
        .as_str()
        .unwrap()
        .contains("Check the Aurpay dashboard before charging again"));
    let failed = lines.iter().find(|l| l["receipt_no"] == 2).unwrap();
    assert!(failed["check_failed"].as_str().unwrap().contains("502"));
    assert!(stderr(&watch).contains("1 sale(s) could not be checked (receipts 2)"));

    let close = run(till(&data), &["close-day"]);
    assert!(
        stderr(&close).contains("have a manager settle them"),
        "{}",
        stderr(&close)
    );
    let cmd = against(&data, &sim);
    let settled = tokio::task::spawn_blocking(move || {
        run(
            cmd,
            &[
                "--json",
                "settle",
                "1",
                "--void",
                "--reason",
                "no order on the dashboard",
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(
        json_lines(&settled)[0]["status"],
        "failed",
        "{}",
        stderr(&settled)
    );
    sim.state().pay(&ok_order).unwrap();
    let cmd = against(&data, &sim);
    tokio::task::spawn_blocking(move || run(cmd, &["watch", "--once"]))
        .await
        .unwrap();
    let close = run(till(&data), &["close-day"]);
    assert!(close.status.success(), "{}", stderr(&close));
    let verify = run(till(&data), &["verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}

/// `till gateway withdraw`: shown first, paid only with `--yes`, recorded in the ledger, and never
/// paid twice; `--json` keeps the gateway's own `status` beside the ledger's `state`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawal_is_shown_then_paid_once_and_recorded() {
    let sim = sim(Duration::from_secs(600)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let cmd = against(&path, &sim);
    let sale = tokio::task::spawn_blocking(move || run(cmd, &["--json", "charge", "10"]))
        .await
        .unwrap();
    let order = json_lines(&sale)[0]["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    sim.state().pay(&order).unwrap();
    let balance = sim.state().balance_msat();
    let invoice = sim
        .state()
        .wallet_invoice(2_000_000)
        .unwrap()
        .payment_request;

    let (url, key_dir) = (sim.url().to_owned(), path.clone());
    let withdraw = move |yes: bool| {
        let mut args = vec!["--json", "gateway", "withdraw", &invoice];
        if yes {
            args.push("--yes");
        }
        let mut c = till(&key_dir);
        c.env("AURPAY_BASE_URL", &url)
            .env("AURPAY_API_KEY", common::KEY)
            .env("AURPAY_TIMEOUT", "1");
        run(c, &args)
    };
    let (shown, paid, again) =
        tokio::task::spawn_blocking(move || (withdraw(false), withdraw(true), withdraw(true)))
            .await
            .unwrap();
    assert_eq!(shown.status.code(), Some(1));
    assert!(
        stderr(&shown).contains("nothing was paid: this would pay 2,000 sats; add --yes"),
        "{}",
        stderr(&shown)
    );
    assert!(paid.status.success(), "{}", stderr(&paid));
    let line = &json_lines(&paid)[0];
    assert_eq!(
        (&line["paid_msat"], &line["status"], &line["state"]),
        (
            &Value::from(2_000_000),
            &Value::from("SUCCESS"),
            &Value::from("sent")
        )
    );
    assert!(
        line["answer"].as_str().unwrap().contains("SUCCESS"),
        "{line}"
    );
    assert_eq!(sim.state().balance_msat(), balance - 2_000_000);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("never paid twice"),
        "{}",
        stderr(&again)
    );
    assert_eq!(sim.state().balance_msat(), balance - 2_000_000, "paid once");
    let verify = run(till(&path), &["--json", "verify"]);
    assert_eq!(json_lines(&verify)[0]["withdrawals"], 1, "recorded");
}
