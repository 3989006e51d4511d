//! The one place a report's figures are computed: documents added up per status and currency,
//! in fiat and in sats, by [`totals`] (at closing from the ledger's rows, and by `crate::verify`
//! from the journal).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    ledger::{Period, Refund, RefundMethod, Sale, Tender},
    money::{
        bill::{
            tally::{BillTally, Taxed},
            Bill, RefundBill, Tax,
        },
        decimal_text as decimal, net_minor, Msat, Tally,
    },
    sale::SaleState,
};

/// One line: the documents of one status in one currency. Read back (a sealed Z's report) it
/// takes its sats from its millisatoshis, never from the text: Z reports sealed before sats were
/// printed have none, and the figure is derived, not a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Line {
    /// The status.
    pub status: String,
    /// The currency.
    pub currency: String,
    /// How many.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
    /// Their fiat total, in major units (`123.45`).
    pub amount: String,
    /// Their invoices' total, in millisatoshis (sales that got an invoice).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub msat: u64,
    /// The same in whole satoshis (rounded down): what screens and paper show.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sats: u64,
}

/// A [`Line`] as stored, without its derived sats.
#[derive(Deserialize)]
struct LineRecord {
    status: String,
    currency: String,
    count: u64,
    amount: String,
    msat: u64,
}

impl<'de> Deserialize<'de> for Line {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        LineRecord::deserialize(d).map(Self::from)
    }
}

impl From<LineRecord> for Line {
    fn from(r: LineRecord) -> Self {
        Self {
            status: r.status,
            currency: r.currency,
            count: r.count,
            amount: r.amount,
            msat: r.msat,
            sats: Msat(r.msat).sats(),
        }
    }
}

/// A sale sealed unpaid by an earlier Z and paid since: its money arrives in this period. Its
/// sats are derived when read back, as a [`Line`]'s are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LateLine {
    /// The receipt.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub receipt_no: i64,
    /// The Z that sealed it unpaid.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub from_z: i64,
    /// Its amount, in major units.
    pub amount: String,
    /// Its currency.
    pub currency: String,
    /// Its invoice, in millisatoshis.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub msat: u64,
    /// The same in whole satoshis (rounded down).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sats: u64,
}

/// A [`LateLine`] as stored, without its derived sats.
#[derive(Deserialize)]
struct LateLineRecord {
    receipt_no: i64,
    from_z: i64,
    amount: String,
    currency: String,
    msat: u64,
}

impl<'de> Deserialize<'de> for LateLine {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        LateLineRecord::deserialize(d).map(Self::from)
    }
}

impl From<LateLineRecord> for LateLine {
    fn from(r: LateLineRecord) -> Self {
        Self {
            receipt_no: r.receipt_no,
            from_z: r.from_z,
            amount: r.amount,
            currency: r.currency,
            msat: r.msat,
            sats: Msat(r.msat).sats(),
        }
    }
}

/// The figures of a report: what `verify` re-adds for every sealed Z.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Totals {
    /// One line per status and currency of the sales.
    pub lines: Vec<Line>,
    /// Money received (sales paid, and late payments), per currency.
    pub received: Vec<Line>,
    /// Money given back (refund documents), per currency.
    #[serde(default)]
    pub refunds: Vec<Line>,
    /// Received minus refunded, per currency.
    #[serde(default)]
    pub net: Vec<Line>,
    /// Late payments of sales sealed earlier.
    #[serde(default)]
    pub late_payments: Vec<LateLine>,
    /// Receipts of this period paid after they had timed out or been cancelled.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub paid_late: Vec<i64>,
    /// Receipts paid short and accepted by the merchant.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub underpaid: Vec<i64>,
    /// Sales still waiting for the gateway.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub open: Vec<i64>,
    /// Documents counted: sales, refunds and late payments.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub documents: u64,
    /// What the money received was for: by item, by category, by tax rate, with discounts and
    /// tips (empty for a period of sales rung up before the catalog).
    #[serde(default, skip_serializing_if = "Sections::is_empty")]
    pub sold: Sections,
    /// Money received and given back per tender (none in a Z sealed before tenders existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenders: Option<Vec<TenderLine>>,
    /// Sales and refunds per person (none in a Z sealed before people existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<Vec<PersonLine>>,
}

/// Money of one tender in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TenderLine {
    /// `cash` or `lightning`.
    pub tender: String,
    /// The currency.
    pub currency: String,
    /// Sales paid (and late payments) with it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sales: u64,
    /// Their total, in major units.
    pub received: String,
    /// Refunds given back with it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub refunds: u64,
    /// Their total, in major units.
    pub refunded: String,
}

/// What one person did, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PersonLine {
    /// Their name (empty: not recorded).
    pub name: String,
    /// The currency.
    pub currency: String,
    /// Sales they rang up that were paid.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sales: u64,
    /// Their total, in major units.
    pub received: String,
    /// Refunds they made.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub refunds: u64,
    /// Their total, in major units.
    pub refunded: String,
}

/// Units and money of an item or a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SoldLine {
    /// The currency.
    pub currency: String,
    /// The category (empty: none).
    pub category: String,
    /// The item's name (empty on a category's line).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The item's SKU.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sku: String,
    /// Units sold.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub quantity: i64,
    /// What the customers paid for them, in major units.
    pub amount: String,
}

/// The tax of one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TaxLine {
    /// The currency.
    pub currency: String,
    /// The rate, in percent.
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

/// An amount in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AmountLine {
    /// The currency.
    pub currency: String,
    /// In major units.
    pub amount: String,
}

/// What was sold, in sections that each add up to the money received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Sections {
    /// By item.
    pub items: Vec<SoldLine>,
    /// By category.
    pub categories: Vec<SoldLine>,
    /// Tax per rate.
    pub taxes: Vec<TaxLine>,
    /// Discounts given.
    pub discounts: Vec<AmountLine>,
    /// Tips received.
    pub tips: Vec<AmountLine>,
    /// Received for sales rung up without a bill (before the catalog).
    pub unitemized: Vec<AmountLine>,
    /// Tax given back per rate by itemized refunds (the tax due is the table above less this).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunded_taxes: Vec<TaxLine>,
}

impl Sections {
    /// No bill in the period.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn from_tally(t: &BillTally) -> Self {
        if !t.itemized && t.refunded_taxes.is_empty() {
            return Self::default();
        }
        let tax_lines = |m: &BTreeMap<(String, Tax), Taxed>| -> Vec<TaxLine> {
            m.iter()
                .map(|((c, rate), x)| TaxLine {
                    currency: c.clone(),
                    rate: rate.rate.value().to_string(),
                    included: rate.included,
                    net: decimal(x.net, c),
                    tax: decimal(x.tax, c),
                    gross: decimal(x.net + x.tax, c),
                })
                .collect()
        };
        let amounts = |m: &BTreeMap<String, i64>| -> Vec<AmountLine> {
            m.iter()
                .map(|(c, a)| AmountLine {
                    currency: c.clone(),
                    amount: decimal(*a, c),
                })
                .collect()
        };
        Self {
            items: t
                .items
                .iter()
                .map(|((c, category, name, sku), s)| SoldLine {
                    currency: c.clone(),
                    category: category.clone(),
                    name: name.clone(),
                    sku: sku.clone(),
                    quantity: s.quantity,
                    amount: decimal(s.gross, c),
                })
                .collect(),
            categories: t
                .categories
                .iter()
                .map(|((c, category), s)| SoldLine {
                    currency: c.clone(),
                    category: category.clone(),
                    name: String::new(),
                    sku: String::new(),
                    quantity: s.quantity,
                    amount: decimal(s.gross, c),
                })
                .collect(),
            taxes: tax_lines(&t.taxes),
            refunded_taxes: tax_lines(&t.refunded_taxes),
            discounts: amounts(&t.discounts),
            tips: amounts(&t.tips),
            unitemized: amounts(&t.unitemized),
        }
    }
}

/// What a report needs to know of a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleFigures<'a> {
    /// The receipt.
    pub receipt_no: i64,
    /// Its state.
    pub state: SaleState,
    /// Its currency.
    pub currency: &'a str,
    /// Its amount in minor units.
    pub amount_minor: i64,
    /// Its invoice in millisatoshis (0 without one).
    pub msat: u64,
    /// Paid short and accepted.
    pub underpaid: bool,
    /// What it was priced from.
    pub bill: Option<&'a Bill>,
    /// How it was paid.
    pub tender: Tender,
    /// Who rang it up.
    pub cashier: &'a str,
}

impl<'a> From<&'a Sale> for SaleFigures<'a> {
    fn from(s: &'a Sale) -> Self {
        Self {
            receipt_no: s.receipt_no,
            state: s.state,
            currency: &s.currency,
            amount_minor: s.amount_minor,
            msat: s.amount_msat.unwrap_or(0),
            underpaid: s.underpaid,
            bill: s.bill.as_ref(),
            tender: s.tender(),
            cashier: &s.cashier,
        }
    }
}

/// What a report needs to know of a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundFigures<'a> {
    /// Its currency.
    pub currency: &'a str,
    /// Its amount in minor units.
    pub amount_minor: i64,
    /// The lines it took back, with their tax per rate.
    pub lines: Option<&'a RefundBill>,
    /// How the money went back.
    pub method: RefundMethod,
    /// Who made it (empty: not recorded).
    pub made_by: &'a str,
}

impl<'a> From<&'a Refund> for RefundFigures<'a> {
    fn from(r: &'a Refund) -> Self {
        Self {
            currency: &r.currency,
            amount_minor: r.amount_minor,
            lines: r.lines.as_ref(),
            method: r.method,
            made_by: r.made_by.as_deref().unwrap_or(""),
        }
    }
}

fn line(status: &str, currency: &str, s: Tally) -> Line {
    Line {
        status: status.into(),
        currency: currency.into(),
        count: s.count,
        amount: decimal(s.minor, currency),
        msat: s.msat,
        sats: Msat(s.msat).sats(),
    }
}

/// Sales paid and refunds made, of one tender or one person in one currency (minor units).
#[derive(Debug, Default, Clone, Copy)]
struct Done {
    sales: u64,
    received: i64,
    refunds: u64,
    refunded: i64,
}

/// Adds documents up: the one place a report's figures are computed.
pub fn totals<'a>(
    sales: &[SaleFigures<'a>],
    late: &[(SaleFigures<'a>, i64)],
    refunds: &[RefundFigures<'a>],
) -> Totals {
    let order = |s: SaleState| SaleState::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let mut lines: BTreeMap<(usize, &str), Tally> = BTreeMap::new();
    let mut received: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut t = Totals::default();
    let mut sold = BillTally::default();
    // Per (tender, currency) and per (person, currency).
    let mut tenders: BTreeMap<(&str, &str), Done> = BTreeMap::new();
    let mut people: BTreeMap<(&str, &str), Done> = BTreeMap::new();
    let mut took = |s: &SaleFigures<'a>| {
        for (map, key) in [(&mut tenders, s.tender.as_str()), (&mut people, s.cashier)] {
            let e = map.entry((key, s.currency)).or_default();
            e.sales += 1;
            e.received = e.received.saturating_add(s.amount_minor);
        }
    };
    for s in sales {
        lines
            .entry((order(s.state), s.currency))
            .or_default()
            .add(s.amount_minor, s.msat);
        if s.state.is_paid() {
            received
                .entry(s.currency)
                .or_default()
                .add(s.amount_minor, s.msat);
            sold.add(s.currency, s.amount_minor, s.bill);
            took(s);
        }
        if s.state == SaleState::PaidLate {
            t.paid_late.push(s.receipt_no);
        }
        if s.underpaid {
            t.underpaid.push(s.receipt_no);
        }
        if matches!(
            s.state,
            SaleState::Creating | SaleState::AwaitingPayment | SaleState::Uncertain
        ) {
            t.open.push(s.receipt_no);
        }
    }
    for (s, from_z) in late {
        received
            .entry(s.currency)
            .or_default()
            .add(s.amount_minor, s.msat);
        sold.add(s.currency, s.amount_minor, s.bill);
        took(s);
        if s.underpaid {
            t.underpaid.push(s.receipt_no);
        }
        t.late_payments.push(LateLine {
            receipt_no: s.receipt_no,
            from_z: *from_z,
            amount: decimal(s.amount_minor, s.currency),
            currency: s.currency.into(),
            msat: s.msat,
            sats: Msat(s.msat).sats(),
        });
    }
    let mut refunded: BTreeMap<&str, Tally> = BTreeMap::new();
    for r in refunds {
        refunded
            .entry(r.currency)
            .or_default()
            .add(r.amount_minor, 0);
        if let Some(lines) = r.lines {
            sold.refund(r.currency, lines);
        }
        let tender = match r.method {
            RefundMethod::Cash => Tender::Cash,
            RefundMethod::Lightning => Tender::Lightning,
        };
        for (map, key) in [(&mut tenders, tender.as_str()), (&mut people, r.made_by)] {
            let e = map.entry((key, r.currency)).or_default();
            e.refunds += 1;
            e.refunded = e.refunded.saturating_add(r.amount_minor);
        }
    }
    let mut net: BTreeMap<&str, i64> = received.iter().map(|(c, s)| (*c, s.minor)).collect();
    for (c, s) in &refunded {
        let n = net.entry(c).or_default();
        *n = net_minor(*n, s.minor);
    }
    t.lines = lines
        .into_iter()
        .map(|((st, cur), s)| line(SaleState::ALL[st].as_str(), cur, s))
        .collect();
    t.received = received
        .into_iter()
        .map(|(cur, s)| line("received", cur, s))
        .collect();
    t.refunds = refunded
        .into_iter()
        .map(|(cur, s)| line("refunded", cur, s))
        .collect();
    t.net = net
        .into_iter()
        .map(|(cur, minor)| Line {
            status: "net".into(),
            currency: cur.into(),
            count: 0,
            amount: decimal(minor, cur),
            msat: 0,
            sats: 0,
        })
        .collect();
    t.documents = (sales.len() + late.len() + refunds.len()) as u64;
    t.sold = Sections::from_tally(&sold);
    t.tenders = Some(
        tenders
            .into_iter()
            .map(|((tender, c), d)| TenderLine {
                tender: tender.into(),
                currency: c.into(),
                sales: d.sales,
                received: decimal(d.received, c),
                refunds: d.refunds,
                refunded: decimal(d.refunded, c),
            })
            .collect(),
    );
    t.people = Some(
        people
            .into_iter()
            .map(|((name, c), d)| PersonLine {
                name: name.into(),
                currency: c.into(),
                sales: d.sales,
                received: decimal(d.received, c),
                refunds: d.refunds,
                refunded: decimal(d.refunded, c),
            })
            .collect(),
    );
    t
}

/// The figures of a period of documents.
pub fn period_totals(p: &Period) -> Totals {
    let sales: Vec<SaleFigures<'_>> = p.sales.iter().map(SaleFigures::from).collect();
    let late: Vec<(SaleFigures<'_>, i64)> = p
        .late
        .iter()
        .map(|l| (SaleFigures::from(&l.sale), l.from_z))
        .collect();
    let refunds: Vec<RefundFigures<'_>> = p.refunds.iter().map(RefundFigures::from).collect();
    totals(&sales, &late, &refunds)
}
