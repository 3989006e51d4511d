//! A page whose web process ends is loaded again in a new one: after a renewal
//! ([`crate::windows::renew_main_process`], Linux), and after a crash, which would otherwise
//! leave the cashier a blank window (WebKitGTK) or WebView2's "this page is having a problem"
//! until Till is restarted. Everything the page shows comes from Rust and the ledger, so it comes
//! back as it was. Crashes in a row wait longer each time ([`crash_run`], [`wait_after_crash`]),
//! the same rule on Linux and Windows, and for Till's own restarts after a lost WebView2
//! ([`restart_wait`]), whose run is kept in the data folder across the restart.

use std::{
    path::Path,
    time::{Duration, Instant, SystemTime},
};

use tauri::{Runtime, WebviewWindow};

/// Crashes in a row: a crash within five minutes of the page being loaded again after the last
/// one counts as the next of a run. A page that dies each time a few seconds after it loads (a
/// memory it cannot stay under, say) would otherwise start a new web process every few seconds.
const CRASH_RUN: Duration = Duration::from_secs(300);

/// The wait after the second crash of a run, doubled for each crash after it.
const FIRST_WAIT: Duration = Duration::from_secs(10);

/// The longest wait before a page that keeps crashing is loaded again.
const LONGEST_WAIT: Duration = Duration::from_secs(300);

/// The place in its run (0 for the first) of a crash, given how long ago the page was last
/// loaded again (or Till started again) after the crash before it, and that crash's place.
fn crash_run(last: Option<(Duration, u32)>) -> u32 {
    match last {
        Some((since, run)) if since < CRASH_RUN => run.saturating_add(1),
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
    /// again (Microsoft: create new ones), so Till starts itself anew, after [`restart_wait`].
    Restart,
    /// A helper process (GPU, audio, a frame's) that WebView2 starts again itself: the page
    /// stays as it is.
    Nothing,
}

/// How long a page WebView2 reports hung is given to answer before it is loaded again: it may
/// only be busy. WebView2 repeats the report while the page hangs; repeats are not counted
/// while a reload is due.
#[cfg_attr(not(windows), allow(dead_code))]
const HANG_GRACE: Duration = Duration::from_secs(10);

/// What to do after a WebView2 process failure of `kind`. A hung page is loaded again like a
/// crashed one, after [`HANG_GRACE`]: a till whose keypad does not answer is as useless as a
/// blank one, and everything the page shows comes back from Rust.
#[cfg_attr(not(windows), allow(dead_code))]
fn after_webview2_failure(kind: i32) -> AfterFailure {
    use till_webview::webview2::{
        BROWSER_PROCESS_EXITED, RENDER_PROCESS_EXITED, RENDER_PROCESS_UNRESPONSIVE,
    };
    match kind {
        RENDER_PROCESS_EXITED => AfterFailure::LoadAgain(Duration::ZERO),
        RENDER_PROCESS_UNRESPONSIVE => AfterFailure::LoadAgain(HANG_GRACE),
        BROWSER_PROCESS_EXITED => AfterFailure::Restart,
        _ => AfterFailure::Nothing,
    }
}

/// The file in the data folder that remembers when Till last started itself again (or will,
/// once its wait is over) after a lost WebView2, and that restart's place in its run:
/// `<seconds since 1970> <place>`. A new process cannot know otherwise that it
/// was started again, and a WebView2 that dies as each start opens its window would restart Till
/// in a loop.
#[cfg_attr(not(windows), allow(dead_code))]
const RESTARTS_FILE: &str = "webview-restarts";

/// The last restart and its place in its run, read from [`RESTARTS_FILE`]'s text; `None` for
/// anything else (no file, a file damaged or from elsewhere), which counts as no recent restart.
#[cfg_attr(not(windows), allow(dead_code))]
fn read_restart(text: &str) -> Option<(u64, u32)> {
    let mut words = text.split_whitespace();
    let at = words.next()?.parse().ok()?;
    let run = words.next()?.parse().ok()?;
    words.next().is_none().then_some((at, run))
}

/// How long to wait before Till starts itself again after losing WebView2 at `now`, by the crash
/// rule over its restarts; records in `data_dir` first when this restart will be and its place.
/// A loss more than five minutes after the last restart is the first of a run and restarts at
/// once; one soon after waits 10 s, then doubling to five minutes. The time kept is the restart's,
/// not the loss's, so that a long wait does not end the run. A clock set back counts as soon
/// after. If the record cannot be written the next start could not know, so the wait is the
/// longest.
#[cfg_attr(not(windows), allow(dead_code))]
fn restart_wait(data_dir: &Path, now: SystemTime) -> Duration {
    let path = data_dir.join(RESTARTS_FILE);
    let last = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| read_restart(&text))
        .and_then(|(at, run)| {
            // A time past what the system's clock can hold is a damaged record too.
            let at = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(at))?;
            Some((now.duration_since(at).unwrap_or(Duration::ZERO), run))
        });
    let run = crash_run(last);
    let wait = wait_after_crash(run);
    let restart_at = now
        .checked_add(wait)
        .unwrap_or(now)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    match std::fs::write(&path, format!("{restart_at} {run}\n")) {
        Ok(()) => wait,
        Err(e) => {
            tracing::warn!(path = %path.display(), "cannot record the restart: {e}");
            LONGEST_WAIT
        }
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
                let run = crash_run(last.get().map(|(at, run): (Instant, u32)| (at.elapsed(), run)));
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
    // Found once, now, and by itself: a wrong setting elsewhere must not cost the record.
    let data_dir = till_core::Environment::data_dir_from_process();
    let crashes = Arc::new(Mutex::new(Crashes::default()));
    let done = window.with_webview(move |view| {
        let on_failed = move |kind: i32| match after_webview2_failure(kind) {
            AfterFailure::Nothing => {
                tracing::warn!(window = %label, kind, "a web view process ended; left to WebView2");
            }
            AfterFailure::Restart => restart(&app, data_dir.as_deref(), &label, kind),
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

/// Starts Till again after WebView2 itself ended, by [`restart_wait`] over the record in
/// `data_dir` (the longest wait without one); the window shows WebView2's error page meanwhile.
/// Each window reports the loss: the first schedules the restart, the others find it scheduled.
/// The record is read and written off WebView2's event, on a blocking thread.
#[cfg(windows)]
fn restart<R: Runtime>(app: &tauri::AppHandle<R>, data_dir: Option<&Path>, label: &str, kind: i32) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static SCHEDULED: AtomicBool = AtomicBool::new(false);
    if SCHEDULED.swap(true, Ordering::SeqCst) {
        return;
    }
    tracing::error!(window = %label, kind, "WebView2 itself ended; Till starts again");
    let (app, data_dir) = (app.clone(), data_dir.map(Path::to_path_buf));
    tauri::async_runtime::spawn(async move {
        let wait = match data_dir {
            Some(dir) => {
                tauri::async_runtime::spawn_blocking(move || restart_wait(&dir, SystemTime::now()))
                    .await
                    .unwrap_or(LONGEST_WAIT)
            }
            None => {
                tracing::warn!("no data folder to record the restart in");
                LONGEST_WAIT
            }
        };
        tracing::info!(wait_s = wait.as_secs(), "Till starts again after this wait");
        tokio::time::sleep(wait).await;
        app.request_restart();
    });
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
        let run = crash_run(now.last.map(|(at, run)| (at.elapsed(), run)));
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
        let ago = Duration::from_secs;
        // The first crash, or one long after the last: a run of its own.
        assert_eq!(crash_run(None), 0);
        assert_eq!(crash_run(Some((ago(300), 3))), 0);
        assert_eq!(crash_run(Some((ago(3_600), 3))), 0);
        // Soon after, or a page that dies a little while after each load: the next of the run.
        assert_eq!(crash_run(Some((ago(0), 0))), 1);
        assert_eq!(crash_run(Some((ago(12), 1))), 2);
        assert_eq!(crash_run(Some((ago(299), 5))), 6);
        assert_eq!(crash_run(Some((ago(1), u32::MAX))), u32::MAX);
    }

    #[test]
    fn a_webview2_page_that_died_or_hangs_loads_again_and_a_lost_webview2_restarts_till() {
        // Died: by the crash rule alone; hung: given ten seconds to answer first.
        assert_eq!(
            after_webview2_failure(1),
            AfterFailure::LoadAgain(Duration::ZERO)
        );
        assert_eq!(
            after_webview2_failure(2),
            AfterFailure::LoadAgain(HANG_GRACE)
        );
        assert_eq!(HANG_GRACE, Duration::from_secs(10));
        assert_eq!(after_webview2_failure(0), AfterFailure::Restart);
        // A frame's renderer, utility, sandbox helper, GPU, plug-in processes, unknown: left to
        // WebView2, which starts them again.
        for kind in 3..=9 {
            assert_eq!(
                after_webview2_failure(kind),
                AfterFailure::Nothing,
                "kind {kind}"
            );
        }
        assert_eq!(after_webview2_failure(-1), AfterFailure::Nothing);
    }

    #[test]
    fn restarts_in_a_row_wait_longer_across_processes_and_a_lost_record_waits_longest() {
        let dir = tempfile::tempdir().unwrap();
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let at = |s: u64| t + Duration::from_secs(s);
        let record = || std::fs::read_to_string(dir.path().join(RESTARTS_FILE)).unwrap();
        // The first restart comes at once; WebView2 then lost 5 s after each new start, each a
        // new process that reads the last one's record: the waits double to five minutes, and
        // a loss 5 s after a restart that waited five minutes is still the next of the run.
        assert_eq!(restart_wait(dir.path(), t), Duration::ZERO);
        assert_eq!(record(), "1800000000 0\n");
        let mut restarted = 0;
        for expected in [10, 20, 40, 80, 160, 300, 300] {
            let wait = restart_wait(dir.path(), at(restarted + 5));
            assert_eq!(wait, Duration::from_secs(expected));
            restarted += 5 + expected;
        }
        assert_eq!(record(), "1800000945 7\n");
        // Lost again after a long day: a run of its own, at once.
        assert_eq!(restart_wait(dir.path(), at(8 * 3_600)), Duration::ZERO);
        // A clock set back counts as soon after.
        assert_eq!(restart_wait(dir.path(), at(60)), Duration::from_secs(10));
        // A damaged record is no record.
        for damaged in [
            "",
            "yesterday 2",
            "1800000000",
            "1800000000 -1",
            "1 2 3",
            "\u{0}\u{ff}",
            // Past what any system's clock holds (adding it would panic).
            "18446744073709551615 0",
        ] {
            std::fs::write(dir.path().join(RESTARTS_FILE), damaged).unwrap();
            assert_eq!(
                restart_wait(dir.path(), at(9 * 3_600)),
                Duration::ZERO,
                "{damaged:?}"
            );
        }
        assert_eq!(read_restart(" 12  3 \n"), Some((12, 3)));
        // A record that cannot be written: the next start could not know, so the longest wait.
        let gone = dir.path().join("no such folder");
        assert_eq!(restart_wait(&gone, at(10 * 3_600)), LONGEST_WAIT);
    }
}
