//! Build script of the desktop app: checks the web view was built, then lets tauri-build read
//! tauri.conf.json and generate the permission set for the app's own commands.

use std::{
    env,
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

/// Every command the shell exposes. tauri-build turns each into an `allow-<name>` permission, and
/// the capability in tauri.conf.json grants exactly these: a command missing here cannot be
/// called from the web view at all.
const COMMANDS: &[&str] = &[
    "app_info",
    "charge",
    "requote",
    "cancel_sale",
    "check_sale",
    "simulate_payment",
    "sales_today",
    "sale_detail",
    "invoice_qr",
    "pending_alerts",
    "acknowledge_alert",
    "open_customer_display",
    "close_customer_display",
    "current_sale",
    "renew_page",
    "gateway_ready",
    "save_receipt",
    "currencies",
    "finish_setup",
    "credential_status",
    "save_credentials",
    "sign_in",
    "test_connection",
    "forget_credentials",
    "lock_state",
    "lock",
    "activity",
    "unlock",
    "end_manager",
    "change_pin",
    "sound_on",
    "get_settings",
    "save_settings",
    "x_report",
    "close_day",
    "closed_days",
    "z_report",
    "export_sales",
    "choose_export_folder",
    "balance",
    "preview_invoice",
    "withdraw",
    "withdrawals",
    "refund",
    "refunds_of",
    "settle_sale",
    "items",
    "categories",
    "cart",
    "cart_change",
    "ask_tip",
    "choose_tip",
    "current_tip",
    "cancel_tip",
    "charge_cart",
    "staff_list",
    "add_staff",
    "remove_staff",
    "drawer",
    "open_shift",
    "move_cash",
    "close_shift",
    "sell_for_cash",
    "cash_quote",
    "count_drawer",
    "step_in",
    "save_item",
    "import_catalog",
    "export_catalog",
    "printer",
    "print_receipt",
    "print_report",
    "retry_prints",
    "printer_settings",
    "save_printer",
    "print_test_page",
    "tap_card",
    "stop_card",
    "pay_by_link",
    "shop_link",
];

/// The functions the desktop app runs from its start to the idle keypad, one symbol a line,
/// written by `cargo xtask startup-symbols` from a profile of the release build.
const STARTUP_SYMBOLS: &str = "src-tauri/startup-symbols.txt";

/// Asks the linker to put the code run at start side by side at the front of the binary.
///
/// The kernel maps a program's code in 64 KB runs around each page touched, and the 3 MB that
/// Till runs at start is spread over most of its 13 MB of code: left in the compiler's order,
/// about 10.5 MB of it stays mapped at idle (BENCHMARKS.md, "Memory"). Release builds for
/// x86-64 Linux, where the list was profiled, and only when the linker takes it
/// ([`linker_takes`]); `TILL_NO_STARTUP_ORDER=1` turns it off. A symbol the list names that the
/// build no longer has is passed over: a stale list costs memory, not a build.
fn order_startup_code() {
    println!("cargo:rerun-if-env-changed=TILL_NO_STARTUP_ORDER");
    let release = env::var("PROFILE").is_ok_and(|p| p == "release");
    let target = env::var("TARGET").is_ok_and(|t| t == "x86_64-unknown-linux-gnu");
    let off = env::var_os("TILL_NO_STARTUP_ORDER").is_some_and(|v| !v.is_empty() && v != "0");
    if !release || !target || off {
        return;
    }
    println!("cargo:rerun-if-changed={STARTUP_SYMBOLS}");
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join(STARTUP_SYMBOLS);
    // `-Xlinker` passes the path whole (`-Wl,` would split it at a comma).
    let args = [
        "-Xlinker".to_string(),
        format!("--symbol-ordering-file={}", list.display()),
        "-Xlinker".to_string(),
        "--no-warn-symbol-ordering".to_string(),
    ];
    if !linker_takes(&args) {
        println!(
            "cargo:warning=the linker does not take the startup symbol list (only LLD and mold \
             do): Till is built without it, and keeps about 7 MB more of its code in memory"
        );
        return;
    }
    for arg in args {
        println!("cargo:rustc-link-arg-bin=till-desktop={arg}");
    }
}

/// Whether the linker this build uses takes `args`: an empty program linked as the app will be
/// (this rustc, the build's flags and linker, for the target) with them. GNU ld and gold refuse
/// the ordering option and would fail the app's link; which linker rustc runs is settled when
/// rustc itself is built (LLD on x86-64 Linux since Rust 1.90, in rustup's toolchains), so
/// trying is the sure way to know.
fn linker_takes(args: &[String]) -> bool {
    linked_probe("startup_order_probe", args).is_some()
}

/// An empty program named `name`, linked as the app will be with `args`; its path, or `None`
/// when it did not link.
fn linked_probe(name: &str, args: &[String]) -> Option<PathBuf> {
    let out_dir = env::var_os("OUT_DIR")?;
    let target = env::var("TARGET").ok()?;
    let program = Path::new(&out_dir).join(name);
    let mut rustc = Command::new(env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()));
    rustc
        .args(["-", "--crate-type", "bin", "--crate-name", name])
        .args(["--target", &target, "-o"])
        .arg(&program);
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    rustc.args(flags.split('\x1f').filter(|f| !f.is_empty()));
    if let Some(linker) = env::var_os("RUSTC_LINKER") {
        let mut set = std::ffi::OsString::from("linker=");
        set.push(linker);
        rustc.arg("-C").arg(set);
    }
    for arg in args {
        rustc.arg("-C").arg(format!("link-arg={arg}"));
    }
    let mut child = rustc
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let written = child
        .stdin
        .take()
        .is_some_and(|mut stdin| stdin.write_all(b"fn main() {}\n").is_ok());
    (child.wait().is_ok_and(|status| status.success()) && written).then_some(program)
}

/// Asks the linker to pack the app's relative relocations (`-z pack-relative-relocs`, DT_RELR).
///
/// Till is a position-independent program: it is loaded at a random address, and the loader
/// shifts each pointer in its data by that address at start. Listed one by one, 24 bytes each,
/// Till's 52,000 such pointers make a table of 1.2 MB that the loader reads whole at start and
/// the process keeps mapped all day; packed (a bitmap over the pointers) it is a few kilobytes
/// (BENCHMARKS.md, "Memory"). The program still loads at a random address.
///
/// glibc reads the packed table from 2.36 on (Debian 12, Ubuntu 22.10), and the linker marks the
/// program with the version it needs (`GLIBC_ABI_DT_RELR`), so an older glibc refuses to start
/// it, naming that version, instead of running it with its pointers unshifted. So the table is
/// packed only on Linux with glibc, when the linker takes the option and an empty program linked
/// with it runs on this machine: a build on an older glibc, or for another machine, leaves the
/// table as it was. The `.deb` depends on glibc 2.36 (tauri.conf.json), as the program in it needs
/// it. `TILL_NO_PACKED_RELOCATIONS=1` turns it off. The build tells the app's tests
/// (`TILL_PACKED_RELOCATIONS`), which check the binary has it.
fn pack_relative_relocations() {
    println!("cargo:rerun-if-env-changed=TILL_NO_PACKED_RELOCATIONS");
    let linux_gnu = env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux")
        && env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|abi| abi == "gnu");
    let here = env::var("HOST").is_ok_and(|host| env::var("TARGET").is_ok_and(|t| t == host));
    let off = env::var_os("TILL_NO_PACKED_RELOCATIONS").is_some_and(|v| !v.is_empty() && v != "0");
    if !linux_gnu || !here || off {
        return;
    }
    let args = ["-Wl,-z,pack-relative-relocs".to_string()];
    let runs = linked_probe("packed_relocations_probe", &args)
        .is_some_and(|program| Command::new(program).status().is_ok_and(|s| s.success()));
    if !runs {
        println!(
            "cargo:warning=this linker or glibc cannot pack relative relocations (glibc 2.36 and \
             a linker that takes -z pack-relative-relocs can): Till is built without, and keeps \
             about 1 MB more of its binary in memory"
        );
        return;
    }
    for arg in args {
        println!("cargo:rustc-link-arg-bin=till-desktop={arg}");
    }
    println!("cargo:rustc-env=TILL_PACKED_RELOCATIONS=1");
}

fn main() {
    order_startup_code();
    pack_relative_relocations();
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/dist/index.html");
    println!("cargo:rerun-if-changed=ui/dist");
    if !dist.exists() {
        // Fail with a sentence instead of tauri-codegen's panic about a missing folder.
        eprintln!(
            "error: the web view is not built ({} is missing).\n\
             Run `cargo xtask setup` once, then `npm --prefix ui run build` \
             (or simply `cargo xtask run` / `cargo xtask test`, which do both).",
            dist.display()
        );
        std::process::exit(1);
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| {
        eprintln!("error: tauri-build failed: {e:#}");
        std::process::exit(1);
    });
}
