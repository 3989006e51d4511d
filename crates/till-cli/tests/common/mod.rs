//! What the command-line suites share: the `till` binary with a clean environment, pointed at a
//! simulator, and reading its answers.

#![allow(clippy::unwrap_used, dead_code)]

use std::{
    path::Path,
    process::{Command, Output, Stdio},
    time::Duration,
};

use aurpay_sim::{RunningSim, SimConfig};
use serde_json::Value;

pub const KEY: &str = "cli-test-key";

pub fn till(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_till"));
    c.env("TILL_DATA_DIR", data)
        .env_remove("AURPAY_API_KEY")
        .env_remove("AURPAY_API_TOKEN")
        .env_remove("AURPAY_API_SECRET")
        .env_remove("AURPAY_BASE_URL")
        .env_remove("TILL_SHOP_URL")
        .env("AURPAY_NETWORK", "regtest")
        // The human output follows the terminal's language: the suites read English unless a
        // test asks for another.
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null());
    c
}

pub fn against(data: &Path, sim: &RunningSim) -> Command {
    let mut c = till(data);
    c.env("AURPAY_BASE_URL", sim.url())
        .env("AURPAY_API_KEY", KEY)
        .env("AURPAY_TIMEOUT", "1");
    c
}

pub fn run(mut c: Command, args: &[&str]) -> Output {
    c.args(args).output().unwrap()
}

/// Runs `c` with `args` and `input` on standard input (a PIN, a credential).
pub fn with_stdin(mut c: Command, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = c
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub async fn sim(lifetime: Duration) -> RunningSim {
    aurpay_sim::start(SimConfig {
        api_key: Some(KEY.into()),
        lifetime,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// How many sales the ledger in `data` holds, as `till verify` counts them (and it verifies).
pub fn ledger_sales(data: &Path) -> usize {
    let out = run(till(data), &["--json", "verify"]);
    assert!(out.status.success(), "verify failed: {}", stderr(&out));
    json_lines(&out)[0]["sales"].as_u64().unwrap() as usize
}
