//! A Bolt Card's link, read over NFC.
//!
//! A Bolt Card is an NTAG 424 DNA: an NFC Forum Type 4 tag whose NDEF file holds one URI record,
//! `lnurlw://...`, that changes at every tap. Reading it takes three APDUs through any PC/SC
//! reader (an ACR122U, an ACR1252U, a reader built into the laptop):
//!
//! - [`ndef`]: the NDEF message and its URI record (NFC Forum RTD-URI, with its prefix table).
//! - [`type4`]: the APDUs that read the NDEF file of a Type 4 tag, over anything that transmits.
//! - [`reader`]: PC/SC: waiting for a card on any reader, reading it, and telling "no reader",
//!   "reader unplugged" and "card taken away too soon" apart.
//! - `virtual_card` (feature `virtual`): a tag that plugs into vsmartcard's virtual reader, so
//!   the whole path runs in tests without hardware.

pub mod ndef;
pub mod reader;
pub mod type4;
#[cfg(feature = "virtual")]
pub mod virtual_card;

mod error;

pub use error::NfcError;
pub use reader::{Reader, Tap};
