//! A bare WebKitGTK window, the floor Till's memory is measured against: GTK, one web view the
//! size of Till's window, one heading, nothing else. The same WebKitGTK library Till's web view
//! is built on, and the same environment (compositing included), so what Till's processes hold
//! over this window's is Till's own. Run by `e2e/bench/memory.mjs`; closes after `--seconds`.
//!
//!     webkit-floor [--width 1180] [--height 780] [--seconds 60]

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    use gtk::prelude::*;
    use webkit2gtk::WebViewExt;

    let mut size = (1180, 780);
    let mut seconds = 60u32;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u32>().ok());
        match (arg.as_str(), value) {
            ("--width", Some(v)) => size.0 = v as i32,
            ("--height", Some(v)) => size.1 = v as i32,
            ("--seconds", Some(v)) => seconds = v,
            _ => {
                eprintln!("usage: webkit-floor [--width PX] [--height PX] [--seconds S]");
                return std::process::ExitCode::from(2);
            }
        }
    }
    if let Err(e) = gtk::init() {
        eprintln!("webkit-floor: no display ({e})");
        return std::process::ExitCode::from(1);
    }
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    window.set_title("webkit-floor");
    window.set_default_size(size.0, size.1);
    let view = webkit2gtk::WebView::new();
    view.load_html("<!doctype html><h1>Till</h1>", None);
    window.add(&view);
    window.show_all();
    window.connect_destroy(|_| gtk::main_quit());
    gtk::glib::timeout_add_seconds_local_once(seconds, gtk::main_quit);
    gtk::main();
    std::process::ExitCode::SUCCESS
}

#[cfg(not(target_os = "linux"))]
fn main() -> std::process::ExitCode {
    eprintln!("webkit-floor measures WebKitGTK, which is Linux's web view");
    std::process::ExitCode::from(2)
}
