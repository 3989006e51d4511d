//! Reading the NDEF file of an NFC Forum Type 4 tag (an NTAG 424 DNA, so a Bolt Card), over
//! anything that can send an APDU and return the card's answer.
//!
//! ```text
//! 00 A4 04 00 07 D2760000850101 00   SELECT the NDEF application (by name)
//! 00 A4 00 0C 02 E104                SELECT the NDEF file (NTAG 424 DNA's file E104)
//! 00 B0 00 00 02                     READ BINARY: the message's length (NLEN)
//! 00 B0 hi lo n                      READ BINARY: the message, in pieces of at most MAX_READ
//! ```
//!
//! Each answer ends in the status word; `90 00` is success.

use crate::{ndef, NfcError};

/// The NDEF application's name (NFC Forum Type 4 Tag, version 2).
pub const NDEF_APP: [u8; 7] = [0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01];
/// NTAG 424 DNA's NDEF file.
pub const NDEF_FILE: [u8; 2] = [0xE1, 0x04];
/// The most read in one READ BINARY: below every reader's and tag's limit.
pub const MAX_READ: usize = 0x80;
/// The longest NDEF message read (an NTAG 424 DNA's NDEF file is 256 bytes).
pub const MAX_MESSAGE: usize = 1024;

/// What sends an APDU to the card and returns its whole answer, status word included.
pub trait Transmit {
    /// Sends `apdu`; the answer with its two status bytes.
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, NfcError>;
}

/// The card's answer without its status word, or an error when the status is not `90 00`.
fn ok<'a>(answer: &'a [u8], step: &str) -> Result<&'a [u8], NfcError> {
    match answer {
        [data @ .., 0x90, 0x00] => Ok(data),
        [.., sw1, sw2] => Err(NfcError::NotBoltCard(format!(
            "{step} was refused (status {sw1:02X} {sw2:02X})"
        ))),
        // No answer at all: the card left the field mid-exchange (vsmartcard's reader reports
        // it so; a hardware reader says RemovedCard, mapped the same way).
        [] => Err(NfcError::CardRemoved),
        _ => Err(NfcError::Reader(format!(
            "{step}: the card's answer is cut short"
        ))),
    }
}

/// The URI the tag's NDEF file holds.
pub fn read_uri(card: &mut impl Transmit) -> Result<String, NfcError> {
    let mut select_app = vec![0x00, 0xA4, 0x04, 0x00, NDEF_APP.len() as u8];
    select_app.extend_from_slice(&NDEF_APP);
    select_app.push(0x00);
    ok(
        &card.transmit(&select_app)?,
        "selecting the NDEF application",
    )?;
    let select_file = [0x00, 0xA4, 0x00, 0x0C, 0x02, NDEF_FILE[0], NDEF_FILE[1]];
    ok(&card.transmit(&select_file)?, "selecting the NDEF file")?;
    let length = read(card, 0, 2)?;
    let nlen = usize::from(u16::from_be_bytes([length[0], length[1]]));
    if nlen == 0 {
        return Err(NfcError::NotBoltCard("its NDEF file is empty".into()));
    }
    if nlen > MAX_MESSAGE {
        return Err(NfcError::NotBoltCard(format!(
            "its NDEF message says it is {nlen} bytes long"
        )));
    }
    let mut message = Vec::with_capacity(nlen);
    while message.len() < nlen {
        let n = (nlen - message.len()).min(MAX_READ);
        message.extend_from_slice(&read(card, 2 + message.len(), n)?);
    }
    ndef::uri(&message)
}

/// READ BINARY of exactly `n` bytes at `offset` of the selected file.
fn read(card: &mut impl Transmit, offset: usize, n: usize) -> Result<Vec<u8>, NfcError> {
    let [hi, lo] = u16::try_from(offset)
        .map_err(|_| NfcError::NotBoltCard("its NDEF file is too long".into()))?
        .to_be_bytes();
    let answer = card.transmit(&[0x00, 0xB0, hi, lo, n as u8])?;
    let data = ok(&answer, "reading the NDEF file")?;
    if data.len() != n {
        return Err(NfcError::Reader(format!(
            "the card gave {} bytes of the {n} asked for",
            data.len()
        )));
    }
    Ok(data.to_vec())
}

/// A Type 4 tag's side of the exchange: what [`read_uri`] asks, answered from an NDEF message,
/// as an NTAG 424 DNA does. The virtual card serves it; the tests check `read_uri` against it.
#[derive(Debug, Clone, Default)]
pub struct Tag {
    /// The NDEF file: NLEN, then the message.
    file: Vec<u8>,
    app_selected: bool,
    file_selected: bool,
}

impl Tag {
    /// A tag whose NDEF file holds `message`.
    pub fn new(message: &[u8]) -> Self {
        let mut file = (message.len() as u16).to_be_bytes().to_vec();
        file.extend_from_slice(message);
        Self {
            file,
            ..Self::default()
        }
    }

    /// The tag's answer to `apdu`, status word included.
    pub fn answer(&mut self, apdu: &[u8]) -> Vec<u8> {
        const OK: [u8; 2] = [0x90, 0x00];
        const NOT_FOUND: [u8; 2] = [0x6A, 0x82];
        const WRONG: [u8; 2] = [0x6A, 0x86];
        const NOT_ALLOWED: [u8; 2] = [0x69, 0x86];
        const UNKNOWN: [u8; 2] = [0x6D, 0x00];
        match apdu {
            [0x00, 0xA4, 0x04, 0x00, 7, name @ ..] if name.starts_with(&NDEF_APP) => {
                self.app_selected = true;
                self.file_selected = false;
                OK.to_vec()
            }
            [0x00, 0xA4, 0x04, ..] => {
                self.app_selected = false;
                NOT_FOUND.to_vec()
            }
            [0x00, 0xA4, 0x00, 0x0C, 2, hi, lo, ..] => {
                self.file_selected = self.app_selected && [*hi, *lo] == NDEF_FILE;
                if self.file_selected { OK } else { NOT_FOUND }.to_vec()
            }
            [0x00, 0xB0, hi, lo, le] => {
                if !self.file_selected {
                    return NOT_ALLOWED.to_vec();
                }
                let offset = usize::from(u16::from_be_bytes([*hi, *lo]));
                let n = if *le == 0 { 256 } else { usize::from(*le) };
                match self.file.get(offset..offset + n) {
                    Some(data) => [data, &OK[..]].concat(),
                    None => WRONG.to_vec(),
                }
            }
            _ => UNKNOWN.to_vec(),
        }
    }
}

impl Transmit for Tag {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, NfcError> {
        Ok(self.answer(apdu))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tag that records what it was asked.
    struct Logged(Tag, Vec<Vec<u8>>);

    impl Transmit for Logged {
        fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, NfcError> {
            self.1.push(apdu.to_vec());
            self.0.transmit(apdu)
        }
    }

    #[test]
    fn a_bolt_card_is_read_with_the_apdus_of_the_ntag_424_datasheet() {
        let link = format!(
            "lnurlw://card.example.com/ln?p={}&c={}",
            "A".repeat(32),
            "B".repeat(16)
        );
        let mut card = Logged(Tag::new(&ndef::uri_message(&link)), Vec::new());
        assert_eq!(read_uri(&mut card).unwrap(), link);
        let hex: Vec<String> = card
            .1
            .iter()
            .map(|a| a.iter().map(|b| format!("{b:02X}")).collect())
            .collect();
        assert_eq!(hex[0], "00A4040007D276000085010100");
        assert_eq!(hex[1], "00A4000C02E104");
        assert_eq!(hex[2], "00B0000002");
        // The 92-byte message is read in one piece after its length.
        assert_eq!(
            hex[3],
            format!("00B00002{:02X}", ndef::uri_message(&link).len())
        );
        assert_eq!(hex.len(), 4);
    }

    #[test]
    fn a_long_message_is_read_in_pieces() {
        let link = format!("lnurlw://x.example/{}", "z".repeat(400));
        let mut card = Logged(Tag::new(&ndef::uri_message(&link)), Vec::new());
        assert_eq!(read_uri(&mut card).unwrap(), link);
        assert!(card.1.len() > 5);
        assert!(card
            .1
            .iter()
            .all(|a| a[1] != 0xB0 || usize::from(a[4]) <= MAX_READ));
    }

    #[test]
    fn cards_that_are_not_bolt_cards_say_so() {
        // A payment card or a transit card: no NDEF application.
        struct NoNdef;
        impl Transmit for NoNdef {
            fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, NfcError> {
                Ok(vec![0x6A, 0x82])
            }
        }
        let err = read_uri(&mut NoNdef).unwrap_err();
        assert_eq!(
            err.to_string(),
            "this card is not a Bolt Card: selecting the NDEF application was refused (status 6A 82)"
        );
        // An empty tag.
        assert!(
            matches!(read_uri(&mut Tag::new(&[])), Err(NfcError::NotBoltCard(m)) if m.contains("empty"))
        );
        // An answer without a status word.
        struct Mute;
        impl Transmit for Mute {
            fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, NfcError> {
                Ok(vec![0x90])
            }
        }
        assert!(matches!(read_uri(&mut Mute), Err(NfcError::Reader(_))));
        // No answer at all: the card left mid-exchange.
        struct Gone;
        impl Transmit for Gone {
            fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, NfcError> {
                Ok(Vec::new())
            }
        }
        assert_eq!(read_uri(&mut Gone), Err(NfcError::CardRemoved));
    }
}
