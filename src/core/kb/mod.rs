//! The knowledge base: the TOML files under `kb/`, checked by `build.rs` and embedded
//! as JSON. Loaded once, on first use.

pub mod schema;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use schema::{Cause, Entry, EntryKind, Example, KbData, Step, TAGS, Vendor};

use super::error_code::ErrorCode;
use super::sort;

const KB_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/kb.json"));

/// The loaded knowledge base with its look-up tables.
#[derive(Debug)]
pub struct Kb {
    pub vendors: Vec<Vendor>,
    pub entries: Vec<Entry>,
    /// Real error texts to try, in gallery order.
    pub examples: Vec<Example>,
    by_id: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
}

impl Kb {
    /// The embedded knowledge base. `build.rs` has already checked it, so parsing
    /// cannot fail unless the build itself is broken.
    pub fn get() -> &'static Kb {
        static KB: OnceLock<Kb> = OnceLock::new();
        KB.get_or_init(|| {
            let data: KbData = serde_json::from_str(KB_JSON).unwrap_or_default();
            Kb::new(data)
        })
    }

    fn new(data: KbData) -> Kb {
        let mut by_id = HashMap::new();
        let mut by_code = HashMap::new();
        for (i, e) in data.entries.iter().enumerate() {
            by_id.insert(e.id.clone(), i);
            for alias in &e.aliases {
                by_id.insert(alias.clone(), i);
            }
            if e.kind == EntryKind::Code
                && let Some(code) = &e.error
            {
                by_code.insert(code.clone(), i);
            }
        }
        Kb {
            vendors: data.vendors,
            entries: data.entries,
            examples: data.examples,
            by_id,
            by_code,
        }
    }

    /// The entry with this id or alias (a permalink).
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The index in `entries` of the entry with this id or alias.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// A knowledge base from data (the embedded one is [`Kb::get`]); for tools and
    /// tests that build their own.
    pub fn from_data(data: KbData) -> Kb {
        Kb::new(data)
    }

    /// Whether an entry names `code` (exactly, case included) as its error or one of
    /// its codes.
    pub fn knows_error(&self, code: &str) -> bool {
        self.entries.iter().any(|e| e.names_error(code))
    }

    /// The code entry of an error code.
    pub fn code_entry(&self, code: &str) -> Option<&Entry> {
        self.by_code.get(code).map(|&i| &self.entries[i])
    }

    pub fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.vendors.iter().find(|v| v.id == id)
    }

    /// Every error code the knowledge base knows: the registered ones and the
    /// vendors' own (`scope_not_granted`), sorted and unique.
    pub fn known_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = ErrorCode::REGISTERED
            .iter()
            .map(|c| c.as_str().to_string())
            .chain(self.entries.iter().filter_map(|e| e.error.clone()))
            .filter(|c| looks_like_code(c))
            .collect();
        sort::sort_dedup(&mut codes);
        codes
    }
}

/// Whether a word has the shape of an OAuth error code: lowercase ASCII letters,
/// digits and underscores, with at least one underscore (`invalid_scope`), so that
/// ordinary words are not taken for codes.
pub fn looks_like_code(s: &str) -> bool {
    s.len() >= 5
        && s.len() <= 64
        && s.contains('_')
        && s.as_bytes()[0].is_ascii_lowercase()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}
