//! The staff, the shift's drawer and cash sales. Each command names what it does in
//! `till_core::people::Action`, and `Shell` refuses it unless the person at the till (or a
//! manager who stepped in) may.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tauri::State;
use till_core::{
    ledger::{CashMoveKind, Shift},
    money::Currency,
    people::{self, Action, Member, Role},
    shift::{self, Count, ShiftReport},
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
    people::remove(&mut core.till.ledger(), &name, chrono::Utc::now())?;
    Ok(())
}

/// The drawer screen: the open shift (or the last one) and the denominations to count in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DrawerView {
    /// The open shift's report, or the last one's; none before the first shift.
    pub report: Option<ShiftReport>,
    /// Whether a shift is open.
    pub open: bool,
    /// The notes and coins to count in, largest first.
    pub denominations: Vec<String>,
}

fn drawer_view(core: &crate::state::Core) -> Result<DrawerView, IpcError> {
    let report = core.till.shift_report()?;
    let currency = Currency::from_code(&core.currency).map_err(till_core::till::TillError::from)?;
    Ok(DrawerView {
        open: report.as_ref().is_some_and(|r| r.shift.closed_at.is_none()),
        report,
        denominations: shift::denominations(currency),
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

/// Pays cash into or out of the drawer, with a reason.
#[tauri::command]
pub fn move_cash(
    shell: State<'_, Shell>,
    kind: Choice<CashMoveKind>,
    amount: String,
    reason: String,
) -> Result<DrawerView, IpcError> {
    let core = shell.manager(Action::Drawer)?;
    let kind = kind.get("pay_in or pay_out")?;
    core.till.move_cash(kind, &amount, &reason)?;
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

/// Counts the drawer and closes the shift: a total, or how many of each note and coin. A
/// cashier's till needs a manager's PIN for it.
#[tauri::command]
pub fn close_shift(
    shell: State<'_, Shell>,
    counted: Option<String>,
    counts: Option<Vec<CountLine>>,
    pin: Option<String>,
) -> Result<ShiftReport, IpcError> {
    let (core, by) = match pin {
        Some(p) => shell.with_pin(&p, Action::CloseShift)?,
        None => shell.allow(Action::CloseShift)?,
    };
    let count = match (counted, counts) {
        (_, Some(c)) => {
            let mut by_face: BTreeMap<String, i64> = BTreeMap::new();
            for l in c {
                *by_face.entry(l.face).or_default() += l.pieces;
            }
            Count::Denominations(by_face)
        }
        (Some(t), None) => Count::Total(t),
        (None, None) => Count::Total(String::new()),
    };
    Ok(core.till.close_shift(&count, &by.name)?)
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
