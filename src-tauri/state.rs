//! What the shell keeps between commands.

use till_core::{Environment, EnvironmentError};

/// The shell's managed state.
#[derive(Debug)]
pub struct Shell {
    /// The configuration read at start-up, or why it could not be used. A bad variable does not
    /// stop the window from opening: the UI shows the sentence and the way to fix it.
    pub environment: Result<Environment, EnvironmentError>,
}

impl Shell {
    /// Reads the process environment.
    pub fn from_process() -> Self {
        Self {
            environment: Environment::from_process(),
        }
    }
}
