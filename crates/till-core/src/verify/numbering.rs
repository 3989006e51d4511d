//! The receipt and refund series: gap-free per terminal and book, going on from the legacy
//! shared series where one ended.

use std::collections::BTreeMap;

use super::tampered;
use crate::ledger::{label, LedgerError};

/// Checks numbers, read in (terminal, number, book) order, are gap-free per terminal and book;
/// up to where an older ledger's shared series ended they are one series across both books.
pub(super) struct Numbering<'a> {
    pub(super) legacy: &'a BTreeMap<String, i64>,
    pub(super) what: &'static str,
    pub(super) prefix: &'static str,
    pub(super) terminal: Option<String>,
    pub(super) shared_next: i64,
    pub(super) next: [i64; 2],
}

impl<'a> Numbering<'a> {
    pub(super) fn new(
        legacy: &'a BTreeMap<String, i64>,
        what: &'static str,
        prefix: &'static str,
    ) -> Self {
        Self {
            legacy,
            what,
            prefix,
            terminal: None,
            shared_next: 1,
            next: [1, 1],
        }
    }

    pub(super) fn legacy_of(&self, terminal: &str) -> i64 {
        self.legacy.get(terminal).copied().unwrap_or(0)
    }

    pub(super) fn finish_terminal(&self) -> Result<(), LedgerError> {
        if let Some(t) = &self.terminal {
            let last = self.legacy_of(t);
            if self.shared_next != last + 1 {
                return tampered(format!(
                    "{} numbers of terminal {t} stop at {} before {last}",
                    self.what,
                    self.shared_next - 1
                ));
            }
        }
        Ok(())
    }

    pub(super) fn next(
        &mut self,
        terminal: &str,
        training: bool,
        n: i64,
    ) -> Result<(), LedgerError> {
        if self.terminal.as_deref() != Some(terminal) {
            self.finish_terminal()?;
            let last = self.legacy_of(terminal);
            self.terminal = Some(terminal.to_owned());
            self.shared_next = 1;
            self.next = [last + 1, last + 1];
        }
        let last = self.legacy_of(terminal);
        let book = usize::from(training);
        let expected = if n <= last && self.shared_next <= last {
            &mut self.shared_next
        } else {
            &mut self.next[book]
        };
        if n != *expected {
            return tampered(format!(
                "{} numbers of terminal {terminal} jump from {} to {}",
                self.what,
                label(self.prefix, training, *expected - 1),
                label(self.prefix, training, n)
            ));
        }
        *expected += 1;
        Ok(())
    }

    pub(super) fn finish(&self) -> Result<(), LedgerError> {
        self.finish_terminal()
    }
}
