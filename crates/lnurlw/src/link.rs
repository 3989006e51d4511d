//! An LNURL-withdraw link in any of the spellings a card, a QR or a wallet gives, turned into the
//! address to ask.
//!
//! - LUD-17: `lnurlw://host/path` means `https://host/path` (`http://` for `.onion`). A
//!   loopback host also gets `http://`: loopback never leaves the machine, and it is how a
//!   service on the till's own computer (and every test) is reached.
//! - LUD-01: `LNURL1...`, bech32 of the address, in either case; also as the `lightning=`
//!   parameter of a web address (LUD-01's fallback for wallets that open links).
//! - A wallet's `lightning:` prefix on any of them.
//! - A plain `https://` address.
//!
//! Whatever the spelling, the address must be HTTPS, except on loopback and `.onion` (LUD-01).

use std::net::IpAddr;

use reqwest::Url;

use crate::Error;

/// The human-readable part of LUD-01's bech32 links.
const HRP: &str = "lnurl";

/// The address `text` asks, checked to be HTTPS (or loopback, or `.onion`).
pub fn parse(text: &str) -> Result<Url, Error> {
    let text = text.trim();
    let text = strip_prefix_ignore_case(text, "lightning:").unwrap_or(text);
    if text.is_empty() {
        return Err(Error::NotALink("nothing was given".into()));
    }
    let url = if is_bech32_link(text) {
        decode_bech32(text)?
    } else if let Some(rest) = strip_prefix_ignore_case(text, "lnurlw://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let plain = is_onion_or_loopback_authority(host);
        let scheme = if plain { "http" } else { "https" };
        parse_url(&format!("{scheme}://{rest}"))?
    } else {
        let url = parse_url(text)?;
        // LUD-01's fallback: a web page's address that carries the link as `lightning=`.
        match url
            .query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case("lightning"))
        {
            Some((_, inner)) if is_bech32_link(&inner) => decode_bech32(&inner)?,
            _ => url,
        }
    };
    check_secure(&url)?;
    Ok(url)
}

/// Checks that `url` is HTTPS, or HTTP to a loopback or `.onion` host (LUD-01); the callback a
/// service names is checked the same way.
pub fn check_secure(url: &Url) -> Result<(), Error> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_onion_or_loopback(url) => Ok(()),
        "http" => Err(Error::NotSecure(
            url.host_str().unwrap_or_default().to_owned(),
        )),
        other => Err(Error::NotALink(format!(
            "{other}: links are not web addresses"
        ))),
    }
}

/// Whether `text` starts as LUD-01's bech32 links do (`LNURL1`, in either case).
fn is_bech32_link(text: &str) -> bool {
    text.len() > 6
        && text
            .get(..6)
            .is_some_and(|h| h.eq_ignore_ascii_case("lnurl1"))
}

/// Checks the callback a service at `link` names: HTTPS, or `.onion`, or loopback only when the
/// link itself was on loopback (a service out there must not make the till call its own
/// machine's ports).
pub fn check_callback(callback: &Url, link: &Url) -> Result<(), Error> {
    check_secure(callback)?;
    if callback.scheme() == "http" && is_loopback(callback) && !is_loopback(link) {
        return Err(Error::NotSecure(
            callback.host_str().unwrap_or_default().to_owned(),
        ));
    }
    Ok(())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn parse_url(text: &str) -> Result<Url, Error> {
    let url = Url::parse(text).map_err(|e| Error::NotALink(format!("{e}")))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::NotALink("the address names no host".into()));
    }
    Ok(url)
}

fn decode_bech32(text: &str) -> Result<Url, Error> {
    // bech32 is case-insensitive but never mixed-case; QR codes carry it in capitals.
    let (hrp, bytes) = bech32::decode(&text.to_ascii_lowercase())
        .map_err(|e| Error::NotALink(format!("the LNURL is damaged ({e})")))?;
    if !hrp.as_str().eq_ignore_ascii_case(HRP) {
        return Err(Error::NotALink(format!("{hrp} is not an LNURL")));
    }
    let inner = String::from_utf8(bytes)
        .map_err(|_| Error::NotALink("the LNURL holds no address".into()))?;
    parse_url(&inner)
}

fn is_onion_or_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => is_onion_or_loopback_name(d),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The same test on the authority of a `lnurlw://` link, before it is an address.
fn is_onion_or_loopback_authority(authority: &str) -> bool {
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default()
    };
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => is_onion_or_loopback_name(host),
    }
}

fn is_onion_or_loopback_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name.ends_with(".onion") || name == "localhost"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// LUD-01's own example: bech32 of
    /// `https://service.com/api?q=3fc3645b439ce8e7f2553a69e5267081d96dcd340693afabe04be7b0ccd178df`.
    const LUD01: &str = "LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS";

    #[test]
    fn lud01_bech32_decodes_in_either_case() {
        let want = "https://service.com/api?q=3fc3645b439ce8e7f2553a69e5267081d96dcd340693afabe04be7b0ccd178df";
        assert_eq!(parse(LUD01).unwrap().as_str(), want);
        assert_eq!(parse(&LUD01.to_lowercase()).unwrap().as_str(), want);
        assert_eq!(parse(&format!("lightning:{LUD01}")).unwrap().as_str(), want);
        assert_eq!(
            parse(&format!("https://wallet.example/pay?lightning={LUD01}"))
                .unwrap()
                .as_str(),
            want
        );
    }

    #[test]
    fn a_damaged_bech32_link_is_refused() {
        let mut bad = LUD01.to_owned();
        bad.replace_range(20..21, "Q");
        assert!(
            matches!(parse(&bad), Err(Error::NotALink(_))),
            "{:?}",
            parse(&bad)
        );
    }

    #[test]
    fn lud17_lnurlw_is_https_except_onion_and_loopback() {
        assert_eq!(
            parse("lnurlw://card.example.com/ln?p=A1&c=B2")
                .unwrap()
                .as_str(),
            "https://card.example.com/ln?p=A1&c=B2"
        );
        assert_eq!(
            parse("LNURLW://abcdef.onion/w").unwrap().as_str(),
            "http://abcdef.onion/w"
        );
        assert_eq!(
            parse("lnurlw://127.0.0.1:8787/card?c=1").unwrap().as_str(),
            "http://127.0.0.1:8787/card?c=1"
        );
        assert_eq!(
            parse("lnurlw://[::1]:9/x").unwrap().as_str(),
            "http://[::1]:9/x"
        );
    }

    #[test]
    fn plain_http_is_refused_unless_loopback_or_onion() {
        assert_eq!(
            parse("http://card.example.com/w"),
            Err(Error::NotSecure("card.example.com".into()))
        );
        assert!(parse("http://localhost:3000/w").is_ok());
        assert!(parse("https://card.example.com/w").is_ok());
        // A loopback-looking name that is not loopback stays refused.
        assert!(parse("http://127.0.0.1.example.com/w").is_err());
        assert!(parse("lnurlw://127.0.0.1.example.com/w")
            .unwrap()
            .as_str()
            .starts_with("https://"));
    }

    #[test]
    fn what_is_no_link_says_so() {
        for text in [
            "",
            "   ",
            "hello",
            "ftp://x.example/w",
            "lnurlw://",
            "lnbc1...",
            "lnurlé1é",
            "ééééééé",
        ] {
            assert!(parse(text).is_err(), "{text:?} was taken for a link");
        }
    }
}
