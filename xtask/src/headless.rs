//! Headless windows: a private D-Bus session and a virtual X display, with or without an
//! unlocked gnome-keyring, for the app, its tests and its benchmarks.

use std::process::Command;

/// The virtual screen every headless window gets.
const XVFB_SCREEN: &str = "-screen 0 1280x800x24";

/// Wraps a command in a private D-Bus session and a virtual X display.
pub fn headless(inner: &Command) -> Command {
    in_dbus_session(inner, &["xvfb-run", "-a", "-s", XVFB_SCREEN])
}

/// Like [`headless`], with an unlocked gnome-keyring in the private D-Bus session.
pub fn headless_with_keychain(inner: &Command) -> Command {
    in_dbus_session(
        inner,
        &[
            "sh",
            "-c",
            "printf %s till-e2e | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
             exec xvfb-run -a -s \"$0\" \"$@\"",
            XVFB_SCREEN,
        ],
    )
}

/// `dbus-run-session -- <wrapper...> <inner command>`, keeping the inner command's folder and
/// environment.
fn in_dbus_session(inner: &Command, wrapper: &[&str]) -> Command {
    let mut c = Command::new("dbus-run-session");
    c.arg("--").args(wrapper);
    c.arg(inner.get_program()).args(inner.get_args());
    if let Some(dir) = inner.get_current_dir() {
        c.current_dir(dir);
    }
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    c
}

pub fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}
