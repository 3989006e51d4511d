//! The bill: what a cart costs, line by line, worked out once, here, with exact decimals. The UI
//! and the `till` command show what this module computes and never add money up themselves.
//!
//! The rules (written out in the README too):
//! - A line's amount is its unit price times its quantity, in the currency's minor units. Prices
//!   are as the shelf shows them: including the line's tax rate, or before it (tax added).
//! - A line discount (a percentage or an amount) comes off its line. Every figure that is not a
//!   whole number of minor units is rounded half away from zero.
//! - An order discount (a percentage of, or an amount off, what the lines come to after their own
//!   discounts) is spread over the lines in proportion to their amounts, before tax, because tax
//!   is due on what the customer pays. The rounding remainder goes to the largest line, so the
//!   discount shown is exactly the one given.
//! - Tax per line on what is left: included, `tax = gross × r / (100 + r)`; added,
//!   `tax = net × r / 100`. The table per rate adds the lines up.
//! - A tip (a percentage of the total after discounts and tax, or an amount) comes last. It is
//!   untaxed unless the shop taxes tips: then it includes tax at the rate the shop chose.
//! - `total = subtotal − discount + tax added on top + tip`, exactly, always.
//!
//! Refunds take lines back ([`Bill::refund`]): a part of a line returns its share of the line's
//! amount and tax, and the last units of a line return whatever of it is left, so refunding
//! everything returns the sale to zero to the cent.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::{Currency, Fiat, MoneyError, MAX_MAJOR_UNITS};

pub mod tally;
mod view;
pub use view::{adjustment_text, BillView, LineView, RefundLineView, RefundView, TaxView};

/// The most of one item on one line: more is a typing accident.
pub const MAX_QUANTITY: i64 = 9_999;

/// Why a bill cannot be made. Each message says what is wrong in the cashier's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillError {
    /// An amount or a currency was refused.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A percentage that is not a number from 0 to 100.
    #[error("\"{0}\" is not a percentage from 0 to 100 (type it as 10 or 8.375)")]
    Percent(String),
    /// A tax rate setting that cannot be read.
    #[error("\"{0}\" is not a tax rate (write it as 21% included, 8.375% added or none)")]
    TaxRate(String),
    /// A quantity below one or above [`MAX_QUANTITY`].
    #[error("the quantity of {item} must be a whole number from 1 to 9999, not {quantity}")]
    Quantity {
        /// The item.
        item: String,
        /// What was asked.
        quantity: String,
    },
    /// A discount larger than what it comes off.
    #[error("a discount of {discount} is more than the {what} ({amount})")]
    DiscountTooLarge {
        /// The discount.
        discount: String,
        /// What it would come off.
        what: &'static str,
        /// That amount.
        amount: String,
    },
    /// Nothing to sell.
    #[error("the cart is empty")]
    Empty,
    /// Everything is discounted away: Lightning cannot charge nothing.
    #[error("the total is zero: there is nothing to charge")]
    NothingToCharge,
    /// The total is beyond what one sale may be.
    #[error("the total ({0}) is too large for one sale")]
    TooLarge(String),
    /// A refund picks a line the sale does not have, or more of it than is left.
    #[error("{0}")]
    Refund(String),
}

/// A percentage as an exact decimal from 0 to 100 (`21`, `8.375`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Percent(Decimal);

impl Percent {
    /// Reads `21`, `8.375` or `21%`. Refuses signs, commas, more than four decimals and anything
    /// outside 0 to 100.
    pub fn parse(text: &str) -> Result<Self, BillError> {
        let t = text.trim();
        let number = t.strip_suffix('%').unwrap_or(t).trim();
        let ok = !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit() || c == '.')
            && number.matches('.').count() <= 1
            && number != ".";
        let d = ok
            .then(|| number.parse::<Decimal>().ok())
            .flatten()
            .filter(|d| d.normalize().scale() <= 4)
            .ok_or_else(|| BillError::Percent(t.to_owned()))?;
        Self::try_from(d).map_err(|_| BillError::Percent(t.to_owned()))
    }

    /// The exact value (`8.375`).
    pub fn value(self) -> Decimal {
        self.0
    }

    /// Zero: no tax.
    pub const ZERO: Self = Self(Decimal::ZERO);
}

impl TryFrom<Decimal> for Percent {
    type Error = BillError;
    fn try_from(d: Decimal) -> Result<Self, BillError> {
        if d.is_sign_negative() && !d.is_zero() || d > Decimal::ONE_HUNDRED {
            return Err(BillError::Percent(d.to_string()));
        }
        Ok(Self(d.normalize()))
    }
}

impl From<Percent> for Decimal {
    fn from(p: Percent) -> Decimal {
        p.0
    }
}

impl std::fmt::Display for Percent {
    /// `21%`, `8.375%`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}%", self.0)
    }
}

/// A tax rate as it prices: the percentage, and whether the shelf price already includes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tax {
    /// The rate.
    pub rate: Percent,
    /// The price includes the tax (Europe); otherwise it is added on top (most of the US).
    pub included: bool,
}

impl Tax {
    /// No tax at all.
    pub const NONE: Self = Self {
        rate: Percent::ZERO,
        included: true,
    };

    /// Reads a rate as settings write it: `21% included`, `8.375 added`; `none` or nothing is
    /// no tax.
    pub fn parse(text: &str) -> Result<Self, BillError> {
        let t = text.trim().to_ascii_lowercase();
        if t.is_empty() || t == "none" {
            return Ok(Self::NONE);
        }
        let bad = || BillError::TaxRate(text.trim().chars().take(40).collect());
        let (rate, how) = t.rsplit_once(' ').ok_or_else(bad)?;
        let included = match how {
            "included" => true,
            "added" => false,
            _ => return Err(bad()),
        };
        Ok(Self {
            rate: Percent::parse(rate).map_err(|_| bad())?,
            included,
        })
    }
}

impl std::fmt::Display for Tax {
    /// `21% included`, `8.375% added`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = if self.included { "included" } else { "added" };
        write!(f, "{} {how}", self.rate)
    }
}

/// A discount or a tip: a percentage, or an amount in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Adjustment {
    /// A percentage (0 to 100).
    Percent(Percent),
    /// An amount, in minor units.
    Amount(i64),
}

impl Adjustment {
    /// Reads `10%` as a percentage and `1.50` as an amount in `currency`.
    pub fn parse(text: &str, currency: Currency) -> Result<Self, BillError> {
        let t = text.trim();
        if t.ends_with('%') {
            return Ok(Self::Percent(Percent::parse(t)?));
        }
        match Fiat::parse(t, currency) {
            Ok(f) => Ok(Self::Amount(f.minor)),
            Err(MoneyError::Zero) => Ok(Self::Amount(0)),
            Err(e) => Err(e.into()),
        }
    }

    /// How much this is of `base` (minor units), rounded half away from zero.
    fn of(self, base: i64) -> i64 {
        match self {
            Self::Percent(p) => round_minor(Decimal::from(base) * p.0 / Decimal::ONE_HUNDRED),
            Self::Amount(a) => a,
        }
    }
}

/// What the cart holds on one line, as the bill is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    /// What is sold (the item's name, or "Custom amount").
    pub name: String,
    /// The item's SKU, when it has one.
    pub sku: Option<String>,
    /// Its category's name, for the report by category.
    pub category: Option<String>,
    /// The unit price in minor units, as the shelf shows it.
    pub unit: i64,
    /// How many.
    pub quantity: i64,
    /// Its tax rate.
    pub tax: Tax,
    /// A discount on this line.
    pub discount: Option<Adjustment>,
}

/// A whole order, as the bill is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// The shop's currency.
    pub currency: Currency,
    /// The lines, in the cart's order.
    pub lines: Vec<LineInput>,
    /// A discount on the whole order.
    pub discount: Option<Adjustment>,
    /// The tip.
    pub tip: Option<Adjustment>,
    /// The tax a tip includes, when the shop taxes tips.
    pub tip_tax: Option<Tax>,
}

/// One line of a bill, every figure in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillLine {
    /// What was sold.
    pub name: String,
    /// Its SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// Its category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// How many.
    pub quantity: i64,
    /// The unit price as the shelf shows it.
    pub unit: i64,
    /// The line's tax rate.
    pub tax_rate: Tax,
    /// Unit price times quantity.
    pub amount: i64,
    /// The line's own discount.
    pub line_discount: i64,
    /// Its share of the order discount.
    pub order_discount: i64,
    /// What it comes to before tax.
    pub net: i64,
    /// The tax on it.
    pub tax: i64,
    /// What the customer pays for it.
    pub gross: i64,
}

impl BillLine {
    /// Both discounts on this line.
    pub fn discount(&self) -> i64 {
        self.line_discount + self.order_discount
    }
}

/// The tax of one rate, added over the lines (and a taxed tip).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRow {
    /// The rate.
    pub rate: Tax,
    /// Before tax.
    pub net: i64,
    /// The tax.
    pub tax: i64,
    /// Net plus tax.
    pub gross: i64,
}

/// A priced order: what the receipt, the reports and the exports show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bill {
    /// ISO 4217 code.
    pub currency: String,
    /// The lines.
    pub lines: Vec<BillLine>,
    /// The lines' amounts before any discount.
    pub subtotal: i64,
    /// The order discount as given (`10%`, or an amount), for the receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_discount: Option<Adjustment>,
    /// Every discount, line and order.
    pub discount: i64,
    /// Tax per rate, ordered by rate.
    pub taxes: Vec<TaxRow>,
    /// All tax (included and added).
    pub tax: i64,
    /// The tip.
    pub tip: i64,
    /// The tip as chosen (`15%`, or an amount), for the receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tip_choice: Option<Adjustment>,
    /// The rate a taxed tip includes (none: the tip is untaxed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tip_tax_rate: Option<Tax>,
    /// The tax in the tip.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tip_tax: i64,
    /// What the customer pays: the Lightning order's price.
    pub total: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// Rounds an exact amount of minor units half away from zero.
fn round_minor(d: Decimal) -> i64 {
    i64::try_from(d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .unwrap_or(i64::MAX)
}

/// The tax in an amount (included) or on it (added).
fn tax_of(amount: i64, tax: Tax) -> i64 {
    let a = Decimal::from(amount);
    let r = tax.rate.0;
    if tax.included {
        round_minor(a * r / (Decimal::ONE_HUNDRED + r))
    } else {
        round_minor(a * r / Decimal::ONE_HUNDRED)
    }
}

fn text(minor: i64, currency: Currency) -> String {
    Fiat { minor, currency }.to_string()
}

/// A discount from nothing up to what it comes off (`what`, `amount`), or why not.
fn within(discount: i64, amount: i64, what: &'static str, cur: Currency) -> Result<(), BillError> {
    if discount < 0 || discount > amount {
        return Err(BillError::DiscountTooLarge {
            discount: text(discount, cur),
            what,
            amount: text(amount, cur),
        });
    }
    Ok(())
}

/// The largest total one sale may come to.
fn max_minor(currency: Currency) -> i64 {
    (MAX_MAJOR_UNITS as i64 + 1) * 10i64.pow(currency.exponent()) - 1
}

impl Order {
    /// Prices the order by the rules above. Refuses an empty cart, bad quantities, discounts
    /// above what they come off, and a total of zero or beyond one sale.
    pub fn bill(&self) -> Result<Bill, BillError> {
        let cur = self.currency;
        if self.lines.is_empty() {
            return Err(BillError::Empty);
        }
        let max = max_minor(cur);
        let mut lines = Vec::with_capacity(self.lines.len());
        for l in &self.lines {
            if !(1..=MAX_QUANTITY).contains(&l.quantity) {
                return Err(BillError::Quantity {
                    item: l.name.clone(),
                    quantity: l.quantity.to_string(),
                });
            }
            if l.unit < 0 || l.unit > max {
                return Err(BillError::TooLarge(text(l.unit, cur)));
            }
            let amount = l
                .unit
                .checked_mul(l.quantity)
                .filter(|a| *a <= max)
                .ok_or_else(|| BillError::TooLarge(text(l.unit.saturating_mul(l.quantity), cur)))?;
            let line_discount = l.discount.map_or(0, |d| d.of(amount));
            within(line_discount, amount, "line", cur)?;
            lines.push(BillLine {
                name: l.name.clone(),
                sku: l.sku.clone(),
                category: l.category.clone(),
                quantity: l.quantity,
                unit: l.unit,
                tax_rate: l.tax,
                amount,
                line_discount,
                order_discount: 0,
                net: 0,
                tax: 0,
                gross: 0,
            });
        }
        let base: i64 = lines.iter().map(|l| l.amount - l.line_discount).sum();
        let order_discount = self.discount.map_or(0, |d| d.of(base));
        within(order_discount, base, "subtotal after line discounts", cur)?;
        spread(&mut lines, order_discount, base);
        let mut taxes: Vec<TaxRow> = Vec::new();
        for l in &mut lines {
            let pays = l.amount - l.line_discount - l.order_discount;
            l.tax = tax_of(pays, l.tax_rate);
            (l.net, l.gross) = if l.tax_rate.included {
                (pays - l.tax, pays)
            } else {
                (pays, pays + l.tax)
            };
            add_row(&mut taxes, l.tax_rate, l.net, l.tax);
        }
        let goods: i64 = lines.iter().map(|l| l.gross).sum();
        let tip = self.tip.map_or(0, |t| t.of(goods));
        if tip < 0 {
            return Err(BillError::TooLarge(text(tip, cur)));
        }
        let tip_tax_rate = self.tip_tax.filter(|_| tip > 0).map(|rate| Tax {
            included: true,
            ..rate
        });
        let tip_tax = tip_tax_rate.map_or(0, |rate| tax_of(tip, rate));
        if let Some(rate) = tip_tax_rate {
            add_row(&mut taxes, rate, tip - tip_tax, tip_tax);
        }
        taxes.sort_by_key(|a| a.rate);
        let total = goods + tip;
        if total > max {
            return Err(BillError::TooLarge(text(total, cur)));
        }
        if total == 0 {
            return Err(BillError::NothingToCharge);
        }
        Ok(Bill {
            currency: cur.code().to_owned(),
            subtotal: lines.iter().map(|l| l.amount).sum(),
            discount: lines.iter().map(BillLine::discount).sum(),
            tax: taxes.iter().map(|r| r.tax).sum(),
            order_discount: self.discount,
            tip_choice: self.tip,
            tip_tax_rate,
            tip_tax,
            lines,
            taxes,
            tip,
            total,
        })
    }
}

/// Spreads `discount` over the lines in proportion to what each comes to after its own
/// discount (`base` in all). Each line first gets its exact share rounded down; the cents left
/// over go one at a time to the lines whose share lost most to rounding (the larger line first
/// on a tie). So the shares add up to the discount exactly, and no line gets more off than its
/// exact share rounded up, which is never more than the line itself: rounding each share and
/// putting the whole remainder on the largest line can push that line below zero (0.03 over
/// five lines of 1.00 rounds to 0.05, a surcharge of 0.02 on the first).
fn spread(lines: &mut [BillLine], discount: i64, base: i64) {
    if discount == 0 || base == 0 {
        return;
    }
    let mut given = 0;
    let mut lost: Vec<(i128, i64, usize)> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter_mut().enumerate() {
        let amount = l.amount - l.line_discount;
        // In i128: a discount and a line of a sale's maximum multiply past i64.
        let exact = i128::from(discount) * i128::from(amount);
        let share = exact / i128::from(base);
        l.order_discount = i64::try_from(share).unwrap_or(0);
        given += l.order_discount;
        lost.push((exact % i128::from(base), amount, i));
    }
    // Most lost to rounding first, then the larger line, then the earlier.
    lost.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let left = usize::try_from(discount - given).unwrap_or(0);
    for &(_, _, i) in lost.iter().take(left) {
        lines[i].order_discount += 1;
    }
}

fn add_row(rows: &mut Vec<TaxRow>, rate: Tax, net: i64, tax: i64) {
    match rows.iter_mut().find(|r| r.rate == rate) {
        Some(r) => {
            r.net += net;
            r.tax += tax;
            r.gross += net + tax;
        }
        None => rows.push(TaxRow {
            rate,
            net,
            tax,
            gross: net + tax,
        }),
    }
}

/// Some units of one line of a sale, taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Pick {
    /// The line's position in the bill, from 0.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: usize,
    /// How many of it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub quantity: i64,
}

/// One line of a refund: what of a sale's line goes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundLine {
    /// The sale's line, from 0.
    pub line: usize,
    /// Its name, for the refund's receipt.
    pub name: String,
    /// How many units go back.
    pub quantity: i64,
    /// The rate its tax is reversed at.
    pub tax_rate: Tax,
    /// Net returned.
    pub net: i64,
    /// Tax reversed.
    pub tax: i64,
    /// What the customer gets back for it.
    pub gross: i64,
}

/// An itemized refund, priced from the sale's bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundBill {
    /// The lines taken back.
    pub lines: Vec<RefundLine>,
    /// The tip given back.
    pub tip: i64,
    /// Tax reversed per rate.
    pub taxes: Vec<TaxRow>,
    /// What goes back in all.
    pub total: i64,
}

impl Bill {
    /// The order discount alone (the lines' own discounts are on their lines).
    pub fn order_discount_total(&self) -> i64 {
        self.lines.iter().map(|l| l.order_discount).sum()
    }

    /// Prices taking back `picks` (and the tip, if `with_tip`), given what earlier refunds of
    /// this sale took back. A part of a line returns its share of the line, rounded half away
    /// from zero; the last units of a line return what is left of it, so refunding everything
    /// returns exactly what was paid, tax per rate included.
    pub fn refund(
        &self,
        earlier: &[RefundBill],
        picks: &[Pick],
        with_tip: bool,
    ) -> Result<RefundBill, BillError> {
        let mut lines = Vec::new();
        let mut taxes = Vec::new();
        for (n, p) in picks.iter().enumerate() {
            let line = self
                .lines
                .get(p.line)
                .ok_or_else(|| BillError::Refund(format!("the sale has no line {}", p.line + 1)))?;
            if picks[..n].iter().any(|q| q.line == p.line) {
                return Err(BillError::Refund(format!(
                    "line {} ({}) is picked twice",
                    p.line + 1,
                    line.name
                )));
            }
            let back = earlier
                .iter()
                .flat_map(|r| &r.lines)
                .filter(|r| r.line == p.line);
            let (mut qty, mut gross, mut tax, mut net) = (0, 0, 0, 0);
            for r in back {
                qty += r.quantity;
                gross += r.gross;
                tax += r.tax;
                net += r.net;
            }
            let left = line.quantity - qty;
            if p.quantity < 1 || p.quantity > left {
                return Err(BillError::Refund(format!(
                    "{} of {} can be given back, not {}",
                    left, line.name, p.quantity
                )));
            }
            // Prorated on the units given back so far and now, less what went back before: each
            // refund is the growth of a rounded share that never shrinks, so none is negative,
            // none returns more than its line, and the last units return exactly the rest. The
            // tax is kept between what leaves the net and the tax both within what is left (a
            // tax share rounding up where the gross share rounded down would otherwise make a
            // refund's net negative).
            let upto = |x: i64| {
                round_minor(
                    Decimal::from(x) * Decimal::from(qty + p.quantity)
                        / Decimal::from(line.quantity),
                )
            };
            let r_gross = upto(line.gross) - gross;
            let lowest = (r_gross - (line.net - net)).max(0);
            let highest = r_gross.min(line.tax - tax);
            let r_tax = (upto(line.tax) - tax).clamp(lowest, highest.max(lowest));
            let r_net = r_gross - r_tax;
            add_row(&mut taxes, line.tax_rate, r_net, r_tax);
            lines.push(RefundLine {
                line: p.line,
                name: line.name.clone(),
                quantity: p.quantity,
                tax_rate: line.tax_rate,
                net: r_net,
                tax: r_tax,
                gross: r_net + r_tax,
            });
        }
        let tip = if with_tip {
            let given: i64 = earlier.iter().map(|r| r.tip).sum();
            if given > 0 || self.tip == 0 {
                return Err(BillError::Refund(
                    "there is no tip left to give back".into(),
                ));
            }
            if let Some(rate) = self.tip_tax_rate {
                add_row(&mut taxes, rate, self.tip - self.tip_tax, self.tip_tax);
            }
            self.tip - given
        } else {
            0
        };
        if lines.is_empty() && tip == 0 {
            return Err(BillError::Refund(
                "pick at least one line to give back".into(),
            ));
        }
        taxes.sort_by_key(|a| a.rate);
        Ok(RefundBill {
            total: lines.iter().map(|l| l.gross).sum::<i64>() + tip,
            lines,
            tip,
            taxes,
        })
    }
}

#[cfg(test)]
mod tests;
