//! Refunds against the simulator: numbered, journaled, verified, and never paid twice, whatever
//! is retried and whatever the gateway does.

#![allow(clippy::unwrap_used)]

use aurpay_sim::{Fault, FaultRule};
use till_core::{
    export,
    ledger::{Ledger, RefundMethod, RefundState},
    payouts::RefundRequest,
    report,
    till::TillError,
};

fn cash(receipt_no: i64, amount: &str, reason: &str) -> RefundRequest {
    RefundRequest {
        receipt_no,
        amount: amount.into(),
        reason: reason.into(),
        invoice: None,
        approved_by: None,
        lines: Vec::new(),
        tip: false,
    }
}

mod common;

use common::{payout_shop as shop, payout_shop_on as shop_on};

#[tokio::test]
async fn refunds_are_numbered_documents_that_never_give_back_more_than_was_paid() {
    let shop = shop().await;
    let till = &shop.till;
    let a = shop.paid_sale("10.00").await.receipt_no;
    let b = shop.paid_sale("4.00").await.receipt_no;

    let first = till.refund(&cash(a, "3.00", "cold coffee")).await.unwrap();
    assert_eq!(
        (first.refund.refund_no, first.refund.amount_minor),
        (1, 300)
    );
    assert_eq!(first.refund.method, RefundMethod::Cash);
    let second = till.refund(&cash(b, "4", "wrong order")).await.unwrap();
    assert_eq!(
        second.refund.refund_no, 2,
        "numbers count per terminal across sales"
    );

    // 7.00 is left of receipt a; 7.01 is refused and nothing is written.
    let err = till.refund(&cash(a, "7.01", "again")).await.unwrap_err();
    assert!(matches!(err, TillError::Refused(_)), "{err}");
    assert!(err.to_string().contains("700"), "{err}");
    let again = till.refund(&cash(b, "0.01", "again")).await.unwrap_err();
    assert!(matches!(again, TillError::Refused(_)), "{again}");
    let rest = till.refund(&cash(a, "7.00", "rest")).await.unwrap();
    assert_eq!(rest.refund.refund_no, 3);

    let l = till.ledger();
    assert_eq!(l.refunds_of(rest.refund.sale_id).unwrap().len(), 2);
    let v = l.verify().unwrap();
    assert_eq!(v.sales, 2);
}

#[tokio::test]
async fn bad_refunds_are_refused_with_a_reason_and_write_nothing() {
    let shop = shop().await;
    let till = &shop.till;
    let paid = shop.paid_sale("5.00").await.receipt_no;
    let open = till.charge("2.00", "USD", "").await.unwrap().receipt_no;
    let head = till.ledger().chain_head().unwrap();
    let cases: Vec<(RefundRequest, &str)> = vec![
        (cash(open, "1", "x"), "not paid"),
        (cash(paid, "0", "x"), "more than zero"),
        (cash(paid, "-1", "x"), ""),
        (cash(paid, "1.001", "x"), ""),
        (cash(paid, "abc", "x"), ""),
        (cash(paid, "1", "   \u{7} "), "say why"),
        (cash(paid, "1", &"r".repeat(201)), "longer than"),
        (cash(99, "1", "x"), "no sale"),
        (
            RefundRequest {
                invoice: Some("lnbc1notaninvoice".into()),
                approved_by: None,
                lines: Vec::new(),
                tip: false,
                ..cash(paid, "1", "x")
            },
            "not a valid Lightning invoice",
        ),
    ];
    for (req, words) in cases {
        let err = till.refund(&req).await.unwrap_err();
        assert!(
            err.to_string().contains(words),
            "{:?} -> {err}",
            (req.amount, req.reason.chars().take(5).collect::<String>())
        );
    }
    assert_eq!(
        till.ledger().chain_head().unwrap(),
        head,
        "nothing was written"
    );
    let l = till.ledger();
    let sale = l.sale_by_receipt("front", false, paid).unwrap();
    assert!(l.refunds_of(sale.id).unwrap().is_empty());
}

#[tokio::test]
async fn a_lightning_refund_goes_through_the_gateway_once() {
    let shop = shop().await;
    let (sim, till) = (&shop.sim, &shop.till);
    let receipt = shop.paid_sale("10.00").await.receipt_no;
    let wallet = sim.state().wallet_invoice(5_000_000).unwrap();
    let req = RefundRequest {
        invoice: Some(wallet.payment_request.clone()),
        approved_by: None,
        lines: Vec::new(),
        tip: false,
        ..cash(receipt, "5.00", "returned")
    };
    let out = till.refund(&req).await.unwrap();
    assert_eq!(out.refund.method, RefundMethod::Lightning);
    assert_eq!(out.refund.state, RefundState::Paid);
    assert_eq!(out.refund.amount_msat, Some(5_000_000));
    assert!(
        out.gateway_answer.unwrap().contains("refund"),
        "the answer is recorded"
    );
    let order = sim
        .state()
        .order(till.sale(receipt).unwrap().order_id.as_deref().unwrap())
        .unwrap();
    assert!(order.refunded);
    // The simulator refunds an order once; a second lightning refund is recorded as owed by hand.
    let wallet2 = sim.state().wallet_invoice(5_000_000).unwrap();
    let second = till
        .refund(&RefundRequest {
            invoice: Some(wallet2.payment_request),
            approved_by: None,
            lines: Vec::new(),
            tip: false,
            ..cash(receipt, "5.00", "the rest")
        })
        .await
        .unwrap();
    assert!(second
        .gateway_error
        .unwrap()
        .contains("already been refunded"));
    assert_eq!(second.refund.state, RefundState::Refused, "owed by hand");
    let kinds: Vec<String> = {
        let l = till.ledger();
        l.timeline(out.refund.sale_id)
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect()
    };
    assert!(
        kinds.ends_with(&[
            "refund".into(),
            "refund_state".into(),
            "refund".into(),
            "refund_state".into()
        ]),
        "{kinds:?}"
    );
    till.ledger().verify().unwrap();
}

#[tokio::test]
async fn reports_and_exports_show_refunds() {
    let shop = shop().await;
    let till = &shop.till;
    let receipt = shop.paid_sale("10.00").await.receipt_no;
    till.refund(&cash(receipt, "2.50", "chipped cup"))
        .await
        .unwrap();
    let l = till.ledger();
    let x = report::x_report(&l, "front", false).unwrap();
    assert_eq!(x.totals.refunds.len(), 1);
    assert_eq!(
        (
            x.totals.refunds[0].count,
            x.totals.refunds[0].amount.as_str()
        ),
        (1, "2.50")
    );
    assert_eq!(x.totals.net[0].amount, "7.50", "received minus refunded");
    assert!(report::render(&x).contains("REFUNDED"));

    let today = report::today(report::shop_timezone(&l).unwrap());
    let out = export::days(&l, today, today, false, export::ExportFormat::Csv).unwrap();
    let text = String::from_utf8(out.bytes).unwrap();
    let refund_row = text.lines().find(|l| l.contains(",refund,")).unwrap();
    assert!(refund_row.starts_with("R1,"), "{refund_row}");
    assert!(refund_row.contains(",-2.50,USD,"), "{refund_row}");
    assert!(refund_row.contains("chipped cup"), "{refund_row}");
    assert!(
        refund_row.contains(",refund,1,"),
        "refers to receipt 1: {refund_row}"
    );
}

#[tokio::test]
async fn a_tampered_refund_or_withdrawal_fails_verification() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let shop = shop_on(Ledger::open(&path).unwrap()).await;
    let (sim, till) = (&shop.sim, &shop.till);
    let receipt = shop.paid_sale("10.00").await.receipt_no;
    till.refund(&cash(receipt, "1.00", "x")).await.unwrap();
    let invoice = sim.state().wallet_invoice(1_000_000).unwrap();
    till.withdraw(&invoice.payment_request, "Olga")
        .await
        .unwrap();
    till.ledger().verify().unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    let tamper = |sql: &str| raw.execute(sql, []).unwrap();

    tamper("UPDATE refunds SET amount_minor = 100000");
    let err = till.ledger().verify().unwrap_err();
    assert!(
        err.to_string().contains("refund R1 of terminal front"),
        "{err}"
    );
    tamper("UPDATE refunds SET amount_minor = 100");
    till.ledger().verify().unwrap();

    tamper("UPDATE withdrawals SET amount_msat = 1");
    let err = till.ledger().verify().unwrap_err();
    assert!(err.to_string().contains("withdrawal"), "{err}");
    tamper("UPDATE withdrawals SET amount_msat = 1000000");
    till.ledger().verify().unwrap();

    tamper("UPDATE refunds SET refund_no = 5");
    let err = till.ledger().verify().unwrap_err();
    assert!(
        err.to_string()
            .contains("refund numbers of terminal front jump"),
        "{err}"
    );
}

/// The customer's invoice must be for exactly the refund's share of what the sale was paid, or
/// for no amount (then that share is sent); a refusal is owed by hand; a lost answer is
/// uncertain, never "not paid"; an invoice is used once.
#[tokio::test]
async fn a_lightning_refund_sends_its_exact_share_and_is_never_paid_twice() {
    let shop = shop().await;
    let (sim, till) = (&shop.sim, &shop.till);
    let receipt = shop.paid_sale("10.00").await.receipt_no; // 10,000,000 msat
    let refund = |invoice: &str, amount: &str| RefundRequest {
        invoice: Some(invoice.into()),
        approved_by: None,
        lines: Vec::new(),
        tip: false,
        ..cash(receipt, amount, "returned")
    };
    let head = till.ledger().chain_head().unwrap();

    // 2.50 of 10.00 is 2,500 sats: an invoice for 2,400 sats is refused, nothing written.
    let wrong = sim
        .state()
        .wallet_invoice(2_400_000)
        .unwrap()
        .payment_request;
    let err = till.refund(&refund(&wrong, "2.50")).await.unwrap_err();
    assert!(matches!(err, TillError::BadInput(_)), "{err}");
    assert!(err.to_string().contains("exactly 2500 sats"), "{err}");
    assert_eq!(till.ledger().chain_head().unwrap(), head);

    // The connection drops after the gateway acted: uncertain, with what to do.
    let right = sim
        .state()
        .wallet_invoice(2_500_000)
        .unwrap()
        .payment_request;
    sim.state().inject(FaultRule {
        path: "/api/v2/order/refund/".into(),
        fault: Fault::Drop,
        count: 1,
    });
    let lost = till.refund(&refund(&right, "2.50")).await.unwrap();
    assert_eq!(lost.refund.state, RefundState::Uncertain);
    let why = lost.gateway_error.unwrap();
    assert!(why.contains("may have been paid"), "{why}");
    assert!(!why.contains("give the money back by hand"), "{why}");
    // The same invoice is never sent again, even for the money that is left.
    let again = till.refund(&refund(&right, "2.50")).await.unwrap_err();
    assert!(
        again.to_string().contains("already used for refund R1"),
        "{again}"
    );
    let refund_calls = || {
        sim.state()
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/api/v2/order/refund/"))
            .count()
    };
    assert_eq!(refund_calls(), 1);
    till.ledger().verify().unwrap();

    // An invoice without an amount is paid the share: 1.00 of 10.00 is 1,000 sats.
    // The simulator refunds an order once, and the uncertain refund above did: a clear refusal,
    // owed by hand.
    let open = sim
        .state()
        .wallet_invoice_without_amount()
        .unwrap()
        .payment_request;
    let refused = till.refund(&refund(&open, "1.00")).await.unwrap();
    assert_eq!(refused.refund.state, RefundState::Refused);
    assert!(
        refused
            .gateway_error
            .unwrap()
            .contains("give the money back by hand"),
        "a clear refusal is owed by hand"
    );
    till.ledger().verify().unwrap();
}

#[tokio::test]
async fn an_amountless_invoice_is_sent_the_refunds_share() {
    let shop = shop().await;
    let (sim, till) = (&shop.sim, &shop.till);
    let receipt = shop.paid_sale("10.00").await.receipt_no;
    let open = sim
        .state()
        .wallet_invoice_without_amount()
        .unwrap()
        .payment_request;
    let out = till
        .refund(&RefundRequest {
            invoice: Some(open),
            approved_by: None,
            lines: Vec::new(),
            tip: false,
            ..cash(receipt, "1.00", "one cup less")
        })
        .await
        .unwrap();
    assert_eq!(
        (out.refund.state, out.refund.amount_msat),
        (RefundState::Paid, Some(1_000_000))
    );
    let body = sim.state().last_refund_amount().unwrap();
    assert_eq!(body, "0.00001000", "1,000 sats in BTC");
    till.ledger().verify().unwrap();
}
