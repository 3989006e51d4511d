//! `cargo xtask`: the project's own automation, in Rust so there is no shell script with hidden
//! logic. Every step prints the command it runs.
//!
//! - `setup`: install what is missing (Debian packages, npm packages, tauri-driver), nothing else.
//! - `run`: setup, build the UI, start the app (under Xvfb only when there is no display).
//! - `test`: setup, then every check and test suite, with a one-screen summary at the end.
//! - `e2e`: the end-to-end suite alone.
//! - `bench`: measure every budget of ARCHITECTURE.md (see BENCHMARKS.md).
//! - `memory`: Till's idle memory against a bare WebKitGTK window, alone.
//! - `idle`: the idle app's threads and open files over time, its web process killed at will.
//! - `startup-symbols`: the list of functions the app runs at start, from a profile, for the linker.
//! - `soak`: a long day (2,000 sales) in the real app: memory, threads and files before and after.
//! - `bundle`: build the `.deb` installer with the npm Tauri CLI.
//! - `windows`: the Windows build: checked, its tests run under Wine, the NSIS installer built.

mod cmd;
mod headless;
mod setup;
mod startup_symbols;
mod summary;
mod tasks;
mod test;
mod windows;

use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask <setup|run|test|e2e|bench|memory|soak|idle|startup-symbols|bundle|windows>

  setup    install what is missing: Debian packages, npm packages, tauri-driver
  run      setup, build the UI, start Till (demo mode unless credentials are configured)
  test     setup, then fmt, clippy, cargo test, bindings drift, UI checks and tests, end to end,
           the Windows build and its tests under Wine
  e2e      setup, then the end-to-end suite alone (real app under Xvfb through tauri-driver)
  bench    release builds, then every budget measured into target/bench (--quick: fewer samples)
  memory   release builds, then Till's idle memory against a bare WebKitGTK window, into
           target/bench/memory.json (TILL_BENCH_VARIANTS=floor,till,... to choose; with
           TILL_OTHER_APP=PATH the variants other and other+display run that build)
  soak     release builds, then 2,000 sales in the real app: memory, threads and open files
           before and after, into target/bench/soak.json (TILL_SOAK_SALES=N to choose;
           TILL_SOAK_DISPLAY=open keeps the customer display open all day)
  idle     release builds, then the idle app's threads and open files over time, into
           target/bench/idle.json (TILL_IDLE_S=240, TILL_IDLE_KILL_AT=45,105 kills its web process)
  startup-symbols
           release builds, then the app profiled under Valgrind's callgrind from its start to
           the idle keypad (TILL_PROFILE_S=90 seconds), and src-tauri/startup-symbols.txt
           rewritten from the profile
  bundle   setup, then build the .deb installer with the npm Tauri CLI
  windows  setup, then the Windows build: clippy, the tests under Wine, the NSIS installer
           (--quick: of debug binaries, as `test` checks it)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run().map(|_| ExitCode::SUCCESS),
        Some("run") => tasks::run_app(),
        Some("test") => test::test(),
        Some("e2e") => test::e2e_only(),
        Some("bundle") => tasks::bundle(),
        Some("windows") => windows::run(&args[1..]),
        Some("bench") => tasks::bench(&args[1..]),
        Some("memory") => tasks::memory(),
        Some("soak") => tasks::soak(),
        Some("idle") => tasks::idle(),
        Some("startup-symbols") => startup_symbols::run(),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
