//! The books: reports, closing the day, exports, verification.

use serde_json::json;
use till_core::{
    calendar,
    export::{self, ExportFormat},
    report,
};

use super::Globals;
use crate::{context, output, ExportArgs, Failure, Format};

fn print_report(g: &Globals, r: &report::Report) {
    if g.json {
        output::line(&serde_json::to_value(r).unwrap_or_default());
    } else {
        print!("{}", report::render_in(r, g.lang));
    }
}

/// A day typed on the command line, if one was.
fn day(text: Option<&str>) -> Result<Option<chrono::NaiveDate>, Failure> {
    Ok(text.map(calendar::parse_day).transpose()?)
}

pub fn report(g: &Globals, day: Option<&str>, z: Option<i64>) -> Result<u8, Failure> {
    let (_, ledger) = context::open_ledger(g)?;
    let terminal = till_core::settings::terminal(&ledger)?;
    let r = match (self::day(day)?, z) {
        (_, Some(n)) => report::z_report(&ledger, &terminal, g.demo, n)?.0,
        (Some(d), None) => report::day_report(&ledger, d, &terminal, g.demo)?,
        (None, None) => report::x_report(&ledger, &terminal, g.demo)?,
    };
    print_report(g, &r);
    Ok(0)
}

pub fn close_day(g: &Globals, day: Option<&str>) -> Result<u8, Failure> {
    let (_, mut ledger) = context::open_ledger(g)?;
    let terminal = till_core::settings::terminal(&ledger)?;
    let (closed, z) =
        till_core::day::close(&mut ledger, &terminal, g.demo, self::day(day)?, &g.actor())?;
    print_report(g, &closed.report);
    if !g.json {
        println!(
            "{}",
            g.lang.fill(
                "cli_closed_sealed",
                &[("label", &z.label()), ("entry", &z.event_id)]
            )
        );
        match (&closed.exported_to, &closed.export_problem) {
            (Some(path), _) => println!("{}", g.lang.fill("cli_exported_to", &[("path", path)])),
            (None, Some(problem)) => eprintln!("till: the automatic export failed: {problem}"),
            (None, None) => {}
        }
    }
    Ok(0)
}

pub fn export(g: &Globals, a: &ExportArgs) -> Result<u8, Failure> {
    let (_, ledger) = context::open_ledger(g)?;
    let format = match a.format {
        _ if a.lines => ExportFormat::Lines,
        Format::Csv => ExportFormat::Csv,
        Format::Json => ExportFormat::Json,
    };
    let out = match a.z {
        Some(n) => {
            let terminal = till_core::settings::terminal(&ledger)?;
            let (_, z) = report::z_report(&ledger, &terminal, g.demo, n)?;
            export::z(&ledger, &z, format)?
        }
        None => {
            let tz = report::shop_timezone(&ledger)?;
            let (first, last) = match (
                day(a.day.as_deref())?,
                day(a.from.as_deref())?,
                day(a.to.as_deref())?,
            ) {
                (_, Some(f), Some(t)) => (f, t),
                (Some(d), _, _) => (d, d),
                _ => {
                    let d = calendar::today(tz);
                    (d, d)
                }
            };
            export::days(&ledger, first, last, g.demo, format)?
        }
    };
    match &a.output {
        Some(path) => {
            till_core::files::write_atomically(path, &out.bytes)?;
            if !g.json {
                eprintln!(
                    "{}",
                    g.lang.fill(
                        "cli_wrote_export",
                        &[
                            ("sales", &out.sales),
                            ("refunds", &out.refunds),
                            ("path", &path.display())
                        ]
                    )
                );
            }
        }
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(&out.bytes)
                .map_err(Failure::from_display)?
        }
    }
    Ok(0)
}

pub fn verify(g: &Globals, head: Option<&str>) -> Result<u8, Failure> {
    let anchor = match head {
        None => None,
        Some(h) => {
            let h = h.trim().to_ascii_lowercase();
            if !(16..=64).contains(&h.len()) || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(Failure::error(
                    "--head takes the chain head as printed: 16 to 64 hexadecimal digits",
                ));
            }
            Some(h)
        }
    };
    let (_, ledger) = context::open_ledger(g)?;
    let r = ledger.verify()?;
    let found = match &anchor {
        None => None,
        Some(h) => Some(ledger.find_anchor(h)?.ok_or_else(|| {
            Failure::error(format!(
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
            "{}",
            g.lang.fill(
                "cli_verifies",
                &[
                    ("entries", &r.entries),
                    ("sales", &r.sales),
                    ("refunds", &r.refunds),
                    ("withdrawals", &r.withdrawals),
                    ("z", &r.z_reports),
                    ("head", &r.head)
                ]
            )
        );
        if let Some(a) = &found {
            println!(
                "{}",
                g.lang.fill(
                    "cli_printed_head",
                    &[("id", &a.id), ("kind", &a.kind), ("at", &a.at)]
                )
            );
        }
    }
    Ok(0)
}
