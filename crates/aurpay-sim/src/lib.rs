//! An Aurpay simulator: the test double for every test of the till, and the embedded demo
//! gateway. It speaks the wire format of `aurpay` on the same paths, checks both authentication
//! methods, issues real signed BOLT11 invoices, and has a control API (`/_sim/...`, see
//! [`control`]) to pay orders, let them time out, and inject faults.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = aurpay_sim::start(aurpay_sim::SimConfig::with_api_key("demo")).await?;
//! println!("gateway at {}", sim.url());
//! # Ok(()) }
//! ```
//!
//! It listens on 127.0.0.1 only.
#![deny(missing_docs)]

mod api;
pub mod cards;
pub mod control;
mod gate;
mod invoices;
mod reply;
pub mod state;
mod steering;

use std::{collections::BTreeMap, net::SocketAddr, sync::Arc, time::Duration};

use aurpay::{endpoints as ep, Network};
use axum::{
    http::StatusCode,
    middleware::from_fn_with_state,
    response::IntoResponse,
    routing::{get, post},
    Json, Router,
};
use rust_decimal::Decimal;
use serde_json::json;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

pub use invoices::Issued;
pub use state::{
    Fault, FaultRule, SeenRequest, SimOrder, SimState, DEFAULT_LIFETIME, INVOICE_EXPIRY,
};

/// How the simulator is set up.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The API key it accepts.
    pub api_key: Option<String>,
    /// The API token it accepts with the signature method.
    pub token: Option<String>,
    /// The API secret that signs requests.
    pub secret: Option<String>,
    /// The account (user name, password) Get API-Key accepts; it answers with `api_key`.
    pub account: Option<(String, String)>,
    /// The network its invoices are for.
    pub network: Network,
    /// How long an order stays PENDING before it becomes OVERDUE.
    pub lifetime: Duration,
    /// When set, a pending order pays itself after this long (the demo's customer).
    pub auto_pay_after: Option<Duration>,
    /// The BTC price in each fiat currency it accepts.
    pub prices: BTreeMap<String, Decimal>,
    /// Whether order objects echo the `callback_url` the order was created with. Aurpay's own
    /// order object does not document it (see `aurpay::reference`); off, the simulator behaves as
    /// if it does not, and the till cannot prove which order a lost answer made.
    pub echo_callback_url: bool,
    /// Get Orders lists the oldest first instead of the newest first (Aurpay does not document
    /// its order: the till must not depend on it).
    pub list_oldest_first: bool,
    /// How many of the latest requests the log keeps (`GET /_sim/requests`): tests read it;
    /// the demo gateway, which nobody reads, keeps a few ([`DEMO_REQUEST_LOG`]).
    pub request_log: usize,
}

/// The request log of the demo gateway: a till in demo mode all day sends tens of thousands of
/// requests, and a full log of 10,000 held 3 to 4 MB of the app's memory for nobody.
pub const DEMO_REQUEST_LOG: usize = 100;

/// Default BTC prices: round numbers, so amounts in tests are easy to reason about.
pub fn default_prices() -> BTreeMap<String, Decimal> {
    [
        ("USD", 100_000i64),
        ("EUR", 92_000),
        ("GBP", 79_000),
        ("CHF", 88_000),
        ("CAD", 137_000),
        ("AUD", 152_000),
        ("JPY", 15_000_000),
        ("SEK", 1_050_000),
        ("BRL", 560_000),
        ("MXN", 1_800_000),
    ]
    .into_iter()
    .map(|(c, p)| (c.to_owned(), Decimal::from(p)))
    .collect()
}

/// An English name for the currencies of [`default_prices`].
pub fn currency_name(code: &str) -> &'static str {
    match code {
        "USD" => "US Dollar",
        "EUR" => "Euro",
        "GBP" => "British Pound",
        "CHF" => "Swiss Franc",
        "CAD" => "Canadian Dollar",
        "AUD" => "Australian Dollar",
        "JPY" => "Japanese Yen",
        "SEK" => "Swedish Krona",
        "BRL" => "Brazilian Real",
        "MXN" => "Mexican Peso",
        _ => "",
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            api_key: None,
            token: None,
            secret: None,
            account: None,
            network: Network::Regtest,
            lifetime: DEFAULT_LIFETIME,
            auto_pay_after: None,
            prices: default_prices(),
            echo_callback_url: true,
            list_oldest_first: false,
            request_log: 10_000,
        }
    }
}

impl SimConfig {
    /// A simulator that accepts the API key `key`.
    pub fn with_api_key(key: impl Into<String>) -> Self {
        Self {
            api_key: Some(key.into()),
            ..Self::default()
        }
    }

    /// A simulator that accepts signatures with `token` and `secret`.
    pub fn with_signature(token: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            token: Some(token.into()),
            secret: Some(secret.into()),
            ..Self::default()
        }
    }
}

/// A running simulator. Dropping it stops the server: by the time `drop` returns, it no longer
/// accepts connections (see [`Closing`]), so a test that drops it then sees an unreachable
/// gateway, never a late answer.
#[derive(Debug)]
pub struct RunningSim {
    addr: SocketAddr,
    url: String,
    state: Arc<SimState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    closed: Option<std::sync::Mutex<std::sync::mpsc::Receiver<()>>>,
}

/// The listener the server accepts on, which says when it is closed: axum drops it as soon as
/// the shutdown signal stops the accept loop.
struct Closing {
    inner: TcpListener,
    _closed: std::sync::mpsc::Sender<()>,
}

impl axum::serve::Listener for Closing {
    type Io = <TcpListener as axum::serve::Listener>::Io;
    type Addr = <TcpListener as axum::serve::Listener>::Addr;

    fn accept(&mut self) -> impl std::future::Future<Output = (Self::Io, Self::Addr)> + Send {
        axum::serve::Listener::accept(&mut self.inner)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        axum::serve::Listener::local_addr(&self.inner)
    }
}

/// How long `drop` waits for the listener to close (it takes a few milliseconds).
const CLOSE_WAIT: Duration = Duration::from_secs(5);

impl RunningSim {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its base URL, such as `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Its state, for tests to drive directly (the same operations as the control API).
    pub fn state(&self) -> &Arc<SimState> {
        &self.state
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        self.closed = None;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(closed) = self.closed.take() else {
            return;
        };
        // The listener closes on the runtime's threads. Waiting here is only possible where that
        // does not stop them: outside the runtime, or on a multi-threaded one. On a
        // single-threaded runtime (`#[tokio::test]`) use `shutdown().await` instead.
        let wait = || {
            let closed = closed.lock().unwrap_or_else(|p| p.into_inner());
            let _ = closed.recv_timeout(CLOSE_WAIT);
        };
        match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
            Err(_) => wait(),
            Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(wait),
            Ok(_) => {}
        }
    }
}

/// The whole application: the Aurpay routes behind the gate, and the control API.
pub fn router(state: Arc<SimState>) -> Router {
    let api = Router::new()
        .route(ep::CREATE_BLN_ORDER.path, post(api::create_bln_order))
        .route(ep::ORDER_DETAILS.path, get(api::order_details))
        .route(ep::ORDERS.path, get(api::orders))
        .route(ep::BLN_WITHDRAW.path, post(api::bln_withdraw))
        .route(ep::BLN_BALANCE.path, get(api::bln_balance))
        .route(ep::PAYMENT_URL.path, post(api::payment_url))
        .route(ep::PAYMENT_INFO.path, post(api::payment_info))
        .route(ep::REFUND_INFO.path, get(api::refund_info))
        .route(ep::REFUND.path, post(api::refund))
        .route(ep::TRANSACTIONS.path, get(api::transactions))
        .route(ep::REAL_CURRENCIES.path, get(api::real_currencies))
        .route(ep::CRYPTO_CURRENCIES.path, get(api::crypto_currencies))
        .route(ep::GET_API_KEY.path, post(api::get_api_key))
        .layer(from_fn_with_state(state.clone(), gate::gate));
    Router::new()
        .merge(api)
        .nest("/_sim", control::router().merge(cards::control()))
        .nest("/boltcard", cards::service())
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                Json(json!({"code": 404, "msg": "no such endpoint"})),
            )
                .into_response()
        })
        .with_state(state)
}

/// Starts a simulator with a fresh random API key and returns it with a client that uses that
/// key: the demo gateway of the app and of `till --demo`.
pub async fn start_demo(config: SimConfig) -> std::io::Result<(RunningSim, aurpay::Client)> {
    let key = format!("demo-{:016x}", rand::random::<u64>());
    let sim = start(SimConfig {
        api_key: Some(key.clone()),
        request_log: DEMO_REQUEST_LOG,
        ..config
    })
    .await?;
    let client = aurpay::Client::new(
        aurpay::Config::new(sim.url()).credentials(aurpay::Credentials::api_key(key)),
    )
    .map_err(std::io::Error::other)?;
    Ok((sim, client))
}

/// Starts the simulator on 127.0.0.1 (port from the config, 0 for any free one).
pub async fn start(config: SimConfig) -> std::io::Result<RunningSim> {
    let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}");
    let state = Arc::new(SimState::new(config, url.clone()));
    let app = router(state.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let (closed_tx, closed) = std::sync::mpsc::channel();
    let listener = Closing {
        inner: listener,
        _closed: closed_tx,
    };
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(RunningSim {
        addr,
        url,
        state,
        stop: Some(stop),
        task: Some(task),
        closed: Some(std::sync::Mutex::new(closed)),
    })
}
