//! The tasks behind `run`, `bundle` and `bench` (`test` and `e2e` are in `test.rs`).

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use crate::{
    cmd::{self, root, Error},
    headless::{has_display, headless},
    setup, startup_symbols,
};

/// `cargo` (the one running xtask) at the root.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// `npm` in `dir`.
pub fn npm(dir: &str) -> Command {
    let mut c = Command::new("npm");
    c.current_dir(root().join(dir));
    c
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

/// `node e2e/bench/NAME.mjs` against the release builds, writing its figures to `out/file`.
pub fn bench_script(target: &Path, out: &Path, name: &str, file: &str) -> Command {
    let mut node = Command::new("node");
    node.current_dir(root().join("e2e"))
        .arg(format!("bench/{name}.mjs"))
        .env("TILL_APP", target.join("release/till-desktop"))
        .env("TILL_CLI", target.join("release/till"))
        .env("SQLITE3", "/usr/bin/sqlite3")
        .env("TAURI_DRIVER", setup::tauri_driver_path())
        .env("TILL_SCREENSHOTS", out)
        .env("TILL_E2E_DATA", out)
        .env("NO_AT_BRIDGE", "1")
        .env("TILL_BENCH_OUT", out.join(file));
    node
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
    let (target, out) = release_builds()?;
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
    let quick = extra.iter().any(|a| a == "--quick");
    // Cold start and idle memory, then from a tap or a scan to the cart repainted (5,000 items).
    let mut startup = bench_script(&target, &out, "startup", "startup.json");
    if quick {
        startup.env("TILL_BENCH_RUNS", "2");
    }
    cmd::run(&mut headless(&startup))?;
    memory_bench(&target, &out, quick)?;
    let mut cart = bench_script(&target, &out, "cart", "cart.json");
    if quick {
        cart.env("TILL_BENCH_SAMPLES", "40");
    }
    cmd::run(&mut headless(&cart))?;
    soak_bench(&target, &out, quick)?;
    println!(
        "Figures: {}/results.md, results.json, startup.json, memory.json, cart.json, soak.json",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// What `bench`, `memory`, `soak`, `idle` and `startup-symbols` need: setup, the UI, release
/// builds of till-bench (with webkit-floor), the CLI and the app. Returns the target folder and
/// `target/bench`, created.
/// The app is built with the features the installer's build has (`tauri/custom-protocol`, as
/// the Tauri CLI passes it): what is measured is what ships, and the startup symbol list
/// (`startup_symbols`) names that build's functions.
pub fn release_builds() -> Result<(PathBuf, PathBuf), Error> {
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
        "--features",
        "tauri/custom-protocol",
    ]))?;
    let target = root().join("target");
    let out = target.join("bench");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    Ok((target, out))
}

/// `cargo xtask memory`: release builds of the app, the CLI, the bare WebKitGTK window and the
/// bare Tauri app, then `e2e/bench/memory.mjs` (BENCHMARKS.md, "Memory").
pub fn memory() -> Result<ExitCode, Error> {
    let (target, out) = release_builds()?;
    memory_bench(&target, &out, false)?;
    println!("Figures: {}", out.join("memory.json").display());
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask soak`: release builds, then a long day in the real app (`e2e/bench/soak.mjs`):
/// memory, threads and open files before and after 2,000 sales (BENCHMARKS.md, "A long day").
pub fn soak() -> Result<ExitCode, Error> {
    let (target, out) = release_builds()?;
    soak_bench(&target, &out, false)?;
    println!("Figures: {}", out.join("soak.json").display());
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask idle`: release builds, then the idle app's threads and open files read over
/// time, its web process killed at the given seconds (`e2e/bench/idle.mjs`: TILL_IDLE_S,
/// TILL_IDLE_KILL_AT).
pub fn idle() -> Result<ExitCode, Error> {
    let (target, out) = release_builds()?;
    cmd::run(&mut headless(&bench_script(
        &target,
        &out,
        "idle",
        "idle.json",
    )))?;
    println!("Figures: {}", out.join("idle.json").display());
    Ok(ExitCode::SUCCESS)
}

/// The soak under Xvfb; `quick` sells 200 rather than 2,000.
fn soak_bench(target: &Path, out: &Path, quick: bool) -> Result<(), Error> {
    let mut soak = bench_script(target, out, "soak", "soak.json");
    if quick {
        soak.env("TILL_SOAK_SALES", "200");
    }
    cmd::run(&mut headless(&soak))
}

/// Idle memory, Till against the bare window and the bare Tauri app, each started alone under
/// Xvfb. The bare Tauri app is built here, not in `release_builds`: only this bench runs it.
fn memory_bench(target: &Path, out: &Path, quick: bool) -> Result<(), Error> {
    startup_symbols::report(&target.join("release/till-desktop"))?;
    cmd::run(cargo().args([
        "build",
        "--release",
        "--package",
        "tauri-floor",
        "--features",
        "tauri-floor/custom-protocol",
    ]))?;
    let mut memory = bench_script(target, out, "memory", "memory.json");
    memory.env("TILL_FLOOR", target.join("release/webkit-floor"));
    memory.env("TILL_TAURI_FLOOR", target.join("release/tauri-floor"));
    if quick {
        memory.env("TILL_BENCH_RUNS", "1");
    }
    cmd::run(&mut headless(&memory))
}
