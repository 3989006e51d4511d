//! Withdrawals from the gateway's Lightning balance against the simulator: recorded before they
//! are sent, never sent twice, and refused before anything is sent when the invoice is wrong.

#![allow(clippy::unwrap_used)]

use aurpay::Network;
use aurpay_sim::{Fault, FaultRule, SimConfig};
use till_core::{ledger::WithdrawalState, till::TillError};

mod common;

use common::payout_shop as shop;

#[tokio::test]
async fn a_withdrawal_is_recorded_and_never_sent_twice() {
    let shop = shop().await;
    let (sim, till) = (&shop.sim, &shop.till);
    shop.paid_sale("10.00").await; // 10,000,000 msat of balance at 100000 USD/BTC
    let invoice = sim.state().wallet_invoice(4_000_000).unwrap();

    let w = till
        .withdraw(&invoice.payment_request, "Olga")
        .await
        .unwrap();
    assert_eq!(w.state, WithdrawalState::Sent);
    assert_eq!(w.amount_msat, 4_000_000);
    assert_eq!(w.made_by.as_deref(), Some("Olga"));
    assert!(w.answer.as_deref().unwrap().contains("withdraw_id"));
    assert_eq!(sim.state().balance_msat(), 6_000_000);

    let again = till
        .withdraw(&invoice.payment_request, "Olga")
        .await
        .unwrap_err();
    assert!(again.to_string().contains("never paid twice"), "{again}");
    assert_eq!(sim.state().balance_msat(), 6_000_000);
    assert_eq!(till.ledger().withdrawals().unwrap().len(), 1);
    till.ledger().verify().unwrap();
}

#[tokio::test]
async fn a_lost_answer_leaves_the_withdrawal_uncertain_and_a_refusal_may_be_retried() {
    let shop = shop().await;
    let (sim, till) = (&shop.sim, &shop.till);
    shop.paid_sale("10.00").await;

    // The connection drops after the gateway acted: maybe paid, so never sent again.
    let lost = sim.state().wallet_invoice(1_000_000).unwrap();
    sim.state().inject(FaultRule {
        path: "/api/bln/withdraw".into(),
        fault: Fault::Drop,
        count: 1,
    });
    let w = till.withdraw(&lost.payment_request, "Olga").await.unwrap();
    assert_eq!(w.state, WithdrawalState::Uncertain);
    assert!(till.withdraw(&lost.payment_request, "Olga").await.is_err());

    // Too large for the balance: clearly refused, nothing paid, may be tried again later.
    let big = sim.state().wallet_invoice(500_000_000).unwrap();
    let refused = till.withdraw(&big.payment_request, "Olga").await.unwrap();
    assert_eq!(refused.state, WithdrawalState::Refused);
    sim.state().set_balance_msat(600_000_000);
    let retried = till.withdraw(&big.payment_request, "Olga").await.unwrap();
    assert_eq!(
        (retried.id, retried.state),
        (refused.id, WithdrawalState::Sent)
    );
    till.ledger().verify().unwrap();
}

#[tokio::test]
async fn bad_withdrawal_invoices_are_refused_before_anything_is_sent() {
    let shop = shop().await;
    let (sim, till) = (&shop.sim, &shop.till);
    let mainnet = aurpay_sim::start(SimConfig {
        network: Network::Bitcoin,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let wrong_network = mainnet
        .state()
        .wallet_invoice(1_000)
        .unwrap()
        .payment_request;
    for (text, words) in [
        ("", "paste a Lightning invoice"),
        ("hello", "not a valid Lightning invoice"),
        (&"lnbcrt1".repeat(1_000)[..], "far too long"),
        (&wrong_network[..], "this till is on regtest"),
    ] {
        let err = till.withdraw(text, "Olga").await.unwrap_err();
        assert!(matches!(err, TillError::BadInput(_)), "{err}");
        assert!(err.to_string().contains(words), "{text:.20} -> {err}");
    }
    assert!(till.ledger().withdrawals().unwrap().is_empty());
    assert!(sim
        .state()
        .requests()
        .iter()
        .all(|r| r.path != "/api/bln/withdraw"));
}
