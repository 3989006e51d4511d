//! The shop's books: every till's journal as the server holds it, replayed, added up into the
//! shop-wide reports, and the shop's day close.
//!
//! Nothing here adds money up by itself: each till's journal is replayed by
//! [`till_core::verify::Replay`] (the walk `till verify` makes), and every figure comes from
//! [`Documents::totals`], the one function every till's report uses. A shop day close takes the
//! tills' Zs whole: the shop's figures are those Zs' documents added up together, so they equal
//! the sum of the tills' Z reports.
//!
//! Which Zs a close takes: every live Z not taken by an earlier close whose cutoff falls on or
//! before the end of the day closed. A Z is taken once, by the first close on or after its day:
//! a Z closed the next morning (sealing the evening before) is in the next day's close. A till
//! the server knows to have documents of the day (or before) that no Z has sealed yet, or
//! whose copy stopped at an alarm, makes the close wait for it and name it.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use till_core::{
    calendar,
    ledger::{time_text, JournalEntry, GENESIS},
    report::{Line, Report, ReportKind, Totals},
    verify::{Documents, Replay, SealedZ},
};
use tokio_postgres::{error::SqlState, GenericClient};

use crate::ShopError;

/// Journal entries read from the server per query.
const PAGE: i32 = 2_000;

/// How recently a till must have said it had sent everything, for a close of a day not over
/// yet to go ahead without waiting for it.
const CAUGHT_UP_WITHIN: chrono::Duration = chrono::Duration::minutes(2);

/// One till as the shop's server holds it.
#[derive(Debug)]
pub struct Till {
    /// Its name in the shop.
    pub terminal: String,
    /// The last entry of its journal the server holds.
    pub head_id: i64,
    /// Why the server stopped taking its entries, while the alarm stands.
    pub alarm: Option<String>,
    /// When it last sent (UTC), if ever.
    pub last_seen: Option<String>,
    /// When it last said it had nothing more to send (UTC), if ever.
    pub caught_up_at: Option<String>,
    /// Its journal, replayed (as far as it replays).
    pub books: Replay,
    /// Why the shop's copy of its journal stopped replaying (an entry this Till cannot read,
    /// written by a newer one, say): the other tills' books still read, and a close waits.
    pub broken: Option<String>,
}

/// A Z a shop close took, as the close records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZRef {
    /// The till.
    pub terminal: String,
    /// The Z's number in the till's live book.
    pub z_no: i64,
    /// Its journal entry.
    pub entry_id: i64,
    /// That entry's hash (the chain head printed on the Z).
    pub hash: String,
}

/// A shop day close, as the server keeps it.
#[derive(Debug, Clone)]
pub struct Close {
    /// 1, 2, ... in the shop.
    pub no: i64,
    /// The day it closed.
    pub day: String,
    /// When (UTC).
    pub closed_at: String,
    /// The PostgreSQL role of the till it was closed at.
    pub closed_by: String,
    /// The report it printed, as JSON text.
    pub report: String,
    /// The Zs it took, as JSON text (kept byte for byte: it is hashed).
    pub zs: String,
    /// The previous close's hash (zeros for the first).
    pub prev_hash: String,
    /// Its hash.
    pub hash: String,
}

impl Close {
    /// `SZ3`: the shop's third day close.
    pub fn label(&self) -> String {
        format!("SZ{}", self.no)
    }

    /// The hash it must carry: the previous hash, its number, its day, its report and its Zs,
    /// each as its length (8 bytes big-endian) and its bytes, as `till_shop.close_hash`.
    pub fn recompute(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |b: &[u8]| {
            h.update((b.len() as u64).to_be_bytes());
            h.update(b);
        };
        field(self.prev_hash.as_bytes());
        field(&self.no.to_be_bytes());
        field(self.day.as_bytes());
        field(self.report.as_bytes());
        field(self.zs.as_bytes());
        hex::encode(h.finalize())
    }
}

/// One till's part of a shop report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillPart {
    /// The till.
    pub terminal: String,
    /// The last of its entries the server held.
    pub head_id: i64,
    /// When it last sent.
    pub last_seen: Option<String>,
    /// The alarm that stopped its entries, if one stands.
    pub alarm: Option<String>,
    /// Its Zs counted here (`Z3`, ...).
    pub zs: Vec<String>,
    /// Its documents counted here.
    pub documents: u64,
    /// Money received, per currency.
    pub received: Vec<Line>,
    /// Received less refunded, per currency.
    pub net: Vec<Line>,
}

/// A shop-wide report: a till's report's fields (the same `--json` as `till report`), for the
/// terminal `shop`, and each till's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopReport {
    /// The report, figures over every till.
    #[serde(flatten)]
    pub report: Report,
    /// Each till's part.
    pub tills: Vec<TillPart>,
}

/// Everything the shop's server holds, read at one moment.
#[derive(Debug)]
pub struct Shop {
    /// Every till that joined, by name.
    pub tills: Vec<Till>,
    /// The shop's day closes, oldest first.
    pub closes: Vec<Close>,
    /// The server's clock when they were read (UTC).
    pub server_now: String,
    /// The zone the shop's days are counted in, as `till shop init` set it.
    pub timezone: Option<String>,
}

/// Reads the shop's books at one moment (a read-only transaction that sees one snapshot), for
/// a report.
pub async fn read_at_once(client: &mut tokio_postgres::Client) -> Result<Shop, ShopError> {
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let shop = read(&tx).await?;
    tx.commit().await?;
    Ok(shop)
}

impl Shop {
    /// The zone the shop's days are counted in: the shop's own, else `fallback` (the till's).
    pub fn zone(&self, fallback: Tz) -> Tz {
        self.timezone
            .as_deref()
            .and_then(|t| t.parse().ok())
            .unwrap_or(fallback)
    }
}

/// Reads the shop's books through the functions a till's role may call (in the caller's
/// transaction, when a close needs one moment). A till's copy that does not replay (which the
/// server's own checks on the way in should make impossible) is an error naming it.
pub async fn read<C: GenericClient>(c: &C) -> Result<Shop, ShopError> {
    let mut tills = Vec::new();
    let mut server_now = time_text(Utc::now());
    for row in c
        .query(
            "SELECT name, head_id, alarm, last_seen, caught_up_at, server_now FROM till_shop.tills()",
            &[],
        )
        .await?
    {
        let terminal: String = row.get(0);
        server_now = row.get(5);
        let mut books = Replay::new();
        let mut broken = None;
        let mut after = 0_i64;
        while broken.is_none() {
            let rows = c
                .query(
                    "SELECT id, sale_id, at, kind, detail, snapshot, prev_hash, hash \
                     FROM till_shop.journal($1, $2, $3)",
                    &[&terminal, &after, &PAGE],
                )
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.get(0);
            for r in &rows {
                let entry = JournalEntry {
                    id: r.get(0),
                    sale_id: r.get(1),
                    at: r.get(2),
                    kind: r.get(3),
                    detail: r.get(4),
                    snapshot: r.get(5),
                    prev_hash: r.get(6),
                    hash: r.get(7),
                };
                if let Err(e) = books.push(entry) {
                    broken = Some(format!("the shop's copy of its journal does not read: {e}"));
                    break;
                }
            }
        }
        tills.push(Till {
            terminal,
            head_id: row.get(1),
            alarm: row.get(2),
            last_seen: row.get(3),
            caught_up_at: row.get(4),
            books,
            broken,
        });
    }
    let closes = c
        .query(
            "SELECT no, day, closed_at, closed_by, report, zs, prev_hash, hash FROM till_shop.close_list()",
            &[],
        )
        .await?
        .iter()
        .map(|r| Close {
            no: r.get(0),
            day: r.get(1),
            closed_at: r.get(2),
            closed_by: r.get(3),
            report: r.get(4),
            zs: r.get(5),
            prev_hash: r.get(6),
            hash: r.get(7),
        })
        .collect();
    let timezone = c
        .query_one("SELECT till_shop.setting('timezone')", &[])
        .await?
        .get(0);
    Ok(Shop {
        tills,
        closes,
        server_now,
        timezone,
    })
}

/// What a shop day close would take now.
#[derive(Debug)]
struct Plan<'a> {
    /// The tills' Zs it takes.
    zs: Vec<(&'a Till, &'a SealedZ)>,
    /// The tills it waits for, each with why.
    waiting: Vec<(String, String)>,
}

impl Shop {
    /// The hash of the last close (zeros before the first).
    pub fn chain_head(&self) -> &str {
        self.closes.last().map_or(GENESIS, |c| c.hash.as_str())
    }

    /// Entries held over every till.
    pub fn entries(&self) -> u64 {
        self.tills.iter().map(|t| t.books.entries()).sum()
    }

    /// Every Z some close took, by (terminal, entry).
    fn taken(&self) -> Result<BTreeSet<(String, i64)>, ShopError> {
        let mut taken = BTreeSet::new();
        for c in &self.closes {
            for z in zs_of(c)? {
                taken.insert((z.terminal, z.entry_id));
            }
        }
        Ok(taken)
    }

    /// The live Zs no close has taken, with cutoffs up to `until` (UTC text; none: all).
    fn open_zs(&self, until: Option<&str>) -> Result<Vec<(&Till, &SealedZ)>, ShopError> {
        let taken = self.taken()?;
        Ok(self
            .tills
            .iter()
            .flat_map(|t| t.books.zs().iter().map(move |z| (t, z)))
            .filter(|(t, z)| {
                !z.z.training
                    && !taken.contains(&(t.terminal.clone(), z.z.event_id))
                    && until.is_none_or(|u| z.z.cutoff.as_str() < u)
            })
            .collect())
    }

    /// What closing `day` would take now, and the tills it waits for (those in `without`
    /// left out of the waiting, by the owner's word).
    fn plan(&self, day: NaiveDate, tz: Tz, without: &[String]) -> Result<Plan<'_>, ShopError> {
        let end = time_text(calendar::day_bounds(day, tz).1);
        let zs = self.open_zs(Some(&end))?;
        // A till must be known to have had nothing more to send since the day ended, or, for a
        // day not over yet, in the last two minutes (the app says so every ten seconds).
        let recent = chrono::DateTime::parse_from_rfc3339(&self.server_now)
            .map(|t| time_text(t.with_timezone(&Utc) - CAUGHT_UP_WITHIN))
            .unwrap_or_default();
        let caught_up_by = end.clone().min(recent);
        let mut waiting = Vec::new();
        for t in self.tills.iter().filter(|t| !without.contains(&t.terminal)) {
            if let Some(alarm) = &t.alarm {
                waiting.push((t.terminal.clone(), format!("its alarm stands: {alarm}")));
                continue;
            }
            if let Some(broken) = &t.broken {
                waiting.push((t.terminal.clone(), broken.clone()));
                continue;
            }
            let open = t.books.unsealed(false);
            if open.earliest().is_some_and(|e| e < end.as_str()) {
                waiting.push((
                    t.terminal.clone(),
                    format!(
                        "it has {} document(s) of {day} or before that no Z of it has sealed yet; close its day, and let it reach the shop",
                        open.len()
                    ),
                ));
                continue;
            }
            if t.caught_up_at
                .as_deref()
                .is_none_or(|c| c < caught_up_by.as_str())
            {
                waiting.push((
                    t.terminal.clone(),
                    match &t.caught_up_at {
                        Some(at) => format!("it was last known to have sent everything at {at}, so it may hold documents of {day} the shop has not seen; let it reach the shop, or close without it (--without {})", t.terminal),
                        None => format!("it has never sent everything it holds; let it reach the shop, or close without it (--without {})", t.terminal),
                    },
                ));
            }
        }
        Ok(Plan { zs, waiting })
    }

    /// The shop-wide X report: what the shop has taken since its last close, over every till
    /// (the Zs no close has taken, and what no Z has sealed yet), as far as the server holds
    /// each till's journal.
    pub fn x_report(&self, tz: Tz, now: DateTime<Utc>) -> Result<ShopReport, ShopError> {
        let zs = self.open_zs(None)?;
        let open: Vec<(&Till, Documents)> = self
            .tills
            .iter()
            .map(|t| (t, t.books.unsealed(false)))
            .collect();
        let left_out = self
            .tills
            .iter()
            .map(|t| t.books.unsealed(true).len() as u64)
            .sum();
        let report = Report {
            kind: ReportKind::X,
            label: "X".into(),
            z_no: Some(self.closes.last().map_or(1, |c| c.no + 1)),
            day: calendar::day_of(now, tz).to_string(),
            timezone: tz.name().into(),
            terminal: "shop".into(),
            training: false,
            generated_at: time_text(now),
            from: self.closes.last().map(|c| c.closed_at.clone()),
            to: Some(time_text(now)),
            totals: Totals::default(),
            left_out,
            chain_head: self.chain_head().to_owned(),
            shifts: Vec::new(),
            closed_by: None,
        };
        Ok(self.figures(report, &zs, &open))
    }

    /// The report of one day: the sealed close of that day when the shop has closed it, or
    /// else what closing it would take now (its Zs, and every till's documents up to its end
    /// that no Z has sealed yet), kind `day`.
    pub fn day_report(
        &self,
        day: NaiveDate,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<ShopReport, ShopError> {
        let wanted = day.to_string();
        if let Some(c) = self.closes.iter().find(|c| c.day == wanted) {
            return sealed(c);
        }
        let (from, to) = calendar::day_bounds(day, tz);
        let end = time_text(to);
        let zs = self.open_zs(Some(&end))?;
        let open: Vec<(&Till, Documents)> = self
            .tills
            .iter()
            .map(|t| (t, t.books.unsealed(false).up_to(&end)))
            .collect();
        let report = Report {
            kind: ReportKind::Day,
            label: wanted.clone(),
            z_no: None,
            day: wanted,
            timezone: tz.name().into(),
            terminal: "shop".into(),
            training: false,
            generated_at: time_text(now),
            from: Some(time_text(from)),
            to: Some(end),
            totals: Totals::default(),
            left_out: 0,
            chain_head: self.chain_head().to_owned(),
            shifts: Vec::new(),
            closed_by: None,
        };
        Ok(self.figures(report, &zs, &open))
    }

    /// Adds up the Zs and open documents given into the report, and each till's part.
    fn figures(
        &self,
        mut report: Report,
        zs: &[(&Till, &SealedZ)],
        open: &[(&Till, Documents)],
    ) -> ShopReport {
        let mut all: Vec<&Documents> = zs.iter().map(|(_, z)| &z.documents).collect();
        all.extend(open.iter().map(|(_, d)| d));
        report.totals = Documents::totals(&all);
        let tills = self
            .tills
            .iter()
            .map(|t| {
                let mine: Vec<&SealedZ> = zs
                    .iter()
                    .filter(|(o, _)| o.terminal == t.terminal)
                    .map(|(_, z)| *z)
                    .collect();
                let mut docs: Vec<&Documents> = mine.iter().map(|z| &z.documents).collect();
                docs.extend(
                    open.iter()
                        .filter(|(o, _)| o.terminal == t.terminal)
                        .map(|(_, d)| d),
                );
                let totals = Documents::totals(&docs);
                TillPart {
                    terminal: t.terminal.clone(),
                    head_id: t.head_id,
                    last_seen: t.last_seen.clone(),
                    alarm: t.alarm.clone(),
                    zs: mine.iter().map(|z| z.z.label()).collect(),
                    documents: totals.documents,
                    received: totals.received,
                    net: totals.net,
                }
            })
            .collect();
        ShopReport { report, tills }
    }
}

/// The Zs a close names.
fn zs_of(c: &Close) -> Result<Vec<ZRef>, ShopError> {
    serde_json::from_str(&c.zs)
        .map_err(|e| ShopError::Books(format!("the Zs of {} cannot be read: {e}", c.label())))
}

/// A close's report as it was sealed, with its own hash as the chain head.
pub fn sealed(c: &Close) -> Result<ShopReport, ShopError> {
    let mut r: ShopReport = serde_json::from_str(&c.report).map_err(|e| {
        ShopError::Books(format!("the report of {} cannot be read: {e}", c.label()))
    })?;
    r.report.chain_head = c.hash.clone();
    Ok(r)
}

/// Closes the shop's day `day` (today when none; the shop's zone, or `tz` before the shop has
/// one), in one serializable
/// transaction: it reads every till's journal as the server holds it, refuses with
/// [`ShopError::Waiting`] while a till has documents of the day no Z of it has sealed (or an
/// alarm), adds up the Zs it takes, and records the close chained to the one before, with the
/// head of every till it read. The server holds every till's row from there to the commit and
/// refuses the close if one moved (a till sent entries meanwhile), as it refuses a second close
/// of the day made at the same moment; either is tried again from the start, reading anew.
pub async fn close_day(
    client: &mut tokio_postgres::Client,
    day: Option<NaiveDate>,
    tz: Tz,
    by: &str,
    without: &[String],
) -> Result<ShopReport, ShopError> {
    let mut tries = 0;
    loop {
        tries += 1;
        match close_once(client, day, tz, by, without).await {
            Err(ShopError::Retry(_)) if tries < 5 => continue,
            Err(ShopError::Retry(why)) => {
                return Err(ShopError::Unreachable(format!(
                    "the close kept meeting other writers ({why}); try again"
                )))
            }
            other => return other,
        }
    }
}

async fn close_once(
    client: &mut tokio_postgres::Client,
    day: Option<NaiveDate>,
    tz: Tz,
    by: &str,
    without: &[String],
) -> Result<ShopReport, ShopError> {
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::Serializable)
        .start()
        .await
        .map_err(retry_or)?;
    let shop = read(&tx).await?;
    let tz = shop.zone(tz);
    let day = day.unwrap_or_else(|| calendar::today(tz));
    if day > calendar::today(tz) {
        return Err(ShopError::Refused(format!(
            "{day} has not begun yet: only today or an earlier day can be closed"
        )));
    }
    let wanted = day.to_string();
    if let Some(c) = shop.closes.iter().find(|c| c.day == wanted) {
        return Err(ShopError::Refused(format!(
            "the shop closed {day} already ({})",
            c.label()
        )));
    }
    if let Some(last) = shop.closes.last() {
        if last.day.as_str() > wanted.as_str() {
            return Err(ShopError::Refused(format!(
                "the shop closed {} already ({}); days close in order",
                last.day,
                last.label()
            )));
        }
    }
    if let Some(unknown) = without
        .iter()
        .find(|w| !shop.tills.iter().any(|t| &t.terminal == *w))
    {
        return Err(ShopError::Refused(format!(
            "no till named {unknown} has joined the shop"
        )));
    }
    let plan = shop.plan(day, tz, without)?;
    if !plan.waiting.is_empty() {
        return Err(ShopError::Waiting {
            tills: plan.waiting.iter().map(|(t, _)| t.clone()).collect(),
            why: plan
                .waiting
                .iter()
                .map(|(t, w)| format!("{t}: {w}"))
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    if plan.zs.is_empty() {
        return Err(ShopError::Refused(format!(
            "no till has closed a Z up to {day} that the shop has not closed: nothing to close"
        )));
    }
    let now = Utc::now();
    let (_, end) = calendar::day_bounds(day, tz);
    let report = Report {
        kind: ReportKind::Z,
        label: format!("SZ{}", shop.closes.last().map_or(1, |c| c.no + 1)),
        z_no: Some(shop.closes.last().map_or(1, |c| c.no + 1)),
        day: wanted.clone(),
        timezone: tz.name().into(),
        terminal: "shop".into(),
        training: false,
        generated_at: time_text(now),
        from: shop.closes.last().map(|c| c.closed_at.clone()),
        to: Some(time_text(end - chrono::Duration::milliseconds(1))),
        totals: Totals::default(),
        left_out: 0,
        chain_head: String::new(),
        shifts: Vec::new(),
        closed_by: Some(by.to_owned()).filter(|b| !b.is_empty()),
    };
    let closing = shop.figures(report, &plan.zs, &[]);
    let zs: Vec<ZRef> = plan
        .zs
        .iter()
        .map(|(t, z)| ZRef {
            terminal: t.terminal.clone(),
            z_no: z.z.z_no,
            entry_id: z.z.event_id,
            hash: z.z.chain_head.clone(),
        })
        .collect();
    let report_text = serde_json::to_string(&closing)
        .map_err(|e| ShopError::Books(format!("the close's report: {e}")))?;
    let zs_text =
        serde_json::to_string(&zs).map_err(|e| ShopError::Books(format!("the close's Zs: {e}")))?;
    let until = time_text(end);
    let heads: serde_json::Map<String, serde_json::Value> = shop
        .tills
        .iter()
        .map(|t| (t.terminal.clone(), t.head_id.into()))
        .collect();
    let heads = serde_json::Value::Object(heads);
    let answer: serde_json::Value = tx
        .query_one(
            "SELECT till_shop.record_close($1::text::date, $2, $3, $4, $5)",
            &[&wanted, &until, &report_text, &zs_text, &heads],
        )
        .await
        .map_err(retry_or)?
        .get(0);
    tx.commit().await.map_err(retry_or)?;
    let mut closed = closing;
    closed.report.chain_head = answer["hash"].as_str().unwrap_or_default().to_owned();
    Ok(closed)
}

/// A serialization failure (or a second close of the day inserted at the same moment) is
/// [`ShopError::Retry`]; anything else as usual.
fn retry_or(e: tokio_postgres::Error) -> ShopError {
    if e.code() == Some(&SqlState::T_R_SERIALIZATION_FAILURE)
        || e.code() == Some(&SqlState::UNIQUE_VIOLATION)
    {
        return ShopError::Retry(e.to_string());
    }
    e.into()
}

/// What `till shop verify` checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// Tills.
    pub tills: u64,
    /// Journal entries replayed over every till.
    pub entries: u64,
    /// Tills' Z reports re-added.
    pub z_reports: u64,
    /// Shop day closes re-added.
    pub closes: u64,
    /// The last close's hash.
    pub head: String,
    /// Tills whose alarm stands, or whose copy does not replay, with why.
    pub alarms: Vec<String>,
}

impl Shop {
    /// Checks everything the shop holds: every till's journal replayed (the chain, every
    /// snapshot, every Z re-added), the closes' chain, and every close added up again from the
    /// Zs it names, none taken twice. A standing alarm is reported, not an error.
    pub fn verify(&self) -> Result<Verified, ShopError> {
        let mut prev = GENESIS.to_owned();
        let mut taken = BTreeSet::new();
        for c in &self.closes {
            if c.prev_hash != prev {
                return Err(ShopError::Books(format!(
                    "{} does not follow the close before it",
                    c.label()
                )));
            }
            if c.recompute() != c.hash {
                return Err(ShopError::Books(format!("{} was changed", c.label())));
            }
            let mut docs = Vec::new();
            for z in zs_of(c)? {
                let found = self
                    .tills
                    .iter()
                    .find(|t| t.terminal == z.terminal)
                    .and_then(|t| t.books.zs().iter().find(|s| s.z.event_id == z.entry_id))
                    .filter(|s| s.z.chain_head == z.hash && !s.z.training);
                let Some(found) = found else {
                    return Err(ShopError::Books(format!(
                        "{} names Z{} of {}, which the shop's copy of its journal does not hold",
                        c.label(),
                        z.z_no,
                        z.terminal
                    )));
                };
                if !taken.insert((z.terminal.clone(), z.entry_id)) {
                    return Err(ShopError::Books(format!(
                        "Z{} of {} is in two closes",
                        z.z_no, z.terminal
                    )));
                }
                docs.push(&found.documents);
            }
            let printed = sealed(c)?;
            if printed.report.totals != Documents::totals(&docs) {
                return Err(ShopError::Books(format!(
                    "{} does not add up: the Zs it names give other totals",
                    c.label()
                )));
            }
            prev = c.hash.clone();
        }
        Ok(Verified {
            tills: self.tills.len() as u64,
            entries: self.entries(),
            z_reports: self.tills.iter().map(|t| t.books.zs().len() as u64).sum(),
            closes: self.closes.len() as u64,
            head: prev,
            alarms: self
                .tills
                .iter()
                .filter_map(|t| {
                    t.alarm
                        .as_ref()
                        .or(t.broken.as_ref())
                        .map(|a| format!("{}: {a}", t.terminal))
                })
                .collect(),
        })
    }
}
