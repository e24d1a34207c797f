//! Reader for the `name = hex` vector files in `test-vectors/` (comments start with `#`).

use std::collections::HashMap;
use std::path::Path;

/// The values of one `name = hex` file, decoded.
pub struct VectorFile {
    values: HashMap<String, Vec<u8>>,
}

impl VectorFile {
    /// Reads a file of the crate's own `test-vectors/` folder.
    pub fn own(name: &str) -> Self {
        Self::read(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("test-vectors")
                .join(name),
        )
    }

    /// Reads and decodes `path`; panics on a malformed line so a typo cannot pass silently.
    pub fn read(path: &Path) -> Self {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut values = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            let (name, value) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("{}:{}: not `name = hex`", path.display(), n + 1));
            let bytes = hex::decode(value.trim())
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
            let previous = values.insert(name.trim().to_owned(), bytes);
            assert!(
                previous.is_none(),
                "{}:{}: duplicate name",
                path.display(),
                n + 1
            );
        }
        Self { values }
    }

    /// The bytes named `name`.
    pub fn get(&self, name: &str) -> &[u8] {
        self.values
            .get(name)
            .unwrap_or_else(|| panic!("no value named {name}"))
    }

    /// The value named `name` as a fixed-size array.
    pub fn array<const N: usize>(&self, name: &str) -> [u8; N] {
        self.get(name)
            .try_into()
            .unwrap_or_else(|_| panic!("{name} is not {N} bytes"))
    }
}
