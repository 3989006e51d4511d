//! The receipt printer: where it is, its paper and code page (settings), and the documents the
//! till prints on it (receipts, reports, the test page), laid out by `till-print`.

use chrono_tz::Tz;
use till_print::{doc::Block, CodePage, Doc, Paper, PrintError, Target};

use crate::{
    ledger::{Ledger, LedgerError, Sale},
    report::{self, Report},
};

/// The printer's address (`tcp://HOST:PORT` or a device); none: no printer.
pub const PRINTER: &str = "printer";
/// Characters per line: 32 (58 mm paper) or 48 (80 mm).
pub const PRINTER_COLUMNS: &str = "printer_columns";
/// The code page the printer is set to (`pc858`, `wpc1252`, `pc850`, `pc437`).
pub const PRINTER_CODE_PAGE: &str = "printer_code_page";

/// How long each step of a print may take before the printer counts as unreachable.
pub const PRINT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Why a print did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PrintingError {
    /// No printer is set up and none was named.
    #[error("no receipt printer is set up: name one with --printer tcp://HOST:PORT (or a device), or save it with `till printer set`")]
    NoPrinter,
    /// A setting is not usable.
    #[error("{0}")]
    Bad(String),
    /// The printer refused or could not be reached.
    #[error(transparent)]
    Print(#[from] PrintError),
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A report could not be made.
    #[error(transparent)]
    Report(#[from] report::ReportError),
}

/// The printer as set up: its address (if any), its paper and its code page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterSetup {
    /// Where it is.
    pub target: Option<Target>,
    /// Its paper.
    pub paper: Paper,
    /// Its code page.
    pub page: CodePage,
}

fn columns(text: &str) -> Result<Paper, PrintingError> {
    text.trim()
        .parse::<u8>()
        .ok()
        .and_then(Paper::new)
        .ok_or_else(|| {
            PrintingError::Bad(format!(
                "a receipt line is 24 to 64 characters (32 on 58 mm paper, 48 on 80 mm), not {:?}",
                text.trim()
            ))
        })
}

fn page(text: &str) -> Result<CodePage, PrintingError> {
    CodePage::parse(text).ok_or_else(|| {
        PrintingError::Bad(format!(
            "{:?} is not a code page this till speaks: pc858, wpc1252, pc850 or pc437",
            text.trim()
        ))
    })
}

impl PrinterSetup {
    /// From the settings (no printer, 48 columns and PC858 when unset), each overridden by what
    /// was given on the command line.
    pub fn load(
        ledger: &Ledger,
        target: Option<&str>,
        cols: Option<&str>,
        code_page: Option<&str>,
    ) -> Result<Self, PrintingError> {
        let saved = |key: &str| -> Result<Option<String>, PrintingError> {
            Ok(ledger.setting(key)?.filter(|v| !v.trim().is_empty()))
        };
        let target = match target.map(str::to_owned).or(saved(PRINTER)?) {
            Some(t) => Some(Target::parse(&t)?),
            None => None,
        };
        let paper = match cols.map(str::to_owned).or(saved(PRINTER_COLUMNS)?) {
            Some(c) => columns(&c)?,
            None => Paper::WIDE,
        };
        let page = match code_page.map(str::to_owned).or(saved(PRINTER_CODE_PAGE)?) {
            Some(p) => self::page(&p)?,
            None => CodePage::Pc858,
        };
        Ok(Self {
            target,
            paper,
            page,
        })
    }

    /// Checks and saves the printer's settings together (nothing is saved if one is refused).
    pub fn save(
        ledger: &mut Ledger,
        target: &str,
        cols: &str,
        code_page: &str,
    ) -> Result<Self, PrintingError> {
        let setup = Self {
            target: Some(Target::parse(target)?),
            paper: columns(cols)?,
            page: page(code_page)?,
        };
        ledger.set_settings(&[
            (PRINTER, target.trim()),
            (PRINTER_COLUMNS, &setup.paper.columns.to_string()),
            (PRINTER_CODE_PAGE, setup.page.as_str()),
        ])?;
        Ok(setup)
    }

    /// Prints `doc` now, or says plainly why not, without the queue (the test page: a
    /// diagnosis, not a document to keep).
    pub fn print(&self, doc: &Doc) -> Result<String, PrintingError> {
        let target = self.target.as_ref().ok_or(PrintingError::NoPrinter)?;
        let bytes = doc.bytes(self.paper, self.page).map_err(PrintError::from)?;
        target.send(&bytes, PRINT_TIMEOUT)?;
        Ok(target.name())
    }

    /// Lays `doc` out for this printer and queues it as `what` (refused without a printer).
    pub fn enqueue(
        &self,
        ledger: &mut Ledger,
        what: &str,
        doc: &Doc,
    ) -> Result<i64, PrintingError> {
        let target = self.target.as_ref().ok_or(PrintingError::NoPrinter)?;
        let bytes = doc.bytes(self.paper, self.page).map_err(PrintError::from)?;
        Ok(ledger.add_print_job(what, &target.name(), &bytes, chrono::Utc::now())?)
    }
}

/// What became of the queue's waiting jobs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueRun {
    /// Printed now, in order: what each was, and on which printer.
    pub printed: Vec<(i64, String, String)>,
    /// Still waiting: what each is, and why.
    pub waiting: Vec<(i64, String, String)>,
}

/// Tries every waiting job, oldest first, each on the printer it was laid out for. After the
/// first that fails the rest wait too, so a receipt never prints before an older one.
pub fn print_waiting(ledger: &mut Ledger) -> Result<QueueRun, PrintingError> {
    let mut run = QueueRun::default();
    let mut stopped: Option<String> = None;
    for job in ledger.waiting_print_jobs()? {
        if let Some(why) = &stopped {
            run.waiting.push((job.id, job.what, why.clone()));
            continue;
        }
        let sent = Target::parse(&job.printer).and_then(|t| t.send(&job.bytes, PRINT_TIMEOUT));
        match sent {
            Ok(()) => {
                ledger.print_job_printed(job.id, chrono::Utc::now())?;
                run.printed.push((job.id, job.what, job.printer));
            }
            Err(e) => {
                let why = e.to_string();
                ledger.print_job_failed(job.id, &why, chrono::Utc::now())?;
                run.waiting.push((job.id, job.what, why.clone()));
                stopped = Some(why);
            }
        }
    }
    Ok(run)
}

/// A sale's receipt for this printer (see [`crate::receipt::printed`]).
pub fn receipt(
    sale: &Sale,
    shop: &str,
    tax_number: &str,
    tz: Tz,
    setup: &PrinterSetup,
    copy: bool,
) -> Doc {
    crate::receipt::printed(sale, shop, tax_number, tz, setup.paper.columns, copy)
}

/// An X, Z or day report for the printer: its title, then the report as `till report` prints it.
pub fn report_doc(r: &Report, shop: &str) -> Doc {
    let mut d = Doc::new();
    d.push(Block::Title(shop.to_owned()));
    let text = report::render(r);
    let mut lines = text.lines();
    if let Some(first) = lines.next() {
        d.push(Block::Bold(first.to_owned()));
    }
    for l in lines {
        d.push(Block::Text(l.to_owned()));
    }
    d
}

/// The test page: the shop, the paper's width, the code page's letters, and a QR.
pub fn test_page(shop: &str, setup: &PrinterSetup) -> Doc {
    let mut d = Doc::new();
    let width = usize::from(setup.paper.columns);
    d.push(Block::Title(shop.to_owned()))
        .push(Block::Centre("Printer test page".into()))
        .push(Block::Rule)
        .push(Block::Text(
            (1..=width)
                .map(|n| char::from(b'0' + u8::try_from(n % 10).unwrap_or(0)))
                .collect(),
        ))
        .push(Block::Text(format!(
            "{} columns, code page {}",
            setup.paper.columns,
            setup.page.as_str().to_uppercase()
        )))
        .push(Block::Text(
            "é è à ü ö ä ß ñ ç €  1\u{202f}234,50 CHF".into(),
        ))
        .push(Block::Row("Right-aligned amount".into(), "12.50".into()))
        .push(Block::Rule)
        .push(Block::Qr("till:test".into()));
    d
}
