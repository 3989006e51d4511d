//! Money going out: refunds to customers and withdrawals from the gateway's Lightning balance.
//!
//! Both are written to the ledger before the gateway is asked, and both are guarded against
//! paying twice: a refund is refused when the sale has no money left to give back (checked inside
//! the insert's transaction), and a withdrawal is refused when its invoice was already sent,
//! unless the gateway clearly refused it. An answer that was lost leaves the withdrawal
//! `uncertain`, never retried by the till.

use aurpay::{invoice::CheckedInvoice, Network};
use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::json;

use crate::{
    ledger::{NewRefund, Refund, Withdrawal, WithdrawalState},
    money::{Currency, Fiat},
    till::{Till, TillError},
};

/// The longest refund reason kept.
pub const MAX_REASON_CHARS: usize = 200;

/// A Lightning invoice pasted by the owner, checked for this till's network and still payable.
pub fn check_invoice(text: &str, network: Network) -> Result<CheckedInvoice, TillError> {
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
    let invoice = aurpay::invoice::decode(text).map_err(|e| {
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

/// What a refund asks for.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    /// The sale's receipt number.
    pub receipt_no: i64,
    /// How much to give back, in the sale's currency, as typed (`12.50`).
    pub amount: String,
    /// Why (required; kept on the document).
    pub reason: String,
    /// The customer's Lightning invoice to refund to through the gateway; none for cash.
    pub invoice: Option<String>,
}

/// A refund and what the gateway said, if it was asked.
#[derive(Debug, Clone)]
pub struct RefundOutcome {
    /// The numbered document.
    pub refund: Refund,
    /// The gateway's answer, verbatim, when it paid the refund.
    pub gateway_answer: Option<String>,
    /// Why the gateway did not pay it, when it was asked and failed: the money is owed by hand.
    pub gateway_error: Option<String>,
}

fn clean_reason(reason: &str) -> Result<String, TillError> {
    let cleaned: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.is_empty() {
        return Err(TillError::BadInput(
            "say why the money is given back".into(),
        ));
    }
    if cleaned.chars().count() > MAX_REASON_CHARS {
        return Err(TillError::BadInput(format!(
            "the reason is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    Ok(cleaned)
}

impl Till {
    /// Records a refund against a paid sale; with the customer's invoice, also asks the gateway
    /// to pay it from the order (Orders Refund) and journals its answer.
    pub async fn refund(&self, req: &RefundRequest) -> Result<RefundOutcome, TillError> {
        let sale = self.sale(req.receipt_no)?;
        let currency = Currency::from_code(&sale.currency)?;
        let fiat = Fiat::parse(&req.amount, currency)?;
        let reason = clean_reason(&req.reason)?;
        let invoice = req
            .invoice
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| check_invoice(s, self.config().network))
            .transpose()?;
        if invoice.is_some() && sale.order_id.is_none() {
            return Err(TillError::Refused(format!(
                "receipt {} has no gateway order to refund from; give the money back by hand",
                sale.receipt_no
            )));
        }
        let new = NewRefund {
            sale_id: sale.id,
            amount_minor: fiat.minor,
            reason,
            method: if invoice.is_some() {
                "lightning"
            } else {
                "cash"
            }
            .into(),
        };
        let refund = self
            .ledger()
            .insert_refund(&new, Utc::now())?
            .map_err(|e| TillError::Refused(e.to_string()))?;
        let Some(invoice) = invoice else {
            return Ok(RefundOutcome {
                refund,
                gateway_answer: None,
                gateway_error: None,
            });
        };
        // The share of the order's coin amount this refund stands for.
        let btc = sale
            .btc_amount
            .as_deref()
            .and_then(|a| a.parse::<Decimal>().ok())
            .map(|btc| {
                (btc * Decimal::from(fiat.minor) / Decimal::from(sale.amount_minor)).round_dp(8)
            });
        let body = aurpay::RefundRequest {
            address: Some(invoice.payment_request.clone()),
            amount: btc.map(|b| b.normalize().to_string()),
        };
        let order_id = sale.order_id.clone().unwrap_or_default();
        let answer = self.gateway().refund(&order_id, &body).await;
        let (kind, detail, gateway_answer, gateway_error) = match answer {
            Ok(recorded) => (
                "refund_paid",
                json!({"refund_no": refund.refund_no, "answer": recorded.raw}),
                Some(recorded.raw.clone()),
                None,
            ),
            Err(e) => (
                "refund_not_paid",
                json!({"refund_no": refund.refund_no, "error": e.to_string(), "may_have_been_paid": e.may_have_been_processed()}),
                None,
                Some(e.to_string()),
            ),
        };
        self.ledger().note(sale.id, kind, &detail, Utc::now())?;
        Ok(RefundOutcome {
            refund,
            gateway_answer,
            gateway_error,
        })
    }

    /// Pays `invoice` from the gateway's Lightning balance: checked, written as `sending`, asked
    /// once, and the answer recorded. Refused before anything is sent when the invoice was sent
    /// already.
    pub async fn withdraw(&self, invoice: &str) -> Result<Withdrawal, TillError> {
        let checked = check_invoice(invoice, self.config().network)?;
        let row = self
            .ledger()
            .begin_withdrawal(
                &checked.payment_hash,
                &checked.payment_request,
                checked.amount_msat,
                self.config().training,
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
