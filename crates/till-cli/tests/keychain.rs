//! `till credentials` against the real OS keychain, then a sale made with what it stored.
//! Ignored by a plain `cargo test`; `cargo xtask test` runs it with `--ignored` inside a private
//! D-Bus session with a fresh gnome-keyring and a temporary HOME, and for Windows under Wine in a
//! throwaway prefix, where the Credential Manager keeps the credentials.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{
    path::Path,
    process::{Command, Output},
};

use aurpay_sim::SimConfig;

mod common;

use common::with_stdin;

fn till(data: &Path, url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_till"));
    c.env("TILL_DATA_DIR", data)
        .env("AURPAY_BASE_URL", url)
        .env("AURPAY_NETWORK", "regtest")
        .env_remove("AURPAY_API_KEY")
        .env_remove("AURPAY_API_TOKEN")
        .env_remove("AURPAY_API_SECRET");
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keychain: `cargo xtask test` runs it under a fresh gnome-keyring, and for \
            Windows in a throwaway Wine prefix's Credential Manager"]
async fn credentials_set_in_the_keychain_are_used_for_sales_and_never_shown() {
    let sim = aurpay_sim::start(SimConfig::with_signature("tok-abc", "sec-very-secret-42"))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = sim.url().to_owned();

    let out = with_stdin(
        till(dir.path(), &url),
        &["credentials", "set", "--signature"],
        "tok-abc\nsec-very-secret-42\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = with_stdin(till(dir.path(), &url), &["credentials", "show"], "");
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(shown.contains("(from the keychain)"), "{shown}");
    assert!(
        !shown.contains("sec-very-secret-42") && !shown.contains("tok-abc"),
        "{shown}"
    );

    let dir2 = dir.path().to_owned();
    let url2 = url.clone();
    let out = tokio::task::spawn_blocking(move || {
        with_stdin(till(&dir2, &url2), &["--json", "charge", "2"], "")
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"status\":\"awaiting_payment\""));
    assert!(sim.state().requests().iter().all(|r| r.auth == "signature"));

    let out = with_stdin(till(dir.path(), &url), &["credentials", "clear"], "");
    assert!(out.status.success());
    let out = with_stdin(till(dir.path(), &url), &["charge", "2"], "");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no gateway credentials are set"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "needs the OS keychain: `cargo xtask test` runs it under a fresh gnome-keyring, and for \
            Windows in a throwaway Wine prefix's Credential Manager"]
fn a_forgotten_pin_is_reset_only_by_giving_up_the_stored_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let url = "http://127.0.0.1:9";
    let ok = |out: Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    ok(with_stdin(
        till(dir.path(), url),
        &["credentials", "set"],
        "key-0123456789\n",
    ));
    ok(with_stdin(till(dir.path(), url), &["pin", "set"], "1234\n"));
    // Changing it needs the current one.
    let out = with_stdin(till(dir.path(), url), &["pin", "set"], "9999\n5678\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("till pin reset"));
    ok(with_stdin(
        till(dir.path(), url),
        &["pin", "set"],
        "1234\n5678\n",
    ));
    // A bad new PIN changes nothing, the credentials stay.
    assert!(
        !with_stdin(till(dir.path(), url), &["pin", "reset"], "12\n")
            .status
            .success()
    );
    assert!(ok(with_stdin(
        till(dir.path(), url),
        &["credentials", "show"],
        ""
    ))
    .contains("(from the keychain)"));
    // Forgotten: reset sets a new PIN and takes the credentials away.
    let said = ok(with_stdin(
        till(dir.path(), url),
        &["pin", "reset"],
        "4321\n",
    ));
    assert!(said.contains("removed from the keychain"), "{said}");
    let shown = ok(with_stdin(
        till(dir.path(), url),
        &["credentials", "show"],
        "",
    ));
    assert!(!shown.contains("(from the keychain)"), "{shown}");
    ok(with_stdin(
        till(dir.path(), url),
        &["pin", "set"],
        "4321\n2468\n",
    ));
}
