//! Paying a sale from an LNURL-withdraw link: the link a Bolt Card gives when tapped, or one
//! scanned or pasted from a wallet's "withdraw" QR.
//!
//! The card's service is handed the sale's own invoice. Its `OK` is not a payment: the sale
//! stays waiting until the gateway says the invoice was paid, as for any customer's wallet. One
//! link is followed per sale at a time, so a second tap while the first is being answered cannot
//! send the invoice twice.

use std::collections::HashSet;

use crate::{ledger::LedgerError, sale::SaleState};

use super::{Till, TillError};

/// The sales a card is being read for right now.
pub(super) type InFlight = std::sync::Mutex<HashSet<i64>>;

/// Marks a sale as having a card in flight until dropped.
struct OneAtATime<'a> {
    till: &'a Till,
    sale_id: i64,
}

impl Drop for OneAtATime<'_> {
    fn drop(&mut self) {
        self.till
            .taps
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.sale_id);
    }
}

/// Checks that `link` is a usable LNURL-withdraw link (before a sale is rung up for it).
pub fn check_link(link: &str) -> Result<(), TillError> {
    lnurlw::parse(link)?;
    Ok(())
}

impl Till {
    /// Hands sale `sale_id`'s invoice to the LNURL-withdraw service `link` names, after checking
    /// the invoice's amount is within the card's limits. `Ok` means the service took it and will
    /// pay; the gateway says when it has. Nothing is written.
    pub async fn pay_from_link(&self, sale_id: i64, link: &str) -> Result<(), TillError> {
        let sale = self
            .ledger()
            .sale(sale_id)?
            .ok_or_else(|| LedgerError::Corrupt(format!("sale id {sale_id} vanished")))?;
        if sale.state != SaleState::AwaitingPayment {
            return Err(TillError::NotAllowed {
                receipt: sale.label(),
                state: sale.state,
                why: "only a sale waiting for payment can be paid by card",
            });
        }
        let (Some(invoice), Some(amount_msat)) =
            (sale.payment_request.as_deref(), sale.amount_msat)
        else {
            return Err(TillError::Refused(format!(
                "receipt {} has no Lightning invoice for a card to pay",
                sale.label()
            )));
        };
        // Read the link before anything else: a typo is answered at once.
        let url = lnurlw::parse(link)?;
        if !self
            .taps
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(sale_id)
        {
            return Err(TillError::Refused(format!(
                "a card is already paying receipt {}: wait for its answer",
                sale.label()
            )));
        }
        let _one = OneAtATime {
            till: self,
            sale_id,
        };
        let service = lnurlw::Service::new()?;
        let request = service.request(&url).await?;
        request.check_amount(amount_msat)?;
        service.claim(&request, invoice).await?;
        tracing::info!(receipt = %sale.label(), host = url.host_str().unwrap_or_default(), "a card's service took the invoice");
        Ok(())
    }
}
