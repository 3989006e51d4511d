//! The `till` command as a black box in demo mode: real processes and a real ledger file; sales
//! paid, reported, exported and verified, bad input refused, the two books closed apart.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{io::BufRead, process::Stdio, time::Duration};

mod common;

use common::{against, json_lines, ledger_sales, run, sim, stderr, till};
use serde_json::Value;

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
        .contains("training (demo) sales not counted here: 1"));

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
            "there is no sale with receipt number T42",
        ),
        (
            &["--demo", "cancel", "42"],
            "there is no sale with receipt number T42",
        ),
        (
            &["--demo", "settle", "42", "--void", "--reason", "x"],
            "there is no sale with receipt number T42",
        ),
        (&["verify", "--head", "xyz"], "16 to 64 hexadecimal digits"),
        (&["report", "--z", "7"], "there is no Z7"),
        (&["export", "--z", "7"], "there is no Z7"),
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
            .contains("the ledger has been altered: sale with receipt T2 differs from its journal"),
        "{}",
        stderr(&out)
    );
}

/// The issue's own steps: a demo close no longer blocks the real one, and a real sale after demo
/// sales is receipt 1. `close-day` run again seals what happened since.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn training_and_live_close_apart_and_close_day_again_seals_what_happened_since() {
    let sim = sim(Duration::from_secs(1800)).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_owned();
    let blocking = |cmd: std::process::Command, args: &'static [&'static str]| {
        tokio::task::spawn_blocking(move || run(cmd, args))
    };
    let demo = blocking(till(&data), &["--demo", "--json", "charge", "1", "--wait"])
        .await
        .unwrap();
    assert_eq!(json_lines(&demo)[0]["receipt"], "T1");
    let demo_z = run(till(&data), &["--demo", "--json", "close-day"]);
    assert!(demo_z.status.success(), "{}", stderr(&demo_z));
    assert_eq!(json_lines(&demo_z)[0]["label"], "TZ1");

    let live = |amount: &'static str| {
        let cmd = against(&data, &sim);
        let sim_state = sim.state().clone();
        tokio::task::spawn_blocking(move || {
            let out = run(cmd, &["--json", "charge", amount]);
            let line = json_lines(&out)[0].clone();
            sim_state.pay(line["order_id"].as_str().unwrap()).unwrap();
            line
        })
    };
    let first = live("5").await.unwrap();
    assert_eq!(first["receipt_no"], 1, "the live series starts at 1");
    blocking(against(&data, &sim), &["watch", "--once"])
        .await
        .unwrap();
    let z1 = run(till(&data), &["--json", "close-day"]);
    assert!(z1.status.success(), "{}", stderr(&z1));
    let z1 = json_lines(&z1)[0].clone();
    assert_eq!(
        (z1["label"].as_str(), z1["documents"].as_u64()),
        (Some("Z1"), Some(1))
    );

    live("6").await.unwrap();
    blocking(against(&data, &sim), &["watch", "--once"])
        .await
        .unwrap();
    let z2 = run(till(&data), &["close-day"]);
    let text = String::from_utf8_lossy(&z2.stdout);
    assert!(text.contains("Z REPORT Z2"), "{text}");
    assert!(
        text.contains("RECEIVED                1         6.00 USD"),
        "{text}"
    );
    let again = run(till(&data), &["close-day"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("nothing happened since Z2"),
        "{}",
        stderr(&again)
    );
    let past = run(till(&data), &["--json", "report", "--z", "1"]);
    assert!(json_lines(&past)[0]["totals"].is_null(), "figures are flat");
    assert_eq!(json_lines(&past)[0]["received"], z1["received"]);

    // The printed head of Z1 is in the ledger; in another till's ledger it is not.
    let head = z1["chain_head"].as_str().unwrap();
    let ok = run(till(&data), &["verify", "--head", &head[..20]]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("nothing before it was rewritten"));
    let other = tempfile::tempdir().unwrap();
    blocking(till(other.path()), &["--demo", "charge", "1", "--wait"])
        .await
        .unwrap();
    let rewritten = run(till(other.path()), &["verify", "--head", head]);
    assert_eq!(rewritten.status.code(), Some(1));
    assert!(
        stderr(&rewritten).contains("is not in this ledger"),
        "{}",
        stderr(&rewritten)
    );
}

/// Demo charges without `--wait` end with their demo gateway: each is void at once, none is left
/// waiting, and several in one second never collide.
#[test]
fn demo_charges_without_wait_are_void_and_never_stuck() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(till(dir.path()), &["--demo", "--json", "charge", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1]["status"], "failed");
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("the demo gateway stopped with the command"));
    let children: Vec<_> = (0..5)
        .map(|_| {
            let mut c = till(dir.path());
            common::start(
                c.args(["--demo", "--json", "charge", "1"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped()),
            )
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let sales = run(till(dir.path()), &["--demo", "--json", "sales"]);
    let lines = json_lines(&sales);
    assert_eq!(lines.len(), 6);
    assert!(
        lines.iter().all(|l| l["status"] == "failed"),
        "none is left creating or waiting: {lines:?}"
    );
    assert_eq!(ledger_sales(dir.path()), 6);
}

/// `till pin reset` must never hand over the shop's Aurpay account: when the keychain cannot be
/// cleared first, the PIN is not reset either.
#[test]
#[cfg_attr(
    windows,
    ignore = "Windows always has its Credential Manager: no keychain that cannot be reached to \
              test with (here, one whose D-Bus session does not exist)"
)]
fn a_pin_reset_that_cannot_clear_the_keychain_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let with_stdin = |args: &[&str], input: &str| {
        let mut c = till(dir.path());
        // A session bus that does not exist: the keychain cannot be reached.
        c.env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/till-test-bus",
        );
        common::with_stdin(c, args, input)
    };
    let set = with_stdin(&["pin", "set"], "1234\n");
    assert!(set.status.success(), "{}", stderr(&set));
    let reset = with_stdin(&["pin", "reset"], "4321\n");
    assert_eq!(reset.status.code(), Some(1));
    assert!(
        stderr(&reset).contains("the PIN was not reset"),
        "{}",
        stderr(&reset)
    );
    // The old PIN still opens; the new one was never set.
    let change = with_stdin(&["pin", "set"], "1234\n5678\n");
    assert!(change.status.success(), "{}", stderr(&change));
    assert_eq!(ledger_sales(dir.path()), 0);
}

/// `till --demo` needs till-core's demo gateway, which only its `demo` feature brings. A whole-
/// workspace build turns it on for every package (the app asks for it), so the suites above would
/// pass even if this crate forgot to ask: `cargo install --path crates/till-cli` would then build
/// a `till` whose `--demo` fails. This crate must ask for it itself.
#[test]
fn the_till_command_asks_for_the_demo_gateway_itself() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap();
    let till_core = dependencies
        .lines()
        .find(|l| l.trim_start().starts_with("till-core"))
        .unwrap();
    assert!(
        till_core.contains("\"demo\""),
        "till-cli's till-core dependency must enable the demo feature: {till_core}"
    );
}
