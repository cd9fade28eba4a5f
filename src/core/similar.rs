//! The last resort for a text that no known message, code or topic word reads: the
//! known messages whose words it shares most. Each vendor message's templates are
//! bags of words weighed by how rare each word is among all templates (TF-IDF); a
//! text is compared with them by cosine, and the causes of the nearest few are
//! offered as a guess, said to be one. Another product's message for the same fault
//! usually shares its telling words (`signature`, `audience`, `redirect`,
//! `secret`) even where no sentence is the same.
//!
//! How much it helps is measured with every template switched off (each collected
//! text read as if its product were unknown), and on a set collected after it was
//! written: see tests/heldout/README.md.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::kb::{EntryKind, Kb};

/// How many of the nearest templates vote.
const NEAREST: usize = 5;
/// Below this cosine a template is not near enough to vote.
const MIN_COSINE: f32 = 0.2;
/// The nearest must reach this for any to vote: a text that shares a few words
/// with many messages (release notes that mention a token refresh, a comment naming
/// `ACCESS_DENIED`) is near none of them.
const MIN_NEAREST: f32 = 0.35;
/// A template must share at least this many words with the text.
const MIN_SHARED: usize = 2;
/// How much of the text is read: the opening of a long paste says what failed.
const MAX_TEXT: usize = 8 * 1024;
/// What a cause other than an entry's first adds to its tag's vote, per cosine.
const LATER_CAUSE: f32 = 0.3;

/// Words too common in error texts to tell one message from another.
const STOP: &[&str] = &[
    "the", "and", "for", "not", "this", "that", "with", "from", "are", "was", "were", "been",
    "has", "have", "its", "your", "you", "please", "can", "cannot", "could", "will", "should",
    "into", "than", "then", "there", "which", "when", "while", "any", "all", "one", "but",
];

/// Words of the OAuth and OpenID Connect world: a text with none of them is not an
/// error of a login, whatever words it shares with one (`auth` also finds `oauth`
/// and `unauthorized`).
const OAUTH_STEMS: &[&str] = &[
    "token",
    "oidc",
    "openid",
    "scope",
    "client",
    "grant",
    "redirect",
    "auth",
    "jwt",
    "jwk",
    "issuer",
    "audience",
    "consent",
    "login",
    "sign-in",
    "signin",
    "callback",
    "credential",
    "secret",
    "session",
    "cookie",
    "state",
    "refresh",
    "bearer",
    "forbidden",
    "permission",
    "denied",
    "saml",
    "sso",
    "idp",
    "tenant",
    "realm",
];

/// One template's words, for the comparison.
struct Doc {
    entry: usize,
    template: usize,
    norm: f32,
}

struct Index {
    docs: Vec<Doc>,
    /// Each word's documents (indexes into `docs`) and its weight (IDF).
    words: HashMap<String, (f32, Vec<u32>)>,
}

/// A known message near the text: its entry, which of its templates, and the
/// cosine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub entry: usize,
    pub template: usize,
    pub cosine: f32,
}

/// The words of `s` that count: lowercase ASCII words of three characters or more
/// that open with a letter, placeholders and stop words left out, each once.
fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = s;
    // A template's placeholders (`{scope}`) are no words of its message.
    let mut clean = String::with_capacity(s.len());
    while let Some(open) = rest.find('{') {
        clean.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) if close < 40 => {
                clean.push(' ');
                rest = &rest[open + close + 1..];
            }
            _ => {
                clean.push('{');
                rest = &rest[open + 1..];
            }
        }
    }
    clean.push_str(rest);
    for w in clean
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.len() >= 3 && w.len() <= 40)
        .filter(|w| w.as_bytes()[0].is_ascii_alphabetic())
    {
        let w = w.to_ascii_lowercase();
        if !STOP.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

fn index(kb: &Kb) -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut docs = Vec::new();
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        for (ei, e) in kb.entries.iter().enumerate() {
            if e.kind != EntryKind::Message || e.causes.is_empty() {
                continue;
            }
            for (ti, t) in e.templates.iter().enumerate() {
                let ws = words(t);
                if ws.len() < MIN_SHARED {
                    continue;
                }
                let d = docs.len() as u32;
                for w in ws {
                    postings.entry(w).or_default().push(d);
                }
                docs.push(Doc {
                    entry: ei,
                    template: ti,
                    norm: 0.0,
                });
            }
        }
        let n = docs.len().max(1) as f32;
        let words: HashMap<String, (f32, Vec<u32>)> = postings
            .into_iter()
            .map(|(w, ds)| (w, ((n / (1.0 + ds.len() as f32)).ln().max(0.0), ds)))
            .collect();
        let mut sq = vec![0f32; docs.len()];
        for (idf, ds) in words.values() {
            for &d in ds {
                sq[d as usize] += idf * idf;
            }
        }
        for (doc, s) in docs.iter_mut().zip(sq) {
            doc.norm = s.sqrt().max(f32::EPSILON);
        }
        Index { docs, words }
    })
}

/// Builds the index, for the page to do once it has painted.
pub fn warm_up(kb: &Kb) {
    index(kb);
}

/// Whether `text` (normalised: lowercase) speaks of a login at all.
pub fn speaks_oauth(text: &str) -> bool {
    let head = &text[..super::text::floor_boundary(text, MAX_TEXT)];
    OAUTH_STEMS.iter().any(|s| head.contains(s))
}

/// The known messages nearest `text`, nearest first: at most [`NEAREST`], each
/// sharing at least [`MIN_SHARED`] words and at [`MIN_COSINE`] or more.
pub fn nearest(kb: &Kb, text: &str) -> Vec<Near> {
    let index = index(kb);
    let head = &text[..super::text::floor_boundary(text, MAX_TEXT)];
    let query: Vec<(f32, &Vec<u32>)> = words(head)
        .iter()
        .filter_map(|w| index.words.get(w))
        .map(|(idf, ds)| (*idf, ds))
        .filter(|(idf, _)| *idf > 0.0)
        .collect();
    let qnorm = query.iter().map(|(idf, _)| idf * idf).sum::<f32>().sqrt();
    if qnorm <= 0.0 {
        return Vec::new();
    }
    let mut score: HashMap<u32, (f32, usize)> = HashMap::new();
    for (idf, ds) in &query {
        for &d in *ds {
            let s = score.entry(d).or_insert((0.0, 0));
            s.0 += idf * idf;
            s.1 += 1;
        }
    }
    let mut near: Vec<Near> = score
        .into_iter()
        .filter(|(_, (_, shared))| *shared >= MIN_SHARED)
        .map(|(d, (s, _))| {
            let doc = &index.docs[d as usize];
            Near {
                entry: doc.entry,
                template: doc.template,
                cosine: s / (qnorm * doc.norm),
            }
        })
        .filter(|n| n.cosine >= MIN_COSINE)
        .collect();
    // Nearest first; the same order for equal cosines on every run.
    near.sort_by(|a, b| {
        b.cosine
            .total_cmp(&a.cosine)
            .then(a.entry.cmp(&b.entry))
            .then(a.template.cmp(&b.template))
    });
    near.truncate(NEAREST);
    if near.first().is_some_and(|n| n.cosine < MIN_NEAREST) {
        near.clear();
    }
    near
}

/// The cause tags the nearest messages vote for, most votes first, with each
/// tag's vote and the nearest message that voted for it.
pub fn votes(kb: &Kb, near: &[Near]) -> Vec<(String, f32, Near)> {
    let mut out: Vec<(String, f32, Near)> = Vec::new();
    for n in near {
        for (i, c) in kb.entries[n.entry].causes.iter().take(3).enumerate() {
            let vote = if i == 0 {
                n.cosine
            } else {
                n.cosine * LATER_CAUSE
            };
            match out.iter_mut().find(|(t, _, _)| *t == c.tag) {
                Some(v) => v.1 += vote,
                None => out.push((c.tag.clone(), vote, *n)),
            }
        }
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_stop_words_are_no_words() {
        assert_eq!(
            words("The client {client_id} is not allowed to use the {grant} grant"),
            ["client", "allowed", "use", "grant"]
        );
        assert_eq!(words("{unclosed and 12abc x_y"), ["unclosed", "x_y"]);
    }

    #[test]
    fn another_products_words_for_the_same_fault_are_near() {
        let kb = Kb::get();
        let near = nearest(
            kb,
            "gateway refused the request: jwt expired, token signature invalid",
        );
        assert!(!near.is_empty());
        let tags = votes(kb, &near);
        assert_eq!(tags[0].0, "token.invalid", "{tags:?}");
    }

    #[test]
    fn a_text_outside_the_oauth_world_says_nothing() {
        assert!(!speaks_oauth("hello world, all is fine"));
        assert!(speaks_oauth("key not authorized for this api"));
    }
}
