//! The receipt printer: where it is, its paper and code page (settings), and the documents the
//! till prints on it (receipts, reports, the test page), laid out by `till-print`.

use till_print::{doc::Block, CodePage, Doc, Paper, PrintError, Target};

use crate::words::Lang;

use crate::{
    ledger::{Ledger, LedgerError, Sale},
    report::{self, Report},
    till::SaleUpdate,
};

/// The printer's address (`tcp://HOST:PORT` or a device); none: no printer.
pub const PRINTER: &str = "printer";
/// Characters per line: 32 (58 mm paper) or 48 (80 mm).
pub const PRINTER_COLUMNS: &str = "printer_columns";
/// The code page the printer is set to (`pc858`, `wpc1252`, `pc850`, `pc437`).
pub const PRINTER_CODE_PAGE: &str = "printer_code_page";

/// The shop's address as receipts print it under the name: up to [`ADDRESS_LINES`] lines.
pub const SHOP_ADDRESS: &str = "shop_address";
/// The most lines an address takes on a receipt.
pub const ADDRESS_LINES: usize = 3;
/// The longest address line (the narrowest paper's width, 32 characters, is the safe choice;
/// longer lines wrap).
pub const ADDRESS_LINE_CHARS: usize = 48;

/// The shop's address for receipts (empty when none is set).
pub fn shop_address(ledger: &Ledger) -> Result<String, LedgerError> {
    Ok(ledger.setting(SHOP_ADDRESS)?.unwrap_or_default())
}

/// Checks the shop's address: at most [`ADDRESS_LINES`] lines (split at new lines or `|`) of
/// at most [`ADDRESS_LINE_CHARS`] characters, control characters removed, empty lines dropped.
/// The address as it would be saved, or why not.
pub fn check_shop_address(text: &str) -> Result<String, PrintingError> {
    let mut lines = Vec::new();
    for raw in text.split(['\n', '|']) {
        let line = crate::till::clean_text(raw, ADDRESS_LINE_CHARS).map_err(|max| {
            PrintingError::Bad(format!(
                "an address line is at most {max} characters: {:?}",
                raw.trim()
            ))
        })?;
        if !line.is_empty() {
            lines.push(line);
        }
    }
    if lines.len() > ADDRESS_LINES {
        return Err(PrintingError::Bad(format!(
            "the address takes at most {ADDRESS_LINES} lines on a receipt, not {}",
            lines.len()
        )));
    }
    Ok(lines.join("\n"))
}

/// Checks and saves the shop's address (see [`check_shop_address`]); nothing is saved when it
/// is refused.
pub fn save_shop_address(ledger: &mut Ledger, text: &str) -> Result<String, PrintingError> {
    let address = check_shop_address(text)?;
    ledger.set_settings(&[(SHOP_ADDRESS, &address)])?;
    Ok(address)
}

/// `on`: a sale's receipt prints by itself when it is paid. A cash sale's always does (its
/// receipt opens the drawer) whenever a printer is set up.
pub const PRINT_WHEN_PAID: &str = "print_when_paid";

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
    /// What was asked for does not exist yet (no Z closed, no shift opened).
    #[error("{0}")]
    Nothing(String),
}

/// Which report to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportChoice {
    /// The open period's X report.
    X,
    /// A sealed Z by number, or the last one.
    Z(Option<i64>),
    /// A shop day's report.
    Day(chrono::NaiveDate),
    /// The open shift's drawer, or the last shift's count.
    Shift,
}

/// The report asked for, laid out for the printer, with what the queue calls it (`Z3 report`,
/// `shift TS2 report`). The one place the app and `till print --report` choose a report.
pub fn report_document(
    ledger: &Ledger,
    terminal: &str,
    training: bool,
    choice: ReportChoice,
) -> Result<(Doc, String), PrintingError> {
    let shop = crate::settings::shop_name(ledger)?;
    let lang = crate::settings::language(ledger);
    let r = match choice {
        ReportChoice::Shift => {
            let r = crate::shift::last_shift_report(ledger, terminal, training)?
                .ok_or_else(|| PrintingError::Nothing("no shift has been opened yet".into()))?;
            let what = format!("shift {} report", r.shift.label());
            return Ok((shift_doc(&r, &shop, lang), what));
        }
        ReportChoice::X => report::x_report(ledger, terminal, training)?,
        ReportChoice::Day(day) => report::day_report(ledger, day, terminal, training)?,
        ReportChoice::Z(n) => {
            let n = match n {
                Some(n) => n,
                None => ledger
                    .z_reports_of(terminal, training)?
                    .into_iter()
                    .last()
                    .map(|z| z.z_no)
                    .ok_or_else(|| {
                        PrintingError::Nothing("no Z report has been closed yet".into())
                    })?,
            };
            report::z_report(ledger, terminal, training, n)?.0
        }
    };
    let what = format!("{} report", r.label);
    Ok((report_doc(&r, &shop, lang), what))
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

/// Whether the receipt prints by itself when a sale is paid.
pub fn prints_when_paid(ledger: &Ledger) -> Result<bool, LedgerError> {
    Ok(ledger.setting(PRINT_WHEN_PAID)?.as_deref() == Some("on"))
}

/// Queues the receipt of a sale that has just been paid, when it should print by itself: a
/// printer is set up, and silent printing is on or the sale was paid in cash (its receipt opens
/// the drawer). Whether one was queued.
pub fn enqueue_when_paid(ledger: &mut Ledger, update: &SaleUpdate) -> Result<bool, PrintingError> {
    let sale = &update.sale;
    let just_paid = sale.state.is_paid() && !update.previous.is_paid();
    if !just_paid || !(sale.cash.is_some() || prints_when_paid(ledger)?) {
        return Ok(false);
    }
    if PrinterSetup::load(ledger, None, None, None)?
        .target
        .is_none()
    {
        return Ok(false);
    }
    enqueue_receipt(ledger, sale, false)?;
    Ok(true)
}

/// The printer as the readiness light shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterState {
    /// Its address, or none when no printer is set up.
    pub printer: Option<String>,
    /// It answered (or took the last job): it can print now.
    pub ready: bool,
    /// What it says in words: `ready`, `out of paper`, or why it cannot be reached.
    pub words: String,
    /// The same as a code a screen words in its own language: `none` (no printer set up),
    /// `ready`, `paper_low`, `out_of_paper`, `unplugged`, or `unreachable` (then `words` says
    /// why, in the system's words).
    pub condition: &'static str,
    /// Jobs waiting in the queue.
    pub waiting: usize,
    /// Why the oldest waiting job did not print.
    pub problem: Option<String>,
}

/// Asks the printer for its state (`DLE EOT 4` on a network printer; a device is ready when it
/// can be opened), holding the ledger only to read the settings and the queue.
pub fn printer_state(
    books: &impl Books,
    limit: std::time::Duration,
) -> Result<PrinterState, PrintingError> {
    let (setup, waiting) = books.with(|l| -> Result<_, PrintingError> {
        Ok((
            PrinterSetup::load(l, None, None, None)?,
            l.waiting_print_jobs()?,
        ))
    })?;
    let problem = waiting.first().and_then(|j| j.problem.clone());
    let Some(target) = setup.target else {
        return Ok(PrinterState {
            printer: None,
            ready: false,
            words: "no printer is set up".into(),
            condition: "none",
            waiting: waiting.len(),
            problem,
        });
    };
    let (ready, words, condition) = match (&target, target.status(limit)) {
        // A USB printer unplugged takes its device file with it.
        (Target::Device(path), _) if !path.exists() => (
            false,
            format!("the printer at {} is not plugged in", path.display()),
            "unplugged",
        ),
        (_, Ok(Some(words))) if words == till_print::send::OUT_OF_PAPER => {
            (false, words, "out_of_paper")
        }
        (_, Ok(Some(words))) if words == "paper nearly out" => (true, words, "paper_low"),
        (_, Ok(Some(words))) => (true, words, "ready"),
        (_, Ok(None)) => (true, "ready".to_owned(), "ready"),
        (_, Err(e)) => (false, e.to_string(), "unreachable"),
    };
    Ok(PrinterState {
        printer: Some(target.name()),
        ready,
        words,
        condition,
        waiting: waiting.len(),
        problem,
    })
}

/// What became of the queue's waiting jobs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueRun {
    /// Printed now, in order: what each was, and on which printer.
    pub printed: Vec<(i64, String, String)>,
    /// Still waiting: what each is, and why.
    pub waiting: Vec<(i64, String, String)>,
}

/// Where the queue's jobs are read and marked: the ledger is only held for those moments, never
/// while a printer is being waited for (up to [`PRINT_TIMEOUT`] at each step), so a printer that
/// is off never holds up a sale.
pub trait Books {
    /// Runs `f` on the ledger.
    fn with<R>(&self, f: impl FnOnce(&mut Ledger) -> R) -> R;
}

impl Books for std::sync::Mutex<Ledger> {
    fn with<R>(&self, f: impl FnOnce(&mut Ledger) -> R) -> R {
        // SQLite rolls back what a panicking holder left half-done: the lock is simply taken over.
        f(&mut self.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Books for std::cell::RefCell<&mut Ledger> {
    fn with<R>(&self, f: impl FnOnce(&mut Ledger) -> R) -> R {
        f(&mut self.borrow_mut())
    }
}

impl Books for crate::till::Till {
    fn with<R>(&self, f: impl FnOnce(&mut Ledger) -> R) -> R {
        f(&mut self.ledger())
    }
}

/// Tries every waiting job, oldest first, each on the printer it was laid out for. After the
/// first that fails the rest wait too, so a receipt never prints before an older one.
pub fn print_waiting(ledger: &mut Ledger) -> Result<QueueRun, PrintingError> {
    print_waiting_in(&std::cell::RefCell::new(ledger))
}

/// One queue run at a time in this process: two at once (a paid sale's receipt, the retry
/// every half minute, a reprint) would each send the same waiting job.
static ONE_RUN: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// [`print_waiting`], holding the ledger only to read and mark the jobs.
pub fn print_waiting_in(books: &impl Books) -> Result<QueueRun, PrintingError> {
    let _one = ONE_RUN.lock().unwrap_or_else(|p| p.into_inner());
    let mut run = QueueRun::default();
    let mut stopped: Option<String> = None;
    for job in books.with(|l| l.waiting_print_jobs())? {
        if let Some(why) = &stopped {
            run.waiting.push((job.id, job.what, why.clone()));
            continue;
        }
        let sent = Target::parse(&job.printer).and_then(|t| t.send(&job.bytes, PRINT_TIMEOUT));
        match sent {
            Ok(()) => {
                books.with(|l| l.print_job_printed(job.id, chrono::Utc::now()))?;
                run.printed.push((job.id, job.what, job.printer));
            }
            Err(e) => {
                let why = e.to_string();
                books.with(|l| l.print_job_failed(job.id, &why, chrono::Utc::now()))?;
                run.waiting.push((job.id, job.what, why.clone()));
                stopped = Some(why);
            }
        }
    }
    Ok(run)
}

/// A sale's receipt laid out for `setup`'s paper, with the shop's name, address, tax number and
/// time zone from the settings (see [`crate::receipt::printed`]); COPY on a reprint.
pub fn sale_receipt(
    ledger: &Ledger,
    sale: &Sale,
    setup: &PrinterSetup,
    copy: bool,
) -> Result<Doc, PrintingError> {
    let shop = crate::settings::shop_name(ledger)?;
    let tax = ledger
        .setting(crate::settings::selling::TAX_NUMBER)?
        .unwrap_or_default();
    let tz = crate::settings::shop_timezone(ledger).map_err(|e| match e {
        crate::settings::TimezoneError::Ledger(l) => PrintingError::Ledger(l),
        bad => PrintingError::Bad(bad.to_string()),
    })?;
    let head = crate::receipt::ShopHead {
        name: shop,
        address: shop_address(ledger)?,
        tax_number: tax,
        tz,
        lang: crate::settings::language(ledger),
    };
    Ok(crate::receipt::printed(
        sale,
        &head,
        setup.paper.columns,
        copy,
    ))
}

/// Whether `sale`'s receipt was queued before (printed or waiting): a later print is a COPY,
/// which leaves a cash sale's drawer shut.
pub fn printed_before(ledger: &Ledger, sale: &Sale) -> Result<bool, LedgerError> {
    ledger.print_job_named(&format!("receipt {}", sale.label()))
}

/// Queues `sale`'s receipt for the saved printer (what it is called in the queue: `receipt 12`).
pub fn enqueue_receipt(ledger: &mut Ledger, sale: &Sale, copy: bool) -> Result<i64, PrintingError> {
    let setup = PrinterSetup::load(ledger, None, None, None)?;
    let doc = sale_receipt(ledger, sale, &setup, copy)?;
    let what = format!(
        "receipt {}{}",
        sale.label(),
        if copy { " (copy)" } else { "" }
    );
    setup.enqueue(ledger, &what, &doc)
}

/// An X, Z or day report for the printer: its title, then the report as `till report` prints it.
pub fn report_doc(r: &Report, shop: &str, lang: Lang) -> Doc {
    text_doc(shop, &report::render_in(r, lang))
}

/// A shift's report for the printer (opened, moved, counted, the variance), as `till shift
/// report` prints it.
pub fn shift_doc(r: &crate::shift::ShiftReport, shop: &str, lang: Lang) -> Doc {
    text_doc(shop, &r.render_in(lang))
}

/// The shop's name as the title, the text's first line in bold, the rest as it is.
fn text_doc(shop: &str, text: &str) -> Doc {
    let mut d = Doc::new();
    d.push(Block::Title(shop.to_owned()));
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
pub fn test_page(shop: &str, setup: &PrinterSetup, lang: Lang) -> Doc {
    let mut d = Doc::new();
    let width = usize::from(setup.paper.columns);
    d.push(Block::Title(shop.to_owned()))
        .push(Block::Centre(lang.text("print_test_page").into()))
        .push(Block::Rule)
        .push(Block::Text(
            (1..=width)
                .map(|n| char::from(b'0' + u8::try_from(n % 10).unwrap_or(0)))
                .collect(),
        ))
        .push(Block::Text(lang.fill(
            "print_test_columns",
            &[
                ("columns", &setup.paper.columns),
                ("page", &setup.page.as_str().to_uppercase()),
            ],
        )))
        .push(Block::Text(
            "é è à ü ö ä ß ñ ç €  1\u{202f}234,50 CHF".into(),
        ))
        .push(Block::Row(
            lang.text("print_test_right").into(),
            lang.amount("12.50"),
        ))
        .push(Block::Rule)
        .push(Block::Qr("till:test".into()));
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shop_address_is_at_most_three_short_lines() {
        assert_eq!(
            check_shop_address("  Rue du Marché 4 \n\n1003 Lausanne|").unwrap(),
            "Rue du Marché 4\n1003 Lausanne"
        );
        assert_eq!(check_shop_address("").unwrap(), "");
        assert!(matches!(
            check_shop_address("a|b|c|d"),
            Err(PrintingError::Bad(m)) if m.contains("at most 3 lines")
        ));
        assert!(matches!(
            check_shop_address(&"x".repeat(49)),
            Err(PrintingError::Bad(m)) if m.contains("at most 48 characters")
        ));
        assert_eq!(check_shop_address("Tab\there\u{7}").unwrap(), "Tab here");
    }
}
