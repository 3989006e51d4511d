//! Build script of the desktop app: checks the web view was built, then lets tauri-build read
//! tauri.conf.json and generate the permission set for the app's own commands.

use std::path::Path;

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
/// about 10 MB of it stays mapped at idle (BENCHMARKS.md, "Memory"). Release builds for x86-64
/// Linux only: Rust links those with LLD, which reads the list; a symbol the list names that the
/// build no longer has is passed over, so a stale list costs memory, never a build.
fn order_startup_code() {
    println!("cargo:rerun-if-changed={STARTUP_SYMBOLS}");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let lld_target = std::env::var("TARGET").is_ok_and(|t| t == "x86_64-unknown-linux-gnu");
    if release && lld_target {
        let list = Path::new(env!("CARGO_MANIFEST_DIR")).join(STARTUP_SYMBOLS);
        let arg = "cargo:rustc-link-arg-bin=till-desktop";
        println!("{arg}=-Wl,--symbol-ordering-file={}", list.display());
        println!("{arg}=-Wl,--no-warn-symbol-ordering");
    }
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
