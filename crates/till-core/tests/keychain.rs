//! The real OS keychain. Ignored by a plain `cargo test` (a desktop session's keychain must not be
//! touched by tests); `cargo xtask test` runs it with `--ignored` inside a private D-Bus session
//! with a fresh, unlocked gnome-keyring and a temporary HOME, and for Windows under Wine in a
//! throwaway prefix (the Credential Manager).

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use aurpay::Credentials;
use till_core::secrets::{
    clear_credentials, load_credentials, save_credentials, KeyringStore, SecretStore,
};

#[test]
#[ignore = "needs the OS keychain: `cargo xtask test` runs it under a fresh gnome-keyring, and for \
            Windows in a throwaway Wine prefix's Credential Manager"]
fn credentials_live_in_the_real_keychain() {
    let service = format!("till-test-{}", std::process::id());
    let writer = KeyringStore::with_service(&service);
    assert_eq!(load_credentials(&writer).unwrap(), None);

    save_credentials(&writer, &Credentials::signature("tok-123", "sec-456")).unwrap();
    // A second store shares nothing in memory with the first: this reads the keychain itself.
    let reader = KeyringStore::with_service(&service);
    assert_eq!(
        load_credentials(&reader).unwrap(),
        Some(Credentials::signature("tok-123", "sec-456"))
    );

    save_credentials(&writer, &Credentials::api_key("key-789")).unwrap();
    assert_eq!(
        load_credentials(&reader).unwrap(),
        Some(Credentials::api_key("key-789"))
    );
    assert_eq!(reader.get(till_core::secrets::API_SECRET).unwrap(), None);

    clear_credentials(&reader).unwrap();
    assert_eq!(load_credentials(&writer).unwrap(), None);
    // Deleting what is not there is fine.
    clear_credentials(&reader).unwrap();
}
