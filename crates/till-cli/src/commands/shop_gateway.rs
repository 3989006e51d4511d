//! Asking the gateway directly: the balance, its currencies, its orders, and withdrawals.

use serde_json::json;
use till_core::{ledger::WithdrawalState, money::Msat, payouts};

use super::{say, Globals};
use crate::{
    context,
    output::{self, group},
    Failure, GatewayCommand,
};

pub async fn run(g: &Globals, what: GatewayCommand) -> Result<u8, Failure> {
    let started = context::open_till(g).await?;
    let till = &started.till;
    let client = till.gateway();
    match what {
        GatewayCommand::Balance => {
            let b = till.balance().await?;
            say(
                g,
                json!({"balance": b.btc.to_string(), "msat": b.msat.0}),
                &g.lang.fill(
                    "cli_balance",
                    &[("btc", &b.btc), ("sats", &group(b.msat.sats()))],
                ),
            );
        }
        GatewayCommand::Currencies => {
            let list = client.real_currencies().await?;
            if g.json {
                output::line(&json!(list
                    .iter()
                    .map(|c| json!({"code": c.code, "name": c.name}))
                    .collect::<Vec<_>>()));
            } else {
                for c in list {
                    println!("{}  {}", c.code, c.name.unwrap_or_default());
                }
            }
        }
        GatewayCommand::Orders { page } => {
            let p = client.orders(page.max(1), 20).await?;
            for o in p.data {
                if g.json {
                    output::line(&json!({
                        "order_id": o.order_id, "status": o.status.as_str(),
                        "amount": o.amount.map(|a| a.to_string()),
                        "vs_price": o.vs_price.map(|a| a.to_string()), "vs_currency": o.vs_currency,
                        "create_time": o.create_time.map(|t| t.to_string()),
                    }));
                } else {
                    println!(
                        "{}  {:<9} {:>12} {}  {}",
                        o.order_id,
                        o.status,
                        o.vs_price.map(|a| a.to_string()).unwrap_or_default(),
                        o.vs_currency.unwrap_or_default(),
                        o.create_time.map(|t| t.to_string()).unwrap_or_default()
                    );
                }
            }
        }
        GatewayCommand::Withdraw { invoice, yes } => {
            let checked = payouts::check_invoice(&invoice, till.config().network)?;
            let sats = group(Msat(checked.amount_msat).sats());
            if !yes {
                return Err(Failure::error(format!(
                    "nothing was paid: this would pay {sats} sats; add --yes to pay it"
                )));
            }
            // Recorded in the ledger before the gateway is asked, so it is never paid twice.
            let w = till.withdraw(&invoice, &till.cashier()).await?;
            let answer = w.answer.clone().unwrap_or_default();
            // The gateway's own word for it, as `status` always was; the ledger's is `state`.
            let status = serde_json::from_str::<aurpay::wire::BlnWithdrawal>(&answer)
                .ok()
                .and_then(|a| a.status);
            match w.state {
                WithdrawalState::Sent => say(
                    g,
                    json!({"paid_msat": w.amount_msat, "status": status, "state": w.state.as_str(), "answer": answer}),
                    &g.lang.fill(
                        "cli_withdraw_paid",
                        &[
                            ("sats", &sats),
                            ("status", &status.as_deref().unwrap_or("sent")),
                        ],
                    ),
                ),
                WithdrawalState::Refused => {
                    return Err(Failure::error(format!(
                        "nothing was paid: the gateway refused the withdrawal ({answer})"
                    )))
                }
                WithdrawalState::Uncertain | WithdrawalState::Sending => {
                    return Err(Failure::error(format!(
                        "the withdrawal of {sats} sats may have been paid: {answer}"
                    )))
                }
            }
        }
    }
    Ok(0)
}
