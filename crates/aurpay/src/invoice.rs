//! Checks a payment request before a customer is shown it.
//!
//! A QR the customer pays must be exactly what the till charged: a BOLT11 invoice whose
//! signature is valid, for the order's amount to the millisatoshi, on the configured network, and
//! with time left. Anything else is refused with a reason a person can read. Decoding is done by
//! `lightning-invoice`, the BOLT11 implementation of the Lightning Dev Kit.

use std::{str::FromStr, time::Duration};

use chrono::{DateTime, Utc};
use lightning_invoice::{Bolt11Invoice, Currency};

use crate::Network;

/// What the till needs to know of an accepted invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedInvoice {
    /// The invoice, as received (lower case).
    pub payment_request: String,
    /// Its amount.
    pub amount_msat: u64,
    /// Its network.
    pub network: Network,
    /// The payment hash, hex: what identifies the payment on the Lightning network.
    pub payment_hash: String,
    /// The payment secret, hex (Aurpay's `payment_addr`).
    pub payment_secret: String,
    /// The payee's node id, hex.
    pub payee: String,
    /// When the invoice was created.
    pub created_at: DateTime<Utc>,
    /// How long it is payable.
    pub expiry: Duration,
    /// When it stops being payable.
    pub expires_at: DateTime<Utc>,
}

/// Why an invoice was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvoiceError {
    /// Not a BOLT11 invoice at all.
    #[error("the gateway's payment request is not a valid Lightning invoice ({0})")]
    Undecodable(String),
    /// The signature does not verify.
    #[error("the gateway's invoice has an invalid signature")]
    BadSignature,
    /// No amount in the invoice: the customer's wallet would ask them to type one.
    #[error("the gateway's invoice has no amount")]
    NoAmount,
    /// The amount differs from the order's.
    #[error(
        "the gateway's invoice is for {invoice_msat} msat but the order is for {order_msat} msat"
    )]
    AmountMismatch {
        /// The invoice's amount.
        invoice_msat: u64,
        /// The order's amount.
        order_msat: u64,
    },
    /// The invoice is for another network.
    #[error("the gateway's invoice is for {found}, but this till is set to {expected}")]
    WrongNetwork {
        /// The invoice's network.
        found: String,
        /// The configured network.
        expected: Network,
    },
    /// The invoice cannot be paid any more.
    #[error("the gateway's invoice expired at {0}")]
    Expired(DateTime<Utc>),
    /// The order's `payment_addr` is not the invoice's payment secret.
    #[error("the gateway's payment_addr does not match the invoice")]
    PaymentAddrMismatch,
}

fn network_of(currency: Currency) -> Result<Network, String> {
    match currency {
        Currency::Bitcoin => Ok(Network::Bitcoin),
        Currency::BitcoinTestnet => Ok(Network::Testnet),
        Currency::Signet => Ok(Network::Signet),
        Currency::Regtest => Ok(Network::Regtest),
        Currency::Simnet => Err("simnet".into()),
    }
}

/// The `lightning-invoice` currency of a network, for building invoices (the simulator).
pub fn currency_of(network: Network) -> Currency {
    match network {
        Network::Bitcoin => Currency::Bitcoin,
        Network::Testnet => Currency::BitcoinTestnet,
        Network::Signet => Currency::Signet,
        Network::Regtest => Currency::Regtest,
    }
}

/// Decodes an invoice without judging it (signature still checked: an invoice whose signature is
/// invalid is not an invoice). An invoice without an amount is refused ([`InvoiceError::NoAmount`]).
pub fn decode(payment_request: &str) -> Result<CheckedInvoice, InvoiceError> {
    let invoice = decode_any(payment_request)?;
    if invoice.amount_msat == 0 {
        return Err(InvoiceError::NoAmount);
    }
    Ok(invoice)
}

/// Like [`decode`], but an invoice without an amount (a customer's "pay me anything" invoice, for
/// a refund) is accepted with `amount_msat` 0: the payer then says how much.
pub fn decode_any(payment_request: &str) -> Result<CheckedInvoice, InvoiceError> {
    let text = payment_request.trim();
    let text = text
        .strip_prefix("lightning:")
        .or_else(|| text.strip_prefix("LIGHTNING:"))
        .unwrap_or(text);
    let invoice = Bolt11Invoice::from_str(&text.to_ascii_lowercase())
        .map_err(|e| InvoiceError::Undecodable(e.to_string()))?;
    if invoice.check_signature().is_err() {
        return Err(InvoiceError::BadSignature);
    }
    let network = network_of(invoice.currency()).map_err(|found| InvoiceError::WrongNetwork {
        found,
        expected: Network::Bitcoin,
    })?;
    let created = invoice.duration_since_epoch();
    let created_at = DateTime::<Utc>::from_timestamp(created.as_secs() as i64, 0)
        .ok_or_else(|| InvoiceError::Undecodable("timestamp out of range".into()))?;
    let expiry = invoice.expiry_time();
    let expires_at = created_at
        + chrono::Duration::from_std(expiry)
            .map_err(|_| InvoiceError::Undecodable("expiry out of range".into()))?;
    Ok(CheckedInvoice {
        payment_request: text.to_ascii_lowercase(),
        amount_msat: invoice.amount_milli_satoshis().unwrap_or(0),
        network,
        payment_hash: hex::encode(invoice.payment_hash().as_ref() as &[u8]),
        payment_secret: hex::encode(invoice.payment_secret().0),
        payee: invoice.recover_payee_pub_key().to_string(),
        created_at,
        expiry,
        expires_at,
    })
}

/// Checks an order's invoice: valid signature, `expected_msat` exactly, `network`, and not expired
/// at `now`.
pub fn check(
    payment_request: &str,
    expected_msat: u64,
    network: Network,
    now: DateTime<Utc>,
) -> Result<CheckedInvoice, InvoiceError> {
    let inv = decode(payment_request).map_err(|e| match e {
        InvoiceError::WrongNetwork { found, .. } => InvoiceError::WrongNetwork {
            found,
            expected: network,
        },
        other => other,
    })?;
    if inv.network != network {
        return Err(InvoiceError::WrongNetwork {
            found: inv.network.to_string(),
            expected: network,
        });
    }
    if inv.amount_msat != expected_msat {
        return Err(InvoiceError::AmountMismatch {
            invoice_msat: inv.amount_msat,
            order_msat: expected_msat,
        });
    }
    if now >= inv.expires_at {
        return Err(InvoiceError::Expired(inv.expires_at));
    }
    Ok(inv)
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::TimeZone;

    use super::*;

    /// The testnet invoice of the verbatim docs page: 0.00155419 BTC.
    pub const SEED_TESTNET: &str = "lntb1554190n1pnzhprnpp5xtqfy2fuaucnpfw6yw7h4hap7t8rurt8f3qgkf369knf4zhwxjdqdp58yukydt9xs6nsc3hve3rgcmyvgunqwp3x3nrqetrxucnsdpsvfjscqzzsxqyz5vqsp5fs2adjrcrcded6nzc2g3wj56kku89uflg9nh0t4ry5avdasp7shq9qyyssqdjs3txpu2w482w55gpnzauqdd20qjg4x8276u2kje2295tk8wg73rgxna2pqrw5w60ra8cy2lnx6yvn5wcjzqy42p5rh9ap5ymhv2jgqmk3j9g";
    /// The mainnet invoice of the verbatim docs page: 0.00019044 BTC.
    pub const SEED_MAINNET: &str = "lnbc190440n1pnzu3jcpp5vyvhqq2deguqqdcth5z0hslaawcd4jqv68n9w88fkc9yqm476fwsdp5xscrjcehv3jkyvpsvg6rgdpnxgungwp4x56njdm9xa3x2dfnxfsscqzzsxqyz5vqsp5cfk04pxdn64fe0hde6u2qpkw7eu3fdequ8vw7r4le4trr3mwryks9qyyssqlavvjxan9jqus8hpdztrtfp6v0t7saqflxp2srruzf8a3sta0lajwfacpnpfdz7eaagrvrzwzhcwma8f4x3rnzf9yq7z6f67pd8lxmqqsxf4hh";

    fn minute_after_creation(pr: &str) -> DateTime<Utc> {
        decode(pr).unwrap().created_at + chrono::Duration::minutes(1)
    }

    #[test]
    fn the_seed_invoices_decode_to_the_documented_amounts() {
        let t = decode(SEED_TESTNET).unwrap();
        assert_eq!(t.amount_msat, 155_419_000);
        assert_eq!(t.network, Network::Testnet);
        assert_eq!(t.expiry, Duration::from_secs(86_400));
        let m = decode(SEED_MAINNET).unwrap();
        assert_eq!(m.amount_msat, 19_044_000);
        assert_eq!(m.network, Network::Bitcoin);
        // The docs page's payment_addr is this invoice's payment secret.
        assert_eq!(
            m.payment_secret,
            "c26cfa84cd9eaa9cbeedceb8a006cef67914b720e1d8ef0ebfcd5631c76e192d"
        );
        assert_eq!(m.payment_hash.len(), 64);
        assert_eq!(m.created_at.date_naive().to_string(), "2024-04-28");
    }

    #[test]
    fn a_fresh_invoice_with_the_right_amount_and_network_passes() {
        let now = minute_after_creation(SEED_TESTNET);
        let ok = check(SEED_TESTNET, 155_419_000, Network::Testnet, now).unwrap();
        assert_eq!(ok.payment_request, SEED_TESTNET);
        // Upper case with the URI scheme, as a QR would carry it, decodes to the same invoice.
        let upper = format!("LIGHTNING:{}", SEED_TESTNET.to_ascii_uppercase());
        assert_eq!(
            check(&upper, 155_419_000, Network::Testnet, now).unwrap(),
            ok
        );
    }

    #[test]
    fn wrong_amount_network_or_time_is_refused_plainly() {
        let now = minute_after_creation(SEED_MAINNET);
        let e = check(SEED_MAINNET, 19_044_001, Network::Bitcoin, now).unwrap_err();
        assert_eq!(
            e,
            InvoiceError::AmountMismatch {
                invoice_msat: 19_044_000,
                order_msat: 19_044_001
            }
        );
        assert_eq!(
            e.to_string(),
            "the gateway's invoice is for 19044000 msat but the order is for 19044001 msat"
        );
        let e = check(SEED_MAINNET, 19_044_000, Network::Regtest, now).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the gateway's invoice is for bitcoin, but this till is set to regtest"
        );
        let later = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert!(matches!(
            check(SEED_MAINNET, 19_044_000, Network::Bitcoin, later),
            Err(InvoiceError::Expired(_))
        ));
    }

    #[test]
    fn garbage_and_tampering_are_refused() {
        for bad in ["", "lnbc", "hello", "lnbc1qqqqqq", &SEED_MAINNET[..100]] {
            assert!(
                matches!(decode(bad), Err(InvoiceError::Undecodable(_))),
                "{bad}"
            );
        }
        // Flip one character of the signature part: the checksum or the signature breaks.
        let mut chars: Vec<char> = SEED_MAINNET.chars().collect();
        let i = chars.len() - 20;
        chars[i] = if chars[i] == 'q' { 'p' } else { 'q' };
        let tampered: String = chars.into_iter().collect();
        assert!(decode(&tampered).is_err());
    }
}
