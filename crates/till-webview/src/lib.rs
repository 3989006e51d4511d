//! The few places Till reaches beneath Tauri into the platform's web view, each for something
//! neither Tauri nor wry does: [`webview2`], a page whose process failed on Windows;
//! [`webkitgtk`], WebKit's memory monitor's files kept from the web processes it starts later on
//! Linux. The workspace forbids `unsafe`; this crate denies it, and allows it at each system
//! call with its reason.

pub mod webview2;

#[cfg(target_os = "linux")]
pub mod webkitgtk;
