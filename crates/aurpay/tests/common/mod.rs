//! What the client suites share: a simulator that accepts every kind of credentials, a client on
//! it, an order in USD, and a fault injected once.

#![allow(clippy::unwrap_used, dead_code)]

use std::time::Duration;

use aurpay::{Amount, Client, Config, CreateBlnOrder, Credentials};
use aurpay_sim::{Fault, FaultRule, RunningSim, SimConfig};

pub const KEY: &str = "test-api-key-123";
pub const TOKEN: &str = "test-token";
pub const SECRET: &str = "test-secret-456";

pub async fn sim() -> RunningSim {
    let config = SimConfig {
        api_key: Some(KEY.into()),
        token: Some(TOKEN.into()),
        secret: Some(SECRET.into()),
        account: Some(("owner@shop.example".into(), "hunter2-long".into())),
        ..SimConfig::default()
    };
    aurpay_sim::start(config)
        .await
        .expect("the simulator starts")
}

pub fn client(sim: &RunningSim, credentials: Credentials) -> Client {
    Client::new(
        Config::new(sim.url())
            .credentials(credentials)
            .timeout(Duration::from_secs(2)),
    )
    .unwrap()
}

pub fn usd(s: &str) -> CreateBlnOrder {
    CreateBlnOrder::new(s.parse::<Amount>().unwrap(), "USD")
}

pub fn fault(sim: &RunningSim, path: &str, fault: Fault) {
    sim.state().inject(FaultRule {
        path: path.into(),
        fault,
        count: 1,
    });
}
