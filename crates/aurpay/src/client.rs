//! The HTTP client: one method per endpoint, the envelope and authentication handled in one
//! place.

use std::time::Duration;

use chrono::Utc;
use serde::{de::DeserializeOwned, Serialize};

use crate::{
    answer::{self, Quote, Recorded},
    endpoints::{self, Endpoint, Method},
    wire, Credentials, Error, Secret,
};

/// How long a request may take before it is abandoned, unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The client's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The gateway's base URL, such as `https://dashboard.aurpay.net`.
    pub base_url: String,
    /// The credentials; `None` allows only [`Client::get_api_key`].
    pub credentials: Option<Credentials>,
    /// The whole-request timeout.
    pub timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Config {
    /// A configuration for `base_url` with the default timeout and user agent, no credentials.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            credentials: None,
            timeout: DEFAULT_TIMEOUT,
            user_agent: concat!("till-aurpay/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    /// With these credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// With this timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// A client of the Aurpay API. Cheap to clone; clones share one connection pool and one set of
/// counters.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    credentials: Option<Credentials>,
    counters: std::sync::Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    requests: std::sync::atomic::AtomicU64,
    waiting_nanos: std::sync::atomic::AtomicU64,
}

/// What a client has cost so far: how many requests it sent and how long it waited for their
/// answers. The till's own work is a call's time minus this waiting (see the benchmarks), and the
/// request count is what a watcher costs the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Requests sent (answered or not).
    pub requests: u64,
    /// Time from sending a request to having its whole answer (or its failure).
    pub waiting: Duration,
}

impl Client {
    /// Builds a client. Fails only when the base URL is not http(s).
    pub fn new(config: Config) -> Result<Self, Error> {
        let base = config.base_url.trim().trim_end_matches('/').to_owned();
        let url = reqwest::Url::parse(&base).map_err(|e| Error::Config(format!("{base}: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(Error::Config(format!("{base} is not an http(s) address")));
        }
        let http = reqwest::Client::builder()
            // One warm connection kept between requests, the one the next charge reuses:
            // reqwest's default keeps every connection a burst opened (the watcher's polls
            // beside a create or a cancel) for 90 s, and a long day's soak counted them as
            // open files that grew (BENCHMARKS.md, "A long day").
            .pool_max_idle_per_host(1)
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(config.user_agent)
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        Ok(Self {
            http,
            base,
            credentials: config.credentials,
            counters: Default::default(),
        })
    }

    /// Requests sent and time spent waiting for the gateway, since the client was made.
    pub fn usage(&self) -> Usage {
        use std::sync::atomic::Ordering::Relaxed;
        Usage {
            requests: self.counters.requests.load(Relaxed),
            waiting: Duration::from_nanos(self.counters.waiting_nanos.load(Relaxed)),
        }
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Create BLN Order: a Lightning invoice for a fiat amount. Check the invoice
    /// ([`crate::BlnOrder::check_invoice`]) before showing it. When this fails with an error for
    /// which [`Error::may_have_been_processed`] is true, an order may exist: look for it with
    /// [`Client::orders`] before creating another.
    pub async fn create_bln_order(
        &self,
        req: &wire::CreateBlnOrder,
    ) -> Result<wire::BlnOrder, Error> {
        self.post(
            endpoints::CREATE_BLN_ORDER,
            endpoints::CREATE_BLN_ORDER.path.into(),
            req,
        )
        .await
        .map(|r| r.value)
    }

    /// Get Orders Details: one order, with its status.
    pub async fn order_details(&self, order_id: &str) -> Result<wire::Order, Error> {
        let ep = endpoints::ORDER_DETAILS;
        self.call(ep, ep.path_for(order_id), None, true)
            .await
            .map(|r| r.value)
    }

    /// Get Orders: a page of orders, newest first (the gateway's order; filters are not public).
    pub async fn orders(&self, page: u32, size: u32) -> Result<wire::Page<wire::Order>, Error> {
        let ep = endpoints::ORDERS;
        self.call(
            ep,
            format!("{}?page={page}&size={size}", ep.path),
            None,
            true,
        )
        .await
        .map(|r| r.value)
    }

    /// Create BLN Withdraw: pay `req.ln_invoices` from the BLN balance. **The answer's shape is
    /// unverified**; it is returned verbatim too, to be recorded.
    pub async fn bln_withdraw(
        &self,
        req: &wire::BlnWithdrawRequest,
    ) -> Result<Recorded<wire::BlnWithdrawal>, Error> {
        self.post(
            endpoints::BLN_WITHDRAW,
            endpoints::BLN_WITHDRAW.path.into(),
            req,
        )
        .await
    }

    /// Get BLN Balance. **Path and answer unverified.**
    pub async fn bln_balance(&self) -> Result<wire::BlnBalance, Error> {
        let ep = endpoints::BLN_BALANCE;
        self.call(ep, ep.path.into(), None, true)
            .await
            .map(|r| r.value)
    }

    /// Get Payment URL: a hosted checkout for a fiat amount.
    pub async fn payment_url(
        &self,
        req: &wire::PaymentUrlRequest,
    ) -> Result<wire::PaymentUrl, Error> {
        self.post(
            endpoints::PAYMENT_URL,
            endpoints::PAYMENT_URL.path.into(),
            req,
        )
        .await
        .map(|r| r.value)
    }

    /// Get Payment Info: an order for one coin.
    pub async fn payment_info(
        &self,
        req: &wire::PaymentInfoRequest,
    ) -> Result<wire::PaymentInfo, Error> {
        self.post(
            endpoints::PAYMENT_INFO,
            endpoints::PAYMENT_INFO.path.into(),
            req,
        )
        .await
        .map(|r| r.value)
    }

    /// Get Orders Refund Info. **Answer partly unverified.**
    pub async fn refund_info(&self, order_id: &str) -> Result<wire::RefundInfo, Error> {
        let ep = endpoints::REFUND_INFO;
        self.call(ep, ep.path_for(order_id), None, true)
            .await
            .map(|r| r.value)
    }

    /// Orders Refund. **How the destination is given is unverified**; the answer is returned
    /// verbatim too, to be recorded.
    pub async fn refund(
        &self,
        order_id: &str,
        req: &wire::RefundRequest,
    ) -> Result<Recorded<wire::Refund>, Error> {
        self.post(endpoints::REFUND, endpoints::REFUND.path_for(order_id), req)
            .await
    }

    /// Get Transaction: a page of the merchant's transactions.
    pub async fn transactions(
        &self,
        page: u32,
        size: u32,
    ) -> Result<wire::Page<wire::Transaction>, Error> {
        let ep = endpoints::TRANSACTIONS;
        self.call(
            ep,
            format!("{}?page={page}&size={size}", ep.path),
            None,
            true,
        )
        .await
        .map(|r| r.value)
    }

    /// Get Support Real Currency List: the fiat currencies orders may be priced in. **Answer
    /// unverified.**
    pub async fn real_currencies(&self) -> Result<Vec<wire::CurrencyInfo>, Error> {
        let ep = endpoints::REAL_CURRENCIES;
        self.call(ep, ep.path.into(), None, true)
            .await
            .map(|r| r.value)
    }

    /// Get Support Crypto Currency List. **Path and answer unverified.**
    pub async fn crypto_currencies(&self) -> Result<Vec<wire::CurrencyInfo>, Error> {
        let ep = endpoints::CRYPTO_CURRENCIES;
        self.call(ep, ep.path.into(), None, true)
            .await
            .map(|r| r.value)
    }

    /// Get API-Key: trades an account's user name and password for a long-lived API key. Needs
    /// no credentials; the password is sent once and not kept.
    pub async fn get_api_key(&self, username: &str, password: &Secret) -> Result<Secret, Error> {
        let req = wire::ApiKeyRequest {
            username: username.to_owned(),
            password: password.expose().to_owned(),
        };
        let ep = endpoints::GET_API_KEY;
        let body = serde_json::to_vec(&req).map_err(|e| Error::Config(e.to_string()))?;
        let answer: Recorded<wire::ApiKeyAnswer> = self
            .call_redacting(
                ep,
                ep.path.into(),
                Some(body),
                false,
                &[password.expose()],
                true,
            )
            .await?;
        if answer.value.access_token.trim().is_empty() {
            return Err(Error::Malformed {
                detail: "the access token is empty".into(),
                excerpt: String::new(),
            });
        }
        Ok(Secret::new(answer.value.access_token))
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        ep: Endpoint,
        path: String,
        body: &B,
    ) -> Result<Recorded<T>, Error> {
        // Serialised once: these exact bytes are hashed for Body-MD5 and sent.
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Config(e.to_string()))?;
        self.call(ep, path, Some(bytes), true).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        ep: Endpoint,
        path: String,
        body: Option<Vec<u8>>,
        authenticated: bool,
    ) -> Result<Recorded<T>, Error> {
        self.call_redacting(ep, path, body, authenticated, &[], false)
            .await
    }

    /// Sends one request and reads the envelope. `hide` lists extra strings that must never appear
    /// in an error; `no_excerpt` drops the body excerpt altogether (answers that carry secrets).
    async fn call_redacting<T: DeserializeOwned>(
        &self,
        ep: Endpoint,
        path: String,
        body: Option<Vec<u8>>,
        authenticated: bool,
        hide: &[&str],
        no_excerpt: bool,
    ) -> Result<Recorded<T>, Error> {
        let url = format!("{}{}", self.base, path);
        let mut req = match ep.method {
            Method::Get => self.http.get(&url),
            Method::Post => self.http.post(&url),
        }
        .header("Accept", "application/json");
        if authenticated {
            req = match &self.credentials {
                None => {
                    return Err(Error::Unauthorized {
                        message: "no Aurpay credentials are configured".into(),
                    })
                }
                Some(Credentials::ApiKey(key)) => req.header("API-Key", key.expose()),
                Some(Credentials::Signature { token, secret }) => {
                    let headers = crate::signing::headers(
                        token,
                        secret.expose(),
                        Utc::now(),
                        ep.method.as_str(),
                        &path,
                        body.as_deref(),
                    );
                    headers.into_iter().fold(req, |r, (k, v)| r.header(k, v))
                }
            };
        }
        if let Some(body) = body {
            req = req.header("Content-Type", "application/json").body(body);
        }
        let started = std::time::Instant::now();
        let answer = async {
            let response = req.send().await.map_err(network_error)?;
            let status = response.status().as_u16();
            let bytes = response.bytes().await.map_err(network_error)?;
            Ok::<_, Error>((status, bytes))
        }
        .await;
        {
            use std::sync::atomic::Ordering::Relaxed;
            let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
            self.counters.requests.fetch_add(1, Relaxed);
            self.counters.waiting_nanos.fetch_add(nanos, Relaxed);
        }
        let (status, bytes) = answer?;
        let quote = if no_excerpt {
            Quote::Never
        } else {
            let mut hidden = self.secrets();
            hidden.extend_from_slice(hide);
            Quote::Redacting(hidden)
        };
        answer::read(status, &bytes, &quote)
    }

    /// The credential strings that must never appear in an error.
    fn secrets(&self) -> Vec<&str> {
        match &self.credentials {
            None => vec![],
            Some(Credentials::ApiKey(k)) => vec![k.expose()],
            Some(Credentials::Signature { token, secret }) => vec![token.as_str(), secret.expose()],
        }
    }
}

fn network_error(e: reqwest::Error) -> Error {
    let detail = {
        // The innermost cause says the most ("connection refused", "unexpected end of file").
        let mut s = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(inner) = source {
            s = format!("{s}: {inner}");
            source = inner.source();
        }
        s
    };
    if e.is_timeout() {
        Error::Timeout
    } else if e.is_connect() {
        Error::ConnectFailed { detail }
    } else {
        Error::ConnectionLost { detail }
    }
}
