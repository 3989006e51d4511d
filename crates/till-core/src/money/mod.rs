//! Money as the till handles it: fiat in integer minor units with the ISO 4217 exponent of its
//! currency, BTC in millisatoshis, and the rate a sale was charged at. No floats anywhere.
//!
//! The currency table (codes, names, exponents) comes from the `iso_currency` crate, which is
//! generated from the ISO 4217 list.

pub mod bill;

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most a single sale may be, in major units: anything above is a typing accident.
pub const MAX_MAJOR_UNITS: u64 = 999_999_999;

/// A fiat currency with a defined minor unit (USD, EUR, JPY, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    exponent: u32,
}

impl Currency {
    /// Looks a code up in ISO 4217 (case-insensitive). Codes without a minor unit (gold, test
    /// codes, `XXX`) are refused: a till cannot price in them.
    pub fn from_code(code: &str) -> Result<Self, MoneyError> {
        let upper = code.trim().to_ascii_uppercase();
        let iso = iso_currency::Currency::from_code(&upper)
            .ok_or_else(|| MoneyError::UnknownCurrency(code.trim().to_owned()))?;
        let exponent = iso
            .exponent()
            .ok_or_else(|| MoneyError::UnknownCurrency(code.trim().to_owned()))?;
        Ok(Self {
            code: iso.code(),
            exponent: u32::from(exponent),
        })
    }

    /// The three-letter code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Digits after the decimal point (USD 2, JPY 0, BHD 3).
    pub fn exponent(&self) -> u32 {
        self.exponent
    }

    /// The English name.
    pub fn name(&self) -> String {
        iso_currency::Currency::from_code(self.code)
            .map(|c| c.name().to_owned())
            .unwrap_or_default()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// A fiat amount: an integer number of minor units (cents) of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fiat {
    /// Minor units (cents for USD, yen for JPY).
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

/// Why an amount or a currency was refused. Each message says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Nothing typed.
    #[error("type an amount")]
    Empty,
    /// A comma as the decimal separator.
    #[error("\"{0}\" uses a comma; use a point for the decimals, as in 12.50")]
    Comma(String),
    /// Not a number.
    #[error("\"{0}\" is not an amount; type digits with at most one point, as in 12.50")]
    NotANumber(String),
    /// Below zero.
    #[error("an amount cannot be negative")]
    Negative,
    /// Zero.
    #[error("the amount must be more than zero")]
    Zero,
    /// More decimals than the currency has.
    #[error("{currency} has {exponent} decimal place(s); \"{text}\" has more")]
    TooPrecise {
        /// What was typed.
        text: String,
        /// The currency.
        currency: &'static str,
        /// Its decimals.
        exponent: u32,
    },
    /// Above [`MAX_MAJOR_UNITS`].
    #[error("{0} is too large for one sale")]
    TooLarge(String),
    /// Not an ISO 4217 currency with a minor unit.
    #[error(
        "\"{0}\" is not a currency code this till can charge in (use a code such as USD or EUR)"
    )]
    UnknownCurrency(String),
}

impl Fiat {
    /// Parses what a cashier typed: `12`, `12.5`, `12.50`, ` 0.99 `. Refuses commas (with a
    /// hint), signs, exponents, zero, negative amounts, more decimals than the currency has, and
    /// amounts above [`MAX_MAJOR_UNITS`].
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        if t.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        if t.contains(',') {
            return Err(MoneyError::Comma(shorten(t)));
        }
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty()) || !digits_only(whole) || !digits_only(frac) {
            return Err(MoneyError::NotANumber(shorten(t)));
        }
        let frac_trimmed = frac.trim_end_matches('0');
        if frac_trimmed.len() as u32 > currency.exponent {
            return Err(MoneyError::TooPrecise {
                text: shorten(t),
                currency: currency.code,
                exponent: currency.exponent,
            });
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 9 || whole.parse::<u64>().unwrap_or(0) > MAX_MAJOR_UNITS {
            return Err(MoneyError::TooLarge(shorten(t)));
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .map_err(|_| MoneyError::NotANumber(shorten(t)))?
        };
        let mut frac_padded = frac_trimmed.to_owned();
        while (frac_padded.len() as u32) < currency.exponent {
            frac_padded.push('0');
        }
        let frac: i64 = if frac_padded.is_empty() {
            0
        } else {
            frac_padded
                .parse()
                .map_err(|_| MoneyError::NotANumber(shorten(t)))?
        };
        let minor = whole * 10i64.pow(currency.exponent) + frac;
        if minor == 0 {
            return Err(MoneyError::Zero);
        }
        Ok(Self { minor, currency })
    }

    /// The amount as an exact decimal in major units (`12.50`).
    pub fn to_decimal(&self) -> Decimal {
        Decimal::new(self.minor, self.currency.exponent)
    }

    /// From an exact decimal in major units; `None` when it has more decimals than the currency.
    pub fn from_decimal(d: Decimal, currency: Currency) -> Option<Self> {
        let scaled = d.checked_mul(Decimal::from(10i64.pow(currency.exponent)))?;
        if !scaled.fract().is_zero() {
            return None;
        }
        i64::try_from(scaled.trunc())
            .ok()
            .map(|minor| Self { minor, currency })
    }
}

impl fmt::Display for Fiat {
    /// `12.50 USD`, `1500 JPY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal(), self.currency)
    }
}

fn shorten(t: &str) -> String {
    let mut s: String = t.chars().take(24).flat_map(char::escape_default).collect();
    if t.chars().count() > 24 {
        s.push('…');
    }
    s
}

/// Minor units of `currency` as exact decimal text in major units (`1250` USD is `12.50`); a
/// code this till does not know is taken to have two decimals.
pub fn decimal_text(minor: i64, currency: &str) -> String {
    let exponent = Currency::from_code(currency)
        .map(|c| c.exponent())
        .unwrap_or(2);
    Decimal::new(minor, exponent).to_string()
}

/// Documents added up for a report line: how many, their fiat total in minor units and their
/// invoices in millisatoshis. Saturating: no sum of real documents comes near the limits, and a
/// corrupt row must not wrap a total round.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// How many documents.
    pub count: u64,
    /// Their fiat total, in minor units.
    pub minor: i64,
    /// Their invoices' total, in millisatoshis.
    pub msat: u64,
}

impl Tally {
    /// Counts one more document.
    pub fn add(&mut self, minor: i64, msat: u64) {
        self.count += 1;
        self.minor = self.minor.saturating_add(minor);
        self.msat = self.msat.saturating_add(msat);
    }
}

/// What was received less what was given back, in minor units of one currency.
pub fn net_minor(received: i64, refunded: i64) -> i64 {
    received.saturating_sub(refunded)
}

/// Millisatoshis: the unit Lightning counts in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Msat(pub u64);

impl Msat {
    /// Whole satoshis, rounded down (what a wallet shows).
    pub fn sats(self) -> u64 {
        self.0 / 1000
    }
}

/// A count of sats (or of anything) with its digits in groups of three, as printed: 12,500.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The part of a payment that a part of its fiat amount stands for, in whole satoshis (rounded
/// down: a refund never sends more than its share): `paid` × `part` / `whole`. `None` when the
/// figures make no sense (`whole` zero, `part` outside `0..=whole`).
pub fn share(paid: Msat, part: i64, whole: i64) -> Option<Msat> {
    if whole <= 0 || part < 0 || part > whole {
        return None;
    }
    let msat = u128::from(paid.0) * part as u128 / whole as u128;
    let sats = u64::try_from(msat / 1000).ok()?;
    Some(Msat(sats * 1000))
}

/// Millisatoshis as BTC text with eight decimals (`0.00012500`), rounded down to the satoshi.
pub fn btc_text(msat: Msat) -> String {
    Decimal::new(i64::try_from(msat.sats()).unwrap_or(i64::MAX), 8).to_string()
}

/// The rate a sale was charged at: fiat (major units) per BTC, implied by the gateway's quote.
/// Stored as exact decimal text.
pub fn implied_rate(fiat: Fiat, msat: Msat) -> Option<Decimal> {
    if msat.0 == 0 {
        return None;
    }
    let btc = Decimal::from(msat.0).checked_div(Decimal::from(aurpay::amount::MSAT_PER_BTC))?;
    fiat.to_decimal()
        .checked_div(btc)
        .map(|r| r.round_dp(2).normalize())
}

#[cfg(test)]
mod tests {

    #[test]
    fn tallies_count_and_add_and_never_wrap() {
        let mut t = Tally::default();
        t.add(1250, 12_500_000);
        t.add(-50, 0);
        assert_eq!(
            t,
            Tally {
                count: 2,
                minor: 1200,
                msat: 12_500_000
            }
        );
        t.add(i64::MAX, u64::MAX);
        assert_eq!((t.minor, t.msat), (i64::MAX, u64::MAX));
        assert_eq!(net_minor(1000, 250), 750);
        assert_eq!(net_minor(i64::MIN, 1), i64::MIN);
    }

    #[test]
    fn counts_are_grouped_in_threes() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(12_500), "12,500");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
    use super::*;

    fn usd() -> Currency {
        Currency::from_code("usd").unwrap()
    }

    #[test]
    fn currencies_carry_their_iso_exponent() {
        assert_eq!(usd().exponent(), 2);
        assert_eq!(Currency::from_code("JPY").unwrap().exponent(), 0);
        assert_eq!(Currency::from_code("BHD").unwrap().exponent(), 3);
        assert_eq!(usd().name(), "United States dollar");
        for bad in ["", "XYZ", "US", "XAU", "dollars"] {
            assert!(
                matches!(
                    Currency::from_code(bad),
                    Err(MoneyError::UnknownCurrency(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn cashier_text_parses_to_minor_units() {
        for (text, minor) in [
            ("12", 1200),
            ("12.5", 1250),
            ("12.50", 1250),
            (" 0.99 ", 99),
            (".5", 50),
            ("7.", 700),
            ("0012.00", 1200),
        ] {
            assert_eq!(Fiat::parse(text, usd()).unwrap().minor, minor, "{text}");
        }
        let jpy = Currency::from_code("JPY").unwrap();
        assert_eq!(Fiat::parse("1500", jpy).unwrap().minor, 1500);
        assert_eq!(Fiat::parse("1500.0", jpy).unwrap().minor, 1500);
        assert_eq!(
            Fiat::parse("12.50", usd()).unwrap().to_string(),
            "12.50 USD"
        );
    }

    #[test]
    fn bad_amounts_are_refused_with_the_reason() {
        let cases: &[(&str, &str)] = &[
            ("", "type an amount"),
            (
                "12,50",
                "\"12,50\" uses a comma; use a point for the decimals, as in 12.50",
            ),
            ("-5", "an amount cannot be negative"),
            ("0", "the amount must be more than zero"),
            ("0.00", "the amount must be more than zero"),
            ("12.345", "USD has 2 decimal place(s); \"12.345\" has more"),
            (
                "abc",
                "\"abc\" is not an amount; type digits with at most one point, as in 12.50",
            ),
            (
                "1e5",
                "\"1e5\" is not an amount; type digits with at most one point, as in 12.50",
            ),
            (
                "1.2.3",
                "\"1.2.3\" is not an amount; type digits with at most one point, as in 12.50",
            ),
            (
                ".",
                "\".\" is not an amount; type digits with at most one point, as in 12.50",
            ),
            (
                "+5",
                "\"+5\" is not an amount; type digits with at most one point, as in 12.50",
            ),
            ("1000000000", "1000000000 is too large for one sale"),
            (
                "99999999999999999999999",
                "99999999999999999999999 is too large for one sale",
            ),
        ];
        for (text, why) in cases {
            assert_eq!(
                Fiat::parse(text, usd()).unwrap_err().to_string(),
                *why,
                "{text}"
            );
        }
        let jpy = Currency::from_code("JPY").unwrap();
        assert!(matches!(
            Fiat::parse("10.5", jpy),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert!(Fiat::parse("999999999.99", usd()).is_ok());
    }

    #[test]
    fn decimals_and_rates_are_exact() {
        let f = Fiat::parse("12.50", usd()).unwrap();
        assert_eq!(f.to_decimal().to_string(), "12.50");
        assert_eq!(Fiat::from_decimal("12.5".parse().unwrap(), usd()), Some(f));
        assert_eq!(Fiat::from_decimal("12.505".parse().unwrap(), usd()), None);
        // 12.50 USD for 12,500,000 msat (0.000125 BTC) is 100,000 USD/BTC.
        assert_eq!(
            implied_rate(f, Msat(12_500_000)).unwrap().to_string(),
            "100000"
        );
        assert_eq!(implied_rate(f, Msat(0)), None);
        assert_eq!(Msat(12_500_999).sats(), 12_500);
    }

    #[test]
    fn shares_round_down_to_the_satoshi_and_refuse_nonsense() {
        // 5.00 of a 12.50 sale paid with 12,500,000 msat: two fifths.
        assert_eq!(share(Msat(12_500_000), 500, 1250), Some(Msat(5_000_000)));
        // 1.00 of 3.00 paid with 3,000,001 msat: 1,000,000.33 msat, down to 1,000 sats.
        assert_eq!(share(Msat(3_000_001), 100, 300), Some(Msat(1_000_000)));
        assert_eq!(share(Msat(1_999), 1, 1), Some(Msat(1_000)));
        assert_eq!(share(Msat(999), 1, 1), Some(Msat(0)));
        assert_eq!(
            share(Msat(u64::MAX), i64::MAX, i64::MAX).map(|m| m.0 % 1000),
            Some(0)
        );
        for (part, whole) in [(1, 0), (-1, 5), (6, 5)] {
            assert_eq!(share(Msat(1_000), part, whole), None, "{part}/{whole}");
        }
        assert_eq!(btc_text(Msat(12_500_999)), "0.00012500");
        assert_eq!(btc_text(Msat(100_000_000_000)), "1.00000000");
    }
}

/// A cash payment: what the customer handed over and what went back, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CashPaid {
    /// Handed over.
    pub tendered_minor: i64,
    /// Given back.
    pub change_minor: i64,
}

/// The change for `tendered` against `total` (same currency): refused, with the shortfall
/// said, when the cash does not cover the total.
pub fn cash_change(total: Fiat, tendered: Fiat) -> Result<CashPaid, String> {
    if tendered.currency != total.currency {
        return Err(format!(
            "the cash is in {}, the sale in {}",
            tendered.currency.code(),
            total.currency.code()
        ));
    }
    if tendered.minor < total.minor {
        return Err(format!(
            "{} tendered does not cover the total of {}: {} more is needed",
            tendered,
            total,
            Fiat {
                minor: total.minor - tendered.minor,
                currency: total.currency
            }
        ));
    }
    Ok(CashPaid {
        tendered_minor: tendered.minor,
        change_minor: tendered.minor - total.minor,
    })
}

/// What a customer is likely to hand over for `total`: the exact amount, then the total rounded
/// up to the next whole 1, 2, 5, 10, 20, 50 or 100 of the currency (its major unit, or 100 of
/// a currency without decimals), at most four in all, ascending: the quick keys of a cash
/// screen, as Square and Loyverse offer them.
pub fn cash_suggestions(total: Fiat) -> Vec<Fiat> {
    let unit = if total.currency.exponent() == 0 {
        100
    } else {
        10i64.pow(total.currency.exponent())
    };
    let mut out = vec![total];
    for step in [1, 2, 5, 10, 20, 50, 100] {
        let Some(d) = unit.checked_mul(step) else {
            break;
        };
        let Some(up) = total.minor.checked_add(d - 1).map(|v| v / d * d) else {
            break;
        };
        if up > total.minor && out.last().is_some_and(|l| l.minor < up) {
            out.push(Fiat {
                minor: up,
                currency: total.currency,
            });
        }
        if out.len() == 4 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod cash_tests {
    use super::*;

    fn eur(text: &str) -> Fiat {
        Fiat::parse(text, Currency::from_code("EUR").unwrap()).unwrap()
    }

    #[test]
    fn the_quick_cash_keys_are_the_exact_total_then_round_notes_above_it() {
        let texts = |t: &str| -> Vec<String> {
            cash_suggestions(eur(t))
                .iter()
                .map(|f| f.to_decimal().to_string())
                .collect()
        };
        assert_eq!(texts("7.30"), ["7.30", "8.00", "10.00", "20.00"]);
        assert_eq!(texts("20.00"), ["20.00", "50.00", "100.00"]);
        assert_eq!(texts("0.01"), ["0.01", "1.00", "2.00", "5.00"]);
        let jpy = Currency::from_code("JPY").unwrap();
        let yen: Vec<i64> = cash_suggestions(Fiat::parse("730", jpy).unwrap())
            .iter()
            .map(|f| f.minor)
            .collect();
        assert_eq!(yen, [730, 800, 1_000, 2_000]);
        // Near the top of i64 nothing overflows; the exact amount is always offered.
        let huge = Fiat {
            minor: i64::MAX - 5,
            currency: eur("1").currency,
        };
        assert_eq!(cash_suggestions(huge)[0], huge);
    }

    #[test]
    fn change_is_what_was_tendered_less_the_total_and_short_cash_is_refused() {
        let paid = cash_change(eur("7.30"), eur("20")).unwrap();
        assert_eq!((paid.tendered_minor, paid.change_minor), (2_000, 1_270));
        let short = cash_change(eur("7.30"), eur("7.29")).unwrap_err();
        assert!(short.contains("0.01 EUR more is needed"), "{short}");
    }
}
