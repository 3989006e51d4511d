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
    // Any core, locked or not: a till locked at rest still opens its display where it was.
    let shell = app.state::<Shell>();
    let core = shell.any_core().ok()?;
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
    if let Ok(core) = shell.any_core() {
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
    open_display(app, Reopen::No)
}

/// How the customer display is opened: by the owner (focused, as a window just asked for is), or
/// again after a renewal closed it (as it was, fullscreen or not, and without taking the
/// keyboard from the cashier's window).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reopen {
    No,
    Windowed,
    Fullscreen,
}

/// [`open_customer_display`], or opened again after a renewal as `reopen` says.
fn open_display<R: Runtime>(app: &AppHandle<R>, reopen: Reopen) -> tauri::Result<()> {
    if let Some(w) = app.get_webview_window(CUSTOMER) {
        // Open already (the owner opened it meanwhile): a reopening leaves the keyboard where it is.
        return if reopen == Reopen::No {
            w.set_focus()
        } else {
            Ok(())
        };
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
                let built = customer_window(&handle, reopen)
                    .with_related_view(main_view.inner())
                    .build();
                match built {
                    Ok(window) => shown(&handle, &window, reopen),
                    Err(e) => tracing::warn!("could not open the customer display: {e}"),
                }
            });
        }
    }
    let window = customer_window(app, reopen).build()?;
    shown(app, &window, reopen);
    Ok(())
}

/// What every newly built customer display gets: its place, its page loaded again if its process
/// ends, and fullscreen if it was before a renewal.
fn shown<R: Runtime>(app: &AppHandle<R>, window: &tauri::WebviewWindow<R>, reopen: Reopen) {
    place(app, window);
    crate::crash::reload_when_its_process_ends(window);
    if reopen == Reopen::Fullscreen {
        if let Err(e) = window.set_fullscreen(true) {
            tracing::warn!("the customer display could not be made fullscreen again: {e}");
        }
    }
}

/// The main window's label, from tauri.conf.json (its web view is the one Linux relates to).
pub const MAIN: &str = "main";

fn customer_window<R: Runtime>(
    app: &AppHandle<R>,
    reopen: Reopen,
) -> WebviewWindowBuilder<'_, R, AppHandle<R>> {
    let mut builder =
        WebviewWindowBuilder::new(app, CUSTOMER, WebviewUrl::App("index.html#customer".into()))
            .title("Till: customer display")
            .inner_size(800.0, 600.0)
            .min_inner_size(320.0, 240.0)
            .focused(reopen == Reopen::No);
    if let Some((x, y, _, _)) = saved_geometry(app) {
        builder = builder.position(f64::from(x), f64::from(y));
    }
    builder
}

/// Gives the window its saved place and size and remembers where the owner puts it. Both were
/// saved in the screen's pixels; the builder's position is in logical ones, so on a scaled screen
/// the window is put back in pixels here (else each reopening would move it by the scale).
fn place<R: Runtime>(app: &AppHandle<R>, window: &tauri::WebviewWindow<R>) {
    if let Some((x, y, w, h)) = saved_geometry(app) {
        let _ = window.set_position(PhysicalPosition::new(x, y));
        let _ = window.set_size(PhysicalSize::new(w, h));
    }
    let handle = app.clone();
    let tracked = window.clone();
    window.on_window_event(move |event| {
        if matches!(
            event,
            WindowEvent::Moved(_) | WindowEvent::Resized(_) | WindowEvent::CloseRequested { .. }
        ) {
            // Fullscreen, its place is the whole screen, not where the owner left the window:
            // kept, it would be the window's size once it leaves fullscreen (after a renewal,
            // or the next opening).
            if tracked.is_fullscreen().unwrap_or(false) {
                return;
            }
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
/// was, once the main page has loaded ([`reopen_display_after_renewal`]), without taking the
/// keyboard from the cashier's window. At rest, with no sale on it, the customer sees its idle
/// screen go for under a second.
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
            let reopen = if display.is_fullscreen().unwrap_or(false) {
                Reopen::Fullscreen
            } else {
                Reopen::Windowed
            };
            tracing::info!(
                fullscreen = reopen == Reopen::Fullscreen,
                "the customer display closes for the page's renewal"
            );
            // Once, and only for this close: if the close fails, a later close by the owner must
            // not end the page's process.
            let armed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
            let (closed, armed_then) = (handle.clone(), armed.clone());
            display.on_window_event(move |event| {
                if matches!(event, WindowEvent::Destroyed)
                    && armed_then.swap(false, Ordering::SeqCst)
                {
                    // Set now, not before the close: a main page loaded meanwhile for another
                    // reason (a crash's reload) must not take the display's reopening with it.
                    REOPEN_DISPLAY.store(reopen as u8, Ordering::SeqCst);
                    if let Some(main) = closed.get_webview_window(MAIN) {
                        let ended = main.with_webview(|view| end_main_process(&view.inner()));
                        if let Err(e) = ended {
                            REOPEN_DISPLAY.store(Reopen::No as u8, Ordering::SeqCst);
                            tracing::warn!("the page's process was not renewed: {e}");
                        }
                    }
                }
            });
            if let Err(e) = display.close() {
                // Still open: the page renews as a document, the display staying as it is.
                armed.store(false, Ordering::SeqCst);
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

/// How the customer display, closed for a renewal, opens again when the main page has loaded
/// (a [`Reopen`] as a number; `No` when it does not). One app per process.
static REOPEN_DISPLAY: AtomicU8 = AtomicU8::new(Reopen::No as u8);

/// Opens the customer display again once the main page has loaded after a renewal that closed
/// it ([`renew_main_process`]), related to the page's new process. Called for every page load.
pub fn reopen_display_after_renewal<R: Runtime>(
    webview: &tauri::Webview<R>,
    page: &tauri::webview::PageLoadPayload<'_>,
) {
    if page.event() != tauri::webview::PageLoadEvent::Finished || webview.label() != MAIN {
        return;
    }
    let reopen = match REOPEN_DISPLAY.swap(Reopen::No as u8, Ordering::SeqCst) {
        x if x == Reopen::Windowed as u8 => Reopen::Windowed,
        x if x == Reopen::Fullscreen as u8 => Reopen::Fullscreen,
        _ => return,
    };
    tracing::info!("the customer display opens again after the page's renewal");
    if let Err(e) = open_display(webview.app_handle(), reopen) {
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
