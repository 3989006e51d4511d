//! What differs between the computers Till runs on, one small module per concern, each chosen
//! with `cfg` so the rest of the code never asks which system it is on.
//!
//! - [`keychain`]: what the system keychain is called and how to fix it when it is missing
//!   (the store itself is the `keyring` crate's, built with each system's native one);
//! - [`folders`]: where the till keeps its data and where the owner keeps documents, and how the
//!   data folder is kept private.
//!
//! The hardware to come (receipt printers, NFC readers) adds its own module here: network
//! printers are the same everywhere; a USB printer is a device file on Linux and the spooler's
//! raw path on Windows; NFC readers are PC/SC everywhere (pcsc-lite, WinSCard).

pub mod folders;
pub mod keychain;
