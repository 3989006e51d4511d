//! The staff, the shift's drawer and cash sales. Each command names what it does in
//! `till_core::people::Action`, and `Shell` refuses it unless the person at the till (or a
//! manager who stepped in) may.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tauri::State;
use till_core::{
    ledger::{CashMoveKind, Shift},
    money::{decimal_text, Currency},
    people::{self, Action, Member, Role},
    report::{self, ShiftLine},
    shift::{self, Count},
};
use ts_rs::TS;

use crate::{choice::Choice, views::SaleView, IpcError, Shell};

/// The people on the staff (the owner's screen).
#[tauri::command]
pub fn staff_list(shell: State<'_, Shell>) -> Result<Vec<Member>, IpcError> {
    let core = shell.manager(Action::Staff)?;
    let list = people::list(&core.till.ledger())?;
    Ok(list)
}

/// Adds someone with their role and PIN (no two people share a PIN).
#[tauri::command]
pub fn add_staff(
    shell: State<'_, Shell>,
    name: String,
    role: Choice<Role>,
    pin: String,
) -> Result<Member, IpcError> {
    let core = shell.manager(Action::Staff)?;
    let role = role.get("a role: cashier, manager or owner")?;
    let m = people::add(
        &mut core.till.ledger(),
        &name,
        role,
        &pin,
        chrono::Utc::now(),
    )?;
    Ok(m)
}

/// Takes someone off the staff (the last owner stays).
#[tauri::command]
pub fn remove_staff(shell: State<'_, Shell>, name: String) -> Result<(), IpcError> {
    let core = shell.manager(Action::Staff)?;
    let gone = people::remove(&mut core.till.ledger(), &name, chrono::Utc::now())?;
    shell.forget(gone.id);
    Ok(())
}

/// The drawer screen: the open shift (or the last one), its figures as text, and the
/// denominations to count in. The window does no sums: every figure is Rust's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DrawerView {
    /// Whether a shift is open.
    pub open: bool,
    /// The open shift's drawer, or the last closed one's with its count; none before the first.
    pub shift: Option<ShiftLine>,
    /// When that shift opened (RFC 3339, UTC).
    pub opened_at: Option<String>,
    /// How many cash sales went into it.
    #[ts(type = "number")]
    pub cash_sales: i64,
    /// Its pay-ins and pay-outs, oldest first.
    pub moves: Vec<MoveLine>,
    /// The notes and coins to count in, largest first.
    pub denominations: Vec<String>,
}

/// A pay-in or pay-out as the drawer screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MoveLine {
    /// In or out.
    pub kind: CashMoveKind,
    /// How much, in major units.
    pub amount: String,
    /// Why.
    pub reason: String,
    /// Who.
    pub made_by: String,
    /// When (RFC 3339, UTC).
    pub at: String,
}

fn drawer_view(core: &crate::state::Core) -> Result<DrawerView, IpcError> {
    let currency = Currency::from_code(&core.currency).map_err(till_core::till::TillError::from)?;
    let denominations = shift::denominations(currency);
    let Some(r) = core.till.shift_report()? else {
        return Ok(DrawerView {
            open: false,
            shift: None,
            opened_at: None,
            cash_sales: 0,
            moves: Vec::new(),
            denominations,
        });
    };
    let moves = r
        .moves
        .iter()
        .map(|m| MoveLine {
            kind: m.kind,
            amount: decimal_text(m.amount_minor, &r.shift.currency),
            reason: m.reason.clone(),
            made_by: m.made_by.clone(),
            at: m.at.clone(),
        })
        .collect();
    let line = report::shift_lines(&[(r.shift.clone(), r.drawer.clone())]).pop();
    Ok(DrawerView {
        open: r.shift.closed_at.is_none(),
        shift: line,
        opened_at: Some(r.shift.opened_at.clone()),
        cash_sales: r.drawer.cash_sales,
        moves,
        denominations,
    })
}

/// The drawer: the shift and what it should hold.
#[tauri::command]
pub fn drawer(shell: State<'_, Shell>) -> Result<DrawerView, IpcError> {
    let core = shell.manager(Action::Reprint)?;
    drawer_view(&core)
}

/// Opens a shift with the float counted into the drawer.
#[tauri::command]
pub fn open_shift(shell: State<'_, Shell>, float: String) -> Result<Shift, IpcError> {
    let core = shell.manager(Action::Drawer)?;
    Ok(core.till.open_shift(&float)?)
}

/// Pays cash into or out of the drawer, with a reason: paying in is anyone's at the till,
/// paying out a manager's (who is recorded as making it).
#[tauri::command]
pub fn move_cash(
    shell: State<'_, Shell>,
    kind: Choice<CashMoveKind>,
    amount: String,
    reason: String,
) -> Result<DrawerView, IpcError> {
    let kind = kind.get("pay_in or pay_out")?;
    let (core, by) = shell.allow(match kind {
        CashMoveKind::PayIn => Action::Drawer,
        CashMoveKind::PayOut => Action::PayOut,
    })?;
    core.till.move_cash(kind, &amount, &reason, &by.name)?;
    drawer_view(&core)
}

/// How many of one note or coin were counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CountLine {
    /// Its face value, in major units (`20.00`).
    pub face: String,
    /// How many.
    #[ts(type = "number")]
    pub pieces: i64,
}

/// The total of a count by denomination, as the drawer screen shows it while the cashier counts
/// (the window adds no money itself).
#[tauri::command]
pub fn count_drawer(shell: State<'_, Shell>, counts: Vec<CountLine>) -> Result<String, IpcError> {
    let core = shell.manager(Action::Drawer)?;
    let currency = Currency::from_code(&core.currency).map_err(till_core::till::TillError::from)?;
    let minor = shift::count_total(&by_face(counts)?, currency)?;
    Ok(decimal_text(minor, currency.code()))
}

/// A count's lines by face value (the same face twice is added up).
fn by_face(lines: Vec<CountLine>) -> Result<BTreeMap<String, i64>, IpcError> {
    let mut out: BTreeMap<String, i64> = BTreeMap::new();
    for l in lines {
        // Each count on its own: a negative one must not cancel another.
        if l.pieces < 0 {
            return Err(IpcError::new(
                crate::ErrorCode::BadInput,
                format!("{} pieces of {} is not a count", l.pieces, l.face),
            ));
        }
        let n = out.entry(l.face).or_default();
        *n = n.saturating_add(l.pieces);
    }
    Ok(out)
}

/// Counts the drawer and closes the shift: a total, or how many of each note and coin. A
/// cashier's till needs a manager's PIN for it.
#[tauri::command]
pub fn close_shift(
    shell: State<'_, Shell>,
    counted: Option<String>,
    counts: Option<Vec<CountLine>>,
    pin: Option<String>,
) -> Result<DrawerView, IpcError> {
    let (core, by) = match pin {
        Some(p) => shell.with_pin(&p, Action::CloseShift)?,
        None => shell.allow(Action::CloseShift)?,
    };
    let count = match (counted, counts) {
        (_, Some(c)) => Count::Denominations(by_face(c)?),
        (Some(t), None) => Count::Total(t),
        (None, None) => Count::Total(String::new()),
    };
    core.till.close_shift(&count, &by.name)?;
    drawer_view(&core)
}

/// Sells the cart for cash: `tendered` must cover the total; the change is in the answer. No
/// gateway is involved.
#[tauri::command]
pub fn sell_for_cash(
    shell: State<'_, Shell>,
    tendered: String,
    memo: String,
) -> Result<SaleView, IpcError> {
    let core = shell.manager(Action::Sell)?;
    let sale = core.till.sell_cart_for_cash(&tendered, &memo)?;
    Ok(SaleView::from(&sale))
}

/// The cash screen's figures for the cart: total, quick keys, and the change for `tendered`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CashQuoteView {
    /// The cart's total, in major units.
    pub total: String,
    /// The quick keys: the exact total, then round amounts above it.
    pub suggestions: Vec<String>,
    /// The change for what was typed, when it covers the total.
    pub change: Option<String>,
}

/// What the cash screen shows: the cart's total, quick keys, the change for `tendered` (short
/// cash is refused in plain words). Writes nothing.
#[tauri::command]
pub fn cash_quote(
    shell: State<'_, Shell>,
    tendered: Option<String>,
) -> Result<CashQuoteView, IpcError> {
    let core = shell.manager(Action::Sell)?;
    let q = core.till.cash_quote(tendered.as_deref())?;
    let text = |f: &till_core::money::Fiat| f.to_decimal().to_string();
    Ok(CashQuoteView {
        total: text(&q.total),
        suggestions: q.suggestions.iter().map(text).collect(),
        change: q.change.as_ref().map(text),
    })
}
