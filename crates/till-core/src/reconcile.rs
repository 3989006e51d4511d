//! Finding the order a lost create call made, without ever guessing.
//!
//! A create whose answer was lost (a timeout, a dropped connection) may or may not have made an
//! order, and Aurpay has no idempotency key. So the till looks at the gateway's own list:
//!
//! - It reads **every page** of Get Orders (the list's order is not documented, so it cannot stop
//!   at the first old order), and checks that the list did not grow while it read. Past
//!   [`MAX_PAGES`] pages it gives up: it could not look everywhere.
//! - A candidate is a Lightning order for the sale's exact amount and currency, made between a
//!   little before the sale was written and the moment its create could no longer be in flight,
//!   and held by no other sale of this ledger.
//! - A candidate that carries this sale's reference (`aurpay::reference`) is proof: the sale takes
//!   it. A candidate carrying another reference is someone else's. A candidate with no reference
//!   (the gateway does not echo it) might be anyone's: another till on the same account, the web
//!   shop.
//! - Only when the whole list was read and no candidate might be this sale's is it proven that no
//!   order exists: the sale fails, and charging again is safe. Otherwise the sale stays
//!   uncertain and says plainly what to do: check the Aurpay dashboard before charging again; a
//!   manager settles it (`Till::settle`).

use aurpay::Order;
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::{
    ledger::Sale,
    money::Fiat,
    sale::{SaleEvent, SaleState},
    till::{chrono_duration, Till, TillError},
};

/// Orders asked for per page.
pub const PAGE_SIZE: u32 = 100;
/// The most pages read (10,000 orders) before the search gives up as unable to prove anything.
pub const MAX_PAGES: u32 = 100;

/// What the gateway's list says about a sale.
#[derive(Debug)]
enum Finding {
    /// The order carrying the sale's reference.
    Found(Box<Order>),
    /// The whole list was read: no order can be this sale's.
    Absent,
    /// Orders that might be this sale's, or a list that could not be read whole.
    Unproven {
        candidates: Vec<String>,
        complete: bool,
    },
}

/// Whether `order` is a Lightning order for exactly this sale's money.
fn same_money(order: &Order, fiat: Fiat) -> bool {
    let price = order
        .vs_price
        .and_then(|p| Fiat::from_decimal(p.0, fiat.currency))
        == Some(fiat);
    let currency = order
        .vs_currency
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case(fiat.currency.code()));
    let lightning = order
        .currency
        .as_deref()
        .is_none_or(|c| c.eq_ignore_ascii_case("BTC-LN"));
    price && currency && lightning
}

/// Checks that a manager may settle `sale` as `order`: a Lightning order for its amount, held by
/// no other sale, and not carrying another sale's reference.
pub fn check_claim(till: &Till, sale: &Sale, order: &Order) -> Result<(), TillError> {
    let fiat = sale.fiat()?;
    if !same_money(order, fiat) {
        return Err(TillError::Refused(format!(
            "order {} is for {} {}, not a Lightning order for {}; check the order id",
            order.order_id,
            order.vs_price.map(|p| p.to_string()).unwrap_or_default(),
            order.vs_currency.clone().unwrap_or_default(),
            fiat
        )));
    }
    if let Some(other) = till
        .ledger()
        .sale_by_order_id(&order.order_id)?
        .filter(|o| o.id != sale.id)
    {
        return Err(TillError::Refused(format!(
            "order {} belongs to receipt {} already",
            order.order_id,
            other.label()
        )));
    }
    if let (Some(theirs), Some(ours)) = (order.reference(), sale.reference.as_deref()) {
        if theirs != ours {
            return Err(TillError::Refused(format!(
                "order {} was made for another sale ({theirs})",
                order.order_id
            )));
        }
    }
    Ok(())
}

impl Till {
    async fn search(&self, sale: &Sale) -> Result<Finding, TillError> {
        let fiat = sale.fiat()?;
        let window = (
            sale.created_at - chrono::Duration::minutes(2),
            sale.created_at + chrono_duration(self.settle_time()) + chrono::Duration::minutes(2),
        );
        let within = |t: Option<DateTime<Utc>>| t.is_none_or(|t| t >= window.0 && t <= window.1);
        let mut candidates = Vec::new();
        let mut first_total = None;
        let mut complete = false;
        for page in 1..=MAX_PAGES {
            let list = self.gateway().orders(page, PAGE_SIZE).await?;
            if page == 1 {
                first_total = list.total;
            }
            let short = list.data.len() < PAGE_SIZE as usize;
            for order in list.data {
                if !same_money(&order, fiat) || !within(order.create_time.map(|t| t.0)) {
                    continue;
                }
                let held = self
                    .ledger()
                    .sale_by_order_id(&order.order_id)?
                    .is_some_and(|o| o.id != sale.id);
                if held {
                    continue;
                }
                match (order.reference(), sale.reference.as_deref()) {
                    (Some(theirs), Some(ours)) if theirs == ours => {
                        return Ok(Finding::Found(Box::new(order)));
                    }
                    (Some(_), _) => {} // another sale's
                    (None, _) => candidates.push(order.order_id),
                }
            }
            let last = list.max_page.is_some_and(|m| u64::from(page) >= m);
            if short || last {
                // Orders made while the pages were read shift them: read again later.
                complete = list.total == first_total;
                break;
            }
        }
        Ok(if candidates.is_empty() && complete {
            Finding::Absent
        } else {
            Finding::Unproven {
                candidates,
                complete,
            }
        })
    }

    /// Looks for the order a sale's lost create call made; records it, records that there is
    /// none, or says why it cannot tell. Leaves the sale as it is while its create may still be
    /// in flight.
    pub async fn reconcile(&self, sale: &Sale) -> Result<Sale, TillError> {
        if self.create_may_be_in_flight(sale.created_at, Utc::now()) {
            return Ok(sale.clone());
        }
        let finding = self.search(sale).await?;
        let sale = self.to_uncertain(sale)?;
        match finding {
            Finding::Found(order) => {
                let id = order.order_id.clone();
                self.take_order(&sale, &order, "reconciled", json!({"order_id": id}))
                    .await
            }
            Finding::Absent => self.apply(
                sale.id,
                SaleEvent::NoOrderFound,
                "no_order_found",
                json!({}),
                |s| {
                    s.error = Some(
                        "the gateway made no order for this sale; it is safe to charge again"
                            .into(),
                    );
                    s.attention = None;
                },
            ),
            Finding::Unproven {
                candidates,
                complete,
            } => {
                let why = if !complete {
                    "the gateway's list of orders could not be read whole, so the till cannot prove \
                     whether this sale made an order"
                        .to_owned()
                } else {
                    format!(
                        "the gateway holds order(s) {} for the same amount, made at about that time, \
                         that may be this sale's or another till's",
                        candidates.join(", ")
                    )
                };
                let attention = format!(
                    "{why}. Check the Aurpay dashboard before charging again; a manager can then \
                     settle the sale as its order, or void it"
                );
                debug_assert_eq!(sale.state, SaleState::Uncertain);
                self.flag(sale.id, Some(attention), "reconcile_unproven")
            }
        }
    }
}
