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

/// The command's standard output, once it has succeeded.
fn succeeded(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn till(data: &Path, url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_till"));
    c.env("TILL_DATA_DIR", data)
        .env("AURPAY_BASE_URL", url)
        .env("AURPAY_NETWORK", "regtest")
        .env_remove("AURPAY_API_KEY")
        .env_remove("AURPAY_API_TOKEN")
        .env_remove("AURPAY_API_SECRET")
        .env_remove("TILL_SHOP_URL");
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
    succeeded(with_stdin(
        till(dir.path(), url),
        &["credentials", "set"],
        "key-0123456789\n",
    ));
    succeeded(with_stdin(till(dir.path(), url), &["pin", "set"], "1234\n"));
    // Changing it needs the current one.
    let out = with_stdin(till(dir.path(), url), &["pin", "set"], "9999\n5678\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("till pin reset"));
    succeeded(with_stdin(
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
    assert!(succeeded(with_stdin(
        till(dir.path(), url),
        &["credentials", "show"],
        ""
    ))
    .contains("(from the keychain)"));
    // Forgotten: reset sets a new PIN and takes the credentials away.
    let said = succeeded(with_stdin(
        till(dir.path(), url),
        &["pin", "reset"],
        "4321\n",
    ));
    assert!(said.contains("removed from the keychain"), "{said}");
    let shown = succeeded(with_stdin(
        till(dir.path(), url),
        &["credentials", "show"],
        "",
    ));
    assert!(!shown.contains("(from the keychain)"), "{shown}");
    succeeded(with_stdin(
        till(dir.path(), url),
        &["pin", "set"],
        "4321\n2468\n",
    ));
}

/// `till shop join` keeps the till's own login in the real keychain (never on screen), sends the
/// journal it holds, and refuses a second join; the other `till shop` commands find the login
/// there. Linux only: the shop's throwaway server is Debian's PostgreSQL.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keychain: `cargo xtask test` runs it under a fresh gnome-keyring"]
async fn a_till_joins_the_shop_and_keeps_its_login_in_the_keychain() {
    let cluster = till_shop::testing::Cluster::start();
    let dir = tempfile::tempdir().unwrap();
    let sim = aurpay_sim::start(SimConfig::with_signature("tok", "sec"))
        .await
        .unwrap();
    let url = sim.url().to_owned();
    for args in [
        &["shop", "init", &cluster.admin()][..],
        &["shift", "open", "--float", "10"],
        &["charge", "3.50", "--cash", "--tendered", "5"],
    ] {
        succeeded(with_stdin(till(dir.path(), &url), args, ""));
    }

    // The administrator's password, which the URL lacks, comes on standard input (the throwaway
    // cluster trusts the login either way).
    let joined = with_stdin(
        till(dir.path(), &url),
        &["--json", "shop", "join", &cluster.admin()],
        "owner-password\n",
    );
    let said = String::from_utf8_lossy(&joined.stdout).into_owned();
    assert!(
        joined.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&joined.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(said.trim()).unwrap();
    assert_eq!(v["terminal"], "till-1");
    assert!(
        v["sent"].as_i64().unwrap() > 0,
        "its journal went first: {said}"
    );
    // The login kept in the keychain is the till's own, and its password was never shown.
    use till_core::secrets::SecretStore;
    let kept = till_core::secrets::KeyringStore::new()
        .get(till_shop::login::SECRET)
        .unwrap()
        .expect("the shop login is in the keychain");
    let kept = url::Url::parse(kept.expose()).unwrap();
    assert!(
        kept.username().starts_with("till_till_1_"),
        "{}",
        kept.username()
    );
    let password = kept.password().unwrap().to_owned();
    assert!(password.len() >= 32);
    assert!(!said.contains(&password), "{said}");

    let status = succeeded(with_stdin(
        till(dir.path(), &url),
        &["--json", "shop", "status"],
        "",
    ));
    let s: serde_json::Value = serde_json::from_str(status.trim()).unwrap();
    assert_eq!(s["login_from"], "keychain");
    assert_eq!(s["reachable"], true);
    assert_eq!(s["waiting"], 0);
    let again = with_stdin(
        till(dir.path(), &url),
        &["shop", "join", &cluster.admin()],
        "\n",
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("joined a shop already"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}
