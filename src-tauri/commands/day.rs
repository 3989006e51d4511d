//! The day: the X report at any time, closing the period (the numbered, sealed Z report), past Z
//! reports, and exports through the system save dialog (opened from Rust: the web view never
//! names a path).

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use till_core::{
    day::DayClosed,
    export::{self, ExportFormat},
    report::{self, Report},
};
use ts_rs::TS;

use crate::{choice::Choice, IpcError, Shell};
use till_core::people::Action;

/// A calendar day typed by the owner, if one was.
fn day(text: Option<String>) -> Result<Option<chrono::NaiveDate>, IpcError> {
    text.filter(|d| !d.trim().is_empty())
        .map(|d| report::parse_day(&d).map_err(|e| report::ReportError::from(e).into()))
        .transpose()
}

/// The X report of the open period (what the next Z would seal), or with `day` the report of
/// that calendar day: a look that changes nothing.
#[tauri::command]
pub fn x_report(shell: State<'_, Shell>, day: Option<String>) -> Result<Report, IpcError> {
    let core = shell.manager(Action::Reports)?;
    let config = core.till.config();
    let ledger = core.till.ledger();
    Ok(match self::day(day)? {
        None => report::x_report(&ledger, &config.terminal, config.training)?,
        Some(d) => report::day_report(&ledger, d, &config.terminal, config.training)?,
    })
}

/// Closes the period: seals the next Z report with every document since the previous one (with
/// `day`, only up to the end of that day), refuses when sales are still waiting or nothing
/// happened, and exports what it sealed as CSV into the automatic export folder when one is set.
#[tauri::command]
pub fn close_day(shell: State<'_, Shell>, day: Option<String>) -> Result<DayClosed, IpcError> {
    let (core, by) = shell.allow(Action::CloseDay)?;
    let config = core.till.config();
    let upto = self::day(day)?;
    let (closed, _) = till_core::day::close(
        &mut core.till.ledger(),
        &config.terminal,
        config.training,
        upto,
        &by.name,
    )?;
    Ok(closed)
}

/// A sealed Z report in the list of past ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
    let core = shell.manager(Action::Reports)?;
    let config = core.till.config();
    let list = core
        .till
        .ledger()
        .z_reports_of(&config.terminal, config.training)?;
    Ok(list
        .into_iter()
        .map(|z| ClosedDay {
            z_no: z.z_no,
            label: z.label(),
            closed_at: z.closed_at,
            cutoff: z.cutoff,
        })
        .collect())
}

/// A past Z report, as sealed, by number.
#[tauri::command]
pub fn z_report(shell: State<'_, Shell>, z_no: i64) -> Result<Report, IpcError> {
    let core = shell.manager(Action::Reports)?;
    let config = core.till.config();
    let ledger = core.till.ledger();
    Ok(report::z_report(&ledger, &config.terminal, config.training, z_no)?.0)
}

/// A file dialog that opens in the owner's Documents folder, where exports are kept.
pub(crate) fn documents<R: Runtime>(
    dialog: tauri_plugin_dialog::FileDialogBuilder<R>,
) -> tauri_plugin_dialog::FileDialogBuilder<R> {
    match till_core::platform::folders::documents_dir() {
        Some(dir) => dialog.set_directory(dir),
        None => dialog,
    }
}

/// Exports the days `first..=last` as CSV or JSON to a file the owner picks in the system save
/// dialog. Returns the path written, or nothing when the dialog was cancelled.
#[tauri::command]
pub async fn export_sales<R: Runtime>(
    app: AppHandle<R>,
    first: String,
    last: String,
    format: Choice<ExportFormat>,
) -> Result<Option<String>, IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.manager(Action::Export)?;
    let format = format.get("export as csv or json")?;
    let training = core.till.config().training;
    let out = export::range(&core.till.ledger(), &first, &last, training, format)?;
    let picked = documents(app.dialog().file())
        .set_title("Export sales")
        .set_file_name(&out.file_name)
        .add_filter(format.extension().to_uppercase(), &[format.extension()])
        .blocking_save_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    till_core::files::write_atomically(&path, &out.bytes)?;
    Ok(Some(path.display().to_string()))
}

/// Picks the automatic export folder in the system folder dialog; returns it (not yet saved:
/// the settings screen saves it with the rest).
#[tauri::command]
pub async fn choose_export_folder<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Option<String>, IpcError> {
    app.state::<Shell>().manager(Action::Settings)?;
    let picked = documents(app.dialog().file())
        .set_title("Folder for automatic exports")
        .blocking_pick_folder();
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}
