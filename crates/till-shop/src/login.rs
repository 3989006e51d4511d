//! Where a till keeps its way into the shop's server: its own login URL (its role and random
//! password) in the OS keychain beside the gateway's credentials, or, for headless use, in the
//! environment (`TILL_SHOP_URL`), which wins as `AURPAY_*` does for the gateway.

use aurpay::Secret;
use till_core::secrets::SecretStore;
use url::Url;

use crate::{server::TillLogin, ShopError};

/// The keychain entry holding the till's login URL.
pub const SECRET: &str = "shop-login";

/// The environment variable that overrides the keychain (scripts, tests, a till without one).
pub const ENV: &str = "TILL_SHOP_URL";

/// Where the login came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `TILL_SHOP_URL`.
    Environment,
    /// The OS keychain.
    Keychain,
}

/// The till's login URL, from the environment or the keychain; none before it has joined.
pub fn load(store: &dyn SecretStore) -> Result<Option<(Secret, Source)>, ShopError> {
    if let Some(url) = std::env::var(ENV).ok().filter(|u| !u.trim().is_empty()) {
        return Ok(Some((Secret::new(url.trim()), Source::Environment)));
    }
    let found = store
        .get(SECRET)
        .map_err(|e| ShopError::Keychain(e.to_string()))?;
    Ok(found.map(|s| (s, Source::Keychain)))
}

/// Keeps the till's login URL in the keychain.
pub fn save(store: &dyn SecretStore, url: &Secret) -> Result<(), ShopError> {
    store
        .set(SECRET, url)
        .map_err(|e| ShopError::Keychain(e.to_string()))
}

/// Parses a `postgres://` (or `postgresql://`) URL, in plain words when it is not one.
pub fn parse(url: &str) -> Result<Url, ShopError> {
    let u = Url::parse(url.trim()).map_err(|e| {
        ShopError::Refused(format!(
            "the shop's server is given as a URL such as postgres://owner@192.168.1.20/shop ({e})"
        ))
    })?;
    if !matches!(u.scheme(), "postgres" | "postgresql") {
        return Err(ShopError::Refused(format!(
            "the shop's server is given as a postgres:// URL, not {}://",
            u.scheme()
        )));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(ShopError::Refused(
            "the shop's server URL names no host: postgres://USER@HOST[:PORT]/DATABASE".into(),
        ));
    }
    Ok(u)
}

/// The URL with a password, when it lacks one (the administrator's, read from standard input).
pub fn with_password(url: &str, password: &str) -> Result<Secret, ShopError> {
    let mut u = parse(url)?;
    if u.password().is_none() {
        u.set_password(Some(password))
            .map_err(|()| ShopError::Refused("this URL cannot carry a password".into()))?;
    }
    Ok(Secret::new(String::from(u)))
}

/// Whether the URL carries a password already.
pub fn has_password(url: &str) -> Result<bool, ShopError> {
    Ok(parse(url)?.password().is_some())
}

/// The till's own login: the administrator's URL (its host, port, database and options) with
/// the till's role and password in place of the administrator's.
pub fn till_url(admin_url: &str, login: &TillLogin) -> Result<Secret, ShopError> {
    let mut u = parse(admin_url)?;
    u.set_username(&login.role)
        .and_then(|()| u.set_password(Some(&login.password)))
        .map_err(|()| ShopError::Refused("this URL cannot carry a login".into()))?;
    Ok(Secret::new(String::from(u)))
}

/// The server as an owner may see it: host, port and database, never a login.
pub fn shown(url: &str) -> String {
    match parse(url) {
        Ok(u) => format!(
            "{}:{}{}",
            u.host_str().unwrap_or_default(),
            u.port().unwrap_or(5432),
            u.path()
        ),
        Err(_) => "(not a URL)".into(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_till_login_keeps_the_server_and_takes_the_tills_role() {
        let login = TillLogin {
            role: "till_front".into(),
            password: "Ab12".into(),
        };
        let u = till_url(
            "postgres://owner:s3cret@10.0.0.5:5433/shop?sslmode=require",
            &login,
        )
        .unwrap();
        assert_eq!(
            u.expose(),
            "postgres://till_front:Ab12@10.0.0.5:5433/shop?sslmode=require"
        );
        assert_eq!(shown(u.expose()), "10.0.0.5:5433/shop");
        assert!(!has_password("postgres://owner@h/shop").unwrap());
        let with = with_password("postgres://owner@h/shop", "p@ss word").unwrap();
        assert_eq!(with.expose(), "postgres://owner:p%40ss%20word@h/shop");
        assert!(parse("mysql://h/db")
            .unwrap_err()
            .to_string()
            .contains("postgres://"));
        assert!(parse("host=h dbname=shop").is_err());
    }
}
