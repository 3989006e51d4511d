//! A bare Tauri 2 app: the template's `main`, a window the size of Till's, and a page of one
//! heading, the same page as `webkit-floor`'s. No commands, no plugins, no settings of Till's.
//!
//! `e2e/bench/memory.mjs` measures it beside Till and the bare WebKitGTK window, so the share
//! the issue budgets (Till over the bare window) splits into what Tauri itself holds (this app
//! over the bare window) and what Till holds over any Tauri app (Till over this one).

// No console window behind the app on Windows release builds, as Till's own.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("tauri-floor: {e}");
        std::process::exit(1);
    }
}
