//! The receipt printer from the window: print or reprint a receipt, print a report, the queue's
//! retry, the printer's state for the readiness light, and the owner's printer settings with a
//! test page. Jobs go through the queue in the ledger (`till_core::printing`); the ledger is
//! never held while a printer is waited for.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use till_core::{
    people::Action,
    printing::{self, PrinterSetup, PrinterState, ReportChoice},
    settings,
};
use ts_rs::TS;

use crate::{events, ErrorCode, IpcError, Shell};

/// How long the readiness light waits for the printer's answer.
const STATUS_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The printer as the readiness light shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrinterView {
    /// Its address; none when no printer is set up.
    pub printer: Option<String>,
    /// It can print now.
    pub ready: bool,
    /// What it says: `ready`, `out of paper`, or why it cannot be reached.
    pub words: String,
    /// The same as a code the screen words in its language: `none`, `ready`, `paper_low`,
    /// `out_of_paper`, `unplugged` or `unreachable` (then `words` says why).
    pub condition: String,
    /// Jobs waiting in the queue.
    pub waiting: u32,
    /// Why the oldest waiting job did not print.
    pub problem: Option<String>,
}

impl From<PrinterState> for PrinterView {
    fn from(s: PrinterState) -> Self {
        Self {
            printer: s.printer,
            ready: s.ready,
            words: s.words,
            condition: s.condition.to_owned(),
            waiting: u32::try_from(s.waiting).unwrap_or(u32::MAX),
            problem: s.problem,
        }
    }
}

/// What became of a print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Printed {
    /// It came out of the printer.
    pub printed: bool,
    /// In plain words: "Printed on ..." or why it waits in the queue.
    pub message: String,
}

/// The owner's printer settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrinterSettings {
    /// `tcp://HOST:PORT` (a network printer, usually port 9100) or a USB printer's device
    /// (`/dev/usb/lp0`); empty: no printer.
    pub printer: String,
    /// Characters per line: 32 (58 mm paper) or 48 (80 mm).
    pub columns: u8,
    /// The code page the printer is set to: `pc858`, `wpc1252`, `pc850` or `pc437`.
    pub code_page: String,
    /// Receipts print by themselves when a sale is paid (cash sales always do: the drawer opens).
    pub print_when_paid: bool,
    /// The shop's address, printed under its name: up to three lines.
    pub address: String,
}

fn bad(e: printing::PrintingError) -> IpcError {
    match e {
        printing::PrintingError::Ledger(l) => l.into(),
        printing::PrintingError::Report(r) => r.into(),
        printing::PrintingError::Nothing(why) => IpcError::new(ErrorCode::NotFound, why),
        other => IpcError::new(ErrorCode::BadInput, other.to_string()),
    }
}

/// Runs the queue off the async runtime and tells the windows the printer's state; what became
/// of job `id`.
async fn run_queue<R: Runtime>(app: &AppHandle<R>, id: Option<i64>) -> Result<Printed, IpcError> {
    let core = app.state::<Shell>().any_core()?;
    let till = core.till.clone();
    let run = tauri::async_runtime::spawn_blocking(move || printing::print_waiting_in(&*till))
        .await
        .map_err(|e| IpcError::new(ErrorCode::Internal, e.to_string()))?
        .map_err(bad)?;
    tell_printer(app).await;
    let ours = |list: &[(i64, String, String)]| {
        list.iter()
            .find(|(job, ..)| Some(*job) == id || id.is_none())
            .cloned()
    };
    Ok(match (ours(&run.printed), ours(&run.waiting)) {
        (_, Some((_, what, why))) => Printed {
            printed: false,
            message: format!("The {what} waits in the print queue: {why}"),
        },
        (Some((_, what, printer)), None) => Printed {
            printed: true,
            message: format!("The {what} was printed on {printer}"),
        },
        (None, None) => Printed {
            printed: true,
            message: "Nothing waits in the print queue".into(),
        },
    })
}

/// Asks the printer for its state and sends it to the windows (`printer-changed`).
pub async fn tell_printer<R: Runtime>(app: &AppHandle<R>) {
    let Ok(core) = app.state::<Shell>().any_core() else {
        return;
    };
    let till = core.till.clone();
    let state =
        tauri::async_runtime::spawn_blocking(move || printing::printer_state(&*till, STATUS_LIMIT))
            .await;
    if let Ok(Ok(state)) = state {
        if let Err(e) = events::PRINTER_CHANGED.emit(app, PrinterView::from(state)) {
            tracing::warn!("could not tell the windows about the printer: {e}");
        }
    }
}

/// The printer's state, asked now.
#[tauri::command]
pub async fn printer<R: Runtime>(app: AppHandle<R>) -> Result<PrinterView, IpcError> {
    let core = app.state::<Shell>().core()?;
    let till = core.till.clone();
    let state =
        tauri::async_runtime::spawn_blocking(move || printing::printer_state(&*till, STATUS_LIMIT))
            .await
            .map_err(|e| IpcError::new(ErrorCode::Internal, e.to_string()))?
            .map_err(bad)?;
    Ok(state.into())
}

/// Prints a sale's receipt (`copy`: a reprint, which says COPY and leaves the drawer shut). A
/// receipt printed before is always a COPY: only its first print is the original, so this
/// never opens a cash drawer twice.
#[tauri::command]
pub async fn print_receipt<R: Runtime>(
    app: AppHandle<R>,
    receipt_no: i64,
    copy: bool,
) -> Result<Printed, IpcError> {
    let (core, _) = app.state::<Shell>().allow(Action::Reprint)?;
    let sale = core.till.sale(receipt_no)?;
    let id = {
        let mut ledger = core.till.ledger();
        let copy = copy || printing::printed_before(&ledger, &sale)?;
        printing::enqueue_receipt(&mut ledger, &sale, copy).map_err(bad)?
    };
    run_queue(&app, Some(id)).await
}

/// Prints a report: `x` (the open period), a sealed Z by number, or `shift` (the open shift, or
/// the last one closed).
#[tauri::command]
pub async fn print_report<R: Runtime>(
    app: AppHandle<R>,
    kind: String,
    z_no: Option<i64>,
) -> Result<Printed, IpcError> {
    let shell = app.state::<Shell>();
    let core = if kind == "shift" {
        shell.allow(Action::Drawer)?.0
    } else {
        shell.manager(Action::Reports)?
    };
    let choice = match (kind.as_str(), z_no) {
        ("x", _) => ReportChoice::X,
        ("z", Some(n)) => ReportChoice::Z(Some(n)),
        ("shift", _) => ReportChoice::Shift,
        _ => {
            return Err(IpcError::new(
                ErrorCode::BadInput,
                "Print which report: x, z with its number, or shift?",
            ))
        }
    };
    let id = {
        let mut ledger = core.till.ledger();
        let c = core.till.config();
        let (doc, what) =
            printing::report_document(&ledger, &c.terminal, c.training, choice).map_err(bad)?;
        let setup = PrinterSetup::load(&ledger, None, None, None).map_err(bad)?;
        setup.enqueue(&mut ledger, &what, &doc).map_err(bad)?
    };
    run_queue(&app, Some(id)).await
}

/// Tries the waiting print jobs again, oldest first.
#[tauri::command]
pub async fn retry_prints<R: Runtime>(app: AppHandle<R>) -> Result<Printed, IpcError> {
    app.state::<Shell>().allow(Action::Reprint)?;
    run_queue(&app, None).await
}

/// The printer settings (the owner's).
#[tauri::command]
pub fn printer_settings(shell: State<'_, Shell>) -> Result<PrinterSettings, IpcError> {
    let core = shell.manager(Action::Settings)?;
    let ledger = core.till.ledger();
    let setup = PrinterSetup::load(&ledger, None, None, None).map_err(bad)?;
    Ok(PrinterSettings {
        printer: setup.target.map(|t| t.name()).unwrap_or_default(),
        columns: setup.paper.columns,
        code_page: setup.page.as_str().to_owned(),
        print_when_paid: printing::prints_when_paid(&ledger)?,
        address: printing::shop_address(&ledger)?,
    })
}

/// Checks and saves the printer settings together (an empty address: no printer).
#[tauri::command]
pub fn save_printer(
    shell: State<'_, Shell>,
    settings: PrinterSettings,
) -> Result<PrinterSettings, IpcError> {
    let core = shell.manager(Action::Settings)?;
    {
        let mut ledger = core.till.ledger();
        let when_paid = if settings.print_when_paid {
            "on"
        } else {
            "off"
        };
        // Checked before anything is saved: a refused address leaves the printer as it was.
        let address = printing::check_shop_address(&settings.address).map_err(bad)?;
        if settings.printer.trim().is_empty() {
            ledger.set_settings(&[(printing::PRINTER, "")])?;
        } else {
            PrinterSetup::save(
                &mut ledger,
                &settings.printer,
                &settings.columns.to_string(),
                &settings.code_page,
            )
            .map_err(bad)?;
        }
        ledger.set_settings(&[
            (printing::PRINT_WHEN_PAID, when_paid),
            (printing::SHOP_ADDRESS, &address),
        ])?;
    }
    printer_settings(shell)
}

/// Prints the test page on the printer as typed (saved or not), now, without the queue.
#[tauri::command]
pub async fn print_test_page<R: Runtime>(
    app: AppHandle<R>,
    settings: PrinterSettings,
) -> Result<Printed, IpcError> {
    let core = app.state::<Shell>().manager(Action::Settings)?;
    let (setup, shop, lang) = {
        let ledger = core.till.ledger();
        let setup = PrinterSetup::load(
            &ledger,
            Some(&settings.printer),
            Some(&settings.columns.to_string()),
            Some(&settings.code_page),
        )
        .map_err(bad)?;
        (
            setup,
            settings::shop_name(&ledger)?,
            settings::language(&ledger),
        )
    };
    let printed = tauri::async_runtime::spawn_blocking(move || {
        setup.print(&printing::test_page(&shop, &setup, lang))
    })
    .await
    .map_err(|e| IpcError::new(ErrorCode::Internal, e.to_string()))?;
    Ok(match printed {
        Ok(on) => Printed {
            printed: true,
            message: format!("The test page was printed on {on}"),
        },
        Err(e) => Printed {
            printed: false,
            message: e.to_string(),
        },
    })
}
