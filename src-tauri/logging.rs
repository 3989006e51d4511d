//! The app's log: a file per day in `logs/` of the data folder, the last 14 kept. Errors are
//! logged here with their whole chain; the cashier sees only the plain sentence. Secrets never
//! reach it: credentials only ever appear through types whose Debug prints `<redacted>`.

use std::path::{Path, PathBuf};

use tracing_appender::{non_blocking::WorkerGuard, rolling};
use tracing_subscriber::{fmt, EnvFilter};

/// Days of logs kept.
pub const KEEP_DAYS: usize = 14;

/// The logs' folder inside the data folder.
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Starts logging to the daily file (level from `RUST_LOG`, else `info`). The guard flushes the
/// file when dropped: keep it for the app's lifetime. Returns None (and logs nowhere) when the
/// folder cannot be made, rather than stopping the till.
pub fn start(data_dir: &Path) -> Option<WorkerGuard> {
    let dir = log_dir(data_dir);
    std::fs::create_dir_all(&dir).ok()?;
    let appender = rolling::Builder::new()
        .rotation(rolling::Rotation::DAILY)
        .filename_prefix("till")
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(&dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(writer)
        .try_init()
        .ok()?;
    Some(guard)
}
