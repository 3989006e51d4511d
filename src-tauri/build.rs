//! Build script of the desktop app: checks the web view was built, then lets tauri-build read
//! tauri.conf.json and generate the permission set for the app's own commands.

use std::{env, path::Path, process::Command};

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
/// about 10 MB of it stays mapped at idle (BENCHMARKS.md, "Memory"). Only LLD reads the list
/// (GNU ld and gold refuse the option and fail the link), so only release builds that rustc links
/// with its own LLD get it ([`links_with_rust_lld`]); `TILL_NO_STARTUP_ORDER=1` turns it off. A
/// symbol the list names that the build no longer has is passed over: a stale list costs memory,
/// not a build.
fn order_startup_code() {
    println!("cargo:rerun-if-env-changed=TILL_NO_STARTUP_ORDER");
    let release = env::var("PROFILE").is_ok_and(|p| p == "release");
    let off = env::var_os("TILL_NO_STARTUP_ORDER").is_some_and(|v| !v.is_empty() && v != "0");
    if !release || off || !links_with_rust_lld() {
        return;
    }
    println!("cargo:rerun-if-changed={STARTUP_SYMBOLS}");
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join(STARTUP_SYMBOLS);
    // `-Xlinker` passes the path whole (`-Wl,` would split it at a comma).
    for arg in [
        "-Xlinker",
        &format!("--symbol-ordering-file={}", list.display()),
        "-Xlinker",
        "--no-warn-symbol-ordering",
    ] {
        println!("cargo:rustc-link-arg-bin=till-desktop={arg}");
    }
}

/// Whether rustc links this build with the LLD it ships: its default for x86-64 Linux since
/// Rust 1.90, in toolchains that carry it (`gcc-ld/ld.lld` in the sysroot, as rustup's do),
/// unless the build names a linker of its own.
fn links_with_rust_lld() -> bool {
    const TARGET: &str = "x86_64-unknown-linux-gnu";
    if env::var("TARGET").map_or(true, |t| t != TARGET) {
        return false;
    }
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let own_linker = env::var_os("RUSTC_LINKER").is_some()
        || ["linker", "fuse-ld", "link-self-contained"]
            .iter()
            .any(|f| flags.contains(f));
    if own_linker {
        return false;
    }
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let ask = |args: &[&str]| {
        Command::new(&rustc)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let minor = ask(&["-V"]).and_then(|v| {
        let version = v.split_whitespace().nth(1)?.to_string();
        let mut parts = version.split('.');
        let major: u32 = parts.next()?.parse().ok()?;
        let minor: u32 = parts.next()?.parse().ok()?;
        (major == 1).then_some(minor)
    });
    let sysroot = ask(&["--print", "sysroot"]);
    minor.is_some_and(|m| m >= 90)
        && sysroot.is_some_and(|root| {
            Path::new(&root)
                .join("lib/rustlib")
                .join(TARGET)
                .join("bin/gcc-ld/ld.lld")
                .is_file()
        })
}

fn main() {
    order_startup_code();
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
