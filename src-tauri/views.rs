//! What the web view is sent: plain data, generated into TypeScript by ts-rs. Money goes as
//! exact decimal text and integer millisatoshis; times as RFC 3339 UTC text.

use serde::{Deserialize, Serialize};
use till_core::{
    ledger::{time_text, JournalEntry, Sale, Tender},
    money::{
        bill::{Bill, BillView},
        decimal_text,
    },
    sale::SaleState,
};
use ts_rs::TS;

/// A sale as the cashier's screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleView {
    /// Receipt number on this terminal (well below 2^53, so a JS number).
    #[ts(type = "number")]
    pub receipt_no: i64,
    /// The receipt number as people read it: `12`, or `T3` for a training sale.
    pub label: String,
    /// Where it is in its life.
    pub status: SaleState,
    /// Fiat amount in major units (`12.50`).
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The invoice's amount in millisatoshis.
    #[ts(type = "number | null")]
    pub amount_msat: Option<u64>,
    /// The same in whole satoshis (rounded down, as a wallet shows it): what screens show.
    #[ts(type = "number | null")]
    pub sats: Option<u64>,
    /// Fiat per BTC charged.
    pub rate: Option<String>,
    /// The cashier's note.
    pub memo: String,
    /// The gateway's order id.
    pub order_id: Option<String>,
    /// The BOLT11 invoice.
    pub payment_request: Option<String>,
    /// The invoice's payment hash.
    pub payment_hash: Option<String>,
    /// The hosted checkout page.
    pub pay_url: Option<String>,
    /// Rung up at.
    pub created_at: String,
    /// Last changed at: the customer display shows a result until 15 s after it came, however
    /// late the display loaded.
    pub updated_at: String,
    /// When the gateway stops waiting for payment (the countdown's end).
    pub order_expires_at: Option<String>,
    /// Paid at.
    pub paid_at: Option<String>,
    /// Why it failed, in plain words.
    pub error: Option<String>,
    /// Paid short, accepted by the merchant.
    pub underpaid: bool,
    /// Partly paid, waiting for the rest.
    pub partial: bool,
    /// A demo (training) sale.
    pub training: bool,
    /// The receipt this one re-quotes.
    #[ts(type = "number | null")]
    pub replaces: Option<i64>,
    /// Why a manager must look at it, when one must.
    pub attention: Option<String>,
    /// What was sold (lines, discounts, tax per rate, tip), for the receipt.
    pub bill: Option<BillView>,
    /// How it was paid (or is being asked for).
    pub tender: Tender,
    /// Cash handed over, in major units (cash sales).
    pub tendered: Option<String>,
    /// Cash given back, in major units (cash sales): the paid screen shows it big.
    pub change: Option<String>,
    /// Who rang it up.
    pub cashier: String,
    /// Who approved a discount on it, when one needed approving.
    pub approved_by: Option<String>,
}

impl From<&Sale> for SaleView {
    fn from(s: &Sale) -> Self {
        Self {
            receipt_no: s.receipt_no,
            label: s.label(),
            status: s.state,
            amount: s
                .fiat()
                .map(|f| f.to_decimal().to_string())
                .unwrap_or_else(|_| s.amount_minor.to_string()),
            currency: s.currency.clone(),
            amount_msat: s.amount_msat,
            sats: s.amount_msat.map(|m| till_core::money::Msat(m).sats()),
            rate: s.rate.clone(),
            memo: s.memo.clone(),
            order_id: s.order_id.clone(),
            payment_request: s.payment_request.clone(),
            payment_hash: s.payment_hash.clone(),
            pay_url: s.pay_url.clone(),
            created_at: time_text(s.created_at),
            updated_at: time_text(s.updated_at),
            order_expires_at: s.order_expires_at.map(time_text),
            paid_at: s.paid_at.map(time_text),
            error: s.error.clone(),
            underpaid: s.underpaid,
            partial: s.partial,
            training: s.training,
            replaces: s.replaces,
            attention: s.attention.clone(),
            bill: s.bill.as_ref().map(Bill::view),
            tender: s.tender(),
            tendered: s.cash.map(|c| decimal_text(c.tendered_minor, &s.currency)),
            change: s.cash.map(|c| decimal_text(c.change_minor, &s.currency)),
            cashier: s.cashier.clone(),
            approved_by: s.approved_by.clone(),
        }
    }
}

/// A sale changed (the `sale-updated` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleUpdated {
    /// The sale now.
    pub sale: SaleView,
    /// Its status before.
    pub previous: SaleState,
    /// It was timed out or cancelled and has just been paid: alert the cashier.
    pub paid_late: bool,
}

impl From<&till_core::till::SaleUpdate> for SaleUpdated {
    fn from(u: &till_core::till::SaleUpdate) -> Self {
        Self {
            sale: SaleView::from(&u.sale),
            previous: u.previous,
            paid_late: u.is_paid_late(),
        }
    }
}

/// One line of a sale's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineEntry {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// What happened, in English words (the screen says it in its language, by `kind`).
    pub what: String,
    /// What happened, as the journal names it (`created`, `status`, `refund`...).
    pub kind: String,
    /// Details as JSON text.
    pub detail: String,
}

impl From<&JournalEntry> for TimelineEntry {
    fn from(e: &JournalEntry) -> Self {
        let what = match e.kind.as_str() {
            "created" => "Rung up",
            "order_created" => "Invoice created and checked",
            "invoice_refused" => "Invoice refused (no QR shown)",
            "create_failed" => "Gateway refused the order",
            "create_uncertain" => "Gateway's answer lost; checking",
            "reconciled" => "Order found at the gateway",
            "no_order_found" => "No order at the gateway",
            "status" => {
                let status = serde_json::from_str::<serde_json::Value>(&e.detail)
                    .ok()
                    .and_then(|v| v["status"].as_str().map(str::to_owned))
                    .unwrap_or_default();
                return Self {
                    at: e.at.clone(),
                    what: format!("Gateway says {status}"),
                    kind: e.kind.clone(),
                    detail: e.detail.clone(),
                };
            }
            "cancelled" => "Cancelled by the cashier",
            "alert_acknowledged" => "Late payment acknowledged",
            "order_id_reused" => "Gateway answered with another sale's order (no QR shown)",
            "gateway_anomaly" => "Gateway said something impossible: a manager must look",
            "reconcile_unproven" => "Order not proven: check the Aurpay dashboard",
            "settled_found" => "Settled by a manager: order found on the dashboard",
            "settled_void" => "Voided by a manager",
            "demo_gateway_gone" => "Demo gateway gone: void",
            "refund" => "Refund recorded",
            "refund_state" => "Refund payment updated",
            other => other,
        };
        Self {
            at: e.at.clone(),
            what: what.into(),
            kind: e.kind.clone(),
            detail: e.detail.clone(),
        }
    }
}

/// A sale with its timeline (the history's detail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleDetail {
    /// The sale.
    pub sale: SaleView,
    /// What happened to it, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

/// An item on the selling screen and in the owner's catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemView {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// Stock code.
    pub sku: Option<String>,
    /// Name.
    pub name: String,
    /// Category.
    pub category: Option<String>,
    /// Shelf price in major units (`3.50`).
    pub price: String,
    /// Tax rate in percent (`8.375`).
    pub tax_rate: String,
    /// The price includes the tax.
    pub tax_included: bool,
    /// Barcode.
    pub barcode: Option<String>,
    /// Short label for its button.
    pub label: Option<String>,
    /// Button colour (`#rrggbb`).
    pub colour: Option<String>,
    /// For sale.
    pub active: bool,
}

impl ItemView {
    /// An item with its price in `currency`.
    pub fn new(i: &till_core::ledger::Item, currency: &str) -> Self {
        Self {
            id: i.id,
            sku: i.sku.clone(),
            name: i.name.clone(),
            category: i.category.clone(),
            price: till_core::money::decimal_text(i.price_minor, currency),
            tax_rate: i.tax_rate.tax.rate.value().to_string(),
            tax_included: i.tax_rate.tax.included,
            barcode: i.barcode.clone(),
            label: i.label.clone(),
            colour: i.colour.clone(),
            active: i.active,
        }
    }
}

/// A category tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CategoryView {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// Name.
    pub name: String,
    /// Active items in it.
    #[ts(type = "number")]
    pub items: i64,
}

/// A tip the customer can choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TipChoice {
    /// The percentage (`15`).
    pub percent: String,
    /// What it comes to on this cart (`1.70`).
    pub amount: String,
}

/// The tip screen: the cart's total before a tip, and the choices (none: tips are off).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TipOffer {
    /// The total before the tip.
    pub total: String,
    /// The shop's currency.
    pub currency: String,
    /// The percentages offered.
    pub choices: Vec<TipChoice>,
}
