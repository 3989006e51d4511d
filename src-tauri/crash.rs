//! A page whose web process ends is loaded again in a new one: after a renewal
//! ([`crate::windows::renew_main_process`], Linux), and after a crash, which would otherwise
//! leave the cashier a blank window (WebKitGTK) or WebView2's "this page is having a problem"
//! until Till is restarted. Everything the page shows comes from Rust and the ledger, so it comes
//! back as it was. Crashes in a row wait longer each time ([`crash_run`], [`wait_after_crash`]),
//! the same rule on Linux and Windows.

use std::time::{Duration, Instant};

use tauri::{Runtime, WebviewWindow};

/// Crashes in a row: a crash within five minutes of the page being loaded again after the last
/// one counts as the next of a run. A page that dies each time a few seconds after it loads (a
/// memory it cannot stay under, say) would otherwise start a new web process every few seconds.
const CRASH_RUN: Duration = Duration::from_secs(300);

/// The wait after the second crash of a run, doubled for each crash after it.
const FIRST_WAIT: Duration = Duration::from_secs(10);

/// The longest wait before a page that keeps crashing is loaded again.
const LONGEST_WAIT: Duration = Duration::from_secs(300);

/// The place in its run (0 for the first) of a crash at `now`, given when the page was last
/// loaded again after a crash and that crash's place.
fn crash_run(last: Option<(Instant, u32)>, now: Instant) -> u32 {
    match last {
        Some((reloaded_at, run)) if now.saturating_duration_since(reloaded_at) < CRASH_RUN => {
            run.saturating_add(1)
        }
        _ => 0,
    }
}

/// How long to wait before loading the page again after the `run`-th crash in a row (0 for the
/// first): at once, then 10 s, doubling to 5 minutes. A window is never left blank for good (a
/// crash from a passing shortage of memory heals itself), and a page that cannot load costs a
/// process start every few minutes, not a loop.
fn wait_after_crash(run: u32) -> Duration {
    match run {
        0 => Duration::ZERO,
        n => FIRST_WAIT
            .saturating_mul(1 << (n - 1).min(16))
            .min(LONGEST_WAIT),
    }
}

/// What Till does when WebView2 reports a process behind a page failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(windows), allow(dead_code))]
enum AfterFailure {
    /// The page's own process exited or hangs: load the page again, by the crash rule, waiting
    /// at least this long.
    LoadAgain(Duration),
    /// WebView2's browser process exited: every web view of the app is gone and cannot be loaded
    /// again (Microsoft: create new ones), so Till starts itself anew.
    Restart,
    /// WebView2's browser process exited within [`UP_BEFORE_RESTART`] of the window opening:
    /// starting again would likely loop, so the window stays as it is until Till is started by
    /// hand, and the log says so.
    Stranded,
    /// A helper process (GPU, audio, a frame's) that WebView2 starts again itself: the page
    /// stays as it is.
    Nothing,
}

/// How long a window must have been up before a lost WebView2 starts Till again: a WebView2 that
/// dies as each start opens its window would otherwise restart Till in a loop.
#[cfg_attr(not(windows), allow(dead_code))]
const UP_BEFORE_RESTART: Duration = Duration::from_secs(60);

/// How long a page WebView2 reports hung is given to answer before it is loaded again: it may
/// only be busy. WebView2 repeats the report while the page hangs; repeats are not counted
/// while a reload is due.
#[cfg_attr(not(windows), allow(dead_code))]
const HANG_GRACE: Duration = Duration::from_secs(10);

/// What to do after a WebView2 process failure of `kind`, in a window up for `up`. A hung page is
/// loaded again like a crashed one, after [`HANG_GRACE`]: a till whose keypad does not answer is
/// as useless as a blank one, and everything the page shows comes back from Rust.
#[cfg_attr(not(windows), allow(dead_code))]
fn after_webview2_failure(kind: i32, up: Duration) -> AfterFailure {
    use till_webview::webview2::{
        BROWSER_PROCESS_EXITED, RENDER_PROCESS_EXITED, RENDER_PROCESS_UNRESPONSIVE,
    };
    match kind {
        RENDER_PROCESS_EXITED => AfterFailure::LoadAgain(Duration::ZERO),
        RENDER_PROCESS_UNRESPONSIVE => AfterFailure::LoadAgain(HANG_GRACE),
        BROWSER_PROCESS_EXITED if up >= UP_BEFORE_RESTART => AfterFailure::Restart,
        BROWSER_PROCESS_EXITED => AfterFailure::Stranded,
        _ => AfterFailure::Nothing,
    }
}

/// Loads `window`'s page again whenever its web process ends (WebKitGTK's
/// `web-process-terminated`): at once after a renewal, by the crash rule after a crash.
#[cfg(target_os = "linux")]
pub fn reload_when_its_process_ends<R: Runtime>(window: &WebviewWindow<R>) {
    use std::{cell::Cell, rc::Rc};
    let label = window.label().to_owned();
    let done = window.with_webview(move |view| {
        use webkit2gtk::{glib, glib::prelude::ObjectExt, WebProcessTerminationReason as Reason, WebViewExt};
        // When the page was last loaded again after a crash, and that crash's place in its run.
        let last = Rc::new(Cell::new(None::<(Instant, u32)>));
        view.inner()
            .connect_web_process_terminated(move |view, reason| {
                if reason == Reason::TerminatedByApi {
                    view.reload();
                    return;
                }
                let run = crash_run(last.get(), Instant::now());
                let wait = wait_after_crash(run);
                tracing::error!(window = %label, ?reason, crashes_in_a_row = run.saturating_add(1), wait_s = wait.as_secs(), "the page's web process ended; loading it again");
                // Weak: a window closed while it waits (the customer display) is not loaded again.
                let (weak, last) = (view.downgrade(), last.clone());
                glib::timeout_add_local_once(wait, move || {
                    if let Some(view) = weak.upgrade() {
                        last.set(Some((Instant::now(), run)));
                        crate::process::keep_memory_monitor_files_to_itself();
                        view.reload();
                    }
                });
            });
    });
    if let Err(e) = done {
        tracing::warn!("a crashed page would stay blank: {e}");
    }
}

/// Loads `window`'s page again when WebView2 reports its process failed (`ProcessFailed`, through
/// `till_webview::webview2`), by the crash rule; starts Till anew when WebView2 itself is gone.
#[cfg(windows)]
pub fn reload_when_its_process_ends<R: Runtime>(window: &WebviewWindow<R>) {
    use std::sync::{Arc, Mutex};
    use tauri::Manager;
    let label = window.label().to_owned();
    let app = window.app_handle().clone();
    let opened = Instant::now();
    let crashes = Arc::new(Mutex::new(Crashes::default()));
    let done = window.with_webview(move |view| {
        let on_failed = move |kind: i32| match after_webview2_failure(kind, opened.elapsed()) {
            AfterFailure::Nothing => {
                tracing::warn!(window = %label, kind, "a web view process ended; left to WebView2");
            }
            AfterFailure::Restart => {
                tracing::error!(window = %label, kind, "WebView2 itself ended; Till starts again");
                app.request_restart();
            }
            AfterFailure::Stranded => {
                tracing::error!(
                    window = %label, kind,
                    "WebView2 itself ended within a minute of the window opening: \
                     Till is not started again (it would likely loop); start it by hand"
                );
            }
            AfterFailure::LoadAgain(at_least) => {
                load_again(&app, &label, kind, at_least, &crashes);
            }
        };
        if let Err(e) = till_webview::webview2::on_process_failed(&view.controller(), on_failed) {
            tracing::warn!("a crashed page would stay as it is: {e}");
        }
    });
    if let Err(e) = done {
        tracing::warn!("a crashed page would stay as it is: {e}");
    }
}

/// A window's crashes, on Windows: when its page was last loaded again after one, and that
/// crash's place in its run; and whether a reload is due, so that WebView2's repeated reports of
/// one hang, or a crash reported while a reload waits, schedule nothing more.
#[cfg(windows)]
#[derive(Debug, Default)]
struct Crashes {
    last: Option<(Instant, u32)>,
    due: bool,
}

/// Loads the page of the window `label` again after its process failed, by the crash rule and
/// at least `at_least` later, unless a reload is already due. Always from the async runtime,
/// never inside WebView2's event (which is still putting up its own error page then), through
/// Tauri, the window looked up by its label when it is due, so a customer display closed
/// meanwhile stays closed.
#[cfg(windows)]
fn load_again<R: Runtime>(
    app: &tauri::AppHandle<R>,
    label: &str,
    kind: i32,
    at_least: Duration,
    crashes: &std::sync::Arc<std::sync::Mutex<Crashes>>,
) {
    use tauri::Manager;
    let (run, wait) = {
        let mut now = crashes.lock().unwrap_or_else(|e| e.into_inner());
        if now.due {
            tracing::debug!(window = %label, kind, "a reload is already due");
            return;
        }
        now.due = true;
        let run = crash_run(now.last, Instant::now());
        (run, wait_after_crash(run).max(at_least))
    };
    tracing::error!(
        window = %label, kind, crashes_in_a_row = run.saturating_add(1), wait_s = wait.as_secs(),
        "the page's web process failed; loading it again"
    );
    let (app, label, crashes) = (app.clone(), label.to_owned(), crashes.clone());
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(wait).await;
        let window = app.get_webview_window(&label);
        {
            let mut now = crashes.lock().unwrap_or_else(|e| e.into_inner());
            now.due = false;
            if window.is_some() {
                now.last = Some((Instant::now(), run));
            }
        }
        if let Some(Err(e)) = window.map(|w| w.reload()) {
            tracing::warn!(window = %label, "could not load the page again: {e}");
        }
    });
}

/// Elsewhere the page is left to its web view.
#[cfg(not(any(target_os = "linux", windows)))]
pub fn reload_when_its_process_ends<R: Runtime>(window: &WebviewWindow<R>) {
    let _ = window;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_reloads_at_once_and_crashes_in_a_row_wait_longer_up_to_five_minutes() {
        let waits: Vec<u64> = (0..8).map(|n| wait_after_crash(n).as_secs()).collect();
        assert_eq!(waits, [0, 10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(wait_after_crash(u32::MAX), Duration::from_secs(300));
    }

    #[test]
    fn a_crash_within_five_minutes_of_the_page_loading_again_is_the_next_of_its_run() {
        let t = Instant::now();
        let at = |s: u64| t + Duration::from_secs(s);
        // The first crash, or one long after the last: a run of its own.
        assert_eq!(crash_run(None, t), 0);
        assert_eq!(crash_run(Some((t, 3)), at(300)), 0);
        assert_eq!(crash_run(Some((t, 3)), at(3_600)), 0);
        // Soon after, or a page that dies a little while after each load: the next of the run.
        assert_eq!(crash_run(Some((t, 0)), at(1)), 1);
        assert_eq!(crash_run(Some((t, 1)), at(12)), 2);
        assert_eq!(crash_run(Some((t, 5)), at(299)), 6);
        assert_eq!(crash_run(Some((t, u32::MAX)), at(1)), u32::MAX);
    }

    #[test]
    fn a_webview2_page_that_died_or_hangs_loads_again_and_a_lost_webview2_restarts_till() {
        let (new, day) = (Duration::from_secs(5), Duration::from_secs(8 * 3_600));
        for up in [new, day] {
            // Died: by the crash rule alone; hung: given ten seconds to answer first.
            assert_eq!(
                after_webview2_failure(1, up),
                AfterFailure::LoadAgain(Duration::ZERO)
            );
            assert_eq!(
                after_webview2_failure(2, up),
                AfterFailure::LoadAgain(HANG_GRACE)
            );
        }
        assert_eq!(HANG_GRACE, Duration::from_secs(10));
        assert_eq!(after_webview2_failure(0, day), AfterFailure::Restart);
        assert_eq!(
            after_webview2_failure(0, Duration::from_secs(60)),
            AfterFailure::Restart
        );
        // WebView2 lost as the window opens: no restart, or Till would restart in a loop.
        assert_eq!(after_webview2_failure(0, new), AfterFailure::Stranded);
        assert_eq!(
            after_webview2_failure(0, Duration::from_secs(59)),
            AfterFailure::Stranded
        );
        // A frame's renderer, utility, sandbox helper, GPU, plug-in processes, unknown: left to
        // WebView2, which starts them again.
        for kind in 3..=9 {
            assert_eq!(
                after_webview2_failure(kind, day),
                AfterFailure::Nothing,
                "kind {kind}"
            );
        }
        assert_eq!(after_webview2_failure(-1, day), AfterFailure::Nothing);
    }
}
