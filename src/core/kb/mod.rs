//! The knowledge base: the TOML files under `kb/`, checked by `build.rs` and embedded
//! as JSON. Loaded once, on first use.

pub mod schema;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use schema::{Cause, Entry, EntryKind, Example, KbData, Step, TAGS, Vendor};

use super::error_code::ErrorCode;
use super::sort;

const KB_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/kb.json"));
/// One of the gallery's real errors, as `build.rs` embeds it (Rust literals: the
/// page's interface shows the gallery before its engine has loaded, parsing
/// nothing). Its text is [`GALLERY_TEXTS`] at the same index.
#[derive(Debug, Clone, Copy)]
pub struct GalleryExample {
    pub id: &'static str,
    pub title: &'static str,
    /// Where the text comes from.
    pub source: &'static str,
}

/// The gallery's real errors, in order (the knowledge base's [`Kb::examples`]).
pub const GALLERY: &[GalleryExample] = include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// The gallery's texts, in the order of [`GALLERY`].
pub const GALLERY_TEXTS: &[&str] = include!(concat!(env!("OUT_DIR"), "/example_texts.rs"));

/// The text of the gallery's example `id`.
pub fn gallery_text(id: &str) -> Option<&'static str> {
    let i = GALLERY.iter().position(|e| e.id == id)?;
    GALLERY_TEXTS.get(i).copied()
}

/// What a cause says in words: its explanation, fix and steps. Inline in the native
/// build; the page's build leaves them out and loads them after its first paint
/// ([`load_prose`], from the `prose.json` that [`prose_json`] writes).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct CauseProse {
    pub explanation: String,
    pub fix: String,
    #[serde(default)]
    pub steps: Vec<Step>,
}

/// The causes' prose, by entry id, in the order of each entry's causes.
type ProseMap = HashMap<String, Vec<CauseProse>>;

static PROSE: OnceLock<ProseMap> = OnceLock::new();

/// Takes the causes' prose the page fetched (`prose.json`). Once only; a document
/// that does not parse is refused and changes nothing.
pub fn load_prose(json: &str) -> Result<(), String> {
    let map: ProseMap =
        serde_json::from_str(json).map_err(|e| format!("prose.json does not parse: {e}"))?;
    PROSE
        .set(map)
        .map_err(|_| "the causes' prose is loaded already".to_string())
}

/// The document [`load_prose`] reads, from a knowledge base that has its prose.
pub fn prose_json(kb: &Kb) -> String {
    let map: std::collections::BTreeMap<&str, Vec<CauseProse>> = kb
        .entries
        .iter()
        .map(|e| {
            let causes = e
                .causes
                .iter()
                .map(|c| CauseProse {
                    explanation: c.explanation.clone(),
                    fix: c.fix.clone(),
                    steps: c.steps.clone(),
                })
                .collect();
            (e.id.as_str(), causes)
        })
        .collect();
    serde_json::to_string(&map).unwrap_or_default()
}

/// The loaded knowledge base with its look-up tables.
#[derive(Debug)]
pub struct Kb {
    pub vendors: Vec<Vendor>,
    pub entries: Vec<Entry>,
    /// Real error texts to try, in gallery order.
    pub examples: Vec<Example>,
    by_id: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
    /// Every error and code an entry names.
    named_errors: std::collections::HashSet<String>,
    /// Message entries by a template that is their code and a short description
    /// (`unauthorized_client: Unauthorized`): `code` and the description folded.
    by_pair: HashMap<(String, String), Vec<usize>>,
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
        let named_errors = data
            .entries
            .iter()
            .flat_map(|e| e.error.iter().chain(&e.codes))
            .cloned()
            .collect();
        let mut by_pair: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, e) in data.entries.iter().enumerate() {
            let Some(code) = e.error.as_deref().filter(|_| e.kind == EntryKind::Message) else {
                continue;
            };
            for t in &e.templates {
                if let Some(description) = pair_description(t, code) {
                    let at = by_pair
                        .entry((code.to_string(), fold_description(description)))
                        .or_default();
                    if !at.contains(&i) {
                        at.push(i);
                    }
                }
            }
        }
        Kb {
            vendors: data.vendors,
            entries: data.entries,
            examples: GALLERY
                .iter()
                .zip(GALLERY_TEXTS)
                .map(|(e, text)| Example {
                    id: e.id.into(),
                    title: e.title.into(),
                    text: (*text).into(),
                    source: e.source.into(),
                })
                .collect(),
            by_id,
            by_code,
            named_errors,
            by_pair,
        }
    }

    /// The explanation, fix and steps of `cause` (one of `entry`'s): its own, or
    /// the loaded prose's; empty while the page has not loaded it yet.
    pub fn cause_prose<'a>(
        &self,
        entry: &'a Entry,
        cause: &'a Cause,
    ) -> (&'a str, &'a str, &'a [Step]) {
        if !cause.explanation.is_empty() || !cause.fix.is_empty() {
            return (&cause.explanation, &cause.fix, &cause.steps);
        }
        let loaded = PROSE
            .get()
            .and_then(|p| p.get(&entry.id))
            .and_then(|causes| {
                let i = entry.causes.iter().position(|c| std::ptr::eq(c, cause))?;
                // Prose of another build (a stale cache) has other causes: not used.
                (causes.len() == entry.causes.len()).then(|| &causes[i])
            });
        match loaded {
            Some(p) => (&p.explanation, &p.fix, &p.steps),
            None => ("", "", &[]),
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
        self.named_errors.contains(code)
    }

    /// The message entries whose template is `code` with this short description
    /// (`unauthorized_client: Unauthorized`): the text's error and description are
    /// that pair however it printed them (JSON over several lines, a JS object, a
    /// Python dict).
    pub fn pair_entries(&self, code: &str, description: &str) -> &[usize] {
        self.by_pair
            .get(&(code.to_string(), fold_description(description)))
            .map_or(&[], Vec::as_slice)
    }

    /// The code entry of an error code.
    pub fn code_entry(&self, code: &str) -> Option<&Entry> {
        self.code_entry_index(code).map(|i| &self.entries[i])
    }

    /// The index in `entries` of an error code's code entry.
    pub fn code_entry_index(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    pub fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.vendors.iter().find(|v| v.id == id)
    }

    /// Whether `vendor` is a library's (a client library, a browser, an MCP client:
    /// code on the pasting side), whose words name no server.
    pub fn is_library(&self, vendor: Option<&str>) -> bool {
        vendor
            .and_then(|v| self.vendor(v))
            .is_some_and(|v| v.library)
    }

    /// Vendor codes written as constants (Salesforce's `OAUTH_APP_ACCESS_DENIED`,
    /// `INVALID_LOGIN`) that no vendor's prefix finds: found as written, whole.
    pub fn literal_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .entries
            .iter()
            .flat_map(|e| e.codes.iter())
            .filter(|c| {
                c.len() >= 8
                    && c.contains('_')
                    && c.bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                    && !self
                        .vendors
                        .iter()
                        .any(|v| v.code_prefixes.iter().any(|p| c.starts_with(p.as_str())))
            })
            .cloned()
            .collect();
        sort::sort_dedup(&mut codes);
        codes
    }

    /// The vendors' own lowercase codes entries list but none answers as its
    /// `error` (MSAL's `state_not_found`): codes only where the text marks them as
    /// one (`ClientAuthError: state_not_found: ...`), since alone they are words.
    pub fn listed_codes(&self, known: &[String]) -> Vec<String> {
        let mut codes: Vec<String> = self
            .entries
            .iter()
            .flat_map(|e| e.codes.iter())
            .filter(|c| looks_like_code(c) && !known.contains(c))
            .cloned()
            .collect();
        sort::sort_dedup(&mut codes);
        codes
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

/// The description of a template that is `code` and a short description with no
/// placeholder: `code: Description` or `"code" "Description"` (Go's oauth2 print).
/// A description of a short template's length or more is read as a template
/// anyway, wherever it stands.
fn pair_description<'t>(template: &'t str, code: &str) -> Option<&'t str> {
    let rest = template
        .strip_prefix(code)
        .and_then(|r| r.strip_prefix(": "))
        .or_else(|| {
            template
                .strip_prefix('"')?
                .strip_prefix(code)?
                .strip_prefix("\" \"")?
                .strip_suffix('"')
        })?;
    (!rest.is_empty()
        && rest.len() < crate::core::matcher::SHORT_TEMPLATE
        && !rest.contains(['{', '}']))
    .then_some(rest)
}

/// A description as pairs compare it: case, surrounding blanks and a final period
/// do not count.
fn fold_description(d: &str) -> String {
    d.trim().trim_end_matches('.').trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_template_is_a_code_and_a_short_description() {
        let code = "unauthorized_client";
        assert_eq!(
            pair_description("unauthorized_client: Unauthorized", code),
            Some("Unauthorized")
        );
        assert_eq!(
            pair_description(r#""unauthorized_client" "Unauthorized""#, code),
            Some("Unauthorized")
        );
        // Another code, a placeholder, or a description long enough to be matched
        // as a template: no pair.
        assert_eq!(pair_description("invalid_client: Unauthorized", code), None);
        assert_eq!(
            pair_description("unauthorized_client: {detail}", code),
            None
        );
        assert_eq!(
            pair_description(
                "unauthorized_client: The client is not authorized here",
                code
            ),
            None
        );
        assert_eq!(fold_description(" Unauthorized. "), "unauthorized");
    }
}
