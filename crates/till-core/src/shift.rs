//! Shifts at the till: opening with a float, paying in and out, counting the drawer to close,
//! and the shift's report. The drawer's figures come from `ledger::shifts`; this module checks
//! what people type (amounts in the shop's currency, a count by denomination) and says what
//! happened in plain words.

use crate::words::{fit, Lang};
use std::collections::BTreeMap;

use chrono::Utc;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{
    ledger::{CashMove, CashMoveKind, Drawer, Ledger, LedgerError, NewShiftClose, Shift},
    money::{decimal_text, Currency, Fiat},
    settings,
    till::{clean_text, Till, TillError},
};

/// The longest pay-in or pay-out reason.
pub const MAX_REASON_CHARS: usize = 120;

/// A drawer count: a total, or how many of each note and coin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Count {
    /// The total counted, as typed (`123.45`).
    Total(String),
    /// Face value (as typed, `20` or `0.50`) and how many.
    Denominations(BTreeMap<String, i64>),
}

/// The notes and coins a drawer is counted in: a 1-2-5 series from the currency's smallest unit
/// up to 500 of its major unit (50,000 for a currency without decimals), largest first.
pub fn denominations(currency: Currency) -> Vec<String> {
    let exponent = currency.exponent();
    let top = if exponent == 0 { 50_000 } else { 500 } * 10i64.pow(exponent);
    let mut out = Vec::new();
    let mut unit = 1i64;
    while unit <= top {
        for step in [1, 2, 5] {
            let minor = unit * step;
            if minor <= top {
                out.push(decimal_text(minor, currency.code()));
            }
        }
        unit *= 10;
    }
    out.reverse();
    out
}

/// The total of a count by denomination, each face value a positive amount of the currency
/// and each number of pieces from 0 to 100,000.
pub fn count_total(counts: &BTreeMap<String, i64>, currency: Currency) -> Result<i64, TillError> {
    let mut total: i64 = 0;
    for (face, n) in counts {
        let value = Fiat::parse(face, currency)?;
        if !(0..=100_000).contains(n) {
            return Err(TillError::BadInput(format!(
                "{n} pieces of {face} is not a count"
            )));
        }
        total = value
            .minor
            .checked_mul(*n)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| TillError::BadInput("the count is too large".into()))?;
    }
    Ok(total)
}

fn amount(text: &str, currency: Currency) -> Result<i64, TillError> {
    Ok(Fiat::parse(text, currency)?.minor)
}

/// An amount that may be zero (an empty float, an empty drawer).
fn amount_or_zero(text: &str, currency: Currency) -> Result<i64, TillError> {
    if text.trim().parse::<Decimal>().is_ok_and(|d| d.is_zero()) {
        return Ok(0);
    }
    amount(text, currency)
}

fn reason(text: &str) -> Result<String, TillError> {
    let r = clean_text(text, MAX_REASON_CHARS).map_err(|max| {
        TillError::BadInput(format!("the reason is longer than {max} characters"))
    })?;
    if r.is_empty() {
        return Err(TillError::BadInput(
            "say why cash goes in or out of the drawer".into(),
        ));
    }
    Ok(r)
}

/// A shift's report: its drawer, its pay-ins and pay-outs, and (once closed) the count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ShiftReport {
    /// The shift.
    pub shift: Shift,
    /// What the drawer should hold (at the close, for a closed shift).
    pub drawer: Drawer,
    /// Pay-ins and pay-outs.
    pub moves: Vec<CashMove>,
    /// Counted less expected, once closed (negative: short).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub variance_minor: Option<i64>,
}

impl ShiftReport {
    /// The report as plain text in English, for the terminal and for paper.
    pub fn render(&self) -> String {
        self.render_in(Lang::En)
    }

    /// The report as plain text in `lang`; the amounts keep their digits.
    pub fn render_in(&self, lang: Lang) -> String {
        let c = &self.shift.currency;
        let m = |minor: i64| format!("{} {c}", lang.amount(&decimal_text(minor, c)));
        let w = |key: &str| lang.text(key);
        let d = &self.drawer;
        let mut out = lang.fill(
            "print_shift_title",
            &[
                ("label", &self.shift.label()),
                ("terminal", &self.shift.terminal),
            ],
        );
        out.push('\n');
        out += &lang.fill(
            "print_shift_opened",
            &[
                ("at", &self.shift.opened_at),
                ("name", &self.shift.opened_by),
            ],
        );
        out.push('\n');
        if let Some(at) = &self.shift.closed_at {
            out += &lang.fill(
                "print_shift_closed",
                &[
                    ("at", at),
                    ("name", &self.shift.closed_by.as_deref().unwrap_or("")),
                ],
            );
            out.push('\n');
        }
        let cash_sales = lang.fill("print_shift_cash_sales", &[("count", &d.cash_sales)]);
        let mut rows = vec![
            (
                w("print_shift_float").to_owned(),
                m(d.float_minor),
                String::new(),
            ),
            (cash_sales, m(d.cash_sales_minor), String::new()),
            (
                w("print_shift_paid_in").to_owned(),
                m(d.pay_ins_minor),
                String::new(),
            ),
            (
                w("print_shift_paid_out").to_owned(),
                m(-d.pay_outs_minor),
                String::new(),
            ),
            (
                w("print_shift_cash_refunds").to_owned(),
                m(-d.refunds_minor),
                String::new(),
            ),
            (
                w("print_shift_expected").to_owned(),
                m(d.expected_minor),
                String::new(),
            ),
        ];
        if let Some(counted) = self.shift.counted_minor {
            rows.push((
                w("print_shift_counted").to_owned(),
                m(counted),
                String::new(),
            ));
            let v = self.variance_minor.unwrap_or(0);
            let word = match v.signum() {
                0 => w("print_shift_even"),
                1 => w("print_shift_over"),
                _ => w("print_shift_short"),
            };
            rows.push((
                w("print_shift_variance").to_owned(),
                m(v),
                format!(" ({word})"),
            ));
        }
        out.push('\n');
        for (label, value, after) in rows {
            out += &format!("{} {:>16}{after}\n", fit(&label, 18), value);
        }
        for mv in &self.moves {
            let sign = if mv.kind == CashMoveKind::PayOut {
                -1
            } else {
                1
            };
            let way = if sign > 0 {
                w("print_shift_in")
            } else {
                w("print_shift_out")
            };
            out += &format!(
                "  {} {} {:>12}  {} ({})\n",
                &mv.at[..mv.at.len().min(16)],
                fit(way, 4),
                m(sign * mv.amount_minor),
                mv.reason,
                mv.made_by
            );
        }
        out
    }
}

impl Till {
    fn shop_currency(&self) -> Result<Currency, TillError> {
        let code = settings::shop_currency(&self.ledger())?;
        Ok(Currency::from_code(&code)?)
    }

    /// Opens a shift with the float counted into the drawer (in the shop's currency).
    pub fn open_shift(&self, float: &str) -> Result<Shift, TillError> {
        let currency = self.shop_currency()?;
        let float_minor = amount_or_zero(float, currency)?;
        let c = self.config();
        Ok(self.ledger().open_new_shift(
            &c.terminal,
            c.training,
            currency.code(),
            float_minor,
            &self.cashier(),
            Utc::now(),
        )?)
    }

    /// Pays cash into or out of the open shift's drawer, with a reason.
    pub fn move_cash(
        &self,
        kind: CashMoveKind,
        amount_text: &str,
        why: &str,
        by: &str,
    ) -> Result<CashMove, TillError> {
        let currency = self.shop_currency()?;
        let minor = amount(amount_text, currency)?;
        let why = reason(why)?;
        let c = self.config();
        Ok(self
            .ledger()
            .move_cash(&c.terminal, c.training, kind, minor, &why, by, Utc::now())?)
    }

    /// Closes the open shift with the drawer's count (by `by`, a manager).
    pub fn close_shift(&self, count: &Count, by: &str) -> Result<ShiftReport, TillError> {
        let currency = self.shop_currency()?;
        let (counted_minor, counts) = match count {
            Count::Total(t) => (amount_or_zero(t, currency)?, None),
            Count::Denominations(c) => {
                // Kept by their exact value, so "0.5" and "0.50" are one denomination.
                let mut normal: BTreeMap<String, i64> = BTreeMap::new();
                for (face, n) in c {
                    // Each count on its own first: a negative one must not cancel another.
                    if !(0..=100_000).contains(n) {
                        return Err(TillError::BadInput(format!(
                            "{n} pieces of {face} is not a count"
                        )));
                    }
                    let minor = Fiat::parse(face, currency)?.minor;
                    let kept = normal
                        .entry(decimal_text(minor, currency.code()))
                        .or_default();
                    *kept = kept.saturating_add(*n);
                }
                normal.retain(|_, n| *n != 0);
                (count_total(&normal, currency)?, Some(normal))
            }
        };
        let c = self.config();
        let (shift, drawer) = self.ledger().close_shift(
            &c.terminal,
            c.training,
            &NewShiftClose {
                counted_minor,
                counts,
                by: by.to_owned(),
            },
            Utc::now(),
        )?;
        let moves = self.ledger().cash_moves(shift.id)?;
        Ok(ShiftReport {
            variance_minor: shift.variance_minor(),
            shift,
            drawer,
            moves,
        })
    }

    /// The report of the open shift, or of the last one when none is open.
    pub fn shift_report(&self) -> Result<Option<ShiftReport>, TillError> {
        let c = self.config();
        Ok(last_shift_report(&self.ledger(), &c.terminal, c.training)?)
    }
}

/// The report of `terminal`'s open shift in that book, or of its last one when none is open.
pub fn last_shift_report(
    ledger: &Ledger,
    terminal: &str,
    training: bool,
) -> Result<Option<ShiftReport>, LedgerError> {
    let Some(shift) = ledger.last_shift(terminal, training)? else {
        return Ok(None);
    };
    let drawer = ledger.drawer(&shift)?;
    let moves = ledger.cash_moves(shift.id)?;
    Ok(Some(ShiftReport {
        variance_minor: shift.variance_minor(),
        shift,
        drawer,
        moves,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawer_is_counted_in_a_one_two_five_series() {
        let eur = Currency::from_code("EUR").unwrap();
        let d = denominations(eur);
        assert_eq!(d.first().map(String::as_str), Some("500.00"));
        assert_eq!(d.last().map(String::as_str), Some("0.01"));
        assert!(d.contains(&"0.20".to_string()) && d.contains(&"50.00".to_string()));
        assert_eq!(
            denominations(Currency::from_code("JPY").unwrap())[0],
            "50000"
        );
        let counts: BTreeMap<String, i64> =
            [("20".into(), 3), ("0.50".into(), 4), ("0.05".into(), 1)].into();
        assert_eq!(count_total(&counts, eur).unwrap(), 6205);
        let bad: BTreeMap<String, i64> = [("0.001".into(), 1)].into();
        assert!(count_total(&bad, eur).is_err());
        let negative: BTreeMap<String, i64> = [("1".into(), -1)].into();
        assert!(count_total(&negative, eur).is_err());
    }
}
