//! `till`: the till's command-line face, for scripts, end-of-day jobs and black-box tests.
//!
//! Exit codes: 0 success (for `charge --wait`: paid), 1 an error with a one-line reason on
//! stderr, 2 a usage error, 3 timed out or cancelled, 4 the shop's day close waits for a till.

mod commands;
mod context;
mod output;

use std::{path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Till: a Lightning point of sale for Aurpay, from the command line.
#[derive(Debug, Parser)]
#[command(name = "till", version, about, long_about = None)]
struct Cli {
    /// Where the ledger lives (default: the OS data folder, ~/.local/share/till on Linux).
    #[arg(long, global = true, env = "TILL_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print one JSON object per line.
    #[arg(long, global = true)]
    json: bool,
    /// Use a built-in demo gateway whose customer pays after a few seconds; sales are training
    /// records, kept out of real reports and exports.
    #[arg(long, global = true)]
    demo: bool,
    /// Act as this person on the staff (their PIN is read from standard input's first line);
    /// without it, the command acts as the owner.
    #[arg(long, global = true, value_name = "NAME")]
    cashier: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ring up a sale: record it, create the Lightning invoice, print it with a QR.
    Charge {
        /// An amount typed on the keypad, as in 12.50 (a point for decimals): a "custom amount"
        /// line at the default tax rate. Optional when items are given.
        #[arg(required_unless_present = "item")]
        amount: Option<String>,
        /// The currency (ISO 4217 code; default: the shop's).
        #[arg(long)]
        currency: Option<String>,
        /// An item from the catalog by SKU, with a quantity as ESPx2; repeat for more items.
        #[arg(long, value_name = "SKU[xQTY]")]
        item: Vec<String>,
        /// A discount on the order: a percentage (10%) or an amount (1.50).
        #[arg(long, value_name = "PERCENT%|AMOUNT", allow_hyphen_values = true)]
        discount: Option<String>,
        /// A tip: a percentage of the total (15%) or an amount (2.00).
        #[arg(long, value_name = "PERCENT%|AMOUNT", allow_hyphen_values = true)]
        tip: Option<String>,
        /// A note kept with the sale.
        #[arg(long, default_value = "")]
        memo: String,
        /// Follow the sale until it is paid, times out or fails.
        #[arg(long, conflicts_with = "cash")]
        wait: bool,
        /// Pay it from a Bolt Card's or wallet's LNURL-withdraw link (lnurlw://..., LNURL1...,
        /// https://...), then follow it as --wait does. A refused card cancels the sale.
        #[arg(long, value_name = "LINK", conflicts_with = "cash")]
        lnurlw: Option<String>,
        /// Paid in cash, into the open shift's drawer (no gateway involved).
        #[arg(long, requires = "tendered")]
        cash: bool,
        /// The cash handed over, as in 20.00: the change is printed.
        #[arg(long, value_name = "AMOUNT", requires = "cash")]
        tendered: Option<String>,
    },
    /// Ask the gateway about a sale now and record the answer.
    Status {
        /// The receipt number.
        receipt_no: i64,
    },
    /// Cancel a sale that is waiting for payment (it is still watched for a late payment).
    Cancel {
        /// The receipt number.
        receipt_no: i64,
    },
    /// List a day's sales.
    Sales(DayArg),
    /// Settle a sale the till could not: one whose gateway answer was lost, or one marked for a
    /// manager. Check the Aurpay dashboard first.
    Settle {
        /// The receipt number.
        receipt_no: i64,
        /// The order found on the Aurpay dashboard for this sale.
        #[arg(
            long,
            value_name = "ORDER_ID",
            conflicts_with = "void",
            required_unless_present = "void"
        )]
        order: Option<String>,
        /// No order for this sale is on the dashboard: no money can arrive; void it.
        #[arg(long, requires = "reason")]
        void: bool,
        /// Why it is void.
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Resume and follow every open sale.
    Watch {
        /// Look once at every open sale and stop.
        #[arg(long)]
        once: bool,
    },
    /// The X report of the open period (what the next Z would seal); with --day, the report of
    /// that day; with --z, a sealed Z report. Changes nothing.
    Report(ReportArgs),
    /// Close the period: seal the next Z report with everything since the previous one (with
    /// --day, up to the end of that day) and print it.
    CloseDay(DayArg),
    /// Export sales as CSV or JSON.
    Export(ExportArgs),
    /// Check the ledger's hash chain, every record and every sealed Z report.
    Verify {
        /// A chain head printed on a Z report or an export (at least 16 hex digits): check the
        /// ledger still holds it, i.e. was not rewritten since.
        #[arg(long, value_name = "HEX")]
        head: Option<String>,
    },
    /// Ask the gateway directly.
    Gateway {
        #[command(subcommand)]
        what: GatewayCommand,
    },
    /// Gateway credentials in the OS keychain (secrets are read from standard input).
    Credentials {
        #[command(subcommand)]
        what: CredentialsCommand,
    },
    /// The manager PIN.
    Pin {
        #[command(subcommand)]
        what: PinCommand,
    },
    /// The shop's shared ledger on PostgreSQL: several tills, one set of books, one day close.
    Shop {
        #[command(subcommand)]
        what: ShopCommand,
    },
    /// The catalog: items, categories and tax rates, as CSV.
    Catalog {
        #[command(subcommand)]
        what: CatalogCommand,
    },
    /// The staff: who may use the till, with which role and PIN.
    Staff {
        #[command(subcommand)]
        what: StaffCommand,
    },
    /// The shift and its cash drawer.
    Shift {
        #[command(subcommand)]
        what: ShiftCommand,
    },
    /// Print a receipt on the thermal receipt printer (or, with --report, an X or Z report).
    Print(PrintArgs),
    /// The receipt printer: a test page, its settings.
    Printer {
        #[command(subcommand)]
        what: PrinterCommand,
    },
    /// The shop's settings, as the settings screen has them.
    Settings {
        #[command(subcommand)]
        what: Option<SettingsCommand>,
    },
    /// The version, mode, network, gateway and data folder.
    Info,
}

/// Where to print, and how: each overrides the printer's settings.
#[derive(Debug, Args)]
struct PrinterArgs {
    /// The printer: tcp://HOST:PORT (a network printer, port 9100) or a device (/dev/usb/lp0).
    #[arg(long, value_name = "ADDRESS")]
    printer: Option<String>,
    /// Characters per line: 32 (58 mm paper) or 48 (80 mm).
    #[arg(long, value_name = "N")]
    columns: Option<String>,
    /// The printer's code page: pc858, wpc1252, pc850 or pc437.
    #[arg(long, value_name = "PAGE")]
    code_page: Option<String>,
}

#[derive(Debug, Args)]
struct PrintArgs {
    /// The receipt number (as printed: 12, or T3 for a training sale).
    #[arg(required_unless_present = "report", conflicts_with = "report")]
    receipt: Option<String>,
    /// A reprint: the receipt says COPY (and a cash sale's drawer stays shut).
    #[arg(long)]
    copy: bool,
    /// Print a report instead: x (the open period), z (the last sealed Z, or with --day that
    /// day's report) or shift (the open shift's drawer, or the last closed one's count).
    #[arg(long, value_parser = ["x", "z", "shift"])]
    report: Option<String>,
    /// With --report z: the day, YYYY-MM-DD.
    #[arg(long, requires = "report")]
    day: Option<String>,
    #[command(flatten)]
    to: PrinterArgs,
}

#[derive(Debug, Subcommand)]
enum PrinterCommand {
    /// Print a test page: the paper's width, the code page's letters, a QR.
    Test {
        #[command(flatten)]
        to: PrinterArgs,
    },
    /// The jobs waiting in the print queue (a printer that was off, out of paper, unplugged).
    Queue,
    /// Try the waiting jobs again, oldest first (exit 1 while any still waits).
    Retry,
    /// Take a waiting job out of the queue without printing it (one for a printer that is
    /// gone, which would hold up every job after it).
    Drop {
        /// The job's number, as `till printer queue` lists it.
        id: i64,
    },
    /// Save the printer: its address, characters per line and code page.
    Set {
        /// tcp://HOST:PORT or a device such as /dev/usb/lp0.
        address: String,
        /// 32 (58 mm) or 48 (80 mm).
        #[arg(long, default_value = "48")]
        columns: String,
        /// pc858, wpc1252, pc850 or pc437.
        #[arg(long, default_value = "pc858")]
        code_page: String,
        /// The shop's address under its name on receipts: up to 3 lines, split with | (kept as
        /// it was when not given).
        #[arg(long, value_name = "LINE|LINE")]
        shop_address: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum StaffCommand {
    /// Add someone (their PIN, 4 to 12 digits, read from standard input; no two people share
    /// a PIN).
    Add {
        /// Their name, as receipts and reports show it.
        name: String,
        /// What they may do.
        #[arg(long, value_parser = ["cashier", "manager", "owner"])]
        role: String,
    },
    /// List the staff.
    List,
    /// Remove someone (their name stays on what they did).
    Remove {
        /// Their name.
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum ShiftCommand {
    /// Open a shift with the float counted into the drawer.
    Open {
        /// The float, as in 100.00.
        #[arg(long, value_name = "AMOUNT")]
        float: String,
    },
    /// Put cash into the drawer.
    PayIn {
        /// How much.
        amount: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Take cash out of the drawer.
    PayOut {
        /// How much.
        amount: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Count the drawer and close the shift: prints expected, counted and the variance.
    Close {
        /// The total counted.
        #[arg(
            long,
            value_name = "AMOUNT",
            required_unless_present = "count",
            conflicts_with = "count"
        )]
        counted: Option<String>,
        /// Or counted by denomination, as 20=3 (three 20s); repeat for each.
        #[arg(long, value_name = "FACE=N")]
        count: Vec<String>,
    },
    /// The open shift's report (or the last one's).
    Report,
}

#[derive(Debug, Subcommand)]
enum SettingsCommand {
    /// Show every setting (the default).
    Show,
    /// Change one setting, checked as the settings screen checks it: shop_name, sound,
    /// idle_lock_minutes, customer_display, network, gateway_url, auto_export_dir, timezone.
    Set {
        /// The setting's name.
        key: String,
        /// Its new value (on or off for switches).
        value: String,
    },
}

#[derive(Debug, Subcommand)]
enum CatalogCommand {
    /// Import items from a CSV file with the header sku,name,category,price,tax_rate,tax_included
    /// (and optionally barcode,label,colour,active): all rows or, if one is bad, none.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// Write the whole catalog as CSV (the import's columns).
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct DayArg {
    /// The day, YYYY-MM-DD (default: today in the shop's time zone).
    #[arg(long)]
    day: Option<String>,
}

#[derive(Debug, Subcommand)]
enum ShopCommand {
    /// Prepare or bring up to date the shop's schema, functions and roles in a PostgreSQL
    /// database, with an administrator's URL (run once by the owner; running it again changes
    /// nothing). A password the URL lacks is read from standard input.
    Init {
        /// postgres://USER@HOST[:PORT]/DATABASE
        url: String,
    },
    /// Join this till to the shop, with an administrator's URL (a password it lacks is read
    /// from standard input): the till gets a login of its own, kept in the keychain, and sends
    /// its journal so far.
    Join {
        /// postgres://USER@HOST[:PORT]/DATABASE
        url: String,
    },
    /// The link to the shop: entries waiting, the last one sent, alarms.
    Status,
    /// Send the shop the journal entries it lacks (without --once: every few seconds, until
    /// stopped).
    Sync {
        /// One round, then stop: exit status 1 when the server cannot be reached or raises an
        /// alarm.
        #[arg(long)]
        once: bool,
        /// Seconds between rounds.
        #[arg(long, default_value_t = 10, value_name = "SECONDS")]
        every: u64,
        /// Give up a round the server has not answered in this many seconds.
        #[arg(long, default_value_t = 30, value_name = "SECONDS")]
        timeout: u64,
    },
    /// The shop-wide X report over every till (what the next shop close would take); with
    /// --day, that day's report (its close, once the shop has closed it). Changes nothing.
    Report(DayArg),
    /// Close the shop's day over every till: every till's Z for the day must have reached the
    /// shop, and every till must be known to have sent everything (exit status 4 while the
    /// close waits for one, naming it).
    CloseDay {
        /// The day, YYYY-MM-DD (default: today in the shop's time zone).
        #[arg(long)]
        day: Option<String>,
        /// Close without waiting for this till (broken, stolen, switched off for good): what
        /// it holds lands in a later close once it reaches the shop. Repeat for more.
        #[arg(long, value_name = "TILL")]
        without: Vec<String>,
    },
    /// Check every till's journal as the shop holds it, and every shop day close re-added.
    Verify,
    /// Clear a till's standing alarm once you have looked (an administrator's URL; a password
    /// it lacks is read from standard input). The alarm stays on record.
    ClearAlarm {
        /// postgres://USER@HOST[:PORT]/DATABASE
        url: String,
        /// The till's name in the shop.
        terminal: String,
    },
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// One calendar day of the shop, YYYY-MM-DD.
    #[arg(long, conflicts_with = "z")]
    day: Option<String>,
    /// A sealed Z report, by number.
    #[arg(long, value_name = "N")]
    z: Option<i64>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// One day, YYYY-MM-DD.
    #[arg(long, conflicts_with_all = ["from", "to", "z"])]
    day: Option<String>,
    /// What a Z report sealed, by number.
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to"])]
    z: Option<i64>,
    /// The first day of a range.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// The last day of a range (inclusive).
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// The format.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// One row per line sold (receipt number as the key) instead of one per sale (CSV).
    #[arg(long, conflicts_with = "format")]
    lines: bool,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum GatewayCommand {
    /// The Lightning balance.
    Balance,
    /// The fiat currencies the gateway prices in.
    Currencies,
    /// The gateway's latest orders.
    Orders {
        /// Page number, from 1.
        #[arg(long, default_value_t = 1)]
        page: u32,
    },
    /// Pay a Lightning invoice from the balance.
    Withdraw {
        /// The BOLT11 invoice to pay.
        invoice: String,
        /// Pay it (without this, only show what would be paid).
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
enum CredentialsCommand {
    /// Store credentials read from standard input: one line with an API key, or with
    /// --signature two lines, the API token then the API secret.
    Set {
        /// Read an API token and secret instead of an API key.
        #[arg(long)]
        signature: bool,
    },
    /// Show which credentials are in use, masked.
    Show,
    /// Remove the stored credentials.
    Clear,
}

#[derive(Debug, Subcommand)]
enum PinCommand {
    /// Set the manager PIN (4 to 12 digits, read from standard input; the current PIN first,
    /// when one is set).
    Set,
    /// Forgot the PIN: set a new one and remove the gateway credentials from the keychain, so
    /// whoever resets the PIN cannot use the shop's Aurpay account without entering them again.
    Reset,
}

/// A command's failure: the sentence for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// One line.
    pub message: String,
    /// 1 for errors, 3 for timed out or cancelled.
    pub code: u8,
}

impl Failure {
    /// An error (exit 1).
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 1,
        }
    }

    /// An error (exit 1) whose sentence is `e`'s.
    pub fn from_display(e: impl std::fmt::Display) -> Self {
        Self::error(e.to_string())
    }
}

/// Every core error is a plain sentence on stderr and exit 1, so `?` is all a command writes.
macro_rules! failure_from {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for Failure {
            fn from(e: $error) -> Self {
                Self::from_display(e)
            }
        })*
    };
}

failure_from!(
    till_core::till::TillError,
    till_core::ledger::LedgerError,
    till_core::report::ReportError,
    till_core::export::ExportError,
    till_core::files::WriteError,
    till_core::calendar::BadDate,
    till_core::startup::StartupError,
    till_core::environment::EnvironmentError,
    till_core::settings::SettingsError,
    till_core::settings::TimezoneError,
    till_core::pin::PinError,
    till_core::secrets::SecretError,
    till_core::cart::CartError,
    till_core::catalog::CatalogError,
    till_core::money::MoneyError,
    till_core::people::PeopleError,
    till_core::printing::PrintingError,
    till_shop::ShopError,
    aurpay::Error,
);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = context::language(cli.data_dir.as_ref());
    let globals = context::Globals {
        lang,
        data_dir: cli.data_dir,
        json: cli.json,
        demo: cli.demo,
        cashier: cli.cashier,
        person: None,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("till: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(globals.clone(), cli.command)) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            // One line, whatever the message holds.
            let one_line = f.message.replace(['\n', '\r'], " ");
            if globals.json {
                println!("{}", serde_json::json!({"error": one_line}));
            }
            eprintln!("till: {one_line}");
            ExitCode::from(f.code)
        }
    }
}
