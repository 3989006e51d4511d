//! The tasks behind `run`, `test`, `e2e` and `bundle`.

use std::{
    fs,
    path::PathBuf,
    process::{Command, ExitCode},
    time::Instant,
};

use crate::{
    cmd::{self, root, Error},
    setup,
    summary::{self, Counts, Outcome, Step},
};

/// The virtual screen every headless window gets.
const XVFB_SCREEN: &str = "-screen 0 1280x800x24";

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn npm(dir: &str) -> Command {
    let mut c = Command::new("npm");
    c.current_dir(root().join(dir));
    c
}

/// Wraps a command in a private D-Bus session and a virtual X display.
fn headless(inner: &Command) -> Command {
    in_dbus_session(inner, &["xvfb-run", "-a", "-s", XVFB_SCREEN])
}

/// Like [`headless`], with an unlocked gnome-keyring in the private D-Bus session.
fn headless_with_keychain(inner: &Command) -> Command {
    in_dbus_session(
        inner,
        &[
            "sh",
            "-c",
            "printf %s till-e2e | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
             exec xvfb-run -a -s \"$0\" \"$@\"",
            XVFB_SCREEN,
        ],
    )
}

/// `dbus-run-session -- <wrapper...> <inner command>`, keeping the inner command's folder and
/// environment.
fn in_dbus_session(inner: &Command, wrapper: &[&str]) -> Command {
    let mut c = Command::new("dbus-run-session");
    c.arg("--").args(wrapper);
    c.arg(inner.get_program()).args(inner.get_args());
    if let Some(dir) = inner.get_current_dir() {
        c.current_dir(dir);
    }
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    c
}

fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

fn build_ui() -> Result<(), Error> {
    cmd::run(npm("ui").args(["run", "build"]))
}

/// `cargo xtask run`.
pub fn run_app() -> Result<ExitCode, Error> {
    setup::run()?;
    build_ui()?;
    let mut app = cargo();
    app.args(["run", "--package", "till", "--bin", "till-desktop"]);
    let mut app = if has_display() {
        app
    } else {
        println!(
            "No display found (DISPLAY and WAYLAND_DISPLAY are unset): starting Till under \
             xvfb-run, a virtual screen. Nothing will appear on a monitor; stop it with Ctrl+C."
        );
        headless(&app)
    };
    cmd::run(&mut app)?;
    Ok(ExitCode::SUCCESS)
}

/// Runs one step of the test task, timing it and reading its counts.
fn step(
    steps: &mut Vec<Step>,
    name: &'static str,
    mut command: Command,
    counts: Option<fn(&str) -> Option<Counts>>,
) {
    println!("\n== {name}");
    let started = Instant::now();
    let (ok, out) = cmd::run_captured(&mut command);
    let counts = counts.and_then(|parse| parse(&out));
    steps.push(Step {
        name,
        outcome: if ok { Outcome::Passed } else { Outcome::Failed },
        counts,
        time: started.elapsed(),
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
fn bindings_drift(steps: &mut Vec<Step>) {
    println!("\n== generated bindings");
    let started = Instant::now();
    let outcome = if !root().join(".git").exists() {
        Outcome::Skipped("not a git checkout, nothing to compare with".into())
    } else {
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
    };
    steps.push(Step {
        name: "bindings drift",
        outcome,
        counts: None,
        time: started.elapsed(),
    });
}

fn e2e_command() -> Result<Command, Error> {
    // Two builds: `--bin` would otherwise limit every package to a binary of that name.
    cmd::run(cargo().args(["build", "--package", "till", "--bin", "till-desktop"]))?;
    cmd::run(cargo().args(["build", "--package", "aurpay-sim", "--package", "till-cli"]))?;
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
        .collect();
    files.sort();
    let mut node = Command::new("node");
    node.current_dir(root().join("e2e"))
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .args(&files)
        .env("TILL_APP", target.join("debug/till-desktop"))
        .env("TILL_SIM", target.join("debug/aurpay-sim"))
        .env("TILL_CLI", target.join("debug/till"))
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

fn e2e_step(steps: &mut Vec<Step>) {
    match e2e_command() {
        Ok(c) => step(
            steps,
            "end to end (webdriver)",
            c,
            Some(summary::parse_node_test),
        ),
        Err(e) => {
            eprintln!("{e}");
            steps.push(Step {
                name: "end to end (webdriver)",
                outcome: Outcome::Failed,
                counts: None,
                time: Default::default(),
            });
        }
    }
}

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
    });

    step(
        &mut steps,
        "ui build",
        {
            let mut c = npm("ui");
            c.args(["run", "build"]);
            c
        },
        None,
    );
    step(
        &mut steps,
        "rustfmt",
        {
            let mut c = cargo();
            c.args(["fmt", "--all", "--check"]);
            c
        },
        None,
    );
    step(
        &mut steps,
        "clippy",
        {
            let mut c = cargo();
            c.args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]);
            c
        },
        None,
    );
    step(
        &mut steps,
        "cargo test",
        {
            let mut c = cargo();
            // Every test binary runs even when one fails, so the summary counts them all.
            c.args(["test", "--workspace", "--no-fail-fast"]);
            c
        },
        Some(summary::parse_cargo_test),
    );
    step(
        &mut steps,
        "keychain (gnome-keyring)",
        keychain_command(),
        Some(summary::parse_cargo_test),
    );
    bindings_drift(&mut steps);
    step(
        &mut steps,
        "ui typecheck",
        {
            let mut c = npm("ui");
            c.args(["run", "check"]);
            c
        },
        None,
    );
    step(
        &mut steps,
        "ui tests (vitest)",
        {
            let mut c = npm("ui");
            c.args(["test"]);
            c
        },
        Some(summary::parse_vitest),
    );
    step(
        &mut steps,
        "ui screens (chromium+axe)",
        {
            let mut c = npm("ui");
            c.args(["run", "test:browser"]);
            c
        },
        Some(summary::parse_node_test),
    );
    e2e_step(&mut steps);
    for (target, seeds) in FUZZ_TARGETS {
        step(&mut steps, target, fuzz_command(target, seeds), None);
    }

    Ok(if summary::print(&steps) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The fuzz targets and their seed folders, run for a bounded time by `cargo xtask test`.
const FUZZ_TARGETS: [(&str, &str); 2] = [
    ("fuzz gateway_answer", "answer"),
    ("fuzz invoice_check", "invoice"),
];

/// One fuzz target for `TILL_FUZZ_SECONDS` (30 by default), on the stable toolchain
/// (`RUSTC_BOOTSTRAP` lets cargo-fuzz use the sanitizer flags), its corpus kept in fuzz/corpus.
fn fuzz_command(step_name: &str, seeds: &str) -> Command {
    let target = step_name.trim_start_matches("fuzz ");
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

/// `cargo xtask e2e`.
pub fn e2e_only() -> Result<ExitCode, Error> {
    setup::run()?;
    build_ui()?;
    let mut steps = Vec::new();
    e2e_step(&mut steps);
    Ok(if summary::print(&steps) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `cargo xtask bundle`: the `.deb`, built offline by the npm Tauri CLI.
pub fn bundle() -> Result<ExitCode, Error> {
    setup::run()?;
    let tauri = root().join("ui/node_modules/.bin/tauri");
    cmd::run(
        Command::new(tauri)
            .current_dir(root())
            .args(["build", "--bundles", "deb"]),
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let dir = target.join("release/bundle/deb");
    println!("\nThe installer is in {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask bench [--quick] [--sales N]`: release builds, then `till-bench` (per-operation
/// sampling of every budget, the generated ledger kept in target/bench for the next run), the
/// criterion benches of till-core, then the whole-app measurements through the real window under
/// Xvfb. Figures land in target/bench and target/criterion.
pub fn bench(extra: &[String]) -> Result<ExitCode, Error> {
    setup::run()?;
    cmd::run(npm("ui").args(["run", "build"]))?;
    // Two builds: `--bin` would otherwise limit every package to a binary of that name.
    cmd::run(cargo().args([
        "build",
        "--release",
        "--package",
        "till-bench",
        "--package",
        "till-cli",
    ]))?;
    cmd::run(cargo().args([
        "build",
        "--release",
        "--package",
        "till",
        "--bin",
        "till-desktop",
    ]))?;
    let target = root().join("target");
    let out = target.join("bench");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    cmd::run(
        Command::new(target.join("release/till-bench"))
            .current_dir(root())
            .arg("--out")
            .arg(&out)
            .arg("--till")
            .arg(target.join("release/till"))
            .args(["--sqlite3", "/usr/bin/sqlite3"])
            .args(extra),
    )?;
    // Criterion's medians with confidence intervals for the hot operations (target/criterion).
    cmd::run(cargo().args([
        "bench",
        "--package",
        "till-core",
        "--bench",
        "core",
        "--",
        "--warm-up-time",
        "1",
        "--measurement-time",
        "3",
    ]))?;
    let mut node = Command::new("node");
    node.current_dir(root().join("e2e"))
        .arg("bench/startup.mjs")
        .env("TILL_APP", target.join("release/till-desktop"))
        .env("TILL_CLI", target.join("release/till"))
        .env("SQLITE3", "/usr/bin/sqlite3")
        .env("TAURI_DRIVER", setup::tauri_driver_path())
        .env("TILL_SCREENSHOTS", &out)
        .env("TILL_E2E_DATA", &out)
        .env("NO_AT_BRIDGE", "1");
    if extra.iter().any(|a| a == "--quick") {
        node.env("TILL_BENCH_RUNS", "2");
    }
    node.env("TILL_BENCH_OUT", out.join("startup.json"));
    cmd::run(&mut headless(&node))?;
    println!(
        "Figures: {}/results.md, results.json, startup.json",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
