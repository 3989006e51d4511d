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
    /// The page's own process exited or hangs: load the page again, by the crash rule.
    LoadAgain,
    /// WebView2's browser process exited: every web view of the app is gone and cannot be loaded
    /// again (Microsoft: create new ones), so Till starts itself anew, unless the window had
    /// only just opened ([`UP_BEFORE_RESTART`]).
    Restart,
    /// A helper process (GPU, audio, a frame's) that WebView2 starts again itself, or a lost
    /// WebView2 in a window just opened: the page stays as it is.
    Nothing,
}

/// How long a window must have been up before a lost WebView2 starts Till again: a WebView2 that
/// dies as each start opens its window would otherwise restart Till in a loop.
#[cfg_attr(not(windows), allow(dead_code))]
const UP_BEFORE_RESTART: Duration = Duration::from_secs(60);

/// What to do after a WebView2 process failure of `kind`, in a window up for `up`. A hung page is
/// loaded again like a crashed one: WebView2 reports it after several seconds without an answer,
/// and a till whose keypad does not answer is as useless as a blank one.
#[cfg_attr(not(windows), allow(dead_code))]
fn after_webview2_failure(kind: i32, up: Duration) -> AfterFailure {
    use till_webview::webview2::{
        BROWSER_PROCESS_EXITED, RENDER_PROCESS_EXITED, RENDER_PROCESS_UNRESPONSIVE,
    };
    match kind {
        RENDER_PROCESS_EXITED | RENDER_PROCESS_UNRESPONSIVE => AfterFailure::LoadAgain,
        BROWSER_PROCESS_EXITED if up >= UP_BEFORE_RESTART => AfterFailure::Restart,
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
    let last = Arc::new(Mutex::new(None));
    let done = window.with_webview(move |view| {
        let on_failed = move |kind: i32| match after_webview2_failure(kind, opened.elapsed()) {
            AfterFailure::Nothing => {
                tracing::warn!(window = %label, kind, "a web view process ended; left to WebView2");
            }
            AfterFailure::Restart => {
                tracing::error!(window = %label, kind, "WebView2 itself ended; Till starts again");
                app.request_restart();
            }
            AfterFailure::LoadAgain => load_again(&app, &label, kind, &last),
        };
        if let Err(e) = till_webview::webview2::on_process_failed(&view.controller(), on_failed) {
            tracing::warn!("a crashed page would stay as it is: {e}");
        }
    });
    if let Err(e) = done {
        tracing::warn!("a crashed page would stay as it is: {e}");
    }
}

/// Loads the page of the window `label` again after its process failed, by the crash rule;
/// `last` holds when it was last loaded again after a crash, and that crash's place in its run.
/// The page is loaded through Tauri, the window looked up by its label when it is due, so a
/// customer display closed meanwhile stays closed.
#[cfg(windows)]
fn load_again<R: Runtime>(
    app: &tauri::AppHandle<R>,
    label: &str,
    kind: i32,
    last: &std::sync::Arc<std::sync::Mutex<Option<(Instant, u32)>>>,
) {
    use tauri::Manager;
    let run = crash_run(
        *last.lock().unwrap_or_else(|e| e.into_inner()),
        Instant::now(),
    );
    let wait = wait_after_crash(run);
    let in_a_row = run.saturating_add(1);
    tracing::error!(
        window = %label, kind, crashes_in_a_row = in_a_row, wait_s = wait.as_secs(),
        "the page's web process failed; loading it again"
    );
    let (app, label, last) = (app.clone(), label.to_owned(), last.clone());
    let reload = move || {
        if let Some(window) = app.get_webview_window(&label) {
            *last.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), run));
            if let Err(e) = window.reload() {
                tracing::warn!(window = %label, "could not load the page again: {e}");
            }
        }
    };
    if wait.is_zero() {
        reload();
    } else {
        std::thread::spawn(move || {
            std::thread::sleep(wait);
            reload();
        });
    }
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
            assert_eq!(after_webview2_failure(1, up), AfterFailure::LoadAgain);
            assert_eq!(after_webview2_failure(2, up), AfterFailure::LoadAgain);
        }
        assert_eq!(after_webview2_failure(0, day), AfterFailure::Restart);
        assert_eq!(
            after_webview2_failure(0, Duration::from_secs(60)),
            AfterFailure::Restart
        );
        // WebView2 lost as the window opens: no restart, or Till would restart in a loop.
        assert_eq!(after_webview2_failure(0, new), AfterFailure::Nothing);
        assert_eq!(
            after_webview2_failure(0, Duration::from_secs(59)),
            AfterFailure::Nothing
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
