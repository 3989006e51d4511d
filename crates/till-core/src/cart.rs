//! The cart: what the cashier is ringing up, priced by [`crate::money::bill`] after every change.
//! A change is tried on a copy and priced before it is kept, so a change the rules refuse (a
//! discount above the subtotal, a quantity of zero) leaves the cart as it was. The cart is kept
//! in the ledger until it is charged or cleared, so it survives a restart.

use serde::{Deserialize, Serialize};

use rust_decimal::Decimal;

use crate::{
    ledger::{CartLine, Item, Ledger, LedgerError, StoredCart},
    money::{
        bill::{Adjustment, Bill, BillError, BillView, LineInput, Order, Percent},
        Fiat, MoneyError,
    },
    settings::{Selling, SellingError},
};

/// What a custom amount's line is called.
pub const CUSTOM_AMOUNT: &str = "Custom amount";

/// One change to the cart, as the selling screen asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum CartChange {
    /// Add an item (tapped): one more of it.
    AddItem {
        /// The item.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        item_id: i64,
        /// How many (the quantity key), 1 by default.
        #[cfg_attr(feature = "ts", ts(type = "number | null"))]
        quantity: Option<i64>,
    },
    /// Add the item a barcode scanner read (its barcode, or its SKU).
    Scan {
        /// What the scanner typed.
        code: String,
    },
    /// Add a typed amount, taxed at the default rate.
    AddAmount {
        /// As typed (`12.50`).
        amount: String,
    },
    /// Set a line's quantity.
    SetQuantity {
        /// The line, from 0.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        line: usize,
        /// Its new quantity.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        quantity: i64,
    },
    /// Remove a line.
    Remove {
        /// The line, from 0.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        line: usize,
    },
    /// Set or clear a line's discount (`10%` or `1.50`).
    LineDiscount {
        /// The line, from 0.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        line: usize,
        /// The discount, or none.
        discount: Option<String>,
    },
    /// Set or clear the order discount (`10%` or `1.50`).
    Discount {
        /// The discount, or none.
        discount: Option<String>,
    },
    /// Set or clear the tip (`15%` or `2.00`).
    Tip {
        /// The tip, or none.
        tip: Option<String>,
    },
    /// Empty the cart.
    Clear,
}

/// Why a cart change was refused; the cart is as it was.
#[derive(Debug, thiserror::Error)]
pub enum CartError {
    /// The money rules refuse it.
    #[error(transparent)]
    Bill(#[from] BillError),
    /// The amount typed.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// No item has that code or SKU, or it is not for sale.
    #[error("no item for sale has the code or SKU \"{0}\"")]
    UnknownItem(String),
    /// No such line (the cart changed meanwhile).
    #[error("the cart has no line {0}")]
    NoLine(usize),
    /// The order discount is above what a cashier may give: the PIN is needed.
    #[error("a discount of {discount} is above the {limit} a cashier may give; a manager's PIN is needed")]
    NeedsManager {
        /// The discount, as a percentage of the order.
        discount: String,
        /// The limit.
        limit: String,
    },
    /// Catalog items, priced in the shop's currency, asked for in another.
    #[error("the catalog's prices are in {shop}, not {asked}")]
    Currency {
        /// The shop's currency.
        shop: String,
        /// The one asked for.
        asked: String,
    },
    /// The selling settings cannot be read.
    #[error(transparent)]
    Settings(#[from] SellingError),
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// One line of the cart as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CartLineView {
    /// The catalog item, for a custom amount none.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub item_id: Option<i64>,
    /// The line's discount as given (`10%`, `1.50`).
    pub discount: Option<String>,
}

/// The cart as the screen shows it: its lines and their bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CartView {
    /// The lines, beside the bill's lines of the same position.
    pub lines: Vec<CartLineView>,
    /// The priced cart; none while it is empty.
    pub bill: Option<BillView>,
    /// How many units in all.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub units: i64,
}

fn line_input(ledger: &Ledger, rules: &Selling, l: &CartLine) -> Result<LineInput, CartError> {
    if let Some(minor) = l.custom {
        return Ok(LineInput {
            name: CUSTOM_AMOUNT.into(),
            sku: None,
            category: None,
            unit: minor,
            quantity: l.quantity,
            tax: rules.default_tax,
            discount: l.discount,
        });
    }
    let id = l.item_id.unwrap_or_default();
    let item = ledger
        .item(id)?
        .ok_or_else(|| CartError::UnknownItem(id.to_string()))?;
    Ok(item_line(&item, l.quantity, l.discount))
}

/// An item of the catalog as a line of an order.
pub fn item_line(item: &Item, quantity: i64, discount: Option<Adjustment>) -> LineInput {
    LineInput {
        name: item.name.clone(),
        sku: item.sku.clone(),
        category: item.category.clone(),
        unit: item.price_minor,
        quantity,
        tax: item.tax_rate.tax,
        discount,
    }
}

/// The stored cart as an order, priced as the catalog prices its items now.
pub fn order(ledger: &Ledger, rules: &Selling, cart: &StoredCart) -> Result<Order, CartError> {
    Ok(Order {
        currency: rules.currency,
        lines: cart
            .lines
            .iter()
            .map(|l| line_input(ledger, rules, l))
            .collect::<Result<_, _>>()?,
        discount: cart.discount,
        tip: cart.tip,
        tip_tax: rules.tip_tax,
    })
}

/// The bill of an order; an empty cart has none.
fn bill_of(order: &Order) -> Result<Option<Bill>, CartError> {
    match order.bill() {
        Ok(b) => Ok(Some(b)),
        Err(BillError::Empty) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn view_of(cart: &StoredCart, bill: Option<&Bill>, rules: &Selling) -> CartView {
    let code = rules.currency.code();
    CartView {
        lines: cart
            .lines
            .iter()
            .map(|l| CartLineView {
                item_id: l.item_id,
                discount: l
                    .discount
                    .map(|d| crate::money::bill::adjustment_text(d, code)),
            })
            .collect(),
        bill: bill.map(Bill::view),
        units: cart.lines.iter().map(|l| l.quantity).sum(),
    }
}

/// The terminal's cart as it stands. A cart that no longer prices (a discount larger than the
/// items left after the owner changed a price) is shown without its order discount and tip.
pub fn view(ledger: &Ledger, terminal: &str) -> Result<CartView, CartError> {
    let rules = Selling::load(ledger)?;
    let mut cart = ledger.cart(terminal)?;
    let bill = match bill_of(&order(ledger, &rules, &cart)?) {
        Ok(b) => b,
        Err(_) => {
            cart.discount = None;
            cart.tip = None;
            bill_of(&order(ledger, &rules, &cart)?).unwrap_or(None)
        }
    };
    Ok(view_of(&cart, bill.as_ref(), &rules))
}

/// The largest discount of the bill, in percent of what it comes off: the order discount as
/// typed when it is a percentage (so 20 % is 20 % whatever the rounding), or the amount over its
/// base; likewise each line's discount over its line.
fn largest_discount(cart: &StoredCart, bill: &Bill) -> Decimal {
    largest_of(cart.discount, cart.lines.iter().map(|l| l.discount), bill)
}

/// The largest discount given, as a percentage: the order's (of what the lines come to after
/// their own discounts) or any line's (of that line).
fn largest_of(
    order_discount: Option<Adjustment>,
    line_discounts: impl Iterator<Item = Option<Adjustment>>,
    bill: &Bill,
) -> Decimal {
    let percent = |given: Option<Adjustment>, amount: i64, base: i64| match given {
        Some(Adjustment::Percent(p)) => p.value(),
        Some(Adjustment::Amount(_)) if base > 0 => {
            Decimal::from(amount) * Decimal::ONE_HUNDRED / Decimal::from(base)
        }
        _ => Decimal::ZERO,
    };
    let base: i64 = bill.lines.iter().map(|l| l.amount - l.line_discount).sum();
    let order = percent(order_discount, bill.order_discount_total(), base);
    line_discounts
        .zip(&bill.lines)
        .map(|(d, l)| percent(d, l.line_discount, l.amount))
        .fold(order, Decimal::max)
}

/// Refuses an order whose discount is above the owner's limit: for someone who may not approve
/// discounts (the CLI's `till --cashier NAME charge ... --discount`), as the cart refuses them.
pub fn within_discount_limit(ledger: &Ledger, order: &Order) -> Result<(), CartError> {
    let rules = Selling::load(ledger)?;
    let Some(bill) = bill_of(order)? else {
        return Ok(());
    };
    let largest = largest_of(
        order.discount,
        order.lines.iter().map(|l| l.discount),
        &bill,
    );
    if largest > rules.discount_limit.value() {
        return Err(CartError::NeedsManager {
            discount: format!("{}%", largest.round_dp(2).normalize()),
            limit: rules.discount_limit.to_string(),
        });
    }
    Ok(())
}

/// Applies one change: tried on a copy, priced, and kept only if it prices. A discount (of the
/// order or of a line) above the owner's limit needs `approved` (the manager's PIN was given for
/// it, by the manager `approved_by` names); the approval stays with the cart for the changes
/// that follow (a tip, another item) until a discount is changed again.
pub fn change(
    ledger: &mut Ledger,
    terminal: &str,
    change: CartChange,
    approved_by: Option<&str>,
) -> Result<CartView, CartError> {
    let rules = Selling::load(ledger)?;
    let mut cart = ledger.cart(terminal)?;
    let discounting = matches!(
        change,
        CartChange::Discount { .. } | CartChange::LineDiscount { .. }
    );
    let approver: Option<String> = match approved_by {
        Some(by) => Some(by.to_owned()),
        None if cart.approved && !discounting => cart.approved_by.clone(),
        None => None,
    };
    let approved = approver.is_some() || (cart.approved && !discounting);
    let line = |cart: &mut StoredCart, n: usize| -> Result<usize, CartError> {
        (n < cart.lines.len())
            .then_some(n)
            .ok_or(CartError::NoLine(n))
    };
    let adjustment = |text: Option<String>| -> Result<Option<Adjustment>, CartError> {
        Ok(text
            .filter(|t| !t.trim().is_empty())
            .map(|t| Adjustment::parse(&t, rules.currency))
            .transpose()?
            .filter(|a| *a != Adjustment::Amount(0)))
    };
    match change {
        CartChange::AddItem { item_id, quantity } => {
            let item = ledger
                .item(item_id)?
                .filter(|i| i.active)
                .ok_or_else(|| CartError::UnknownItem(item_id.to_string()))?;
            add(&mut cart, item.id, quantity.unwrap_or(1));
        }
        CartChange::Scan { code } => {
            let code = code.trim();
            let item = ledger
                .item_by_code(code)?
                .filter(|i| i.active)
                .ok_or_else(|| CartError::UnknownItem(code.chars().take(40).collect()))?;
            add(&mut cart, item.id, 1);
        }
        CartChange::AddAmount { amount } => {
            let fiat = Fiat::parse(&amount, rules.currency)?;
            cart.lines.push(CartLine {
                item_id: None,
                custom: Some(fiat.minor),
                quantity: 1,
                discount: None,
            });
        }
        CartChange::SetQuantity { line: n, quantity } => {
            let n = line(&mut cart, n)?;
            cart.lines[n].quantity = quantity;
        }
        CartChange::Remove { line: n } => {
            let n = line(&mut cart, n)?;
            cart.lines.remove(n);
        }
        CartChange::LineDiscount { line: n, discount } => {
            let n = line(&mut cart, n)?;
            cart.lines[n].discount = adjustment(discount)?;
        }
        CartChange::Discount { discount } => cart.discount = adjustment(discount)?,
        CartChange::Tip { tip } => cart.tip = adjustment(tip)?,
        CartChange::Clear => cart = StoredCart::default(),
    }
    if cart.lines.is_empty() {
        cart.discount = None;
        cart.tip = None;
    }
    let bill = bill_of(&order(ledger, &rules, &cart)?)?;
    let largest = bill
        .as_ref()
        .map_or(Decimal::ZERO, |b| largest_discount(&cart, b));
    let above = largest > rules.discount_limit.value();
    if above && !approved {
        return Err(CartError::NeedsManager {
            discount: format!("{}%", largest.round_dp(2).normalize()),
            limit: rules.discount_limit.to_string(),
        });
    }
    cart.approved = above && approved;
    cart.approved_by = if cart.approved { approver } else { None };
    ledger.save_cart(terminal, &cart)?;
    Ok(view_of(&cart, bill.as_ref(), &rules))
}

/// More of an item: on its line when it has one without a discount of its own, else on a new
/// line (so a tap on an item already in the cart counts it up).
fn add(cart: &mut StoredCart, item_id: i64, quantity: i64) {
    match cart
        .lines
        .iter_mut()
        .find(|l| l.item_id == Some(item_id) && l.discount.is_none())
    {
        Some(l) => l.quantity = l.quantity.saturating_add(quantity),
        _ => cart.lines.push(CartLine {
            item_id: Some(item_id),
            custom: None,
            quantity,
            discount: None,
        }),
    }
}

/// The tips offered: the cart's total before any tip, and the owner's percentages each with
/// what it comes to on this cart (none for an empty cart, or when the owner has tips off).
pub fn tip_choices(
    ledger: &Ledger,
    terminal: &str,
) -> Result<(String, Vec<(Percent, String)>), CartError> {
    let rules = Selling::load(ledger)?;
    let mut cart = ledger.cart(terminal)?;
    cart.tip = None;
    let priced = if rules.tips {
        bill_of(&order(ledger, &rules, &cart)?)?
    } else {
        None
    };
    let Some(base) = priced else {
        return Ok((String::new(), Vec::new()));
    };
    let choices = rules
        .tip_presets
        .iter()
        .map(|p| {
            let mut with = cart.clone();
            with.tip = Some(Adjustment::Percent(*p));
            let b = order(ledger, &rules, &with)?.bill()?;
            Ok((*p, crate::money::decimal_text(b.tip, &base.currency)))
        })
        .collect::<Result<_, CartError>>()?;
    Ok((
        crate::money::decimal_text(base.total, &base.currency),
        choices,
    ))
}

/// What `till charge --item` names: a SKU the catalog has, as it is (so `BOX2` is the item
/// `BOX2`, not two of `BO`), or else `SKUxQTY` (`ESPx2`).
pub fn resolve_item_arg(ledger: &Ledger, text: &str) -> Result<(String, i64), CartError> {
    let t = text.trim();
    if ledger.item_by_sku(t)?.is_some() {
        return Ok((t.to_owned(), 1));
    }
    parse_item_arg(t)
}

/// `SKU` or `SKUxQTY` (`ESPx2`), read without the catalog.
pub fn parse_item_arg(text: &str) -> Result<(String, i64), CartError> {
    let t = text.trim();
    if let Some((sku, qty)) = t.rsplit_once(['x', 'X', '*']) {
        if !sku.is_empty()
            && !qty.is_empty()
            && qty
                .trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit())
        {
            let quantity = qty.parse::<i64>().map_err(|_| {
                CartError::Bill(BillError::Quantity {
                    item: sku.to_owned(),
                    quantity: qty.to_owned(),
                })
            })?;
            return Ok((sku.to_owned(), quantity));
        }
    }
    Ok((t.to_owned(), 1))
}

/// An order given all at once (`till charge 3.00 --item ESPx2 --discount 10% --tip 15%`): items
/// by SKU from the catalog, an optional typed amount as a custom line, a discount and a tip.
/// Nothing is stored; the same rules price it as price the cart.
pub fn quick_order(
    ledger: &Ledger,
    amount: Option<&str>,
    currency: crate::money::Currency,
    items: &[(String, i64)],
    discount: Option<&str>,
    tip: Option<&str>,
) -> Result<Order, CartError> {
    let rules = Selling::load(ledger)?;
    if !items.is_empty() && currency != rules.currency {
        return Err(CartError::Currency {
            shop: rules.currency.to_string(),
            asked: currency.to_string(),
        });
    }
    let mut lines = Vec::new();
    for (sku, quantity) in items {
        let item = ledger
            .item_by_sku(sku)?
            .filter(|i| i.active)
            .ok_or_else(|| CartError::UnknownItem(sku.chars().take(40).collect()))?;
        lines.push(item_line(&item, *quantity, None));
    }
    if let Some(a) = amount {
        lines.push(LineInput {
            name: CUSTOM_AMOUNT.into(),
            sku: None,
            category: None,
            unit: Fiat::parse(a, currency)?.minor,
            quantity: 1,
            tax: rules.default_tax,
            discount: None,
        });
    }
    let adjustment = |t: Option<&str>| t.map(|t| Adjustment::parse(t, currency)).transpose();
    Ok(Order {
        currency,
        lines,
        discount: adjustment(discount)?,
        tip: adjustment(tip)?,
        tip_tax: rules.tip_tax,
    })
}
