//! `till print` and `till printer`: receipts and reports on the thermal printer.

use serde_json::json;
use till_core::{
    ledger::label,
    printing::{self, PrinterSetup},
    report, settings,
};

use super::{say, Globals};
use crate::{context, Failure, PrintArgs, PrinterArgs, PrinterCommand};

fn setup(ledger: &till_core::ledger::Ledger, to: &PrinterArgs) -> Result<PrinterSetup, Failure> {
    Ok(PrinterSetup::load(
        ledger,
        to.printer.as_deref(),
        to.columns.as_deref(),
        to.code_page.as_deref(),
    )?)
}

/// A receipt number as printed: `12`, or `T3` for a training sale (the `T` optional with
/// `--demo`).
fn receipt_no(text: &str, demo: bool) -> Result<i64, Failure> {
    let t = text.trim();
    let (training, digits) = match t.strip_prefix(['T', 't']) {
        Some(rest) => (true, rest),
        None => (demo, t),
    };
    match digits.parse::<i64>() {
        Ok(n) if n > 0 && training == demo => Ok(n),
        Ok(_) if training != demo => Err(Failure::error(format!(
            "receipt {t} is a training receipt: print it with --demo"
        ))),
        _ => Err(Failure::error(format!(
            "{t:?} is not a receipt number (as 12, or T3 for a training sale)"
        ))),
    }
}

pub fn print(g: &Globals, args: PrintArgs) -> Result<u8, Failure> {
    let (_, ledger) = context::open_ledger(g)?;
    let setup = setup(&ledger, &args.to)?;
    let terminal = settings::terminal(&ledger)?;
    let shop = settings::shop_name(&ledger)?;
    let (doc, what) = match (&args.report, &args.receipt) {
        (Some(kind), _) => {
            let r = match (kind.as_str(), args.day.as_deref()) {
                ("x", _) => report::x_report(&ledger, &terminal, g.demo)?,
                (_, Some(d)) => report::day_report(
                    &ledger,
                    till_core::calendar::parse_day(d)?,
                    &terminal,
                    g.demo,
                )?,
                _ => {
                    let last = ledger
                        .z_reports_of(&terminal, g.demo)?
                        .into_iter()
                        .last()
                        .ok_or_else(|| Failure::error("no Z report has been closed yet"))?;
                    report::z_report(&ledger, &terminal, g.demo, last.z_no)?.0
                }
            };
            (
                printing::report_doc(&r, &shop),
                format!("{} report", r.label),
            )
        }
        (None, Some(text)) => {
            let n = receipt_no(text, g.demo)?;
            let sale = ledger.sale_by_receipt(&terminal, g.demo, n)?;
            let tz = settings::shop_timezone(&ledger)?;
            let tax = ledger
                .setting(settings::selling::TAX_NUMBER)?
                .unwrap_or_default();
            let doc = printing::receipt(&sale, &shop, &tax, tz, &setup, args.copy);
            (doc, format!("receipt {}", label("", g.demo, n)))
        }
        (None, None) => return Err(Failure::error("name a receipt number, or --report x|z")),
    };
    let on = setup.print(&doc)?;
    say(
        g,
        json!({"ok": true, "printed": what, "printer": on, "copy": args.copy}),
        &format!(
            "printed {what}{} on {on}",
            if args.copy { " (COPY)" } else { "" }
        ),
    );
    Ok(0)
}

pub fn printer(g: &Globals, what: PrinterCommand) -> Result<u8, Failure> {
    let (_, mut ledger) = context::open_ledger(g)?;
    match what {
        PrinterCommand::Test { to } => {
            let setup = setup(&ledger, &to)?;
            let shop = settings::shop_name(&ledger)?;
            let on = setup.print(&printing::test_page(&shop, &setup))?;
            say(
                g,
                json!({"ok": true, "printer": on, "columns": setup.paper.columns, "code_page": setup.page.as_str()}),
                &format!("printed a test page on {on}"),
            );
        }
        PrinterCommand::Set {
            address,
            columns,
            code_page,
        } => {
            let s = PrinterSetup::save(&mut ledger, &address, &columns, &code_page)?;
            say(
                g,
                json!({"ok": true, "printer": address.trim(), "columns": s.paper.columns, "code_page": s.page.as_str()}),
                &format!(
                    "the receipt printer is {} ({} columns, {})",
                    address.trim(),
                    s.paper.columns,
                    s.page.as_str()
                ),
            );
        }
    }
    Ok(0)
}
