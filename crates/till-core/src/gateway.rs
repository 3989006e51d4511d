//! Whether the gateway answers and accepts the credentials, asked one way for the readiness
//! light, for credentials about to be saved, and for the connection screen's test: one order is
//! asked for, which only a reachable gateway that accepts the credentials gives.

use serde::{Deserialize, Serialize};

/// What asking the gateway found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Probe {
    /// It answers and accepts the credentials.
    Connected,
    /// It answers and refuses the credentials.
    WrongCredentials,
    /// It could not be reached, or answered badly.
    Unreachable,
}

/// What the gateway said, and in its words (or the network's) why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probed {
    /// The outcome.
    pub outcome: Probe,
    /// The reason, when it is not connected.
    pub why: Option<String>,
}

/// Asks the gateway for one order.
pub async fn probe(client: &aurpay::Client) -> Probed {
    classify(client.orders(1, 1).await.map(|_| ()))
}

/// Classifies a gateway call's result as [`probe`] does: refused credentials, or anything else
/// that kept an answer from coming.
pub fn classify(result: Result<(), aurpay::Error>) -> Probed {
    match result {
        Ok(()) => Probed {
            outcome: Probe::Connected,
            why: None,
        },
        Err(aurpay::Error::Unauthorized { message }) => Probed {
            outcome: Probe::WrongCredentials,
            why: Some(message),
        },
        Err(e) => Probed {
            outcome: Probe::Unreachable,
            why: Some(e.to_string()),
        },
    }
}
