//! LUD-03, from the till's side: ask the link for its withdraw request, check it, and hand the
//! invoice to the callback.
//!
//! ```text
//! GET <link>                  -> {"tag": "withdrawRequest", "callback", "k1",
//!                                 "minWithdrawable", "maxWithdrawable", "defaultDescription"}
//! GET <callback>?k1=..&pr=..  -> {"status": "OK"} | {"status": "ERROR", "reason": ".."}
//! ```
//!
//! Either answer may be `{"status": "ERROR", "reason": ...}` instead, with any HTTP status.

use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;

use crate::{link, Error};

/// How long each request to a card's service may take. A Bolt Card service answers in well under
/// a second; a customer holding their card out should not wait longer than this to hear why not.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest answer read from a service (withdraw requests are a few hundred bytes).
const MAX_ANSWER: usize = 64 * 1024;

/// A withdraw request, as the link's service described it (LUD-03).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawRequest {
    /// Where the invoice goes, checked to be HTTPS (or loopback, or `.onion`).
    pub callback: Url,
    /// The one-time secret the callback expects back.
    pub k1: String,
    /// The least it pays, in millisatoshis.
    pub min_msat: u64,
    /// The most it pays, in millisatoshis.
    pub max_msat: u64,
    /// What the service suggests as the invoice's description.
    pub description: String,
}

impl WithdrawRequest {
    /// Whether an invoice of `amount_msat` is within the request's limits, as an error naming
    /// the limit when it is not.
    pub fn check_amount(&self, amount_msat: u64) -> Result<(), Error> {
        if amount_msat > self.max_msat {
            return Err(Error::OverLimit {
                amount_sat: amount_msat.div_ceil(1000),
                max_sat: self.max_msat / 1000,
            });
        }
        if amount_msat < self.min_msat {
            return Err(Error::UnderLimit {
                amount_sat: amount_msat / 1000,
                min_sat: self.min_msat.div_ceil(1000),
            });
        }
        Ok(())
    }
}

/// The service took the invoice and says it will pay it. Not a payment: the gateway says when
/// the invoice is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted;

/// A client for LNURL-withdraw services.
#[derive(Debug, Clone)]
pub struct Service {
    http: reqwest::Client,
}

impl Service {
    /// A client whose every request ends within [`REQUEST_TIMEOUT`], following no redirect (a
    /// redirect could lead from HTTPS to plain HTTP).
    pub fn new() -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Unreachable(e.to_string()))?;
        Ok(Self { http })
    }

    /// Asks the link's service for its withdraw request (`link` as [`link::parse`] gave it).
    pub async fn request(&self, link: &Url) -> Result<WithdrawRequest, Error> {
        let body = self.get(link.clone()).await?;
        read_request(&body, link)
    }

    /// Hands `invoice` (BOLT11) to the request's callback with its `k1`.
    pub async fn claim(&self, request: &WithdrawRequest, invoice: &str) -> Result<Accepted, Error> {
        let mut url = request.callback.clone();
        url.query_pairs_mut()
            .append_pair("k1", &request.k1)
            .append_pair("pr", invoice);
        let body = self.get(url).await?;
        read_status(&body)
    }

    /// The whole withdrawal: the link read, its request asked for and checked against the
    /// invoice's amount, the invoice handed over.
    pub async fn pay(
        &self,
        text: &str,
        invoice: &str,
        amount_msat: u64,
    ) -> Result<Accepted, Error> {
        let url = link::parse(text)?;
        let request = self.request(&url).await?;
        request.check_amount(amount_msat)?;
        self.claim(&request, invoice).await
    }

    async fn get(&self, url: Url) -> Result<serde_json::Value, Error> {
        let host = url.host_str().unwrap_or_default().to_owned();
        let mut answer = self
            .http
            .get(url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| Error::Unreachable(plain(&host, &e)))?;
        let status = answer.status();
        let mut bytes = Vec::new();
        while let Some(chunk) = answer
            .chunk()
            .await
            .map_err(|e| Error::Unreachable(plain(&host, &e)))?
        {
            if bytes.len() + chunk.len() > MAX_ANSWER {
                return Err(Error::BadAnswer("the answer is too long".into()));
            }
            bytes.extend_from_slice(&chunk);
        }
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| {
            if status.is_success() {
                Error::BadAnswer("the answer is not JSON".into())
            } else {
                Error::Unreachable(format!("{host} answered HTTP {}", status.as_u16()))
            }
        })?;
        if let Some(reason) = refusal(&value) {
            return Err(Error::Refused(reason));
        }
        if !status.is_success() {
            return Err(Error::Unreachable(format!(
                "{host} answered HTTP {}",
                status.as_u16()
            )));
        }
        Ok(value)
    }
}

/// An error from reqwest in plain words.
fn plain(host: &str, e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!(
            "{host} did not answer within {} s",
            REQUEST_TIMEOUT.as_secs()
        )
    } else if e.is_connect() {
        format!("no connection to {host}")
    } else {
        format!("{host}: {e}")
    }
}

/// `{"status": "ERROR", "reason": ...}`'s reason.
fn refusal(value: &serde_json::Value) -> Option<String> {
    let status = value.get("status")?.as_str()?;
    if !status.eq_ignore_ascii_case("ERROR") {
        return None;
    }
    let reason = value
        .get("reason")
        .and_then(|r| r.as_str())
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or("no reason given");
    Some(reason.chars().take(200).collect())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRequest {
    tag: Option<String>,
    callback: Option<String>,
    k1: Option<String>,
    min_withdrawable: Option<serde_json::Value>,
    max_withdrawable: Option<serde_json::Value>,
    #[serde(default)]
    default_description: Option<String>,
}

/// A withdraw request from the answer of the service at `link`.
pub fn read_request(value: &serde_json::Value, link: &Url) -> Result<WithdrawRequest, Error> {
    let raw: RawRequest = serde_json::from_value(value.clone())
        .map_err(|e| Error::BadAnswer(format!("not a withdraw request ({e})")))?;
    let tag = raw.tag.unwrap_or_default();
    if tag != "withdrawRequest" {
        return Err(Error::NotWithdraw(if tag.is_empty() {
            "nothing the till knows".into()
        } else {
            tag.chars().take(40).collect()
        }));
    }
    let callback = raw
        .callback
        .ok_or_else(|| Error::BadAnswer("the withdraw request has no callback".into()))?;
    let callback = Url::parse(&callback)
        .map_err(|e| Error::BadAnswer(format!("the callback is no address ({e})")))?;
    link::check_callback(&callback, link)?;
    let k1 = raw
        .k1
        .filter(|k| !k.is_empty())
        .ok_or_else(|| Error::BadAnswer("the withdraw request has no k1".into()))?;
    let min_msat = msat(raw.min_withdrawable, "minWithdrawable")?;
    let max_msat = msat(raw.max_withdrawable, "maxWithdrawable")?;
    if min_msat > max_msat {
        return Err(Error::BadAnswer(format!(
            "minWithdrawable {min_msat} is above maxWithdrawable {max_msat}"
        )));
    }
    Ok(WithdrawRequest {
        callback,
        k1,
        min_msat,
        max_msat,
        description: raw.default_description.unwrap_or_default(),
    })
}

/// A millisatoshi limit: a whole number, which some services send as a string.
fn msat(value: Option<serde_json::Value>, name: &str) -> Result<u64, Error> {
    let parsed = match &value {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    parsed
        .ok_or_else(|| Error::BadAnswer(format!("{name} is missing or not a whole number of msat")))
}

/// The callback's answer: `OK`, or the refusal's reason.
fn read_status(value: &serde_json::Value) -> Result<Accepted, Error> {
    match value.get("status").and_then(|s| s.as_str()) {
        Some(s) if s.eq_ignore_ascii_case("OK") => Ok(Accepted),
        _ => Err(Error::BadAnswer(
            "the callback answered neither OK nor ERROR".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn from(v: &serde_json::Value) -> Result<WithdrawRequest, Error> {
        read_request(v, &Url::parse("https://card.example.com/w").unwrap())
    }

    fn request(min: u64, max: u64) -> serde_json::Value {
        json!({
            "tag": "withdrawRequest",
            "callback": "https://card.example.com/cb?card=7",
            "k1": "abc",
            "minWithdrawable": min,
            "maxWithdrawable": max,
            "defaultDescription": "Bolt Card"
        })
    }

    #[test]
    fn a_withdraw_request_is_read_and_its_limits_checked() {
        let r = from(&request(1_000, 50_000_000)).unwrap();
        assert_eq!(r.k1, "abc");
        assert_eq!(r.callback.as_str(), "https://card.example.com/cb?card=7");
        assert_eq!(r.check_amount(50_000_000), Ok(()));
        assert_eq!(r.check_amount(1_000), Ok(()));
        assert_eq!(
            r.check_amount(50_000_001),
            Err(Error::OverLimit {
                amount_sat: 50_001,
                max_sat: 50_000
            })
        );
        assert_eq!(
            r.check_amount(999),
            Err(Error::UnderLimit {
                amount_sat: 0,
                min_sat: 1
            })
        );
        assert!(Error::OverLimit {
            amount_sat: 50_001,
            max_sat: 50_000
        }
        .to_string()
        .contains("over the card's limit"));
    }

    #[test]
    fn limits_may_come_as_strings_but_must_be_whole() {
        let mut v = request(1, 2);
        v["maxWithdrawable"] = json!("2000");
        assert_eq!(from(&v).unwrap().max_msat, 2000);
        v["maxWithdrawable"] = json!(1.5);
        assert!(matches!(from(&v), Err(Error::BadAnswer(_))));
        v["maxWithdrawable"] = json!(-3);
        assert!(matches!(from(&v), Err(Error::BadAnswer(_))));
        let mut upside_down = request(5_000, 1_000);
        upside_down["k1"] = json!("x");
        assert!(matches!(from(&upside_down), Err(Error::BadAnswer(_))));
    }

    #[test]
    fn other_tags_and_insecure_callbacks_are_refused() {
        let mut pay = request(1, 2);
        pay["tag"] = json!("payRequest");
        assert_eq!(from(&pay), Err(Error::NotWithdraw("payRequest".into())));
        let mut plain = request(1, 2);
        plain["callback"] = json!("http://card.example.com/cb");
        assert_eq!(
            from(&plain),
            Err(Error::NotSecure("card.example.com".into()))
        );
        // A service out there may not send the till to its own machine's ports.
        let mut inward = request(1, 2);
        inward["callback"] = json!("http://127.0.0.1:8080/admin");
        assert_eq!(from(&inward), Err(Error::NotSecure("127.0.0.1".into())));
        let local = Url::parse("http://127.0.0.1:9/w").unwrap();
        assert!(read_request(&inward, &local).is_ok());
        let mut no_k1 = request(1, 2);
        no_k1["k1"] = json!("");
        assert!(matches!(from(&no_k1), Err(Error::BadAnswer(_))));
    }

    #[test]
    fn an_error_status_is_a_refusal_with_its_reason() {
        assert_eq!(
            refusal(&json!({"status": "ERROR", "reason": "card is disabled"})),
            Some("card is disabled".into())
        );
        assert_eq!(
            refusal(&json!({"status": "ERROR"})),
            Some("no reason given".into())
        );
        assert_eq!(refusal(&json!({"status": "OK"})), None);
        assert_eq!(read_status(&json!({"status": "OK"})), Ok(Accepted));
        assert!(read_status(&json!({"ok": true})).is_err());
    }
}
