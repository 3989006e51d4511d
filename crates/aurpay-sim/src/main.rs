//! `aurpay-sim`: the Aurpay simulator as a program, for demos and manual testing.
//!
//! ```text
//! aurpay-sim --port 8787 --api-key demo
//! curl -s -X POST localhost:8787/api/bln/order -H 'API-Key: demo' \
//!      -H 'Content-Type: application/json' -d '{"price": 12.5, "currency": "USD"}'
//! ```

use std::{process::ExitCode, time::Duration};

use aurpay_sim::SimConfig;
use clap::Parser;
use rust_decimal::Decimal;

/// A simulated Aurpay gateway on 127.0.0.1, with real signed Lightning invoices.
#[derive(Debug, Parser)]
#[command(name = "aurpay-sim", version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// The API key to accept (API-Key method).
    #[arg(long)]
    api_key: Option<String>,
    /// The API token to accept (signature method); needs --secret.
    #[arg(long, requires = "secret")]
    token: Option<String>,
    /// The API secret requests are signed with; needs --token.
    #[arg(long, requires = "token")]
    secret: Option<String>,
    /// USER:PASSWORD that Get API-Key accepts (answering with --api-key).
    #[arg(long)]
    account: Option<String>,
    /// Network of the invoices: bitcoin, testnet, signet or regtest.
    #[arg(long, default_value = "regtest")]
    network: aurpay::Network,
    /// Seconds an order stays PENDING before it becomes OVERDUE.
    #[arg(long, default_value_t = 1800)]
    lifetime: u64,
    /// Pay every pending order by itself after this many seconds (a demo customer).
    #[arg(long)]
    auto_pay_after: Option<u64>,
    /// Leave the `callback_url` out of order objects, as Aurpay's documented order object does
    /// (the till then cannot prove which order a lost answer made).
    #[arg(long)]
    no_echo: bool,
    /// A BTC price in a fiat currency, such as USD=100000 (repeatable; replaces the defaults given).
    #[arg(long = "price", value_name = "CUR=PRICE")]
    prices: Vec<String>,
}

fn config(args: Args) -> Result<SimConfig, String> {
    if args.api_key.is_none() && args.token.is_none() {
        return Err("give --api-key KEY, or --token TOKEN --secret SECRET, or both".into());
    }
    if args.lifetime == 0 {
        return Err("--lifetime must be at least 1 second".into());
    }
    let mut prices = aurpay_sim::default_prices();
    for p in &args.prices {
        let (code, price) = p
            .split_once('=')
            .ok_or_else(|| format!("--price {p}: expected CUR=PRICE"))?;
        let price: Decimal = price
            .trim()
            .parse()
            .map_err(|_| format!("--price {p}: {price} is not a number"))?;
        if price <= Decimal::ZERO || code.trim().len() != 3 {
            return Err(format!(
                "--price {p}: expected a three-letter code and a price above 0"
            ));
        }
        prices.insert(code.trim().to_ascii_uppercase(), price);
    }
    let account = match args.account {
        None => None,
        Some(a) => {
            let (u, p) = a
                .split_once(':')
                .ok_or("--account: expected USER:PASSWORD")?;
            Some((u.to_owned(), p.to_owned()))
        }
    };
    Ok(SimConfig {
        port: args.port,
        api_key: args.api_key,
        token: args.token,
        secret: args.secret,
        account,
        network: args.network,
        lifetime: Duration::from_secs(args.lifetime),
        auto_pay_after: args.auto_pay_after.map(Duration::from_secs),
        prices,
        echo_callback_url: !args.no_echo,
        ..SimConfig::default()
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match config(Args::parse()) {
        Ok(c) => c,
        Err(why) => {
            eprintln!("aurpay-sim: {why}");
            return ExitCode::from(2);
        }
    };
    let network = config.network;
    let sim = match aurpay_sim::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("aurpay-sim: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("aurpay-sim listening on {} ({network} invoices)", sim.url());
    println!(
        "control API: {}/_sim/orders, /_sim/orders/ID/pay, /_sim/faults; Ctrl+C stops",
        sim.url()
    );
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    ExitCode::SUCCESS
}
