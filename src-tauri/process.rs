//! What the desktop process settles before its first thread and its first web view, to keep
//! Till close to the web engine's own floor in memory (issue 18; the figures, each setting
//! measured on its own, are in BENCHMARKS.md).

/// Called first thing in `main`, while the process has one thread: environment variables are
/// read by WebKitGTK and glibc without locks, so they are set before anything else starts.
/// Returns what was refused, for the log once it is open (it is also printed at once).
pub fn prepare() -> Option<String> {
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
        for (name, value) in JIT_LATER {
            if std::env::var_os(name).is_none() {
                std::env::set_var(name, value);
            }
        }
        let limit = std::env::var("TILL_WEB_MEMORY_LIMIT_MB").ok();
        let (limit, refused) = match web_memory_limit(limit.as_deref()) {
            Ok(limit) => (limit, None),
            Err(e) => {
                eprintln!("{e}");
                (Some(WEB_MEMORY_LIMIT_MB), Some(e))
            }
        };
        if let Some(limit_mb) = limit {
            wry::set_memory_pressure(web_memory_pressure(limit_mb));
        }
        refused
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// JavaScriptCore's thresholds for compiling a function to machine code, a hundred times its
/// defaults, which the web process reads from its environment. JavaScriptCore counts each
/// function's calls and loop turns (a call counts for more than a turn) and compiles it once
/// the count passes 500 (100 for one it expects to be hot soon). Starting the app runs
/// thousands of functions that often (the messages, Svelte's runtime, the first render), and
/// at the defaults each became machine code with its profiling data, kept all day for code
/// that never runs again: about 5 MB of the web process at idle. At these thresholds that code stays interpreted, while the
/// code that runs all day (the catalog's search over thousands of items, the cart's redraw)
/// still passes them within its first uses and is compiled as before (BENCHMARKS.md, "Memory":
/// the idle figures and the cart's speed). A shop can set either variable itself.
#[cfg(target_os = "linux")]
const JIT_LATER: [(&str, &str); 2] = [
    ("JSC_thresholdForJITAfterWarmUp", "50000"),
    ("JSC_thresholdForJITSoon", "10000"),
];

/// The web process's memory limit in MB, which WebKit's memory-pressure thresholds are
/// fractions of. WebKit measures its own anonymous dirty memory against them (about 20 to 28 MB
/// at idle on the keypad). Its default limit is the machine's memory capped at 3 GB, with the
/// first threshold a third of it (1 GB on most machines), which a till never reaches, so over a
/// long day the web process kept every page its drawing had touched (the soak in BENCHMARKS.md:
/// +55 % without a limit, +26 % with this one).
#[cfg(target_os = "linux")]
const WEB_MEMORY_LIMIT_MB: u32 = 100;

/// The lowest limit a shop may set: below it the thresholds fall under what the page holds at
/// idle, and WebKit would free memory at every check all day long.
#[cfg(target_os = "linux")]
const WEB_MEMORY_LIMIT_MIN_MB: u32 = 64;

/// WebKit's memory-pressure settings for a limit. Past 30 % of it (30 MB at Till's limit) WebKit
/// frees its caches at each check, past 50 % it also collects JavaScript's garbage and gives its
/// allocator's free pages back; both stay above what the page holds at idle, so an idle till
/// frees nothing. The process is never killed for passing the limit (no kill threshold is set).
/// The footprint is read every 5 s, not WebKit's 30: each read walks `/proc/self/smaps`, about
/// a quarter of a percent of one core at this rate (BENCHMARKS.md), and a burst of sales is
/// answered within seconds. After a busy day the page can stay above the strict threshold, and
/// WebKit then collects at every check: about 0.7 % of a core, and the cart is as fast (the
/// cart's benchmark runs above it throughout).
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
/// shop that measures without it), a whole number from 64 up is the limit. A value that is none
/// of these is refused in plain words, and Till's limit kept.
#[cfg(target_os = "linux")]
fn web_memory_limit(var: Option<&str>) -> Result<Option<u32>, String> {
    let Some(text) = var else {
        return Ok(Some(WEB_MEMORY_LIMIT_MB));
    };
    match text.trim().parse::<u32>() {
        Ok(0) => Ok(None),
        Ok(limit_mb) if limit_mb < WEB_MEMORY_LIMIT_MIN_MB => Err(format!(
            "TILL_WEB_MEMORY_LIMIT_MB is {limit_mb}, below {WEB_MEMORY_LIMIT_MIN_MB} MB, where the \
             web view would free memory at every check even at idle: Till keeps its own limit \
             of {WEB_MEMORY_LIMIT_MB} MB"
        )),
        Ok(limit_mb) => Ok(Some(limit_mb)),
        Err(_) => Err(format!(
            "TILL_WEB_MEMORY_LIMIT_MB is {text:?}, not a whole number of megabytes: \
             Till keeps its own limit of {WEB_MEMORY_LIMIT_MB} MB"
        )),
    }
}

/// How long after a page has loaded the allocator's free pages are given back: the page's first
/// commands (the shop, the alerts, the printer, the catalog) are answered and their memory freed
/// by then.
const GIVE_BACK_AFTER_LOAD: std::time::Duration = std::time::Duration::from_secs(10);

/// Gives the desktop process's free pages back to the system a little after a page has loaded:
/// when Till starts, when the customer display opens, and when a page renews itself after a
/// busy stretch with the till at rest (ui/src/lib/renewal.ts). By then the day's sales and the
/// new page's answers have been freed in the middle of glibc's arenas, which keep them counted
/// as Till's own until asked (`till_malloc::give_back_free_pages`). The walk through the arenas
/// runs on a blocking thread, never on one of the two async workers.
///
/// Then too, on Linux, WebKit's memory monitor's files (open by then: its thread opens them five
/// seconds after the start) are marked close-on-exec, so a web process started later, after a
/// renewal or a crash, does not inherit seven of them ([`keep_memory_monitor_files_to_itself`]).
pub fn give_back_after_load<R: tauri::Runtime>(
    webview: &tauri::Webview<R>,
    page: &tauri::webview::PageLoadPayload<'_>,
) {
    if page.event() != tauri::webview::PageLoadEvent::Finished {
        return;
    }
    // In the log: a page that loads again after a renewal or a crash shows as such.
    tracing::info!(window = %webview.label(), "page loaded");
    tauri::async_runtime::spawn(async {
        tokio::time::sleep(GIVE_BACK_AFTER_LOAD).await;
        let given = tauri::async_runtime::spawn_blocking(|| {
            keep_memory_monitor_files_to_itself();
            till_malloc::give_back_free_pages()
        })
        .await;
        tracing::debug!(?given, "free pages given back after a page load");
    });
}

/// Marks WebKit's memory monitor's files close-on-exec (Linux; elsewhere nothing), so a web
/// process WebKit starts later does not inherit them: after each page load, and again just before
/// the page's process is ended for a renewal or loaded again after a crash, in case the monitor
/// opened them late or anew.
pub fn keep_memory_monitor_files_to_itself() {
    #[cfg(target_os = "linux")]
    {
        let marked = till_webview::webkitgtk::keep_memory_monitor_files_to_itself();
        tracing::debug!(
            marked,
            "WebKit's memory monitor's files kept from its processes"
        );
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
    fn a_web_memory_limit_too_low_to_stay_quiet_at_idle_is_refused() {
        assert_eq!(web_memory_limit(Some("64")), Ok(Some(64)));
        for low in ["1", "63"] {
            let error = web_memory_limit(Some(low)).expect_err(low);
            assert!(error.contains("below 64 MB"), "{error}");
        }
    }

    #[test]
    fn a_web_memory_limit_that_is_not_a_number_is_refused_in_plain_words() {
        for bad in ["", "250MB", "-1", "2.5", "lots"] {
            let error = web_memory_limit(Some(bad)).expect_err(bad);
            assert!(error.contains("not a whole number of megabytes"), "{error}");
        }
    }

    #[test]
    fn settings_outside_webkits_ranges_are_refused() {
        let settings = web_memory_pressure(WEB_MEMORY_LIMIT_MB);
        assert!(settings.is_valid(), "Till's own: {settings:?}");
        let out_of_range = [
            wry::MemoryPressure {
                limit_mb: 0,
                ..settings
            },
            wry::MemoryPressure {
                conservative_threshold: 0.0,
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
            assert!(!refused.is_valid(), "{refused:?}");
        }
    }

    /// The two thresholds as WebKit keeps them when wry sets them in its order, by
    /// WebKitMemoryPressureSettings' documented checks: each between 0 and 1, the conservative
    /// one below the strict one as it stands, a refused value leaving the old one in place.
    fn as_webkit_keeps(wanted: wry::MemoryPressure) -> (f64, f64) {
        let fraction = |v: f64| v > 0.0 && v < 1.0;
        // (conservative, strict), from WebKit's defaults.
        let mut kept = (0.33, 0.5);
        let set_conservative = |(c, s): (f64, f64)| {
            let v = wanted.conservative_threshold;
            if fraction(v) && v < s {
                (v, s)
            } else {
                (c, s)
            }
        };
        let set_strict = |(c, s): (f64, f64)| {
            let v = wanted.strict_threshold;
            if fraction(v) && v > c {
                (c, v)
            } else {
                (c, s)
            }
        };
        if wanted.strict_first() {
            kept = set_conservative(set_strict(kept));
        } else {
            kept = set_strict(set_conservative(kept));
        }
        kept
    }

    #[test]
    fn every_valid_pair_of_thresholds_reaches_webkit() {
        // A pair above both of WebKit's defaults, or below both, arrives only in the right order.
        let pairs = [
            (0.3, 0.5),
            (0.6, 0.8),
            (0.1, 0.2),
            (0.33, 0.34),
            (0.4, 0.45),
            (0.2, 0.3),
        ];
        for (conservative, strict) in pairs {
            let wanted = wry::MemoryPressure {
                conservative_threshold: conservative,
                strict_threshold: strict,
                ..web_memory_pressure(WEB_MEMORY_LIMIT_MB)
            };
            assert!(wanted.is_valid());
            assert_eq!(
                as_webkit_keeps(wanted),
                (conservative, strict),
                "{wanted:?}"
            );
        }
    }
}
