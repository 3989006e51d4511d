//! Gateway credentials, held so that they cannot leak through formatting.
//!
//! Aurpay accepts two methods on the same endpoints: a long-lived API key sent as a header, or an
//! API token and secret that sign every request with HMAC-SHA256 (recommended for production).
//! Neither `Debug` nor `Display` of these types ever prints a secret: a credential that reaches a
//! log line by accident shows `<redacted>`.

use std::fmt;

/// A string that must never be printed: its `Debug` and `Display` say `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that has to send or hash it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A masked form safe to show an owner: the last four characters, the rest as dots.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() <= 8 {
            return "•".repeat(chars.len().max(4));
        }
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("••••{tail}")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How the client authenticates to Aurpay.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// The `API-Key` header method. Aurpay's docs call it "for testing".
    ApiKey(Secret),
    /// The signature method: every request is signed with the secret; only the token is sent.
    Signature {
        /// The API token from the dashboard's API Management page. Sent in clear as `API-Token`.
        token: String,
        /// The API secret, the HMAC key. Never sent.
        secret: Secret,
    },
}

impl Credentials {
    /// API-key credentials.
    pub fn api_key(key: impl Into<String>) -> Self {
        Self::ApiKey(Secret::new(key))
    }

    /// Signature credentials.
    pub fn signature(token: impl Into<String>, secret: impl Into<String>) -> Self {
        Self::Signature {
            token: token.into(),
            secret: Secret::new(secret),
        }
    }

    /// The name of the method, for settings screens and logs.
    pub fn method(&self) -> &'static str {
        match self {
            Self::ApiKey(_) => "api-key",
            Self::Signature { .. } => "signature",
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ApiKey(_) => f.write_str("Credentials::ApiKey(<redacted>)"),
            // The token is not secret on its own, but it is half of a credential: mask it too.
            Self::Signature { .. } => f.write_str("Credentials::Signature(<redacted>)"),
        }
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ApiKey(_) => f.write_str("Aurpay API key <redacted>"),
            Self::Signature { .. } => f.write_str("Aurpay API token and secret <redacted>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_prints_the_secret() {
        let key = Credentials::api_key("sk_live_ABCDEF123456");
        let sig = Credentials::signature("tok_7890XYZ", "secret_QWERTY");
        for text in [
            format!("{key:?}"),
            format!("{key}"),
            format!("{key:#?}"),
            format!("{sig:?}"),
            format!("{sig}"),
            format!("{sig:#?}"),
        ] {
            for secret in ["ABCDEF123456", "QWERTY", "tok_7890XYZ"] {
                assert!(!text.contains(secret), "{text:?} leaks {secret}");
            }
            assert!(text.contains("redacted"), "{text:?}");
        }
    }

    #[test]
    fn masked_shows_only_the_last_four() {
        assert_eq!(Secret::new("abcdefghijkl").masked(), "••••ijkl");
        assert_eq!(Secret::new("short").masked(), "•••••");
        assert_eq!(Secret::new("").masked(), "••••");
        assert_eq!(Secret::new("abc").expose(), "abc");
    }
}
