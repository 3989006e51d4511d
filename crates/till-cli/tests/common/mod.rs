//! What the command-line suites share: the `till` binary with a clean environment, pointed at a
//! simulator, and reading its answers.

#![allow(clippy::unwrap_used, dead_code)]

use std::{
    path::Path,
    process::{Child, Command, Output, Stdio},
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
    output(c.args(args))
}

/// ERROR_INTERNAL_ERROR: what Wine's `CreateProcess` fails with when the new process died
/// before it reported to the Wine server.
const WINE_DIED_STARTING: i32 = 1359;

/// Starts `c`, as `Command::spawn` does, except for one failure of Wine's.
///
/// The Windows suites run under Wine 8, whose `CreateProcess` now and then fails with
/// [`WINE_DIED_STARTING`]: its `NtCreateUserProcess` answers `STATUS_INTERNAL_ERROR` when the
/// new process dies before reporting to the Wine server, which it does before any of the
/// program's own code runs. A C loop under Wine, starting `till --version` 3,000 times, saw it
/// twice with other work loading the machine and never on a quiet one. Such a start ran nothing
/// and changed nothing, so it is made again, three starts in all, each failed one said on stderr
/// (shown when the test fails). Any other failure fails the test, and so does anything a program
/// that did start went on to do.
pub fn start(c: &mut Command) -> Child {
    let mut starts = 1;
    loop {
        match c.spawn() {
            Err(e)
                if cfg!(windows) && starts < 3 && e.raw_os_error() == Some(WINE_DIED_STARTING) =>
            {
                eprintln!("Wine could not start {c:?} ({e}): starting it again");
                starts += 1;
            }
            started => return started.unwrap(),
        }
    }
}

/// What `Command::output` gives, the program started by [`start`]: its status, and its stdout
/// and stderr captured (its stdin as `c` has it: [`till`] gives it none).
pub fn output(c: &mut Command) -> Output {
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    start(c).wait_with_output().unwrap()
}

/// Runs `c` with `args` and `input` on standard input (a PIN, a credential).
pub fn with_stdin(mut c: Command, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = start(
        c.args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
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
