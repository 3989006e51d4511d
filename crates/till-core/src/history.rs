//! What the cashier looks back at: today's sales of this till's book, searched, and the
//! acknowledgment of a late payment's alert.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::{
    calendar,
    ledger::Sale,
    settings,
    till::{Till, TillError},
};

/// The most sales the history lists at once, newest first: a busy day's thousands would cost
/// the window a list it cannot show and memory it keeps (the soak benchmark measured it); a search
/// finds any older one.
pub const HISTORY_ROWS: usize = 100;

/// How long the customer display shows a sale's result before it rests (`CustomerDisplay.svelte`
/// keeps the same 15 s).
pub const RESULT_SHOWN: chrono::TimeDelta = chrono::TimeDelta::seconds(15);

impl Till {
    /// Today's sales (in the shop's time zone) of this terminal's book, newest first, at most
    /// [`HISTORY_ROWS`]; with a query, only those whose receipt number is it, or whose amount or
    /// note contains it; with `cashier`, only that person's sales (a cashier sees their own).
    pub fn sales_today(&self, query: &str, cashier: Option<&str>) -> Result<Vec<Sale>, TillError> {
        let ledger = self.ledger();
        let tz = settings::shop_timezone(&ledger)?;
        let (from, to) = calendar::day_bounds(calendar::today(tz), tz);
        let config = self.config();
        let q = query.trim().to_lowercase();
        let list = ledger
            .sales_between(from, to)?
            .into_iter()
            .rev()
            .filter(|s| s.terminal == config.terminal && s.training == config.training)
            .filter(|s| cashier.is_none_or(|name| s.cashier == name))
            .filter(|s| {
                let amount = s
                    .fiat()
                    .map(|f| f.to_decimal().to_string())
                    .unwrap_or_default();
                q.is_empty()
                    || s.receipt_no.to_string() == q
                    || s.label().to_lowercase() == q
                    || amount.contains(&q)
                    || s.memo.to_lowercase().contains(&q)
            })
            .take(HISTORY_ROWS)
            .collect();
        Ok(list)
    }

    /// The cashier has seen a late payment's alert (journaled, so it stays seen after a
    /// restart).
    pub fn acknowledge_alert(&self, receipt_no: i64) -> Result<(), TillError> {
        let sale = self.sale(receipt_no)?;
        self.ledger()
            .note(sale.id, "alert_acknowledged", &json!({}), Utc::now())?;
        Ok(())
    }

    /// The sales paid late whose alert nobody acknowledged yet.
    pub fn pending_alerts(&self) -> Result<Vec<Sale>, TillError> {
        let config = self.config();
        Ok(self
            .ledger()
            .unacknowledged_paid_late(&config.terminal, config.training)?)
    }

    /// What the customer display shows as it opens or loads afresh: the sale the customer is
    /// paying now, else the last sale's result if it came within [`RESULT_SHOWN`] (a display
    /// that loaded while a sale was paid would otherwise miss the result it is there to show).
    pub fn current_sale(&self) -> Result<Option<Sale>, TillError> {
        self.current_sale_at(Utc::now())
    }

    /// [`Till::current_sale`] at `now`.
    pub fn current_sale_at(&self, now: DateTime<Utc>) -> Result<Option<Sale>, TillError> {
        let config = self.config();
        let ledger = self.ledger();
        if let Some(open) = ledger.open_sales(&config.terminal, config.training)?.pop() {
            return Ok(Some(open));
        }
        let latest = ledger.latest_sale(&config.terminal, config.training)?;
        Ok(latest.filter(|s| now.signed_duration_since(s.updated_at) <= RESULT_SHOWN))
    }
}
