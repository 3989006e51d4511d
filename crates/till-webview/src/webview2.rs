//! WebView2's `ProcessFailed` event (Windows).
//!
//! When the process behind a page dies or hangs, WebView2 shows its own "this page is having a
//! problem" and raises `ProcessFailed`; neither wry nor Tauri listens, so without this a till's
//! window would stay on that page until Till is restarted. [`on_process_failed`] hands each
//! failure's kind to the desktop shell, which decides what to do (`src-tauri/crash.rs`).
//!
//! The kinds are plain numbers ([`BROWSER_PROCESS_EXITED`] and the others) so that the shell's
//! rule is tested on every platform; on Windows they are checked against the SDK's at compile
//! time. Elsewhere the module holds only those numbers.

/// WebView2's browser process exited: every web view of the app is gone and, by Microsoft's
/// documentation, cannot be loaded again, only created anew.
pub const BROWSER_PROCESS_EXITED: i32 = 0;
/// The process of a page's main frame exited; the web view shows an error page until reloaded.
pub const RENDER_PROCESS_EXITED: i32 = 1;
/// The process of a page's main frame has not answered for several seconds.
pub const RENDER_PROCESS_UNRESPONSIVE: i32 = 2;

#[cfg(windows)]
const _: () = {
    use webview2_com::Microsoft::Web::WebView2::Win32::{
        COREWEBVIEW2_PROCESS_FAILED_KIND_BROWSER_PROCESS_EXITED as BROWSER,
        COREWEBVIEW2_PROCESS_FAILED_KIND_RENDER_PROCESS_EXITED as RENDER,
        COREWEBVIEW2_PROCESS_FAILED_KIND_RENDER_PROCESS_UNRESPONSIVE as UNRESPONSIVE,
    };
    assert!(BROWSER.0 == BROWSER_PROCESS_EXITED);
    assert!(RENDER.0 == RENDER_PROCESS_EXITED);
    assert!(UNRESPONSIVE.0 == RENDER_PROCESS_UNRESPONSIVE);
};

#[cfg(windows)]
pub use webview2_com::{Error, Microsoft::Web::WebView2::Win32::ICoreWebView2Controller};

/// Calls `on_failed` with the kind (`COREWEBVIEW2_PROCESS_FAILED_KIND`, -1 if WebView2 gave
/// none) each time a process behind `controller`'s web view fails, for as long as it lives.
/// WebView2 raises the event on the window's own thread, so `on_failed` runs there.
#[cfg(windows)]
pub fn on_process_failed(
    controller: &ICoreWebView2Controller,
    mut on_failed: impl FnMut(i32) + 'static,
) -> Result<(), Error> {
    use webview2_com::{
        Microsoft::Web::WebView2::Win32::COREWEBVIEW2_PROCESS_FAILED_KIND,
        ProcessFailedEventHandler,
    };
    let handler = ProcessFailedEventHandler::create(Box::new(move |_, args| {
        let mut kind = COREWEBVIEW2_PROCESS_FAILED_KIND(-1);
        if let Some(args) = args {
            // SAFETY: reads one value of the event's own arguments, which WebView2 keeps alive
            // for the handler's call, on the thread that raised it.
            #[allow(unsafe_code)]
            let read = unsafe { args.ProcessFailedKind(&mut kind) };
            if read.is_err() {
                kind = COREWEBVIEW2_PROCESS_FAILED_KIND(-1);
            }
        }
        on_failed(kind.0);
        Ok(())
    }));
    // The registration is kept for the web view's life, so its token is not needed again.
    let mut token = Default::default();
    // SAFETY: COM calls on a controller Tauri hands out for its window, made on the window's
    // thread (Tauri's `with_webview` runs there); the web view holds the handler, a COM object
    // counted by reference, for as long as it lives.
    #[allow(unsafe_code)]
    unsafe {
        controller
            .CoreWebView2()?
            .add_ProcessFailed(&handler, &mut token)?;
    }
    Ok(())
}
