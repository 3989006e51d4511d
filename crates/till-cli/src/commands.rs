//! What each command does: a few lines each over `till-core`.

use std::{
    io::{BufRead, Write},
    time::Duration,
};

use aurpay::{Credentials, Secret};
use chrono::{NaiveDate, Utc};
use serde_json::json;
use till_core::{
    export,
    ledger::{Ledger, Sale},
    pin, report,
    sale::SaleState,
    secrets::{self, KeyringStore},
    till::Settlement,
    watcher::{self, Watcher},
    Mode,
};

use crate::Failure;
use crate::{
    context::{self, Globals},
    output::{self, group, invoice_qr, sale_json, sale_text},
    Command, CredentialsCommand, ExportArgs, Format, GatewayCommand, PinCommand,
};

fn fail(e: impl std::fmt::Display) -> Failure {
    Failure::error(e.to_string())
}

/// Runs one command; the exit code on success.
pub async fn run(g: &Globals, command: Command) -> Result<u8, Failure> {
    match command {
        Command::Charge {
            amount,
            currency,
            memo,
            wait,
        } => charge(g, &amount, &currency, &memo, wait).await,
        Command::Status { receipt_no } => {
            let opened = context::open_till(g).await?;
            let sale = opened.till.check(receipt_no).await.map_err(fail)?;
            show(g, &sale, false);
            Ok(0)
        }
        Command::Cancel { receipt_no } => {
            let opened = context::open_till(g).await?;
            let sale = opened.till.cancel(receipt_no).map_err(fail)?;
            show(g, &sale, false);
            Ok(0)
        }
        Command::Sales(d) => sales(g, d.day.as_deref()),
        Command::Settle {
            receipt_no,
            order,
            void: _,
            reason,
        } => {
            let opened = context::open_till(g).await?;
            let settlement = match order {
                Some(order_id) => Settlement::Found { order_id },
                None => Settlement::Void {
                    reason: reason.unwrap_or_default(),
                },
            };
            let by = std::env::var("USER").unwrap_or_default();
            let sale = opened
                .till
                .settle(receipt_no, settlement, &by)
                .await
                .map_err(fail)?;
            show(g, &sale, false);
            Ok(0)
        }
        Command::Watch { once } => watch(g, once).await,
        Command::Report(a) => {
            let env = context::environment(g)?;
            let ledger = context::open_ledger(&env)?;
            let terminal = context::terminal(&ledger)?;
            let r = match (a.day.as_deref(), a.z) {
                (_, Some(n)) => {
                    report::z_report(&ledger, &terminal, g.demo, n)
                        .map_err(fail)?
                        .ok_or_else(|| {
                            fail(format!(
                                "there is no {}",
                                till_core::ledger::label("Z", g.demo, n)
                            ))
                        })?
                        .0
                }
                (Some(d), None) => {
                    let day = report::parse_day(d).map_err(fail)?;
                    report::day_report(&ledger, day, &terminal, g.demo).map_err(fail)?
                }
                (None, None) => report::x_report(&ledger, &terminal, g.demo).map_err(fail)?,
            };
            print_report(g, &r);
            Ok(0)
        }
        Command::CloseDay(d) => {
            let env = context::environment(g)?;
            let mut ledger = context::open_ledger(&env)?;
            let upto = d
                .day
                .as_deref()
                .map(report::parse_day)
                .transpose()
                .map_err(fail)?;
            let terminal = context::terminal(&ledger)?;
            let (r, z) = report::close(&mut ledger, &terminal, g.demo, upto).map_err(fail)?;
            print_report(g, &r);
            if !g.json {
                println!(
                    "{} is closed and sealed (journal entry {}); write down its chain head to check the ledger later with `till verify --head`.",
                    z.label(),
                    z.event_id
                );
            }
            Ok(0)
        }
        Command::Export(a) => export_sales(g, &a),
        Command::Verify { head } => verify(g, head.as_deref()),
        Command::Gateway { what } => gateway(g, what).await,
        Command::Credentials { what } => credentials(g, what),
        Command::Pin {
            what: PinCommand::Set,
        } => {
            let env = context::environment(g)?;
            let mut ledger = context::open_ledger(&env)?;
            if pin::is_set(&ledger).map_err(fail)? {
                let current = read_line("the current PIN")?;
                pin::verify(&mut ledger, &current, chrono::Utc::now()).map_err(|e| {
                    fail(format!(
                        "{e}; if the PIN is forgotten, `till pin reset` sets a new one and removes the gateway credentials"
                    ))
                })?;
            }
            let pin_text = read_line("the new PIN")?;
            pin::set(&mut ledger, &pin_text).map_err(fail)?;
            say(g, json!({"ok": true}), "the manager PIN is set");
            Ok(0)
        }
        Command::Pin {
            what: PinCommand::Reset,
        } => {
            let env = context::environment(g)?;
            let mut ledger = context::open_ledger(&env)?;
            let pin_text = read_line("the new PIN")?;
            // Checked before anything is removed: a bad PIN leaves everything as it was.
            pin::check_format(&pin_text).map_err(fail)?;
            // The credentials go first: a PIN reset must never hand over the shop's Aurpay
            // account, so without a keychain to clear, the PIN stays as it was.
            till_core::secrets::clear_credentials(&KeyringStore::new()).map_err(|e| {
                fail(format!(
                    "the PIN was not reset: the gateway credentials could not be removed from the keychain first ({e})"
                ))
            })?;
            pin::set(&mut ledger, &pin_text).map_err(fail)?;
            say(
                g,
                json!({"ok": true, "credentials_removed": true}),
                "the manager PIN is reset; the gateway credentials were removed from the keychain; enter them again in the app",
            );
            Ok(0)
        }
        Command::Info => info(g),
    }
}

fn say(g: &Globals, v: serde_json::Value, text: &str) {
    if g.json {
        output::line(&v);
    } else {
        println!("{text}");
    }
}

fn show(g: &Globals, sale: &Sale, with_qr: bool) {
    if g.json {
        output::line(&sale_json(sale));
        return;
    }
    println!("{}", sale_text(sale));
    if with_qr && sale.state == SaleState::AwaitingPayment {
        if let Some(pr) = &sale.payment_request {
            println!("  lightning:{}", pr.to_ascii_uppercase());
            if let Some(qr) = invoice_qr(pr) {
                println!("{qr}");
            }
        }
        if let Some(url) = &sale.pay_url {
            println!("  or pay at {url}");
        }
    }
}

/// The exit code a sale's state means for `charge --wait`, or None while it is still open.
fn wait_outcome(state: SaleState) -> Option<u8> {
    match state {
        SaleState::Paid | SaleState::PaidLate => Some(0),
        SaleState::Failed => Some(1),
        SaleState::TimedOut | SaleState::Cancelled => Some(3),
        SaleState::Creating | SaleState::AwaitingPayment | SaleState::Uncertain => None,
    }
}

async fn charge(
    g: &Globals,
    amount: &str,
    currency: &str,
    memo: &str,
    wait: bool,
) -> Result<u8, Failure> {
    let opened = context::open_till(g).await?;
    let till = opened.till.clone();
    let mut updates = till.subscribe();
    let sale = till.charge(amount, currency, memo).await.map_err(fail)?;
    show(g, &sale, true);
    if !wait {
        if sale.training && !sale.state.is_final() {
            // The demo gateway stops with this command: nobody can pay the sale afterwards.
            let void = till
                .void_training(&sale, "the demo gateway stopped with the command (add --wait to see the demo customer pay)")
                .map_err(fail)?;
            show(g, &void, false);
        }
        return Ok(if sale.state == SaleState::Failed {
            1
        } else {
            0
        });
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
                .sale(sale.id)
                .map_err(fail)?
                .ok_or_else(|| fail("the sale vanished"))?,
        };
        if current.state != last {
            show(g, &current, false);
            last = current.state;
        }
        if let Some(code) = wait_outcome(current.state) {
            return Ok(code);
        }
        if watcher.followed() == 0 {
            return Err(fail(format!(
                "stopped following receipt {}: it is {}",
                current.receipt_no, current.state
            )));
        }
    }
}

fn day_or_today(ledger: &Ledger, day: Option<&str>) -> Result<NaiveDate, Failure> {
    match day {
        Some(d) => report::parse_day(d).map_err(fail),
        None => Ok(report::today(report::shop_timezone(ledger).map_err(fail)?)),
    }
}

fn verify(g: &Globals, head: Option<&str>) -> Result<u8, Failure> {
    let env = context::environment(g)?;
    let ledger = context::open_ledger(&env)?;
    let anchor = match head {
        None => None,
        Some(h) => {
            let h = h.trim().to_ascii_lowercase();
            if !(16..=64).contains(&h.len()) || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(fail(
                    "--head takes the chain head as printed: 16 to 64 hexadecimal digits",
                ));
            }
            Some(h)
        }
    };
    let r = ledger.verify().map_err(fail)?;
    let found = match &anchor {
        None => None,
        Some(h) => Some(ledger.find_anchor(h).map_err(fail)?.ok_or_else(|| {
            fail(format!(
                "the chain head {h} is not in this ledger: it was rewritten since that head was printed, or it is another till's ledger"
            ))
        })?),
    };
    if g.json {
        let mut v = json!({"ok": true, "entries": r.entries, "sales": r.sales, "refunds": r.refunds,
            "withdrawals": r.withdrawals, "day_closes": r.z_reports, "z_reports": r.z_reports, "head": r.head});
        if let Some(a) = &found {
            v["anchor"] = json!({"id": a.id, "at": a.at, "kind": a.kind, "hash": a.hash});
        }
        output::line(&v);
    } else {
        println!(
            "the ledger verifies: {} journal entries, {} sales, {} refunds, {} withdrawals, {} Z reports re-added; chain head {}",
            r.entries, r.sales, r.refunds, r.withdrawals, r.z_reports, r.head
        );
        if let Some(a) = &found {
            println!(
                "the printed head is journal entry {} ({}, {}): nothing before it was rewritten",
                a.id, a.kind, a.at
            );
        }
    }
    Ok(0)
}

fn sales(g: &Globals, day: Option<&str>) -> Result<u8, Failure> {
    let env = context::environment(g)?;
    let ledger = context::open_ledger(&env)?;
    let day = day_or_today(&ledger, day)?;
    let tz = report::shop_timezone(&ledger).map_err(fail)?;
    let (from, to) = report::day_bounds(day, tz);
    let list = ledger.sales_between(from, to).map_err(fail)?;
    if g.json {
        for s in &list {
            output::line(&sale_json(s));
        }
        return Ok(0);
    }
    if list.is_empty() {
        println!("no sales on {day}");
    }
    for s in &list {
        let amount = s.fiat().map(|f| f.to_string()).unwrap_or_default();
        let sats = s
            .amount_msat
            .map(|m| format!("{} sats", group(m / 1000)))
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

async fn watch(g: &Globals, once: bool) -> Result<u8, Failure> {
    let opened = context::open_till(g).await?;
    let till = opened.till.clone();
    if once {
        let checked = watcher::check_all_once(&till).await.map_err(fail)?;
        if checked.sales.is_empty() && checked.failures.is_empty() && !g.json {
            println!("no open sales");
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
                println!("{}\n  could not be checked: {e}", sale_text(s));
            }
        }
        if !checked.failures.is_empty() {
            return Err(fail(format!(
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
    let w = Watcher::start(till.clone()).map_err(fail)?;
    if !g.json {
        println!("following {} open sale(s); Ctrl+C stops", w.followed());
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

fn print_report(g: &Globals, r: &report::Report) {
    if g.json {
        output::line(&serde_json::to_value(r).unwrap_or_default());
    } else {
        print!("{}", report::render(r));
    }
}

fn export_sales(g: &Globals, a: &ExportArgs) -> Result<u8, Failure> {
    let env = context::environment(g)?;
    let ledger = context::open_ledger(&env)?;
    let format = match a.format {
        Format::Csv => export::Format::Csv,
        Format::Json => export::Format::Json,
    };
    if let Some(n) = a.z {
        let terminal = context::terminal(&ledger)?;
        let (_, z) = report::z_report(&ledger, &terminal, g.demo, n)
            .map_err(fail)?
            .ok_or_else(|| {
                fail(format!(
                    "there is no {}",
                    till_core::ledger::label("Z", g.demo, n)
                ))
            })?;
        let out = export::z(&ledger, &z, format).map_err(fail)?;
        return write_export(g, a, out);
    }
    let tz = report::shop_timezone(&ledger).map_err(fail)?;
    let (first, last) = match (&a.day, &a.from, &a.to) {
        (_, Some(f), Some(t)) => (
            report::parse_day(f).map_err(fail)?,
            report::parse_day(t).map_err(fail)?,
        ),
        (Some(d), _, _) => {
            let d = report::parse_day(d).map_err(fail)?;
            (d, d)
        }
        _ => {
            let d = report::today(tz);
            (d, d)
        }
    };
    let out = export::days(&ledger, first, last, g.demo, format).map_err(fail)?;
    write_export(g, a, out)
}

fn write_export(g: &Globals, a: &ExportArgs, out: export::Export) -> Result<u8, Failure> {
    let buf = out.bytes;
    match &a.output {
        Some(path) => {
            till_core::files::write_atomically(path, &buf)
                .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
            if !g.json {
                eprintln!(
                    "wrote {} sale(s) and {} refund(s) to {}",
                    out.sales,
                    out.refunds,
                    path.display()
                );
            }
        }
        None => std::io::stdout().write_all(&buf).map_err(fail)?,
    }
    Ok(0)
}

async fn gateway(g: &Globals, what: GatewayCommand) -> Result<u8, Failure> {
    let opened = context::open_till(g).await?;
    let client = opened.till.gateway().clone();
    match what {
        GatewayCommand::Balance => {
            let b = client.bln_balance().await.map_err(fail)?;
            let msat = b.balance.btc_to_msat().map_err(fail)?;
            say(
                g,
                json!({"balance": b.balance.to_string(), "msat": msat}),
                &format!("balance {} BTC ({} sats)", b.balance, group(msat / 1000)),
            );
        }
        GatewayCommand::Currencies => {
            let list = client.real_currencies().await.map_err(fail)?;
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
            let p = client.orders(page.max(1), 20).await.map_err(fail)?;
            for o in p.data {
                let line = json!({
                    "order_id": o.order_id, "status": o.status.as_str(), "amount": o.amount.map(|a| a.to_string()),
                    "vs_price": o.vs_price.map(|a| a.to_string()), "vs_currency": o.vs_currency,
                    "create_time": o.create_time.map(|t| t.to_string()),
                });
                if g.json {
                    output::line(&line);
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
            let decoded = aurpay::invoice::decode(&invoice).map_err(fail)?;
            if decoded.network != opened.till.config().network {
                return Err(fail(format!(
                    "the invoice is for {}, but this till is set to {}",
                    decoded.network,
                    opened.till.config().network
                )));
            }
            let sats = group(decoded.amount_msat / 1000);
            if !yes {
                return Err(fail(format!(
                    "nothing was paid: this would pay {sats} sats; add --yes to pay it"
                )));
            }
            let req = aurpay::BlnWithdrawRequest {
                ln_invoices: decoded.payment_request.clone(),
                amount: None,
            };
            let answer = client.bln_withdraw(&req).await.map_err(fail)?;
            say(
                g,
                json!({"paid_msat": decoded.amount_msat, "status": answer.value.status, "answer": answer.raw}),
                &format!(
                    "paid {sats} sats ({})",
                    answer.value.status.unwrap_or_default()
                ),
            );
        }
    }
    Ok(0)
}

fn read_line(what: &str) -> Result<String, Failure> {
    let mut line = String::new();
    let n = std::io::stdin().lock().read_line(&mut line).map_err(fail)?;
    let value = line.trim_end_matches(['\n', '\r']).trim().to_owned();
    if n == 0 || value.is_empty() {
        return Err(fail(format!("{what} was expected on standard input")));
    }
    Ok(value)
}

fn credentials(g: &Globals, what: CredentialsCommand) -> Result<u8, Failure> {
    let store = KeyringStore::new();
    match what {
        CredentialsCommand::Set { signature } => {
            let creds = if signature {
                let token = read_line("the API token")?;
                let secret = read_line("the API secret")?;
                Credentials::Signature {
                    token,
                    secret: Secret::new(secret),
                }
            } else {
                Credentials::ApiKey(Secret::new(read_line("the API key")?))
            };
            secrets::save_credentials(&store, &creds).map_err(fail)?;
            say(
                g,
                json!({"ok": true, "method": creds.method()}),
                &format!(
                    "saved the {} credentials to the system keychain",
                    creds.method()
                ),
            );
        }
        CredentialsCommand::Show => {
            let env = context::environment(g)?;
            match context::credentials(&env)? {
                None => say(
                    g,
                    json!({"method": null}),
                    "no gateway credentials are set (demo only)",
                ),
                Some((c, source)) => {
                    let masked = match &c {
                        Credentials::ApiKey(k) => format!("API key {}", k.masked()),
                        Credentials::Signature { token, secret } => {
                            format!(
                                "API token {} and secret {}",
                                Secret::new(token.clone()).masked(),
                                secret.masked()
                            )
                        }
                    };
                    say(
                        g,
                        json!({"method": c.method(), "source": source, "masked": masked}),
                        &format!("{masked} (from the {source})"),
                    );
                }
            }
        }
        CredentialsCommand::Clear => {
            secrets::clear_credentials(&store).map_err(fail)?;
            say(
                g,
                json!({"ok": true}),
                "removed the gateway credentials from the system keychain",
            );
        }
    }
    Ok(0)
}

fn info(g: &Globals) -> Result<u8, Failure> {
    let env = context::environment(g)?;
    let mode = if g.demo {
        "demo (--demo)"
    } else {
        match env.mode() {
            Mode::Live => "live",
            Mode::Demo => "no credentials in the environment (keychain or --demo)",
        }
    };
    say(
        g,
        json!({"version": till_core::VERSION, "network": env.network.to_string(), "gateway": env.base_url, "data_dir": env.data_dir, "at": Utc::now().to_rfc3339()}),
        &format!(
            "till {}\nmode:      {mode}\nnetwork:   {}\ngateway:   {}\ndata dir:  {}",
            till_core::VERSION,
            env.network,
            env.base_url,
            env.data_dir.display()
        ),
    );
    Ok(0)
}
