//! A bill as people and scripts read it: every amount an exact decimal string in major units
//! (`3.50`), every rate a decimal percentage (`8.375`). The UI shows these strings and the
//! `till` command prints them; neither adds money up.

use serde::{Deserialize, Serialize};

use super::{Adjustment, Bill, RefundBill, TaxRow};
use crate::money::decimal_text;

/// One line of a bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LineView {
    /// What was sold.
    pub name: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Its category.
    pub category: Option<String>,
    /// How many.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub quantity: i64,
    /// Unit price.
    pub unit: String,
    /// Unit price × quantity.
    pub amount: String,
    /// Its discounts (its own and its share of the order's).
    pub discount: String,
    /// Its own discount.
    pub line_discount: String,
    /// Before tax.
    pub net: String,
    /// Tax.
    pub tax: String,
    /// What the customer pays for it.
    pub gross: String,
    /// Its tax rate, in percent.
    pub tax_rate: String,
    /// The price includes the tax.
    pub tax_included: bool,
}

/// Tax of one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TaxView {
    /// The rate, in percent (`8.375`).
    pub rate: String,
    /// Prices include it.
    pub included: bool,
    /// Before tax.
    pub net: String,
    /// The tax.
    pub tax: String,
    /// Net plus tax.
    pub gross: String,
}

/// A whole bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BillView {
    /// ISO 4217 code.
    pub currency: String,
    /// The lines.
    pub lines: Vec<LineView>,
    /// Before any discount.
    pub subtotal: String,
    /// Every discount.
    pub discount: String,
    /// The order discount as given (`10%`, `1.50`).
    pub order_discount: Option<String>,
    /// What the order discount came to (the lines' own discounts are on their lines).
    pub order_discount_amount: String,
    /// Tax per rate.
    pub tax: Vec<TaxView>,
    /// All tax.
    pub tax_total: String,
    /// The tip.
    pub tip: String,
    /// The tip as chosen (`15%`, `2.00`).
    pub tip_choice: Option<String>,
    /// What the customer pays.
    pub total: String,
}

/// A discount or tip as given: `10%` or `1.50`.
pub fn adjustment_text(a: Adjustment, currency: &str) -> String {
    match a {
        Adjustment::Percent(p) => p.to_string(),
        Adjustment::Amount(m) => decimal_text(m, currency),
    }
}

fn tax_views(rows: &[TaxRow], currency: &str) -> Vec<TaxView> {
    rows.iter()
        .map(|r| TaxView {
            rate: r.rate.rate.value().to_string(),
            included: r.rate.included,
            net: decimal_text(r.net, currency),
            tax: decimal_text(r.tax, currency),
            gross: decimal_text(r.gross, currency),
        })
        .collect()
}

impl Bill {
    /// The bill in exact decimal strings.
    pub fn view(&self) -> BillView {
        let c = self.currency.as_str();
        let t = |m: i64| decimal_text(m, c);
        BillView {
            currency: self.currency.clone(),
            lines: self
                .lines
                .iter()
                .map(|l| LineView {
                    name: l.name.clone(),
                    sku: l.sku.clone(),
                    category: l.category.clone(),
                    quantity: l.quantity,
                    unit: t(l.unit),
                    amount: t(l.amount),
                    discount: t(l.discount()),
                    line_discount: t(l.line_discount),
                    net: t(l.net),
                    tax: t(l.tax),
                    gross: t(l.gross),
                    tax_rate: l.tax_rate.rate.value().to_string(),
                    tax_included: l.tax_rate.included,
                })
                .collect(),
            subtotal: t(self.subtotal),
            discount: t(self.discount),
            order_discount: self.order_discount.map(|a| adjustment_text(a, c)),
            order_discount_amount: t(self.order_discount_total()),
            tax: tax_views(&self.taxes, c),
            tax_total: t(self.tax),
            tip: t(self.tip),
            tip_choice: self.tip_choice.map(|a| adjustment_text(a, c)),
            total: t(self.total),
        }
    }
}

/// A line taken back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RefundLineView {
    /// The sale's line, from 0.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: usize,
    /// What it was.
    pub name: String,
    /// How many go back.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub quantity: i64,
    /// What goes back for them.
    pub gross: String,
}

/// An itemized refund, in exact decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RefundView {
    /// The lines taken back.
    pub lines: Vec<RefundLineView>,
    /// Tip given back.
    pub tip: String,
    /// Tax reversed per rate.
    pub tax: Vec<TaxView>,
    /// In all.
    pub total: String,
}

impl RefundBill {
    /// The refund in exact decimal strings of `currency`.
    pub fn view(&self, currency: &str) -> RefundView {
        RefundView {
            lines: self
                .lines
                .iter()
                .map(|l| RefundLineView {
                    line: l.line,
                    name: l.name.clone(),
                    quantity: l.quantity,
                    gross: decimal_text(l.gross, currency),
                })
                .collect(),
            tip: decimal_text(self.tip, currency),
            tax: tax_views(&self.taxes, currency),
            total: decimal_text(self.total, currency),
        }
    }
}
