//! `cargo xtask setup`: install what is missing, and nothing that is already there.
//!
//! Each check is cheap (dpkg-query, a file's age, a binary's presence), so a second run takes
//! about a second and changes nothing.

use std::{fs, path::Path, process::Command, time::SystemTime};

use crate::cmd::{self, root, Error};

/// Debian packages the project needs, and why.
pub const APT_PACKAGES: &[(&str, &str)] = &[
    ("build-essential", "C toolchain for -sys crates"),
    ("pkg-config", "finds the system libraries below"),
    ("libwebkit2gtk-4.1-dev", "Tauri 2's web view"),
    ("libxdo-dev", "Tauri 2"),
    ("libssl-dev", "Tauri 2"),
    ("libayatana-appindicator3-dev", "Tauri 2"),
    ("librsvg2-dev", "Tauri 2"),
    ("libdbus-1-dev", "the keyring crate's Secret Service client"),
    ("file", "Tauri's bundler"),
    ("xvfb", "a virtual display for tests and headless runs"),
    ("xauth", "xvfb-run"),
    (
        "dbus-x11",
        "dbus-run-session for the web view and the keychain",
    ),
    (
        "webkit2gtk-driver",
        "WebKitWebDriver, driven by tauri-driver in the end-to-end tests",
    ),
    ("chromium", "the browser Playwright drives for UI tests"),
    ("imagemagick", "screenshots of the whole virtual screen"),
    (
        "x11-utils",
        "xwininfo, which finds a window's place when WebDriver cannot",
    ),
    (
        "openbox",
        "a window manager for the end-to-end test of fullscreen and keyboard focus",
    ),
    (
        "wmctrl",
        "asks the window manager to take a window out of fullscreen in that test",
    ),
    ("gnome-keyring", "a real OS keychain for the keychain tests"),
    ("fonts-dejavu-core", "legible text in headless screenshots"),
    (
        "sqlite3",
        "the plain alternative the benchmarks compare the export with",
    ),
    (
        "gcc-mingw-w64-x86-64",
        "the linker and C compiler for the Windows build (x86_64-pc-windows-gnu)",
    ),
    ("wine64", "runs the Windows build's tests and installer"),
    ("nsis", "makensis, which builds the Windows installer"),
    (
        "zbar-tools",
        "zbarimg, which reads the printed receipt's QR back in a test",
    ),
    (
        "libpcsclite-dev",
        "the pcsc crate's PC/SC client, for NFC card readers",
    ),
    ("pcscd", "the PC/SC daemon card readers are reached through"),
    (
        "vsmartcard-vpcd",
        "a virtual card reader for pcscd: the tests' virtual Bolt Card connects to it",
    ),
    (
        "postgresql",
        "the shop's shared ledger: its tests start throwaway clusters (initdb, pg_ctl)",
    ),
    (
        "valgrind",
        "callgrind, which profiles the app's start for src-tauri/startup-symbols.txt",
    ),
    (
        "openssl",
        "the TLS test's certificates for its throwaway cluster (an authority and a server)",
    ),
];

/// Node.js older than this cannot run Vite 8.
const MIN_NODE: (u32, u32) = (20, 19);

/// The tauri-driver release line the end-to-end tests use.
const TAURI_DRIVER_VERSION: &str = "^2.1";
/// cargo-fuzz, for the bounded fuzzing step of `cargo xtask test`.
const CARGO_FUZZ_VERSION: &str = "^0.13";

/// Installs whatever is missing.
pub fn run() -> Result<(), Error> {
    println!("== setup: checking what is installed");
    system_packages()?;
    vpcd_ports();
    node()?;
    rust_components()?;
    npm_ci(&root().join("ui"))?;
    npm_ci(&root().join("e2e"))?;
    tauri_driver()?;
    cargo_fuzz()?;
    println!("== setup: everything is in place");
    Ok(())
}

fn is_debian_like() -> bool {
    let Ok(text) = fs::read_to_string("/etc/os-release") else {
        return false;
    };
    text.lines()
        .filter_map(|l| l.strip_prefix("ID=").or_else(|| l.strip_prefix("ID_LIKE=")))
        .any(|v| {
            let v = v.trim_matches('"');
            v.split_whitespace()
                .any(|id| id == "debian" || id == "ubuntu")
        })
}

fn installed(package: &str) -> bool {
    cmd::output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|s| s.contains("install ok installed"))
}

fn is_root() -> bool {
    cmd::output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

/// `apt-get` as root, through sudo when we are not root.
fn apt(args: &[&str]) -> Result<(), Error> {
    let mut c = if is_root() {
        Command::new("apt-get")
    } else if cmd::have("sudo") {
        let mut c = Command::new("sudo");
        c.arg("apt-get");
        c
    } else {
        return Err(format!(
            "installing Debian packages needs root; run as root: apt-get {}",
            args.join(" ")
        ));
    };
    c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    cmd::run(&mut c)
}

fn system_packages() -> Result<(), Error> {
    if !is_debian_like() {
        let list: Vec<&str> = APT_PACKAGES.iter().map(|(p, _)| *p).collect();
        return Err(format!(
            "this is not a Debian-like system, so setup will not install anything itself.\n\
             Install the equivalents of these Debian packages with your package manager:\n  {}\n\
             plus Node.js {}.{}+ with npm, then run `cargo xtask setup` again.",
            list.join(" "),
            MIN_NODE.0,
            MIN_NODE.1
        ));
    }
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        println!("   Debian packages: all {} present", APT_PACKAGES.len());
        return Ok(());
    }
    println!("   Debian packages missing: {}", missing.join(" "));
    apt(&["update", "-q"])?;
    let mut args = vec!["install", "-y", "-q"];
    args.extend(&missing);
    apt(&args)
}

/// vpcd's two virtual readers listen on fixed ports inside Linux's ephemeral range.
const VPCD_PORTS: (u16, u16) = (35963, 35964);
const RESERVED_PORTS: &str = "/proc/sys/net/ipv4/ip_local_reserved_ports";

/// Whether the kernel's reserved-ports list (`8080,35963-35964`) covers `port`.
fn reserved(list: &str, port: u16) -> bool {
    list.trim().split(',').any(|item| {
        let mut ends = item.trim().splitn(2, '-').map(|n| n.trim().parse::<u16>());
        match (ends.next(), ends.next()) {
            (Some(Ok(low)), None) => low == port,
            (Some(Ok(low)), Some(Ok(high))) => (low..=high).contains(&port),
            _ => false,
        }
    })
}

/// Keeps the kernel from lending vpcd's ports to outgoing connections. vpcd opens its port
/// without `SO_REUSEADDR`, so a loopback connection (the test suites make thousands) that last
/// used 35963 as its own port holds it in TIME_WAIT for a minute, and a pcscd started then has no
/// virtual reader. Reserving the ports for this boot is enough: every `cargo xtask test` runs
/// setup first. Where /proc/sys is read-only the NFC tests still pass, restarting pcscd until the
/// port is free (up to a minute).
fn vpcd_ports() {
    let Ok(list) = fs::read_to_string(RESERVED_PORTS) else {
        return;
    };
    if reserved(&list, VPCD_PORTS.0) && reserved(&list, VPCD_PORTS.1) {
        println!("   vpcd's ports: reserved");
        return;
    }
    let range = format!("{}-{}", VPCD_PORTS.0, VPCD_PORTS.1);
    let wanted = match list.trim() {
        "" => range,
        l => format!("{l},{range}"),
    };
    match fs::write(RESERVED_PORTS, &wanted) {
        Ok(()) => println!("   vpcd's ports: reserved now ({wanted})"),
        Err(e) => println!(
            "   vpcd's ports: not reserved ({e}); the NFC tests may wait up to a minute for them"
        ),
    }
}

fn node_version() -> Option<(u32, u32)> {
    let v = cmd::output(Command::new("node").arg("--version"))?;
    let mut parts = v.trim().trim_start_matches('v').split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn node() -> Result<(), Error> {
    if node_version().is_none() || !cmd::have("npm") {
        println!("   Node.js or npm missing: installing Debian's");
        apt(&["install", "-y", "-q", "nodejs", "npm"])?;
    }
    match node_version() {
        Some(v) if v >= MIN_NODE => {
            println!("   Node.js {}.{}: fine", v.0, v.1);
            Ok(())
        }
        Some(v) => Err(format!(
            "Node.js {}.{} is too old for the UI's build (Vite 8 needs {}.{} or newer). \
             Install a newer Node.js (for example from your distribution's backports) and run again.",
            v.0, v.1, MIN_NODE.0, MIN_NODE.1
        )),
        None => Err("Node.js could not be installed; install Node.js 20.19+ with npm".into()),
    }
}

fn rust_components() -> Result<(), Error> {
    let fmt = cmd::output(Command::new("cargo").args(["fmt", "--version"])).is_some();
    let clippy = cmd::output(Command::new("cargo").args(["clippy", "--version"])).is_some();
    if fmt && clippy {
        println!("   rustfmt and clippy: present");
    } else {
        cmd::run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))?;
    }
    let targets = cmd::output(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if targets.lines().any(|t| t.trim() == crate::windows::TARGET) {
        println!("   Rust target {}: present", crate::windows::TARGET);
        return Ok(());
    }
    cmd::run(Command::new("rustup").args(["target", "add", crate::windows::TARGET]))
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// `npm ci`, unless node_modules already matches package-lock.json (npm writes its own copy of
/// the lock into node_modules/.package-lock.json after every install).
fn npm_ci(dir: &Path) -> Result<(), Error> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.package-lock.json");
    if let (Some(l), Some(s)) = (modified(&lock), modified(&stamp)) {
        if s >= l {
            println!("   npm packages in {name}/: up to date");
            return Ok(());
        }
    }
    cmd::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )
}

/// The path of the project-local cargo-fuzz.
pub fn cargo_fuzz_path() -> std::path::PathBuf {
    root().join(".tools/bin/cargo-fuzz")
}

fn cargo_fuzz() -> Result<(), Error> {
    if cargo_fuzz_path().is_file() {
        println!("   cargo-fuzz: present in .tools/");
        return Ok(());
    }
    cmd::run(
        Command::new("cargo")
            .args(["install", "cargo-fuzz", "--locked"])
            .args(["--version", CARGO_FUZZ_VERSION, "--root"])
            .arg(root().join(".tools")),
    )
}

/// The path of the project-local tauri-driver.
pub fn tauri_driver_path() -> std::path::PathBuf {
    root().join(".tools/bin/tauri-driver")
}

fn tauri_driver() -> Result<(), Error> {
    if tauri_driver_path().is_file() {
        println!("   tauri-driver: present in .tools/");
        return Ok(());
    }
    let tools = root().join(".tools");
    cmd::run(
        Command::new("cargo")
            .args(["install", "tauri-driver", "--locked"])
            .args(["--version", TAURI_DRIVER_VERSION, "--root"])
            .arg(&tools),
    )
}

#[cfg(test)]
mod tests {
    use super::reserved;

    #[test]
    fn reserved_ports_are_read_as_the_kernel_writes_them() {
        assert!(!reserved("", 35963));
        assert!(!reserved("\n", 35963));
        assert!(reserved("35963-35964\n", 35963));
        assert!(reserved("8080,35963-35964", 35964));
        assert!(reserved("35963", 35963));
        assert!(!reserved("35963", 35964));
        assert!(!reserved("30000-35962,35965", 35963));
        assert!(!reserved("junk,-5,35963-", 35963));
    }
}
