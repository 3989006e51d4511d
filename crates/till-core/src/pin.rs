//! PINs: each person's stored as an Argon2id hash in the staff table (see `crate::people`),
//! never in clear; wrong PINs lock the whole till out for a time that doubles with each further
//! miss, whoever's name is tried. A right PIN does not wipe the misses (or a cashier could guess
//! twice, type their own PIN, and guess again for ever): misses are forgotten only
//! [`FORGET_MISSES_AFTER`] after the last one. A PIN that is someone's but may not do what was
//! asked, and a new PIN that turns out to be taken, count as misses too: both say something
//! about other people's PINs.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use chrono::{DateTime, Utc};

use crate::{
    ledger::{parse_time, time_text, Ledger, LedgerError},
    people::Person,
};

const FAILURES: &str = "manager_pin_failures";
const LOCKED_UNTIL: &str = "manager_pin_locked_until";
const LAST_MISS: &str = "pin_last_miss";

/// Misses older than this (counted from the last one) are forgotten.
pub const FORGET_MISSES_AFTER: chrono::Duration = chrono::Duration::hours(1);

/// Misses allowed before the first lock-out.
pub const FREE_TRIES: u32 = 3;
/// The first lock-out; each further miss doubles it, up to [`MAX_LOCK_SECONDS`].
pub const FIRST_LOCK_SECONDS: i64 = 30;
/// The longest lock-out: 15 minutes.
pub const MAX_LOCK_SECONDS: i64 = 15 * 60;

/// Why a PIN was refused.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    /// Not 4 to 12 digits.
    #[error("a PIN is 4 to 12 digits")]
    BadFormat,
    /// Nobody has a PIN yet.
    #[error("no PIN is set; set the owner's with `till pin set`")]
    NotSet,
    /// Wrong PIN.
    #[error("wrong PIN ({tries_left} more tries before the till makes you wait)")]
    Wrong {
        /// Tries left before a lock-out.
        tries_left: u32,
    },
    /// Too many wrong PINs.
    #[error("too many wrong PINs; try again in {seconds} s")]
    Locked {
        /// Seconds until the next try.
        seconds: i64,
    },
    /// Someone else has this PIN (a PIN alone says who is at the till).
    #[error("that PIN is taken; choose another")]
    Taken,
    /// Hashing failed.
    #[error("the PIN could not be processed: {0}")]
    Hash(String),
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

fn valid(pin: &str) -> bool {
    (4..=12).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit())
}

/// The one PIN rule: 4 to 12 digits. Checked before anything else is done with a new PIN.
pub fn check_format(pin: &str) -> Result<(), PinError> {
    if valid(pin) {
        Ok(())
    } else {
        Err(PinError::BadFormat)
    }
}

/// Whether anyone has a PIN (and so whether the till locks and asks who is selling).
pub fn is_set(ledger: &Ledger) -> Result<bool, PinError> {
    Ok(ledger.has_staff()?)
}

/// The Argon2id hash of a PIN (checked first), with a fresh random salt.
pub fn hash(pin: &str) -> Result<String, PinError> {
    check_format(pin)?;
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| PinError::Hash(e.to_string()))?
        .to_string())
}

/// Whether `pin` is the one `stored` (an Argon2 hash) was made from.
pub fn matches(stored: &str, pin: &str) -> Result<bool, PinError> {
    let parsed = PasswordHash::new(stored).map_err(|e| PinError::Hash(e.to_string()))?;
    Ok(valid(pin)
        && Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok())
}

/// Forgets the misses counted so far (a PIN reset).
pub fn clear_misses(ledger: &mut Ledger) -> Result<(), PinError> {
    ledger.set_settings(&[(FAILURES, "0"), (LOCKED_UNTIL, ""), (LAST_MISS, "")])?;
    Ok(())
}

/// Refused while the till is locked out after misses.
fn check_locked_out(ledger: &Ledger, now: DateTime<Utc>) -> Result<(), PinError> {
    if let Some(until) = ledger.setting(LOCKED_UNTIL)?.filter(|s| !s.is_empty()) {
        let until = parse_time(&until)?;
        if now < until {
            // Rounded up: "try again in 0 s" would be a lie.
            let seconds = ((until - now).num_milliseconds() + 999) / 1000;
            return Err(PinError::Locked {
                seconds: seconds.max(1),
            });
        }
    }
    Ok(())
}

/// Counts one miss at `now` (a wrong PIN, a PIN that may not do what was asked, a new PIN that
/// is taken) and answers what the person is told: the tries left, or the lock-out it started.
pub fn count_miss(ledger: &mut Ledger, now: DateTime<Utc>) -> Result<PinError, PinError> {
    let recent = ledger
        .setting(LAST_MISS)?
        .filter(|s| !s.is_empty())
        .map(|t| parse_time(&t))
        .transpose()?
        .is_some_and(|last| now - last < FORGET_MISSES_AFTER);
    let before: u32 = if recent {
        ledger
            .setting(FAILURES)?
            .and_then(|f| f.parse().ok())
            .unwrap_or(0)
    } else {
        0
    };
    let failures = before.saturating_add(1);
    let at = time_text(now);
    if failures >= FREE_TRIES {
        let doublings = (failures - FREE_TRIES).min(10);
        let seconds = (FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS);
        ledger.set_settings(&[
            (FAILURES, &failures.to_string()),
            (LAST_MISS, &at),
            (
                LOCKED_UNTIL,
                &time_text(now + chrono::Duration::seconds(seconds)),
            ),
        ])?;
        return Ok(PinError::Locked { seconds });
    }
    ledger.set_settings(&[(FAILURES, &failures.to_string()), (LAST_MISS, &at)])?;
    Ok(PinError::Wrong {
        tries_left: FREE_TRIES - failures,
    })
}

/// Whose PIN this is, at `now`: refused while the till is locked out, and each miss counted,
/// locking out after [`FREE_TRIES`].
pub fn identify(ledger: &mut Ledger, pin: &str, now: DateTime<Utc>) -> Result<Person, PinError> {
    let staff = ledger.staff()?;
    if staff.is_empty() {
        return Err(PinError::NotSet);
    }
    check_locked_out(ledger, now)?;
    for row in &staff {
        if matches(&row.pin_hash, pin)? {
            return Ok(Person::from(row));
        }
    }
    Err(count_miss(ledger, now)?)
}

/// Checks a PIN at `now` (anyone's): [`identify`], for callers that only need to know it is
/// someone's.
pub fn verify(ledger: &mut Ledger, pin: &str, now: DateTime<Utc>) -> Result<Person, PinError> {
    identify(ledger, pin, now)
}

/// Sets the owner's PIN (creating the owner, named "Owner", on a till without staff).
pub fn set(ledger: &mut Ledger, pin: &str) -> Result<(), PinError> {
    match crate::people::reset_owner_pin(ledger, "Owner", pin, Utc::now()) {
        Ok(_) => Ok(()),
        Err(crate::people::PeopleError::Pin(e)) => Err(e),
        Err(crate::people::PeopleError::Ledger(e)) => Err(e.into()),
        Err(e) => Err(PinError::Hash(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_pin_opens_and_is_never_stored_in_clear() {
        let mut l = Ledger::in_memory().unwrap();
        assert!(matches!(
            verify(&mut l, "1234", Utc::now()),
            Err(PinError::NotSet)
        ));
        set(&mut l, "4821").unwrap();
        assert!(is_set(&l).unwrap());
        assert!(!l.staff().unwrap()[0].pin_hash.contains("4821"));
        verify(&mut l, "4821", Utc::now()).unwrap();
        for bad in ["", "123", "12a4", "1234567890123", "12 34"] {
            assert!(
                matches!(set(&mut l, bad), Err(PinError::BadFormat)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn wrong_pins_lock_out_for_longer_and_longer() {
        let mut l = Ledger::in_memory().unwrap();
        set(&mut l, "4821").unwrap();
        let t0 = Utc::now();
        assert!(matches!(
            verify(&mut l, "0000", t0),
            Err(PinError::Wrong { tries_left: 2 })
        ));
        assert!(matches!(
            verify(&mut l, "0000", t0),
            Err(PinError::Wrong { tries_left: 1 })
        ));
        assert!(matches!(
            verify(&mut l, "0000", t0),
            Err(PinError::Locked { seconds: 30 })
        ));
        // Even the right PIN is refused while locked.
        assert!(matches!(
            verify(&mut l, "4821", t0 + chrono::Duration::seconds(10)),
            Err(PinError::Locked { seconds: 20 })
        ));
        let t1 = t0 + chrono::Duration::seconds(31);
        assert!(matches!(
            verify(&mut l, "0000", t1),
            Err(PinError::Locked { seconds: 60 })
        ));
        let t2 = t1 + chrono::Duration::seconds(61);
        verify(&mut l, "4821", t2).unwrap();
        // A success does not wipe the misses: the next wrong PIN waits longer still.
        assert!(matches!(
            verify(&mut l, "0000", t2),
            Err(PinError::Locked { seconds: 120 })
        ));
        // An hour after the last miss they are forgotten.
        let later = t2 + FORGET_MISSES_AFTER;
        verify(&mut l, "4821", later).unwrap();
        assert!(matches!(
            verify(&mut l, "0000", later),
            Err(PinError::Wrong { tries_left: 2 })
        ));
    }

    #[test]
    fn guessing_between_right_pins_still_locks_the_till_out() {
        let mut l = Ledger::in_memory().unwrap();
        set(&mut l, "4821").unwrap();
        let now = Utc::now();
        crate::people::add(&mut l, "Ana", crate::people::Role::Cashier, "1357", now).unwrap();
        // Ana guesses, types her own PIN, and guesses again: the third guess locks the till.
        assert!(verify(&mut l, "0000", now).is_err());
        verify(&mut l, "1357", now).unwrap();
        assert!(verify(&mut l, "1111", now).is_err());
        verify(&mut l, "1357", now).unwrap();
        assert!(matches!(
            verify(&mut l, "2222", now),
            Err(PinError::Locked { .. })
        ));
        // A new PIN that is taken says whose PIN exists: it counts as a miss as well.
        clear_misses(&mut l).unwrap();
        for _ in 0..2 {
            assert!(matches!(
                crate::people::change_pin(&mut l, "1357", "4821", now),
                Err(crate::people::PeopleError::Pin(PinError::Taken))
            ));
        }
        assert!(matches!(
            crate::people::change_pin(&mut l, "1357", "4821", now),
            Err(crate::people::PeopleError::Pin(PinError::Locked { .. }))
        ));
        // And so does a right PIN whose person may not do what was asked.
        clear_misses(&mut l).unwrap();
        let ana = identify(&mut l, "1357", now).unwrap();
        let refusal = crate::people::may_with_pin(&mut l, &ana, crate::people::Action::Refund, now)
            .unwrap_err()
            .to_string();
        assert_eq!(
            refusal,
            "that PIN may not give refunds: only a manager or the owner may"
        );
        assert!(!refusal.contains("Ana"));
        assert!(matches!(
            verify(&mut l, "0000", now),
            Err(PinError::Wrong { tries_left: 1 })
        ));
    }

    #[test]
    fn the_wait_doubles_up_to_fifteen_minutes() {
        let mut l = Ledger::in_memory().unwrap();
        set(&mut l, "4821").unwrap();
        let mut t = Utc::now();
        let mut waits = Vec::new();
        for _ in 0..12 {
            if let Err(PinError::Locked { seconds }) = verify(&mut l, "0000", t) {
                waits.push(seconds);
                t += chrono::Duration::seconds(seconds);
            }
        }
        assert_eq!(
            waits,
            [30, 60, 120, 240, 480, 900, 900, 900, 900, 900],
            "after three free tries"
        );
    }
}
