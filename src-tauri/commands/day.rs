//! The day: the X report at any time, closing the day (the sealed Z report), past Z reports, and
//! exports through the system save dialog (opened from Rust: the web view never names a path).

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
        report::ReportError::FutureDay(_) | report::ReportError::OpenSales { .. } => {
            ErrorCode::NotAllowed
        }
        report::ReportError::Ledger(till_core::ledger::LedgerError::AlreadyClosed(_)) => {
            ErrorCode::NotAllowed
        }
        report::ReportError::Ledger(_) => ErrorCode::Internal,
    };
    IpcError::new(code, e.to_string())
}

fn day_or_today(
    ledger: &till_core::ledger::Ledger,
    day: Option<String>,
) -> Result<chrono::NaiveDate, IpcError> {
    match day.filter(|d| !d.trim().is_empty()) {
        Some(d) => report::parse_day(&d).map_err(report_error),
        None => Ok(report::today(
            report::shop_timezone(ledger).map_err(report_error)?,
        )),
    }
}

/// The X report of a day (today when none is given): a look that changes nothing.
#[tauri::command]
pub fn x_report(shell: State<'_, Shell>, day: Option<String>) -> Result<Report, IpcError> {
    let core = shell.manager()?;
    let ledger = core.till.ledger();
    let day = day_or_today(&ledger, day)?;
    report::x_report(
        &ledger,
        day,
        &core.till.config().terminal,
        core.demo.is_some(),
    )
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

/// Closes a day (today when none is given): seals its Z report, refuses a second close, and
/// exports it as CSV into the automatic export folder when one is set.
#[tauri::command]
pub fn close_day(shell: State<'_, Shell>, day: Option<String>) -> Result<DayClosed, IpcError> {
    let core = shell.manager()?;
    let mut ledger = core.till.ledger();
    let day = day_or_today(&ledger, day)?;
    let training = core.demo.is_some();
    let (z, _) = report::close_day(&mut ledger, day, &core.till.config().terminal, training)
        .map_err(report_error)?;
    tracing::info!(day = %day, "day closed");
    let folder = ledger
        .setting(settings::AUTO_EXPORT_DIR)?
        .filter(|d| !d.trim().is_empty());
    let (mut exported_to, mut export_problem) = (None, None);
    if let Some(folder) = folder {
        match export::days(&ledger, day, day, training, Format::Csv) {
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

/// A closed day in the list of past Z reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ClosedDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// When it was closed (UTC, RFC 3339).
    pub closed_at: String,
}

/// Every closed day of this terminal, newest first.
#[tauri::command]
pub fn closed_days(shell: State<'_, Shell>) -> Result<Vec<ClosedDay>, IpcError> {
    let core = shell.manager()?;
    let terminal = core.till.config().terminal.clone();
    let mut days: Vec<ClosedDay> = core
        .till
        .ledger()
        .day_closes()?
        .into_iter()
        .filter(|c| c.terminal == terminal)
        .map(|c| ClosedDay {
            day: c.day,
            closed_at: c.closed_at,
        })
        .collect();
    days.sort_by(|a, b| b.day.cmp(&a.day));
    Ok(days)
}

/// A past Z report, as sealed.
#[tauri::command]
pub fn z_report(shell: State<'_, Shell>, day: String) -> Result<Report, IpcError> {
    let core = shell.manager()?;
    let ledger = core.till.ledger();
    let day = report::parse_day(&day).map_err(report_error)?;
    let close = ledger
        .day_close(&day.to_string(), &core.till.config().terminal)?
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("{day} has not been closed")))?;
    serde_json::from_str(&close.report).map_err(|e| {
        IpcError::new(
            ErrorCode::Internal,
            format!("the sealed report cannot be read: {e}"),
        )
    })
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
    let first = report::parse_day(&first).map_err(report_error)?;
    let last = report::parse_day(&last).map_err(report_error)?;
    let format = match format.as_str() {
        "csv" => Format::Csv,
        "json" => Format::Json,
        _ => return Err(IpcError::new(ErrorCode::BadInput, "export as csv or json")),
    };
    let out = {
        let ledger = core.till.ledger();
        export::days(&ledger, first, last, core.demo.is_some(), format)
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
