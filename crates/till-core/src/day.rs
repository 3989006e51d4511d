//! Closing the day as the app's button and `till close-day` both do it: the next Z report sealed
//! (`report::close`), then what it sealed exported as CSV into the automatic export folder when
//! one is set. A failed export never undoes the close: it is said beside it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    export::{self, ExportFormat},
    ledger::{Ledger, ZReport},
    report::{self, Report, ReportError},
    settings,
};

/// A closed period, and where it was exported automatically (if it was).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DayClosed {
    /// The sealed Z report.
    pub report: Report,
    /// The file the automatic export wrote.
    pub exported_to: Option<String>,
    /// Why the automatic export failed (the period is closed all the same).
    pub export_problem: Option<String>,
}

/// Seals the next Z report of a book (up to the end of `upto` when given) and exports it.
pub fn close(
    ledger: &mut Ledger,
    terminal: &str,
    training: bool,
    upto: Option<NaiveDate>,
    by: &str,
) -> Result<(DayClosed, ZReport), ReportError> {
    let (report, z) = report::close(ledger, terminal, training, upto, by)?;
    tracing::info!(z = %z.label(), "period closed");
    let folder = ledger
        .setting(settings::AUTO_EXPORT_DIR)?
        .filter(|d| !d.trim().is_empty());
    let (mut exported_to, mut export_problem) = (None, None);
    if let Some(folder) = folder {
        match export::z(ledger, &z, ExportFormat::Csv) {
            Ok(out) => {
                let path = std::path::Path::new(&folder).join(&out.file_name);
                match crate::files::write_atomically(&path, &out.bytes) {
                    Ok(()) => exported_to = Some(path.display().to_string()),
                    Err(e) => export_problem = Some(e.to_string()),
                }
            }
            Err(e) => export_problem = Some(e.to_string()),
        }
    }
    Ok((
        DayClosed {
            report,
            exported_to,
            export_problem,
        },
        z,
    ))
}
