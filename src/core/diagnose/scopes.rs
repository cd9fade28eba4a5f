//! The scopes a diagnosis is about: those a message blames, the scope string to
//! analyse, and the `when_scopes` tokens the text names.

use std::sync::OnceLock;

use crate::core::extract::Extraction;
use crate::core::kb::Kb;
use crate::core::matcher::Hit;
use crate::core::scope::{self, ProblemKind, ScopeAnalysis};
use crate::core::text::normalize;
use crate::core::{Span, sort};

/// The `when_scopes` tokens of the knowledge base that `normalized` names as whole
/// words (`offline_access`, not `offline_accessible`).
pub(super) fn mentioned_scopes(kb: &Kb, normalized: &str) -> Vec<String> {
    static SCOPES: OnceLock<Vec<String>> = OnceLock::new();
    let scopes = SCOPES.get_or_init(|| {
        let mut all: Vec<String> = kb
            .entries
            .iter()
            .flat_map(|e| e.causes.iter().flat_map(|c| c.when_scopes.iter().cloned()))
            .collect();
        sort::sort_dedup(&mut all);
        all
    });
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == ':' || c == '/';
    scopes
        .iter()
        .filter(|s| {
            let s = normalize(s);
            normalized.match_indices(s.as_str()).any(|(at, m)| {
                let before = normalized[..at].chars().next_back();
                let after = normalized[at + m.len()..].chars().next();
                !before.is_some_and(is_word) && !after.is_some_and(is_word)
            })
        })
        .cloned()
        .collect()
}

/// Scope tokens the causes react to in `when_scopes`, from the message or the
/// request.
pub(super) struct ScopeSignals {
    pub(super) blamed: Vec<String>,
    pub(super) requested: Vec<String>,
    /// The `when_scopes` tokens the text names anywhere, as words.
    pub(super) mentioned: Vec<String>,
}

/// The scope tokens the matched messages blame, in order, without repeats.
pub(super) fn blamed_scopes(hits: &[Hit]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in hits.iter().filter(|h| h.quality >= 0.6) {
        for (name, value) in &h.captures {
            let tokens: Vec<String> = match name.as_str() {
                "scope" => vec![value.trim_matches(['\'', '"', '`']).to_string()],
                "scopes" => value
                    .split(' ')
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
                // Java, Python and Kotlin print a collection with ", " between its
                // items: where no blank follows a comma and nothing is quoted, the
                // comma is inside the one scope the client sent (`invalid=[profile,
                // https://...]` from Google is the string `profile,https://...`).
                "scope_list"
                    if !value.contains(", ")
                        && !value.contains(['\'', '"'])
                        && value.contains(',') =>
                {
                    vec![value.trim().to_string()]
                }
                "scope_list" => value
                    .split(',')
                    .map(|t| t.trim().trim_matches(['\'', '"']).to_string())
                    .filter(|t| !t.is_empty())
                    .collect(),
                _ => continue,
            };
            for t in tokens {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// The scope string to analyse: the requested `scope` parameter if the text has
/// one, else the scope string a message quotes, else the blamed tokens.
pub(super) fn scope_string(
    x: &Extraction,
    hits: &[Hit],
    vendor: Option<&str>,
    blamed: &[String],
) -> (ScopeAnalysis, Option<Span>) {
    if let Some(f) = x.best("scope") {
        // A `key: value` read stops at `;` or `,`, where the server's own quote of
        // the scope goes on (`Invalid scope: users:read.email;redirect_uri=...`):
        // the quote is what the server parsed.
        if blamed
            .iter()
            .any(|b| b.len() > f.value.len() && b.starts_with(f.value.as_str()))
        {
            return (scope::parse_for(&blamed.join(" "), vendor), None);
        }
        return (scope::parse_for(&f.value, vendor), Some(f.span));
    }
    // The best reading that quotes scopes says which: a whole scope string
    // (`{scopes}`) as it stands, the tokens it names (`{scope}`, `{scope_list}`) as
    // blamed.
    let quoted = hits.iter().filter(|h| h.quality >= 0.6).find_map(|h| {
        h.captures
            .iter()
            .find(|(name, _)| matches!(name.as_str(), "scopes" | "scope" | "scope_list"))
            .map(|(name, v)| (name == "scopes").then(|| v.clone()))
    });
    match quoted {
        Some(Some(s)) => (scope::parse_for(&s, vendor), None),
        _ if !blamed.is_empty() => (scope::parse_for(&blamed.join(" "), vendor), None),
        // No scope in the text at all: nothing to analyse, and nothing wrong.
        _ => (ScopeAnalysis::default(), None),
    }
}

/// How much the scope string's own problems support a cause.
/// Scope problems that make the string itself wrong (`scope.malformed`).
pub(super) const MALFORMED_KINDS: &[ProblemKind] = &[
    ProblemKind::InvalidChar,
    ProblemKind::Lookalike,
    ProblemKind::Delimiter,
    ProblemKind::Case,
    ProblemKind::Typo,
    ProblemKind::Whitespace,
];
