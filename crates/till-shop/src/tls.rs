//! How a till reaches the shop's server: in the clear only on this computer (loopback), and
//! otherwise always over TLS with the server's certificate checked, so a till's journal and its
//! login never cross the shop's network (or the internet, to a hosted server) readable.
//!
//! The certificate is checked against the Mozilla roots (a hosted PostgreSQL) and, for a server
//! with a certificate of the shop's own (a Debian box in the back office), against the
//! certificate or authority named by `sslrootcert=PATH` in the URL, as libpq spells it.

use std::{
    net::IpAddr,
    path::{Path, PathBuf},
    sync::Arc,
};

use rustls::pki_types::{pem::PemObject, CertificateDer};

use crate::{login, ShopError};

/// How to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// In the clear: the server is on this computer and TLS was not asked for.
    Plain,
    /// Over TLS, the server's certificate checked against the Mozilla roots and this file's
    /// certificates, if one is named.
    Tls {
        /// `sslrootcert`.
        root: Option<PathBuf>,
    },
}

/// The URL as tokio-postgres takes it (`sslrootcert` taken out, `sslmode=require` put in when
/// TLS is needed), and how to connect. A server off this computer with `sslmode=disable` is
/// refused: its link must be encrypted.
pub fn plan(url: &str) -> Result<(String, Plan), ShopError> {
    let mut u = login::parse(url)?;
    // The address must be the URL's own, so that what is judged "this computer" is where the
    // connection goes.
    if u.query_pairs().any(|(k, _)| k == "host" || k == "hostaddr") {
        return Err(ShopError::Refused(
            "give the shop's server as the URL's own address, not as a host= or hostaddr= option"
                .into(),
        ));
    }
    let mut root = None;
    let mut mode = None;
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter_map(|(k, v)| match k.as_ref() {
            "sslrootcert" => {
                root = Some(PathBuf::from(v.as_ref()));
                None
            }
            "sslmode" => {
                mode = Some(v.into_owned());
                None
            }
            _ => Some((k.into_owned(), v.into_owned())),
        })
        .collect();
    let here = loopback(&u);
    let tls = match mode.as_deref() {
        None | Some("prefer" | "allow") => !here || root.is_some(),
        Some("disable") if here => false,
        Some("disable") => {
            return Err(ShopError::Refused(
                "the shop's server is not on this computer, so its link must be encrypted: take sslmode=disable out of its URL".into(),
            ))
        }
        Some("require" | "verify-ca" | "verify-full") => true,
        Some(other) => {
            return Err(ShopError::Refused(format!(
                "sslmode={other} is not one Till knows (disable, prefer, require, verify-ca, verify-full)"
            )))
        }
    };
    {
        let mut q = u.query_pairs_mut();
        q.clear();
        for (k, v) in &kept {
            q.append_pair(k, v);
        }
        q.append_pair("sslmode", if tls { "require" } else { "disable" });
    }
    Ok((
        String::from(u),
        if tls { Plan::Tls { root } } else { Plan::Plain },
    ))
}

/// The server is this computer: a loopback address or `localhost`.
fn loopback(u: &url::Url) -> bool {
    match u.host() {
        // A postgres:// URL's host is opaque to the url crate, addresses included.
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost")
                || d.trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok_and(|a| a.is_loopback())
        }
        Some(url::Host::Ipv4(a)) => IpAddr::V4(a).is_loopback(),
        Some(url::Host::Ipv6(a)) => IpAddr::V6(a).is_loopback(),
        None => false,
    }
}

/// The TLS connector: rustls with ring, the Mozilla roots, and `root`'s certificates.
pub fn connector(
    root: Option<&Path>,
) -> Result<tokio_postgres_rustls::MakeRustlsConnect, ShopError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = root {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .and_then(|i| i.collect::<Result<Vec<_>, _>>())
            .map_err(|e| {
                ShopError::Refused(format!(
                    "the server's certificate file {} cannot be read ({e})",
                    path.display()
                ))
            })?;
        if certs.is_empty() {
            return Err(ShopError::Refused(format!(
                "{} holds no certificate",
                path.display()
            )));
        }
        for c in certs {
            roots.add(c).map_err(|e| {
                ShopError::Refused(format!(
                    "a certificate in {} is not usable ({e})",
                    path.display()
                ))
            })?;
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| ShopError::Refused(format!("TLS cannot be set up: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn only_this_computer_is_reached_in_the_clear() {
        let (u, p) = plan("postgres://t:pw@127.0.0.1:5433/shop").unwrap();
        assert_eq!(
            (u.as_str(), p),
            (
                "postgres://t:pw@127.0.0.1:5433/shop?sslmode=disable",
                Plan::Plain
            )
        );
        assert_eq!(plan("postgres://t@localhost/shop").unwrap().1, Plan::Plain);
        assert_eq!(plan("postgres://t@[::1]/shop").unwrap().1, Plan::Plain);
        let (u, p) = plan("postgres://t:pw@192.168.1.20/shop?application_name=till").unwrap();
        assert_eq!(
            u,
            "postgres://t:pw@192.168.1.20/shop?application_name=till&sslmode=require"
        );
        assert_eq!(p, Plan::Tls { root: None });
        let (u, p) = plan(
            "postgres://t@db.example.com/shop?sslrootcert=/etc/till/shop.pem&sslmode=verify-full",
        )
        .unwrap();
        assert_eq!(u, "postgres://t@db.example.com/shop?sslmode=require");
        assert_eq!(
            p,
            Plan::Tls {
                root: Some("/etc/till/shop.pem".into())
            }
        );
        assert_eq!(
            plan("postgres://t@127.0.0.1/shop?sslmode=require")
                .unwrap()
                .1,
            Plan::Tls { root: None }
        );
        let refused = plan("postgres://t@10.0.0.5/shop?sslmode=disable").unwrap_err();
        assert!(
            refused.to_string().contains("must be encrypted"),
            "{refused}"
        );
        assert!(plan("postgres://t@10.0.0.5/shop?sslmode=sometimes").is_err());
        let sneaky = plan("postgres://t@127.0.0.1/shop?host=db.example.com").unwrap_err();
        assert!(sneaky.to_string().contains("URL's own address"), "{sneaky}");
        assert!(plan("postgres://t@localhost/shop?hostaddr=10.0.0.5").is_err());
    }
}
