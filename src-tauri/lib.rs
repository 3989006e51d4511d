//! The desktop shell: builds the Tauri app around `till-core` and exposes it to the web view.
//!
//! The shell is deliberately thin. A command pulls state, calls one core function and converts
//! the error; anything worth testing without a window lives in the crates.

mod commands;
mod error;
mod state;

pub use commands::AppInfo;
pub use error::IpcError;
pub use state::Shell;

use tauri::{Builder, Runtime};

/// Adds the till's state and commands to a builder. `run` calls it with the real runtime; the
/// tests call it with `tauri::test::mock_builder()` and go through the real IPC path.
pub fn builder<R: Runtime>(builder: Builder<R>, shell: Shell) -> Builder<R> {
    builder
        .manage(shell)
        .invoke_handler(tauri::generate_handler![commands::app_info])
}

/// Starts the desktop app.
pub fn run() {
    let shell = Shell::from_process();
    if let Err(e) = builder(Builder::default(), shell).run(tauri::generate_context!()) {
        eprintln!("Till could not start its window: {e}");
        std::process::exit(1);
    }
}
