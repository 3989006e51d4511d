//! Who may do what at the till right now: whether it is locked, whether the manager's PIN is in
//! force, and the idle lock. Pure: the caller passes the time and whether a PIN is set, so the
//! rules are tested on a fake clock and the app only wraps this in a lock.

use std::time::{Duration, Instant};

/// How long the manager's PIN holds without a manager action (each one extends it).
pub const MANAGER_SESSION: Duration = Duration::from_secs(5 * 60);

/// What the session refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The till is locked: only the PIN opens it.
    #[error("the till is locked; enter the manager PIN to unlock it")]
    Locked,
    /// A manager's action, and the PIN has not been entered lately.
    #[error("this needs the manager PIN")]
    PinRequired,
    /// Locking needs a PIN, or nobody could unlock the till.
    #[error(
        "set a manager PIN first (Manager > Settings); without one the till could not be unlocked"
    )]
    NoPin,
}

/// The till's session.
#[derive(Debug, Clone)]
pub struct Session {
    locked: bool,
    manager_until: Option<Instant>,
    last_activity: Instant,
}

impl Session {
    /// A new session at `now`: a till with a PIN starts locked, since whoever opens the laptop
    /// is not yet known.
    pub fn new(pin_set: bool, now: Instant) -> Self {
        Self {
            locked: pin_set,
            manager_until: None,
            last_activity: now,
        }
    }

    /// Locks the till when it has been idle `minutes` (0: never) since the last activity, at
    /// `now`. Only a till with a PIN locks. True when this call locked it.
    pub fn lock_if_idle(&mut self, now: Instant, pin_set: bool, minutes: u32) -> bool {
        if !pin_set || minutes == 0 || self.locked {
            return false;
        }
        let idle = now.saturating_duration_since(self.last_activity);
        if idle < Duration::from_secs(u64::from(minutes) * 60) {
            return false;
        }
        self.locked = true;
        self.manager_until = None;
        true
    }

    /// A cashier's action may go ahead.
    pub fn cashier(&self) -> Result<(), Refusal> {
        if self.locked {
            Err(Refusal::Locked)
        } else {
            Ok(())
        }
    }

    /// A manager's action may go ahead: the PIN was entered within [`MANAGER_SESSION`] of the
    /// last manager action (which this one extends), or no PIN is set at all.
    pub fn manager(&mut self, now: Instant, pin_set: bool) -> Result<(), Refusal> {
        self.cashier()?;
        if !pin_set {
            return Ok(());
        }
        match self.manager_until {
            Some(until) if now < until => {
                self.manager_until = Some(now + MANAGER_SESSION);
                Ok(())
            }
            _ => {
                self.manager_until = None;
                Err(Refusal::PinRequired)
            }
        }
    }

    /// The right PIN was just entered (or set): unlocked, the manager's screens open.
    pub fn pin_entered(&mut self, now: Instant) {
        self.locked = false;
        self.manager_until = Some(now + MANAGER_SESSION);
        self.last_activity = now;
    }

    /// Locks now.
    pub fn lock(&mut self, pin_set: bool) -> Result<(), Refusal> {
        if !pin_set {
            return Err(Refusal::NoPin);
        }
        self.locked = true;
        self.manager_until = None;
        Ok(())
    }

    /// A touch or a key in the window.
    pub fn touch(&mut self, now: Instant) {
        self.last_activity = now;
    }

    /// Closes the manager's screens; the till stays open for the cashier.
    pub fn end_manager(&mut self) {
        self.manager_until = None;
    }

    /// Whether it is locked.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

    /// Whether the manager's screens are open at `now`.
    pub fn is_manager(&self, now: Instant) -> bool {
        self.manager_until.is_some_and(|u| now < u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_lock_counts_from_the_last_touch_and_needs_a_pin() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut s = Session::new(false, t0);
        assert!(!s.lock_if_idle(at(3600), false, 5), "no PIN, no lock");
        s.pin_entered(t0);
        s.touch(at(200));
        assert!(!s.lock_if_idle(at(499), true, 5));
        assert!(s.lock_if_idle(at(500), true, 5));
        assert_eq!(s.cashier(), Err(Refusal::Locked));
        assert!(!s.lock_if_idle(at(900), true, 5), "locked once");
        let mut never = Session::new(true, t0);
        never.pin_entered(t0);
        assert!(!never.lock_if_idle(at(86_400), true, 0));
    }

    #[test]
    fn the_managers_pin_holds_while_it_is_used() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut s = Session::new(true, t0);
        assert_eq!(s.manager(t0, true), Err(Refusal::Locked));
        s.pin_entered(t0);
        assert_eq!(s.manager(at(299), true), Ok(()));
        assert_eq!(s.manager(at(598), true), Ok(()), "each use extends it");
        assert_eq!(s.manager(at(899), true), Err(Refusal::PinRequired));
        assert!(!s.is_manager(at(899)));
        assert_eq!(
            s.manager(at(900), false),
            Ok(()),
            "without a PIN nothing is asked"
        );
        assert_eq!(Session::new(false, t0).lock(false), Err(Refusal::NoPin));
    }
}
