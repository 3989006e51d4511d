//! Printing on ESC/POS thermal receipt printers, the kind every shop counter has (Epson TM,
//! Star in ESC/POS mode, and their many clones).
//!
//! - [`codepage`]: text in the printer's code page, never raw UTF-8; what the page lacks becomes
//!   its closest ASCII, or `?`.
//! - [`doc`]: a document (lines, two-column rows, rules, a QR, the cut, the drawer kick) laid out
//!   for the paper's width and turned into bytes.
//! - [`send`]: where the bytes go: a network printer (`tcp://HOST:PORT`, raw port 9100) or a USB
//!   printer's device (`/dev/usb/lp0`), with a time limit, so a printer that is off never hangs
//!   the till.
//!
//! It knows nothing of sales or the ledger: `till-core` lays its receipts and reports out as
//! [`doc::Doc`]s and keeps the print queue.

pub mod codepage;
pub mod doc;
pub mod send;

pub use codepage::CodePage;
pub use doc::{Doc, Paper};
pub use send::{PrintError, Target};
