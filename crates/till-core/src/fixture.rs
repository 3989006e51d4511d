//! A shop for tests and benchmarks (feature `fixture`): the Aurpay simulator on 127.0.0.1 and a
//! till talking to it over real HTTP, set up one way for till-core's own tests and for
//! `till-bench`, so a change to how a till is made is made once.

use std::{sync::Arc, time::Duration};

use aurpay::{Client, Config, Credentials, Network};
use aurpay_sim::{Fault, FaultRule, RunningSim, SimConfig};

use crate::{
    ledger::{Ledger, LedgerError, Sale},
    sale::SaleState,
    till::{Till, TillConfig},
};

/// The API key the simulator is started with and the till sends.
pub const KEY: &str = "fixture-key";

/// The simulator and a till on it.
#[derive(Debug)]
pub struct Shop {
    /// The gateway.
    pub sim: RunningSim,
    /// The till.
    pub till: Arc<Till>,
}

/// How a [`Shop`] is made; [`Shop::builder`] starts from a till named `front` on regtest, with a
/// 3 s gateway timeout and no settle margin (a lost create is reconciled at once), over a ledger
/// in memory.
#[derive(Debug)]
pub struct ShopBuilder {
    sim: SimConfig,
    config: TillConfig,
    ledger: Option<Ledger>,
}

impl Shop {
    /// A shop with the defaults of [`ShopBuilder`].
    pub async fn open() -> Self {
        Self::builder().open().await
    }

    /// A shop to set up first.
    pub fn builder() -> ShopBuilder {
        let mut config = TillConfig::new("front", Network::Regtest);
        config.gateway_timeout = Duration::from_secs(3);
        config.settle_margin = Duration::ZERO;
        ShopBuilder {
            sim: SimConfig::default(),
            config,
            ledger: None,
        }
    }

    /// Another till on this shop's gateway account (another counter, the web shop), with its own
    /// ledger and configuration.
    pub fn other_till(&self, ledger: Ledger, config: TillConfig) -> Arc<Till> {
        Till::new(
            ledger,
            client(self.sim.url(), config.gateway_timeout),
            config,
        )
    }

    /// The gateway misbehaves once on `path`.
    pub fn fault(&self, path: &str, fault: Fault) {
        self.sim.state().inject(FaultRule {
            path: path.into(),
            fault,
            count: 1,
        });
    }

    /// Rings up `amount` USD and has the customer pay it; the sale as the till then has it.
    /// Panics when that does not end paid: the test it serves has failed.
    pub async fn paid_sale(&self, amount: &str) -> Sale {
        let sale = self
            .till
            .charge(amount, "USD", "")
            .await
            .unwrap_or_else(|e| panic!("cannot ring up {amount}: {e}"));
        let order = sale.order_id.clone().unwrap_or_default();
        if let Err(e) = self.sim.state().pay(&order) {
            panic!("the simulator cannot pay order {order}: {e}");
        }
        let sale = self
            .till
            .check(sale.receipt_no)
            .await
            .unwrap_or_else(|e| panic!("cannot check receipt {}: {e}", sale.label()));
        assert_eq!(sale.state, SaleState::Paid, "receipt {}", sale.label());
        sale
    }
}

impl ShopBuilder {
    /// The simulator's configuration (its API key is always [`KEY`]).
    pub fn sim(mut self, sim: SimConfig) -> Self {
        self.sim = sim;
        self
    }

    /// The gateway client's timeout, and so how long a create may be in flight.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.gateway_timeout = timeout;
        self
    }

    /// Changes the till's configuration (terminal, cashier, training, ...).
    pub fn configure(mut self, change: impl FnOnce(&mut TillConfig)) -> Self {
        change(&mut self.config);
        self
    }

    /// The ledger to use instead of one in memory.
    pub fn ledger(mut self, ledger: Ledger) -> Self {
        self.ledger = Some(ledger);
        self
    }

    /// Starts the simulator and the till. Panics when either cannot start: a fixture that
    /// cannot be made is a failed test, with the reason.
    pub async fn open(self) -> Shop {
        let sim = aurpay_sim::start(SimConfig {
            api_key: Some(KEY.into()),
            ..self.sim
        })
        .await
        .unwrap_or_else(|e| panic!("the simulator cannot start: {e}"));
        let mut config = self.config;
        config.order_lifetime = sim.state().config.lifetime;
        let ledger = match self.ledger {
            Some(l) => l,
            None => Ledger::in_memory()
                .unwrap_or_else(|e: LedgerError| panic!("no ledger in memory: {e}")),
        };
        let till = Till::new(ledger, client(sim.url(), config.gateway_timeout), config);
        Shop { sim, till }
    }
}

/// A client for the simulator at `url` with [`KEY`].
pub fn client(url: &str, timeout: Duration) -> Client {
    Client::new(
        Config::new(url)
            .credentials(Credentials::api_key(KEY))
            .timeout(timeout),
    )
    .unwrap_or_else(|e| panic!("no client for {url}: {e}"))
}
