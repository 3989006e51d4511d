//! The lock, the manager PIN, and the settings.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use till_core::{
    people::{self, Person},
    pin, settings,
    settings::Settings,
};
use ts_rs::TS;

use super::connection::restart;
use crate::{IpcError, Shell};
use till_core::people::Action;

/// Whether the till is locked and whether the manager PIN is in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LockState {
    /// Locked: only the PIN opens it.
    pub locked: bool,
    /// A manager PIN is set.
    pub pin_set: bool,
    /// The manager entered the PIN recently: manager screens are open.
    pub manager: bool,
    /// Minutes without a touch or key before the till locks itself (0: never).
    pub idle_lock_minutes: u32,
    /// Who is selling (none while locked).
    pub person: Option<Person>,
    /// The manager who stepped in, while their screens are open.
    pub manager_person: Option<Person>,
}

/// The lock's state (answered while locked too).
#[tauri::command]
pub fn lock_state(shell: State<'_, Shell>) -> Result<LockState, IpcError> {
    let core = shell.any_core()?;
    let ledger = core.till.ledger();
    let (locked, manager, person, manager_person) = shell.lock_state();
    Ok(LockState {
        locked,
        pin_set: pin::is_set(&ledger)?,
        manager,
        idle_lock_minutes: settings::idle_lock_minutes(&ledger),
        person,
        manager_person,
    })
}

/// Locks the till now (the cashier walks away, or the idle time passed).
#[tauri::command]
pub fn lock(shell: State<'_, Shell>) -> Result<(), IpcError> {
    shell.lock()
}

/// A touch or a key in the window: the till is in use (the idle lock counts from the last one).
#[tauri::command]
pub fn activity(shell: State<'_, Shell>) -> Result<(), IpcError> {
    shell.touch();
    Ok(())
}

/// "Who is selling?": the PIN says who, and they are at the till (switching cashier is the same
/// call). A manager or the owner also has the manager screens for a few minutes. Wrong PINs slow
/// down: after three, each try waits longer.
#[tauri::command]
pub fn unlock(shell: State<'_, Shell>, pin: String) -> Result<Person, IpcError> {
    shell.unlock(&pin)
}

/// A manager steps in at an open till with their PIN (the manager screens open for them; the
/// cashier keeps selling).
#[tauri::command]
pub fn step_in(shell: State<'_, Shell>, pin: String) -> Result<Person, IpcError> {
    shell.step_in(&pin)
}

/// Closes the manager screens (the till stays unlocked for the cashier).
#[tauri::command]
pub fn end_manager(shell: State<'_, Shell>) -> Result<(), IpcError> {
    shell.end_manager();
    Ok(())
}

/// Changes a PIN: whoever the current one belongs to gets the new one. A till with no PIN yet
/// gets the owner's (from the owner's screens).
#[tauri::command]
pub fn change_pin(
    shell: State<'_, Shell>,
    current: String,
    new_pin: String,
) -> Result<(), IpcError> {
    let core = shell.core()?;
    if !pin::is_set(&core.till.ledger())? {
        shell.manager(people::Action::Settings)?;
        pin::set(&mut core.till.ledger(), &new_pin)?;
        shell.open_manager();
        return Ok(());
    }
    people::change_pin(
        &mut core.till.ledger(),
        &current,
        &new_pin,
        chrono::Utc::now(),
    )?;
    Ok(())
}

/// The sound setting, for the paid screen (a cashier setting: no PIN).
#[tauri::command]
pub fn sound_on(shell: State<'_, Shell>) -> Result<bool, IpcError> {
    let core = shell.core()?;
    let on = settings::flag(&core.till.ledger(), settings::SOUND, true);
    Ok(on)
}

/// The settings as stored (and as the environment overrides them).
#[tauri::command]
pub fn get_settings(shell: State<'_, Shell>) -> Result<Settings, IpcError> {
    let core = shell.manager(Action::Settings)?;
    let settings = Settings::load(&core.till.ledger(), shell.env()?)?;
    Ok(settings)
}

/// Checks and saves the settings; all are checked before any is saved, and saved at once. A
/// changed network, gateway address or shop name restarts the till with them.
#[tauri::command]
pub async fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    settings: Settings,
) -> Result<Settings, IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.manager(Action::Settings)?;
    let saved = settings.save(&mut core.till.ledger(), shell.env()?)?;
    drop(core);
    if saved.restart_needed {
        restart(&app).await?;
    }
    get_settings(app.state::<Shell>())
}
