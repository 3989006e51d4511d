//! The system keychain, in each system's words: what it is called, and what to do when it cannot
//! be used. The store itself is `keyring`'s, built with the native one of every desktop Till runs
//! on (Secret Service on Linux, the Keychain on macOS, the Credential Manager on Windows).

/// What the keychain is called here.
#[cfg(target_os = "windows")]
pub const NAME: &str = "the Windows Credential Manager";
/// What the keychain is called here.
#[cfg(target_os = "macos")]
pub const NAME: &str = "the macOS Keychain";
/// What the keychain is called here.
#[cfg(not(any(target_os = "windows", target_os = "macos")))]
pub const NAME: &str = "the Secret Service keychain";

/// What to do when the keychain cannot be used.
#[cfg(target_os = "windows")]
pub const HOW_TO_FIX: &str = "Till keeps the Aurpay credentials in the Windows Credential Manager \
     of the user who runs it: sign in to Windows as that user (not as a service); for headless \
     use, set AURPAY_API_KEY (or AURPAY_API_TOKEN and AURPAY_API_SECRET) instead";
/// What to do when the keychain cannot be used.
#[cfg(target_os = "macos")]
pub const HOW_TO_FIX: &str = "Till keeps the Aurpay credentials in the login keychain: unlock it \
     (Keychain Access) and allow Till to use it; for headless use, set AURPAY_API_KEY (or \
     AURPAY_API_TOKEN and AURPAY_API_SECRET) instead";
/// What to do when the keychain cannot be used.
#[cfg(not(any(target_os = "windows", target_os = "macos")))]
pub const HOW_TO_FIX: &str = "On Linux, install and unlock a Secret Service keychain such as \
     gnome-keyring (apt install gnome-keyring) and log in to a desktop session; for headless \
     use, set AURPAY_API_KEY (or AURPAY_API_TOKEN and AURPAY_API_SECRET) instead";
