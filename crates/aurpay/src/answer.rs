//! Reading the gateway's answer: HTTP status, the `{code, message, data, result}` envelope, and
//! the typed `data`. Pure (bytes in, outcome out), so it is tested and fuzzed without a network.
//!
//! The rule (shared/aurpay-api.md, section 1, inferred from the official plugins): success is an
//! HTTP 2xx with `code == 0` and `result != false`. HTTP 401 or body `code` 401 is unauthorized.
//! On a non-2xx status the reason is read from `msg` (then `message`); on a refusal from
//! `message` (then `msg`); failing both, from the start of the body.

use serde::de::DeserializeOwned;

use crate::{
    wire::{excerpt, Envelope},
    Error,
};

/// An answer together with its `data` exactly as received, for answers that move money and must
/// be recorded verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded<T> {
    /// The decoded answer.
    pub value: T,
    /// The `data` JSON as the gateway sent it.
    pub raw: String,
}

/// How much of an answer an error may quote.
#[derive(Debug)]
pub(crate) enum Quote<'a> {
    /// The start of the answer, with these strings (credentials) replaced by `<redacted>`.
    Redacting(Vec<&'a str>),
    /// Nothing: the answer may carry a secret (Get API-Key).
    Never,
}

impl Quote<'_> {
    fn clip(&self, text: &str) -> String {
        match self {
            Quote::Never => "(not shown: this answer carries a secret)".into(),
            Quote::Redacting(hidden) => {
                // Redact first, then clip: a secret cut in half by the clip would escape redaction.
                let mut text = text.to_owned();
                for secret in hidden.iter().filter(|s| s.len() >= 4) {
                    text = text.replace(secret, "<redacted>");
                }
                excerpt(&text, 160)
            }
        }
    }
}

/// Decodes an answer's body as `T`, given its HTTP status. Public so other tools (and the fuzz
/// targets) can read gateway answers exactly as the client does.
pub fn decode_answer<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<Recorded<T>, Error> {
    read(status, body, &Quote::Redacting(Vec::new()))
}

/// The gateway's own words: `msg` first on HTTP errors, `message` first on refusals.
fn words(envelope: Option<&Envelope>, prefer_msg: bool) -> Option<String> {
    let e = envelope?;
    let (first, second) = if prefer_msg {
        (&e.msg, &e.message)
    } else {
        (&e.message, &e.msg)
    };
    first
        .clone()
        .or_else(|| second.clone())
        .filter(|m| !m.trim().is_empty())
}

pub(crate) fn read<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
    quote: &Quote<'_>,
) -> Result<Recorded<T>, Error> {
    let text = String::from_utf8_lossy(body);
    let envelope: Option<Envelope> = serde_json::from_slice(body).ok();

    if !(200..300).contains(&status) {
        let message = match words(envelope.as_ref(), true) {
            Some(m) => quote.clip(&m),
            None if text.trim().is_empty() => "no reason given".into(),
            None => quote.clip(&text),
        };
        return Err(if status == 401 {
            Error::Unauthorized { message }
        } else {
            Error::Http { status, message }
        });
    }
    let Some(envelope) = envelope else {
        let detail = match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(_) => "not the gateway's envelope".to_owned(),
            Err(e) => format!("not JSON ({e})"),
        };
        return Err(Error::Malformed {
            detail,
            excerpt: quote.clip(&text),
        });
    };
    let reason = words(Some(&envelope), false).map(|m| quote.clip(&m));
    match envelope.code {
        Some(401) => {
            return Err(Error::Unauthorized {
                message: reason.unwrap_or_else(|| "the gateway answered code 401".into()),
            })
        }
        Some(0) if envelope.result != Some(false) => {}
        Some(code) => {
            return Err(Error::Rejected {
                code,
                message: reason.unwrap_or_else(|| "no reason given".into()),
            })
        }
        None => {
            return Err(Error::Malformed {
                detail: "the answer has no code".into(),
                excerpt: quote.clip(&text),
            })
        }
    }
    let Some(data) = envelope.data else {
        return Err(Error::Malformed {
            detail: "the answer has no data".into(),
            excerpt: quote.clip(&text),
        });
    };
    let raw = data.get().to_owned();
    let value = serde_json::from_str::<T>(&raw).map_err(|e| Error::Malformed {
        detail: format!("unexpected data ({e})"),
        excerpt: quote.clip(&raw),
    })?;
    Ok(Recorded { value, raw })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Order, OrderStatus};

    fn order(status: u16, body: &str) -> Result<Order, Error> {
        decode_answer::<Order>(status, body.as_bytes()).map(|r| r.value)
    }

    #[test]
    fn success_needs_code_zero_and_no_false_result() {
        let ok =
            r#"{"code":0,"message":"ok","data":{"order_id":"1","status":"PENDING"},"result":true}"#;
        assert_eq!(order(200, ok).unwrap().status, OrderStatus::Pending);
        let no_result = r#"{"code":"0","data":{"order_id":"1","status":"PENDING"}}"#;
        assert!(
            order(200, no_result).is_ok(),
            "result may be absent, code may be a string"
        );
        let refused = r#"{"code":0,"message":"closed","data":null,"result":false}"#;
        assert_eq!(
            order(200, refused),
            Err(Error::Rejected {
                code: 0,
                message: "closed".into()
            })
        );
    }

    #[test]
    fn every_failure_shape_has_its_outcome() {
        assert_eq!(
            order(200, r#"{"code":401,"message":"bad key","result":false}"#),
            Err(Error::Unauthorized {
                message: "bad key".into()
            })
        );
        assert_eq!(
            order(401, ""),
            Err(Error::Unauthorized {
                message: "no reason given".into()
            })
        );
        assert_eq!(
            order(500, r#"{"msg":"server busy","message":"ignored"}"#),
            Err(Error::Http {
                status: 500,
                message: "server busy".into()
            })
        );
        assert_eq!(
            order(502, "<html>Bad Gateway</html>"),
            Err(Error::Http {
                status: 502,
                message: "<html>Bad Gateway</html>".into()
            })
        );
        assert_eq!(
            order(200, r#"{"code":10001,"msg":"price too low"}"#),
            Err(Error::Rejected {
                code: 10001,
                message: "price too low".into()
            })
        );
        for (body, detail) in [
            ("", "not JSON"),
            ("[1,2]", "not the gateway's envelope"),
            (r#"{"message":"ok"}"#, "the answer has no code"),
            (r#"{"code":0}"#, "the answer has no data"),
            (r#"{"code":0,"data":{"order_id":"1"}}"#, "unexpected data"),
        ] {
            match order(200, body) {
                Err(Error::Malformed { detail: d, .. }) => {
                    assert!(d.starts_with(detail), "{body}: {d}")
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn quotes_are_clipped_escaped_and_redacted() {
        let long = format!(r#"{{"code":0,"data":{{"x":"{}"}}}}"#, "a".repeat(500));
        match order(200, &long) {
            Err(Error::Malformed { excerpt, .. }) => {
                // 160 characters of the source, escaped, then an ellipsis.
                assert!(excerpt.ends_with('…'), "{excerpt}");
                assert!(excerpt.matches('a').count() < 160, "{excerpt}");
            }
            other => panic!("{other:?}"),
        }
        let quote = Quote::Redacting(vec!["sekret-key"]);
        let err = read::<Order>(200, b"oops sekret-key\n", &quote).unwrap_err();
        assert_eq!(
            err,
            Error::Malformed {
                detail: err_detail(&err),
                excerpt: "oops <redacted>\\n".into()
            }
        );
        // A secret straddling the clip is still redacted, not half shown.
        let body = format!("{}sekret-key", "x".repeat(155));
        let err = read::<Order>(200, body.as_bytes(), &quote).unwrap_err();
        assert!(!format!("{err:?}").contains("sekr"), "{err:?}");
        let err = read::<Order>(200, b"token=abc", &Quote::Never).unwrap_err();
        assert!(!err.to_string().contains("abc"), "{err}");
    }

    fn err_detail(e: &Error) -> String {
        match e {
            Error::Malformed { detail, .. } => detail.clone(),
            _ => String::new(),
        }
    }
}
