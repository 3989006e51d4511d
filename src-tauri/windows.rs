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
pub fn open_customer_display<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if let Some(w) = app.get_webview_window(CUSTOMER) {
        return w.set_focus();
    }
    let mut builder =
        WebviewWindowBuilder::new(app, CUSTOMER, WebviewUrl::App("index.html#customer".into()))
            .title("Till: customer display")
            .inner_size(800.0, 600.0)
            .min_inner_size(320.0, 240.0);
    if let Some((x, y, _, _)) = saved_geometry(app) {
        builder = builder.position(f64::from(x), f64::from(y));
    }
    let window = builder.build()?;
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
    Ok(())
}
