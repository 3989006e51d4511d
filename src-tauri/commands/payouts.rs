//! Money going out: the gateway's balance, withdrawals to a pasted invoice, refunds. Each needs
//! the manager; withdrawals and refunds also take the PIN itself, asked at the confirmation.

use serde::{Deserialize, Serialize};
use tauri::State;
use till_core::{
    ledger::{Refund, Withdrawal},
    money::{bill::Pick, Msat},
    payouts::{self, RefundRequest},
    till::Settlement,
};
use ts_rs::TS;

use crate::{views::SaleView, IpcError, Shell};
use till_core::people::Action;

/// The gateway's Lightning balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Balance {
    /// In BTC, as the gateway says it.
    pub btc: String,
    /// In whole sats.
    #[ts(type = "number")]
    pub sats: u64,
    /// True for the demo gateway's balance.
    pub demo: bool,
}

/// The BLN balance, from the gateway.
#[tauri::command]
pub async fn balance(shell: State<'_, Shell>) -> Result<Balance, IpcError> {
    let core = shell.manager(Action::Withdraw)?;
    let b = core.till.balance().await?;
    Ok(Balance {
        btc: b.btc.0.normalize().to_string(),
        sats: b.msat.sats(),
        demo: core.demo.is_some(),
    })
}

/// A pasted invoice, decoded for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoicePreview {
    /// Its amount in sats (rounded down; `msat` is exact).
    #[ts(type = "number")]
    pub sats: u64,
    /// Its amount in millisatoshis.
    #[ts(type = "number")]
    pub msat: u64,
    /// When it stops being payable (UTC, RFC 3339).
    pub expires_at: String,
    /// Its payment hash, shortened.
    pub payment_hash: String,
}

/// Decodes a pasted invoice: amount, expiry, and whether it suits this till's network.
#[tauri::command]
pub fn preview_invoice(
    shell: State<'_, Shell>,
    invoice: String,
) -> Result<InvoicePreview, IpcError> {
    let core = shell.manager(Action::Refund)?;
    let checked = payouts::check_invoice(&invoice, core.till.config().network)?;
    Ok(InvoicePreview {
        sats: Msat(checked.amount_msat).sats(),
        msat: checked.amount_msat,
        expires_at: till_core::ledger::time_text(checked.expires_at),
        payment_hash: format!("{}…", &checked.payment_hash[..16]),
    })
}

/// A withdrawal as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WithdrawalView {
    /// The withdrawal as recorded.
    #[serde(flatten)]
    #[ts(flatten)]
    pub withdrawal: Withdrawal,
    /// Its amount in whole satoshis (rounded down).
    #[ts(type = "number")]
    pub sats: u64,
}

impl From<Withdrawal> for WithdrawalView {
    fn from(withdrawal: Withdrawal) -> Self {
        let sats = Msat(withdrawal.amount_msat).sats();
        Self { withdrawal, sats }
    }
}

/// Pays a pasted invoice from the balance, after the PIN. Recorded before and after the
/// gateway is asked; an invoice already sent is refused.
#[tauri::command]
pub async fn withdraw(
    shell: State<'_, Shell>,
    invoice: String,
    pin: String,
) -> Result<WithdrawalView, IpcError> {
    let (core, by) = shell.with_pin(&pin, Action::Withdraw)?;
    Ok(core.till.withdraw(&invoice, &by.name).await?.into())
}

/// Every withdrawal, newest first.
#[tauri::command]
pub fn withdrawals(shell: State<'_, Shell>) -> Result<Vec<WithdrawalView>, IpcError> {
    let core = shell.manager(Action::Withdraw)?;
    let list = core.till.ledger().withdrawals()?;
    Ok(list.into_iter().map(Into::into).collect())
}

/// A refund made, and what the gateway said when it was asked to pay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefundMade {
    /// The numbered document.
    pub refund: Refund,
    /// The sale it refers to.
    pub sale: SaleView,
    /// Why the gateway did not pay a Lightning refund: the money is owed by hand.
    pub gateway_error: Option<String>,
}

/// Records a full or partial refund against a paid sale with a reason and the PIN: an amount, or
/// lines picked from the sale (with or without its tip; tax reversed per rate). With the
/// customer's invoice, the gateway is asked to pay it.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn refund(
    shell: State<'_, Shell>,
    receipt_no: i64,
    amount: String,
    reason: String,
    invoice: Option<String>,
    lines: Option<Vec<Pick>>,
    tip: Option<bool>,
    pin: String,
) -> Result<RefundMade, IpcError> {
    let (core, approver) = shell.with_pin(&pin, Action::Refund)?;
    let out = core
        .till
        .refund(&RefundRequest {
            receipt_no,
            amount,
            reason,
            invoice,
            lines: lines.unwrap_or_default(),
            tip: tip.unwrap_or(false),
            approved_by: Some(approver.name),
        })
        .await?;
    let sale = core.till.sale(receipt_no)?;
    Ok(RefundMade {
        refund: out.refund,
        sale: SaleView::from(&sale),
        gateway_error: out.gateway_error,
    })
}

/// Settles a sale the till could not, after the PIN: one whose gateway answer was lost (with
/// the order found on the Aurpay dashboard, or void with a reason), or one the gateway said
/// something impossible about (void).
#[tauri::command]
pub async fn settle_sale(
    shell: State<'_, Shell>,
    receipt_no: i64,
    order_id: Option<String>,
    reason: Option<String>,
    pin: String,
) -> Result<SaleView, IpcError> {
    let (core, manager) = shell.with_pin(&pin, Action::Settle)?;
    let settlement = Settlement::from_form(order_id, reason);
    let sale = core
        .till
        .settle(receipt_no, settlement, &manager.name)
        .await?;
    core.watcher.track(sale.id);
    Ok(SaleView::from(&sale))
}

/// The refunds of one sale, oldest first (the history's detail shows them).
#[tauri::command]
pub fn refunds_of(shell: State<'_, Shell>, receipt_no: i64) -> Result<Vec<Refund>, IpcError> {
    let core = shell.core()?;
    let sale = core.till.sale(receipt_no)?;
    let list = core.till.ledger().refunds_of(sale.id)?;
    Ok(list)
}
