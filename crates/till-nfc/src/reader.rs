//! PC/SC: the card readers the system knows, a card put on one of them, its link read.
//!
//! Blocking calls, each waiting at most [`SLICE`] so that a stop asked for from another thread
//! (the sale was paid another way, the cashier cancelled) is seen at once. Run them off the async
//! runtime (`spawn_blocking`).

use std::{
    ffi::CString,
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use pcsc::{Context, Protocols, ReaderState, Scope, ShareMode, State};

use crate::{type4, NfcError};

/// How long one wait for a reader's change lasts before the stop flag is looked at again.
pub const SLICE: Duration = Duration::from_millis(200);

/// How long a card that left mid-read may take to be seen gone.
const GONE_WAIT: Duration = Duration::from_secs(2);

/// A link read from a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tap {
    /// The URI of the card's NDEF record (for a Bolt Card, `lnurlw://...`).
    pub uri: String,
    /// The reader it was read on.
    pub reader: String,
}

/// The system's card readers, through PC/SC.
pub struct Reader {
    ctx: Context,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reader(PC/SC)")
    }
}

/// A card connected through PC/SC.
struct Connected(pcsc::Card);

impl type4::Transmit for Connected {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, NfcError> {
        let mut buf = [0u8; pcsc::MAX_BUFFER_SIZE];
        Ok(self.0.transmit(apdu, &mut buf)?.to_vec())
    }
}

impl Reader {
    /// Connects to the PC/SC service (`pcscd` on Linux, the Smart Card service on Windows).
    pub fn open() -> Result<Self, NfcError> {
        Ok(Self {
            ctx: Context::establish(Scope::User)?,
        })
    }

    /// The names of the readers plugged in now.
    pub fn readers(&self) -> Result<Vec<String>, NfcError> {
        match self.ctx.list_readers_owned() {
            Ok(names) => Ok(names
                .into_iter()
                .map(|n| n.to_string_lossy().into_owned())
                .collect()),
            Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    /// Waits up to `limit` for a card on any reader and reads its link. A card already lying on
    /// a reader is read at once: after a read, wait for [`Reader::wait_removed`] before the next.
    pub fn wait_for_tap(&self, limit: Duration, stop: &AtomicBool) -> Result<Tap, NfcError> {
        let names = self.ctx.list_readers_owned().map_err(NfcError::from)?;
        if names.is_empty() {
            return Err(NfcError::NoReader);
        }
        let mut states: Vec<ReaderState> = names
            .into_iter()
            .map(|n| ReaderState::new(n, State::UNAWARE))
            .collect();
        let started = Instant::now();
        loop {
            if stop.load(Ordering::Relaxed) {
                return Err(NfcError::Stopped);
            }
            if started.elapsed() >= limit {
                return Err(NfcError::NoTap);
            }
            match self.ctx.get_status_change(SLICE, &mut states) {
                Ok(()) | Err(pcsc::Error::Timeout) => {}
                Err(e) => return Err(e.into()),
            }
            for state in &mut states {
                let now = state.event_state();
                if now.intersects(State::UNAVAILABLE | State::UNKNOWN | State::IGNORE) {
                    return Err(NfcError::ReaderGone);
                }
                state.sync_current_state();
                if now.contains(State::PRESENT) && !now.intersects(State::MUTE | State::EXCLUSIVE) {
                    let reader = state.name().to_owned();
                    let read = self.read(&reader);
                    if read == Err(NfcError::CardRemoved) {
                        // Let the reader see the card gone before anyone arms it again, so the
                        // next look does not find the card that already left.
                        let name = reader.to_string_lossy();
                        let _ = self.wait_removed(&name, GONE_WAIT, stop);
                    }
                    return read;
                }
            }
        }
    }

    /// Waits up to `limit` until no card lies on `reader` (so one tap is read once).
    pub fn wait_removed(
        &self,
        reader: &str,
        limit: Duration,
        stop: &AtomicBool,
    ) -> Result<(), NfcError> {
        let name = CString::new(reader).map_err(|_| NfcError::ReaderGone)?;
        let mut states = [ReaderState::new(name, State::UNAWARE)];
        let started = Instant::now();
        while !stop.load(Ordering::Relaxed) && started.elapsed() < limit {
            match self.ctx.get_status_change(SLICE, &mut states) {
                Ok(()) | Err(pcsc::Error::Timeout) => {}
                Err(e) => return Err(e.into()),
            }
            let now = states[0].event_state();
            if now.intersects(State::UNAVAILABLE | State::UNKNOWN) {
                return Err(NfcError::ReaderGone);
            }
            if now.contains(State::EMPTY) {
                return Ok(());
            }
            states[0].sync_current_state();
        }
        Err(NfcError::Stopped)
    }

    /// Waits up to `limit` until no card lies on any reader (a card that is not a Bolt Card is
    /// refused once, not read again and again while it lies there).
    pub fn wait_all_empty(&self, limit: Duration, stop: &AtomicBool) -> Result<(), NfcError> {
        let started = Instant::now();
        for name in self.readers()? {
            let left = limit.saturating_sub(started.elapsed());
            self.wait_removed(&name, left, stop)?;
        }
        Ok(())
    }

    fn read(&self, reader: &std::ffi::CStr) -> Result<Tap, NfcError> {
        let card = self
            .ctx
            .connect(reader, ShareMode::Shared, Protocols::ANY)
            .map_err(NfcError::from)?;
        let mut connected = Connected(card);
        let uri = type4::read_uri(&mut connected);
        // Let go without a reset: the card keeps nothing of the read, and one that already left
        // the field has nothing to reset.
        let _ = connected.0.disconnect(pcsc::Disposition::LeaveCard);
        let uri = uri?;
        Ok(Tap {
            uri,
            reader: reader.to_string_lossy().into_owned(),
        })
    }
}
