//! The customer display: a second window that mirrors the sale for the customer. It can be moved
//! to a second screen and made fullscreen; its position and size are remembered in the ledger's
//! settings.

use std::sync::atomic::{AtomicU8, Ordering};

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
    open_display(app, false)
}

/// [`open_customer_display`], made fullscreen once built when `fullscreen` (as it was before a
/// renewal closed it).
fn open_display<R: Runtime>(app: &AppHandle<R>, fullscreen: bool) -> tauri::Result<()> {
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
                    Ok(window) => shown(&handle, &window, fullscreen),
                    Err(e) => tracing::warn!("could not open the customer display: {e}"),
                }
            });
        }
    }
    let window = customer_window(app).build()?;
    shown(app, &window, fullscreen);
    Ok(())
}

/// What every newly built customer display gets: its place, its page loaded again if its process
/// ends, and fullscreen if asked.
fn shown<R: Runtime>(app: &AppHandle<R>, window: &tauri::WebviewWindow<R>, fullscreen: bool) {
    place(app, window);
    crate::crash::reload_when_its_process_ends(window);
    if fullscreen {
        if let Err(e) = window.set_fullscreen(true) {
            tracing::warn!("the customer display could not be made fullscreen again: {e}");
        }
    }
}

/// The main window's label, from tauri.conf.json (its web view is the one Linux relates to).
pub const MAIN: &str = "main";

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
/// and [`crate::crash::reload_when_its_process_ends`] loads the page again. False, and nothing
/// done, off WebKitGTK: the page then reloads its document itself.
///
/// The customer display's page shares the main page's process. Left open, it would be loaded
/// again in a process of its own (WebKit relates two pages only when the second is built), 40 MB
/// more, measured; and renewing as a document instead left a day with the display open 19.5 %
/// up (BENCHMARKS.md, "A long day"). So the display is closed first, where it is (its place is
/// remembered as when the owner closes it), the main page's process is ended once the display's
/// window is gone, and the display opens again, related to the new process and fullscreen if it
/// was, once the main page has loaded ([`reopen_display_after_renewal`]). At rest, with no sale
/// on it, the customer sees its idle screen go for about a second.
pub fn renew_main_process<R: Runtime>(app: &AppHandle<R>) -> bool {
    #[cfg(target_os = "linux")]
    if std::any::TypeId::of::<R>() == std::any::TypeId::of::<tauri::Wry>() {
        let Some(main) = app.get_webview_window(MAIN) else {
            return false;
        };
        let handle = app.clone();
        let done = main.with_webview(move |view| {
            use webkit2gtk::WebViewExt;
            let Some(display) = handle.get_webview_window(CUSTOMER) else {
                end_main_process(&view.inner());
                return;
            };
            let fullscreen = display.is_fullscreen().unwrap_or(false);
            tracing::info!(
                fullscreen,
                "the customer display closes for the page's renewal"
            );
            let closed = handle.clone();
            display.on_window_event(move |event| {
                if matches!(event, WindowEvent::Destroyed) {
                    if let Some(main) = closed.get_webview_window(MAIN) {
                        let ended = main.with_webview(|view| end_main_process(&view.inner()));
                        if let Err(e) = ended {
                            tracing::warn!("the page's process was not renewed: {e}");
                        }
                    }
                }
            });
            REOPEN_DISPLAY.store(
                if fullscreen {
                    REOPEN_FULLSCREEN
                } else {
                    REOPEN
                },
                Ordering::SeqCst,
            );
            if let Err(e) = display.close() {
                // Still open: the page renews as a document, the display staying as it is.
                REOPEN_DISPLAY.store(NO_REOPEN, Ordering::SeqCst);
                tracing::warn!(
                    "the customer display did not close; the page renews as a document: {e}"
                );
                view.inner().reload();
            }
        });
        return done.is_ok();
    }
    let _ = app;
    false
}

/// Ends the main page's web process; WebKit then reports it ended by request and the page is
/// loaded again in a new one.
#[cfg(target_os = "linux")]
fn end_main_process(view: &webkit2gtk::WebView) {
    use webkit2gtk::WebViewExt;
    tracing::info!("the page renews itself in a new web process");
    crate::process::keep_memory_monitor_files_to_itself();
    view.terminate_web_process();
}

/// Whether the customer display, closed for a renewal, opens again when the main page has
/// loaded: [`NO_REOPEN`], [`REOPEN`] or [`REOPEN_FULLSCREEN`]. One app per process.
static REOPEN_DISPLAY: AtomicU8 = AtomicU8::new(NO_REOPEN);
const NO_REOPEN: u8 = 0;
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const REOPEN: u8 = 1;
const REOPEN_FULLSCREEN: u8 = 2;

/// Opens the customer display again once the main page has loaded after a renewal that closed
/// it ([`renew_main_process`]), related to the page's new process. Called for every page load.
pub fn reopen_display_after_renewal<R: Runtime>(
    webview: &tauri::Webview<R>,
    page: &tauri::webview::PageLoadPayload<'_>,
) {
    if page.event() != tauri::webview::PageLoadEvent::Finished || webview.label() != MAIN {
        return;
    }
    let pending = REOPEN_DISPLAY.swap(NO_REOPEN, Ordering::SeqCst);
    if pending == NO_REOPEN {
        return;
    }
    tracing::info!("the customer display opens again after the page's renewal");
    if let Err(e) = open_display(webview.app_handle(), pending == REOPEN_FULLSCREEN) {
        tracing::warn!("could not open the customer display again: {e}");
    }
}

/// Asks WebKitGTK to cache like a document viewer: a till shows one local page and fetches
/// nothing, so the memory and disk caches a browser keeps for revisiting pages hold nothing of
/// use. Set on the main web view's context, which the customer display shares.
pub fn lean_web_view<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(target_os = "linux")]
    if let Some(main) = app.get_webview_window(MAIN) {
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
