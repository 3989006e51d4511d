//! Bills added up for a report: by item, by category, by tax rate, with the discounts and tips,
//! per currency. What was received without a bill (sales rung up before the catalog) is kept
//! apart, so every section still reconciles to the money received.

use std::collections::BTreeMap;

use super::{Bill, RefundBill, Tax};

/// Quantity and money of one item or category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sold {
    /// Units.
    pub quantity: i64,
    /// What the customers paid for them (after discounts, with tax).
    pub gross: i64,
}

/// Net and tax of one rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Taxed {
    /// Before tax.
    pub net: i64,
    /// The tax.
    pub tax: i64,
}

/// Bills added up, each key starting with the currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillTally {
    /// By (currency, category, item name, SKU).
    pub items: BTreeMap<(String, String, String, String), Sold>,
    /// By (currency, category).
    pub categories: BTreeMap<(String, String), Sold>,
    /// By (currency, rate).
    pub taxes: BTreeMap<(String, Tax), Taxed>,
    /// Discounts given, by currency.
    pub discounts: BTreeMap<String, i64>,
    /// Tips, by currency.
    pub tips: BTreeMap<String, i64>,
    /// Received without a bill, by currency.
    pub unitemized: BTreeMap<String, i64>,
    /// Whether any bill was added (a period of older sales only has no sections).
    pub itemized: bool,
    /// Tax given back by itemized refunds, by (currency, rate).
    pub refunded_taxes: BTreeMap<(String, Tax), Taxed>,
}

impl BillTally {
    /// Adds one document's money: its bill, or without one its amount as unitemized.
    pub fn add(&mut self, currency: &str, amount_minor: i64, bill: Option<&Bill>) {
        let Some(b) = bill else {
            *self.unitemized.entry(currency.to_owned()).or_default() += amount_minor;
            return;
        };
        self.itemized = true;
        let c = b.currency.clone();
        for l in &b.lines {
            let category = l.category.clone().unwrap_or_default();
            let item = self
                .items
                .entry((
                    c.clone(),
                    category.clone(),
                    l.name.clone(),
                    l.sku.clone().unwrap_or_default(),
                ))
                .or_default();
            item.quantity += l.quantity;
            item.gross += l.gross;
            let cat = self.categories.entry((c.clone(), category)).or_default();
            cat.quantity += l.quantity;
            cat.gross += l.gross;
        }
        for r in &b.taxes {
            let t = self.taxes.entry((c.clone(), r.rate)).or_default();
            t.net += r.net;
            t.tax += r.tax;
        }
        *self.discounts.entry(c.clone()).or_default() += b.discount;
        *self.tips.entry(c).or_default() += b.tip;
    }

    /// Adds an itemized refund's tax per rate, given back.
    pub fn refund(&mut self, currency: &str, refund: &RefundBill) {
        for r in &refund.taxes {
            let t = self
                .refunded_taxes
                .entry((currency.to_owned(), r.rate))
                .or_default();
            t.net += r.net;
            t.tax += r.tax;
        }
    }
}
