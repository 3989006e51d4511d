//! `till shop` end to end: two tills' `till` commands against a throwaway PostgreSQL cluster,
//! one of them behind a proxy that cuts it off; a till killed while it forwards; the shop's
//! close waiting for the late till (exit status 4) and then equal to the sum of the two Zs.

// The shop's throwaway server is Debian's PostgreSQL: Linux only (the Windows build's suites run
// under Wine without it).
#![cfg(target_os = "linux")]
// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{
    path::Path,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;
use till_shop::{
    connect, server,
    testing::{Cluster, Cut, Proxy},
};

mod common;

use common::{json_lines, run, stderr, till};

/// The `till` command of a till whose shop login is `url`.
fn at(data: &Path, url: &str) -> Command {
    let mut c = till(data);
    c.env("TILL_SHOP_URL", url);
    c
}

fn ok(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        stderr(out)
    );
    json_lines(out).pop().unwrap()
}

/// A till named `terminal` with a shift open and three cash sales; their total in cents.
fn open_and_sell(data: &Path, terminal: &str, amounts: &[&str]) {
    let mut l = till_core::ledger::Ledger::open_in(data).unwrap();
    l.set_setting(till_core::settings::TERMINAL, terminal)
        .unwrap();
    drop(l);
    ok(&run(
        till(data),
        &["--json", "shift", "open", "--float", "50.00"],
    ));
    for a in amounts {
        ok(&run(
            till(data),
            &["--json", "charge", a, "--cash", "--tendered", "100"],
        ));
    }
}

fn last_entry(data: &Path) -> i64 {
    till_core::ledger::Ledger::open_in(data)
        .unwrap()
        .last_entry_id()
        .unwrap()
}

async fn server_head(cluster: &Cluster, terminal: &str) -> i64 {
    connect(&cluster.admin())
        .await
        .unwrap()
        .query_one(
            "SELECT head_id FROM till_shop.terminals WHERE name = $1",
            &[&terminal],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tills_one_shop_from_the_command_line() {
    let cluster = Cluster::start();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();

    // The owner prepares the server; again changes nothing. Bad URLs are plain errors.
    let init = ok(&run(
        till(a.path()),
        &["--json", "shop", "init", &cluster.admin()],
    ));
    assert_eq!(init["schema_version"], 5);
    ok(&run(
        till(a.path()),
        &["--json", "shop", "init", &cluster.admin()],
    ));
    let bad = run(till(a.path()), &["shop", "init", "mysql://h/db"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("postgres:// URL"), "{}", stderr(&bad));
    let not_joined = run(till(a.path()), &["shop", "report"]);
    assert_eq!(not_joined.status.code(), Some(1));
    assert!(
        stderr(&not_joined).contains("has not joined a shop"),
        "{}",
        stderr(&not_joined)
    );

    // Two tills join (the keychain's part is the keychain suite's); till-2 through a proxy.
    let url_a = cluster.till(&server::join(&cluster.admin(), "till-1").await.unwrap());
    let login_b = server::join(&cluster.admin(), "till-2").await.unwrap();
    let proxy = Proxy::start(cluster.port()).await;
    let url_b = cluster.till_via(&login_b, proxy.port());
    open_and_sell(a.path(), "till-1", &["12.50", "7.25", "3.00"]);
    open_and_sell(b.path(), "till-2", &["20.00", "1.10", "4.40"]);

    let status = ok(&run(at(a.path(), &url_a), &["--json", "shop", "status"]));
    assert_eq!(status["joined"], true);
    assert_eq!(status["reachable"], true);
    assert_eq!(status["waiting"], last_entry(a.path()));
    let sent = ok(&run(
        at(a.path(), &url_a),
        &["--json", "shop", "sync", "--once"],
    ));
    assert_eq!(sent["accepted"], last_entry(a.path()));
    assert_eq!(sent["waiting"], 0);

    // till-2 cut off: refused, then a black hole; each round fails with exit status 1 and the
    // till keeps selling.
    proxy.set(Cut::Refuse);
    let refused = run(
        at(b.path(), &url_b),
        &["shop", "sync", "--once", "--timeout", "2"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("cannot be reached"),
        "{}",
        stderr(&refused)
    );
    proxy.set(Cut::BlackHole);
    let holed = run(
        at(b.path(), &url_b),
        &["shop", "sync", "--once", "--timeout", "2"],
    );
    assert_eq!(holed.status.code(), Some(1));
    assert!(
        stderr(&holed).contains("no answer in 2 s"),
        "{}",
        stderr(&holed)
    );
    ok(&run(
        till(b.path()),
        &["--json", "charge", "2.00", "--cash", "--tendered", "2"],
    ));

    // Killed while forwarding: the server commits, the answer never comes, the till is killed.
    proxy.set(Cut::DropReply);
    let last_b = last_entry(b.path());
    let mut child = common::start(
        at(b.path(), &url_b)
            .args(["shop", "sync", "--once", "--timeout", "60"])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    let started = Instant::now();
    while server_head(&cluster, "till-2").await < last_b {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the batch never reached the server"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    proxy.set(Cut::Pass);
    let status = ok(&run(at(b.path(), &url_b), &["--json", "shop", "status"]));
    assert_eq!(
        status["waiting"], last_b,
        "the killed till never heard the answer"
    );
    assert_eq!(status["server_head_id"], last_b);
    let resent = ok(&run(
        at(b.path(), &url_b),
        &["--json", "shop", "sync", "--once"],
    ));
    assert_eq!(
        (resent["accepted"].as_i64(), resent["duplicates"].as_i64()),
        (Some(0), Some(last_b))
    );

    // Both close their day; till-2 does so cut off. The shop's close waits for it: exit 4.
    for (d, counted) in [(a.path(), "72.75"), (b.path(), "79.50")] {
        ok(&run(
            till(d),
            &["--json", "shift", "close", "--counted", counted],
        ));
    }
    ok(&run(till(a.path()), &["--json", "close-day"]));
    ok(&run(
        at(a.path(), &url_a),
        &["--json", "shop", "sync", "--once"],
    ));
    proxy.set(Cut::Refuse);
    ok(&run(till(b.path()), &["--json", "close-day"]));
    let waits = run(at(a.path(), &url_a), &["shop", "close-day"]);
    assert_eq!(waits.status.code(), Some(4), "{}", stderr(&waits));
    assert!(
        stderr(&waits).contains("waiting for till-2"),
        "{}",
        stderr(&waits)
    );

    // It comes back: the close goes through, and equals the two Zs added up.
    proxy.set(Cut::Pass);
    ok(&run(
        at(b.path(), &url_b),
        &["--json", "shop", "sync", "--once"],
    ));
    let closed = ok(&run(at(a.path(), &url_a), &["--json", "shop", "close-day"]));
    let z_a = ok(&run(till(a.path()), &["--json", "report", "--z", "1"]));
    let z_b = ok(&run(till(b.path()), &["--json", "report", "--z", "1"]));
    assert_eq!(closed["terminal"], "shop");
    assert_eq!(closed["label"], "SZ1");
    assert_eq!(z_a["received"][0]["amount"], "22.75");
    assert_eq!(z_b["received"][0]["amount"], "27.50");
    assert_eq!(closed["received"][0]["amount"], "50.25");
    assert_eq!(closed["received"][0]["count"], 7);
    assert_eq!(
        closed["tenders"],
        serde_json::json!([{"tender": "cash", "currency": "USD", "sales": 7, "received": "50.25", "refunds": 0, "refunded": "0.00"}])
    );
    assert_eq!(closed["tills"][1]["zs"], serde_json::json!(["Z1"]));

    // The day's report is the close; the X has nothing left; the books verify.
    let today = closed["day"].as_str().unwrap().to_owned();
    let day = ok(&run(
        at(b.path(), &url_b),
        &["--json", "shop", "report", "--day", &today],
    ));
    assert_eq!(day["received"], closed["received"]);
    let x = ok(&run(at(b.path(), &url_b), &["--json", "shop", "report"]));
    assert_eq!(x["documents"], 0);
    assert_eq!(x["z_no"], 2);
    let v = ok(&run(at(a.path(), &url_a), &["--json", "shop", "verify"]));
    assert_eq!(
        (
            v["ok"].as_bool(),
            v["closes"].as_u64(),
            v["z_reports"].as_u64()
        ),
        (Some(true), Some(1), Some(2))
    );
    assert_eq!(v["head"], closed["chain_head"]);
    let text = run(at(a.path(), &url_a), &["shop", "verify"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("the shop's books verify: 2 tills"));
    let bad_day = run(
        at(a.path(), &url_a),
        &["shop", "report", "--day", "yesterday"],
    );
    assert_eq!(bad_day.status.code(), Some(1));

    // A resend of till-1's entry with other bytes: a fork. Its sync exits 1 naming the alarm,
    // its status and verify show it, and the owner clears it once they have looked.
    let mut forged = till_core::ledger::Ledger::open_in(a.path())
        .unwrap()
        .entries_after(2, 1)
        .unwrap();
    forged[0].detail.push(' ');
    let sent = till_shop::forward::send(&connect(&url_a).await.unwrap(), "till-1", &forged).await;
    assert!(
        matches!(sent, Err(till_shop::ShopError::Alarm { .. })),
        "{sent:?}"
    );
    let alarmed = run(at(a.path(), &url_a), &["shop", "sync", "--once"]);
    assert_eq!(alarmed.status.code(), Some(1));
    assert!(stderr(&alarmed).contains("alarm"), "{}", stderr(&alarmed));
    let status = ok(&run(at(a.path(), &url_a), &["--json", "shop", "status"]));
    assert!(
        status["alarm"]
            .as_str()
            .unwrap()
            .contains("entry 3 of till-1 differs"),
        "{status}"
    );
    let v = run(at(a.path(), &url_a), &["--json", "shop", "verify"]);
    assert_eq!(v.status.code(), Some(1));
    assert_eq!(json_lines(&v)[0]["ok"], false);
    let cleared = ok(&run(
        till(a.path()),
        &["--json", "shop", "clear-alarm", &cluster.admin(), "till-1"],
    ));
    assert_eq!(cleared["terminal"], "till-1");
    ok(&run(
        at(a.path(), &url_a),
        &["--json", "shop", "sync", "--once"],
    ));
    let v = ok(&run(at(a.path(), &url_a), &["--json", "shop", "verify"]));
    assert_eq!(v["alarms"], serde_json::json!([]));
}
