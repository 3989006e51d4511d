//! Writing files the owner keeps (exports, receipts) so that a crash or a full disk never
//! leaves half a file under the real name.

use std::{
    io,
    path::{Path, PathBuf},
};

/// A file that could not be written, and why: the sentence names the file, so the app, the
/// `till` command and the automatic export all say it the same way.
#[derive(Debug, thiserror::Error)]
#[error("could not write {}: {source}", path.display())]
pub struct WriteError {
    /// The file.
    pub path: PathBuf,
    /// What the system said.
    #[source]
    pub source: io::Error,
}

/// Writes `bytes` to `path` completely or not at all: a hidden temporary file beside it, then a
/// rename. Creates the folder if needed; on failure the temporary file is removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write(path, bytes).map_err(|source| WriteError {
        path: path.to_owned(),
        source,
    })
}

fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.partial", name.to_string_lossy()));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_nothing_behind_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.csv");
        write_atomically(&path, b"a,b\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a,b\n");
        write_atomically(&path, b"c\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"c\n");
        // A directory where the file should go: the rename fails, the temporary file is gone.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("x")).unwrap();
        assert!(write_atomically(&blocked, b"z").is_err());
        assert!(!dir.path().join(".blocked.partial").exists());
        let refused = write_atomically(Path::new("/"), b"z").unwrap_err();
        assert!(
            refused.to_string().starts_with("could not write /: "),
            "{refused}"
        );
    }
}
