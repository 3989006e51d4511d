//! Who is at the till (`--cashier`), what their role lets them run, the staff, and the shift's
//! drawer.

use std::collections::BTreeMap;

use chrono::Utc;
use serde_json::json;
use till_core::{
    ledger::CashMoveKind,
    money::decimal_text,
    people::{self, Action, Person, Role},
    pin,
    shift::{Count, ShiftReport},
};

use super::{read_line, say, Globals};
use crate::{context, Failure, ShiftCommand, StaffCommand};

/// Who the command acts as: the person `--cashier` names, proven by their PIN on standard
/// input; without it, the owner (the first on the staff, or the computer's user on a till that
/// has no staff yet). Refused, changing nothing, when their role does not allow `action`.
pub fn sign_in(g: &mut Globals, action: Option<Action>) -> Result<(), Failure> {
    let (env, mut ledger) = context::open_ledger(g)?;
    let person = match &g.cashier {
        None => people::owner(&ledger)?.unwrap_or_else(|| Person::implicit_owner(&env.user)),
        Some(name) => {
            let named = people::find(&ledger, name)?;
            let pin_text = read_line(&format!("{}'s PIN", named.name))?;
            let now = Utc::now();
            let who = pin::identify(&mut ledger, &pin_text, now)?;
            if who.id != named.id {
                // Someone else's PIN is not this person's: counted as a miss, like a wrong one.
                if let locked @ pin::PinError::Locked { .. } = pin::count_miss(&mut ledger, now)? {
                    return Err(locked.into());
                }
                return Err(Failure::error(format!("that is not {}'s PIN", named.name)));
            }
            who
        }
    };
    if let Some(action) = action {
        person.may(action)?;
    }
    g.person = Some(person);
    Ok(())
}

pub fn staff(g: &Globals, what: StaffCommand) -> Result<u8, Failure> {
    let (_, mut ledger) = context::open_ledger(g)?;
    match what {
        StaffCommand::Add { name, role } => {
            let role = Role::parse(&role)?;
            let pin_text = read_line(&format!("{name}'s PIN"))?;
            let m = people::add(&mut ledger, &name, role, &pin_text, Utc::now())?;
            say(
                g,
                json!({"ok": true, "name": m.name, "role": m.role}),
                &g.lang.fill(
                    "cli_staff_added",
                    &[("name", &m.name), ("role", &role_word(g, m.role.as_str()))],
                ),
            );
        }
        StaffCommand::List => {
            let list = people::list(&ledger)?;
            if g.json {
                for m in &list {
                    crate::output::line(
                        &json!({"name": m.name, "role": m.role, "added_at": m.added_at}),
                    );
                }
            } else if list.is_empty() {
                println!("{}", g.lang.text("cli_staff_none"));
            }
            if !g.json {
                for m in &list {
                    println!(
                        "{:<24} {:<12} {}",
                        m.name,
                        role_word(g, m.role.as_str()),
                        g.lang.fill("cli_staff_since", &[("date", &m.added_at)])
                    );
                }
            }
        }
        StaffCommand::Remove { name } => {
            let m = people::remove(&mut ledger, &name, Utc::now())?;
            say(
                g,
                json!({"ok": true, "name": m.name}),
                &g.lang.fill("cli_staff_removed", &[("name", &m.name)]),
            );
        }
    }
    Ok(0)
}

fn report_json(r: &ShiftReport) -> serde_json::Value {
    let c = r.shift.currency.as_str();
    let m = |minor: i64| decimal_text(minor, c);
    json!({
        "shift": r.shift.label(),
        "open": r.shift.closed_at.is_none(),
        "opened_by": r.shift.opened_by,
        "opened_at": r.shift.opened_at,
        "closed_by": r.shift.closed_by,
        "closed_at": r.shift.closed_at,
        "currency": c,
        "float": m(r.drawer.float_minor),
        "cash_sales": m(r.drawer.cash_sales_minor),
        "pay_ins": m(r.drawer.pay_ins_minor),
        "pay_outs": m(r.drawer.pay_outs_minor),
        "cash_refunds": m(r.drawer.refunds_minor),
        "expected": m(r.shift.expected_minor.unwrap_or(r.drawer.expected_minor)),
        "counted": r.shift.counted_minor.map(m),
        "variance": r.variance_minor.map(m),
        "counts": r.shift.counts,
    })
}

fn parse_counts(items: &[String]) -> Result<BTreeMap<String, i64>, Failure> {
    let mut out = BTreeMap::new();
    for item in items {
        let (face, n) = item.split_once('=').ok_or_else(|| {
            Failure::error(format!("{item:?} is not FACE=N (as 20=3 for three 20s)"))
        })?;
        let n: i64 = n
            .trim()
            .parse()
            .map_err(|_| Failure::error(format!("{n:?} is not a number of pieces")))?;
        let kept = out.entry(face.trim().to_owned()).or_insert(0i64);
        *kept = kept.saturating_add(n);
    }
    Ok(out)
}

pub async fn shift(g: &Globals, what: ShiftCommand) -> Result<u8, Failure> {
    let started = context::open_till_offline(g).await?;
    let till = &started.till;
    match what {
        ShiftCommand::Open { float } => {
            let s = till.open_shift(&float)?;
            let float = decimal_text(s.float_minor, &s.currency);
            say(
                g,
                json!({"ok": true, "shift": s.label(), "float": float, "currency": s.currency, "opened_by": s.opened_by}),
                &g.lang.fill(
                    "cli_shift_open",
                    &[
                        ("label", &s.label()),
                        ("float", &g.lang.amount(&float)),
                        ("currency", &s.currency),
                        ("name", &s.opened_by),
                    ],
                ),
            );
        }
        ShiftCommand::PayIn { amount, reason } => {
            move_cash(g, till, CashMoveKind::PayIn, &amount, &reason)?
        }
        ShiftCommand::PayOut { amount, reason } => {
            move_cash(g, till, CashMoveKind::PayOut, &amount, &reason)?
        }
        ShiftCommand::Close { counted, count } => {
            let count = match counted {
                Some(total) => Count::Total(total),
                None => Count::Denominations(parse_counts(&count)?),
            };
            let r = till.close_shift(&count, &g.actor())?;
            if g.json {
                crate::output::line(&report_json(&r));
            } else {
                print!("{}", r.render_in(g.lang));
            }
        }
        ShiftCommand::Report => match till.shift_report()? {
            None => say(g, json!({"shift": null}), g.lang.text("cli_no_shift")),
            Some(r) => {
                if g.json {
                    crate::output::line(&report_json(&r));
                } else {
                    print!("{}", r.render_in(g.lang));
                }
            }
        },
    }
    Ok(0)
}

fn move_cash(
    g: &Globals,
    till: &till_core::till::Till,
    kind: CashMoveKind,
    amount: &str,
    reason: &str,
) -> Result<(), Failure> {
    let m = till.move_cash(kind, amount, reason, &g.actor())?;
    let currency = till_core::settings::shop_currency(&till.ledger())?;
    let amount = decimal_text(m.amount_minor, &currency);
    let key = match kind {
        CashMoveKind::PayIn => "cli_paid_in",
        CashMoveKind::PayOut => "cli_paid_out",
    };
    say(
        g,
        json!({"ok": true, "kind": kind.as_str(), "amount": amount, "currency": currency, "reason": m.reason, "made_by": m.made_by}),
        &g.lang.fill(
            key,
            &[
                ("amount", &g.lang.amount(&amount)),
                ("currency", &currency),
                ("reason", &m.reason),
                ("name", &m.made_by),
            ],
        ),
    );
    Ok(())
}

/// A role as the person reading it says it.
fn role_word(g: &Globals, role: &str) -> String {
    g.lang.text(&format!("cli_role_{role}")).to_owned()
}
