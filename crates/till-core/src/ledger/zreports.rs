//! Z reports, as fiscal tills keep them: numbered per terminal and book (Z1, Z2, ...), each
//! sealing every document of its book since the one before, up to its cutoff. A document is a
//! sale (sealed with the state it has then), a refund, or the late payment of a sale an earlier Z
//! sealed as timed out or cancelled. Each is sealed exactly once: the rows remember which Z
//! sealed them, so what the next Z will seal is read through small partial indexes, and
//! `crate::verify` recomputes every Z from the journal.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;
use serde_json::Value;

use super::{
    chain, label, refunds, refunds::Refund, sales, sales::Sale, time_text, Ledger, LedgerError,
};

/// A sealed Z report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZReport {
    /// Row id.
    pub id: i64,
    /// The terminal.
    pub terminal: String,
    /// The training book's Z (`TZ1`, ...).
    pub training: bool,
    /// Gap-free per terminal and book, from 1.
    pub z_no: i64,
    /// When it was closed (UTC).
    pub closed_at: String,
    /// It seals documents up to this instant (UTC).
    pub cutoff: String,
    /// For a day closed before Z reports were numbered: that day (`YYYY-MM-DD`).
    pub legacy_day: Option<String>,
    /// The report, as JSON text.
    pub report: String,
    /// The journal entry that seals it.
    pub event_id: i64,
    /// That entry's hash: the chain's head at closing, printed on the report.
    pub chain_head: String,
}

impl ZReport {
    /// `Z3`, or `TZ1` in the training book.
    pub fn label(&self) -> String {
        label("Z", self.training, self.z_no)
    }
}

/// A sale an earlier Z sealed as timed out or cancelled, paid since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatePayment {
    /// The sale as it is now (paid late).
    pub sale: Sale,
    /// The number of the Z that sealed it unpaid.
    pub from_z: i64,
}

/// The documents of a book that the next Z will seal (up to a cutoff).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Period {
    /// Sales rung up, with their state now.
    pub sales: Vec<Sale>,
    /// Late payments of sales sealed earlier.
    pub late: Vec<LatePayment>,
    /// Refunds recorded.
    pub refunds: Vec<Refund>,
    /// Shifts closed, each with its drawer's figures.
    pub shifts: Vec<(super::Shift, super::Drawer)>,
}

impl Period {
    /// Nothing to seal.
    pub fn is_empty(&self) -> bool {
        self.sales.is_empty()
            && self.late.is_empty()
            && self.refunds.is_empty()
            && self.shifts.is_empty()
    }
}

const Z_COLUMNS: &str =
    "id, terminal, training, z_no, closed_at, cutoff, legacy_day, report, event_id, chain_head";

fn z_from_row(r: &Row<'_>) -> rusqlite::Result<ZReport> {
    Ok(ZReport {
        id: r.get(0)?,
        terminal: r.get(1)?,
        training: r.get(2)?,
        z_no: r.get(3)?,
        closed_at: r.get(4)?,
        cutoff: r.get(5)?,
        legacy_day: r.get(6)?,
        report: r.get(7)?,
        event_id: r.get(8)?,
        chain_head: r.get(9)?,
    })
}

fn last_z(
    conn: &rusqlite::Connection,
    terminal: &str,
    training: bool,
) -> Result<Option<ZReport>, LedgerError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {Z_COLUMNS} FROM z_reports WHERE terminal = ?1 AND training = ?2 \
                 ORDER BY z_no DESC LIMIT 1"
            ),
            params![terminal, training],
            z_from_row,
        )
        .optional()?)
}

/// The unsealed documents of a book up to `cutoff`, read inside `conn` (a transaction when
/// closing, so nothing slips in between reading and sealing).
fn period(
    conn: &rusqlite::Connection,
    terminal: &str,
    training: bool,
    cutoff: &str,
) -> Result<Period, LedgerError> {
    let sales = sales::select(
        conn,
        Some("sales_unsealed"),
        "terminal = ?1 AND training = ?2 AND z_id IS NULL AND created_at <= ?3 ORDER BY receipt_no",
        params![terminal, training, cutoff],
    )?;
    let late = late_payments(
        conn,
        Some("sales_late"),
        "terminal = ?1 AND training = ?2 AND late_z_id IS NULL AND state = 'paid_late' \
         AND z_state IN ('timed_out', 'cancelled') AND paid_at <= ?3 ORDER BY receipt_no",
        params![terminal, training, cutoff],
    )?;
    let refunds = refunds::select(
        conn,
        Some("refunds_unsealed"),
        "r.terminal = ?1 AND r.training = ?2 AND r.z_id IS NULL AND r.created_at <= ?3",
        params![terminal, training, cutoff],
    )?;
    let shifts = closed_shifts(
        conn,
        "terminal = ?1 AND training = ?2 AND z_id IS NULL AND closed_at IS NOT NULL AND closed_at <= ?3",
        params![terminal, training, cutoff],
    )?;
    Ok(Period {
        sales,
        late,
        refunds,
        shifts,
    })
}

/// The shifts `condition` selects, each with its drawer.
fn closed_shifts(
    conn: &rusqlite::Connection,
    condition: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<(super::Shift, super::Drawer)>, LedgerError> {
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id FROM shifts WHERE {condition} ORDER BY shift_no"
        ))?;
        let rows = stmt.query_map(args, |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    ids.into_iter()
        .map(|id| {
            let shift = super::shifts::load_in(conn, id)?;
            let drawer = super::shifts::drawer_of(conn, &shift)?;
            Ok((shift, drawer))
        })
        .collect()
}

/// Late payments: the sales `condition` selects, each with the number of the Z that sealed it
/// unpaid.
fn late_payments(
    conn: &rusqlite::Connection,
    index: Option<&str>,
    condition: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<LatePayment>, LedgerError> {
    let mut out = Vec::new();
    for sale in sales::select(conn, index, condition, args)? {
        let from_z: i64 = conn
            .query_row(
                "SELECT z.z_no FROM sales s JOIN z_reports z ON z.id = s.z_id WHERE s.id = ?1",
                [sale.id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        out.push(LatePayment { sale, from_z });
    }
    Ok(out)
}

/// What a Z's report is built with, besides its documents.
#[derive(Debug, Clone, Copy)]
pub struct ZContext<'a> {
    /// Its number.
    pub z_no: i64,
    /// The Z before it in its book.
    pub previous: Option<&'a ZReport>,
    /// Where its documents end.
    pub cutoff: DateTime<Utc>,
    /// The moment of closing.
    pub now: DateTime<Utc>,
    /// The chain's head before it is sealed.
    pub head: &'a str,
}

/// Where a Z's documents end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cutoff {
    /// Everything up to the moment of closing.
    Now,
    /// Everything up to this instant (the end of a day closed late), and nothing after it.
    At(DateTime<Utc>),
}

impl Ledger {
    /// The last Z report of a book.
    pub fn last_z(&self, terminal: &str, training: bool) -> Result<Option<ZReport>, LedgerError> {
        last_z(self.conn(), terminal, training)
    }

    /// One Z report by number.
    pub fn z_report(
        &self,
        terminal: &str,
        training: bool,
        z_no: i64,
    ) -> Result<Option<ZReport>, LedgerError> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {Z_COLUMNS} FROM z_reports WHERE terminal = ?1 AND training = ?2 AND z_no = ?3"
                ),
                params![terminal, training, z_no],
                z_from_row,
            )
            .optional()?)
    }

    /// Every Z report, in the order they were sealed.
    pub fn z_reports(&self) -> Result<Vec<ZReport>, LedgerError> {
        self.z_list(
            &format!("SELECT {Z_COLUMNS} FROM z_reports ORDER BY event_id"),
            [],
        )
    }

    /// The Z reports of one book, newest first (the list a manager picks from).
    pub fn z_reports_of(
        &self,
        terminal: &str,
        training: bool,
    ) -> Result<Vec<ZReport>, LedgerError> {
        self.z_list(
            &format!(
                "SELECT {Z_COLUMNS} FROM z_reports WHERE terminal = ?1 AND training = ?2 \
                 ORDER BY z_no DESC"
            ),
            params![terminal, training],
        )
    }

    fn z_list(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<ZReport>, LedgerError> {
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map(args, z_from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// What the next Z of a book would seal if it were closed at `cutoff`: the X report's input.
    pub fn open_period(
        &self,
        terminal: &str,
        training: bool,
        cutoff: DateTime<Utc>,
    ) -> Result<Period, LedgerError> {
        period(self.conn(), terminal, training, &time_text(cutoff))
    }

    /// What a Z sealed: its sales (as they are now), late payments and refunds (for its export).
    pub fn sealed_by(&self, z: &ZReport) -> Result<Period, LedgerError> {
        Ok(Period {
            sales: sales::select(
                self.conn(),
                Some("sales_z"),
                "z_id = ?1 ORDER BY receipt_no",
                params![z.id],
            )?,
            late: late_payments(
                self.conn(),
                Some("sales_late_z"),
                "late_z_id = ?1 ORDER BY receipt_no",
                params![z.id],
            )?,
            refunds: refunds::select(self.conn(), Some("refunds_z"), "r.z_id = ?1", params![z.id])?,
            shifts: closed_shifts(self.conn(), "z_id = ?1", params![z.id])?,
        })
    }

    /// Closes the next Z of a book: inside one transaction, reads every unsealed document up to
    /// the cutoff, lets `build` turn them into the report (or refuse: open sales, nothing to
    /// close), journals the report, and marks each document sealed by it.
    pub fn close_z<E: From<LedgerError>>(
        &mut self,
        terminal: &str,
        training: bool,
        cutoff: Cutoff,
        build: impl FnOnce(&Period, ZContext<'_>) -> Result<Value, E>,
    ) -> Result<ZReport, E> {
        let tx = self.write()?;
        let now = Utc::now();
        let previous = last_z(&tx, terminal, training)?;
        let cutoff = match cutoff {
            Cutoff::Now => now,
            Cutoff::At(t) => t.min(now),
        };
        let cutoff_text = time_text(cutoff);
        if let Some(p) = &previous {
            if cutoff_text < p.cutoff {
                return Err(LedgerError::AlreadyClosed(format!(
                    "everything up to {} is sealed already by {} (closed at {})",
                    cutoff_text,
                    p.label(),
                    p.closed_at
                ))
                .into());
            }
        }
        if let Some(open) = super::shifts::open_of(&tx, terminal, training)? {
            if open.opened_at <= cutoff_text {
                return Err(LedgerError::Refused(format!(
                    "shift {} is still open: count the drawer and close the shift before closing the day",
                    open.label()
                ))
                .into());
            }
        }
        let docs = period(&tx, terminal, training, &cutoff_text)?;
        let z_no = previous.as_ref().map_or(1, |p| p.z_no + 1);
        let head: String = tx
            .query_row(
                "SELECT hash FROM events ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(LedgerError::from)?
            .unwrap_or_else(|| chain::GENESIS.to_owned());
        let report = build(
            &docs,
            ZContext {
                z_no,
                previous: previous.as_ref(),
                cutoff,
                now,
                head: &head,
            },
        )?;
        let detail = serde_json::json!({
            "terminal": terminal,
            "training": training,
            "z_no": z_no,
            "cutoff": cutoff_text,
            "report": report,
        });
        let (event_id, head) = chain::append(&tx, None, "z_closed", &detail, None, now)?;
        let report_text = super::canonical(&report)?;
        tx.execute(
            "INSERT INTO z_reports (terminal, training, z_no, closed_at, cutoff, report, event_id, chain_head) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![terminal, training, z_no, time_text(now), cutoff_text, report_text, event_id, head],
        )
        .map_err(LedgerError::from)?;
        let z_id = tx.last_insert_rowid();
        seal(&tx, z_id, &docs)?;
        tx.commit().map_err(LedgerError::from)?;
        Ok(ZReport {
            id: z_id,
            terminal: terminal.into(),
            training,
            z_no,
            closed_at: time_text(now),
            cutoff: cutoff_text,
            legacy_day: None,
            report: report_text,
            event_id,
            chain_head: head,
        })
    }
}

/// Marks a Z's documents sealed by it.
pub(super) fn seal(tx: &Transaction<'_>, z_id: i64, docs: &Period) -> Result<(), LedgerError> {
    for s in &docs.sales {
        tx.execute(
            "UPDATE sales SET z_id = ?2, z_state = ?3 WHERE id = ?1",
            params![s.id, z_id, s.state.as_str()],
        )?;
    }
    for l in &docs.late {
        tx.execute(
            "UPDATE sales SET late_z_id = ?2 WHERE id = ?1",
            params![l.sale.id, z_id],
        )?;
    }
    for r in &docs.refunds {
        tx.execute(
            "UPDATE refunds SET z_id = ?2 WHERE id = ?1",
            params![r.id, z_id],
        )?;
    }
    for (s, _) in &docs.shifts {
        tx.execute(
            "UPDATE shifts SET z_id = ?2 WHERE id = ?1",
            params![s.id, z_id],
        )?;
    }
    Ok(())
}
