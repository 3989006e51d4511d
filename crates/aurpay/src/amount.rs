//! Exact decoding of the gateway's money fields.
//!
//! Aurpay sends amounts as JSON numbers in one answer and strings in the next, sometimes in
//! exponent form (`6.44e-05`). A JSON number parsed the usual way becomes an `f64` and loses
//! digits, so these fields are read as raw JSON text (serde_json's `RawValue`) and parsed straight
//! into a [`Decimal`]. No money ever passes through a float.
//!
//! Because `RawValue` needs serde_json's own deserializer, the wire types that hold an [`Amount`]
//! never use `#[serde(flatten)]` or untagged enums around it.

use std::{fmt, str::FromStr};

use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// An exact decimal amount as the gateway sent it (BTC for `amount`, fiat for `vs_price`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub Decimal);

/// Millisatoshis in one bitcoin.
pub const MSAT_PER_BTC: u64 = 100_000_000_000;

/// Why a text is not an amount, or a BTC amount is not a whole number of millisatoshis.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// The text is not a decimal number.
    #[error("\"{0}\" is not a number")]
    NotANumber(String),
    /// The number has more digits than an exact decimal can hold.
    #[error("\"{0}\" has too many digits")]
    TooManyDigits(String),
    /// A BTC amount below zero.
    #[error("the amount {0} BTC is negative")]
    Negative(Decimal),
    /// A BTC amount finer than a millisatoshi.
    #[error("the amount {0} BTC is not a whole number of millisatoshis")]
    SubMillisatoshi(Decimal),
    /// A BTC amount too large to count in millisatoshis.
    #[error("the amount {0} BTC is too large")]
    TooLarge(Decimal),
}

impl Amount {
    /// Parses decimal text: `12`, `0.00155419`, `-1.5`, `6.44e-05`, `1E3`.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        let t = text.trim();
        let valid = !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
            && t.chars().any(|c| c.is_ascii_digit());
        if !valid {
            return Err(AmountError::NotANumber(t.to_owned()));
        }
        let parsed = if t.contains(['e', 'E']) {
            Decimal::from_scientific(t)
        } else {
            Decimal::from_str_exact(t)
        };
        parsed.map(|d| Self(d.normalize())).map_err(|e| {
            let msg = e.to_string();
            if msg.contains("underflow") || msg.contains("overflow") || msg.contains("too") {
                AmountError::TooManyDigits(t.to_owned())
            } else {
                AmountError::NotANumber(t.to_owned())
            }
        })
    }

    /// This BTC amount in millisatoshis, refusing negatives and anything finer than a millisatoshi.
    pub fn btc_to_msat(self) -> Result<u64, AmountError> {
        let btc = self.0;
        if btc.is_sign_negative() && !btc.is_zero() {
            return Err(AmountError::Negative(btc));
        }
        let msat = btc
            .checked_mul(Decimal::from(MSAT_PER_BTC))
            .ok_or(AmountError::TooLarge(btc))?;
        if !msat.fract().is_zero() {
            return Err(AmountError::SubMillisatoshi(btc));
        }
        u64::try_from(msat).map_err(|_| AmountError::TooLarge(btc))
    }

    /// A BTC amount from millisatoshis.
    pub fn from_msat(msat: u64) -> Self {
        Self((Decimal::from(msat) / Decimal::from(MSAT_PER_BTC)).normalize())
    }
}

impl FromStr for Amount {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<Decimal> for Amount {
    fn from(d: Decimal) -> Self {
        Self(d)
    }
}

/// Reads one raw JSON value as an amount: a number's own text, or a string's content.
fn from_raw(raw: &RawValue) -> Result<Option<Amount>, String> {
    let text = raw.get().trim();
    if text == "null" {
        return Ok(None);
    }
    let inner = if text.starts_with('"') {
        let s: String = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if s.trim().is_empty() {
            return Ok(None);
        }
        s
    } else {
        text.to_owned()
    };
    Amount::parse(&inner)
        .map(Some)
        .map_err(|e| format!("invalid amount: {e}"))
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        from_raw(&raw)
            .map_err(de::Error::custom)?
            .ok_or_else(|| de::Error::custom("missing amount (null or empty)"))
    }
}

/// Serializes as a JSON number with exactly the decimal's digits (`12.50` stays `12.50`).
impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// For `Option<Amount>` fields: absent, `null` and `""` are all `None`.
pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    match raw {
        None => Ok(None),
        Some(raw) => from_raw(&raw).map_err(de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::prelude::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[derive(Deserialize)]
    struct Holder {
        amount: Amount,
        #[serde(default, deserialize_with = "optional")]
        fee: Option<Amount>,
    }

    #[test]
    fn numbers_and_strings_decode_exactly() {
        for (json, expected) in [
            (r#"{"amount": 0.00155419}"#, "0.00155419"),
            (r#"{"amount": "0.00019044"}"#, "0.00019044"),
            (r#"{"amount": 6.44e-05}"#, "0.0000644"),
            (r#"{"amount": "6.44E-05"}"#, "0.0000644"),
            (r#"{"amount": 20}"#, "20"),
            (r#"{"amount": " 12.50 "}"#, "12.5"),
            // More digits than an f64 holds: kept exactly.
            (
                r#"{"amount": 0.123456789012345678901}"#,
                "0.123456789012345678901",
            ),
        ] {
            let h: Holder = serde_json::from_str(json).unwrap();
            assert_eq!(h.amount.0, dec(expected), "{json}");
            assert_eq!(h.fee, None);
        }
    }

    #[test]
    fn optional_amounts_treat_null_and_empty_as_absent() {
        for json in [
            r#"{"amount":1,"fee":null}"#,
            r#"{"amount":1,"fee":""}"#,
            r#"{"amount":1}"#,
        ] {
            let h: Holder = serde_json::from_str(json).unwrap();
            assert_eq!(h.fee, None, "{json}");
        }
        let h: Holder = serde_json::from_str(r#"{"amount":1,"fee":"0.0001"}"#).unwrap();
        assert_eq!(h.fee, Some(Amount(dec("0.0001"))));
    }

    #[test]
    fn garbage_is_refused() {
        for json in [
            r#"{"amount": "abc"}"#,
            r#"{"amount": ""}"#,
            r#"{"amount": null}"#,
            r#"{"amount": true}"#,
            r#"{"amount": [1]}"#,
            r#"{"amount": "1.2.3"}"#,
            r#"{"amount": 1e999}"#,
            r#"{"amount": "NaN"}"#,
        ] {
            assert!(
                serde_json::from_str::<Holder>(json).is_err(),
                "{json} was accepted"
            );
        }
    }

    #[test]
    fn btc_converts_to_msat_only_when_exact() {
        assert_eq!(Amount(dec("0.00155419")).btc_to_msat(), Ok(155_419_000));
        assert_eq!(Amount(dec("0.00019044")).btc_to_msat(), Ok(19_044_000));
        assert_eq!(Amount(dec("0.00000000001")).btc_to_msat(), Ok(1));
        assert_eq!(Amount(dec("0")).btc_to_msat(), Ok(0));
        assert!(matches!(
            Amount(dec("0.000000000001")).btc_to_msat(),
            Err(AmountError::SubMillisatoshi(_))
        ));
        assert!(matches!(
            Amount(dec("-0.1")).btc_to_msat(),
            Err(AmountError::Negative(_))
        ));
        let huge = Amount(Decimal::from(1_000_000_000_000u64));
        assert!(matches!(huge.btc_to_msat(), Err(AmountError::TooLarge(_))));
        assert_eq!(Amount::from_msat(155_419_000), Amount(dec("0.00155419")));
    }

    #[test]
    fn serializes_as_an_exact_json_number() {
        let v = serde_json::to_string(&Amount(dec("12.50"))).unwrap();
        assert_eq!(v, "12.50");
        let v = serde_json::to_string(&Amount(dec("0.00000001"))).unwrap();
        assert_eq!(v, "0.00000001");
    }
}
