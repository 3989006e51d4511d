//! A virtual Bolt Card: an NFC Forum Type 4 tag holding one `lnurlw://` link, plugged into
//! vsmartcard's virtual reader (`vpcd`, a pcscd driver), so the till's PC/SC path is tested end to
//! end without hardware.
//!
//! vpcd's protocol: the card connects to the reader's TCP port (35963 for the first reader of
//! Debian's `/etc/reader.conf.d/vpcd`); every message either way is a 2-byte big-endian length,
//! then that many bytes. From the reader, one byte is a control message (0 power off, 1 power
//! on, 2 reset, 4 send the ATR); more is a command APDU, answered with the response APDU.
//! Connecting is putting the card on the reader; closing the connection is taking it away. A
//! card read whole waits for the reader to let it go (its power-off or reset) before it closes,
//! as a customer's card stays in the field a moment; a tap too short goes without answering.

use std::{
    io::{self, Read, Write},
    net::{SocketAddr, TcpStream},
    time::{Duration, Instant},
};

use crate::{ndef, type4::Tag};

/// An ISO 14443-4 card's ATR as PC/SC readers build it (no historical bytes but one, TCK last).
pub const ATR: [u8; 6] = [0x3B, 0x81, 0x80, 0x01, 0x80, 0x80];

/// How long the card stays on the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Until the whole NDEF message has been read, as a customer who taps and lifts.
    UntilRead,
    /// Lifted after this many APDUs: a tap too short to be read.
    Apdus(usize),
}

/// What happened while the card lay on the reader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Served {
    /// The APDUs the reader sent, in order.
    pub apdus: Vec<Vec<u8>>,
    /// Whether the NDEF message was read to its end.
    pub read_whole: bool,
}

/// Puts a card holding `uri` on the virtual reader at `reader` for as long as `hold` says, and
/// at most `limit`, answering the reader; then takes it away.
pub fn tap(reader: SocketAddr, uri: &str, hold: Hold, limit: Duration) -> io::Result<Served> {
    let message = ndef::uri_message(uri);
    let file_len = message.len() + 2;
    let mut tag = Tag::new(&message);
    let mut stream = TcpStream::connect_timeout(&reader, limit)?;
    stream.set_nodelay(true)?;
    let started = Instant::now();
    let mut served = Served::default();
    let mut read_to = 0usize;
    // Lifted: the card stays until the reader has let it go (its power-off or reset after the
    // disconnect), or at most LET_GO; vpcd then sees the connection close on its next look.
    let mut lifted: Option<Instant> = None;
    loop {
        let left = match lifted {
            Some(at) => LET_GO.saturating_sub(at.elapsed()),
            None => limit.saturating_sub(started.elapsed()),
        };
        if left.is_zero() {
            if lifted.is_some() {
                return Ok(served);
            }
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "the reader did not read the card within {} ms",
                    limit.as_millis()
                ),
            ));
        }
        stream.set_read_timeout(Some(left))?;
        let mut len = [0u8; 2];
        match stream.read_exact(&mut len) {
            Ok(()) => {}
            // Lifted and the reader has nothing more to say (or closed): gone.
            Err(e)
                if lifted.is_some()
                    && matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::UnexpectedEof
                    ) =>
            {
                return Ok(served)
            }
            Err(e) => return Err(e),
        }
        let mut msg = vec![0u8; usize::from(u16::from_be_bytes(len))];
        stream.read_exact(&mut msg)?;
        match msg.as_slice() {
            [0x04] => send(&mut stream, &ATR)?,
            // Power off or reset once lifted: the reader let the card go.
            [0x00 | 0x02] if lifted.is_some() => return Ok(served),
            // Power off, power on, reset: the card starts over.
            [0x00..=0x02] => tag = Tag::new(&message),
            [_] => {}
            apdu if lifted.is_some() => {
                // A lifted card answers nothing: the reader's exchange breaks, as in the field.
                let _ = apdu;
                return Ok(served);
            }
            apdu => {
                let answer = tag.answer(apdu);
                served.apdus.push(apdu.to_vec());
                if let [0x00, 0xB0, hi, lo, le] = apdu {
                    if answer.ends_with(&[0x90, 0x00]) {
                        let end = usize::from(u16::from_be_bytes([*hi, *lo])) + usize::from(*le);
                        read_to = read_to.max(end);
                    }
                }
                served.read_whole = read_to >= file_len;
                let lift = match hold {
                    Hold::UntilRead => served.read_whole,
                    Hold::Apdus(n) => served.apdus.len() >= n,
                };
                if lift && matches!(hold, Hold::Apdus(_)) {
                    // Too short a tap: gone before answering.
                    return Ok(served);
                }
                send(&mut stream, &answer)?;
                if lift {
                    lifted = Some(Instant::now());
                }
            }
        }
    }
}

/// How long a lifted card waits for the reader to let it go before its connection closes.
const LET_GO: Duration = Duration::from_secs(2);

fn send(stream: &mut TcpStream, data: &[u8]) -> io::Result<()> {
    let len = u16::try_from(data.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "message too long"))?;
    let mut out = len.to_be_bytes().to_vec();
    out.extend_from_slice(data);
    stream.write_all(&out)
}

/// The first virtual reader's address in Debian's `/etc/reader.conf.d/vpcd`.
pub const VPCD: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 35963);

/// How long [`ensure_service`] keeps trying. vpcd opens its port without `SO_REUSEADDR`, so a
/// loopback connection that last used 35963 as its own (ephemeral) port keeps the reader away
/// for as long as the kernel holds it in TIME_WAIT: 60 s on Linux.
const SERVICE_LIMIT: Duration = Duration::from_secs(75);

/// Where the pcscd this module starts writes its log, so a reader that never came says why.
fn pcscd_log() -> std::path::PathBuf {
    std::env::temp_dir().join("till-pcscd.log")
}

/// Makes sure pcscd runs with vsmartcard's virtual reader, and returns a context on it.
///
/// pcscd is one per machine. When none answers, this starts `pcscd --foreground` (and leaves it
/// running, as a machine with a card reader has it: an auto-exiting one could leave just as the
/// next test binary connects). When one answers without a `Virtual PCD` reader, vpcd could not
/// open its port when that pcscd started, and never will: this stops it and starts another,
/// until the port is free or [`SERVICE_LIMIT`] has passed. (`cargo xtask setup` reserves the
/// port, so the kernel no longer lends it to other connections.) Callers in one process take
/// turns on the reader themselves.
pub fn ensure_service() -> Result<crate::Reader, String> {
    let started = Instant::now();
    let mut tries = 0u32;
    loop {
        let readers = match crate::Reader::open() {
            Ok(reader) => {
                // A pcscd just started lists its readers at once; give a busy machine a moment.
                let patience = Instant::now();
                loop {
                    let readers = reader.readers().map_err(|e| e.to_string())?;
                    if readers.iter().any(|r| r.starts_with("Virtual PCD")) {
                        return Ok(reader);
                    }
                    if patience.elapsed() > Duration::from_secs(2) {
                        break readers;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            Err(crate::NfcError::NoService) => Vec::new(),
            Err(e) => return Err(e.to_string()),
        };
        if started.elapsed() > SERVICE_LIMIT {
            return Err(format!(
                "pcscd has no virtual reader after {tries} starts in {} s (readers: {readers:?}); \
                 is vsmartcard-vpcd installed (cargo xtask setup)? pcscd said: {}",
                SERVICE_LIMIT.as_secs(),
                last_words()
            ));
        }
        stop_pcscd();
        start_pcscd()?;
        tries += 1;
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// The pcscd this process started last, while it may still be stopped.
static SPAWNED: std::sync::Mutex<Option<std::process::Child>> = std::sync::Mutex::new(None);

/// Stops the pcscd that answers now, if any, and waits (up to 5 s) until none does.
fn stop_pcscd() {
    if crate::Reader::open().is_err() {
        return;
    }
    // One this process started is killed and reaped here, or it would linger as a zombie.
    let ours = SPAWNED.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(mut child) = ours {
        let _ = child.kill();
        let _ = child.wait();
        if crate::Reader::open().is_err() {
            return;
        }
    }
    let pid = std::fs::read_to_string("/run/pcscd/pcscd.pid").unwrap_or_default();
    let mut kill = std::process::Command::new("kill");
    match pid.trim() {
        p if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => kill.arg(p),
        _ => {
            kill = std::process::Command::new("pkill");
            kill.args(["-x", "pcscd"])
        }
    };
    let _ = kill
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    let asked = Instant::now();
    while crate::Reader::open().is_ok() && asked.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts `pcscd --foreground`, its log appended to [`pcscd_log`], and waits (up to 10 s) for
/// it to answer.
fn start_pcscd() -> Result<(), String> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(pcscd_log())
        .map_err(|e| format!("cannot write pcscd's log {}: {e}", pcscd_log().display()))?;
    // pcscd lives in /usr/sbin, which a non-root PATH may lack.
    let program = ["/usr/sbin/pcscd", "/sbin/pcscd"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or("pcscd");
    let child = std::process::Command::new(program)
        .arg("--foreground")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("pcscd could not start ({e}): run cargo xtask setup"))?;
    *SPAWNED.lock().unwrap_or_else(|p| p.into_inner()) = Some(child);
    let started = Instant::now();
    loop {
        match crate::Reader::open() {
            Ok(_) => return Ok(()),
            Err(e) if started.elapsed() > Duration::from_secs(10) => {
                return Err(format!(
                    "pcscd did not start: {e}; it said: {}",
                    last_words()
                ))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// The last few lines of pcscd's log, on one line.
fn last_words() -> String {
    let text = std::fs::read_to_string(pcscd_log()).unwrap_or_default();
    let lines: Vec<&str> = text.lines().rev().take(4).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
}
