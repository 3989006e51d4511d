//! Verifying Aurpay's calls to the merchant (`callback_url`, `timeout_callback`).
//!
//! Aurpay adds `Callback-Token`, `Date` and `Signature` headers, where `Signature` is the Base64
//! HMAC-SHA256, keyed with the callback secret, of `"{Date} | {callback URL as registered}"`. The
//! body is **not** signed, so a verified callback only says "Aurpay says look at this order":
//! re-query the order before trusting its status.
//!
//! A till behind a shop's router is rarely reachable from the internet and learns status by
//! polling; this check exists for deployments that can receive callbacks.

use chrono::{DateTime, Utc};
use subtle::ConstantTimeEq;

use crate::{signing, wire::Timestamp, Secret};

/// The three headers Aurpay adds to a callback.
#[derive(Debug, Clone, Copy)]
pub struct CallbackHeaders<'a> {
    /// `Callback-Token`.
    pub token: &'a str,
    /// `Date`.
    pub date: &'a str,
    /// `Signature`.
    pub signature: &'a str,
}

/// Why a callback was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// `Callback-Token` is not ours.
    #[error("the callback's token is not this shop's")]
    WrongToken,
    /// `Date` cannot be read.
    #[error("the callback's Date header is not a date")]
    BadDate,
    /// `Date` is outside the freshness window (a replay, or a clock far off).
    #[error("the callback is {seconds} s away from now, outside the {window} s window")]
    Stale {
        /// How far the date is from now, in seconds.
        seconds: i64,
        /// The allowed window, in seconds.
        window: i64,
    },
    /// The signature does not match.
    #[error("the callback's signature does not match")]
    BadSignature,
}

/// The `Signature` Aurpay computes for a callback (also used by the simulator and tests).
pub fn signature(secret: &str, date: &str, registered_url: &str) -> String {
    signing::sign(secret, &format!("{date} | {registered_url}"))
}

/// Checks a callback's headers: the token (constant time), the date's freshness, and the
/// signature over the URL exactly as it was registered (constant time).
pub fn verify(
    headers: CallbackHeaders<'_>,
    registered_url: &str,
    expected_token: &str,
    secret: &Secret,
    now: DateTime<Utc>,
    window_seconds: i64,
) -> Result<(), CallbackError> {
    let token_ok: bool = headers
        .token
        .as_bytes()
        .ct_eq(expected_token.as_bytes())
        .into();
    if !token_ok {
        return Err(CallbackError::WrongToken);
    }
    let date = Timestamp::parse(headers.date)
        .or_else(|| {
            DateTime::parse_from_rfc2822(headers.date.trim())
                .ok()
                .map(|d| Timestamp(d.with_timezone(&Utc)))
        })
        .ok_or(CallbackError::BadDate)?;
    let seconds = (now - date.0).num_seconds().abs();
    if seconds > window_seconds {
        return Err(CallbackError::Stale {
            seconds,
            window: window_seconds,
        });
    }
    let message = format!("{} | {registered_url}", headers.date);
    if signing::verify(secret.expose(), &message, headers.signature) {
        Ok(())
    } else {
        Err(CallbackError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const URL: &str = "https://shop.example/callback?order=1";
    const DATE: &str = "2025-01-01T12:34:56.789Z";
    // base64(hmac_sha256(b"cb-secret", b"2025-01-01T12:34:56.789Z | https://shop.example/callback?order=1")),
    // computed with Python's hmac module.
    const SIG: &str = "YOPx/uzs/GArCXKpejUHET5dR7WLSbB0ck8kEQZg7aU=";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 12, 35, 30).unwrap()
    }

    fn check(token: &str, date: &str, sig: &str, url: &str) -> Result<(), CallbackError> {
        let headers = CallbackHeaders {
            token,
            date,
            signature: sig,
        };
        verify(
            headers,
            url,
            "cb-token",
            &Secret::new("cb-secret"),
            now(),
            300,
        )
    }

    #[test]
    fn a_genuine_callback_passes() {
        assert_eq!(signature("cb-secret", DATE, URL), SIG);
        assert_eq!(check("cb-token", DATE, SIG, URL), Ok(()));
    }

    #[test]
    fn forgeries_are_refused_for_the_right_reason() {
        assert_eq!(
            check("cb-tokem", DATE, SIG, URL),
            Err(CallbackError::WrongToken)
        );
        assert_eq!(check("", DATE, SIG, URL), Err(CallbackError::WrongToken));
        assert_eq!(
            check("cb-token", "yesterday", SIG, URL),
            Err(CallbackError::BadDate)
        );
        assert_eq!(
            check("cb-token", "2025-01-01T11:00:00.000Z", SIG, URL),
            Err(CallbackError::Stale {
                seconds: 5730,
                window: 300
            })
        );
        assert_eq!(
            check(
                "cb-token",
                DATE,
                SIG,
                "https://shop.example/callback?order=2"
            ),
            Err(CallbackError::BadSignature)
        );
        assert_eq!(
            check("cb-token", DATE, "AAAA", URL),
            Err(CallbackError::BadSignature)
        );
    }
}
