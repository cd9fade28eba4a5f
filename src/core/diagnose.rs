//! From pasted text to ranked causes: extraction, template matching, scope analysis
//! and ranking, in one deterministic pass that is cheap enough for every keystroke.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

use serde::Serialize;

use super::Span;
use super::error_code::ErrorCode;
use super::extract::{self, Extraction, Field, Jwt, Secret, is_reason_phrase};
use super::focus;
use super::kb::{Cause, Entry, EntryKind, Kb, Vendor};
use super::matcher::{self, Hit, Matcher};
use super::metadata::MetadataReport;
use super::scope::{self, ProblemKind, ScopeAnalysis, Severity};
use super::similar;
use super::sort;
use super::text::{Normalized, floor_boundary, is_whole_word, normalize};

/// What the caller knows that the text does not say.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The current time in seconds since the Unix epoch, to tell whether a JWT has
    /// expired. The core has no clock: the CLI and the page pass theirs.
    pub now: Option<i64>,
    /// The server's metadata, checked by [`crate::core::metadata::check`], when the
    /// person supplied it: what it advertises becomes evidence for the causes.
    pub metadata: Option<MetadataReport>,
}

/// The diagnosis of one paste. The field names of the JSON form are a contract (see
/// README.md): fields may be added, none renamed.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Diagnosis {
    /// The OAuth error code found in the text (registered or a vendor's own).
    pub error: Option<ErrorCode>,
    /// The spec that defines the code, when it is registered.
    pub error_spec: Option<&'static str>,
    pub error_description: Option<String>,
    pub error_uri: Option<String>,
    /// The product that most likely wrote the text (a knowledge-base vendor id).
    pub vendor: Option<String>,
    pub vendor_name: Option<String>,
    pub vendor_codes: Vec<String>,
    /// Where each vendor code is in the input, in the order of `vendor_codes`.
    pub vendor_code_spans: Vec<Span>,
    /// Scope tokens the message says are at fault.
    pub blamed_scopes: Vec<String>,
    /// The scope string analysed (the requested one, or the one the message quotes).
    pub scopes: ScopeAnalysis,
    /// Where the analysed scope string was found in the input.
    pub scopes_span: Option<Span>,
    /// The likely causes, most likely first.
    pub causes: Vec<RankedCause>,
    /// Vendor templates found in the text.
    pub matches: Vec<TemplateMatch>,
    /// Every key and value read from the text.
    pub fields: Vec<Field>,
    /// The error came from a resource server's `WWW-Authenticate` challenge.
    pub resource_server: bool,
    /// JWTs in the text, decoded but not verified.
    pub jwts: Vec<JwtReport>,
    /// Spans that must never leave the page (tokens, codes, secrets).
    pub secrets: Vec<Secret>,
    /// Plain-language remarks: what was not found, what was assumed.
    pub notes: Vec<String>,
}

/// One likely cause with its fix and the evidence for it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RankedCause {
    /// The knowledge-base entry (a permalink id) the cause comes from.
    pub entry: String,
    pub tag: String,
    pub title: String,
    /// 0..1, comparable within one diagnosis.
    pub score: f32,
    pub explanation: String,
    pub fix: String,
    pub spec: Option<String>,
    pub steps: Vec<FilledStep>,
    pub evidence: Vec<Evidence>,
}

impl RankedCause {
    /// The steps for `vendor` (and those for any server) first, the other vendors'
    /// apart: what both the page and the CLI show.
    pub fn steps_for(&self, vendor: Option<&str>) -> (Vec<&FilledStep>, Vec<&FilledStep>) {
        self.steps
            .iter()
            .partition(|s| s.vendor.is_none() || s.vendor.as_deref() == vendor)
    }
}

/// A fix step with its command filled in from the paste.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FilledStep {
    pub vendor: Option<String>,
    pub text: String,
    pub command: Option<String>,
}

/// Why a cause is ranked: what in the input supports it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evidence {
    pub what: String,
    pub span: Option<Span>,
}

/// A vendor template found in the input.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TemplateMatch {
    pub entry: String,
    pub template: String,
    pub quality: f32,
    pub span: Span,
    pub captures: Vec<(String, String)>,
}

/// A decoded JWT and what its times mean now.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JwtReport {
    #[serde(flatten)]
    pub jwt: Jwt,
    /// Seconds until `exp` (negative: expired that long ago), when `now` was given.
    pub expires_in: Option<i64>,
}

/// The `when_scopes` tokens of the knowledge base that `normalized` names as whole
/// words (`offline_access`, not `offline_accessible`).
fn mentioned_scopes(kb: &Kb, normalized: &str) -> Vec<String> {
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
struct ScopeSignals {
    blamed: Vec<String>,
    requested: Vec<String>,
    /// The `when_scopes` tokens the text names anywhere, as words.
    mentioned: Vec<String>,
}

/// Every `when_words` phrase and every vendor marker of the knowledge base, found in
/// one pass over the text instead of one search per phrase.
struct Phrases {
    words: Vec<String>,
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
    fn get(kb: &Kb) -> &'static Phrases {
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
            Phrases {
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

    /// The `when_words` phrases present in `normalized` (normalised text).
    /// A word that overlaps a span of `skip` is not counted.
    fn words_in(&self, normalized: &str, skip: &[(usize, usize)]) -> Vec<&str> {
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
    fn topics_in(&self, normalized: &str, guesses: bool) -> Vec<(usize, usize, &str)> {
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
    fn markers_in(
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
    fn bare_hosts_in(&self, normalized: &str, skip: &[(usize, usize)]) -> Vec<usize> {
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
fn vendors_of(found: impl IntoIterator<Item = (usize, usize)>) -> Vec<usize> {
    let mut vendors: Vec<usize> = found.into_iter().map(|(v, _)| v).collect();
    sort::sort_dedup(&mut vendors);
    vendors
}

const NOTHING_PASTED: &str =
    "nothing pasted yet: paste an error body, a redirect URL, a header or a log line";

/// Builds what the first diagnosis would otherwise build (the knowledge base, its
/// template automaton, its phrase lists): for the page to call once it has painted,
/// so that neither its first render nor the first paste pays for it.
pub fn warm_up() {
    let _ = diagnose("error=invalid_scope", &Options::default());
    similar::warm_up(Kb::get());
}

/// Up to this length a pasted text is also read with its line breaks as spaces.
const MAX_JOINED: usize = 32 * 1024;

/// Diagnoses pasted text. Never panics, whatever the input.
pub fn diagnose(text: &str, options: &Options) -> Diagnosis {
    // Nothing to read: the page's first render asks this, before any index is built.
    if text.trim().is_empty() {
        return Diagnosis {
            notes: vec![NOTHING_PASTED.into()],
            ..Diagnosis::default()
        };
    }
    let kb = Kb::get();
    // A whole log: read the lines around OAuth signals (offsets are kept).
    let focused = focus::focus(text);
    let text = focused.as_ref().map_or(text, |f| f.text.as_str());
    let mut x = extract::extract(text);
    // Where a console cut the lines at its width, found once for the extraction
    // and the glued copy below.
    let breaks = (text.len() <= MAX_JOINED && text.contains('\n'))
        .then(|| console_breaks(text))
        .flatten();
    // A console cut a value inside a word (`error_description=The%20req\nuest...`,
    // `"invalid_c\nlient"`): what the lines say read whole again.
    if let Some((uncut, removed)) = breaks.as_deref().and_then(|b| uncut_copy(text, b)) {
        x.add_uncut(extract::extract(&uncut), &removed);
    }

    // The haystack: the text, then every decoded description on a line of its own,
    // so that URL- or JSON-encoded messages match as well.
    let mut hay_text = String::with_capacity(text.len() + 256);
    hay_text.push_str(text);
    let mut segments: Vec<(usize, Span)> = Vec::new();
    for f in &x.fields {
        if matches!(
            f.key.as_str(),
            "error_description" | "error_hint" | "message"
        ) {
            hay_text.push('\n');
            segments.push((hay_text.len(), f.span));
            hay_text.push_str(&f.value);
        }
    }
    // A structured log's message and error, as the one sentence older versions
    // printed (`msg="failed to authenticate" err="..."`).
    let mut logged_at: Vec<usize> = Vec::new();
    // Only what starts in the message is read there: the error alone is in the
    // text already, and after the `: ` it would open a sentence it does not.
    let mut log_errors: Vec<(usize, usize)> = Vec::new();
    for m in extract::log_messages(text) {
        hay_text.push('\n');
        let at = hay_text.len();
        segments.push((at, m.span));
        logged_at.push(at);
        hay_text.push_str(&m.text);
        log_errors.push((at + m.err_at, hay_text.len()));
    }
    // A message hard-wrapped over several lines (a terminal, an email, a wrapped
    // log) matches on a copy with the line breaks made spaces; same offsets.
    let joined_at = (text.len() <= MAX_JOINED && text.contains('\n')).then(|| {
        hay_text.push('\n');
        let at = hay_text.len();
        hay_text.extend(
            text.chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        );
        at
    });
    // A console cuts a long line at its width, inside a word as well: a copy glues
    // the lines back where it did (same offsets).
    let glued_at = joined_at.and(breaks.as_deref()).map(|breaks| {
        hay_text.push('\n');
        let at = hay_text.len();
        push_glued(&mut hay_text, text, breaks);
        at
    });
    let hay = Normalized::new(&hay_text);
    let mut hits = Matcher::get().find(&hay, &hay_text, &log_errors);
    let input_span = |h: &Hit| -> Span {
        let (s, e) = hay.original_span(h.start, h.end);
        if s < text.len() {
            Span(s, e.min(text.len()))
        } else if let Some(at) = glued_at.filter(|&at| s >= at) {
            Span((s - at).min(text.len()), (e - at).min(text.len()))
        } else if let Some(at) = joined_at.filter(|&at| s >= at) {
            Span((s - at).min(text.len()), (e - at).min(text.len()))
        } else {
            segments
                .iter()
                .rev()
                .find(|(at, _)| *at <= s)
                .map_or(Span(0, 0), |(_, span)| *span)
        }
    };
    // Part of a template, read in the text as pasted, inside another template's
    // whole match on the joined copy (or a decoded field): no reading at all.
    let whole: Vec<Span> = hits
        .iter()
        .filter(|h| !h.partial)
        .map(&input_span)
        .collect();
    hits.retain(|h| {
        let s = input_span(h);
        !h.partial
            || !whole
                .iter()
                .any(|w| w.0 <= s.0 && s.1 <= w.1 && w.len() > s.len())
    });

    // No code in the text, but the text is a registered code's own description
    // (`The requested scope is invalid, unknown, or malformed.`, RFC 6749 §5.2, which
    // many servers send as is): that code.
    let error = x.error().map(|(code, _)| code).or_else(|| {
        hits.iter()
            .take_while(|h| h.quality >= 0.9)
            .map(|h| &kb.entries[h.entry])
            .find(|e| e.kind == EntryKind::Code)
            .and_then(|e| e.error.as_deref())
            .map(ErrorCode::parse)
    });
    let description = x
        .best("error_description")
        .or_else(|| x.best("message"))
        .or_else(|| x.best("error_hint"))
        .map(|f| f.value.clone());

    // What a matched message quotes in its placeholders (the server's URL, a scope
    // named by its host) is about another product, not the one that wrote it: its
    // markers and hosts do not vote.
    // The same words are read again in the haystack's copies (the joined lines, a
    // decoded description): each place they stand is quoted.
    let quoted: Vec<(usize, usize)> = hits
        .iter()
        .filter(|h| !h.covered && h.quality >= 0.8)
        .flat_map(|h| h.holes.iter().copied())
        .flat_map(|(s, e)| {
            let words = hay.text.get(s..e).filter(|w| w.len() >= 4);
            std::iter::once((s, e)).chain(words.into_iter().flat_map(|w| {
                hay.text
                    .match_indices(w)
                    .take(MAX_QUOTED_COPIES)
                    .map(|(at, w)| (at, at + w.len()))
            }))
        })
        .collect();
    let phrases = Phrases::get(kb);
    let vendor = detect_vendor(kb, &x, &hits, error.as_ref(), &hay, &quoted, &logged_at);
    let blamed = blamed_scopes(&hits);
    let (scopes, scopes_span) = scope_string(&x, &hits, vendor.as_deref(), &blamed);

    let mut requested: Vec<String> = scopes.tokens.clone();
    requested.retain(|t| !blamed.contains(t));
    let mentioned = mentioned_scopes(kb, &hay.text);
    let signals = ScopeSignals {
        blamed: blamed.clone(),
        requested,
        mentioned,
    };
    // Words inside the code's name are not words of the text: `grant_type` inside
    // `unsupported_grant_type` says nothing about which of its causes it is (the
    // whole code, listed as a word, still counts).
    let code_spans: Vec<(usize, usize)> = error.as_ref().map_or(Vec::new(), |code| {
        hay.text
            .match_indices(code.as_str())
            .map(|(at, c)| (at, at + c.len()))
            .collect()
    });
    // Nor are the words of a registered code's own description (RFC 6749's `The
    // requested scope is invalid, unknown, malformed, or exceeds the scope granted
    // by the resource owner.`, which servers send as is): they name every cause of
    // the code, so none of them in particular.
    let mut unsaid = code_spans.clone();
    unsaid.extend(
        hits.iter()
            .filter(|h| kb.entries[h.entry].kind == EntryKind::Code)
            .map(|h| (h.start, h.end)),
    );
    let mut present_words = phrases.words_in(&hay.text, &unsaid);
    if let Some(code) = error.as_ref().filter(|_| !code_spans.is_empty())
        && let Some(w) = phrases.words.iter().find(|w| *w == code.as_str())
        && !present_words.contains(&w.as_str())
    {
        present_words.push(w.as_str());
    }

    let mut ranker = Ranker::default();
    let best_hit = hits.first().map_or(0.0, |h| h.quality);
    // Vendor codes (AADSTS70011) name their entries. Where one of the entries that
    // share a code also matched its template, that entry is the reading of the
    // text and the code only confirms it.
    let code_of = |e: &Entry| x.vendor_codes.iter().find(|vc| e.codes.contains(&vc.code));
    let hit_entries: Vec<usize> = hits.iter().map(|h| h.entry).collect();
    // A vendor's words inside the specification's sentence do not make it theirs.
    let any_message_hit = message_hit(kb, &hits);
    // Vendor templates, best occurrence per entry.
    let mut seen_entries: Vec<usize> = Vec::new();
    for h in &hits {
        if seen_entries.contains(&h.entry) {
            continue;
        }
        seen_entries.push(h.entry);
        let entry = &kb.entries[h.entry];
        let mut bonus = if entry.vendor.is_some() && entry.vendor == vendor {
            0.04
        } else {
            0.0
        };
        if code_of(entry).is_some() {
            bonus += 0.08;
        }
        // Where two vendors write the same words, the one whose error code the
        // text carries is the reading (Better Auth's `invalid_redirect`).
        if entry.kind == EntryKind::Message
            && let (Some(code), Some(e)) = (entry.error.as_deref(), error.as_ref())
            && code == e.as_str()
        {
            bonus += 0.02;
        }
        // The specifications' own sentences are copied by many servers: weaker
        // evidence than a vendor's own wording, and weaker still beside it (fosite
        // appends its hint to the registry's description).
        // A message read inside a longer template's match (ZITADEL's `The
        // "device_code" has expired.` inside RFC 8628's sentence) is no more than
        // the text that covers it.
        let weight = match entry.kind {
            EntryKind::Code if any_message_hit => 0.6,
            EntryKind::Code => 0.75,
            _ if h.covered => 0.75,
            _ => 1.0,
        };
        let template = &entry.templates[h.template];
        let ev = Evidence {
            what: if h.partial {
                format!(
                    "matches part of {} (the rest is cut off or reworded): \"{}\"",
                    describe_entry(kb, entry),
                    template
                )
            } else {
                format!("matches {}: \"{}\"", describe_entry(kb, entry), template)
            },
            span: Some(input_span(h)),
        };
        ranker.add_entry(
            entry,
            h.quality * weight + bonus,
            ev,
            &signals,
            &present_words,
            &scopes,
        );
    }
    // A code and a short description that an entry writes as its template
    // (`unauthorized_client: Unauthorized`, Google's refresh answer), found as the
    // text's error and description however it printed them.
    if let (Some(code), Some(description)) = (&error, x.best("error_description")) {
        for &i in described_pair(kb, &x, error.as_ref()) {
            // The detected vendor's pair, or where nothing names a vendor and no
            // message matched: short words, any server's beside another's.
            let entry_vendor = kb.entries[i].vendor.as_deref();
            let fits = match vendor.as_deref() {
                Some(v) => entry_vendor == Some(v),
                None => !any_message_hit,
            };
            if seen_entries.contains(&i) || !fits {
                continue;
            }
            seen_entries.push(i);
            let entry = &kb.entries[i];
            let ev = Evidence {
                what: format!(
                    "{code} with the description \"{}\" matches {}",
                    description.value.trim(),
                    describe_entry(kb, entry)
                ),
                span: Some(description.span),
            };
            ranker.add_entry(entry, 0.9, ev, &signals, &present_words, &scopes);
        }
    }
    // A reading covered by a longer template (Keycloak's `Invalid scopes: {scopes}`
    // inside Slack's `Invalid permissions requested Invalid scopes: ...`) ranks
    // under the reading that covers it, whatever its causes' weights.
    for h in hits.iter().filter(|h| h.covered) {
        if let Some(by) = h.cover
            && !hits.iter().any(|o| o.entry == h.entry && !o.covered)
        {
            ranker.cap_under(&kb.entries[h.entry], &kb.entries[by]);
        }
    }
    for vc in &x.vendor_codes {
        let sharing: Vec<usize> = (0..kb.entries.len())
            .filter(|&i| kb.entries[i].codes.contains(&vc.code))
            .collect();
        let any_hit = sharing.iter().any(|i| hit_entries.contains(i));
        for &i in sharing.iter().filter(|i| !hit_entries.contains(i)) {
            let ev = Evidence {
                what: format!("vendor code {}", vc.code),
                span: Some(vc.span),
            };
            let quality = if any_hit { 0.55 } else { 0.85 };
            ranker.add_entry(
                &kb.entries[i],
                quality,
                ev,
                &signals,
                &present_words,
                &scopes,
            );
        }
    }
    // The error code: the registered code's entry, and vendor entries that explain
    // the code without a message of their own.
    if let Some(code) = &error {
        let field = x.error().map(|(_, f)| f.span);
        let ev = Evidence {
            what: format!("error code {code}"),
            span: field,
        };
        let base = if best_hit >= 0.6 { 0.4 } else { 0.62 };
        if let Some(entry) = kb.code_entry(code.as_str()) {
            ranker.add_entry(entry, base, ev.clone(), &signals, &present_words, &scopes);
        }
        // A vendor's own code (`invalid_code`) names its entries; a registered code
        // only the detected vendor's entries that explain the bare code.
        // One whose own words the text does not carry, beside another description
        // (`unauthorized: Email address has not been verified.` is no `user is
        // blocked`), is the less likely reading of that code.
        let described = x.best("error_description").is_some();
        for (i, entry) in kb.entries.iter().enumerate().filter(|(_, e)| {
            e.kind == EntryKind::Message
                && e.names_error(code.as_str())
                && (!code.is_registered()
                    || (e.vendor == vendor && e.templates.is_empty() && e.codes.is_empty()))
        }) {
            let own = if entry.vendor.is_some() && entry.vendor == vendor {
                0.04
            } else {
                0.0
            };
            let unsaid =
                if described && !entry.templates.is_empty() && !hits.iter().any(|h| h.entry == i) {
                    0.1
                } else {
                    0.0
                };
            ranker.add_entry(
                entry,
                base + 0.06 + own - unsaid,
                ev.clone(),
                &signals,
                &present_words,
                &scopes,
            );
        }
    }
    // A description that is itself a code (Cognito's hosted UI:
    // `error_description=invalid_scope&error=invalid_request`, or its own
    // `redirect_mismatch`): the finer code, and the entries that answer it.
    if let Some((d, finer)) = description_code(kb, &x)
        && error.as_ref() != Some(&finer)
    {
        let ev = Evidence {
            what: format!("the description is the code {finer}"),
            span: Some(d.span),
        };
        let base = if best_hit >= 0.6 { 0.45 } else { 0.67 };
        if let Some(entry) = kb.code_entry(finer.as_str()) {
            ranker.add_entry(entry, base, ev.clone(), &signals, &present_words, &scopes);
        }
        for entry in kb
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Message && !finer.is_registered())
            .filter(|e| e.names_error(finer.as_str()))
        {
            ranker.add_entry(
                entry,
                base + 0.06,
                ev.clone(),
                &signals,
                &present_words,
                &scopes,
            );
        }
    }
    // A scope string with problems and nothing else to go on (`oauth-doctor` fed a
    // scope string alone): the malformed-scope cause of invalid_scope.
    if ranker.is_empty()
        && scopes
            .problems
            .iter()
            .any(|p| p.severity == Severity::Error)
        && let Some(entry) = kb.code_entry("invalid_scope")
    {
        let ev = Evidence {
            what: "the scope string breaks RFC 6749 §3.3".into(),
            span: scopes_span,
        };
        ranker.add_entry(entry, 0.4, ev, &signals, &present_words, &scopes);
    }

    // The very scope the server names is malformed (`'openid,email'`, a look-alike
    // letter): no client configuration can allow it, so the string is the cause.
    let blamed_malformed = scopes.tokens.iter().enumerate().any(|(i, t)| {
        blamed.contains(t)
            && scopes.problems.iter().any(|p| {
                p.severity >= Severity::Warning
                    && MALFORMED_KINDS.contains(&p.kind)
                    && scopes.token_spans[i].0 <= p.span.0
                    && p.span.0 < scopes.token_spans[i].1
            })
    });
    if blamed_malformed {
        let ev = Evidence {
            what: "the scope the message names breaks RFC 6749 §3.3".into(),
            span: scopes_span,
        };
        // A reading of the code already offers the cause: it goes first. Where
        // none does, the registry's cause joins, under a vendor's own reading.
        if !ranker.boost("scope.malformed", 0.5, &ev)
            && let Some(entry) = kb.code_entry("invalid_scope")
        {
            ranker.add_entry(entry, 0.5, ev.clone(), &signals, &present_words, &scopes);
            ranker.boost("scope.malformed", 0.35, &ev);
        }
    }

    // A code with words no template knows (`invalid_client Invalid redirect_uri`):
    // a topic those words name is likelier than the code's other causes, and one
    // the code does not list is the likelier reading still.
    if hits.is_empty() && error.is_some() && !ranker.is_empty() {
        let words = match x.best("error_description") {
            Some(d) => normalize(&d.value),
            None => hay.text.clone(),
        };
        for (e, c, w) in phrases.topics_in(&words, true) {
            let cause = &kb.entries[e].causes[c];
            let ev = Evidence {
                what: format!("the text speaks of \"{w}\""),
                span: None,
            };
            if !ranker.boost(&cause.tag, 0.1, &ev) {
                ranker.add_cause(&kb.entries[e], cause, 0.56, ev);
            }
        }
    }

    // A wrapper whose placeholder holds words no template reads (`SDK auth failed:
    // The provided redirect_uris are not registered for this client.`): a topic
    // those words name is the likelier reading than the wrapper's own causes.
    let mut wrapped_topics: Vec<(usize, usize)> = Vec::new();
    for o in hits.iter().filter(|o| !o.covered) {
        if hits
            .iter()
            .any(|h| h.entry != o.entry && o.holds_words(h, &hay.text))
        {
            continue;
        }
        // What a placeholder for prose holds (`{detail}`, `{message}`), not a list
        // of values (`Supported methods: {methods}` names every method there is).
        for (_, value) in o.captures.iter().filter(|(name, value)| {
            PROSE_PLACEHOLDERS.contains(&name.as_str()) && value.split_whitespace().count() >= 3
        }) {
            let wrapper = &kb.entries[o.entry];
            for (te, tc, w) in phrases.topics_in(&normalize(value), false) {
                let ev = Evidence {
                    what: format!("the message's detail speaks of \"{w}\""),
                    span: Some(input_span(o)),
                };
                let cause = &kb.entries[te].causes[tc];
                // The wrapper's own cause for that topic (OmniAuth's
                // `invalid_credentials` around `redirect_uri_mismatch`) says more
                // than the topic's generic one: it leads.
                if let Some(own) = wrapper.causes.iter().find(|c| c.tag == cause.tag) {
                    ranker.add_cause(wrapper, own, o.quality, ev);
                    continue;
                }
                ranker.add_cause(&kb.entries[te], cause, 0.8 * o.quality, ev);
                wrapped_topics.push((o.entry, te));
            }
            // A registered code inside the detail (Dex's `Failed to authenticate:
            // invalid_scope: ...`): the code's causes are the reading, the
            // wrapper's own (its connector settings) the less likely one; unless
            // the wrapper tells that code's causes itself (ASP.NET Core's `OAuth
            // token endpoint failure: ... {"error":"invalid_grant"}`).
            if let Some(code) = error.as_ref().filter(|c| c.is_registered())
                && wrapper.error.as_deref() != Some(code.as_str())
                && let Some(ci) = kb.code_entry_index(code.as_str())
                && !kb.entries[ci]
                    .causes
                    .iter()
                    .any(|c| wrapper.causes.iter().any(|w| w.tag == c.tag))
                && value
                    .match_indices(code.as_str())
                    .any(|(at, c)| is_whole_word(value, at, at + c.len()))
            {
                let ev = Evidence {
                    what: format!("the message's detail carries the code {}", code.as_str()),
                    span: Some(input_span(o)),
                };
                ranker.add_entry(
                    &kb.entries[ci],
                    0.8 * o.quality,
                    ev,
                    &signals,
                    &present_words,
                    &scopes,
                );
                wrapped_topics.push((o.entry, ci));
            }
        }
    }

    // A metadata URL that failed (`404 Not Found for url '.../.well-known/oauth-
    // authorization-server'`, an HTML page where its JSON was expected): discovery
    // is what broke, whatever else the text says. RFC 9728's document reads as the
    // MCP server's missing metadata, RFC 8414's and OpenID Connect's as the
    // authorization server's.
    if let Some((path, ev)) = failed_metadata_url(text) {
        let id = if path.contains("oauth-protected-resource") {
            "mcp-sdk.no-protected-resource-metadata"
        } else {
            "mcp-sdk.as-metadata-http-error"
        };
        if !ranker.boost("discovery.misconfigured", METADATA_FAILURE_BOOST, &ev)
            && let Some(entry) = kb.entry(id)
        {
            ranker.add_entry(entry, 0.8, ev, &signals, &present_words, &scopes);
        }
    }

    // Nothing matched, no code, but a token endpoint answered 401 on its line
    // (`error sending POST request to .../protocol/openid-connect/token: 401
    // Unauthorized`): RFC 6749 §5.2 answers a client that failed to authenticate
    // with 401, so that is the reading.
    if ranker.is_empty()
        && error.is_none()
        && let Some(ev) = token_endpoint_401(text)
        && let Some(entry) = kb.code_entry("invalid_client")
    {
        ranker.add_entry(entry, 0.6, ev, &signals, &present_words, &scopes);
    }

    // Nothing matched, no code: a plain mention of the topic (`redirect URI`,
    // `code_verifier`, `client secret`) still says where to look, weakly.
    if ranker.is_empty() {
        for (e, c, w) in phrases.topics_in(&hay.text, true) {
            let entry = &kb.entries[e];
            let ev = Evidence {
                what: format!("no known message matched; the text speaks of \"{w}\""),
                span: None,
            };
            ranker.add_entry(entry, 0.3, ev.clone(), &signals, &present_words, &scopes);
            ranker.boost(&entry.causes[c].tag, 0.15, &ev);
        }
    }

    // Nothing read it at all, though it speaks of a login: the known messages whose
    // words it shares most (another product's words for the same fault) offer their
    // causes, ranked under anything a topic would have said and called a guess.
    if ranker.is_empty() && similar::speaks_oauth(&hay.text) {
        let near = similar::nearest(kb, &hay.text);
        for (tag, vote, n) in similar::votes(kb, &near).into_iter().take(3) {
            let like = &kb.entries[n.entry];
            let ev = Evidence {
                what: format!(
                    "no known message matched; a guess from the nearest known message, {}: \"{}\"",
                    describe_entry(kb, like),
                    like.templates[n.template]
                ),
                span: None,
            };
            let score = SIMILAR_SCORE + SIMILAR_VOTE * vote.min(1.0);
            // The registered code's cause for that tag says it without another
            // product's steps; the near message's own where no code has one.
            if let Some((entry, cause)) = code_cause(kb, &tag) {
                ranker.add_cause(entry, cause, score, ev);
            } else if let Some(cause) = like.causes.iter().find(|c| c.tag == tag) {
                ranker.add_cause(like, cause, score, ev);
            }
        }
    }

    // A refusal that blames `offline_access` alone (`Invalid scope: offline_access`,
    // no code or `invalid_scope`, read as a scope the client may not have or the
    // server does not know) is about refresh tokens: where no cause says so (the
    // message's entry has none, and no code brought the registered one), the
    // registered code's is read first. Not where the message is about more than the
    // scope (a refresh asking for more, a token without it, a response type).
    let offline_only = !signals.blamed.is_empty()
        && signals
            .blamed
            .iter()
            .all(|t| scope::OFFLINE_SCOPES.contains(&t.as_str()));
    if offline_only
        && error.as_ref().is_none_or(|c| c.as_str() == "invalid_scope")
        && let Some((best, tag)) = ranker.best()
        && matches!(tag, "scope.not-allowed-for-client" | "scope.unknown")
        && !ranker.has_tag("scope.offline-access-rejected")
        && let Some(entry) = kb.code_entry("invalid_scope")
        && let Some(cause) = entry
            .causes
            .iter()
            .find(|c| c.tag == "scope.offline-access-rejected")
    {
        let ev = Evidence {
            what: format!(
                "the message blames {} alone, the scope that asks for a refresh token",
                signals.blamed[0]
            ),
            span: None,
        };
        ranker.add_cause(entry, cause, best + 0.01, ev);
    }

    if let Some(m) = &options.metadata {
        metadata_evidence(kb, m, &signals, &mut ranker, &present_words, &scopes);
    }

    // A vendor's wrapper (`An error occurred while attempting to decode the Jwt:
    // {detail}`) ranks under the vendor message its placeholder holds, whatever the
    // code and the words add to it: not under the specification's own sentence, nor
    // under a library's words inside a service's (Dex's `github: failed to get
    // token: {detail}` says more than Go's `server response missing access_token`).
    let library = |e: &Entry| {
        e.vendor
            .as_deref()
            .and_then(|v| kb.vendor(v))
            .is_some_and(|v| v.library)
    };
    for o in &hits {
        let outer = &kb.entries[o.entry];
        for h in hits.iter().filter(|h| {
            let inner = &kb.entries[h.entry];
            h.entry != o.entry
                && !h.covered
                && inner.kind == EntryKind::Message
                && (inner.vendor == outer.vendor || !library(inner))
                && o.holds_words(h, &hay.text)
        }) {
            ranker.cap_under(&kb.entries[o.entry], &kb.entries[h.entry]);
        }
    }

    // An error chain (`Error: failed to handle OAuth callback` / `Caused by:` /
    // `OAuth token exchange failed: ...`, as Rust's anyhow and Java print them):
    // each cause says more than the context above it.
    let chain_links: Vec<usize> = hay
        .text
        .match_indices("caused by:")
        .map(|(i, _)| i)
        .take(64)
        .collect();
    if !chain_links.is_empty() {
        for o in hits.iter().filter(|o| !o.covered) {
            for h in hits.iter().filter(|h| {
                !h.covered
                    && h.entry != o.entry
                    && h.start > o.end
                    && h.start - o.end <= CHAIN_GAP
                    && chain_links.iter().any(|&i| o.end <= i && i < h.start)
            }) {
                ranker.cap_under(&kb.entries[o.entry], &kb.entries[h.entry]);
            }
        }
    }

    for &(wrapper, topic) in &wrapped_topics {
        ranker.cap_under(&kb.entries[wrapper], &kb.entries[topic]);
    }

    // Which grant failed: a paste that speaks of refreshing and never of a code
    // exchange (`failed to refresh identity: ... "invalid_grant"`) had its refresh
    // token refused, whatever message the server wraps it in.
    if let Some(word) = grant_exchanged(&hay.text) {
        let ev = Evidence {
            what: format!("the text speaks of \"{word}\""),
            span: None,
        };
        let tag = if word.contains("refresh") {
            "grant.refresh-invalid"
        } else {
            "grant.code-invalid"
        };
        ranker.boost(tag, GRANT_CONTEXT_BOOST, &ev);
    }

    let context = FillContext::new(&x, &blamed, &scopes, text);
    let causes = ranker.finish(kb, vendor.as_deref(), &context);

    let mut notes = Vec::new();
    if text.trim().is_empty() {
        notes.push(NOTHING_PASTED.into());
    } else if error.is_none() && causes.is_empty() && x.jwts.is_empty() {
        notes.push(
            "no OAuth or OpenID Connect error was found in this text: paste the error response, \
             the redirect URL or the log line that holds it"
                .into(),
        );
    }
    if let Some(f) = &focused {
        notes.push(format!(
            "a long paste ({} KB, {} lines): the {} lines around OAuth signals were read in full, \
             the rest skipped",
            text.len() / 1024,
            f.lines_total,
            f.lines_read
        ));
    }
    if !x.jwts.is_empty() {
        notes.push("tokens are decoded without verifying their signature: treat their claims as unverified".into());
    }

    let matches = hits
        .iter()
        .map(|h| {
            let entry = &kb.entries[h.entry];
            TemplateMatch {
                entry: entry.id.clone(),
                template: entry.templates[h.template].clone(),
                quality: round2(h.quality),
                span: input_span(h),
                captures: h.captures.clone(),
            }
        })
        .collect();

    let jwts = x
        .jwts
        .iter()
        .map(|j| JwtReport {
            expires_in: j.claims.exp.zip(options.now).map(|(exp, now)| exp - now),
            jwt: j.clone(),
        })
        .collect();

    Diagnosis {
        error_spec: error.as_ref().and_then(ErrorCode::spec),
        error,
        error_description: description,
        error_uri: x.best("error_uri").map(|f| f.value.clone()),
        vendor_name: vendor.as_deref().and_then(|v| kb.vendor(v)).map(|v| {
            if v.library {
                // Its words, not the server's: the service it talked to was not named.
                format!(
                    "{} (a library your side runs; the server is not named)",
                    v.name
                )
            } else {
                v.name.clone()
            }
        }),
        vendor,
        vendor_codes: x.vendor_codes.iter().map(|v| v.code.clone()).collect(),
        vendor_code_spans: x.vendor_codes.iter().map(|v| v.span).collect(),
        // An empty token a message names counted as evidence; it is no scope to show.
        blamed_scopes: blamed.into_iter().filter(|s| !s.is_empty()).collect(),
        scopes,
        scopes_span,
        causes,
        matches,
        resource_server: x.www_authenticate,
        fields: x.fields,
        jwts,
        secrets: x.secrets,
        notes,
    }
}

/// Whether a vendor's message (not the specification's sentence, nor a reading
/// inside a longer one) was found.
fn message_hit(kb: &Kb, hits: &[Hit]) -> bool {
    hits.iter().any(|h| is_message_hit(kb, h))
}

/// Whether `h` reads a vendor's message whole (not the specification's sentence,
/// nor a reading inside a longer one).
fn is_message_hit(kb: &Kb, h: &Hit) -> bool {
    !h.covered && kb.entries[h.entry].kind == EntryKind::Message
}

/// The entries whose template is the text's error code with its short description
/// (`unauthorized_client: Unauthorized`), however the text printed the pair.
fn described_pair<'k>(kb: &'k Kb, x: &Extraction, error: Option<&ErrorCode>) -> &'k [usize] {
    match (error, x.best("error_description")) {
        (Some(code), Some(d)) => kb.pair_entries(code.as_str(), &d.value),
        _ => &[],
    }
}

fn describe_entry(kb: &Kb, e: &Entry) -> String {
    match e.vendor.as_deref().and_then(|v| kb.vendor(v)) {
        Some(v) => format!("{}'s message", v.name),
        None => "the specification's text".into(),
    }
}

/// What a cause the nearest known messages vote for scores: under the topic
/// fallback's 0.3, by how much they agree.
const SIMILAR_SCORE: f32 = 0.2;
const SIMILAR_VOTE: f32 = 0.08;

/// The first registered code's cause with `tag`.
fn code_cause<'k>(kb: &'k Kb, tag: &str) -> Option<(&'k Entry, &'k Cause)> {
    kb.entries
        .iter()
        .filter(|e| e.kind == EntryKind::Code)
        .find_map(|e| e.causes.iter().find(|c| c.tag == tag).map(|c| (e, c)))
}

fn round2(f: f32) -> f32 {
    (f * 100.0).round() / 100.0
}

/// Fields only an OAuth exchange carries (`state`, `scope` or `realm` alone are words
/// any program prints).
const OAUTH_KEYS: &[&str] = &[
    "error",
    "error_description",
    "error_uri",
    "client_id",
    "redirect_uri",
    "response_type",
    "grant_type",
    "resource_metadata",
];

/// The most a library's messages and markers vote for the library: less than a
/// service's host (0.7 in a URL, 0.6 bare) or marker (0.8), enough (0.5) to name
/// the library when alone.
const LIBRARY_VOTE: f32 = 0.55;

/// How far apart a message and the cause under it may stand in an error chain.
const CHAIN_GAP: usize = 2048;

/// Below this many literal bytes (`failed to retrieve client`), a message's words
/// are a few common ones that the server whose URL the paste shows may write too.
const SERVED_WORDS: usize = 32;

/// Where a console cut `text`'s lines at its width: the offsets of the `\n` ending
/// each line as long as the longest (60 characters or more) inside a word that the
/// next line goes on with. `None` where there is no such cut.
fn console_breaks(text: &str) -> Option<Vec<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let line = text[start..i].trim_end_matches('\r');
            lines.push((line.chars().count(), i));
            start = i + 1;
        }
    }
    let width = lines.iter().map(|l| l.0).max()?;
    // A cut splits a word or a token (`applicati|on`, `offline_|access`, `'|scope'`):
    // a record that ends a log line and the timestamp that starts the next are not
    // glued.
    let word = |c: char| c.is_alphanumeric() || "_'\".,:;/-=%&?()[]{}+".contains(c);
    let splits_word = |at: usize| {
        let before = text[..at].trim_end_matches('\r').chars().next_back();
        let after = text[at + 1..].chars().next();
        match (before, after) {
            (Some(b), Some(a)) => word(b) && word(a) && (b.is_ascii_digit() || !a.is_ascii_digit()),
            _ => false,
        }
    };
    let breaks: Vec<usize> = lines
        .iter()
        .filter(|l| l.0 == width && width >= 60 && splits_word(l.1))
        .map(|l| l.1)
        .collect();
    (!breaks.is_empty()).then_some(breaks)
}

/// `text` without the line breaks of `breaks` that cut a value (for the
/// extraction), and the offsets it left out, sorted. One line as long as the
/// longest is weak evidence of a console (a request line above a shorter JSON
/// body): alone, it counts only where it splits two letters or digits.
fn uncut_copy(text: &str, breaks: &[usize]) -> Option<(String, Vec<usize>)> {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let cuts: Vec<usize> = breaks
        .iter()
        .copied()
        .filter(|&at| {
            breaks.len() >= 2
                || (alnum(text[..at].trim_end_matches('\r').chars().next_back())
                    && alnum(text[at + 1..].chars().next()))
        })
        .collect();
    if cuts.is_empty() {
        return None;
    }
    let mut removed = Vec::new();
    let mut uncut = String::with_capacity(text.len());
    let mut from = 0;
    for at in cuts {
        let end = if text[..at].ends_with('\r') {
            at - 1
        } else {
            at
        };
        uncut.push_str(&text[from..end]);
        removed.extend(end..=at);
        from = at + 1;
    }
    uncut.push_str(&text[from..]);
    Some((uncut, removed))
}

/// Appends `text` with each line break of `breaks` (and the `\r` before it) made a
/// control character, which normalising drops, so the cut word reads whole again.
/// Only the lines around a cut are copied; the others become as many blanks as
/// they have bytes, which keeps the offsets and normalise to almost nothing.
fn push_glued(out: &mut String, text: &str, breaks: &[usize]) {
    let cut = |i: usize| breaks.binary_search(&i).is_ok();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let ends_cut = line.ends_with('\n') && cut(start + line.len() - 1);
        if ends_cut || (start > 0 && cut(start - 1)) {
            let body = line.trim_end_matches(['\n', '\r']);
            out.push_str(body);
            let rest = &line[body.len()..];
            if ends_cut {
                out.extend(rest.chars().map(|_| '\0'));
            } else {
                out.push_str(rest);
            }
        } else {
            out.extend(line.chars().flat_map(|c| {
                let fill = if c == '\n' { '\n' } else { ' ' };
                std::iter::repeat_n(fill, c.len_utf8())
            }));
        }
        start += line.len();
    }
}

/// Placeholders that hold a sentence of prose (what a wrapper says went wrong).
const PROSE_PLACEHOLDERS: &[&str] = &[
    "detail",
    "details",
    "message",
    "msg",
    "reason",
    "error",
    "err",
    "body",
    "description",
    "cause",
    "why",
    "text",
    "response",
];

/// Votes for the vendor: template hits, vendor codes, markers and hosts.
fn detect_vendor(
    kb: &Kb,
    x: &Extraction,
    hits: &[Hit],
    error: Option<&ErrorCode>,
    hay: &Normalized,
    quoted: &[(usize, usize)],
    logged_at: &[usize],
) -> Option<String> {
    let phrases = Phrases::get(kb);
    // The literal words of each message found, as spans of the haystack (its
    // placeholders' holes are the paste's own text, which may be another
    // product's). A marker among another vendor's words is that vendor's message:
    // rmcp's `Dynamic client registration not supported` holds VS Code's marker.
    let words: Vec<(usize, usize, usize)> = hits
        .iter()
        .filter(|h| !h.covered)
        .filter_map(|h| {
            let v = kb.entries[h.entry].vendor.as_deref()?;
            let i = kb.vendors.iter().position(|x| x.id == v)?;
            Some((i, h))
        })
        .flat_map(|(i, h)| {
            let mut cuts = h.holes.clone();
            cuts.sort_unstable();
            let mut spans = Vec::new();
            let mut at = h.start;
            for (s, e) in cuts {
                if s > at {
                    spans.push((i, at, s));
                }
                at = at.max(e);
            }
            if h.end > at {
                spans.push((i, at, h.end));
            }
            spans
        })
        .collect();
    // By its words, not its place: the haystack repeats decoded descriptions.
    let foreign = |v: usize, s: usize, e: usize| {
        let marker = &hay.text[s..e];
        words
            .iter()
            .any(|&(w, ws, we)| w != v && hay.text.get(ws..we).is_some_and(|t| t.contains(marker)))
    };
    let markers = phrases.markers_in(&hay.text, quoted, foreign);
    let marked = vendors_of(markers.iter().copied());
    // A server's marker outside a URL (an SDK's error domain, a server's logger)
    // says that server wrote the text; inside a URL it may be a client's own
    // address (`https://claude.ai/api/mcp/auth_callback?error=...`).
    let in_url = |at: usize| {
        let token = hay.text[..at]
            .rfind(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .map_or(0, |i| i + 1);
        hay.text[token..at].contains("://")
    };
    let marked_bare = vendors_of(markers.into_iter().filter(|&(_, at)| !in_url(at)));
    let bare_hosts = phrases.bare_hosts_in(&hay.text, quoted);
    let quoted: Vec<Span> = quoted
        .iter()
        .map(|&(s, e)| {
            let (s, e) = hay.original_span(s, e);
            Span(s, e)
        })
        .collect();
    let mut votes: HashMap<&str, f32> = HashMap::new();
    // A vendor's own error code (`incorrect_client_credentials`), or one given as
    // the description (Cognito's `redirect_mismatch`), names its vendor.
    let own_codes = error
        .filter(|c| !c.is_registered() && !is_reason_phrase(c.as_str()))
        .cloned()
        .into_iter()
        .chain(
            description_code(kb, x)
                .map(|(_, c)| c)
                .filter(|c| !c.is_registered()),
        );
    for code in own_codes {
        let mut owners: Vec<&str> = kb
            .entries
            .iter()
            .filter(|e| e.names_error(code.as_str()))
            .filter_map(|e| e.vendor.as_deref())
            .collect();
        owners.dedup();
        if let [only] = owners.as_slice() {
            *votes.entry(only).or_default() += 0.7;
        }
    }
    // A URL's host names a vendor only in a paste about OAuth (an error, a known
    // message, an OAuth parameter, a token): a log or a source file full of
    // `https://github.com/...` links is not GitHub's error.
    let about_oauth = error.is_some()
        || !hits.is_empty()
        || x.fields
            .iter()
            .any(|f| OAUTH_KEYS.contains(&f.key.as_str()))
        || !x.vendor_codes.is_empty()
        || !x.jwts.is_empty();
    // A URL a library's message names as the one it called (the browser's `Access
    // to fetch at '{url}' ... blocked by CORS policy`) is the server's, even inside
    // the message: the server that answered is the product the paste is about.
    let called_urls: Vec<&str> = hits
        .iter()
        .filter(|h| !h.covered)
        .filter(|h| {
            kb.entries[h.entry]
                .vendor
                .as_deref()
                .and_then(|v| kb.vendor(v))
                .is_some_and(|v| v.library)
        })
        .flat_map(|h| h.captures.iter())
        .filter(|(name, _)| name == "url")
        .map(|(_, value)| value.as_str())
        .collect();
    let called = |host: &str| called_urls.iter().any(|u| u.contains(host));
    // Each vendor's vote by the URLs of its hosts in the paste (index as
    // `kb.vendors`).
    let url_votes: Vec<Option<f32>> = kb
        .vendors
        .iter()
        .map(|vendor: &Vendor| {
            x.hosts
                .iter()
                .filter(|h| about_oauth && vendor.serves_host(&h.host))
                .filter(|h| {
                    called(&h.host) || !quoted.iter().any(|q| q.0 <= h.span.0 && h.span.1 <= q.1)
                })
                // A redirect back to the client names the client, less surely the
                // product that wrote the error it carries.
                .map(|h| if h.callback { 0.5 } else { 0.7 })
                .reduce(f32::max)
        })
        .collect();
    // The server's own URL in the paste (`https://accounts.spotify.com/authorize?...`)
    // is where the request went: a few common words (`Invalid redirect URI`) that
    // another vendor's server also writes do not outvote it. A client's words
    // (`Invalid OAuth error response`) are the client's, whatever server it called.
    let served_by: Vec<&str> = kb
        .vendors
        .iter()
        .enumerate()
        .filter(|&(i, v)| {
            url_votes[i].is_some_and(|q| q > 0.5)
                || (about_oauth && bare_hosts.contains(&i))
                || (marked_bare.contains(&i) && !v.library)
        })
        .map(|(_, v)| v.id.as_str())
        .collect();
    // A client's message that another client wraps (Gemini CLI's `Failed to
    // authenticate with MCP server '{server}': {detail}` around the MCP SDK's
    // `Protected resource ... does not match expected ...`): the wrapping client is
    // the product that printed it. (A server's words that a client relays keep
    // the server's name.)
    let client_side =
        |e: &Entry| !e.endpoints.is_empty() && e.endpoints.iter().all(|x| x == "client");
    let wrapped: Vec<bool> = hits
        .iter()
        .map(|h| {
            let inner = &kb.entries[h.entry];
            client_side(inner)
                && hits.iter().any(|o| {
                    let outer = &kb.entries[o.entry];
                    o.entry != h.entry
                        && !o.covered
                        && outer.vendor.is_some()
                        && outer.vendor != inner.vendor
                        && client_side(outer)
                        && o.holds_words(h, &hay.text)
                })
        })
        .collect();
    // Whether `h` carries the text's `error` field: in a placeholder, or after
    // it on its line.
    let relays_error = |h: &Hit| {
        let line_end = hay.text.get(h.end..).map_or(h.end, |rest| {
            rest.find('\n').map_or(hay.text.len(), |i| h.end + i)
        });
        h.holes.iter().chain([&(h.end, line_end)]).any(|&(s, e)| {
            let (s, e) = hay.original_span(s, e);
            x.fields
                .iter()
                .any(|f| f.key == "error" && s <= f.span.0 && f.span.1 <= e)
        })
    };
    let disagrees = |e: &Entry| {
        error.is_some_and(|c| {
            c.is_registered()
                && e.error
                    .as_deref()
                    .is_some_and(|own| own != c.as_str() && ErrorCode::parse(own).is_registered())
        })
    };
    let mut best_hit: HashMap<&str, f32> = HashMap::new();
    // A first sentence read alone (`Token is expired.`) names its vendor only when
    // no whole template was found.
    let whole = hits.iter().any(|h| !h.covered && !h.shortened);
    for (i, h) in hits
        .iter()
        .enumerate()
        .filter(|(_, h)| !(h.covered || (whole && h.shortened)))
    {
        let entry = &kb.entries[h.entry];
        if let Some(v) = entry.vendor.as_deref() {
            // Where two vendors write the same words, the code beside them tells
            // whose they are.
            let agrees = error.is_some_and(|c| entry.error.as_deref() == Some(c.as_str()));
            let mut vote = h.quality + if agrees { 0.05 } else { 0.0 };
            // A few words another code goes with (Dex's `access_denied` with
            // `Invalid bearer token.`, beside Keycloak's `invalid_grant`) are the
            // other product's.
            if h.matched < matcher::SHORT_TEMPLATE && disagrees(entry) {
                vote = vote.min(0.5);
            }
            // A library's few common words alone (`Token has expired`, `Expired
            // JWT`: a short template's worth) are any product's: they name the
            // library only beside its marker or its longer words.
            let library = kb.vendor(v).is_some_and(|x| x.library);
            if h.matched < matcher::SHORT_TEMPLATE && library {
                vote = vote.min(0.45);
            }
            // A template of a word or two around its placeholders (`{property} must
            // be {values}`) reads many products' sentences: it names its vendor
            // only where nothing else names one.
            if h.matched < matcher::FEW_LITERAL || wrapped[i] {
                vote = vote.min(0.5);
            }
            // Another server's URL in the paste outvotes a server's few words; a
            // client's words stay the client's, unless they carry that server's
            // error (in a placeholder, or after them on their line: `Registration
            // failed: HTTP 400 Bad Request: {"error":...}`).
            if h.matched < SERVED_WORDS
                && !served_by.is_empty()
                && !served_by.contains(&v)
                && (!client_side(entry) || relays_error(h))
            {
                vote = vote.min(0.55);
            }
            // A structured log's own message (`msg="failed to refresh identity"`)
            // is the product that wrote the log: it is the one running, whatever
            // upstream text its `err` carries.
            if !library
                && (logged_at.contains(&hay.original_span(h.start, h.end).0)
                    || logged_message(&hay.text, h.start))
            {
                vote += LOGGER_VOTE;
            }
            let e = best_hit.entry(v).or_default();
            *e = e.max(vote);
        }
    }
    // A code and short description one vendor writes as its template (Auth0's
    // `access_denied: Unauthorized`), printed apart, where nothing else in the text
    // names a product: such short pairs are any server's words beside another's
    // marker or message.
    let own_words = hits.iter().any(|h| {
        is_message_hit(kb, h)
            && !(h.matched < matcher::SHORT_TEMPLATE && disagrees(&kb.entries[h.entry]))
    });
    if !own_words && marked.is_empty() {
        let mut owners: Vec<&str> = described_pair(kb, x, error)
            .iter()
            .filter_map(|&i| kb.entries[i].vendor.as_deref())
            .collect();
        owners.dedup();
        if let [only] = owners.as_slice() {
            let e = best_hit.entry(only).or_default();
            *e = e.max(0.9);
        }
    }
    for (v, q) in best_hit {
        *votes.entry(v).or_default() += q;
    }
    // Words another vendor's longer template also reads (IdentityServer's `Invalid
    // authorization code` inside Spring's `Invalid authorization code: {code}`)
    // count for a vendor whose marker the paste carries: both say it is theirs.
    let mut covered_hit: HashMap<&str, f32> = HashMap::new();
    for h in hits.iter().filter(|h| h.covered && !h.shortened) {
        if let Some(v) = kb.entries[h.entry].vendor.as_deref() {
            let e = covered_hit.entry(v).or_default();
            *e = e.max(h.quality);
        }
    }
    // A code no prefix finds (`OAUTH_APP_ACCESS_DENIED`) names the vendors whose
    // entries list it.
    let literal_owners: Vec<&str> = if x.vendor_codes.is_empty() {
        Vec::new()
    } else {
        kb.entries
            .iter()
            .filter(|e| {
                x.vendor_codes
                    .iter()
                    .any(|c| e.codes.contains(&c.code) && !c.code.contains(char::is_lowercase))
            })
            .filter_map(|e| e.vendor.as_deref())
            .collect()
    };
    for (i, vendor) in kb.vendors.iter().enumerate() {
        let id = vendor.id.as_str();
        if marked.contains(&i) {
            *votes.entry(id).or_default() +=
                0.8 + 0.5 * covered_hit.get(id).copied().unwrap_or(0.0);
        }
        if let Some(vote) = url_votes[i] {
            *votes.entry(id).or_default() += vote;
        } else if about_oauth && bare_hosts.contains(&i) {
            // Its host written outside a URL (`jwt issuer invalid. expected:
            // <tenant>.auth0.com`): a little less than a URL's host.
            *votes.entry(id).or_default() += 0.6;
        }
        if x.vendor_codes.iter().any(|c| vendor.owns_code(&c.code)) || literal_owners.contains(&id)
        {
            *votes.entry(id).or_default() += 0.9;
        }
    }
    // A library's words and markers name the library only where nothing in the
    // paste names the service behind it: under any vote of a host, a marker or a
    // message of the service. So does a product whose message quotes another
    // vendor's coded error in a placeholder (ASP.NET Core's `Message contains
    // error: '...', error_description: 'AADSTS50194: ...'`): it relays what the
    // server wrote, and the code names that server.
    // Between two libraries so capped, the one named more surely goes first (the
    // marker and the longer message of the crate under another library's three
    // words).
    let relaying = relaying_vendors(kb, x, hits, hay);
    votes
        .into_iter()
        .map(|(v, raw)| {
            let capped = if kb.vendor(v).is_some_and(|v| v.library) || relaying.contains(&v) {
                raw.min(LIBRARY_VOTE)
            } else {
                raw
            };
            (v, capped, raw)
        })
        .filter(|&(_, score, _)| score >= 0.5)
        .max_by(|a, b| {
            a.1.total_cmp(&b.1)
                .then(a.2.total_cmp(&b.2))
                .then(b.0.cmp(a.0))
        })
        .map(|(v, _, _)| v.to_string())
}

/// The vendors of messages that hold another vendor's code (`AADSTS...`, found by
/// that vendor's prefix) in one of their placeholders, or, for a message cut short
/// in the paste, in the rest of its line (where its placeholders would have been).
fn relaying_vendors<'k>(
    kb: &'k Kb,
    x: &Extraction,
    hits: &[Hit],
    hay: &Normalized,
) -> Vec<&'k str> {
    let mut out = Vec::new();
    for h in hits.iter().filter(|h| !h.covered) {
        let Some(v) = kb.entries[h.entry].vendor.as_deref() else {
            continue;
        };
        let mut regions: Vec<(usize, usize)> = h
            .holes
            .iter()
            .map(|&(s, e)| hay.original_span(s, e))
            .collect();
        if h.partial {
            let line_end = hay.text.get(h.end..).map_or(h.end, |rest| {
                rest.find('\n').map_or(hay.text.len(), |i| h.end + i)
            });
            regions.push(hay.original_span(h.end, line_end));
        }
        let relays = regions.iter().any(|&(s, e)| {
            x.vendor_codes.iter().any(|c| {
                s <= c.span.0
                    && c.span.1 <= e
                    && kb.vendors.iter().any(|w| w.id != v && w.owns_code(&c.code))
            })
        });
        if relays && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// The scope tokens the matched messages blame, in order, without repeats.
fn blamed_scopes(hits: &[Hit]) -> Vec<String> {
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
fn scope_string(
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

/// Collects cause candidates and keeps the best per tag.
#[derive(Default)]
struct Ranker<'a> {
    candidates: Vec<Candidate<'a>>,
}

struct Candidate<'a> {
    entry: &'a Entry,
    cause: &'a Cause,
    score: f32,
    evidence: Vec<Evidence>,
}

impl<'a> Ranker<'a> {
    fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    /// The best score so far and its cause's tag, if any cause is in.
    fn best(&self) -> Option<(f32, &'a str)> {
        self.candidates
            .iter()
            .max_by(|a, b| a.score.total_cmp(&b.score))
            .map(|c| (c.score, c.cause.tag.as_str()))
    }

    /// Whether a cause of `tag` is in.
    fn has_tag(&self, tag: &str) -> bool {
        self.candidates.iter().any(|c| c.cause.tag == tag)
    }

    /// One cause of an entry, scored as given.
    fn add_cause(&mut self, entry: &'a Entry, cause: &'a Cause, score: f32, ev: Evidence) {
        self.candidates.push(Candidate {
            entry,
            cause,
            score,
            evidence: vec![ev],
        });
    }

    fn add_entry(
        &mut self,
        entry: &'a Entry,
        quality: f32,
        ev: Evidence,
        signals: &ScopeSignals,
        present_words: &[&str],
        scopes: &ScopeAnalysis,
    ) {
        for cause in &entry.causes {
            let mut score = quality * (0.5 + 0.5 * cause.weight);
            // Signals refine a match; they cannot make a weak match strong.
            let scale = quality.min(1.0);
            let mut evidence = vec![ev.clone()];
            if let Some(s) = cause
                .when_scopes
                .iter()
                .find(|s| signals.blamed.contains(s))
            {
                score += 0.18 * scale;
                evidence.push(Evidence {
                    what: format!("the message names the scope {s}"),
                    span: None,
                });
            } else if let Some(s) = cause
                .when_scopes
                .iter()
                .find(|s| signals.requested.contains(s))
            {
                score += 0.1 * scale;
                evidence.push(Evidence {
                    what: format!("the request asks for {s}"),
                    span: None,
                });
            } else if !cause
                .when_scopes
                .iter()
                .any(|s| signals.mentioned.contains(s))
                && !cause.when_scopes.is_empty()
            {
                // The scopes that make this cause likelier are nowhere in the text:
                // between equals, the other reading goes first.
                score -= 0.03 * scale;
            }
            if let Some(w) = cause
                .when_words
                .iter()
                .find(|w| present_words.contains(&normalize(w).as_str()))
            {
                // A registered code's entry has only the text's words to tell its
                // causes apart; a vendor message has its own wording already.
                score += if entry.kind == EntryKind::Code {
                    0.25
                } else {
                    0.12
                } * scale;
                evidence.push(Evidence {
                    what: format!("the text says \"{w}\""),
                    span: None,
                });
            }
            score +=
                scope_problem_boost(&cause.tag, scopes, signals, &mut evidence) * scale.max(0.6);
            self.candidates.push(Candidate {
                entry,
                cause,
                score,
                evidence,
            });
        }
    }

    /// Keeps every candidate of `entry` under the best of `cover`.
    fn cap_under(&mut self, entry: &Entry, cover: &Entry) {
        let Some(top) = self
            .candidates
            .iter()
            .filter(|c| std::ptr::eq(c.entry, cover))
            .map(|c| c.score)
            .reduce(f32::max)
        else {
            return;
        };
        for c in self
            .candidates
            .iter_mut()
            .filter(|c| std::ptr::eq(c.entry, entry))
        {
            c.score = c.score.min(top - 0.01);
        }
    }

    /// Raises every candidate of `tag`; returns whether there was one.
    fn boost(&mut self, tag: &str, amount: f32, ev: &Evidence) -> bool {
        let mut any = false;
        for c in self.candidates.iter_mut().filter(|c| c.cause.tag == tag) {
            c.score += amount;
            if !ev.what.is_empty() && !c.evidence.contains(ev) {
                c.evidence.push(ev.clone());
            }
            any = true;
        }
        any
    }

    fn finish(self, kb: &Kb, vendor: Option<&str>, context: &FillContext) -> Vec<RankedCause> {
        let mut by_tag: Vec<Candidate<'a>> = Vec::new();
        for c in self.candidates {
            match by_tag.iter_mut().find(|b| b.cause.tag == c.cause.tag) {
                Some(b) => {
                    // One cause per tag: the best score, told by the detected
                    // vendor's entry when it has one (its fix is the one that
                    // applies), else by the best-scoring entry.
                    let ours = |e: &Entry| vendor.is_some() && e.vendor.as_deref() == vendor;
                    let take = if ours(c.entry) != ours(b.entry) {
                        ours(c.entry)
                    } else {
                        c.score > b.score
                    };
                    let score = b.score.max(c.score);
                    let mut extra = c.evidence.clone();
                    if take {
                        extra = std::mem::take(&mut b.evidence);
                        b.entry = c.entry;
                        b.cause = c.cause;
                        b.evidence = c.evidence;
                    }
                    b.score = score;
                    for e in extra {
                        if !b.evidence.contains(&e) && b.evidence.len() < 6 {
                            b.evidence.push(e);
                        }
                    }
                }
                None => by_tag.push(c),
            }
        }
        sort::sort_by(&mut by_tag, |a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.cause.weight.total_cmp(&a.cause.weight))
                .then(a.cause.tag.cmp(&b.cause.tag))
        });
        by_tag
            .into_iter()
            .map(|c| {
                let (explanation, fix, steps) = kb.cause_prose(c.entry, c.cause);
                RankedCause {
                    entry: c.entry.id.clone(),
                    tag: c.cause.tag.clone(),
                    title: c.cause.title.clone(),
                    score: round2(c.score.clamp(0.0, 1.0)),
                    explanation: explanation.to_string(),
                    fix: fix.to_string(),
                    spec: c.cause.spec.clone().or_else(|| c.entry.spec.clone()),
                    steps: steps
                        .iter()
                        .filter(|s| {
                            vendor.is_none() || s.vendor.is_none() || s.vendor.as_deref() == vendor
                        })
                        .map(|s| FilledStep {
                            vendor: s.vendor.clone(),
                            text: s.text.clone(),
                            command: s.command.as_deref().map(|cmd| context.fill(cmd)),
                        })
                        .collect(),
                    evidence: c.evidence,
                }
            })
            .collect()
    }
}

/// Scopes the paste names that the server's metadata does not advertise: for
/// `offline_access`, the server does not offer refresh tokens that way; for any
/// other, the server does not know the scope.
fn metadata_evidence<'a>(
    kb: &'a Kb,
    m: &MetadataReport,
    signals: &ScopeSignals,
    ranker: &mut Ranker<'a>,
    present_words: &[&str],
    scopes: &ScopeAnalysis,
) {
    let Some(supported) = &m.scopes_supported else {
        return;
    };
    let named = signals.blamed.iter().chain(&signals.requested);
    for token in named.filter(|t| !t.is_empty() && !supported.contains(t)) {
        let tag = if scope::OFFLINE_SCOPES.contains(&token.as_str()) {
            "scope.offline-access-rejected"
        } else {
            "scope.unknown"
        };
        let ev = Evidence {
            what: format!("the server's metadata does not advertise {token} in scopes_supported"),
            span: None,
        };
        if !ranker.boost(tag, 0.3, &ev)
            && let Some(entry) = kb.code_entry("invalid_scope")
        {
            ranker.add_entry(entry, 0.5, ev, signals, present_words, scopes);
            ranker.boost(
                tag,
                0.3,
                &Evidence {
                    what: String::new(),
                    span: None,
                },
            );
        }
    }
}

/// How much the scope string's own problems support a cause.
/// Scope problems that make the string itself wrong (`scope.malformed`).
const MALFORMED_KINDS: &[ProblemKind] = &[
    ProblemKind::InvalidChar,
    ProblemKind::Lookalike,
    ProblemKind::Delimiter,
    ProblemKind::Case,
    ProblemKind::Typo,
    ProblemKind::Whitespace,
];

fn scope_problem_boost(
    tag: &str,
    scopes: &ScopeAnalysis,
    signals: &ScopeSignals,
    evidence: &mut Vec<Evidence>,
) -> f32 {
    // A message that names one scope and names nothing (`Client was not registered
    // with scope ` and the line ends) blames an empty token: a leading, trailing or
    // double blank in the scope string, not an empty scope parameter.
    let empty_token = signals.blamed.iter().any(String::is_empty);
    if tag == "scope.malformed" && empty_token {
        evidence.push(Evidence {
            what: "the message names an empty scope token: the scope string has a leading, \
                   trailing or double blank (RFC 6749 §3.3)"
                .into(),
            span: None,
        });
        return 0.25;
    }
    let serious = |kinds: &[ProblemKind]| {
        scopes
            .problems
            .iter()
            .find(|p| p.severity >= Severity::Warning && kinds.contains(&p.kind))
    };
    let found = match tag {
        "scope.malformed" => serious(MALFORMED_KINDS),
        // The scope the request or the message shows is empty (Keycloak's
        // `Invalid scopes: ` with nothing after it).
        "scope.missing" if !empty_token => serious(&[ProblemKind::Empty]),
        "scope.offline-access-rejected" | "scope.resource-mismatch" => scopes
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::Vendor && p.severity == Severity::Error)
            .filter(|p| {
                let about_offline = p.message.contains("offline_access");
                (tag == "scope.offline-access-rejected") == about_offline
            }),
        _ => None,
    };
    match found {
        Some(p) => {
            evidence.push(Evidence {
                what: format!("scope problem: {}", p.message),
                span: None,
            });
            0.25
        }
        None => 0.0,
    }
}

/// Values from the paste that fill fix commands.
struct FillContext {
    values: Vec<(&'static str, String)>,
}

impl FillContext {
    fn new(x: &Extraction, blamed: &[String], scopes: &ScopeAnalysis, text: &str) -> FillContext {
        let mut values = Vec::new();
        let field = |k: &str| x.best(k).map(|f| f.value.clone());
        if let Some(v) = field("client_id") {
            values.push(("client_id", v));
        }
        if let Some(v) = blamed.iter().find(|b| !b.is_empty()) {
            values.push(("scope", v.clone()));
        }
        if !scopes.tokens.is_empty() {
            values.push(("scopes", scopes.tokens.join(" ")));
        }
        if let Some(v) = field("iss").or_else(|| x.jwts.iter().find_map(|j| j.claims.iss.clone())) {
            values.push(("issuer", v));
        }
        if let Some(v) = field("redirect_uri") {
            values.push(("redirect_uri", v));
        }
        if let Some(v) = field("resource").or_else(|| field("audience")) {
            values.push(("resource", v));
        }
        if let Some(v) = path_after(text, "/realms/") {
            values.push(("realm", v));
        } else if let Some(v) = field("realm") {
            values.push(("realm", v));
        }
        if let Some(v) = path_after(text, "login.microsoftonline.com/") {
            values.push(("tenant", v));
        }
        FillContext { values }
    }

    /// Replaces each known `{name}` in a command; unknown ones stay visible.
    fn fill(&self, command: &str) -> String {
        let mut out = command.to_string();
        for (name, value) in &self.values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        if command.contains("{scopes}") {
            out = without_repeated_scopes(command, &out);
        }
        out
    }
}

/// A quoted scope list in a filled command names each scope once: a command that
/// adds `openid offline_access` to the requested `{scopes}` must not repeat the
/// ones the request already had (`--scope "openid offline_access openid mcp"`).
/// Only the quoted parts of `template` that hold `{scopes}` are touched, and only
/// where filling added no quote.
fn without_repeated_scopes(template: &str, filled: &str) -> String {
    if template.matches('"').count() != filled.matches('"').count() {
        return filled.to_string();
    }
    let lists: Vec<bool> = template
        .split('"')
        .enumerate()
        .map(|(i, part)| i % 2 == 1 && part.contains("{scopes}"))
        .collect();
    let mut out = String::with_capacity(filled.len());
    for (i, part) in filled.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if lists.get(i).copied().unwrap_or(false) {
            let mut seen: Vec<&str> = Vec::new();
            for token in part.split(' ').filter(|t| !t.is_empty()) {
                if !seen.contains(&token) {
                    seen.push(token);
                }
            }
            out.push_str(&seen.join(" "));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The path segment after `marker` in the text (`/realms/<realm>/`).
fn path_after(text: &str, marker: &str) -> Option<String> {
    let at = text.find(marker)? + marker.len();
    let seg: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!seg.is_empty() && seg.len() < 80).then_some(seg)
}

/// What the refresh-or-code context adds to the cause it names: enough to settle a
/// tie between the two readings of `invalid_grant`, not to outrank a message.
const GRANT_CONTEXT_BOOST: f32 = 0.06;

const REFRESH_WORDS: &[&str] = &[
    "refresh token",
    "refresh_token",
    "refreshtoken",
    "failed to refresh",
    "refreshing",
    "token refresh",
    "refresh failed",
];

const CODE_EXCHANGE_WORDS: &[&str] = &[
    "authorization code",
    "authorization_code",
    "auth code",
    "code exchange",
    "exchange code",
    "exchanging code",
    "code_verifier",
    "code verifier",
    "redeem",
];

/// How much a failed metadata URL adds to a discovery cause already in.
const METADATA_FAILURE_BOOST: f32 = 0.2;

/// How far either side of a URL [`line_around`] reads its line.
const LINE_WINDOW: usize = 2048;

/// The well-known metadata paths whose failure [`failed_metadata_url`] reads.
const METADATA_PATHS: &[&str] = &[
    "/.well-known/oauth-authorization-server",
    "/.well-known/openid-configuration",
    "/.well-known/oauth-protected-resource",
];

/// What, on a metadata URL's line, says that fetching it failed.
const FETCH_FAILURES: &[&str] = &[
    "404",
    "not found",
    "401",
    "403",
    "500",
    "502",
    "503",
    "unexpected token '<'",
    "<!doctype html",
    "is not valid json",
    "failed to fetch",
    "no valid metadata",
];

/// The line around byte `at` of `text`, at most [`LINE_WINDOW`] bytes either side
/// (a megabyte on one line is read around a URL, not whole, for each of its
/// mentions).
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let from = floor_boundary(text, at.saturating_sub(LINE_WINDOW));
    let to = floor_boundary(text, (at + LINE_WINDOW).min(text.len()));
    let start = text[from..at].rfind('\n').map_or(from, |i| from + i + 1);
    let end = text[at..to].find('\n').map_or(to, |i| at + i);
    (start, end)
}

/// The paths a token endpoint ends with, as the products people paste from name it.
const TOKEN_PATHS: &[&str] = &["/token", "/access_token"];

/// What, on a token endpoint's line, says it answered 401.
const TOKEN_401: &[&str] = &["401 unauthorized", "status 401", "(401)", "status code 401"];

/// A token endpoint's URL whose line says it answered 401, with the evidence.
fn token_endpoint_401(text: &str) -> Option<Evidence> {
    TOKEN_PATHS.iter().find_map(|&path| {
        text.match_indices(path).take(16).find_map(|(at, _)| {
            let end_of_path = at + path.len();
            // The path ends there (`/token`, not `/tokens` or `/token/introspect`),
            // and it is a URL's, not prose.
            let after = text[end_of_path..].chars().next();
            if after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '_' | '-' | '.')) {
                return None;
            }
            let (start, end) = line_around(text, at);
            // A URL's path, absolute or from the root, not a word in prose.
            let word_start = text[start..at]
                .rfind([' ', '"', '\'', '('])
                .map_or(start, |i| start + i + 1);
            let url = &text[word_start..at];
            if !(url.is_empty() || url.starts_with('/') || url.contains("://")) {
                return None;
            }
            let line = text[start..end].to_ascii_lowercase();
            TOKEN_401
                .iter()
                .any(|w| line.contains(w))
                .then(|| Evidence {
                    what: format!("the token endpoint ({path}) answered 401 Unauthorized"),
                    span: None,
                })
        })
    })
}

/// The first well-known metadata path in the pasted text whose line also says that
/// fetching it failed, with the evidence to show. Not where the line only points at
/// the document (`resource_metadata="..."` in a `WWW-Authenticate` header).
fn failed_metadata_url(text: &str) -> Option<(&'static str, Evidence)> {
    METADATA_PATHS.iter().find_map(|&path| {
        text.match_indices(path).take(16).find_map(|(at, _)| {
            let (start, end) = line_around(text, at);
            let line = text[start..end].to_ascii_lowercase();
            if line.contains("resource_metadata=") {
                return None;
            }
            let failure = FETCH_FAILURES.iter().find(|f| line.contains(**f))?;
            Some((
                path,
                Evidence {
                    what: format!("fetching {path} failed (\"{failure}\" on its line)"),
                    span: None,
                },
            ))
        })
    })
}

/// The grant a paste says it was exchanging, by its words (normalised, lowercase
/// text): a refresh token when it speaks only of refreshing, a code when it speaks
/// only of a code exchange; neither when it speaks of both or of none.
fn grant_exchanged(text: &str) -> Option<&'static str> {
    let find = |words: &[&'static str]| {
        words.iter().copied().find(|w| {
            text.match_indices(w)
                .any(|(at, _)| is_whole_word(text, at, at + w.len()))
        })
    };
    match (find(REFRESH_WORDS), find(CODE_EXCHANGE_WORDS)) {
        (Some(w), None) | (None, Some(w)) => Some(w),
        _ => None,
    }
}

/// What a vendor's message as a structured log's `msg` adds to its vote: more than
/// the length a longer upstream message inside `err` has over it.
const LOGGER_VOTE: f32 = 0.3;

/// Whether the normalised text at `start` is the value of a structured log's `msg`
/// (`msg="..."`, `msg=...`, `"msg":"..."`).
fn logged_message(hay: &str, start: usize) -> bool {
    let Some(before) = hay.get(..start) else {
        return false;
    };
    let before = before.trim_end_matches(['\'', ' ']);
    before.ends_with("msg=") || before.ends_with("'msg':")
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

/// How many places the words a placeholder holds are looked for in the haystack.
const MAX_QUOTED_COPIES: usize = 8;

/// The description when it is a code itself, registered or a vendor's that the
/// knowledge base knows (`error_description=redirect_mismatch`).
fn description_code<'x>(kb: &Kb, x: &'x Extraction) -> Option<(&'x Field, ErrorCode)> {
    let d = x.best("error_description")?;
    let value = d.value.trim();
    let code = ErrorCode::parse(value);
    (code.is_registered() || (super::kb::looks_like_code(value) && kb.knows_error(value)))
        .then_some((d, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_scope_list_names_each_scope_once() {
        let template = r#"hydra update oauth2-client {client_id} --scope "openid offline_access {scopes}" --name "a a""#;
        assert_eq!(
            without_repeated_scopes(
                template,
                r#"hydra update oauth2-client app --scope "openid offline_access openid mcp:tools" --name "a a""#
            ),
            r#"hydra update oauth2-client app --scope "openid offline_access mcp:tools" --name "a a""#
        );
        // A value that brought a quote of its own leaves the command as filled.
        let odd = r#"hydra update oauth2-client a"b --scope "openid openid" --name "a a""#;
        assert_eq!(without_repeated_scopes(template, odd), odd);
    }

    fn field<'d>(d: &'d Diagnosis, key: &str) -> Vec<&'d str> {
        d.fields
            .iter()
            .filter(|f| f.key == key)
            .map(|f| f.value.as_str())
            .collect()
    }

    #[test]
    fn a_value_cut_by_a_console_is_read_whole() {
        let cut = "https://app.example.com/callback?error=invalid_scope&error_description=Requests+\n\
                   for+ID+tokens+or+access+tokens+with+OpenID+scopes+require+the+%27openid%27+scope\n\
                   .&state=abc123\n";
        let d = diagnose(cut, &Options::default());
        assert_eq!(
            d.error_description.as_deref(),
            Some(
                "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope."
            )
        );
    }

    #[test]
    fn a_long_request_line_above_a_body_is_no_console_cut() {
        let text = "GET /api/auth/mcp/authorize?client_id=claude-code&scope=openid%20profile&resource=https%3A%2F%2Fmcp.example.com%2Fmcp\n\
                    {\"error_description\":\"requested resource invalid\",\"error\":\"invalid_request\"}";
        let d = diagnose(text, &Options::default());
        assert!(field(&d, "resource").contains(&"https://mcp.example.com/mcp"));
        assert!(!field(&d, "resource").iter().any(|r| r.contains('{')));
    }
}
