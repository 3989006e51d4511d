//! What can go wrong with the ledger: the bottom of the ledger with `text`, under the journal
//! and the records.

/// What can go wrong with the ledger. Each says what it means for the till.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// SQLite itself failed (disk full, file locked too long, ...).
    #[error("the ledger could not be read or written: {0}")]
    Storage(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("the ledger's schema could not be updated: {0}")]
    Migration(String),
    /// No sale with that receipt number.
    #[error("there is no sale with receipt number {0}")]
    NoSuchReceipt(String),
    /// A stored value cannot be read back (a hand-edited or corrupt row).
    #[error("the ledger holds a value it cannot read ({0}); run `till verify`")]
    Corrupt(String),
    /// Nothing happened since the last Z report, or the period asked for is sealed already.
    #[error("{0}")]
    AlreadyClosed(String),
    /// The chain does not verify.
    #[error("the ledger has been altered: {0}")]
    Tampered(String),
    /// The data folder cannot be created.
    #[error("cannot create the data folder {0}")]
    Folder(String),
    /// No such catalog entry (an item or a rate removed meanwhile).
    #[error("there is no {0}")]
    NotFound(String),
    /// A write the ledger's rules refuse (a SKU or barcode another item has).
    #[error("{0}")]
    Refused(String),
}
