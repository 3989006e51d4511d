//! tauri-build reads tauri.conf.json beside this file, as it does for any Tauri app.

fn main() {
    tauri_build::build();
}
