//! What can go wrong between a card and the till, in words a cashier can act on.

/// Why no link was read.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum NfcError {
    /// The PC/SC service is not running (Linux: `pcscd`; Windows: the Smart Card service).
    #[error("the card reader service is not running (start pcscd, or the Smart Card service on Windows)")]
    NoService,
    /// No reader is plugged in.
    #[error("no card reader is plugged in")]
    NoReader,
    /// The reader went away while it was being used.
    #[error("the card reader was unplugged")]
    ReaderGone,
    /// The card left the reader before it was read.
    #[error("the card was taken away too soon: tap again and hold it still for a second")]
    CardRemoved,
    /// Nobody tapped a card in the time given.
    #[error("no card was tapped")]
    NoTap,
    /// Reading was stopped (the sale ended, the cashier cancelled).
    #[error("the card reader was stopped")]
    Stopped,
    /// The card is not a Bolt Card, or holds no link.
    #[error("this card is not a Bolt Card: {0}")]
    NotBoltCard(String),
    /// The reader or the card failed in a way the till cannot name.
    #[error("the card reader failed: {0}")]
    Reader(String),
}

impl From<pcsc::Error> for NfcError {
    fn from(e: pcsc::Error) -> Self {
        use pcsc::Error as E;
        match e {
            E::NoService | E::ServiceStopped => Self::NoService,
            E::NoReadersAvailable => Self::NoReader,
            E::ReaderUnavailable | E::UnknownReader => Self::ReaderGone,
            // vsmartcard's reader says NotTransacted when the card went mid-exchange.
            E::RemovedCard
            | E::ResetCard
            | E::NoSmartcard
            | E::UnpoweredCard
            | E::UnresponsiveCard
            | E::NotTransacted => Self::CardRemoved,
            E::Timeout => Self::NoTap,
            E::Cancelled => Self::Stopped,
            other => Self::Reader(other.to_string()),
        }
    }
}
