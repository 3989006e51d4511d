//! The Windows build, from Linux: the workspace cross-compiled for `x86_64-pc-windows-gnu` with
//! Debian's mingw-w64, its tests run under Debian's Wine in a throwaway prefix, and the NSIS
//! installer built with Debian's `makensis`, then installed, used and removed under Wine.
//!
//! Wine 8 lacks `ProcessPrng`, which Rust's standard library imports from
//! `bcryptprimitives.dll`: a ten-line stand-in (`xtask/windows/bcryptprimitives.c`) built with
//! mingw goes into each throwaway prefix. The desktop window itself cannot run under Wine (there
//! is no WebView2 runtime there); its code is built and checked for Windows, and its screens are
//! tested in Chromium and WebKitGTK on Linux.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
    time::{Duration, Instant},
};

use crate::{
    cmd::{self, root, Error},
    setup,
    tasks::{cargo, npm},
};

/// The Rust target of the Windows build.
pub const TARGET: &str = "x86_64-pc-windows-gnu";
/// Debian's 64-bit Wine loader (the `wine` wrapper insists on a 32-bit Wine that is not needed).
const WINE: &str = "/usr/lib/wine/wine64";
/// The crates whose tests run under Wine: all but the desktop shell, whose window needs WebView2.
pub const TESTED: [&str; 4] = ["aurpay", "aurpay-sim", "till-core", "till-cli"];
/// How long an uninstaller may take to remove the installed files.
const UNINSTALL_WAIT: Duration = Duration::from_secs(30);

fn dir() -> PathBuf {
    root().join("target/windows")
}

/// `cargo clippy` of the whole workspace for Windows, warnings refused.
pub const CLIPPY: &[&str] = &[
    "clippy",
    "--workspace",
    "--all-targets",
    "--target",
    TARGET,
    "--",
    "-D",
    "warnings",
];

/// A fresh Wine prefix of its own: Windows as a new user has it, plus the `ProcessPrng` stand-in.
#[derive(Debug)]
pub struct Prefix(PathBuf);

impl Prefix {
    /// Makes `target/windows/<name>` anew (about five seconds).
    pub fn fresh(name: &str) -> Result<Self, Error> {
        let shim = shim()?;
        let path = dir().join(name);
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        let prefix = Self(path);
        let mut boot = Command::new(WINE);
        boot.args(["wineboot", "--init"]);
        prefix.apply(&mut boot);
        cmd::run(&mut boot)?;
        let system32 = prefix.0.join("drive_c/windows/system32");
        fs::copy(&shim, system32.join("bcryptprimitives.dll"))
            .map_err(|e| format!("cannot put the ProcessPrng stand-in into the prefix: {e}"))?;
        Ok(prefix)
    }

    /// Runs `command` in this prefix, quietly: no debug chatter, no Mono or Gecko installers, no
    /// menu entries written into the host's desktop, and the stand-in DLL before Wine's own.
    pub fn apply(&self, command: &mut Command) {
        command
            .env("WINEPREFIX", &self.0)
            .env("WINELOADER", WINE)
            .env("WINEDEBUG", "-all")
            .env(
                "WINEDLLOVERRIDES",
                "mscoree,mshtml,winemenubuilder.exe=;bcryptprimitives=n,b",
            )
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
    }

    /// The Windows user of this prefix (Wine names it after whoever runs it).
    fn user(&self) -> Result<String, Error> {
        let users = self.0.join("drive_c/users");
        fs::read_dir(&users)
            .map_err(|e| format!("cannot read {}: {e}", users.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|u| u != "Public" && users.join(u).join("AppData").is_dir())
            .ok_or_else(|| format!("no user in {}", users.display()))
    }

    /// The host path of a `C:\...` path in this prefix.
    fn host(&self, windows_path: &str) -> PathBuf {
        let rest = windows_path
            .trim_start_matches("C:\\")
            .trim_start_matches("c:\\")
            .replace('\\', "/");
        self.0.join("drive_c").join(rest)
    }
}

/// Builds the `ProcessPrng` stand-in with mingw-w64, unless it is newer than its source.
fn shim() -> Result<PathBuf, Error> {
    let source = root().join("xtask/windows/bcryptprimitives.c");
    let out = dir().join("bcryptprimitives.dll");
    let newer = |a: &Path, b: &Path| {
        let time = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
        matches!((time(a), time(b)), (Some(x), Some(y)) if x >= y)
    };
    if newer(&out, &source) {
        return Ok(out);
    }
    fs::create_dir_all(dir()).map_err(|e| format!("cannot create target/windows: {e}"))?;
    cmd::run(
        Command::new("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-o"])
            .arg(&out)
            .arg(&source)
            .arg("-ladvapi32"),
    )?;
    Ok(out)
}

/// `cargo test` of [`TESTED`] for Windows, each test binary run by Wine in `prefix`.
pub fn test_command(prefix: &Prefix, extra: &[&str]) -> Command {
    let mut c = cargo();
    c.args(["test", "--target", TARGET, "--no-fail-fast"]);
    for p in TESTED {
        c.args(["--package", p]);
    }
    c.args(extra)
        .env("CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER", WINE);
    prefix.apply(&mut c);
    c
}

/// The tests that need the OS keychain, against the prefix's Credential Manager, one at a time
/// (they share the till's keychain entries).
pub fn keychain_command(prefix: &Prefix) -> Command {
    test_command(
        prefix,
        &["--test", "keychain", "--", "--ignored", "--test-threads=1"],
    )
}

/// Which binaries go into the installer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// Debug binaries and fast compression: a check of the installer in `cargo xtask test`.
    Check,
    /// Release binaries and the best compression: what a shop downloads.
    Release,
}

fn version() -> Result<String, Error> {
    let manifest = fs::read_to_string(root().join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    manifest
        .split("[package]")
        .nth(1)
        .and_then(|p| p.lines().find(|l| l.trim_start().starts_with("version")))
        .and_then(|l| l.split('"').nth(1))
        .map(str::to_owned)
        .ok_or_else(|| "Cargo.toml's [package] has no version".to_owned())
}

/// Builds the app and the `till` command for Windows, then the installer with makensis; its path.
pub fn installer(build: Build) -> Result<PathBuf, Error> {
    let release = build == Build::Release;
    let profile: &[&str] = if release { &["--release"] } else { &[] };
    // Two builds: `--bin` would otherwise limit every package to a binary of that name.
    cmd::run(
        cargo()
            .args(["build", "--target", TARGET])
            .args(profile)
            .args(["--package", "till", "--bin", "till-desktop"]),
    )?;
    cmd::run(
        cargo()
            .args(["build", "--target", TARGET])
            .args(profile)
            .args(["--package", "till-cli"]),
    )?;
    let bin = root()
        .join("target")
        .join(TARGET)
        .join(if release { "release" } else { "debug" });
    let version = version()?;
    let out = dir().join(format!(
        "Till_{version}_x64-setup{}.exe",
        if release { "" } else { "-check" }
    ));
    fs::create_dir_all(dir()).map_err(|e| format!("cannot create target/windows: {e}"))?;
    let mut makensis = Command::new("makensis");
    makensis
        .arg("-V2")
        .arg(format!("-DVERSION={version}"))
        .arg(format!("-DBIN={}", bin.display()))
        .arg(format!(
            "-DICON={}",
            root().join("icons/icon.ico").display()
        ))
        .arg(format!("-DOUT={}", out.display()));
    if !release {
        makensis.arg("-DFAST");
    }
    makensis.arg(root().join("installer/windows/till.nsi"));
    cmd::run(&mut makensis)?;
    Ok(out)
}

/// Installs `setup` silently in a fresh prefix, as a shop would; checks what it put where; uses
/// the installed `till` for a demo sale, its report and a verified ledger; uninstalls; and checks
/// that the program is gone and the shop's data is not.
pub fn check_installer(setup: &Path) -> Result<(), Error> {
    let prefix = Prefix::fresh("installer-check")?;
    let run = |args: &[&str]| -> Result<String, Error> {
        let mut c = Command::new(WINE);
        c.args(args);
        prefix.apply(&mut c);
        println!("$ wine {}", args.join(" "));
        let out = c
            .output()
            .map_err(|e| format!("could not start Wine: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        print!("{text}");
        if out.status.success() {
            Ok(text)
        } else {
            Err(format!(
                "`{}` failed under Wine ({}): {}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    run(&[&setup.display().to_string(), "/S"])?;
    let home = prefix.user()?;
    let installed = format!(r"C:\users\{home}\AppData\Local\Programs\Till");
    for file in [
        "till-desktop.exe",
        "till.exe",
        "WebView2Loader.dll",
        "uninstall.exe",
    ] {
        if !prefix.host(&installed).join(file).is_file() {
            return Err(format!("the installer did not install {file}"));
        }
    }
    let start_menu =
        format!(r"C:\users\{home}\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Till.lnk");
    if !prefix.host(&start_menu).is_file() {
        return Err("the installer made no Start menu entry".into());
    }
    let till = format!(r"{installed}\till.exe");
    let data = r"C:\till-check";
    let sale = run(&[
        &till,
        "--demo",
        "--data-dir",
        data,
        "charge",
        "2.50",
        "--wait",
    ])?;
    if !sale.contains("PAID") {
        return Err(format!("the installed till did not sell: {sale}"));
    }
    run(&[&till, "--demo", "--data-dir", data, "report"])?;
    run(&[&till, "--data-dir", data, "verify"])?;
    run(&[&format!(r"{installed}\uninstall.exe"), "/S"])?;
    // The uninstaller copies itself away and works on after it returns.
    let started = Instant::now();
    while prefix.host(&installed).exists() {
        if started.elapsed() > UNINSTALL_WAIT {
            return Err(format!(
                "the uninstaller left {installed} after {} s",
                UNINSTALL_WAIT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    if prefix.host(&start_menu).exists() {
        return Err("the uninstaller left the Start menu entry".into());
    }
    if !prefix.host(data).join("ledger.sqlite").is_file() {
        return Err("the uninstaller removed the shop's ledger".into());
    }
    println!("the installer installs, the installed till sells and verifies, the uninstaller removes the program and keeps the ledger");
    Ok(())
}

/// `cargo xtask windows [--quick]`: the whole Windows build checked, its tests run under Wine,
/// and the release installer built and tried (with `--quick`, the check installer of debug
/// binaries that `cargo xtask test` builds).
pub fn run(args: &[String]) -> Result<ExitCode, Error> {
    let build = if args.iter().any(|a| a == "--quick") {
        Build::Check
    } else {
        Build::Release
    };
    setup::run()?;
    cmd::run(npm("ui").args(["run", "build"]))?;
    cmd::run(cargo().args(CLIPPY))?;
    let prefix = Prefix::fresh("wine-prefix")?;
    cmd::run(&mut test_command(&prefix, &[]))?;
    cmd::run(&mut keychain_command(&prefix))?;
    let setup = installer(build)?;
    check_installer(&setup)?;
    println!("\nThe Windows installer is {}", setup.display());
    Ok(ExitCode::SUCCESS)
}
