//! Where things live: the till's data folder (the ledger, receipts, logs) in the system's place
//! for an application's data, through `directories` (`~/.local/share/till` on Linux,
//! `%APPDATA%\till\data` on Windows, `~/Library/Application Support/till` on macOS), and the
//! owner's Documents folder, where exports are offered first.

use std::path::{Path, PathBuf};

/// The data folder the system gives an application named `till`, if it knows one.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "till").map(|d| d.data_dir().to_path_buf())
}

/// The owner's Documents folder (`~/Documents`, `C:\Users\…\Documents`), if the system has one.
pub fn documents_dir() -> Option<PathBuf> {
    directories::UserDirs::new().and_then(|d| d.document_dir().map(Path::to_path_buf))
}

/// Keeps the data folder to its owner. On Unix it is made `rwx------`; on Windows the user's
/// profile folders are already private to the user by their access-control lists.
pub fn restrict_to_owner(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_data_folder_is_its_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("till");
        std::fs::create_dir(&data).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        restrict_to_owner(&data);
        let mode = std::fs::metadata(&data).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn the_system_names_a_data_folder_for_till() {
        let dir = data_dir().unwrap();
        assert!(
            dir.components().any(|c| c.as_os_str() == "till"),
            "{}",
            dir.display()
        );
    }
}
