//! Where the bytes go: a network printer's raw port (`tcp://192.168.1.50:9100`) or a USB
//! printer's device file (`/dev/usb/lp0` on Linux). Every step has a time limit: a printer that
//! is off, asleep or unplugged answers with a plain error in seconds, and never holds up a sale.

use std::{
    io::{Read, Write},
    net::{TcpStream, ToSocketAddrs},
    path::PathBuf,
    time::Duration,
};

/// A printer's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `tcp://HOST:PORT`: raw ESC/POS over TCP (port 9100 by default).
    Tcp {
        /// Host name or address.
        host: String,
        /// Port.
        port: u16,
    },
    /// A device file the printer's bytes are written to (`/dev/usb/lp0`).
    Device(PathBuf),
}

/// Why a print did not happen: each says what to check.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The address is not one of the two forms.
    #[error("{0:?} is not a printer address: write tcp://HOST:PORT (a network printer) or a device such as /dev/usb/lp0")]
    BadTarget(String),
    /// Nothing answers at the address.
    #[error("the printer at {target} does not answer ({why}): check that it is on, has paper and is on the network")]
    Unreachable {
        /// The address.
        target: String,
        /// The system's words.
        why: String,
    },
    /// The device file cannot be opened or written.
    #[error("the printer {target} cannot be written to ({why}): check that it is plugged in and switched on")]
    Device {
        /// The device.
        target: String,
        /// The system's words.
        why: String,
    },
    /// The printer stopped taking bytes part-way.
    #[error("the printer at {target} stopped taking the receipt part-way ({why}); it will be printed again whole")]
    Interrupted {
        /// The address.
        target: String,
        /// The system's words.
        why: String,
    },
    /// The document could not be laid out.
    #[error(transparent)]
    Layout(#[from] crate::doc::LayoutError),
}

impl Target {
    /// From `tcp://HOST[:PORT]` or a device path.
    pub fn parse(text: &str) -> Result<Target, PrintError> {
        let t = text.trim();
        if let Some(rest) = t.strip_prefix("tcp://") {
            let rest = rest.trim_end_matches('/');
            let (host, port) = match rest.rsplit_once(':') {
                Some((h, p)) if !h.is_empty() => (
                    h,
                    p.parse::<u16>()
                        .map_err(|_| PrintError::BadTarget(text.into()))?,
                ),
                _ => (rest, 9100),
            };
            let bare_colon = host.contains(':') && !host.starts_with('[');
            if host.is_empty() || bare_colon || host.contains(['/', ' ']) || port == 0 {
                return Err(PrintError::BadTarget(text.into()));
            }
            return Ok(Target::Tcp {
                host: host.trim_matches(['[', ']']).to_owned(),
                port,
            });
        }
        if t.starts_with('/') || t.starts_with("\\\\") || t.starts_with("COM") {
            return Ok(Target::Device(PathBuf::from(t)));
        }
        Err(PrintError::BadTarget(text.into()))
    }

    /// The address as settings and messages write it.
    pub fn name(&self) -> String {
        match self {
            Target::Tcp { host, port } => format!("tcp://{host}:{port}"),
            Target::Device(p) => p.display().to_string(),
        }
    }

    /// Sends `bytes` whole, within `limit` for each step (connect, write).
    pub fn send(&self, bytes: &[u8], limit: Duration) -> Result<(), PrintError> {
        match self {
            Target::Tcp { host, port } => {
                let mut stream = self.connect(host, *port, limit)?;
                let cut = |e: std::io::Error| PrintError::Interrupted {
                    target: self.name(),
                    why: e.to_string(),
                };
                stream.set_write_timeout(Some(limit)).map_err(cut)?;
                stream.write_all(bytes).map_err(cut)?;
                stream.flush().map_err(cut)?;
                let _ = stream.shutdown(std::net::Shutdown::Write);
                Ok(())
            }
            Target::Device(path) => {
                // A device file has no timeouts of its own: a printer that stopped taking data
                // would block the write for good. The write runs on its own thread, and after
                // `limit` the job counts as not printed (that thread ends when the OS gives up).
                let (done, wait) = std::sync::mpsc::channel();
                let (path, bytes) = (path.clone(), bytes.to_vec());
                std::thread::spawn(move || {
                    let write = || -> std::io::Result<()> {
                        let mut f = std::fs::OpenOptions::new().write(true).open(&path)?;
                        f.write_all(&bytes)?;
                        f.flush()
                    };
                    let _ = done.send(write());
                });
                match wait.recv_timeout(limit) {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(PrintError::Device {
                        target: self.name(),
                        why: e.to_string(),
                    }),
                    Err(_) => Err(PrintError::Device {
                        target: self.name(),
                        why: format!("it took nothing within {:.1} s", limit.as_secs_f64()),
                    }),
                }
            }
        }
    }

    fn connect(&self, host: &str, port: u16, limit: Duration) -> Result<TcpStream, PrintError> {
        let unreachable = |why: String| PrintError::Unreachable {
            target: self.name(),
            why,
        };
        let addrs = (host, port)
            .to_socket_addrs()
            .map_err(|e| unreachable(e.to_string()))?;
        let mut last = String::from("no address");
        for a in addrs {
            match TcpStream::connect_timeout(&a, limit) {
                Ok(s) => return Ok(s),
                Err(e) => last = e.to_string(),
            }
        }
        Err(unreachable(last))
    }

    /// The printer's state by `DLE EOT 4` (roll paper sensor) on a network printer: `Ok(None)`
    /// when it answers nothing (many clones do not), `Ok(Some(words))` with what it says.
    pub fn status(&self, limit: Duration) -> Result<Option<String>, PrintError> {
        let Target::Tcp { host, port } = self else {
            return Ok(None);
        };
        let mut stream = self.connect(host, *port, limit)?;
        let gone = |e: std::io::Error| PrintError::Interrupted {
            target: self.name(),
            why: e.to_string(),
        };
        stream.set_write_timeout(Some(limit)).map_err(gone)?;
        stream.set_read_timeout(Some(limit)).map_err(gone)?;
        stream.write_all(&[0x10, 0x04, 4]).map_err(gone)?;
        let mut answer = [0u8; 1];
        match stream.read(&mut answer) {
            Ok(1) => Ok(Some(paper_words(answer[0]).into())),
            _ => Ok(None),
        }
    }
}

/// What [`paper_words`] says of a printer that cannot print.
pub const OUT_OF_PAPER: &str = "out of paper";

/// What the roll-paper status byte of `DLE EOT 4` says (bits 2-3: near end; 5-6: out).
pub fn paper_words(byte: u8) -> &'static str {
    if byte & 0b0110_0000 != 0 {
        OUT_OF_PAPER
    } else if byte & 0b0000_1100 != 0 {
        "paper nearly out"
    } else {
        "ready"
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_tcp_or_a_device() {
        assert_eq!(
            Target::parse("tcp://192.168.1.50:9100").unwrap(),
            Target::Tcp {
                host: "192.168.1.50".into(),
                port: 9100
            }
        );
        assert_eq!(
            Target::parse("tcp://printer.local").unwrap(),
            Target::Tcp {
                host: "printer.local".into(),
                port: 9100
            }
        );
        assert_eq!(
            Target::parse("/dev/usb/lp0").unwrap(),
            Target::Device("/dev/usb/lp0".into())
        );
        for bad in [
            "",
            "printer",
            "http://x:80",
            "tcp://:9100",
            "tcp://x:99999",
            "tcp://x:0",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_printer_that_is_off_answers_with_a_plain_error_in_time() {
        // A port nobody listens on, on this machine.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let t = Target::parse(&format!("tcp://127.0.0.1:{port}")).unwrap();
        let err = t
            .send(b"x", Duration::from_secs(2))
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not answer"), "{err}");
        let dev = Target::parse("/nonexistent/lp0").unwrap();
        let err = dev
            .send(b"x", Duration::from_secs(2))
            .unwrap_err()
            .to_string();
        assert!(err.contains("plugged in"), "{err}");
    }

    #[test]
    fn the_paper_sensor_byte_reads_as_words() {
        assert_eq!(paper_words(0b0001_0010), "ready");
        assert_eq!(paper_words(0b0001_1110), "paper nearly out");
        assert_eq!(paper_words(0b0111_0010), "out of paper");
    }
}
