//! A sale's mark on its order, so that the order a lost answer left behind can be told apart
//! from every other order of the same amount (another till on the same account, the web shop).
//!
//! Aurpay documents no merchant reference for Create BLN Order, so the till carries its sale's
//! reference in the one place a create request lets it choose freely without the customer
//! seeing it: the `callback_url`, under the reserved `.invalid` top-level domain (RFC 6761),
//! which never resolves, so no callback can reach anyone.
//!
//! | what | status |
//! |---|---|
//! | `callback_url` is accepted by Create BLN Order | **verified** (the docs page) |
//! | Aurpay calls it only after a payment, and an unreachable URL does not fail the order | assumed |
//! | the order object (Get Orders, Get Orders Details) echoes `callback_url` back | **unknown**: not among its documented fields |
//!
//! When the gateway does not echo it, [`Order::reference`](crate::Order::reference) is `None` and
//! the till cannot prove which order is its own: it says so and leaves the sale for a manager,
//! never guessing. The simulator echoes it, so the proven path is tested end to end.

/// Where references live: `https://till.invalid/sale/<reference>`.
pub const PREFIX: &str = "https://till.invalid/sale/";

/// The callback URL carrying `reference`.
pub fn url(reference: &str) -> String {
    format!("{PREFIX}{reference}")
}

/// The reference inside a URL made by [`url`], if it is one.
pub fn from_url(url: &str) -> Option<&str> {
    url.strip_prefix(PREFIX).filter(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_round_trip_and_nothing_else_is_one() {
        assert_eq!(from_url(&url("front-12-00ff")), Some("front-12-00ff"));
        assert_eq!(from_url("https://shop.example/cb"), None);
        assert_eq!(from_url(PREFIX), None);
    }
}
