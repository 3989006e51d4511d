//! Paying a sale from an LNURL-withdraw link: the link a Bolt Card gives when tapped, or one
//! scanned or pasted from a wallet's "withdraw" QR.
//!
//! The card's service is handed the sale's own invoice. Its `OK` is not a payment: the sale
//! stays waiting until the gateway says the invoice was paid, as for any customer's wallet. One
//! link is followed per sale at a time, so a second tap while the first is being answered cannot
//! send the invoice twice.

use std::{
    collections::{HashMap, HashSet},
    time::{Duration, Instant},
};

use crate::{ledger::LedgerError, sale::SaleState};

use super::{Till, TillError};

/// How long after a card's service took a sale's invoice another card is refused for it: the
/// payment is on its way, and a second card must not be handed the same invoice meanwhile.
pub const PAYING_FOR: Duration = Duration::from_secs(60);

/// The sales a card is being read for right now, and when a service last took each invoice.
#[derive(Debug, Default)]
pub(super) struct Taps {
    reading: HashSet<i64>,
    accepted: HashMap<i64, Instant>,
}

/// The till's taps, behind one lock (never held across an await).
pub(super) type InFlight = std::sync::Mutex<Taps>;

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
            .reading
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
        let sale = self.still_waiting(sale_id)?;
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
        {
            let mut taps = self.taps.lock().unwrap_or_else(|p| p.into_inner());
            let paying = taps
                .accepted
                .get(&sale_id)
                .is_some_and(|at| at.elapsed() < PAYING_FOR);
            if paying || !taps.reading.insert(sale_id) {
                return Err(TillError::Refused(format!(
                    "a card is already paying receipt {}: wait for its payment to arrive",
                    sale.label()
                )));
            }
        }
        let _one = OneAtATime {
            till: self,
            sale_id,
        };
        let service = lnurlw::Service::new()?;
        let request = service.request(&url).await?;
        request.check_amount(amount_msat)?;
        // The sale may have ended while its card's service was asked (cancelled, paid by QR).
        self.still_waiting(sale_id)?;
        service.claim(&request, invoice).await?;
        self.taps
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .accepted
            .insert(sale_id, Instant::now());
        tracing::info!(receipt = %sale.label(), host = url.host_str().unwrap_or_default(), "a card's service took the invoice");
        Ok(())
    }

    /// The sale, refused unless it is waiting for payment.
    fn still_waiting(&self, sale_id: i64) -> Result<crate::ledger::Sale, TillError> {
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
        Ok(sale)
    }
}
