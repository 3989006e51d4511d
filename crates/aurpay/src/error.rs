//! The client's one error type: outcomes a caller can act on.

use crate::invoice::InvoiceError;

/// What went wrong talking to Aurpay. Each variant says what the caller can do:
/// - [`Unauthorized`](Error::Unauthorized): fix the credentials (go to settings);
/// - [`Rejected`](Error::Rejected) / [`Http`](Error::Http): the gateway said no; show its reason;
/// - [`Timeout`](Error::Timeout) / [`ConnectionLost`](Error::ConnectionLost) /
///   [`Malformed`](Error::Malformed): the request **may have been processed**: for a create, look
///   the order up before trying again ([`Error::may_have_been_processed`]);
/// - [`ConnectFailed`](Error::ConnectFailed): nothing was sent; retrying is safe;
/// - [`Invoice`](Error::Invoice): the order exists but its invoice must not be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// HTTP 401, body `code` 401, or no credentials configured.
    #[error("Aurpay did not accept the credentials: {message}")]
    Unauthorized {
        /// The gateway's words, or ours.
        message: String,
    },
    /// HTTP 2xx with a non-zero `code` or `result: false`.
    #[error("Aurpay refused the request: {message} (code {code})")]
    Rejected {
        /// The gateway's code.
        code: i64,
        /// The gateway's message.
        message: String,
    },
    /// A non-2xx HTTP status (other than 401).
    #[error("Aurpay answered with HTTP {status}: {message}")]
    Http {
        /// The HTTP status.
        status: u16,
        /// `msg`, `message`, or the start of the body.
        message: String,
    },
    /// No answer within the configured timeout.
    #[error("Aurpay did not answer in time")]
    Timeout,
    /// The connection could not be made: nothing reached the gateway.
    #[error("could not reach Aurpay: {detail}")]
    ConnectFailed {
        /// What the network layer said.
        detail: String,
    },
    /// The connection broke after the request was sent.
    #[error("the connection to Aurpay broke before its answer arrived: {detail}")]
    ConnectionLost {
        /// What the network layer said.
        detail: String,
    },
    /// The answer is not what the API returns.
    #[error("Aurpay's answer could not be read: {detail} (it began: {excerpt})")]
    Malformed {
        /// What was wrong.
        detail: String,
        /// The start of the answer, with any credential removed.
        excerpt: String,
    },
    /// The order's invoice failed its checks.
    #[error("{0}")]
    Invoice(#[from] InvoiceError),
    /// The client's configuration is unusable (a bad base URL).
    #[error("the Aurpay client is misconfigured: {0}")]
    Config(String),
}

impl Error {
    /// True when the gateway may have acted on the request even though no answer was read: a
    /// create call that ends this way must be reconciled, not blindly retried.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Self::Timeout | Self::ConnectionLost { .. } | Self::Malformed { .. } => true,
            Self::Http { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// True when trying again later may succeed (network trouble, gateway errors).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Timeout | Self::ConnectFailed { .. } | Self::ConnectionLost { .. } => true,
            Self::Http { status, .. } => *status >= 500 || *status == 429,
            Self::Malformed { .. } => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_plain() {
        assert_eq!(
            Error::Rejected {
                code: 1001,
                message: "price too low".into()
            }
            .to_string(),
            "Aurpay refused the request: price too low (code 1001)"
        );
        assert_eq!(Error::Timeout.to_string(), "Aurpay did not answer in time");
        assert!(Error::Timeout.may_have_been_processed());
        assert!(!Error::ConnectFailed {
            detail: "refused".into()
        }
        .may_have_been_processed());
        assert!(Error::Http {
            status: 502,
            message: "".into()
        }
        .may_have_been_processed());
        assert!(!Error::Unauthorized { message: "".into() }.is_transient());
    }
}
