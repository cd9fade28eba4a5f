//! The knowledge base's phrases found in a text in one pass each: the causes'
//! `when_words`, the registered codes' topic and guess words, the vendors' markers
//! and bare host names.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

use crate::core::kb::{EntryKind, Kb};
use crate::core::sort;
use crate::core::text::normalize;

/// Every `when_words` phrase and every vendor marker of the knowledge base, found in
/// one pass over the text instead of one search per phrase.
pub(super) struct Phrases {
    pub(super) words: Vec<String>,
    words_ac: AhoCorasick,
    /// The registered codes' `topic_words` and `guess_words`, normalised, each
    /// with its entry and cause index and whether it is a guess: what the fallback
    /// looks for when nothing else matched.
    topics_ac: AhoCorasick,
    topics: Vec<Topic>,
    markers_ac: AhoCorasick,
    /// For each marker pattern, its vendor's index.
    marker_vendor: Vec<usize>,
    /// The vendors' host names that name them outside a URL too (`dev-12.okta.com`
    /// in a log, `<tenant>.auth0.com` in a message): tenant suffixes and hosts of
    /// three labels or more, not `github.com`, which Go import paths print.
    hosts_ac: AhoCorasick,
    host_vendor: Vec<usize>,
    /// The registered codes' sentences, each as its sorted words: what a vendor's
    /// copy of one is told by.
    code_sentences: Vec<Vec<String>>,
    /// Every word of those sentences: most templates fail on these alone.
    code_words: std::collections::HashSet<String>,
}

/// The fewest words a template needs to be read as a copy of a code's sentence.
const SPEC_COPY_WORDS: usize = 8;

/// A sentence's words, lowercase.
fn word_set(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    sort::sort_dedup(&mut words);
    words
}

/// A registered code's cause named by a phrase of its `topic_words` or
/// `guess_words`.
struct Topic {
    entry: usize,
    cause: usize,
    word: String,
    guess: bool,
}

/// Whether a vendor host is distinctive enough to name the vendor written bare.
fn bare_host_names_vendor(host: &str) -> bool {
    host.starts_with('.') || host.matches('.').count() >= 2
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

impl Phrases {
    pub(super) fn get(kb: &Kb) -> &'static Phrases {
        static P: OnceLock<Phrases> = OnceLock::new();
        P.get_or_init(|| {
            // Both lists are normalised like the text they are searched in, so
            // that the search is exact rather than case-insensitive.
            let mut words: Vec<String> = kb
                .entries
                .iter()
                .flat_map(|e| e.causes.iter().flat_map(|c| c.when_words.iter()))
                .map(|w| normalize(w))
                .filter(|w| !w.is_empty())
                .collect();
            sort::sort_dedup(&mut words);
            let (markers, marker_vendor): (Vec<String>, Vec<usize>) = kb
                .vendors
                .iter()
                .enumerate()
                .flat_map(|(i, v)| v.markers.iter().map(move |m| (normalize(m), i)))
                .filter(|(m, _)| !m.is_empty())
                .unzip();
            let (hosts, host_vendor): (Vec<String>, Vec<usize>) = kb
                .vendors
                .iter()
                .enumerate()
                .flat_map(|(i, v)| {
                    v.hosts
                        .iter()
                        .filter(|h| bare_host_names_vendor(h) && !h.ends_with('.'))
                        .map(move |h| (h.to_ascii_lowercase(), i))
                })
                .unzip();
            let build = |patterns: &[String]| {
                AhoCorasickBuilder::new()
                    .build(patterns)
                    .expect("literal patterns build")
            };
            let topics: Vec<Topic> = kb
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == EntryKind::Code)
                .flat_map(|(ei, e)| {
                    e.causes.iter().enumerate().flat_map(move |(ci, c)| {
                        let topic = c.topic_words.iter().map(|w| (w, false));
                        let guess = c.guess_words.iter().map(|w| (w, true));
                        topic.chain(guess).map(move |(w, guess)| Topic {
                            entry: ei,
                            cause: ci,
                            word: normalize(w),
                            guess,
                        })
                    })
                })
                .filter(|t| !t.word.is_empty())
                .collect();
            let topic_patterns: Vec<String> = topics.iter().map(|t| t.word.clone()).collect();
            let code_sentences: Vec<Vec<String>> = kb
                .entries
                .iter()
                .filter(|e| e.kind == EntryKind::Code)
                .flat_map(|e| e.templates.iter().map(|t| word_set(t)))
                .collect();
            let code_words = code_sentences.iter().flatten().cloned().collect();
            Phrases {
                code_sentences,
                code_words,
                topics_ac: build(&topic_patterns),
                topics,
                words_ac: build(&words),
                markers_ac: build(&markers),
                words,
                marker_vendor,
                hosts_ac: build(&hosts),
                host_vendor,
            }
        })
    }

    /// Whether `template` (a vendor's) is its copy of a registered code's sentence
    /// (authentik's `The provided authorization grant or refresh token is invalid,
    /// ...`, the RFC's sentence less its example). Read when a hit asks, not for
    /// every template up front: the knowledge base loads as fast as before.
    pub(super) fn is_spec_copy(&self, template: &str) -> bool {
        let words = word_set(template);
        let known = words
            .iter()
            .filter(|w| self.code_words.contains(*w))
            .count();
        words.len() >= SPEC_COPY_WORDS
            && 10 * known >= 9 * words.len()
            && self.code_sentences.iter().any(|c| {
                // Nine words in ten are the sentence's, and they say most of it
                // (not Okta's `The 'redirect_uri' does not match the redirection URI
                // used in the authorization request.`, a clause of it that says
                // which part).
                let shared = words.iter().filter(|w| c.binary_search(w).is_ok()).count();
                10 * shared >= 9 * words.len() && 10 * shared >= 6 * c.len()
            })
    }

    /// The `when_words` phrases present in `normalized` (normalised text).
    /// A word that overlaps a span of `skip` is not counted.
    pub(super) fn words_in(&self, normalized: &str, skip: &[(usize, usize)]) -> Vec<&str> {
        let mut found: Vec<&str> = self
            .words_ac
            .find_overlapping_iter(normalized)
            .filter(|m| stands_as_word(normalized, m.start(), m.end()))
            .filter(|m| !skip.iter().any(|&(s, e)| m.start() < e && s < m.end()))
            .map(|m| self.words[m.pattern().as_usize()].as_str())
            .collect();
        sort::sort_dedup(&mut found);
        found
    }

    /// The registered codes' causes whose topic `normalized` mentions, each once,
    /// with the word found: `(entry, cause, word)`; with `guesses`, the looser
    /// `guess_words` count too. A topic read inside a longer one (`issuer
    /// mismatch` inside `provider issuer mismatch`) is that one's; of two that
    /// overlap, the first names what the sentence is about (`state token` in
    /// `the state token is invalid`, not `token is invalid`).
    pub(super) fn topics_in(&self, normalized: &str, guesses: bool) -> Vec<(usize, usize, &str)> {
        let spans: Vec<(usize, usize, &Topic)> = self
            .topics_ac
            .find_overlapping_iter(normalized)
            .filter(|m| stands_as_word(normalized, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), &self.topics[m.pattern().as_usize()]))
            .filter(|(_, _, t)| guesses || !t.guess)
            .collect();
        let mut found: Vec<(usize, usize, &str)> = Vec::new();
        for &(s, e, t) in &spans {
            let shadowed = spans.iter().any(|&(os, oe, _)| {
                let inside = os <= s && e <= oe && oe - os > e - s;
                let overlapped = os < s && s < oe && oe < e;
                inside || overlapped
            });
            if !shadowed && !found.iter().any(|f| (f.0, f.1) == (t.entry, t.cause)) {
                found.push((t.entry, t.cause, t.word.as_str()));
            }
        }
        found
    }

    /// The vendors' markers found in `normalized`, each as its vendor's index and
    /// where it starts. A marker that opens with a letter or digit must open a
    /// word too: `authlib.oauth2` is not inside `oauthlib.oauth2`.
    /// Markers inside `skip` (normalised spans) are not counted, nor one that
    /// `foreign(vendor, start, end)` says is among another vendor's words.
    pub(super) fn markers_in(
        &self,
        normalized: &str,
        skip: &[(usize, usize)],
        foreign: impl Fn(usize, usize, usize) -> bool,
    ) -> Vec<(usize, usize)> {
        let b = normalized.as_bytes();
        found_at(
            &self.markers_ac,
            &self.marker_vendor,
            normalized,
            skip,
            |v, s, e| {
                (s == 0 || !b[s].is_ascii_alphanumeric() || !b[s - 1].is_ascii_alphanumeric())
                    && !foreign(v, s, e)
            },
        )
    }

    /// The vendors whose host names `normalized` writes outside a URL's host: a
    /// tenant suffix after a label (`dev-12.okta.com`), or a whole host name.
    pub(super) fn bare_hosts_in(&self, normalized: &str, skip: &[(usize, usize)]) -> Vec<usize> {
        let b = normalized.as_bytes();
        vendors_of(found_at(
            &self.hosts_ac,
            &self.host_vendor,
            normalized,
            skip,
            |_, s, e| {
                let before = s.checked_sub(1).map(|i| b[i]);
                let after = b.get(e).copied();
                let ends = after.is_none_or(|a| !(a.is_ascii_alphanumeric() || a == b'-'))
                    && !(after == Some(b'.')
                        && b.get(e + 1).is_some_and(|c| c.is_ascii_alphanumeric()));
                let starts = if b[s] == b'.' {
                    before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'-')
                } else {
                    before.is_none_or(|c| !is_host_byte(c))
                };
                starts && ends
            },
        ))
    }
}

/// `ac`'s patterns (`vendor_of` maps a pattern to its vendor) found in
/// `normalized` where `keep(vendor, start, end)` accepts the match, outside
/// `skip`: each as its vendor and where it starts.
fn found_at(
    ac: &AhoCorasick,
    vendor_of: &[usize],
    normalized: &str,
    skip: &[(usize, usize)],
    keep: impl Fn(usize, usize, usize) -> bool,
) -> Vec<(usize, usize)> {
    ac.find_overlapping_iter(normalized)
        .filter(|m| !skip.iter().any(|&(s, e)| s <= m.start() && m.end() <= e))
        .map(|m| (vendor_of[m.pattern().as_usize()], m.start(), m.end()))
        .filter(|&(v, s, e)| keep(v, s, e))
        .map(|(v, s, _)| (v, s))
        .collect()
}

/// The vendors of found patterns, each once.
pub(super) fn vendors_of(found: impl IntoIterator<Item = (usize, usize)>) -> Vec<usize> {
    let mut vendors: Vec<usize> = found.into_iter().map(|(v, _)| v).collect();
    sort::sort_dedup(&mut vendors);
    vendors
}

/// Whether a word found at `start..end` of `text` is the word, not part of
/// another: it opens a word (`iss` is not inside `missing`), and a short one ends
/// one too (`exp` is not `expected`, `par` not `parameter`); a longer one may go on
/// (`refresh` in `refreshing`, `scope` in `scopes`).
fn stands_as_word(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let opens =
        start == 0 || !b[start].is_ascii_alphanumeric() || !b[start - 1].is_ascii_alphanumeric();
    let closes = end - start > SHORT_WORD
        || end >= b.len()
        || !b[end - 1].is_ascii_alphanumeric()
        || !b[end].is_ascii_alphanumeric();
    opens && closes
}

/// Words up to this length must stand whole (see [`stands_as_word`]).
const SHORT_WORD: usize = 4;
