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
        let limit = std::env::var("TILL_WEB_MEMORY_LIMIT_MB").ok();
        match web_memory_limit(limit.as_deref()) {
            Ok(Some(limit_mb)) => {
                wry::set_memory_pressure(web_memory_pressure(limit_mb));
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!("{e}");
                wry::set_memory_pressure(web_memory_pressure(WEB_MEMORY_LIMIT_MB));
            }
        }
    }
}

/// The web process's memory limit in MB, which WebKit's memory-pressure thresholds are
/// fractions of. WebKit measures its own anonymous dirty memory against them (about 20 to 28 MB
/// at idle on the keypad). Its default limit is a third of the machine's memory (up to 3 GB),
/// which a till never reaches, so over a long day the web process kept every page its drawing
/// had touched (the soak in BENCHMARKS.md: +55 % without a limit, +25 % with this one).
#[cfg(target_os = "linux")]
const WEB_MEMORY_LIMIT_MB: u32 = 100;

/// WebKit's memory-pressure settings for a limit. Past 30 % of it (30 MB at Till's limit) WebKit
/// frees its caches at each check, past 50 % it also collects JavaScript's garbage and gives its
/// allocator's free pages back; both stay above what the page holds at idle, so an idle till
/// frees nothing. The process is never killed for passing the limit (no kill threshold is set).
/// The footprint is read every 5 s, not WebKit's 30: each read walks `/proc/self/smaps`, about
/// 0.2 % of a core at this rate (BENCHMARKS.md), and a burst of sales is answered within seconds.
#[cfg(target_os = "linux")]
fn web_memory_pressure(limit_mb: u32) -> wry::MemoryPressure {
    wry::MemoryPressure {
        limit_mb,
        conservative_threshold: 0.3,
        strict_threshold: 0.5,
        poll_interval_seconds: 5.0,
    }
}

/// Reads `TILL_WEB_MEMORY_LIMIT_MB`: unset means Till's limit, `0` leaves WebKit's own (for a
/// shop that measures without it), any other whole number is the limit. A value that is none of
/// these is refused in plain words, and Till's limit kept.
#[cfg(target_os = "linux")]
fn web_memory_limit(var: Option<&str>) -> Result<Option<u32>, String> {
    let Some(text) = var else {
        return Ok(Some(WEB_MEMORY_LIMIT_MB));
    };
    match text.trim().parse::<u32>() {
        Ok(0) => Ok(None),
        Ok(limit_mb) => Ok(Some(limit_mb)),
        Err(_) => Err(format!(
            "TILL_WEB_MEMORY_LIMIT_MB is {text:?}, not a whole number of megabytes: \
             Till keeps its own limit of {WEB_MEMORY_LIMIT_MB} MB"
        )),
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_web_memory_limit_is_tills_unless_a_shop_sets_one() {
        assert_eq!(web_memory_limit(None), Ok(Some(WEB_MEMORY_LIMIT_MB)));
        assert_eq!(web_memory_limit(Some("400")), Ok(Some(400)));
        assert_eq!(web_memory_limit(Some(" 320 ")), Ok(Some(320)));
        assert_eq!(web_memory_limit(Some("0")), Ok(None));
    }

    #[test]
    fn a_web_memory_limit_that_is_not_a_number_is_refused_in_plain_words() {
        for bad in ["", "250MB", "-1", "2.5", "lots"] {
            let error = web_memory_limit(Some(bad)).expect_err(bad);
            assert!(error.contains("not a whole number of megabytes"), "{error}");
        }
    }

    #[test]
    fn tills_settings_are_inside_webkits_ranges() {
        // wry refuses settings WebKit would only warn about; Till's own must never be refused.
        let settings = web_memory_pressure(WEB_MEMORY_LIMIT_MB);
        let out_of_range = [
            wry::MemoryPressure {
                limit_mb: 0,
                ..settings
            },
            wry::MemoryPressure {
                conservative_threshold: 0.6,
                ..settings
            },
            wry::MemoryPressure {
                strict_threshold: 1.0,
                ..settings
            },
            wry::MemoryPressure {
                poll_interval_seconds: 0.0,
                ..settings
            },
        ];
        for refused in out_of_range {
            assert!(!wry::set_memory_pressure(refused), "{refused:?}");
        }
        assert!(wry::set_memory_pressure(settings));
        assert!(
            !wry::set_memory_pressure(settings),
            "the first settings win"
        );
    }
}
