//! The `name = value` text format shared by the RFC extracts, the C2SP CCTV files and the s2n
//! hybrid vectors: `#` comments, `[section]` headers, `name = hex` lines (possibly indented),
//! and for the CCTV modulus files bare hex lines.

use std::collections::BTreeMap;

/// One `name = value` line.
#[derive(Clone, Debug)]
pub struct Entry {
    /// 1-based line number.
    pub line: usize,
    /// The `[section]` it is in, if any.
    pub section: Option<String>,
    /// Whether the line was indented (the s2n file nests values under a section this way).
    pub indented: bool,
    /// The name, trimmed.
    pub key: String,
    /// The value, trimmed (not necessarily hex).
    pub value: String,
}

/// A parsed text file.
#[derive(Clone, Debug, Default)]
pub struct TextFile {
    /// Every `name = value` line in order.
    pub entries: Vec<Entry>,
    /// Every `[section]` header in order.
    pub sections: Vec<String>,
    /// Every other non-comment line: (line number, trimmed text).
    pub bare: Vec<(usize, String)>,
}

/// Whether `s` is a (possibly empty) even-length hex string.
pub fn is_hex(s: &str) -> bool {
    s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl TextFile {
    /// Splits `text` into entries, sections and bare lines. Never fails: deciding what the
    /// lines mean is the detector's and the suite's job.
    pub fn parse(text: &str) -> Self {
        let mut file = Self::default();
        let mut section: Option<String> = None;
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(name.trim().to_owned());
                file.sections.push(name.trim().to_owned());
                continue;
            }
            match line.split_once('=') {
                Some((key, value)) => file.entries.push(Entry {
                    line: index + 1,
                    section: section.clone(),
                    indented: raw.starts_with(char::is_whitespace),
                    key: key.trim().to_owned(),
                    value: value.trim().to_owned(),
                }),
                None => file.bare.push((index + 1, line.to_owned())),
            }
        }
        file
    }

    /// Whether any line carries hex data (a `name = hex` value or a bare hex line of at least
    /// 16 bytes). A text file without any is documentation, not a vector file.
    pub fn has_hex_data(&self) -> bool {
        self.entries
            .iter()
            .any(|e| !e.value.is_empty() && is_hex(&e.value))
            || self
                .bare
                .iter()
                .any(|(_, line)| line.len() >= 32 && is_hex(line))
    }

    /// Whether some entry is named `key`.
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }

    /// The set of entry names.
    pub fn keys(&self) -> std::collections::BTreeSet<&str> {
        self.entries.iter().map(|e| e.key.as_str()).collect()
    }

    /// The entries grouped by section (entries before any section under `None`), in order.
    pub fn by_section(&self) -> Vec<(Option<String>, Vec<&Entry>)> {
        let mut out: Vec<(Option<String>, Vec<&Entry>)> = Vec::new();
        for entry in &self.entries {
            match out.last_mut() {
                Some((section, entries)) if *section == entry.section => entries.push(entry),
                _ => out.push((entry.section.clone(), vec![entry])),
            }
        }
        out
    }
}

/// Named hex values of one record, decoded on demand with errors that name the field.
#[derive(Clone, Debug, Default)]
pub struct Values {
    map: BTreeMap<String, (usize, String)>,
}

impl Values {
    /// The values of `entries`; a later duplicate name is an error.
    pub fn new<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Result<Self, String> {
        let mut map = BTreeMap::new();
        for entry in entries {
            if map
                .insert(entry.key.clone(), (entry.line, entry.value.clone()))
                .is_some()
            {
                return Err(format!("line {}: duplicate name {}", entry.line, entry.key));
            }
        }
        Ok(Self { map })
    }

    /// The names present.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// Whether `name` is present.
    pub fn has(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// The raw (trimmed) text of `name`.
    pub fn text(&self, name: &str) -> Result<&str, String> {
        self.map
            .get(name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| format!("missing value {name}"))
    }

    /// The bytes of hex value `name`.
    pub fn hex(&self, name: &str) -> Result<Vec<u8>, String> {
        let (line, value) = self
            .map
            .get(name)
            .ok_or_else(|| format!("missing value {name}"))?;
        hex::decode(value).map_err(|e| format!("line {line}: {name}: not hex: {e}"))
    }

    /// The bytes of hex value `name`, if present.
    pub fn hex_opt(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        if self.has(name) {
            self.hex(name).map(Some)
        } else {
            Ok(None)
        }
    }
}
