//! Who is at the till right now and what they may do: the person selling (nobody while the till
//! is locked on "who is selling?"), a manager who stepped in with their PIN for a few minutes,
//! and the idle lock. Pure: the caller passes the time and whether anyone has a PIN, so the rules
//! are tested on a fake clock and the app only wraps this in a lock.

use std::time::{Duration, Instant};

use crate::people::{Action, Person, Role};

/// How long a manager who stepped in holds without a manager action (each one extends it).
pub const MANAGER_SESSION: Duration = Duration::from_secs(5 * 60);

/// What the session refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The till is locked: a PIN says who is selling.
    #[error("the till is locked; enter your PIN to say who is selling")]
    Locked,
    /// The person at the till may not do this: someone with this role must enter their PIN.
    #[error("this needs {} PIN", match .0 { Role::Owner => "the owner's", _ => "a manager's" })]
    PinRequired(Role),
    /// Locking needs a PIN, or nobody could unlock the till.
    #[error("set the owner's PIN first (Manager > Settings); without one the till could not be unlocked")]
    NoPin,
}

/// The till's session.
#[derive(Debug, Clone)]
pub struct Session {
    seller: Option<Person>,
    manager: Option<(Person, Instant)>,
    last_activity: Instant,
    /// Who acts when nobody has a PIN (the owner of a till without staff).
    nobody: Person,
}

impl Session {
    /// A new session at `now`: a till whose staff has PINs starts locked, since whoever opens
    /// the laptop is not yet known; one without acts as `nobody` (its owner).
    pub fn new(pin_set: bool, nobody: Person, now: Instant) -> Self {
        Self {
            seller: (!pin_set).then(|| nobody.clone()),
            manager: None,
            last_activity: now,
            nobody,
        }
    }

    /// Locks the till when it has been idle `minutes` (0: never) since the last activity, at
    /// `now`. Only a till with a PIN locks. True when this call locked it.
    pub fn lock_if_idle(&mut self, now: Instant, pin_set: bool, minutes: u32) -> bool {
        if !pin_set || minutes == 0 || self.seller.is_none() {
            return false;
        }
        let idle = now.saturating_duration_since(self.last_activity);
        if idle < Duration::from_secs(u64::from(minutes) * 60) {
            return false;
        }
        self.seller = None;
        self.manager = None;
        true
    }

    /// The person selling, for a cashier's action; refused while locked.
    pub fn cashier(&self) -> Result<&Person, Refusal> {
        self.seller.as_ref().ok_or(Refusal::Locked)
    }

    /// Who does `action` now: the person selling when their role allows it, or else a manager
    /// who stepped in within [`MANAGER_SESSION`] of their last action (which this extends).
    /// Without a PIN on the till, its owner.
    pub fn allow(
        &mut self,
        action: Action,
        now: Instant,
        pin_set: bool,
    ) -> Result<Person, Refusal> {
        if !pin_set {
            return Ok(self.nobody.clone());
        }
        let seller = self.cashier()?.clone();
        if seller.may(action).is_ok() {
            return Ok(seller);
        }
        match &mut self.manager {
            Some((m, until)) if now < *until && m.may(action).is_ok() => {
                *until = now + MANAGER_SESSION;
                Ok(m.clone())
            }
            _ => Err(Refusal::PinRequired(action.needs())),
        }
    }

    /// Someone entered their PIN on "who is selling?": they are at the till now. A manager or
    /// the owner also has the manager's screens open.
    pub fn sign_in(&mut self, person: Person, now: Instant) {
        self.manager =
            (person.role >= Role::Manager).then(|| (person.clone(), now + MANAGER_SESSION));
        self.seller = Some(person);
        self.last_activity = now;
    }

    /// A manager entered their PIN at an open till: the manager's screens open for them, the
    /// person selling stays.
    pub fn step_in(&mut self, manager: Person, now: Instant) {
        if self.seller.is_none() {
            self.sign_in(manager, now);
            return;
        }
        self.manager = Some((manager, now + MANAGER_SESSION));
        self.last_activity = now;
    }

    /// Locks now.
    pub fn lock(&mut self, pin_set: bool) -> Result<(), Refusal> {
        if !pin_set {
            return Err(Refusal::NoPin);
        }
        self.seller = None;
        self.manager = None;
        Ok(())
    }

    /// Someone just left the staff: if they are selling, the till locks on "who is selling?";
    /// if they stepped in as a manager, their screens close. Their PIN no longer opens anything.
    pub fn forget(&mut self, person_id: i64) {
        if self.seller.as_ref().is_some_and(|p| p.id == person_id) {
            self.seller = None;
            self.manager = None;
        }
        if self
            .manager
            .as_ref()
            .is_some_and(|(p, _)| p.id == person_id)
        {
            self.manager = None;
        }
    }

    /// A touch or a key in the window.
    pub fn touch(&mut self, now: Instant) {
        self.last_activity = now;
    }

    /// Closes the manager's screens; the person selling stays.
    pub fn end_manager(&mut self) {
        self.manager = None;
    }

    /// Whether it is locked.
    pub fn is_locked(&self) -> bool {
        self.seller.is_none()
    }

    /// The person selling.
    pub fn seller(&self) -> Option<&Person> {
        self.seller.as_ref()
    }

    /// The manager whose screens are open at `now`.
    pub fn manager_at(&self, now: Instant) -> Option<&Person> {
        self.manager
            .as_ref()
            .filter(|(_, until)| now < *until)
            .map(|(m, _)| m)
    }

    /// Whether the manager's screens are open at `now`.
    pub fn is_manager(&self, now: Instant) -> bool {
        self.manager_at(now).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, role: Role) -> Person {
        Person {
            id: 1,
            name: name.into(),
            role,
        }
    }

    #[test]
    fn the_idle_lock_counts_from_the_last_touch_and_needs_a_pin() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let owner = Person::implicit_owner("me");
        let mut s = Session::new(false, owner.clone(), t0);
        assert!(!s.lock_if_idle(at(3600), false, 5), "no PIN, no lock");
        s.sign_in(person("Ana", Role::Cashier), t0);
        s.touch(at(200));
        assert!(!s.lock_if_idle(at(499), true, 5));
        assert!(s.lock_if_idle(at(500), true, 5));
        assert_eq!(s.cashier(), Err(Refusal::Locked));
        assert!(!s.lock_if_idle(at(900), true, 5), "locked once");
        let mut never = Session::new(true, owner, t0);
        never.sign_in(person("Ana", Role::Cashier), t0);
        assert!(!never.lock_if_idle(at(86_400), true, 0));
    }

    #[test]
    fn a_cashier_sells_and_a_manager_steps_in_for_what_a_cashier_may_not() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut s = Session::new(true, Person::implicit_owner("me"), t0);
        assert_eq!(s.allow(Action::Sell, t0, true), Err(Refusal::Locked));
        s.sign_in(person("Ana", Role::Cashier), t0);
        assert_eq!(s.allow(Action::Sell, t0, true).unwrap().name, "Ana");
        assert_eq!(
            s.allow(Action::Refund, t0, true),
            Err(Refusal::PinRequired(Role::Manager))
        );
        s.step_in(person("Max", Role::Manager), t0);
        assert_eq!(s.allow(Action::Refund, at(299), true).unwrap().name, "Max");
        assert_eq!(
            s.allow(Action::CloseDay, at(598), true).unwrap().name,
            "Max",
            "each use extends it"
        );
        assert_eq!(
            s.allow(Action::Staff, at(600), true),
            Err(Refusal::PinRequired(Role::Owner)),
            "a manager is not the owner"
        );
        assert_eq!(
            s.cashier().unwrap().name,
            "Ana",
            "the cashier is still selling"
        );
        assert_eq!(
            s.allow(Action::Refund, at(1000), true),
            Err(Refusal::PinRequired(Role::Manager)),
            "the manager's minutes ran out"
        );
        assert_eq!(
            s.allow(Action::Staff, t0, false).unwrap().name,
            "me",
            "without a PIN the owner acts"
        );
        let mut lone = Session::new(false, Person::implicit_owner("me"), t0);
        assert_eq!(lone.lock(false), Err(Refusal::NoPin));
    }
}
