//! The day: the X report at any time, closing the period (the numbered, sealed Z report), past Z
//! reports, and exports through the system save dialog (opened from Rust: the web view never
//! names a path).

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use till_core::{
    export::{self, Format},
    report::{self, Report},
    settings,
};
use ts_rs::TS;

use crate::{ErrorCode, IpcError, Shell};

fn report_error(e: report::ReportError) -> IpcError {
    let code = match &e {
        report::ReportError::BadDate(_)
        | report::ReportError::BadRange(..)
        | report::ReportError::BadTimezone(_) => ErrorCode::BadInput,
        report::ReportError::FutureDay(_)
        | report::ReportError::OpenSales { .. }
        | report::ReportError::NothingToClose(_) => ErrorCode::NotAllowed,
        report::ReportError::Ledger(till_core::ledger::LedgerError::AlreadyClosed(_)) => {
            ErrorCode::NotAllowed
        }
        report::ReportError::Ledger(_) => ErrorCode::Internal,
    };
    IpcError::new(code, e.to_string())
}

/// The X report of the open period (what the next Z would seal), or with `day` the report of
/// that calendar day: a look that changes nothing.
#[tauri::command]
pub fn x_report(shell: State<'_, Shell>, day: Option<String>) -> Result<Report, IpcError> {
    let core = shell.manager()?;
    let ledger = core.till.ledger();
    let config = core.till.config();
    match day.filter(|d| !d.trim().is_empty()) {
        None => report::x_report(&ledger, &config.terminal, config.training),
        Some(d) => {
            let day = report::parse_day(&d).map_err(|e| report_error(e.into()))?;
            report::day_report(&ledger, day, &config.terminal, config.training)
        }
    }
    .map_err(report_error)
}

/// A closed day, and where it was exported automatically (if it was).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DayClosed {
    /// The sealed Z report.
    pub report: Report,
    /// The file the automatic export wrote.
    pub exported_to: Option<String>,
    /// Why the automatic export failed (the day is closed all the same).
    pub export_problem: Option<String>,
}

/// Closes the period: seals the next Z report with every document since the previous one (with
/// `day`, only up to the end of that day), refuses when sales are still waiting or nothing
/// happened, and exports what it sealed as CSV into the automatic export folder when one is set.
#[tauri::command]
pub fn close_day(shell: State<'_, Shell>, day: Option<String>) -> Result<DayClosed, IpcError> {
    let core = shell.manager()?;
    let mut ledger = core.till.ledger();
    let upto = match day.filter(|d| !d.trim().is_empty()) {
        Some(d) => Some(report::parse_day(&d).map_err(|e| report_error(e.into()))?),
        None => None,
    };
    let config = core.till.config();
    let (z, sealed) = report::close(&mut ledger, &config.terminal, config.training, upto)
        .map_err(report_error)?;
    tracing::info!(z = %sealed.label(), "period closed");
    let folder = ledger
        .setting(settings::AUTO_EXPORT_DIR)?
        .filter(|d| !d.trim().is_empty());
    let (mut exported_to, mut export_problem) = (None, None);
    if let Some(folder) = folder {
        match export::z(&ledger, &sealed, Format::Csv) {
            Ok(out) => {
                let path = std::path::Path::new(&folder).join(&out.file_name);
                match till_core::files::write_atomically(&path, &out.bytes) {
                    Ok(()) => exported_to = Some(path.display().to_string()),
                    Err(e) => {
                        export_problem = Some(format!("could not write {}: {e}", path.display()))
                    }
                }
            }
            Err(e) => export_problem = Some(e.to_string()),
        }
    }
    Ok(DayClosed {
        report: z,
        exported_to,
        export_problem,
    })
}

/// A sealed Z report in the list of past ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ClosedDay {
    /// Its number in this terminal's book.
    #[ts(type = "number")]
    pub z_no: i64,
    /// `Z3`, or `TZ1` in the training book.
    pub label: String,
    /// When it was closed (UTC, RFC 3339).
    pub closed_at: String,
    /// It sealed documents up to this instant (UTC, RFC 3339).
    pub cutoff: String,
}

/// Every Z report of this terminal's book, newest first.
#[tauri::command]
pub fn closed_days(shell: State<'_, Shell>) -> Result<Vec<ClosedDay>, IpcError> {
    let core = shell.manager()?;
    let config = core.till.config();
    let mut list: Vec<ClosedDay> = core
        .till
        .ledger()
        .z_reports()?
        .into_iter()
        .filter(|z| z.terminal == config.terminal && z.training == config.training)
        .map(|z| ClosedDay {
            z_no: z.z_no,
            label: z.label(),
            closed_at: z.closed_at,
            cutoff: z.cutoff,
        })
        .collect();
    list.reverse();
    Ok(list)
}

/// A past Z report, as sealed, by number.
#[tauri::command]
pub fn z_report(shell: State<'_, Shell>, z_no: i64) -> Result<Report, IpcError> {
    let core = shell.manager()?;
    let config = core.till.config();
    let ledger = core.till.ledger();
    report::z_report(&ledger, &config.terminal, config.training, z_no)
        .map_err(report_error)?
        .map(|(r, _)| r)
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("there is no Z{z_no}")))
}

/// Exports the days `first..=last` as `csv` or `json` to a file the owner picks in the system
/// save dialog. Returns the path written, or nothing when the dialog was cancelled.
#[tauri::command]
pub async fn export_sales<R: Runtime>(
    app: AppHandle<R>,
    first: String,
    last: String,
    format: String,
) -> Result<Option<String>, IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.manager()?;
    let first = report::parse_day(&first).map_err(|e| report_error(e.into()))?;
    let last = report::parse_day(&last).map_err(|e| report_error(e.into()))?;
    let format = match format.as_str() {
        "csv" => Format::Csv,
        "json" => Format::Json,
        _ => return Err(IpcError::new(ErrorCode::BadInput, "export as csv or json")),
    };
    let out = {
        let ledger = core.till.ledger();
        export::days(&ledger, first, last, core.till.config().training, format)
            .map_err(|e| IpcError::new(ErrorCode::BadInput, e.to_string()))?
    };
    let picked = app
        .dialog()
        .file()
        .set_title("Export sales")
        .set_file_name(&out.file_name)
        .add_filter(format.extension().to_uppercase(), &[format.extension()])
        .blocking_save_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    till_core::files::write_atomically(&path, &out.bytes).map_err(|e| {
        IpcError::new(
            ErrorCode::Internal,
            format!("could not write {}: {e}", path.display()),
        )
    })?;
    Ok(Some(path.display().to_string()))
}

/// Picks the automatic export folder in the system folder dialog; returns it (not yet saved:
/// the settings screen saves it with the rest).
#[tauri::command]
pub async fn choose_export_folder<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Option<String>, IpcError> {
    app.state::<Shell>().manager()?;
    let picked = app
        .dialog()
        .file()
        .set_title("Folder for automatic exports")
        .blocking_pick_folder();
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}
