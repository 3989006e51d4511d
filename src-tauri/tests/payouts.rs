//! Money going out, on Tauri's mock runtime through the real IPC path: refunds and withdrawals
//! need the PIN every time and never pay twice.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_with, call, code, paid_sale, set_up, PIN};
use serde_json::json;
use tauri::Manager;
use till_app::{Balance, ErrorCode, InvoicePreview, RefundMade, SaleDetail, Shell, WithdrawalView};
use till_core::ledger::{Refund, WithdrawalState};

#[test]
fn refunds_and_withdrawals_need_the_pin_every_time_and_never_pay_twice() {
    let (app, _dir) = app_with(&[]);
    set_up(&app);
    let n = paid_sale(&app, "10.00");
    let refund = |amount: &str, reason: &str, pin: &str| {
        call::<RefundMade>(
            &app,
            "refund",
            json!({"receiptNo": n, "amount": amount, "reason": reason, "pin": pin}),
        )
    };
    assert_eq!(code(refund("1", "x", "9999")), ErrorCode::WrongPin);
    refund("10.00", "all back", PIN).unwrap();
    let twice = refund("0.01", "x", PIN).unwrap_err();
    assert_eq!(twice.code, ErrorCode::NotAllowed, "{twice:?}");
    let refunds: Vec<Refund> = call(&app, "refunds_of", json!({"receiptNo": n})).unwrap();
    assert_eq!(refunds.len(), 1);

    // The demo gateway's balance holds the paid sale; withdraw part of it to a wallet's invoice.
    let detail: SaleDetail = call(&app, "sale_detail", json!({"receiptNo": n})).unwrap();
    let paid_sats = detail.sale.sats.unwrap();
    assert_eq!(paid_sats, detail.sale.amount_msat.unwrap() / 1000);
    let balance: Balance = call(&app, "balance", json!({})).unwrap();
    assert_eq!((balance.sats, balance.demo), (paid_sats, true));
    let invoice = {
        let shell = app.state::<Shell>();
        let core = shell.any_core().unwrap();
        core.demo
            .as_ref()
            .unwrap()
            .state()
            .wallet_invoice(2_500_000)
            .unwrap()
            .payment_request
    };
    let preview: InvoicePreview =
        call(&app, "preview_invoice", json!({"invoice": invoice})).unwrap();
    assert_eq!(preview.sats, 2_500);
    assert_eq!(
        code(call::<InvoicePreview>(
            &app,
            "preview_invoice",
            json!({"invoice": "lnbc1garbage"})
        )),
        ErrorCode::BadInput
    );
    let withdraw = |pin: &str| {
        call::<WithdrawalView>(&app, "withdraw", json!({"invoice": invoice, "pin": pin}))
    };
    assert_eq!(code(withdraw("1111")), ErrorCode::WrongPin);
    let w = withdraw(PIN).unwrap();
    assert_eq!(w.withdrawal.state, WithdrawalState::Sent);
    assert_eq!(w.sats, 2_500);
    let again = withdraw(PIN).unwrap_err();
    assert_eq!(again.code, ErrorCode::NotAllowed);
    assert!(again.message.contains("never paid twice"));
    let balance: Balance = call(&app, "balance", json!({})).unwrap();
    assert_eq!(balance.sats, paid_sats - 2_500);
    let list: Vec<WithdrawalView> = call(&app, "withdrawals", json!({})).unwrap();
    assert_eq!(list.len(), 1);
}
