//! From "Charge" to a QR ready, with the gateway's time measured apart: the simulator on
//! loopback with no delay, a durable ledger on disk, the client's own counters for the time spent
//! waiting on the gateway.

use std::time::Instant;

use anyhow::Context;
use till_core::qr;

use crate::stats::{summarise, Summary};

/// `samples` charges after a warm-up: the till's own work, the gateway's share, and both.
pub async fn run(samples: usize) -> anyhow::Result<Vec<Summary>> {
    let shop = crate::shop::open().await?;
    let till = &shop.till;
    let (mut own, mut gateway, mut total) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..samples + samples / 10 {
        let before = till.gateway().usage().waiting;
        let started = Instant::now();
        let sale = till.charge("12.50", "USD", "table 4").await?;
        let invoice = sale.payment_request.as_deref().context("no invoice")?;
        let svg = qr::svg(&qr::invoice_uri(invoice))?;
        let took = started.elapsed();
        anyhow::ensure!(svg.len() > 1000, "the QR was not drawn");
        let waited = till.gateway().usage().waiting - before;
        if i >= samples / 10 {
            own.push(took.saturating_sub(waited));
            gateway.push(waited);
            total.push(took);
        }
    }
    Ok(vec![
        summarise("charge to QR: the till's own work", own),
        summarise("charge to QR: the gateway's share", gateway),
        summarise("charge to QR: in all", total),
    ])
}

/// Rendering one invoice's QR alone (part of the own work above).
pub fn qr_only(samples: usize) -> anyhow::Result<Summary> {
    let invoice = "lnbcrt125u1p4sf4dhdp5x93rjer9x4jrye3kvvmkgwp5xyckgdp3vd3nyv34xccxywfhvvussp5qyvqqxmdtcxe3ye8dvzvq45dl6tmyqp5nthdpzwvflwl5ss3vskq9qyysgqcqpcxqyz5vqrzjqwfn3p9278ttzzpe0e00uhyxhned3j5d9acqak5emwfpflp8z2cnflctr6qq3f7mrsqqqqqqqqqqqqqqqqqqqqqqqqqqqqq";
    let mut v = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        let svg = qr::svg(&qr::invoice_uri(invoice))?;
        v.push(t.elapsed());
        anyhow::ensure!(!svg.is_empty());
    }
    Ok(summarise("QR of an invoice, as SVG", v))
}
