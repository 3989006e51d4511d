//! Money going out: refunds to customers and withdrawals from the gateway's Lightning balance.
//!
//! Both are written to the ledger before the gateway is asked, and both are guarded against
//! paying twice: a refund is refused when the sale has no money left to give back (checked inside
//! the insert's transaction), and a withdrawal is refused when its invoice was already sent,
//! unless the gateway clearly refused it. An answer that was lost leaves the withdrawal
//! `uncertain`, never retried by the till.

use aurpay::{invoice::CheckedInvoice, Network};
use chrono::Utc;

use crate::{
    ledger::{
        NewRefund, Refund, RefundMethod, RefundRefused, RefundState, Withdrawal, WithdrawalState,
    },
    money::{self, bill::Pick, Currency, Fiat, Msat},
    till::{Till, TillError},
};

/// The gateway's Lightning balance, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LightningBalance {
    /// As the gateway says it, in BTC.
    pub btc: aurpay::Amount,
    /// The same in millisatoshis.
    pub msat: Msat,
}

/// The longest refund reason kept.
pub const MAX_REASON_CHARS: usize = 200;

/// A Lightning invoice pasted by the owner, checked for this till's network and still payable.
/// With `any_amount`, an invoice without an amount is accepted (its `amount_msat` is 0).
fn check_pasted(
    text: &str,
    network: Network,
    any_amount: bool,
) -> Result<CheckedInvoice, TillError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(TillError::BadInput(
            "paste a Lightning invoice (it starts with ln)".into(),
        ));
    }
    if text.len() > 4_000 {
        return Err(TillError::BadInput(
            "that is far too long to be a Lightning invoice".into(),
        ));
    }
    let decoded = if any_amount {
        aurpay::invoice::decode_any(text)
    } else {
        aurpay::invoice::decode(text)
    };
    let invoice = decoded.map_err(|e| {
        TillError::BadInput(match e {
            aurpay::invoice::InvoiceError::NoAmount => {
                "the invoice has no amount; ask for one with the amount in it".into()
            }
            _ => "that is not a valid Lightning invoice; copy the whole invoice and paste it again"
                .into(),
        })
    })?;
    if invoice.network != network {
        return Err(TillError::BadInput(format!(
            "the invoice is for {}, but this till is on {network}",
            invoice.network
        )));
    }
    if invoice.expires_at <= Utc::now() {
        return Err(TillError::BadInput(
            "the invoice has expired; ask for a new one".into(),
        ));
    }
    Ok(invoice)
}

/// A Lightning invoice pasted by the owner to withdraw to: with an amount, on this till's
/// network, still payable.
pub fn check_invoice(text: &str, network: Network) -> Result<CheckedInvoice, TillError> {
    check_pasted(text, network, false)
}

/// What a refund asks for.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    /// The sale's receipt number.
    pub receipt_no: i64,
    /// How much to give back, in the sale's currency, as typed (`12.50`); ignored when lines are
    /// picked.
    pub amount: String,
    /// Lines of the sale to give back (an itemized refund: tax reversed per rate); empty for an
    /// amount.
    pub lines: Vec<Pick>,
    /// With the lines, give the tip back too.
    pub tip: bool,
    /// Why (required; kept on the document).
    pub reason: String,
    /// The customer's Lightning invoice to refund to through the gateway; none for cash.
    pub invoice: Option<String>,
    /// The manager whose PIN approved it (none: the person at the till may refund on their own).
    pub approved_by: Option<String>,
}

/// A refund and what the gateway said, if it was asked.
#[derive(Debug, Clone)]
pub struct RefundOutcome {
    /// The numbered document, with its payment state.
    pub refund: Refund,
    /// The gateway's answer, verbatim, when it paid the refund.
    pub gateway_answer: Option<String>,
    /// What went wrong when the gateway was asked: refused (nothing was paid, the money is owed
    /// by hand) or no clear answer (it may have been paid: check the dashboard first).
    pub gateway_error: Option<String>,
}

fn clean_reason(reason: &str) -> Result<String, TillError> {
    let cleaned = crate::till::clean_text(reason, MAX_REASON_CHARS).map_err(|max| {
        TillError::BadInput(format!("the reason is longer than {max} characters"))
    })?;
    if cleaned.is_empty() {
        return Err(TillError::BadInput(
            "say why the money is given back".into(),
        ));
    }
    Ok(cleaned)
}

impl Till {
    /// Records a refund against a paid sale; with the customer's invoice, also asks the gateway
    /// to pay it from the order (Orders Refund) and records its answer.
    ///
    /// A Lightning refund sends the satoshis the refunded part of the sale was paid with (rounded
    /// down): an invoice with an amount must be for exactly that, an invoice without one is paid
    /// that. It is written as `sending` before the gateway is asked, so it can never be sent twice
    /// (one refund per invoice, and the sale's money is spoken for); a refusal leaves it owed by
    /// hand, and a lost answer leaves it `uncertain`, never "not paid".
    pub async fn refund(&self, req: &RefundRequest) -> Result<RefundOutcome, TillError> {
        let sale = self.sale(req.receipt_no)?;
        let currency = Currency::from_code(&sale.currency)?;
        let items = (!req.lines.is_empty() || req.tip).then(|| (req.lines.clone(), req.tip));
        let fiat = match &items {
            // Priced here for the Lightning share, and again inside the insert's transaction.
            Some((picks, with_tip)) => {
                let bill = sale.bill.as_ref().ok_or_else(|| {
                    TillError::Refused(RefundRefused::NoLines(sale.label()).to_string())
                })?;
                let earlier: Vec<_> = self
                    .ledger()
                    .refunds_of(sale.id)?
                    .into_iter()
                    .filter_map(|r| r.lines)
                    .collect();
                let priced = bill.refund(&earlier, picks, *with_tip)?;
                Fiat {
                    minor: priced.total,
                    currency,
                }
            }
            None => Fiat::parse(&req.amount, currency)?,
        };
        let reason = clean_reason(&req.reason)?;
        let invoice = req
            .invoice
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| check_pasted(s, self.config().network, true))
            .transpose()?;
        let lightning = match &invoice {
            None => None,
            Some(invoice) => Some(self.lightning_refund(&sale, fiat, invoice)?),
        };
        let new = NewRefund {
            sale_id: sale.id,
            amount_minor: fiat.minor,
            reason,
            method: if invoice.is_some() {
                RefundMethod::Lightning
            } else {
                RefundMethod::Cash
            },
            lightning: lightning.map(|msat| {
                let hash = invoice
                    .as_ref()
                    .map(|i| i.payment_hash.clone())
                    .unwrap_or_default();
                (hash, msat.0)
            }),
            items,
            made_by: Some(self.cashier()),
            approved_by: req.approved_by.clone(),
        };
        let refund = self
            .ledger()
            .insert_refund(&new, Utc::now())?
            .map_err(|e| TillError::Refused(e.to_string()))?;
        let (Some(invoice), Some(msat)) = (invoice, lightning) else {
            return Ok(RefundOutcome {
                refund,
                gateway_answer: None,
                gateway_error: None,
            });
        };
        let body = aurpay::RefundRequest {
            address: Some(invoice.payment_request.clone()),
            amount: Some(money::btc_text(msat)),
        };
        let order_id = sale.order_id.clone().unwrap_or_default();
        let (state, answer, gateway_answer, gateway_error) =
            match self.gateway().refund(&order_id, &body).await {
                Ok(recorded) => (
                    RefundState::Paid,
                    recorded.raw.clone(),
                    Some(recorded.raw),
                    None,
                ),
                Err(e) if e.may_have_been_processed() => {
                    let why = format!(
                        "no clear answer from the gateway ({e}); it may have been paid: check the \
                         Aurpay dashboard before giving anything back by hand"
                    );
                    (RefundState::Uncertain, why.clone(), None, Some(why))
                }
                Err(e) => {
                    let why = format!(
                    "the gateway refused it ({e}); nothing was paid: give the money back by hand"
                );
                    (RefundState::Refused, why.clone(), None, Some(why))
                }
            };
        let refund = self
            .ledger()
            .set_refund_state(refund.id, state, &answer, Utc::now())?;
        Ok(RefundOutcome {
            refund,
            gateway_answer,
            gateway_error,
        })
    }

    /// What a Lightning refund of `fiat` from `sale` sends: the share of the sale's invoice that
    /// part stands for, checked against the customer's invoice.
    fn lightning_refund(
        &self,
        sale: &crate::ledger::Sale,
        fiat: Fiat,
        invoice: &CheckedInvoice,
    ) -> Result<Msat, TillError> {
        let by_hand =
            |why: String| TillError::Refused(format!("{why}; give the money back by hand"));
        if sale.order_id.is_none() {
            return Err(by_hand(format!(
                "receipt {} has no gateway order to refund from",
                sale.label()
            )));
        }
        let share = sale
            .amount_msat
            .and_then(|paid| money::share(Msat(paid), fiat.minor, sale.amount_minor))
            .filter(|m| m.0 > 0)
            .ok_or_else(|| {
                by_hand(format!(
                    "receipt {} records no Lightning amount this refund could be a share of",
                    sale.label()
                ))
            })?;
        if invoice.amount_msat != 0 && invoice.amount_msat != share.0 {
            return Err(TillError::BadInput(format!(
                "the customer's invoice is for {} sats, but this refund is {} sats; ask for an \
                 invoice of exactly {} sats, or one without an amount",
                Msat(invoice.amount_msat).sats(),
                share.sats(),
                share.sats()
            )));
        }
        Ok(share)
    }

    /// The gateway's Lightning balance. A balance that is not a whole number of millisatoshis (or
    /// is negative) is the gateway's answer misread, and said so rather than shown rounded.
    pub async fn balance(&self) -> Result<LightningBalance, TillError> {
        let b = self.gateway().bln_balance().await?;
        let msat = b
            .balance
            .btc_to_msat()
            .map_err(|e| aurpay::Error::Malformed {
                detail: format!("the Lightning balance is not an amount the till can hold ({e})"),
                excerpt: b.balance.to_string(),
            })?;
        Ok(LightningBalance {
            btc: b.balance,
            msat: Msat(msat),
        })
    }

    /// Pays `invoice` from the gateway's Lightning balance for `by` (the owner whose PIN sent
    /// it): checked, written as `sending`, asked once, and the answer recorded. Refused before
    /// anything is sent when the invoice was sent already.
    pub async fn withdraw(&self, invoice: &str, by: &str) -> Result<Withdrawal, TillError> {
        let checked = check_invoice(invoice, self.config().network)?;
        let row = self
            .ledger()
            .begin_withdrawal(
                &checked.payment_hash,
                &checked.payment_request,
                checked.amount_msat,
                self.config().training,
                by,
                Utc::now(),
            )?
            .map_err(|e| TillError::Refused(e.to_string()))?;
        let req = aurpay::BlnWithdrawRequest {
            ln_invoices: checked.payment_request.clone(),
            amount: None,
        };
        let (state, answer) = match self.gateway().bln_withdraw(&req).await {
            Ok(recorded) => (WithdrawalState::Sent, recorded.raw),
            Err(e) if e.may_have_been_processed() => (
                WithdrawalState::Uncertain,
                format!("no clear answer ({e}); it may have been paid: check the balance"),
            ),
            Err(e) => (WithdrawalState::Refused, e.to_string()),
        };
        Ok(self
            .ledger()
            .finish_withdrawal(row.id, state, &answer, Utc::now())?)
    }
}
