//! The printer's side: a TCP listener on 127.0.0.1 stands in for a network printer, and a
//! reader written here from Epson's ESC/POS reference (not from the code that wrote the bytes)
//! reads what it was sent: the text in its code page, emphasis and alignment, the QR's payload,
//! the drawer kick and the cut. Any byte it does not know fails the test.

#![allow(clippy::unwrap_used)]

use std::{
    io::Read,
    net::TcpListener,
    time::{Duration, Instant},
};

use till_print::{doc::Block, CodePage, Doc, Paper, Target};

/// What a printer would do with the bytes.
#[derive(Debug, Default)]
struct Printed {
    /// Each printed line, decoded from the page selected.
    lines: Vec<String>,
    /// Lines printed bold.
    bold: Vec<String>,
    /// QR payloads printed (model 2).
    qr: Vec<String>,
    /// The last QR's module size in dots (`fn 67`) and error correction (`fn 69`: 48 L .. 51 H).
    qr_form: (u8, u8),
    /// Drawer kicks: (pin, on ms, off ms).
    kicks: Vec<(u8, u32, u32)>,
    /// Cuts: (partial, feed).
    cuts: Vec<(bool, u8)>,
    /// `ESC t n` selections.
    pages: Vec<u8>,
}

/// PC858's upper half, as Epson's character code table prints it, for the letters the test uses.
fn pc858(b: u8) -> char {
    match b {
        0x82 => 'é',
        0x81 => 'ü',
        0x84 => 'ä',
        0x94 => 'ö',
        0xE1 => 'ß',
        0xD5 => '€',
        0x87 => 'ç',
        0x8A => 'è',
        0x96 => 'û',
        0xA4 => 'ñ',
        other => panic!("byte {other:#04x} is not one the test's text can produce in PC858"),
    }
}

fn read(bytes: &[u8]) -> Printed {
    let mut p = Printed::default();
    let mut line = String::new();
    let (mut bold, mut size) = (false, 0u8);
    let mut qr_data: Option<String> = None;
    let mut i = 0;
    let byte = |i: usize| -> u8 {
        *bytes
            .get(i)
            .unwrap_or_else(|| panic!("command cut short at {i}"))
    };
    while i < bytes.len() {
        match bytes[i] {
            0x0A => {
                if bold {
                    p.bold.push(line.clone());
                }
                let _ = size;
                p.lines.push(std::mem::take(&mut line));
                i += 1;
            }
            0x1B => match byte(i + 1) {
                b'@' => i += 2, // ESC @ initialise
                b't' => {
                    p.pages.push(byte(i + 2)); // ESC t n code page
                    i += 3;
                }
                b'a' => i += 3, // ESC a n justification
                b'E' => {
                    bold = byte(i + 2) & 1 == 1; // ESC E n emphasis
                    i += 3;
                }
                b'd' => {
                    for _ in 0..byte(i + 2) {
                        // ESC d n feed n lines
                        p.lines.push(String::new());
                    }
                    i += 3;
                }
                b'p' => {
                    // ESC p m t1 t2: pulse pin m (0: pin 2, 1: pin 5), t1 x 2 ms on, t2 x 2 ms off.
                    p.kicks.push((
                        byte(i + 2),
                        u32::from(byte(i + 3)) * 2,
                        u32::from(byte(i + 4)) * 2,
                    ));
                    i += 5;
                }
                other => panic!("unknown ESC {other:#04x} at {i}"),
            },
            0x1D => match byte(i + 1) {
                b'!' => {
                    size = byte(i + 2); // GS ! n character size
                    i += 3;
                }
                b'V' => {
                    // GS V m [n]: 0/48 full, 1/49 partial (no feed); 65 full, 66 partial (feed n).
                    match byte(i + 2) {
                        0 | 48 => {
                            p.cuts.push((false, 0));
                            i += 3;
                        }
                        1 | 49 => {
                            p.cuts.push((true, 0));
                            i += 3;
                        }
                        65 => {
                            p.cuts.push((false, byte(i + 3)));
                            i += 4;
                        }
                        66 => {
                            p.cuts.push((true, byte(i + 3)));
                            i += 4;
                        }
                        m => panic!("unknown GS V {m}"),
                    }
                }
                b'(' if byte(i + 2) == b'k' => {
                    // GS ( k pL pH cn fn [parameters]: 2D symbols; cn 49 is QR.
                    let len = usize::from(byte(i + 3)) + 256 * usize::from(byte(i + 4));
                    let body = &bytes[i + 5..i + 5 + len];
                    assert_eq!(body[0], 49, "only QR codes are printed");
                    match body[1] {
                        65 => assert_eq!(body[2], 50, "QR model 2"), // fn 65: model
                        67 => p.qr_form.0 = body[2],                 // module size in dots
                        69 => p.qr_form.1 = body[2],                 // error correction level
                        80 => {
                            assert_eq!(body[2], 48); // fn 80: store data
                            qr_data = Some(String::from_utf8(body[3..].to_vec()).unwrap());
                        }
                        81 => {
                            p.qr.push(qr_data.take().expect("QR printed before its data"))
                        }
                        f => panic!("unknown QR function {f}"),
                    }
                    i += 5 + len;
                }
                other => panic!("unknown GS {other:#04x} at {i}"),
            },
            b if (0x20..0x7F).contains(&b) => {
                line.push(char::from(b));
                i += 1;
            }
            b if b >= 0x80 => {
                line.push(pc858(b));
                i += 1;
            }
            other => panic!("unexpected control byte {other:#04x} at {i}"),
        }
    }
    assert!(line.is_empty(), "text left unprinted: {line:?}");
    p
}

/// A network printer on 127.0.0.1: the bytes of one connection.
fn capture(doc: &Doc, paper: Paper) -> Vec<u8> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = Target::parse(&format!("tcp://{}", listener.local_addr().unwrap())).unwrap();
    let bytes = doc.bytes(paper, CodePage::Pc858).unwrap();
    let printer = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut got = Vec::new();
        conn.read_to_end(&mut got).unwrap();
        got
    });
    target.send(&bytes, Duration::from_secs(5)).unwrap();
    let got = printer.join().unwrap();
    assert_eq!(got, bytes, "the printer received every byte, in order");
    got
}

fn receipt() -> Doc {
    let mut d = Doc::new();
    d.push(Block::Title("Café Zürich".into()))
        .push(Block::Centre("Tax no. CHE-123.456.789".into()))
        .push(Block::Bold("Receipt 42".into()))
        .push(Block::Row("2 x Crème brûlée".into(), "9.00".into()))
        .push(Block::Row(
            "Straße & Söhne Würstchen mit Senf".into(),
            "4.50".into(),
        ))
        .push(Block::Rule)
        .push(Block::Row("TOTAL".into(), "13.50\u{a0}€".into()))
        .push(Block::Text("Paid in cash".into()))
        .push(Block::Qr("till:front:42".into()))
        .push(Block::Drawer);
    d
}

#[test]
fn a_receipt_reaches_a_network_printer_whole_and_reads_back_as_written() {
    let started = Instant::now();
    let got = capture(&receipt(), Paper::NARROW);
    let p = read(&got);
    assert_eq!(p.pages, [19], "PC858 selected once");
    assert!(p.lines.iter().any(|l| l == "Café Zürich"), "{:?}", p.lines);
    assert!(
        p.lines
            .contains(&"TOTAL                    13.50 €".to_owned()),
        "{:?}",
        p.lines
    );
    // 32 columns: a long item name goes on its own line, its amount under it, flush right.
    assert!(
        p.lines.iter().all(|l| l.chars().count() <= 32),
        "{:?}",
        p.lines
    );
    assert!(
        p.lines.contains(&"Straße & Söhne Würstchen mit".to_owned()),
        "{:?}",
        p.lines
    );
    assert_eq!(p.bold, ["Café Zürich", "Receipt 42"]);
    assert_eq!(p.qr, ["till:front:42"]);
    assert_eq!(p.kicks, [(0, 50, 500)], "pin 2, 50 ms on, 500 ms off");
    assert_eq!(p.cuts, [(true, 0)], "one partial cut, at the end");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn wide_paper_fits_48_columns() {
    let p = read(&capture(&receipt(), Paper::WIDE));
    assert!(
        p.lines
            .contains(&"Straße & Söhne Würstchen mit Senf           4.50".to_owned()),
        "{:?}",
        p.lines
    );
    assert!(p.lines.iter().all(|l| l.chars().count() <= 48));
}

#[test]
fn a_printer_that_takes_part_of_the_receipt_and_goes_away_is_an_error_not_a_hang() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = Target::parse(&format!("tcp://{}", listener.local_addr().unwrap())).unwrap();
    // Accepts, reads 10 bytes, and closes: a printer switched off mid-job.
    let printer = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut some = [0u8; 10];
        conn.read_exact(&mut some).unwrap();
    });
    // More than the sockets' buffers hold, so the write is still going when the printer goes.
    let bytes = vec![b'x'; 32 << 20];
    let started = Instant::now();
    let err = target
        .send(&bytes, Duration::from_secs(3))
        .unwrap_err()
        .to_string();
    printer.join().unwrap();
    assert!(err.contains("stopped taking the receipt"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn a_printer_that_stalls_mid_job_times_out_with_a_plain_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = Target::parse(&format!("tcp://{}", listener.local_addr().unwrap())).unwrap();
    let (done, wait) = std::sync::mpsc::channel::<()>();
    // Accepts and never reads: a printer out of paper holding its buffer full.
    let printer = std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        wait.recv_timeout(Duration::from_secs(30)).ok();
        drop(conn);
    });
    let started = Instant::now();
    let err = target
        .send(&vec![b'x'; 32 << 20], Duration::from_secs(2))
        .unwrap_err()
        .to_string();
    let took = started.elapsed();
    done.send(()).unwrap();
    printer.join().unwrap();
    assert!(err.contains("stopped taking the receipt"), "{err}");
    assert!(took < Duration::from_secs(15), "{took:?}");
}

/// What the printer draws for a QR, drawn again from what it was sent (the payload, the module
/// size, the error correction), then read back with zbarimg as a phone would read the paper: the
/// reference scans, and the symbol fits 58 mm paper's 384 dots.
#[test]
#[cfg_attr(windows, ignore = "zbarimg is Debian's, not Wine's")]
fn the_receipts_qr_scans_back_at_the_size_the_printer_draws_it() {
    let p = read(&capture(&receipt(), Paper::NARROW));
    let (size, level) = p.qr_form;
    assert_eq!((size, level), (6, 49), "6 dots a module, level M");
    let code = qrcode::QrCode::with_error_correction_level(p.qr[0].as_bytes(), qrcode::EcLevel::M)
        .unwrap();
    let modules = code.width();
    let quiet = 4;
    let dots = (modules + 2 * quiet) * usize::from(size);
    assert!(dots <= 384, "{dots} dots do not fit 58 mm paper");
    // A plain PBM: 1 is black.
    let colors = code.to_colors();
    let mut pbm = format!("P1\n{dots} {dots}\n");
    for y in 0..dots {
        for x in 0..dots {
            let (mx, my) = (x / usize::from(size), y / usize::from(size));
            let black = mx >= quiet
                && my >= quiet
                && mx < quiet + modules
                && my < quiet + modules
                && colors[(my - quiet) * modules + (mx - quiet)] == qrcode::Color::Dark;
            pbm.push(if black { '1' } else { '0' });
            pbm.push(' ');
        }
        pbm.push('\n');
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("qr.pbm");
    std::fs::write(&file, pbm).unwrap();
    let out = std::process::Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(&file)
        .output()
        .expect("zbarimg is not installed: run cargo xtask setup");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "till:front:42");
}

/// A USB printer that stopped taking data blocks a write for good: the till gives up after its
/// limit with a plain error. A FIFO nobody reads stands in for it (opening it for writing waits).
#[cfg(unix)]
#[test]
fn a_device_that_takes_nothing_times_out_with_a_plain_error() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("lp0");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let started = Instant::now();
    let err = Target::Device(fifo.clone())
        .send(b"receipt", Duration::from_millis(500))
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.to_string().contains("took nothing within"), "{err}");
    // Let the stuck writer go: open the FIFO for reading, so its open returns.
    let _ = std::fs::File::open(&fifo);
}
