//! What the desktop process settles before its first thread and its first web view, to keep
//! Till close to the web engine's own floor in memory (issue 18; the figures, each setting
//! measured on its own, are in BENCHMARKS.md).

/// Called first thing in `main`, while the process has one thread: environment variables are
/// read by WebKitGTK and glibc without locks, so they are set before anything else starts.
pub fn prepare() {
    // Before the first large block is freed: the lists and reports of a long day then give
    // their memory back instead of growing glibc's arenas (till-malloc says how).
    till_malloc::keep_large_blocks_apart();
    #[cfg(target_os = "linux")]
    {
        // WebKitGTK's accelerated compositing keeps a backing store per layer in the web
        // process (in software where there is no GPU), about 80 MB at the production window's
        // size; a till's screens are flat and need none of it, and painting without it is faster
        // here (the cart's repaint in BENCHMARKS.md). A shop that wants it back sets the
        // variable to 0 itself; WebKit reads any other value as "off".
        if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
            std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
        }
    }
}

/// The async runtime the shell's tasks (the sale watcher, the gateway's requests, the printer
/// and card readers) run on: two workers whatever the number of cores. Tauri's default has one
/// per core, and a till waits on the network far more than it computes.
pub fn async_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("till-async")
        .enable_all()
        .build()
}
