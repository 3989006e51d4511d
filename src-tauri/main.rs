//! The desktop app's entry point. Everything lives in the library so tests can build the same
//! app on Tauri's mock runtime.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    till_app::run();
}
