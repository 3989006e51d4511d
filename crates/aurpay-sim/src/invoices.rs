//! Real, signed BOLT11 invoices, as a Lightning node behind the gateway would issue them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aurpay::Network;
use bitcoin::{
    hashes::{sha256, Hash},
    secp256k1::{Secp256k1, SecretKey},
};
use lightning_invoice::{InvoiceBuilder, PaymentSecret};
use rand::RngCore;

/// The simulated node: one key for every invoice of a run.
#[derive(Debug)]
pub struct Node {
    key: SecretKey,
    network: Network,
}

/// An invoice with the values the gateway keeps beside it.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The BOLT11 text (lower case).
    pub payment_request: String,
    /// Hex of the payment hash.
    pub payment_hash: String,
    /// Hex of the payment secret (Aurpay's `payment_addr`).
    pub payment_secret: String,
}

fn random32() -> [u8; 32] {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    b
}

impl Node {
    /// A node with a fresh random key, issuing invoices for `network`.
    pub fn new(network: Network) -> Self {
        let key = loop {
            if let Ok(k) = SecretKey::from_slice(&random32()) {
                break k;
            }
        };
        Self { key, network }
    }

    /// The network invoices are issued for.
    pub fn network(&self) -> Network {
        self.network
    }

    /// Issues an invoice for `amount_msat`, payable for `expiry`, on `network` (normally the
    /// node's own; another one only for the wrong-network fault).
    pub fn issue(
        &self,
        amount_msat: u64,
        expiry: Duration,
        network: Network,
    ) -> Result<Issued, String> {
        self.issue_any(Some(amount_msat), expiry, network)
    }

    /// Issues an invoice for `amount_msat`, or without an amount (the payer chooses).
    pub fn issue_any(
        &self,
        amount_msat: Option<u64>,
        expiry: Duration,
        network: Network,
    ) -> Result<Issued, String> {
        let preimage = random32();
        let hash = sha256::Hash::hash(&preimage);
        let secret = random32();
        // Aurpay's descriptions are 32 hex characters, not the merchant's memo.
        let description = hex::encode(&random32()[..16]);
        let secp = Secp256k1::new();
        let invoice = InvoiceBuilder::new(aurpay::invoice::currency_of(network))
            .description(description)
            .payment_hash(hash)
            .payment_secret(PaymentSecret(secret))
            .duration_since_epoch(
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default(),
            )
            .min_final_cltv_expiry_delta(144)
            .expiry_time(expiry);
        let invoice = match amount_msat {
            Some(msat) => invoice.amount_milli_satoshis(msat),
            None => invoice,
        };
        let invoice = invoice
            .build_signed(|msg| secp.sign_ecdsa_recoverable(msg, &self.key))
            .map_err(|e| format!("cannot build the invoice: {e}"))?;
        Ok(Issued {
            payment_request: invoice.to_string(),
            payment_hash: hex::encode(hash.to_byte_array()),
            payment_secret: hex::encode(secret),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_invoices_pass_the_clients_checks() {
        let node = Node::new(Network::Regtest);
        let inv = node
            .issue(155_419_000, Duration::from_secs(86_400), Network::Regtest)
            .unwrap();
        assert!(
            inv.payment_request.starts_with("lnbcrt1554190n1"),
            "{}",
            inv.payment_request
        );
        let checked = aurpay::invoice::check(
            &inv.payment_request,
            155_419_000,
            Network::Regtest,
            chrono::Utc::now(),
        )
        .unwrap();
        assert_eq!(checked.payment_hash, inv.payment_hash);
        assert_eq!(checked.payment_secret, inv.payment_secret);
        assert_eq!(checked.expiry, Duration::from_secs(86_400));
    }
}
