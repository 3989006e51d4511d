//! The shop's people: who they are, what their role lets them do, and who a PIN belongs to.
//!
//! Three roles, each able to do everything the one below can: a **cashier** sells, reprints and
//! sees their own shift's sales; a **manager** also refunds, approves discounts above the
//! cashier's limit, reads and closes reports, closes shifts and exports; the **owner** also
//! manages the staff, the settings, the gateway's credentials and withdrawals. [`Action`] is
//! the one list of what needs which role: the app's commands and the `till` command both ask
//! [`Person::may`], so the web view only ever hides what Rust refuses anyway.
//!
//! A PIN identifies its person on its own ("who is selling?" is a PIN pad), so no two people
//! share one: a new PIN is checked against everyone's before it is kept. Wrong PINs slow the
//! whole till down, not one name (see `crate::pin`): trying names one after another gains
//! nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    ledger::{Ledger, LedgerError, StaffRow},
    pin::{self, PinError},
};

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Role {
    /// Sells, reprints, sees their own shift's sales.
    Cashier,
    /// A cashier who may also refund, approve discounts, read and close reports and shifts,
    /// export.
    Manager,
    /// Everything, including the staff, settings, credentials and withdrawals.
    Owner,
}

impl Role {
    /// As stored and as the CLI takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cashier => "cashier",
            Self::Manager => "manager",
            Self::Owner => "owner",
        }
    }

    /// Reads a role's name.
    pub fn parse(s: &str) -> Result<Self, PeopleError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cashier" => Ok(Self::Cashier),
            "manager" => Ok(Self::Manager),
            "owner" => Ok(Self::Owner),
            other => Err(PeopleError::BadRole(other.to_owned())),
        }
    }

    /// Who holds this role or a higher one, for "only ... may".
    fn who_may(self) -> &'static str {
        match self {
            Self::Cashier => "the staff",
            Self::Manager => "a manager or the owner",
            Self::Owner => "the owner",
        }
    }

    /// "a cashier", "a manager", "the owner": for sentences.
    fn with_article(self) -> &'static str {
        match self {
            Self::Cashier => "a cashier",
            Self::Manager => "a manager",
            Self::Owner => "the owner",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the till lets someone do, each with the least role it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Action {
    /// Ring up sales, build the cart, take cash.
    Sell,
    /// Print or save a receipt again, look at the day's sales.
    Reprint,
    /// Open a shift with a float; pay cash into the drawer.
    Drawer,
    /// Pay cash out of the drawer (it leaves the till: a manager's say).
    PayOut,
    /// Give money back.
    Refund,
    /// Approve a discount above the cashier's limit.
    ApproveDiscount,
    /// Read X reports and sealed Z reports.
    Reports,
    /// Count the drawer and close a shift.
    CloseShift,
    /// Close the day (seal a Z report).
    CloseDay,
    /// Export receipts.
    Export,
    /// Settle a sale the till could not (a lost answer, something impossible).
    Settle,
    /// Change the catalog.
    Catalog,
    /// Change the settings.
    Settings,
    /// Add and remove staff.
    Staff,
    /// The gateway's credentials.
    Credentials,
    /// Withdraw the Lightning balance.
    Withdraw,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 16] = [
        Self::Sell,
        Self::Reprint,
        Self::Drawer,
        Self::PayOut,
        Self::Refund,
        Self::ApproveDiscount,
        Self::Reports,
        Self::CloseShift,
        Self::CloseDay,
        Self::Export,
        Self::Settle,
        Self::Catalog,
        Self::Settings,
        Self::Staff,
        Self::Credentials,
        Self::Withdraw,
    ];

    /// The least role that may do it.
    pub fn needs(self) -> Role {
        match self {
            Self::Sell | Self::Reprint | Self::Drawer => Role::Cashier,
            Self::Refund
            | Self::PayOut
            | Self::ApproveDiscount
            | Self::Reports
            | Self::CloseShift
            | Self::CloseDay
            | Self::Export
            | Self::Settle
            | Self::Catalog => Role::Manager,
            Self::Settings | Self::Staff | Self::Credentials | Self::Withdraw => Role::Owner,
        }
    }

    /// What it is, for "only a manager may …".
    fn what(self) -> &'static str {
        match self {
            Self::Sell => "sell",
            Self::Reprint => "reprint receipts",
            Self::Drawer => "use the drawer",
            Self::PayOut => "pay cash out of the drawer",
            Self::Refund => "give refunds",
            Self::ApproveDiscount => "approve this discount",
            Self::Reports => "read reports",
            Self::CloseShift => "close a shift",
            Self::CloseDay => "close the day",
            Self::Export => "export",
            Self::Settle => "settle a sale",
            Self::Catalog => "change the catalog",
            Self::Settings => "change the settings",
            Self::Staff => "manage the staff",
            Self::Credentials => "change the gateway's credentials",
            Self::Withdraw => "withdraw",
        }
    }
}

/// Someone at the till.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Person {
    /// Their row in the staff (0: the shop has no staff yet and whoever is at the till is the
    /// owner, as before people existed).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// Their name, as documents record it.
    pub name: String,
    /// Their role.
    pub role: Role,
}

impl Person {
    /// Whoever uses a till that has no staff yet: its owner, named after the computer's user.
    pub fn implicit_owner(name: &str) -> Self {
        Self {
            id: 0,
            name: if name.trim().is_empty() {
                "owner".into()
            } else {
                name.trim().into()
            },
            role: Role::Owner,
        }
    }

    /// Whether their role allows `action`.
    pub fn may(&self, action: Action) -> Result<(), PeopleError> {
        if self.role >= action.needs() {
            Ok(())
        } else {
            Err(PeopleError::NotAllowed {
                name: self.name.clone(),
                role: self.role,
                action,
            })
        }
    }
}

/// Checks that the person a PIN just named may do `action`; when not, the PIN counts as a miss
/// (it said whose it is to someone who may have guessed it) and the answer names neither the
/// person nor their role.
pub fn may_with_pin(
    ledger: &mut Ledger,
    person: &Person,
    action: Action,
    now: DateTime<Utc>,
) -> Result<(), PeopleError> {
    if person.may(action).is_ok() {
        return Ok(());
    }
    match pin::count_miss(ledger, now)? {
        locked @ PinError::Locked { .. } => Err(locked.into()),
        _ => Err(PeopleError::PinMayNot { action }),
    }
}

/// What the people rules refuse.
#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    /// The PIN typed for an approval is someone's whose role does not allow it.
    #[error("that PIN may not {}: only {} may", action.what(), action.needs().who_may())]
    PinMayNot {
        /// What was asked.
        action: Action,
    },
    /// Someone's role does not allow it.
    #[error("{name} is {}: only {} may {}", role.with_article(), action.needs().who_may(), action.what())]
    NotAllowed {
        /// Who tried.
        name: String,
        /// Their role.
        role: Role,
        /// What.
        action: Action,
    },
    /// Not a role.
    #[error("{0:?} is not a role; say cashier, manager or owner")]
    BadRole(String),
    /// An empty, too long or unprintable name.
    #[error("a name is 1 to 40 letters, digits or spaces")]
    BadName,
    /// The name is taken.
    #[error("{0} is already on the staff")]
    NameTaken(String),
    /// No such person.
    #[error("nobody called {0:?} is on the staff")]
    Unknown(String),
    /// The last owner cannot go: nobody could manage the till.
    #[error("{0} is the only owner; add another owner first")]
    LastOwner(String),
    /// A till without staff gets its owner first: a cashier alone would lock everyone out of
    /// the owner's screens.
    #[error(
        "the first person on the staff is the owner: add the owner first (--role owner), then {0}"
    )]
    OwnerFirst(String),
    /// The PIN rules refused.
    #[error(transparent)]
    Pin(#[from] PinError),
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// The longest name.
pub const MAX_NAME_CHARS: usize = 40;

fn check_name(name: &str) -> Result<String, PeopleError> {
    let cleaned =
        crate::till::clean_text(name, MAX_NAME_CHARS).map_err(|_| PeopleError::BadName)?;
    if cleaned.is_empty() {
        return Err(PeopleError::BadName);
    }
    Ok(cleaned)
}

/// A staff member as lists show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Member {
    /// Their row.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// When they were added (RFC 3339, UTC).
    pub added_at: String,
}

impl From<&StaffRow> for Member {
    fn from(r: &StaffRow) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
            role: r.role,
            added_at: r.added_at.clone(),
        }
    }
}

impl From<&StaffRow> for Person {
    fn from(r: &StaffRow) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
            role: r.role,
        }
    }
}

/// The people on the staff now, by name.
pub fn list(ledger: &Ledger) -> Result<Vec<Member>, PeopleError> {
    Ok(ledger.staff()?.iter().map(Member::from).collect())
}

/// Refuses a PIN someone on the staff (other than `except`) already has: a PIN alone says who
/// is at the till.
fn check_unique(ledger: &Ledger, pin_text: &str, except: Option<i64>) -> Result<(), PeopleError> {
    for row in ledger.staff()? {
        if Some(row.id) != except && pin::matches(&row.pin_hash, pin_text)? {
            return Err(PinError::Taken.into());
        }
    }
    Ok(())
}

/// Adds someone (or takes back someone removed earlier, under the same name) with their PIN.
pub fn add(
    ledger: &mut Ledger,
    name: &str,
    role: Role,
    pin_text: &str,
    now: DateTime<Utc>,
) -> Result<Member, PeopleError> {
    let name = check_name(name)?;
    pin::check_format(pin_text)?;
    let staff = ledger.staff()?;
    if staff.iter().any(|r| r.name.eq_ignore_ascii_case(&name)) {
        return Err(PeopleError::NameTaken(name));
    }
    if role != Role::Owner && !staff.iter().any(|r| r.role == Role::Owner) {
        return Err(PeopleError::OwnerFirst(name));
    }
    check_unique(ledger, pin_text, None)?;
    let hash = pin::hash(pin_text)?;
    let row = ledger.put_staff(&name, role, &hash, now)?;
    Ok(Member::from(&row))
}

/// Removes someone from the staff (their name stays on the documents they made).
pub fn remove(ledger: &mut Ledger, name: &str, now: DateTime<Utc>) -> Result<Member, PeopleError> {
    let staff = ledger.staff()?;
    let row = staff
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| PeopleError::Unknown(name.trim().to_owned()))?;
    if row.role == Role::Owner && staff.iter().filter(|r| r.role == Role::Owner).count() == 1 {
        return Err(PeopleError::LastOwner(row.name.clone()));
    }
    ledger.remove_staff(row.id, now)?;
    Ok(Member::from(row))
}

/// The first owner on the staff (by name), if the till has staff.
pub fn owner(ledger: &Ledger) -> Result<Option<Person>, PeopleError> {
    Ok(ledger
        .staff()?
        .iter()
        .find(|r| r.role == Role::Owner)
        .map(Person::from))
}

/// Someone on the staff by name.
pub fn find(ledger: &Ledger, name: &str) -> Result<Person, PeopleError> {
    ledger
        .staff()?
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
        .map(Person::from)
        .ok_or_else(|| PeopleError::Unknown(name.trim().to_owned()))
}

/// Changes the PIN of whoever `current` belongs to; returns them.
pub fn change_pin(
    ledger: &mut Ledger,
    current: &str,
    new_pin: &str,
    now: DateTime<Utc>,
) -> Result<Person, PeopleError> {
    pin::check_format(new_pin)?;
    let person = pin::identify(ledger, current, now)?;
    match check_unique(ledger, new_pin, Some(person.id)) {
        // "Taken" says the new PIN is someone's: it counts as a miss, so trying PINs this way
        // is as slow as at the PIN pad.
        Err(PeopleError::Pin(PinError::Taken)) => {
            if let locked @ PinError::Locked { .. } = pin::count_miss(ledger, now)? {
                return Err(locked.into());
            }
            return Err(PinError::Taken.into());
        }
        other => other?,
    }
    ledger.set_staff_pin(person.id, &pin::hash(new_pin)?, now)?;
    Ok(person)
}

/// Sets the owner's PIN without the current one (`till pin reset`, or the first run): the first
/// owner on the staff, or a new one called `name` when there is none.
pub fn reset_owner_pin(
    ledger: &mut Ledger,
    name: &str,
    new_pin: &str,
    now: DateTime<Utc>,
) -> Result<Person, PeopleError> {
    pin::check_format(new_pin)?;
    match owner(ledger)? {
        Some(owner) => {
            check_unique(ledger, new_pin, Some(owner.id))?;
            ledger.set_staff_pin(owner.id, &pin::hash(new_pin)?, now)?;
            pin::clear_misses(ledger)?;
            Ok(owner)
        }
        None => {
            let member = add(ledger, name, Role::Owner, new_pin, now)?;
            Ok(Person {
                id: member.id,
                name: member.name,
                role: member.role,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_do_what_the_one_below_may_and_more() {
        for action in Action::ALL {
            let allowed: Vec<Role> = [Role::Cashier, Role::Manager, Role::Owner]
                .into_iter()
                .filter(|r| {
                    Person {
                        id: 1,
                        name: "x".into(),
                        role: *r,
                    }
                    .may(action)
                    .is_ok()
                })
                .collect();
            assert_eq!(allowed.first(), Some(&action.needs()), "{action:?}");
            assert_eq!(allowed.last(), Some(&Role::Owner), "{action:?}");
        }
        let ana = Person {
            id: 2,
            name: "Ana".into(),
            role: Role::Cashier,
        };
        assert_eq!(
            ana.may(Action::Refund).unwrap_err().to_string(),
            "Ana is a cashier: only a manager or the owner may give refunds"
        );
    }

    #[test]
    fn a_pin_names_one_person_and_nobody_shares_one() {
        let mut l = Ledger::in_memory().unwrap();
        let now = Utc::now();
        // A cashier first would leave nobody able to open the owner's screens.
        assert!(matches!(
            add(&mut l, "Ana", Role::Cashier, "2222", now),
            Err(PeopleError::OwnerFirst(_))
        ));
        assert!(list(&l).unwrap().is_empty());
        add(&mut l, "Olga", Role::Owner, "1111", now).unwrap();
        add(&mut l, "Ana", Role::Cashier, "2222", now).unwrap();
        assert!(matches!(
            add(&mut l, "Bo", Role::Cashier, "2222", now),
            Err(PeopleError::Pin(PinError::Taken))
        ));
        assert!(matches!(
            add(&mut l, "ana", Role::Manager, "3333", now),
            Err(PeopleError::NameTaken(_))
        ));
        assert!(matches!(
            add(&mut l, " ", Role::Manager, "3333", now),
            Err(PeopleError::BadName)
        ));
        assert_eq!(pin::identify(&mut l, "2222", now).unwrap().name, "Ana");
        assert_eq!(
            pin::identify(&mut l, "1111", now).unwrap().role,
            Role::Owner
        );
        assert!(matches!(
            remove(&mut l, "Olga", now),
            Err(PeopleError::LastOwner(_))
        ));
        remove(&mut l, "ANA", now).unwrap();
        assert!(pin::identify(&mut l, "2222", now).is_err());
        assert!(matches!(find(&l, "Ana"), Err(PeopleError::Unknown(_))));
        // Taken back under the same name, with a new role and PIN.
        add(&mut l, "Ana", Role::Manager, "4444", now).unwrap();
        assert_eq!(find(&l, "ana").unwrap().role, Role::Manager);
        assert_eq!(list(&l).unwrap().len(), 2);
        assert!(matches!(
            change_pin(&mut l, "4444", "1111", now),
            Err(PeopleError::Pin(PinError::Taken))
        ));
        change_pin(&mut l, "4444", "5555", now).unwrap();
        assert_eq!(pin::identify(&mut l, "5555", now).unwrap().name, "Ana");
    }
}
