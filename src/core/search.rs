//! Finding knowledge-base entries from what a person types in the index's filter:
//! words (a code, a vendor, a tag, part of a title), or a whole error message, which
//! the template matcher reads as the diagnosis does.

use super::diagnose::{Options, diagnose};
use super::kb::{EntryKind, Kb, TAGS};
use super::sort;

/// What matched a query, best first. Indices are into `Kb::entries` and
/// `Kb::vendors`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResults {
    /// Entries whose templates the text matched, as a diagnosis would rank them.
    pub by_message: Vec<usize>,
    /// Entries every word of the query appears in (id, title, code, vendor, tags,
    /// templates), codes first.
    pub by_words: Vec<usize>,
    pub vendors: Vec<usize>,
    pub tags: Vec<&'static str>,
}

impl SearchResults {
    pub fn is_empty(&self) -> bool {
        self.by_message.is_empty()
            && self.by_words.is_empty()
            && self.vendors.is_empty()
            && self.tags.is_empty()
    }
}

/// The longest query read; a filter box is not a paste box.
const MAX_QUERY: usize = 4096;

/// Words too common to name a vendor by the start of its name ("for" is not
/// ForgeRock, "access" is not its Access Management).
const COMMON_WORDS: &[&str] = &[
    "the", "for", "and", "not", "was", "has", "with", "from", "this", "that", "are", "you", "your",
    "can", "all", "any", "invalid", "error", "client", "token", "access",
];

/// Entries, vendors and tags for `query`; everything for an empty query.
pub fn search(kb: &Kb, query: &str) -> SearchResults {
    let raw = query[..super::text::floor_boundary(query, MAX_QUERY)].trim();
    let lower = raw.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let has_all = |hay: &str| words.iter().all(|w| hay.contains(w));

    let mut by_message = Vec::new();
    // A message (several words, or an error code with its description) goes
    // through the matcher.
    if words.len() >= 3 {
        // The entries whose templates matched, then those the ranked causes come
        // from (vendor codes such as AADSTS70011 name theirs).
        let d = diagnose(raw, &Options::default());
        let named = d
            .matches
            .iter()
            .map(|m| &m.entry)
            .chain(d.causes.iter().map(|c| &c.entry));
        for id in named {
            if let Some(i) = kb.index_of(id)
                && !by_message.contains(&i)
            {
                by_message.push(i);
            }
        }
    }

    let mut by_words: Vec<usize> = Vec::new();
    for (i, e) in kb.entries.iter().enumerate() {
        if by_message.contains(&i) {
            continue;
        }
        let vendor = e
            .vendor
            .as_deref()
            .and_then(|v| kb.vendor(v))
            .map(|v| v.name.as_str())
            .unwrap_or("");
        let mut hay = format!(
            "{} {} {} {} {}",
            e.id,
            e.title,
            e.error.as_deref().unwrap_or(""),
            vendor,
            e.codes.join(" ")
        );
        for c in &e.causes {
            hay.push(' ');
            hay.push_str(&c.tag);
        }
        for t in &e.templates {
            hay.push(' ');
            hay.push_str(t);
        }
        if has_all(&hay.to_lowercase()) {
            by_words.push(i);
        }
    }
    sort::sort_by_key(&mut by_words, |&i| {
        (kb.entries[i].kind != EntryKind::Code, i)
    });

    let mut vendors: Vec<usize> = kb
        .vendors
        .iter()
        .enumerate()
        // A vendor is named by any one word that starts one of its names' words
        // ("keycloak scope" shows Keycloak; "for" does not show Salesforce).
        .filter(|(_, v)| {
            let names = format!("{} {}", v.id, v.name).to_lowercase();
            let names: Vec<&str> = names.split(|c: char| !c.is_alphanumeric()).collect();
            words.is_empty()
                || words.iter().any(|w| {
                    w.len() >= 3
                        && !COMMON_WORDS.contains(w)
                        && names.iter().any(|n| n.starts_with(*w))
                })
        })
        .map(|(i, _)| i)
        .collect();
    // The product a word names outright first (`google`), then the others named
    // after it (`google-workspace-mcp`), each group in the knowledge base's order.
    sort::sort_by_key(&mut vendors, |&i| {
        let v = &kb.vendors[i];
        let first_name_word = v
            .name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase();
        let outright = words.iter().any(|w| *w == v.id || *w == first_name_word);
        (!outright, i)
    });
    let tags = TAGS.iter().copied().filter(|t| has_all(t)).collect();
    SearchResults {
        by_message,
        by_words,
        vendors,
        tags,
    }
}
