//! Gateway credentials in the OS keychain (service `till`), and nowhere else.
//!
//! They never reach a log line, the ledger, a config file or the web view. Behind a trait so tests
//! use [`MemoryStore`] and never touch the real keychain; one test (run by `cargo xtask test`
//! under a private gnome-keyring) checks [`KeyringStore`] for real. Without a usable keychain
//! the caller gets [`SecretError::Unavailable`] with what to do: never a silent fallback to a
//! plain file.

use std::{collections::HashMap, fmt, sync::Mutex};

use aurpay::{Credentials, Secret};

/// The keychain service name.
pub const SERVICE: &str = "till";
/// The entry holding an API key.
pub const API_KEY: &str = "aurpay-api-key";
/// The entry holding an API token.
pub const API_TOKEN: &str = "aurpay-api-token";
/// The entry holding an API secret.
pub const API_SECRET: &str = "aurpay-api-secret";

/// Why a secret could not be read or stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// There is no usable keychain.
    #[error(
        "{name} is not available ({0}). {fix}",
        name = crate::platform::keychain::NAME,
        fix = crate::platform::keychain::HOW_TO_FIX
    )]
    Unavailable(String),
    /// Only half of a token-and-secret pair is stored.
    #[error("the keychain holds an Aurpay API token without its secret (or the reverse); set the credentials again")]
    HalfPair,
}

/// Where secrets live.
pub trait SecretStore: Send + Sync + fmt::Debug {
    /// The secret named `name`, if stored.
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError>;
    /// Stores `value` under `name`.
    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError>;
    /// Removes `name` (no error if absent).
    fn delete(&self, name: &str) -> Result<(), SecretError>;
}

/// The OS keychain, through the `keyring` crate (Secret Service on Linux, Keychain on macOS,
/// Credential Manager on Windows).
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    /// The till's entries (service `till`).
    pub fn new() -> Self {
        Self {
            service: SERVICE.into(),
        }
    }

    /// Entries under another service name (tests use a unique one).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, SecretError> {
        if !keychain_persists() {
            return Err(SecretError::Unavailable(
                "this build of Till has no system keychain for this kind of computer, only one \
                 that forgets everything when Till stops"
                    .into(),
            ));
        }
        keyring::Entry::new(&self.service, name)
            .map_err(|e| SecretError::Unavailable(e.to_string()))
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        match self.entry(name)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(SecretError::Unavailable(e.to_string())),
        }
    }

    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError> {
        self.entry(name)?
            .set_password(value.expose())
            .map_err(|e| SecretError::Unavailable(e.to_string()))
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(SecretError::Unavailable(e.to_string())),
        }
    }
}

/// Whether the keychain this build uses keeps what it is given until it is deleted. Built
/// without its platform's store, `keyring` keeps entries in memory only: a credential "saved"
/// there is gone at the next start, so the till must say it cannot keep it, never that it did.
pub fn keychain_persists() -> bool {
    use keyring::credential::CredentialPersistence;
    matches!(
        keyring::default::default_credential_builder().persistence(),
        CredentialPersistence::UntilDelete
    )
}

/// Secrets in memory, for tests.
#[derive(Debug, Default)]
pub struct MemoryStore(Mutex<HashMap<String, Secret>>);

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned())
    }

    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.into(), value.clone());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
        Ok(())
    }
}

/// The stored credentials, if any.
pub fn load_credentials(store: &dyn SecretStore) -> Result<Option<Credentials>, SecretError> {
    if let Some(key) = store.get(API_KEY)? {
        return Ok(Some(Credentials::ApiKey(key)));
    }
    match (store.get(API_TOKEN)?, store.get(API_SECRET)?) {
        (Some(token), Some(secret)) => Ok(Some(Credentials::Signature {
            token: token.expose().to_owned(),
            secret,
        })),
        (None, None) => Ok(None),
        _ => Err(SecretError::HalfPair),
    }
}

/// Credentials as a screen or the command line shows them: which kind, and the last four
/// characters of the public part (`API key …3f2a`); never the secret.
pub fn hint(credentials: &Credentials) -> String {
    let tail = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        if n <= 8 {
            "…".to_owned()
        } else {
            format!("…{}", chars[n - 4..].iter().collect::<String>())
        }
    };
    match credentials {
        Credentials::ApiKey(key) => format!("API key {}", tail(key.expose())),
        Credentials::Signature { token, .. } => {
            format!("API token {} with its secret", tail(token))
        }
    }
}

/// Stores credentials, replacing whatever kind was there.
pub fn save_credentials(
    store: &dyn SecretStore,
    credentials: &Credentials,
) -> Result<(), SecretError> {
    clear_credentials(store)?;
    match credentials {
        Credentials::ApiKey(key) => store.set(API_KEY, key),
        Credentials::Signature { token, secret } => {
            store.set(API_TOKEN, &Secret::new(token.clone()))?;
            store.set(API_SECRET, secret)
        }
    }
}

/// Removes every stored credential.
pub fn clear_credentials(store: &dyn SecretStore) -> Result<(), SecretError> {
    for name in [API_KEY, API_TOKEN, API_SECRET] {
        store.delete(name)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_round_trip_and_replace_each_other() {
        let store = MemoryStore::default();
        assert_eq!(load_credentials(&store), Ok(None));
        save_credentials(&store, &Credentials::signature("tok", "sec")).unwrap();
        assert_eq!(
            load_credentials(&store),
            Ok(Some(Credentials::signature("tok", "sec")))
        );
        save_credentials(&store, &Credentials::api_key("key")).unwrap();
        assert_eq!(
            load_credentials(&store),
            Ok(Some(Credentials::api_key("key")))
        );
        assert_eq!(store.get(API_TOKEN), Ok(None), "the other kind is removed");
        clear_credentials(&store).unwrap();
        assert_eq!(load_credentials(&store), Ok(None));
    }

    #[test]
    fn hints_show_the_kind_and_four_characters_never_the_secret() {
        assert_eq!(
            hint(&Credentials::api_key("right-key-0123456789")),
            "API key …6789"
        );
        assert_eq!(hint(&Credentials::api_key("short")), "API key …");
        let h = hint(&Credentials::signature("token-abcdefgh", "sk-very-secret"));
        assert_eq!(h, "API token …efgh with its secret");
        assert!(!h.contains("secret-"));
    }

    #[test]
    fn half_a_pair_is_an_error_not_a_guess() {
        let store = MemoryStore::default();
        store.set(API_TOKEN, &Secret::new("tok")).unwrap();
        assert_eq!(load_credentials(&store), Err(SecretError::HalfPair));
    }

    /// Every desktop Till targets has its native store compiled in (features of `keyring` in the
    /// workspace's Cargo.toml): checked where the test runs, and for Windows by the cross build.
    #[test]
    #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
    fn the_system_keychain_outlives_the_process() {
        assert!(keychain_persists());
    }

    #[test]
    fn the_store_never_prints_its_secrets() {
        let store = MemoryStore::default();
        store.set(API_KEY, &Secret::new("sk-very-secret")).unwrap();
        assert!(!format!("{store:?}").contains("sk-very-secret"));
    }
}
