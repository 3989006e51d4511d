//! Selling: charge, status, cancel, settle, watch, and the day's sales.

use std::time::Duration;

use serde_json::json;
use till_core::{
    calendar, cart,
    money::{Currency, Msat},
    people::Action,
    report,
    sale::SaleState,
    settings,
    till::{CardError, Settlement, TillError},
    watcher::{self, Watcher},
};

use super::{show, Globals};
use crate::{
    context,
    output::{self, group, sale_json, sale_text},
    Failure,
};

/// The exit code a sale's state means for `charge --wait`, or None while it is still open.
fn wait_outcome(state: SaleState) -> Option<u8> {
    match state {
        SaleState::Paid | SaleState::PaidLate => Some(0),
        SaleState::Failed => Some(1),
        SaleState::TimedOut | SaleState::Cancelled => Some(3),
        SaleState::Creating | SaleState::AwaitingPayment | SaleState::Uncertain => None,
    }
}

/// What `till charge` is asked to sell.
#[derive(Debug)]
pub struct OrderArgs {
    /// A typed amount.
    pub amount: Option<String>,
    /// The currency, if not the shop's.
    pub currency: Option<String>,
    /// `SKU[xQTY]`, each.
    pub items: Vec<String>,
    /// The order discount.
    pub discount: Option<String>,
    /// The tip.
    pub tip: Option<String>,
}

/// The order `till charge` describes, priced by the till's rules.
fn order_of(
    g: &Globals,
    till: &till_core::till::Till,
    args: &OrderArgs,
) -> Result<till_core::money::bill::Order, Failure> {
    let ledger = till.ledger();
    let currency = match &args.currency {
        Some(c) => c.clone(),
        None => settings::shop_currency(&ledger)?,
    };
    let currency = Currency::from_code(&currency)?;
    let items = args
        .items
        .iter()
        .map(|i| cart::resolve_item_arg(&ledger, i))
        .collect::<Result<Vec<_>, _>>()?;
    let order = cart::quick_order(
        &ledger,
        args.amount.as_deref(),
        currency,
        &items,
        args.discount.as_deref(),
        args.tip.as_deref(),
    )?;
    // Someone who may not approve a discount gets none above the owner's limit, as in the app.
    if g.person
        .as_ref()
        .is_some_and(|p| p.may(Action::ApproveDiscount).is_err())
    {
        cart::within_discount_limit(&ledger, &order)?;
    }
    Ok(order)
}

/// `till charge ... --cash --tendered X`: written paid into the open shift's drawer, the change
/// printed (no gateway involved).
pub async fn sell_for_cash(
    g: &Globals,
    args: OrderArgs,
    memo: &str,
    tendered: &str,
) -> Result<u8, Failure> {
    let started = context::open_till_offline(g).await?;
    let till = started.till.clone();
    let order = order_of(g, &till, &args)?;
    let sale = till.sell_order_for_cash(&order, tendered, memo)?;
    show(g, &sale, false);
    if !g.json {
        if let Some(c) = sale.cash {
            println!(
                "  {}  {} {}",
                g.lang.text("cli_change"),
                g.lang.amount(&till_core::money::decimal_text(
                    c.change_minor,
                    &sale.currency
                )),
                sale.currency
            );
        }
    }
    Ok(0)
}

/// `till charge ...`: the sale rung up and its invoice shown; with `--wait`, followed to its end;
/// with `--lnurlw LINK`, handed to the card's service first, then followed.
pub async fn charge(
    g: &Globals,
    args: OrderArgs,
    memo: &str,
    wait: bool,
    card: Option<&str>,
) -> Result<u8, Failure> {
    if let Some(link) = card {
        // A link that cannot be used is refused before a sale is written for it.
        till_core::till::check_link(link)?;
    }
    let started = context::open_till(g).await?;
    let till = started.till.clone();
    let order = order_of(g, &till, &args)?;
    let mut updates = till.subscribe();
    let sale = till.charge_order(&order, memo).await?;
    show(g, &sale, true);
    if let (Some(link), SaleState::AwaitingPayment) = (card, sale.state) {
        match till.pay_from_link(sale.id, link).await {
            Ok(()) => {
                if !g.json {
                    println!("  {}", g.lang.text("cli_card_took"));
                }
            }
            // No clear answer (a timeout, a garbled reply): the service may pay all the same,
            // so the sale is followed as with --wait rather than cancelled.
            Err(TillError::Card(e @ (CardError::Unreachable(_) | CardError::BadAnswer(_)))) => {
                eprintln!("till: {e}; following the sale in case the card pays after all")
            }
            Err(e) => {
                // A clear refusal: nobody is left to pay the invoice another way, so the sale is
                // cancelled (and still watched, as any cancelled sale).
                let closed = if sale.training {
                    till.void_training(&sale, "the card did not pay")?
                } else {
                    till.cancel(sale.receipt_no)?
                };
                show(g, &closed, false);
                return Err(Failure::from_display(e));
            }
        }
    }
    let wait = wait || card.is_some();
    if !wait {
        if sale.training && !sale.state.is_final() {
            // The demo gateway stops with this command: nobody can pay the sale afterwards.
            let void = till.void_training(
                &sale,
                "the demo gateway stopped with the command (add --wait to see the demo customer pay)",
            )?;
            show(g, &void, false);
        }
        return Ok(u8::from(sale.state == SaleState::Failed));
    }
    if let Some(code) = wait_outcome(sale.state) {
        return Ok(code);
    }
    // What charge itself published has been shown already.
    while updates.try_recv().is_ok() {}
    let watcher = Watcher::new(till.clone());
    watcher.track(sale.id);
    let mut last = sale.state;
    loop {
        let next = tokio::time::timeout(Duration::from_secs(5), updates.recv()).await;
        let current = match next {
            Ok(Ok(update)) if update.sale.id == sale.id => update.sale,
            Ok(Ok(_)) => continue,
            // Missed updates or a quiet spell: read the sale itself.
            Ok(Err(_)) | Err(_) => till
                .ledger()
                .sale(sale.id)?
                .ok_or_else(|| Failure::error("the sale vanished"))?,
        };
        if current.state != last {
            show(g, &current, false);
            last = current.state;
        }
        if let Some(code) = wait_outcome(current.state) {
            return Ok(code);
        }
        if watcher.followed() == 0 {
            return Err(Failure::error(format!(
                "stopped following receipt {}: it is {}",
                current.label(),
                current.state
            )));
        }
    }
}

pub async fn status(g: &Globals, receipt_no: i64) -> Result<u8, Failure> {
    let started = context::open_till(g).await?;
    show(g, &started.till.check(receipt_no).await?, false);
    Ok(0)
}

pub async fn cancel(g: &Globals, receipt_no: i64) -> Result<u8, Failure> {
    let started = context::open_till(g).await?;
    show(g, &started.till.cancel(receipt_no)?, false);
    Ok(0)
}

pub async fn settle(
    g: &Globals,
    receipt_no: i64,
    order: Option<String>,
    reason: Option<String>,
) -> Result<u8, Failure> {
    let started = context::open_till(g).await?;
    let settlement = Settlement::from_form(order, reason);
    let by = g.actor();
    show(
        g,
        &started.till.settle(receipt_no, settlement, &by).await?,
        false,
    );
    Ok(0)
}

pub fn sales(g: &Globals, day: Option<&str>) -> Result<u8, Failure> {
    let (_, ledger) = context::open_ledger(g)?;
    let tz = report::shop_timezone(&ledger)?;
    let day = match day {
        Some(d) => calendar::parse_day(d)?,
        None => calendar::today(tz),
    };
    let (from, to) = calendar::day_bounds(day, tz);
    let list = ledger.sales_between(from, to)?;
    if g.json {
        for s in &list {
            output::line(&sale_json(s));
        }
        return Ok(0);
    }
    if list.is_empty() {
        println!("{}", g.lang.fill("cli_no_sales", &[("day", &day)]));
    }
    for s in &list {
        let amount = s
            .fiat()
            .map(|f| {
                format!(
                    "{} {}",
                    g.lang.amount(&f.to_decimal().to_string()),
                    s.currency
                )
            })
            .unwrap_or_default();
        let sats = s
            .amount_msat
            .map(|m| format!("{} sats", group(Msat(m).sats())))
            .unwrap_or_default();
        println!(
            "{:>5}  {}  {:>14}  {:>14}  {:<16} {}{}",
            s.label(),
            s.created_at.with_timezone(&tz).format("%H:%M:%S"),
            amount,
            sats,
            s.state.as_str(),
            if s.training { "[DEMO] " } else { "" },
            s.memo
        );
    }
    Ok(0)
}

pub async fn watch(g: &Globals, once: bool) -> Result<u8, Failure> {
    let started = context::open_till(g).await?;
    let till = started.till.clone();
    if once {
        let checked = watcher::check_all_once(&till).await?;
        if checked.sales.is_empty() && checked.failures.is_empty() && !g.json {
            println!("{}", g.lang.text("cli_no_open_sales"));
        }
        for s in &checked.sales {
            show(g, s, false);
        }
        for (s, e) in &checked.failures {
            if g.json {
                let mut v = sale_json(s);
                v["check_failed"] = json!(e.to_string());
                output::line(&v);
            } else {
                println!(
                    "{}\n  {}",
                    sale_text(s, g.lang),
                    g.lang.fill("cli_could_not_check", &[("why", &e)])
                );
            }
        }
        if !checked.failures.is_empty() {
            return Err(Failure::error(format!(
                "{} sale(s) could not be checked (receipts {}); the others were",
                checked.failures.len(),
                checked
                    .failures
                    .iter()
                    .map(|(s, _)| s.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        return Ok(0);
    }
    let mut updates = till.subscribe();
    let w = Watcher::start(till.clone())?;
    if !g.json {
        println!(
            "{}",
            g.lang.fill("cli_following", &[("count", &w.followed())])
        );
    }
    loop {
        match tokio::time::timeout(Duration::from_secs(2), updates.recv()).await {
            Ok(Ok(u)) if u.previous != u.sale.state => show(g, &u.sale, false),
            _ => {}
        }
        if w.followed() == 0 {
            return Ok(0);
        }
    }
}
