//! A fresh folder for one test's files, removed when the test ends (also when it fails): the
//! KAT engine's tests and the CLI's tests write vector files and reports into one.

use std::path::{Path, PathBuf};

/// A fresh empty folder under the system temporary folder, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// `hybrid-kx-NAME-PID` under the system temporary folder, emptied if it was left over.
    ///
    /// # Panics
    /// If the folder cannot be created.
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("hybrid-kx-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        Self(dir)
    }

    /// The folder, to pass to the code under test.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `content` to `name` inside the folder (creating the folders `name` names) and
    /// returns its path.
    ///
    /// # Panics
    /// If the file cannot be written.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("creating {}: {e}", parent.display()));
        }
        std::fs::write(&path, content)
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
