//! The desktop app's entry point. Everything lives in the library so tests can build the same
//! app on Tauri's mock runtime.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // A till's screens need no GPU layers. Without them WebKitGTK's web process needs about
    // 80 MB less (measured in BENCHMARKS.md), and there is no GL to go wrong on a shop's old
    // laptop. Set before any thread starts; a value the user set wins.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    till_app::run();
}
