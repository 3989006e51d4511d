//! `till print` and `till printer`: receipts and reports on the thermal printer.

use serde_json::json;
use till_core::{
    ledger::label,
    printing::{self, PrinterSetup, ReportChoice},
    settings,
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
    let (_, mut ledger) = context::open_ledger(g)?;
    let setup = setup(&ledger, &args.to)?;
    let terminal = settings::terminal(&ledger)?;
    let (doc, what) = match (&args.report, &args.receipt) {
        (Some(kind), _) => {
            let choice = match (kind.as_str(), args.day.as_deref()) {
                ("shift", _) => ReportChoice::Shift,
                ("x", _) => ReportChoice::X,
                (_, Some(d)) => ReportChoice::Day(till_core::calendar::parse_day(d)?),
                _ => ReportChoice::Z(None),
            };
            printing::report_document(&ledger, &terminal, g.demo, choice)?
        }
        (None, Some(text)) => {
            let n = receipt_no(text, g.demo)?;
            let sale = ledger.sale_by_receipt(&terminal, g.demo, n)?;
            let doc = printing::sale_receipt(&ledger, &sale, &setup, args.copy)?;
            (doc, format!("receipt {}", label("", g.demo, n)))
        }
        (None, None) => return Err(Failure::error("name a receipt number, or --report x|z")),
    };
    // Through the queue: a printer that is off keeps the job for `till printer retry`.
    let id = setup.enqueue(&mut ledger, &what, &doc)?;
    let run = printing::print_waiting(&mut ledger)?;
    if let Some((_, _, on)) = run.printed.iter().find(|(job, _, _)| *job == id) {
        say(
            g,
            json!({"ok": true, "printed": what, "printer": on, "copy": args.copy, "waiting": run.waiting.len()}),
            &g.lang.fill(
                if args.copy {
                    "cli_printed_copy"
                } else {
                    "cli_printed"
                },
                &[("what", &what), ("printer", &on)],
            ),
        );
        return Ok(0);
    }
    let why = run
        .waiting
        .iter()
        .find(|(job, _, _)| *job == id)
        .map(|(_, _, why)| why.clone())
        .unwrap_or_default();
    Err(Failure::error(format!(
        "{what} waits in the print queue: {why}; `till printer retry` prints it"
    )))
}

pub fn printer(g: &Globals, what: PrinterCommand) -> Result<u8, Failure> {
    let (_, mut ledger) = context::open_ledger(g)?;
    match what {
        PrinterCommand::Test { to } => {
            let setup = setup(&ledger, &to)?;
            let shop = settings::shop_name(&ledger)?;
            let on = setup.print(&printing::test_page(
                &shop,
                &setup,
                settings::language(&ledger),
            ))?;
            say(
                g,
                json!({"ok": true, "printer": on, "columns": setup.paper.columns, "code_page": setup.page.as_str()}),
                &g.lang.fill("cli_printed_test", &[("printer", &on)]),
            );
        }
        PrinterCommand::Queue => {
            let jobs = ledger.waiting_print_jobs()?;
            for j in &jobs {
                say(
                    g,
                    json!({"id": j.id, "what": j.what, "printer": j.printer, "queued_at": j.created_at, "tries": j.tries, "problem": j.problem}),
                    &format!(
                        "{:>4}  {}  {}{}",
                        j.id,
                        j.created_at,
                        g.lang.fill(
                            "cli_queue_job",
                            &[("what", &j.what), ("printer", &j.printer)]
                        ),
                        j.problem
                            .as_deref()
                            .map(|p| format!(": {p}"))
                            .unwrap_or_default()
                    ),
                );
            }
            if jobs.is_empty() && !g.json {
                println!("{}", g.lang.text("cli_nothing_waits"));
            }
        }
        PrinterCommand::Retry => {
            let run = printing::print_waiting(&mut ledger)?;
            for (_, what, on) in &run.printed {
                say(
                    g,
                    json!({"printed": what, "printer": on}),
                    &g.lang
                        .fill("cli_printed", &[("what", &what), ("printer", &on)]),
                );
            }
            if let Some((_, what, why)) = run.waiting.first() {
                return Err(Failure::error(format!(
                    "{} job(s) still wait, starting with {what}: {why}",
                    run.waiting.len()
                )));
            }
        }
        PrinterCommand::Drop { id } => {
            if !ledger.drop_print_job(id, chrono::Utc::now())? {
                return Err(Failure::error(format!(
                    "no job {id} waits in the print queue (till printer queue lists them)"
                )));
            }
            say(
                g,
                json!({"dropped": id}),
                &g.lang.fill("cli_job_dropped", &[("id", &id)]),
            );
        }
        PrinterCommand::Set {
            address,
            columns,
            code_page,
            shop_address,
        } => {
            // Checked before anything is saved: a refused address leaves the printer as it was.
            let shop_address = shop_address
                .as_deref()
                .map(printing::check_shop_address)
                .transpose()?;
            let s = PrinterSetup::save(&mut ledger, &address, &columns, &code_page)?;
            if let Some(lines) = &shop_address {
                printing::save_shop_address(&mut ledger, lines)?;
            }
            say(
                g,
                json!({"ok": true, "printer": address.trim(), "columns": s.paper.columns, "code_page": s.page.as_str()}),
                &g.lang.fill(
                    "cli_printer_set",
                    &[
                        ("printer", &address.trim()),
                        ("columns", &s.paper.columns),
                        ("page", &s.page.as_str()),
                    ],
                ),
            );
        }
    }
    Ok(0)
}
