//! The shop every measurement runs in: till-core's fixture (the simulator on loopback with no
//! delay, a till talking to it), here over a durable ledger on disk, as a shop's is.

use till_core::{fixture, ledger::Ledger};

/// The fixture's shop, and the folder of its ledger.
pub struct Shop {
    shop: fixture::Shop,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for Shop {
    type Target = fixture::Shop;

    fn deref(&self) -> &fixture::Shop {
        &self.shop
    }
}

/// Starts one: terminal `bench`, the gateway client's own default timeout.
pub async fn open() -> anyhow::Result<Shop> {
    let dir = tempfile::tempdir()?;
    let shop = fixture::Shop::builder()
        .ledger(Ledger::open_in(dir.path())?)
        .timeout(aurpay::DEFAULT_TIMEOUT)
        .configure(|c| c.terminal = "bench".into())
        .open()
        .await;
    Ok(Shop { shop, _dir: dir })
}
