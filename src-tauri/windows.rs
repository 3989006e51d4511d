//! The customer display: a second window that mirrors the sale for the customer. It can be moved
//! to a second screen and made fullscreen; its position and size are remembered in the ledger's
//! settings.

use tauri::{
    AppHandle, Manager, PhysicalPosition, PhysicalSize, Runtime, WebviewUrl, WebviewWindowBuilder,
    WindowEvent,
};

use crate::Shell;

/// The customer display's window label.
pub const CUSTOMER: &str = "customer";
const GEOMETRY: &str = "customer_display_geometry";

fn saved_geometry<R: Runtime>(app: &AppHandle<R>) -> Option<(i32, i32, u32, u32)> {
    let shell = app.state::<Shell>();
    let core = shell.core().ok()?;
    let text = core.till.ledger().setting(GEOMETRY).ok()??;
    let v: Vec<i64> = text
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    match v.as_slice() {
        [x, y, w, h] if *w >= 320 && *h >= 240 && *w <= 10_000 && *h <= 10_000 => Some((
            i32::try_from(*x).ok()?,
            i32::try_from(*y).ok()?,
            *w as u32,
            *h as u32,
        )),
        _ => None,
    }
}

fn save_geometry<R: Runtime>(
    app: &AppHandle<R>,
    pos: PhysicalPosition<i32>,
    size: PhysicalSize<u32>,
) {
    let shell = app.state::<Shell>();
    if let Ok(core) = shell.core() {
        let _ = core.till.ledger().set_setting(
            GEOMETRY,
            &format!("{},{},{},{}", pos.x, pos.y, size.width, size.height),
        );
    }
}

/// Opens the customer display, or focuses it when it is open.
///
/// The window exists only while it is shown (closing it destroys it), and on Linux its web view
/// is related to the main window's, so WebKitGTK runs both pages in one web process: opening the
/// display costs a page, not a second copy of the engine (BENCHMARKS.md has the figures). The
/// relation needs the main web view itself, which Tauri hands over on the main thread, so there
/// the window is built a moment after this returns.
pub fn open_customer_display<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if let Some(w) = app.get_webview_window(CUSTOMER) {
        return w.set_focus();
    }
    #[cfg(target_os = "linux")]
    if std::any::TypeId::of::<R>() == std::any::TypeId::of::<tauri::Wry>() {
        if let Some(main) = app.get_webview_window(MAIN) {
            let handle = app.clone();
            return main.with_webview(move |main_view| {
                // Asked twice before the first was built: one window.
                if handle.get_webview_window(CUSTOMER).is_some() {
                    return;
                }
                let built = customer_window(&handle)
                    .with_related_view(main_view.inner())
                    .build();
                match built {
                    Ok(window) => {
                        place(&handle, &window);
                        reload_when_its_process_ends(&window);
                    }
                    Err(e) => tracing::warn!("could not open the customer display: {e}"),
                }
            });
        }
    }
    let window = customer_window(app).build()?;
    place(app, &window);
    Ok(())
}

/// The main window's label, from tauri.conf.json (its web view is the one Linux relates to).
#[cfg(target_os = "linux")]
const MAIN: &str = "main";

fn customer_window<R: Runtime>(app: &AppHandle<R>) -> WebviewWindowBuilder<'_, R, AppHandle<R>> {
    let mut builder =
        WebviewWindowBuilder::new(app, CUSTOMER, WebviewUrl::App("index.html#customer".into()))
            .title("Till: customer display")
            .inner_size(800.0, 600.0)
            .min_inner_size(320.0, 240.0);
    if let Some((x, y, _, _)) = saved_geometry(app) {
        builder = builder.position(f64::from(x), f64::from(y));
    }
    builder
}

/// Gives the window its saved size and remembers where the owner puts it.
fn place<R: Runtime>(app: &AppHandle<R>, window: &tauri::WebviewWindow<R>) {
    if let Some((_, _, w, h)) = saved_geometry(app) {
        let _ = window.set_size(PhysicalSize::new(w, h));
    }
    let handle = app.clone();
    let tracked = window.clone();
    window.on_window_event(move |event| {
        if matches!(
            event,
            WindowEvent::Moved(_) | WindowEvent::Resized(_) | WindowEvent::CloseRequested { .. }
        ) {
            if let (Ok(pos), Ok(size)) = (tracked.outer_position(), tracked.inner_size()) {
                save_geometry(&handle, pos, size);
            }
        }
    });
}

/// Loads the main window's page afresh in a new web process: the renewal of a page at rest after
/// a busy stretch (ui/src/lib/renewal.ts). A new document in the same process leaves behind what
/// the day's screens made WebKit keep (its heaps, the code it touched, the chime's audio
/// libraries, a thread or two); a new process starts as lean as at start-up. The process ends,
/// and [`reload_when_its_process_ends`] loads the page again. False, and nothing done, while the
/// customer display is open when asked (its page shares the process: both would load again, but
/// each in a process of its own, 40 MB more, measured) and off WebKitGTK: the page then reloads
/// its document itself.
///
/// The display is looked for twice: here, to answer, and again on the main thread where the
/// process is ended, since an owner may open the display in between; then the page is reloaded
/// as a document instead (at once: unlike the page's own fallback, it does not wait for the
/// next rest if a key was pressed in that instant).
pub fn renew_main_process<R: Runtime>(app: &AppHandle<R>) -> bool {
    #[cfg(target_os = "linux")]
    if std::any::TypeId::of::<R>() == std::any::TypeId::of::<tauri::Wry>()
        && app.get_webview_window(CUSTOMER).is_none()
    {
        if let Some(main) = app.get_webview_window(MAIN) {
            let handle = app.clone();
            let done = main.with_webview(move |view| {
                use webkit2gtk::WebViewExt;
                if handle.get_webview_window(CUSTOMER).is_some() {
                    tracing::info!(
                        "the page renews itself as a document: the customer display opened"
                    );
                    view.inner().reload();
                    return;
                }
                tracing::info!("the page renews itself in a new web process");
                view.inner().terminate_web_process();
            });
            return done.is_ok();
        }
    }
    let _ = app;
    false
}

/// Crashes in a row: a crash within five minutes of the page being loaded again after the last
/// one counts as the next of a run. A page that dies each time a few seconds after it loads (a
/// memory it cannot stay under, say) would otherwise start a new web process every few seconds.
#[cfg(target_os = "linux")]
const CRASH_RUN: std::time::Duration = std::time::Duration::from_secs(300);

/// The wait after the second crash of a run, doubled for each crash after it.
#[cfg(target_os = "linux")]
const FIRST_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The longest wait before a page that keeps crashing is loaded again.
#[cfg(target_os = "linux")]
const LONGEST_WAIT: std::time::Duration = std::time::Duration::from_secs(300);

/// The place in its run (0 for the first) of a crash at `now`, given when the page was last
/// loaded again after a crash and that crash's place.
#[cfg(target_os = "linux")]
fn crash_run(last: Option<(std::time::Instant, u32)>, now: std::time::Instant) -> u32 {
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
#[cfg(target_os = "linux")]
fn wait_after_crash(run: u32) -> std::time::Duration {
    match run {
        0 => std::time::Duration::ZERO,
        n => FIRST_WAIT
            .saturating_mul(1 << (n - 1).min(16))
            .min(LONGEST_WAIT),
    }
}

/// When a window's web process ends, its page is loaded again in a new one: after a renewal
/// ([`renew_main_process`]), and after a crash, which would otherwise leave the cashier a blank
/// window until Till is restarted (crashes in a row wait longer each time, [`crash_run`],
/// [`wait_after_crash`]). Everything the page shows comes from Rust, so it comes back as it was.
#[cfg(target_os = "linux")]
pub fn reload_when_its_process_ends<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    use std::{cell::Cell, rc::Rc, time::Instant};
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

/// Asks WebKitGTK to cache like a document viewer: a till shows one local page and fetches
/// nothing, so the memory and disk caches a browser keeps for revisiting pages hold nothing of
/// use. Set on the main web view's context, which the customer display shares.
pub fn lean_web_view<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(target_os = "linux")]
    if let Some(main) = app.get_webview_window(MAIN) {
        reload_when_its_process_ends(&main);
        let done = main.with_webview(|view| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = view.inner().context() {
                context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = done {
            tracing::debug!("web view left with its default cache: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_crash_reloads_at_once_and_crashes_in_a_row_wait_longer_up_to_five_minutes() {
        let waits: Vec<u64> = (0..8).map(|n| wait_after_crash(n).as_secs()).collect();
        assert_eq!(waits, [0, 10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(wait_after_crash(u32::MAX), Duration::from_secs(300));
    }

    #[test]
    fn a_crash_within_five_minutes_of_the_page_loading_again_is_the_next_of_its_run() {
        let t = std::time::Instant::now();
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
}
