//! `virtual-boltcard`: taps a virtual Bolt Card on vsmartcard's virtual reader, for end-to-end
//! tests and demos without an NFC reader.
//!
//! ```text
//! virtual-boltcard LINK [--port 35963] [--short]
//! virtual-boltcard --service
//! ```
//!
//! The card holds LINK and is lifted as soon as the reader has read it (with `--short`, after
//! the first APDU: a tap too short to read). It exits 0 once read, 1 otherwise. `--service` only
//! makes sure pcscd runs with the virtual reader (starting it when it does not).

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use till_nfc::virtual_card::{tap, Hold};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut link = None;
    let mut port = 35963u16;
    let mut hold = Hold::UntilRead;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => match args.next().and_then(|p| p.parse().ok()) {
                Some(p) => port = p,
                None => return usage("--port needs a number"),
            },
            "--short" => hold = Hold::Apdus(1),
            "--service" => {
                return match till_nfc::virtual_card::ensure_service() {
                    Ok(_) => {
                        println!("pcscd runs with the virtual reader");
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("virtual-boltcard: {e}");
                        ExitCode::from(1)
                    }
                };
            }
            _ if link.is_none() && !a.starts_with("--") => link = Some(a),
            other => return usage(&format!("unknown argument {other}")),
        }
    }
    let Some(link) = link else {
        return usage("give the card's link");
    };
    let reader = SocketAddr::from(([127, 0, 0, 1], port));
    match tap(reader, &link, hold, Duration::from_secs(30)) {
        Ok(served) if served.read_whole || hold != Hold::UntilRead => {
            println!("tapped: {} APDUs answered", served.apdus.len());
            ExitCode::SUCCESS
        }
        Ok(_) => {
            eprintln!("virtual-boltcard: lifted before it was read");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("virtual-boltcard: {e}");
            ExitCode::from(1)
        }
    }
}

fn usage(why: &str) -> ExitCode {
    eprintln!(
        "virtual-boltcard: {why}\nusage: virtual-boltcard LINK [--port 35963] [--short] | --service"
    );
    ExitCode::from(2)
}
