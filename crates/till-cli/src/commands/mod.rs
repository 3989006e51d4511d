//! What each command does: a few lines each over `till-core`, grouped as the help groups them.

mod books;
mod keys;
mod people;
mod printing;
mod selling;
mod setup;
mod shop;
mod shop_gateway;

use till_core::{ledger::Sale, people::Action, sale::SaleState};

use crate::{
    context::Globals,
    output::{self, invoice_qr, sale_json, sale_text},
    Command, Failure,
};

/// What a command needs the person at the till to be allowed (none: anyone, such as setting
/// one's own PIN, which needs that PIN anyway).
fn action(command: &Command) -> Option<Action> {
    use crate::{GatewayCommand as G, PrinterCommand as Pr, ShiftCommand as Sh, ShopCommand as S};
    Some(match command {
        Command::Charge { .. }
        | Command::Status { .. }
        | Command::Cancel { .. }
        | Command::Watch { .. } => Action::Sell,
        Command::Sales(_) | Command::Info => Action::Reprint,
        Command::Settle { .. } => Action::Settle,
        Command::Report(_) | Command::Verify { .. } => Action::Reports,
        Command::CloseDay(_) => Action::CloseDay,
        Command::Export(_) => Action::Export,
        Command::Gateway {
            what: G::Withdraw { .. },
        } => Action::Withdraw,
        // As in the app: the gateway's balance and orders, the credentials and the settings are
        // the owner's.
        Command::Gateway { .. } | Command::Credentials { .. } => Action::Credentials,
        Command::Pin { .. } => return None,
        // Joining the shop hands the till a login, as credentials do; any till may send its own
        // journal and look at the link.
        Command::Shop {
            what: S::Init { .. } | S::Join { .. } | S::ClearAlarm { .. },
        } => Action::Credentials,
        Command::Shop {
            what: S::Status | S::Sync { .. },
        } => Action::Sell,
        Command::Shop {
            what: S::Report(_) | S::Verify,
        } => Action::Reports,
        Command::Shop {
            what: S::CloseDay { .. },
        } => Action::CloseDay,
        Command::Catalog { .. } => Action::Catalog,
        Command::Settings { .. } => Action::Settings,
        Command::Staff { .. } => Action::Staff,
        Command::Print(a) if a.report.is_some() => Action::Reports,
        Command::Print(_) => Action::Reprint,
        Command::Printer {
            what: Pr::Test { .. } | Pr::Queue | Pr::Retry | Pr::Drop { .. },
        } => Action::Reprint,
        Command::Printer { .. } => Action::Settings,
        Command::Shift {
            what: Sh::Close { .. },
        } => Action::CloseShift,
        Command::Shift { what: Sh::Report } => Action::Reprint,
        Command::Shift {
            what: Sh::PayOut { .. },
        } => Action::PayOut,
        Command::Shift { .. } => Action::Drawer,
    })
}

/// Runs one command as the person `--cashier` names (or the owner); the exit code on success.
pub async fn run(mut globals: Globals, command: Command) -> Result<u8, Failure> {
    people::sign_in(&mut globals, action(&command))?;
    let g = &globals;
    match command {
        Command::Charge {
            amount,
            currency,
            item,
            discount,
            tip,
            memo,
            wait,
            lnurlw,
            cash: _,
            tendered,
        } => {
            let order = selling::OrderArgs {
                amount,
                currency,
                items: item,
                discount,
                tip,
            };
            match tendered {
                Some(tendered) => selling::sell_for_cash(g, order, &memo, &tendered).await,
                None => selling::charge(g, order, &memo, wait, lnurlw.as_deref()).await,
            }
        }
        Command::Status { receipt_no } => selling::status(g, receipt_no).await,
        Command::Cancel { receipt_no } => selling::cancel(g, receipt_no).await,
        Command::Settle {
            receipt_no,
            order,
            void: _,
            reason,
        } => selling::settle(g, receipt_no, order, reason).await,
        Command::Sales(d) => selling::sales(g, d.day.as_deref()),
        Command::Watch { once } => selling::watch(g, once).await,
        Command::Report(a) => books::report(g, a.day.as_deref(), a.z),
        Command::CloseDay(d) => books::close_day(g, d.day.as_deref()),
        Command::Export(a) => books::export(g, &a),
        Command::Verify { head } => books::verify(g, head.as_deref()),
        Command::Gateway { what } => shop_gateway::run(g, what).await,
        Command::Credentials { what } => keys::credentials(g, what),
        Command::Pin { what } => keys::pin(g, what),
        Command::Shop { what } => shop::run(g, what).await,
        Command::Catalog { what } => setup::catalog(g, what),
        Command::Settings { what } => setup::settings(g, what),
        Command::Staff { what } => people::staff(g, what),
        Command::Shift { what } => people::shift(g, what).await,
        Command::Print(args) => printing::print(g, args),
        Command::Printer { what } => printing::printer(g, what),
        Command::Info => setup::info(g),
    }
}

/// A plain line, or with `--json` the JSON object.
fn say(g: &Globals, v: serde_json::Value, text: &str) {
    if g.json {
        output::line(&v);
    } else {
        println!("{text}");
    }
}

/// A sale, with its QR when it is waiting for payment and `with_qr` asks for it.
fn show(g: &Globals, sale: &Sale, with_qr: bool) {
    if g.json {
        output::line(&sale_json(sale));
        return;
    }
    println!("{}", sale_text(sale, g.lang));
    if with_qr && sale.state == SaleState::AwaitingPayment {
        if let Some(pr) = &sale.payment_request {
            println!("  lightning:{}", pr.to_ascii_uppercase());
            if let Some(qr) = invoice_qr(pr) {
                println!("{qr}");
            }
        }
        if let Some(url) = &sale.pay_url {
            println!("  {}", g.lang.fill("cli_or_pay_at", &[("url", url)]));
        }
    }
}

/// A line read from standard input (a PIN, a credential), never from the command line where
/// it would land in the shell's history.
fn read_line(what: &str) -> Result<String, Failure> {
    use std::io::BufRead;
    let mut line = String::new();
    let n = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(Failure::from_display)?;
    let value = line.trim_end_matches(['\n', '\r']).trim().to_owned();
    if n == 0 || value.is_empty() {
        return Err(Failure::error(format!(
            "{what} was expected on standard input"
        )));
    }
    Ok(value)
}
