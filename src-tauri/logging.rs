//! The app's log: a file per day in `logs/` of the data folder, the last 14 kept. Errors are
//! logged here with their whole chain; the cashier sees only the plain sentence. Secrets never
//! reach it: credentials only ever appear through types whose Debug prints `<redacted>`.

use std::path::{Path, PathBuf};

use tracing_appender::{
    non_blocking::{NonBlockingBuilder, WorkerGuard},
    rolling,
};
use tracing_subscriber::{fmt, EnvFilter};

/// Days of logs kept.
pub const KEEP_DAYS: usize = 14;

/// Lines that may wait for the log's writer thread; beyond them a line is dropped rather than
/// the till kept waiting on a slow disk. tracing-appender's default, 128,000, is a queue of
/// 4 MB allocated and written whole at start (32 bytes a slot), which was the largest single
/// part of Till's own memory at idle; a sale writes a few lines, so 4,096 is ample for any burst.
const LOG_QUEUE_LINES: usize = 4_096;

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
    let (writer, guard) = NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_QUEUE_LINES)
        .lossy(true)
        .finish(appender);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(writer)
        .try_init()
        .ok()?;
    Some(guard)
}
