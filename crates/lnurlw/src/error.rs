//! What can go wrong between a link and its service, in words a cashier can read out.

/// Why a link could not be used, or a service did not take the invoice.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// The text is no LNURL-withdraw link in any spelling.
    #[error("this is not a card or withdraw link: {0}")]
    NotALink(String),
    /// A plain-HTTP address that is neither loopback nor `.onion` (LUD-01 requires HTTPS).
    #[error("the card's service at {0} is not secure (HTTPS is required)")]
    NotSecure(String),
    /// The service could not be reached, or did not answer in time.
    #[error("the card's service could not be reached: {0}")]
    Unreachable(String),
    /// The service answered something that is not LUD-03.
    #[error("the card's service gave an answer the till cannot read: {0}")]
    BadAnswer(String),
    /// The link is for something else than a withdrawal (a pay link, a login).
    #[error("this link is for {0}, not for paying (withdrawRequest)")]
    NotWithdraw(String),
    /// The invoice asks more than the card allows.
    #[error(
        "over the card's limit: it pays at most {max_sat} sats, the sale is {amount_sat} sats"
    )]
    OverLimit {
        /// The invoice, in whole sats (rounded up).
        amount_sat: u64,
        /// The card's `maxWithdrawable`, in whole sats (rounded down).
        max_sat: u64,
    },
    /// The invoice asks less than the card's service pays.
    #[error(
        "under the card's minimum: it pays at least {min_sat} sats, the sale is {amount_sat} sats"
    )]
    UnderLimit {
        /// The invoice, in whole sats (rounded down).
        amount_sat: u64,
        /// The card's `minWithdrawable`, in whole sats (rounded up).
        min_sat: u64,
    },
    /// The service said no (`{"status": "ERROR", "reason": ...}`).
    #[error("the card was refused: {0}")]
    Refused(String),
}
