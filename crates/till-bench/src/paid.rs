//! From the gateway marking an order paid to the till's paid event, with the real watcher and
//! its real polling, and what that polling costs the gateway in requests.

use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;
use till_core::{sale::SaleState, watcher::Watcher};

use crate::stats::{summarise, Summary};

/// The request rate of the watcher.
#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    /// Open sales watched at once.
    pub open_sales: usize,
    /// Seconds observed.
    pub seconds: f64,
    /// Requests per second per open sale.
    pub per_sale_per_second: f64,
}

/// `samples` sales paid at a random moment of the watcher's polling; then the request rate
/// with one and with five sales open for `rate_seconds`.
pub async fn run(samples: usize, rate_seconds: u64) -> anyhow::Result<(Summary, Vec<Rate>)> {
    let shop = crate::shop::open().await?;
    let (sim, till) = (&shop.sim, &shop.till);
    let watcher = Watcher::start(till.clone())?;
    let mut updates = till.subscribe();
    let mut latencies = Vec::new();
    for i in 0..samples {
        let sale = till.charge("3.20", "USD", "").await?;
        watcher.track(sale.id);
        // Pay at a different moment of the polling cycle each time (0..1.2 s after the charge).
        tokio::time::sleep(Duration::from_millis((i as u64 * 397) % 1200)).await;
        let order = sale.order_id.clone().context("no order")?;
        let started = Instant::now();
        sim.state()
            .pay(&order)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let deadline = started + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let update = tokio::time::timeout(left, updates.recv())
                .await
                .context("no paid event within 10 s")??;
            if update.sale.id == sale.id && update.sale.state == SaleState::Paid {
                latencies.push(started.elapsed());
                break;
            }
        }
    }
    let mut rates = Vec::new();
    for open in [1usize, 5] {
        for _ in 0..open {
            let sale = till.charge("1.00", "USD", "").await?;
            watcher.track(sale.id);
        }
        let before = till.gateway().usage().requests;
        let started = Instant::now();
        tokio::time::sleep(Duration::from_secs(rate_seconds)).await;
        let requests = till.gateway().usage().requests - before;
        let seconds = started.elapsed().as_secs_f64();
        rates.push(Rate {
            open_sales: open,
            seconds,
            per_sale_per_second: requests as f64 / seconds / open as f64,
        });
        // Settle them so the next round counts only its own.
        for o in sim.state().orders() {
            let _ = sim.state().pay(&o.order_id);
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    Ok((summarise("gateway paid -> paid event", latencies), rates))
}
