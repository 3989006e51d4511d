//! Every answer's outer shape, as the client reads it and the simulator writes it.

use serde::{de, Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use super::lenient::{excerpt, opt_flag};

/// Every answer's outer shape: `{"code": 0, "message": "ok", "data": {...}, "result": true}`.
/// On HTTP errors the official plugins read `msg` instead of `message`.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope {
    #[serde(default, deserialize_with = "opt_code")]
    pub code: Option<i64>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub msg: Option<String>,
    #[serde(default)]
    pub data: Option<Box<RawValue>>,
    #[serde(default, deserialize_with = "opt_flag")]
    pub result: Option<bool>,
}

fn opt_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    let Some(raw) = raw else { return Ok(None) };
    raw.get()
        .trim()
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| de::Error::custom(format!("code is not a number: {}", excerpt(raw.get(), 20))))
}

/// The envelope the simulator writes, and a success answer's shape.
#[derive(Debug, Serialize)]
pub struct Reply<T> {
    /// 0 on success.
    pub code: i64,
    /// `ok` on success, the reason otherwise.
    pub message: String,
    /// The answer.
    pub data: Option<T>,
    /// true on success.
    pub result: bool,
}

impl<T> Reply<T> {
    /// A success answer carrying `data`.
    pub fn ok(data: T) -> Self {
        Self {
            code: 0,
            message: "ok".into(),
            data: Some(data),
            result: true,
        }
    }
}

impl Reply<()> {
    /// A refusal with a gateway code and message.
    pub fn refuse(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
            result: false,
        }
    }
}
