//! `cargo xtask test`: every check and suite, as one table of steps run in order, each timed
//! and counted, with a one-screen summary at the end. A step's failure never stops the others.

use std::{
    fs,
    path::PathBuf,
    process::{Command, ExitCode},
    time::Instant,
};

use crate::{
    cmd::{self, root, Error},
    headless::headless_with_keychain,
    setup,
    summary::{self, Counts, Outcome, Step},
    tasks::{cargo, npm},
    windows,
};

/// How a step's output is counted.
type Parser = fn(&str) -> Option<Counts>;

/// What a step runs.
enum Kind {
    /// `cargo ARGS` at the root.
    Cargo(&'static [&'static str]),
    /// `npm ARGS` in `ui/`.
    Ui(&'static [&'static str]),
    /// The real-keychain tests in a private D-Bus session with gnome-keyring.
    Keychain,
    /// The generated TypeScript compared with what `cargo test` just wrote.
    BindingsDrift,
    /// The real app under Xvfb through tauri-driver.
    EndToEnd,
    /// One fuzz target for a bounded time: its name and its seed folder.
    Fuzz(&'static str, &'static str),
    /// The Rust tests of the Windows build under Wine, in a throwaway prefix.
    WindowsTests,
    /// The Windows build's keychain tests, against the prefix's Credential Manager.
    WindowsKeychain,
    /// The Windows installer built, installed, used and removed under Wine.
    WindowsInstaller,
}

/// Every step after setup, in order: name, what it runs, how its output is counted.
const STEPS: &[(&str, Kind, Option<Parser>)] = &[
    ("ui build", Kind::Ui(&["run", "build"]), None),
    ("rustfmt", Kind::Cargo(&["fmt", "--all", "--check"]), None),
    (
        "clippy",
        Kind::Cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        None,
    ),
    // Every test binary runs even when one fails, so the summary counts them all.
    (
        "cargo test",
        Kind::Cargo(&["test", "--workspace", "--no-fail-fast"]),
        Some(summary::parse_cargo_test),
    ),
    (
        "keychain (gnome-keyring)",
        Kind::Keychain,
        Some(summary::parse_cargo_test),
    ),
    ("bindings drift", Kind::BindingsDrift, None),
    ("ui typecheck", Kind::Ui(&["run", "check"]), None),
    (
        "ui tests (vitest)",
        Kind::Ui(&["test"]),
        Some(summary::parse_vitest),
    ),
    (
        "ui screens (chromium+axe)",
        Kind::Ui(&["run", "test:browser"]),
        Some(summary::parse_node_test),
    ),
    (
        "end to end (webdriver)",
        Kind::EndToEnd,
        Some(summary::parse_node_test),
    ),
    (
        "fuzz gateway_answer",
        Kind::Fuzz("gateway_answer", "answer"),
        None,
    ),
    (
        "fuzz invoice_check",
        Kind::Fuzz("invoice_check", "invoice"),
        None,
    ),
    ("windows clippy (mingw)", Kind::Cargo(windows::CLIPPY), None),
    (
        "windows tests (wine)",
        Kind::WindowsTests,
        Some(summary::parse_cargo_test),
    ),
    (
        "windows keychain (wine)",
        Kind::WindowsKeychain,
        Some(summary::parse_cargo_test),
    ),
    ("windows installer (wine)", Kind::WindowsInstaller, None),
];

/// `cargo xtask test`.
pub fn test() -> Result<ExitCode, Error> {
    let mut steps = Vec::new();
    let started = Instant::now();
    setup::run()?;
    steps.push(Step {
        name: "setup",
        outcome: Outcome::Passed,
        counts: None,
        time: started.elapsed(),
        failures: Vec::new(),
    });
    for (name, kind, counts) in STEPS {
        run_step(&mut steps, name, kind, *counts);
    }
    Ok(if summary::print(&steps) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `cargo xtask e2e`: the end-to-end step alone.
pub fn e2e_only() -> Result<ExitCode, Error> {
    setup::run()?;
    cmd::run(npm("ui").args(["run", "build"]))?;
    let mut steps = Vec::new();
    run_step(
        &mut steps,
        "end to end (webdriver)",
        &Kind::EndToEnd,
        Some(summary::parse_node_test),
    );
    Ok(if summary::print(&steps) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs one step, timing it and reading its counts; a step that cannot even start fails.
fn run_step(steps: &mut Vec<Step>, name: &'static str, kind: &Kind, counts: Option<Parser>) {
    println!("\n== {name}");
    let started = Instant::now();
    let command =
        match kind {
            Kind::Cargo(args) => {
                let mut c = cargo();
                c.args(*args);
                Ok(c)
            }
            Kind::Ui(args) => {
                let mut c = npm("ui");
                c.args(*args);
                Ok(c)
            }
            Kind::Keychain => Ok(keychain_command()),
            Kind::EndToEnd => e2e_command(),
            Kind::Fuzz(target, seeds) => Ok(fuzz_command(target, seeds)),
            Kind::WindowsTests => windows::Prefix::fresh("wine-prefix")
                .map(|prefix| windows::test_command(&prefix, &[])),
            Kind::WindowsKeychain => windows::Prefix::fresh("wine-keychain")
                .map(|prefix| windows::keychain_command(&prefix)),
            Kind::WindowsInstaller => {
                let outcome = windows::installer(windows::Build::Check)
                    .and_then(|setup| windows::check_installer(&setup));
                if let Err(e) = &outcome {
                    eprintln!("{e}");
                }
                steps.push(Step {
                    name,
                    outcome: if outcome.is_ok() {
                        Outcome::Passed
                    } else {
                        Outcome::Failed
                    },
                    counts: None,
                    time: started.elapsed(),
                    failures: outcome
                        .err()
                        .map(|e| vec![e.to_string()])
                        .unwrap_or_default(),
                });
                return;
            }
            Kind::BindingsDrift => {
                steps.push(Step {
                    name,
                    outcome: bindings_drift(),
                    counts: None,
                    time: started.elapsed(),
                    failures: Vec::new(),
                });
                return;
            }
        };
    let (outcome, counts, failures) = match command {
        Ok(mut c) => {
            let (ok, out) = cmd::run_captured(&mut c);
            (
                if ok { Outcome::Passed } else { Outcome::Failed },
                counts.and_then(|parse| parse(&out)),
                if ok {
                    Vec::new()
                } else {
                    summary::failures(&out)
                },
            )
        }
        Err(e) => {
            eprintln!("{e}");
            (Outcome::Failed, None, vec![e.to_string()])
        }
    };
    steps.push(Step {
        name,
        outcome,
        counts,
        time: started.elapsed(),
        failures,
    });
}

/// The real-keychain tests: a private D-Bus session and a fresh, unlocked gnome-keyring whose
/// files live in a temporary folder (XDG_DATA_HOME, XDG_CACHE_HOME), so the user's own keychain
/// is never touched. HOME and the package selection (`--workspace`) stay as in the `cargo test`
/// step, so cargo reuses what it just built instead of resolving features anew.
fn keychain_command() -> Command {
    let temp = root().join("target/keychain-home");
    let _ = fs::remove_dir_all(&temp);
    let _ = fs::create_dir_all(temp.join("data"));
    let _ = fs::create_dir_all(temp.join("cache"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut c = Command::new("dbus-run-session");
    c.args([
        "--",
        "sh",
        "-c",
        "printf %s till-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
         exec \"$0\" test --workspace --no-fail-fast --test keychain -- --ignored --test-threads=1",
    ])
    .arg(cargo)
    .current_dir(root())
    .env("XDG_DATA_HOME", temp.join("data"))
    .env("XDG_CACHE_HOME", temp.join("cache"));
    c
}

/// The generated TypeScript must match what `cargo test` just wrote from the Rust types.
fn bindings_drift() -> Outcome {
    if !root().join(".git").exists() {
        return Outcome::Skipped("not a git checkout, nothing to compare with".into());
    }
    let status = cmd::output(Command::new("git").current_dir(root()).args([
        "status",
        "--porcelain",
        "--",
        "ui/src/lib/bindings",
    ]));
    match status {
        Some(s) if s.trim().is_empty() => {
            println!("ui/src/lib/bindings matches the Rust types");
            Outcome::Passed
        }
        Some(s) => {
            eprintln!(
                "ui/src/lib/bindings differs from what the Rust types generate:\n{s}\
                 Run `cargo test --workspace` and commit ui/src/lib/bindings."
            );
            Outcome::Failed
        }
        None => Outcome::Skipped("git status failed".into()),
    }
}

fn e2e_command() -> Result<Command, Error> {
    // Two builds: `--bin` would otherwise limit every package to a binary of that name.
    cmd::run(cargo().args(["build", "--package", "till", "--bin", "till-desktop"]))?;
    cmd::run(cargo().args(["build", "--package", "aurpay-sim", "--package", "till-cli"]))?;
    cmd::run(cargo().args([
        "build",
        "--package",
        "till-nfc",
        "--features",
        "virtual",
        "--bin",
        "virtual-boltcard",
    ]))?;
    let target = root().join("target");
    let screenshots = target.join("e2e-screenshots");
    let data = target.join("e2e-data");
    let _ = fs::remove_dir_all(&data);
    fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    fs::create_dir_all(&screenshots)
        .map_err(|e| format!("cannot create {}: {e}", screenshots.display()))?;
    let tests_dir = root().join("e2e/tests");
    let mut files: Vec<PathBuf> = fs::read_dir(&tests_dir)
        .map_err(|e| format!("cannot read {}: {e}", tests_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        // While working on one suite: `TILL_E2E_ONLY=people cargo xtask e2e`.
        .filter(|p| {
            std::env::var("TILL_E2E_ONLY")
                .map_or(true, |only| p.to_string_lossy().contains(only.as_str()))
        })
        .collect();
    files.sort();
    let mut node = Command::new("node");
    node.current_dir(root().join("e2e"))
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .args(&files)
        .env("TILL_APP", target.join("debug/till-desktop"))
        .env("TILL_SIM", target.join("debug/aurpay-sim"))
        .env("TILL_CLI", target.join("debug/till"))
        .env("TILL_CARD", target.join("debug/virtual-boltcard"))
        .env("TAURI_DRIVER", setup::tauri_driver_path())
        .env("TILL_SCREENSHOTS", &screenshots)
        .env("TILL_E2E_DATA", &data)
        // No accessibility bus under Xvfb: spare GTK the warning and the wait.
        .env("NO_AT_BRIDGE", "1");
    // The app reads these; the suite sets what each test needs.
    for var in [
        "TILL_DATA_DIR",
        "AURPAY_API_KEY",
        "AURPAY_API_TOKEN",
        "AURPAY_API_SECRET",
    ] {
        node.env_remove(var);
    }
    // A fresh keychain of its own, so connecting Aurpay stores credentials for real.
    let keychain = target.join("e2e-keychain");
    let _ = fs::remove_dir_all(&keychain);
    for sub in ["data", "cache"] {
        fs::create_dir_all(keychain.join(sub))
            .map_err(|e| format!("cannot create {}: {e}", keychain.display()))?;
    }
    node.env("XDG_DATA_HOME", keychain.join("data"))
        .env("XDG_CACHE_HOME", keychain.join("cache"));
    Ok(headless_with_keychain(&node))
}

/// One fuzz target for `TILL_FUZZ_SECONDS` (30 by default), on the stable toolchain
/// (`RUSTC_BOOTSTRAP` lets cargo-fuzz use the sanitizer flags), its corpus kept in fuzz/corpus.
fn fuzz_command(target: &str, seeds: &str) -> Command {
    let seconds = std::env::var("TILL_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(30);
    let corpus = root().join("fuzz/corpus").join(target);
    let _ = fs::create_dir_all(&corpus);
    let mut c = Command::new(setup::cargo_fuzz_path());
    c.current_dir(root().join("fuzz"))
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["run", target])
        .arg(&corpus)
        .arg(root().join("fuzz/seeds").join(seeds))
        .arg("--")
        .arg(format!("-max_total_time={seconds}"));
    c
}
