//! NDEF, as far as a Bolt Card needs it: a message of records, and the URI record (NFC Forum
//! RTD-URI) whose first byte abbreviates a common prefix.

use crate::NfcError;

/// RTD-URI's prefix table: the first payload byte stands for one of these (0 for none).
const PREFIXES: [&str; 36] = [
    "",
    "http://www.",
    "https://www.",
    "http://",
    "https://",
    "tel:",
    "mailto:",
    "ftp://anonymous:anonymous@",
    "ftp://ftp.",
    "ftps://",
    "sftp://",
    "smb://",
    "nfs://",
    "ftp://",
    "dav://",
    "news:",
    "telnet://",
    "imap:",
    "rtsp://",
    "urn:",
    "pop:",
    "sip:",
    "sips:",
    "tftp:",
    "btspp://",
    "btl2cap://",
    "btgoep://",
    "tcpobex://",
    "irdaobex://",
    "file://",
    "urn:epc:id:",
    "urn:epc:tag:",
    "urn:epc:pat:",
    "urn:epc:raw:",
    "urn:epc:",
    "urn:nfc:",
];

/// Type Name Format 1: an NFC Forum well-known type (such as `U`).
const TNF_WELL_KNOWN: u8 = 0x01;
const MB: u8 = 0x80;
const ME: u8 = 0x40;
const CF: u8 = 0x20;
const SR: u8 = 0x10;
const IL: u8 = 0x08;

/// One record, as far as it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record<'a> {
    tnf: u8,
    kind: &'a [u8],
    payload: &'a [u8],
}

fn bad(why: &str) -> NfcError {
    NfcError::NotBoltCard(format!("its NDEF message is damaged ({why})"))
}

/// The first `n` bytes of `from`, which moves past them.
fn take<'a>(from: &mut &'a [u8], n: usize) -> Result<&'a [u8], NfcError> {
    if from.len() < n {
        return Err(bad("a record is longer than the message"));
    }
    let (head, tail) = from.split_at(n);
    *from = tail;
    Ok(head)
}

/// The records of an NDEF message.
fn records(message: &[u8]) -> Result<Vec<Record<'_>>, NfcError> {
    let mut out = Vec::new();
    let mut rest = message;
    loop {
        let (&header, after) = rest.split_first().ok_or_else(|| bad("it ends early"))?;
        if header & CF != 0 {
            return Err(bad("chunked records"));
        }
        let mut cursor = after;
        let type_len = take(&mut cursor, 1)?[0] as usize;
        let payload_len = if header & SR != 0 {
            take(&mut cursor, 1)?[0] as usize
        } else {
            let b = take(&mut cursor, 4)?;
            u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
        };
        let id_len = if header & IL != 0 {
            take(&mut cursor, 1)?[0] as usize
        } else {
            0
        };
        let kind = take(&mut cursor, type_len)?;
        take(&mut cursor, id_len)?;
        let payload = take(&mut cursor, payload_len)?;
        out.push(Record {
            tnf: header & 0x07,
            kind,
            payload,
        });
        rest = cursor;
        if header & ME != 0 || rest.is_empty() {
            return Ok(out);
        }
    }
}

/// The first URI record's URI, with its prefix written out.
pub fn uri(message: &[u8]) -> Result<String, NfcError> {
    let record = records(message)?
        .into_iter()
        .find(|r| r.tnf == TNF_WELL_KNOWN && r.kind == b"U")
        .ok_or_else(|| NfcError::NotBoltCard("it holds no link (no NDEF URI record)".into()))?;
    let (&code, rest) = record
        .payload
        .split_first()
        .ok_or_else(|| bad("an empty URI record"))?;
    let prefix = PREFIXES
        .get(code as usize)
        .ok_or_else(|| bad("an unknown URI prefix"))?;
    let rest = std::str::from_utf8(rest).map_err(|_| bad("a URI that is not UTF-8"))?;
    Ok(format!("{prefix}{rest}"))
}

/// A message of one URI record holding `uri` (no prefix abbreviated: `lnurlw://` has none), as
/// a Bolt Card is written.
pub fn uri_message(uri: &str) -> Vec<u8> {
    let mut payload = vec![0u8];
    payload.extend_from_slice(uri.as_bytes());
    let mut out = Vec::with_capacity(payload.len() + 7);
    if payload.len() <= 255 {
        out.extend_from_slice(&[MB | ME | SR | TNF_WELL_KNOWN, 1, payload.len() as u8]);
    } else {
        out.extend_from_slice(&[MB | ME | TNF_WELL_KNOWN, 1]);
        out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    }
    out.push(b'U');
    out.extend_from_slice(&payload);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bolt_card_message_reads_back() {
        let link =
            "lnurlw://card.example.com/ln?p=4E2E289D945A66BB13377A728884E867&c=E19CCB1FED8892CE";
        assert_eq!(uri(&uri_message(link)).unwrap(), link);
        let long = format!("lnurlw://x.example/{}", "a".repeat(300));
        assert_eq!(uri(&uri_message(&long)).unwrap(), long);
    }

    #[test]
    fn prefixes_are_written_out() {
        // NFC Forum's example: 0x04 "nfc-forum.org" is https://nfc-forum.org.
        let msg = [
            0xD1, 0x01, 0x0E, b'U', 0x04, b'n', b'f', b'c', b'-', b'f', b'o', b'r', b'u', b'm',
            b'.', b'o', b'r', b'g',
        ];
        assert_eq!(uri(&msg).unwrap(), "https://nfc-forum.org");
    }

    #[test]
    fn other_records_are_skipped_and_damage_is_named() {
        // A text record ("T", "en", "hi") then the URI record.
        let mut msg = vec![
            MB | SR | TNF_WELL_KNOWN,
            1,
            5,
            b'T',
            2,
            b'e',
            b'n',
            b'h',
            b'i',
        ];
        let uri_record = uri_message("lnurlw://a.example/w");
        msg.push((uri_record[0] & !MB) | ME);
        msg.extend_from_slice(&uri_record[1..]);
        assert_eq!(uri(&msg).unwrap(), "lnurlw://a.example/w");
        // Only the text record: no link.
        let text_only = [
            MB | ME | SR | TNF_WELL_KNOWN,
            1,
            5,
            b'T',
            2,
            b'e',
            b'n',
            b'h',
            b'i',
        ];
        assert!(matches!(uri(&text_only), Err(NfcError::NotBoltCard(m)) if m.contains("no link")));
        // Cut short, an unknown prefix, not UTF-8, empty.
        let full = uri_message("lnurlw://a.example/w");
        for broken in [
            &full[..full.len() - 3],
            &[MB | ME | SR | TNF_WELL_KNOWN, 1, 2, b'U', 99, b'x'][..],
            &[MB | ME | SR | TNF_WELL_KNOWN, 1, 2, b'U', 0, 0xFF][..],
            &[][..],
        ] {
            assert!(
                matches!(uri(broken), Err(NfcError::NotBoltCard(m)) if m.contains("damaged")),
                "{broken:?}"
            );
        }
    }
}
