//! Which Bitcoin network an invoice must be for.

use std::{fmt, str::FromStr};

/// The Bitcoin network the till expects its invoices on. A real shop is on `Bitcoin`; the
/// simulator issues `Regtest` invoices by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Network {
    /// Mainnet (`lnbc` invoices).
    #[default]
    Bitcoin,
    /// Testnet (`lntb` invoices).
    Testnet,
    /// Signet (`lntbs` invoices).
    Signet,
    /// Regtest (`lnbcrt` invoices).
    Regtest,
}

impl Network {
    /// Every network, in the order settings screens list them.
    pub const ALL: [Network; 4] = [Self::Bitcoin, Self::Testnet, Self::Signet, Self::Regtest];

    /// The lower-case name used in configuration (`AURPAY_NETWORK`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bitcoin => "bitcoin",
            Self::Testnet => "testnet",
            Self::Signet => "signet",
            Self::Regtest => "regtest",
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A network name that is not one of `bitcoin`, `testnet`, `signet`, `regtest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownNetwork(pub String);

impl fmt::Display for UnknownNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a Bitcoin network; use bitcoin, testnet, signet or regtest",
            self.0.escape_debug()
        )
    }
}

impl std::error::Error for UnknownNetwork {}

impl FromStr for Network {
    type Err = UnknownNetwork;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "bitcoin" | "mainnet" => Ok(Self::Bitcoin),
            "testnet" | "testnet3" => Ok(Self::Testnet),
            "signet" => Ok(Self::Signet),
            "regtest" => Ok(Self::Regtest),
            _ => Err(UnknownNetwork(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for n in Network::ALL {
            assert_eq!(n.as_str().parse::<Network>(), Ok(n));
        }
        assert_eq!(" Mainnet ".parse::<Network>(), Ok(Network::Bitcoin));
    }

    #[test]
    fn unknown_names_are_refused_plainly() {
        let err = "litecoin".parse::<Network>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"litecoin\" is not a Bitcoin network; use bitcoin, testnet, signet or regtest"
        );
    }
}
