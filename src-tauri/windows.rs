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
                        crate::crash::reload_when_its_process_ends(&window);
                    }
                    Err(e) => tracing::warn!("could not open the customer display: {e}"),
                }
            });
        }
    }
    let window = customer_window(app).build()?;
    place(app, &window);
    crate::crash::reload_when_its_process_ends(&window);
    Ok(())
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
/// done, while the customer display is open when asked (its page shares the process: both would
/// load again, but each in a process of its own, 40 MB more, measured) and off WebKitGTK: the
/// page then reloads its document itself.
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
                crate::process::keep_memory_monitor_files_to_itself();
                view.inner().terminate_web_process();
            });
            return done.is_ok();
        }
    }
    let _ = app;
    false
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
