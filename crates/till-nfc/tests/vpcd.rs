//! The PC/SC path for real: pcscd with vsmartcard's virtual reader (vpcd, both installed by
//! `cargo xtask setup`), and a virtual Bolt Card put on it and taken away.
//!
//! pcscd is one per machine (its socket is `/run/pcscd/pcscd.comm`); the tests start it when it
//! is not running (`ensure_service`) and take turns on the one virtual reader.
#![cfg(target_os = "linux")]
// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{
    sync::{atomic::AtomicBool, Mutex, MutexGuard},
    thread,
    time::{Duration, Instant},
};

use till_nfc::{
    virtual_card::{ensure_service, tap, Hold, VPCD},
    NfcError, Reader,
};

const LINK: &str =
    "lnurlw://card.example.com/ln?p=4E2E289D945A66BB13377A728884E867&c=E19CCB1FED8892CE";

static TURN: Mutex<()> = Mutex::new(());

/// pcscd running with the virtual reader, and this test's turn at it.
fn reader() -> (MutexGuard<'static, ()>, Reader) {
    let turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    (turn, ensure_service().unwrap())
}

#[test]
fn a_tapped_bolt_card_is_read_once_and_its_lifting_seen() {
    let (_turn, reader) = reader();
    let card = thread::spawn(|| tap(VPCD, LINK, Hold::UntilRead, Duration::from_secs(15)));
    let stop = AtomicBool::new(false);
    let read = reader.wait_for_tap(Duration::from_secs(15), &stop).unwrap();
    assert_eq!(read.uri, LINK);
    assert!(read.reader.starts_with("Virtual PCD"), "{}", read.reader);
    let served = card.join().unwrap().unwrap();
    assert!(served.read_whole);
    assert_eq!(
        served.apdus[0],
        [0x00, 0xA4, 0x04, 0x00, 0x07, 0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01, 0x00]
    );
    reader
        .wait_removed(&read.reader, Duration::from_secs(10), &stop)
        .unwrap();
}

#[test]
fn a_card_lifted_too_soon_is_named_and_the_next_tap_reads() {
    let (_turn, reader) = reader();
    let card = thread::spawn(|| tap(VPCD, LINK, Hold::Apdus(1), Duration::from_secs(15)));
    let stop = AtomicBool::new(false);
    let err = reader
        .wait_for_tap(Duration::from_secs(15), &stop)
        .unwrap_err();
    assert_eq!(err, NfcError::CardRemoved, "{err}");
    assert_eq!(card.join().unwrap().unwrap().apdus.len(), 1);
    let card = thread::spawn(|| tap(VPCD, LINK, Hold::UntilRead, Duration::from_secs(15)));
    let read = reader.wait_for_tap(Duration::from_secs(15), &stop).unwrap();
    assert_eq!(read.uri, LINK);
    card.join().unwrap().unwrap();
}

#[test]
fn no_tap_and_a_stop_end_the_wait() {
    let (_turn, reader) = reader();
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    assert_eq!(
        reader.wait_for_tap(Duration::from_millis(600), &stop),
        Err(NfcError::NoTap)
    );
    assert!(started.elapsed() >= Duration::from_millis(600));
    let stop = AtomicBool::new(true);
    assert_eq!(
        reader.wait_for_tap(Duration::from_secs(30), &stop),
        Err(NfcError::Stopped)
    );
}
