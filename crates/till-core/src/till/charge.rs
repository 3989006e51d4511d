//! Ringing up: the amount checked, the sale written, the order asked for, its invoice checked
//! before anything is shown.

use aurpay::{Amount, BlnOrder, CreateBlnOrder};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{chrono_duration, clean_memo, Till, TillError};
use crate::{
    cart::{self, CUSTOM_AMOUNT},
    ledger::{NewSale, Sale, StoredCart},
    money::{
        bill::{Bill, LineInput, Order},
        implied_rate, Currency, Fiat, Msat,
    },
    sale::{SaleEvent, SaleState},
    settings::Selling,
};

impl Till {
    /// Rings up a typed amount: one "custom amount" line taxed at the shop's default rate.
    /// Checks the amount, writes the sale, asks the gateway for an order, checks its invoice,
    /// and commits the outcome. A refusal of the amount writes nothing; anything after the write
    /// is recorded on the sale (Failed or Uncertain with the reason).
    pub async fn charge(
        &self,
        amount: &str,
        currency: &str,
        memo: &str,
    ) -> Result<Sale, TillError> {
        let currency = Currency::from_code(currency)?;
        let fiat = Fiat::parse(amount, currency)?;
        let default_tax = Selling::load(&self.ledger())?.default_tax;
        let order = Order {
            currency,
            lines: vec![LineInput {
                name: CUSTOM_AMOUNT.into(),
                sku: None,
                category: None,
                unit: fiat.minor,
                quantity: 1,
                tax: default_tax,
                discount: None,
            }],
            discount: None,
            tip: None,
            tip_tax: None,
        };
        self.charge_order(&order, memo).await
    }

    /// Rings up an order (items, discounts, a tip): priced once here, and charged for its total.
    /// A bill the rules refuse writes nothing.
    pub async fn charge_order(&self, order: &Order, memo: &str) -> Result<Sale, TillError> {
        let (bill, fiat) = priced(order)?;
        self.charge_fiat(fiat, memo, None, Some(bill), None, None)
            .await
    }

    /// Rings up this terminal's cart, with the tip chosen on it; the cart is emptied once the
    /// sale is written (a sale that then fails is charged again from its receipt, bill and all).
    pub async fn charge_cart(&self, memo: &str) -> Result<Sale, TillError> {
        let (order, cart) = self.cart_order()?;
        let (bill, fiat) = priced(&order)?;
        let approved_by = cart.approved_by.clone();
        self.charge_fiat(fiat, memo, None, Some(bill), Some(cart), approved_by)
            .await
    }

    /// Sells this terminal's cart for cash: `tendered` (as typed, in the cart's currency) must
    /// cover the total; the sale is written paid, with the change, into the open shift's drawer,
    /// and the cart emptied, in one transaction. No gateway is involved, so this works with the
    /// internet down.
    pub fn sell_cart_for_cash(&self, tendered: &str, memo: &str) -> Result<Sale, TillError> {
        let (order, cart) = self.cart_order()?;
        self.sell_for_cash(&order, tendered, memo, Some(cart))
    }

    /// The cash screen's figures for this terminal's cart: its total, the quick keys, and the
    /// change for `tendered` when it is typed (refused in plain words when it is short). Nothing
    /// is written.
    pub fn cash_quote(&self, tendered: Option<&str>) -> Result<CashQuote, TillError> {
        let (order, _) = self.cart_order()?;
        let (_, total) = priced(&order)?;
        let change = match tendered.map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => {
                let given = Fiat::parse(t, order.currency)?;
                let paid = crate::money::cash_change(total, given).map_err(TillError::BadInput)?;
                Some(Fiat {
                    minor: paid.change_minor,
                    currency: order.currency,
                })
            }
        };
        Ok(CashQuote {
            total,
            suggestions: crate::money::cash_suggestions(total),
            change,
        })
    }

    /// This terminal's cart and the order it makes, priced by the shop's rules as they are now.
    fn cart_order(&self) -> Result<(Order, StoredCart), TillError> {
        let ledger = self.ledger();
        let rules = Selling::load(&ledger)?;
        let cart = ledger.cart(&self.config.terminal)?;
        Ok((cart::order(&ledger, &rules, &cart)?, cart))
    }

    /// Sells an order for cash (see [`Till::sell_cart_for_cash`]).
    pub fn sell_order_for_cash(
        &self,
        order: &Order,
        tendered: &str,
        memo: &str,
    ) -> Result<Sale, TillError> {
        self.sell_for_cash(order, tendered, memo, None)
    }

    fn sell_for_cash(
        &self,
        order: &Order,
        tendered: &str,
        memo: &str,
        cart: Option<StoredCart>,
    ) -> Result<Sale, TillError> {
        let (bill, fiat) = priced(order)?;
        let given = Fiat::parse(tendered, order.currency)?;
        let cash = crate::money::cash_change(fiat, given).map_err(TillError::BadInput)?;
        let new = NewSale {
            terminal: self.config.terminal.clone(),
            fiat,
            memo: clean_memo(memo)?,
            cashier: self.cashier(),
            training: self.config.training,
            replaces: None,
            bill: Some(bill),
            cash: Some(cash),
            approved_by: cart.as_ref().and_then(|c| c.approved_by.clone()),
        };
        let sale = self.insert_new(&new, cart.as_ref())?;
        self.publish(SaleState::Creating, &sale);
        Ok(sale)
    }

    /// Writes a new sale, from the cart `priced` when there is one (emptied with it, if it is
    /// still the one priced).
    fn insert_new(&self, new: &NewSale, priced: Option<&StoredCart>) -> Result<Sale, TillError> {
        Ok(match priced {
            None => self.ledger().insert_sale(new, Utc::now())?,
            // The cart is emptied in the sale's own transaction, if it is still the one priced.
            Some(priced) => self
                .ledger()
                .insert_sale_from_cart(new, Utc::now(), priced)?
                .ok_or_else(|| {
                    TillError::Refused(
                        "the cart changed or was charged meanwhile; look at it and charge again"
                            .into(),
                    )
                })?,
        })
    }

    /// Re-quotes a timed-out (or cancelled) sale: a new sale for the same amount, linked to it.
    pub async fn requote(&self, receipt_no: i64) -> Result<Sale, TillError> {
        let old = self.sale(receipt_no)?;
        if !matches!(
            old.state,
            SaleState::TimedOut | SaleState::Cancelled | SaleState::Failed
        ) {
            return Err(TillError::NotAllowed {
                receipt: old.label(),
                state: old.state,
                why: "only a timed-out, cancelled or failed sale can be charged again",
            });
        }
        self.charge_fiat(
            old.fiat()?,
            &old.memo,
            Some(old.receipt_no),
            old.bill.clone(),
            None,
            old.approved_by.clone(),
        )
        .await
    }

    async fn charge_fiat(
        &self,
        fiat: Fiat,
        memo: &str,
        replaces: Option<i64>,
        bill: Option<Bill>,
        cart: Option<StoredCart>,
        approved_by: Option<String>,
    ) -> Result<Sale, TillError> {
        let memo = clean_memo(memo)?;
        let new = NewSale {
            terminal: self.config.terminal.clone(),
            fiat,
            memo,
            cashier: self.cashier(),
            training: self.config.training,
            replaces,
            bill,
            cash: None,
            approved_by,
        };
        let sale = self.insert_new(&new, cart.as_ref())?;
        self.publish(SaleState::Creating, &sale);
        let mut request = CreateBlnOrder::new(Amount(fiat.to_decimal()), fiat.currency.code());
        request.urls.callback_url = sale.reference.as_deref().map(aurpay::reference::url);
        match self.gateway.create_bln_order(&request).await {
            Ok(order) => self.record_order(&sale, &order, fiat),
            Err(e) if e.may_have_been_processed() => {
                let why = e.to_string();
                self.apply(
                    sale.id,
                    SaleEvent::CreateOutcomeUnknown,
                    "create_uncertain",
                    json!({"error": why}),
                    |s| {
                        s.error = Some(format!(
                            "{why}; checking whether the gateway made the order"
                        ));
                    },
                )
            }
            Err(e) => {
                let why = e.to_string();
                self.apply(
                    sale.id,
                    SaleEvent::CreateFailed,
                    "create_failed",
                    json!({"error": why}),
                    |s| s.error = Some(why.clone()),
                )
            }
        }
    }

    /// When an order created at `created` stops being payable at the gateway: its lifetime after
    /// creation, but never after its invoice expires.
    pub fn order_deadline(
        &self,
        created: DateTime<Utc>,
        invoice_expires: DateTime<Utc>,
    ) -> DateTime<Utc> {
        (created + chrono_duration(self.config.order_lifetime)).min(invoice_expires)
    }

    /// Records the gateway's answer to a create: the invoice is checked first, and a sale whose
    /// invoice fails is Failed with the reason (no QR is ever shown for it). An order id another
    /// sale already holds is the gateway's mistake: the sale fails with that said, never left
    /// half-made.
    fn record_order(&self, sale: &Sale, order: &BlnOrder, fiat: Fiat) -> Result<Sale, TillError> {
        let now = Utc::now();
        let created = order.create_time.map(|t| t.0).unwrap_or(now);
        let detail = json!({
            "order_id": order.order_id,
            "btc_amount": order.amount.to_string(),
            "payment_request": order.payment_request,
        });
        let holder = self.ledger().sale_by_order_id(&order.order_id)?;
        if let Some(other) = holder.filter(|o| o.id != sale.id) {
            let why = format!(
                "the gateway answered with order {}, which receipt {} already holds; no QR was shown. \
                 This is the gateway's mistake: charge again, and tell Aurpay if it happens again",
                order.order_id,
                other.label()
            );
            return self.apply(
                sale.id,
                SaleEvent::CreateFailed,
                "order_id_reused",
                json!({"order_id": order.order_id, "held_by": other.label()}),
                |s| s.error = Some(why.clone()),
            );
        }
        match order.check_invoice(self.config.network, now) {
            Ok(invoice) => {
                let msat = Msat(invoice.amount_msat);
                let deadline = self.order_deadline(created, invoice.expires_at);
                self.apply(
                    sale.id,
                    SaleEvent::OrderCreated,
                    "order_created",
                    detail,
                    |s| {
                        s.order_id = Some(order.order_id.clone());
                        s.btc_amount = Some(order.amount.to_string());
                        s.amount_msat = Some(msat.0);
                        s.rate = implied_rate(fiat, msat).map(|r| r.to_string());
                        s.payment_request = Some(invoice.payment_request.clone());
                        s.payment_hash = Some(invoice.payment_hash.clone());
                        s.pay_url = order.pay_url.clone();
                        s.order_created_at = Some(created);
                        s.order_expires_at = Some(deadline);
                        s.invoice_expires_at = Some(invoice.expires_at);
                        s.error = None;
                    },
                )
            }
            Err(bad) => {
                let why = format!("{bad}; no QR was shown");
                self.apply(
                    sale.id,
                    SaleEvent::CreateFailed,
                    "invoice_refused",
                    json!({"order_id": order.order_id, "error": why}),
                    |s| {
                        s.order_id = Some(order.order_id.clone());
                        s.btc_amount = Some(order.amount.to_string());
                        s.error = Some(why.clone());
                    },
                )
            }
        }
    }
}

/// An order's bill and the amount it comes to: what every sale of an order is charged.
/// What the cash screen shows before the sale: see [`Till::cash_quote`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashQuote {
    /// The cart's total.
    pub total: Fiat,
    /// Amounts a customer is likely to hand over, the exact total first.
    pub suggestions: Vec<Fiat>,
    /// The change for what was typed.
    pub change: Option<Fiat>,
}

fn priced(order: &Order) -> Result<(Bill, Fiat), TillError> {
    let bill = order.bill()?;
    let fiat = Fiat {
        minor: bill.total,
        currency: order.currency,
    };
    Ok((bill, fiat))
}
