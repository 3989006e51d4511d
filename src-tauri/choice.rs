//! An argument the window sends as one of an enum's names (an export format, a kind of
//! credentials): typed in the generated TypeScript, yet a name the enum does not have is refused
//! in plain words (`bad_input`) by the command, not with the IPC layer's parse error.

use serde::{de::DeserializeOwned, Deserialize, Deserializer};

use crate::{ErrorCode, IpcError};

/// One of `T`'s names, or what was sent instead.
#[derive(Debug, Clone)]
pub struct Choice<T>(Result<T, ()>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Choice<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let sent = serde_json::Value::deserialize(d)?;
        Ok(Self(serde_json::from_value(sent).map_err(|_| ())))
    }
}

impl<T> Choice<T> {
    /// The choice, or `bad_input` with `otherwise` (what to send instead).
    pub fn get(self, otherwise: &str) -> Result<T, IpcError> {
        self.0
            .map_err(|()| IpcError::new(ErrorCode::BadInput, otherwise))
    }
}
