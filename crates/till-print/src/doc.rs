//! A printed document: what goes on the paper, laid out for its width, and the ESC/POS bytes
//! that print it. The `escpos` crate writes the initialisation, alignment, emphasis, sizes and the
//! QR (`GS ( k`, model 2); two of its commands do not follow Epson's reference and are written
//! here instead:
//! - the drawer kick is `ESC p m t1 t2`, five bytes (the crate sends three, which a printer reads
//!   as waiting for two more, swallowing the next two bytes of the receipt);
//! - the partial cut is `GS V 66 n` (feed n dots, then cut; the crate sends `GS V 65 1`, a full
//!   cut).

use std::{cell::RefCell, rc::Rc};

use escpos::{
    driver::Driver,
    printer::Printer,
    utils::{JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption},
};

use crate::CodePage;

/// `ESC p 0 25 250`: a pulse on the drawer's pin 2, on for 50 ms, off for 500 ms.
pub const DRAWER_KICK: [u8; 5] = [0x1B, b'p', 0, 25, 250];
/// `GS V 66 0`: feed to the cutter, then a partial cut (a tab left, as receipts tear off).
pub const PARTIAL_CUT: [u8; 4] = [0x1D, b'V', 66, 0];

/// The paper: how many characters of the printer's normal font fit on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paper {
    /// 32 on 58 mm paper, 48 on 80 mm (Font A); 24 to 64 accepted.
    pub columns: u8,
}

impl Paper {
    /// 80 mm paper, 48 columns.
    pub const WIDE: Paper = Paper { columns: 48 };
    /// 58 mm paper, 32 columns.
    pub const NARROW: Paper = Paper { columns: 32 };

    /// A width the settings may hold.
    pub fn new(columns: u8) -> Option<Paper> {
        (24..=64).contains(&columns).then_some(Paper { columns })
    }

    fn width(self) -> usize {
        usize::from(self.columns)
    }
}

/// One piece of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading: centred, bold, twice as tall and wide (so half as many characters fit).
    Title(String),
    /// Centred text.
    Centre(String),
    /// Bold text on its own line.
    Bold(String),
    /// Text, wrapped to the paper.
    Text(String),
    /// `left` and `right` on one line, `right` flush right (a bill's line and its amount).
    Row(String, String),
    /// A line of dashes across the paper.
    Rule,
    /// A QR of short ASCII text (a receipt's reference: never a whole invoice).
    Qr(String),
    /// Empty lines.
    Feed(u8),
    /// Open the cash drawer.
    Drawer,
}

/// A document to print: its blocks, top to bottom, then the cut.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// What is on the paper.
    pub blocks: Vec<Block>,
}

/// Collects the bytes the `escpos` printer writes.
#[derive(Clone, Default)]
struct Collect(Rc<RefCell<Vec<u8>>>);

impl std::fmt::Debug for Collect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Collect({} bytes)", self.0.borrow().len())
    }
}

impl Driver for Collect {
    fn name(&self) -> String {
        "bytes".into()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// Why a document could not be laid out (the `escpos` crate refused a command: a QR too long).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the document could not be laid out for the printer: {0}")]
pub struct LayoutError(String);

impl From<escpos::errors::PrinterError> for LayoutError {
    fn from(e: escpos::errors::PrinterError) -> Self {
        Self(e.to_string())
    }
}

/// `text` cut into lines of at most `width` characters, at spaces where it can.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            let mut word: String = word.to_owned();
            loop {
                let used = line.chars().count();
                let need = word.chars().count() + usize::from(used > 0);
                if used + need <= width {
                    if used > 0 {
                        line.push(' ');
                    }
                    line.push_str(&word);
                    break;
                }
                if used > 0 {
                    out.push(std::mem::take(&mut line));
                    continue;
                }
                // A word longer than the line: cut it.
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                out.push(head);
                if word.is_empty() {
                    break;
                }
            }
        }
        out.push(line);
    }
    out
}

/// `left` and `right` on one line of `width`, `right` flush right; a `left` too long goes on a
/// line of its own above.
pub fn row(left: &str, right: &str, width: usize) -> Vec<String> {
    let r = right.chars().count();
    let l = left.chars().count();
    if l + 1 + r <= width {
        return vec![format!("{left}{}{right}", " ".repeat(width - l - r))];
    }
    let mut out = wrap(left, width);
    out.push(format!("{right:>width$}"));
    out
}

impl Doc {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a block.
    pub fn push(&mut self, block: Block) -> &mut Self {
        self.blocks.push(block);
        self
    }

    /// The document's text as the paper shows it, one string per printed line (QR codes and
    /// the drawer kick as a marker line): for tests and previews.
    pub fn lines(&self, paper: Paper) -> Vec<String> {
        let w = paper.width();
        let mut out = Vec::new();
        for b in &self.blocks {
            match b {
                Block::Title(t) => out.extend(wrap(t, w / 2)),
                Block::Centre(t) | Block::Bold(t) | Block::Text(t) => out.extend(wrap(t, w)),
                Block::Row(l, r) => out.extend(row(l, r, w)),
                Block::Rule => out.push("-".repeat(w)),
                Block::Qr(t) => out.push(format!("[QR {t}]")),
                Block::Feed(n) => out.extend((0..*n).map(|_| String::new())),
                Block::Drawer => out.push("[drawer]".into()),
            }
        }
        out
    }

    /// The bytes that print it on `paper` in `page`: initialise, select the page, the blocks,
    /// feed and cut.
    pub fn bytes(&self, paper: Paper, page: CodePage) -> Result<Vec<u8>, LayoutError> {
        let w = paper.width();
        let sink = Collect::default();
        let mut p = Printer::new(sink.clone(), Protocol::default(), None);
        p.init()?;
        p.custom(&[0x1B, b't', page.escpos_number()])?;
        let text = |p: &mut Printer<Collect>, line: &str| -> Result<(), LayoutError> {
            let mut bytes = page.encode(line);
            bytes.push(b'\n');
            p.custom(&bytes)?;
            Ok(())
        };
        for b in &self.blocks {
            match b {
                Block::Title(t) => {
                    p.justify(JustifyMode::CENTER)?.bold(true)?.size(2, 2)?;
                    for l in wrap(t, w / 2) {
                        text(&mut p, &l)?;
                    }
                    p.reset_size()?.bold(false)?.justify(JustifyMode::LEFT)?;
                }
                Block::Centre(t) => {
                    p.justify(JustifyMode::CENTER)?;
                    for l in wrap(t, w) {
                        text(&mut p, &l)?;
                    }
                    p.justify(JustifyMode::LEFT)?;
                }
                Block::Bold(t) => {
                    p.bold(true)?;
                    for l in wrap(t, w) {
                        text(&mut p, &l)?;
                    }
                    p.bold(false)?;
                }
                Block::Text(t) => {
                    for l in wrap(t, w) {
                        text(&mut p, &l)?;
                    }
                }
                Block::Row(l, r) => {
                    for line in row(l, r, w) {
                        text(&mut p, &line)?;
                    }
                }
                Block::Rule => text(&mut p, &"-".repeat(w))?,
                Block::Qr(t) => {
                    // Only ASCII reaches the symbol: a reference is letters, digits and dashes.
                    let data: String = t.chars().filter(char::is_ascii_graphic).collect();
                    p.justify(JustifyMode::CENTER)?;
                    p.qrcode_option(
                        &data,
                        QRCodeOption::new(QRCodeModel::Model2, 6, QRCodeCorrectionLevel::M),
                    )?;
                    p.justify(JustifyMode::LEFT)?;
                }
                Block::Feed(n) => {
                    p.feeds(*n)?;
                }
                Block::Drawer => {
                    p.custom(&DRAWER_KICK)?;
                }
            }
        }
        p.feeds(3)?;
        p.custom(&PARTIAL_CUT)?;
        p.print()?;
        drop(p);
        let bytes = sink.0.borrow().clone();
        Ok(bytes)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_at_spaces_and_rows_keep_the_amount_flush_right() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(row("Espresso", "2.50", 16), ["Espresso    2.50"]);
        assert_eq!(
            row("A very long item name", "12.00", 16),
            ["A very long item", "name", "           12.00"]
        );
        for l in row("x", "y", 32) {
            assert_eq!(l.chars().count(), 32);
        }
    }

    #[test]
    fn the_drawer_kick_and_the_partial_cut_are_epsons() {
        let mut d = Doc::new();
        d.push(Block::Text("hi".into())).push(Block::Drawer);
        let bytes = d.bytes(Paper::WIDE, CodePage::Pc858).unwrap();
        // ESC @, then ESC t 19 for PC858.
        assert_eq!(&bytes[..5], &[0x1B, b'@', 0x1B, b't', 19]);
        let at = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
        assert!(at(&DRAWER_KICK).is_some(), "{bytes:?}");
        assert_eq!(&bytes[bytes.len() - 4..], &PARTIAL_CUT);
        // Nothing of the crate's three-byte kick or its full cut.
        assert!(at(&[0x1D, b'V', 65]).is_none());
    }
}
