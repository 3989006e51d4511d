//! The shop every measurement runs in: the simulator on loopback with no delay, and a till over
//! a durable ledger on disk.

use std::sync::Arc;

use aurpay::{Client, Config, Credentials, Network};
use aurpay_sim::{RunningSim, SimConfig};
use till_core::{
    ledger::Ledger,
    till::{Till, TillConfig},
};

/// A running simulator, the till talking to it, and the folder of its ledger.
pub struct Shop {
    /// The gateway.
    pub sim: RunningSim,
    /// The till.
    pub till: Arc<Till>,
    _dir: tempfile::TempDir,
}

/// Starts one.
pub async fn open() -> anyhow::Result<Shop> {
    let sim = aurpay_sim::start(SimConfig {
        api_key: Some("bench".into()),
        ..SimConfig::default()
    })
    .await?;
    let dir = tempfile::tempdir()?;
    let client = Client::new(Config::new(sim.url()).credentials(Credentials::api_key("bench")))?;
    let till = Till::new(
        Ledger::open_in(dir.path())?,
        client,
        TillConfig::new("bench", Network::Regtest),
    );
    Ok(Shop {
        sim,
        till,
        _dir: dir,
    })
}
