//! Matches the knowledge base's vendor templates against a paste.
//!
//! A template such as `The OAuth 2.0 Client is not allowed to request scope
//! '{scope}'.` is split into literal pieces and placeholders. The longest literal of
//! every template is found in one pass over the normalised text (Aho-Corasick); from
//! each occurrence the other pieces are matched forwards and backwards, capturing what
//! stands in the placeholders. A template that matches only in part (a vendor that
//! reworded one clause) still counts, for less.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::kb::Kb;
use super::sort;
use super::text::{self, Normalized, normalize};

/// How many bytes of each template's anchor the automaton searches for.
const ANCHOR_PREFIX: usize = 16;

/// How far (normalised bytes) a placeholder may stretch.
const MAX_HOLE: usize = 400;
/// How many occurrences of one anchor are tried.
const MAX_OCCURRENCES: usize = 8;
/// The least literal text a paste that cuts a template short must hold.
const MIN_CUT: usize = 32;
/// Words that, right after a short message, carry its sentence on: the message
/// found is the opening of a longer one (`client is not authorized to request the
/// scope ...`, `Client authentication failed due to unknown client ...`).
const SENTENCE_GOES_ON: &[&str] = &[
    "to", "due", "because", "with", "when", "and", "or", "but", "since", "which", "that",
];

/// The least of a literal after a placeholder that a cut must leave to count.
const MIN_CUT_TAIL: usize = 8;
/// A fragment (a message the vendor starts in lowercase) with fewer literal bytes
/// counts only where a clause starts: in prose the same words follow a qualifier
/// (`authorization code has already been used`), unless it opens with a package
/// prefix (`oidc: `). After a determiner (`This authorization request has
/// expired`) a fragment of any length is a noun phrase of someone's prose.
const SHORT_FRAGMENT: usize = 32;
/// What a message found with its first letter in the other case than the vendor
/// writes it loses: enough to rank another vendor's same words in the paste's case
/// first, too little to change anything else.
const OTHER_CASE: f32 = 0.005;
/// Words that, right before a message the vendor starts in lowercase, make it a
/// noun phrase of prose (normalised text is lowercase).
const DETERMINERS: &[&str] = &[
    "this", "the", "that", "your", "its", "our", "their", "a", "an",
];
/// The least literal text before any placeholder that a reading of a template
/// without its opening article must open with.
const ARTICLELESS_MIN: usize = 28;
/// Templates with fewer literal bytes count only as a whole line.
pub(crate) const SHORT_TEMPLATE: usize = 24;

/// Under this many literal bytes a template is a word or two around placeholders.
pub(crate) const FEW_LITERAL: usize = 12;

#[derive(Debug)]
enum Piece {
    Lit(String),
    Hole(String),
}

#[derive(Debug)]
struct Compiled {
    entry: usize,
    template: usize,
    pieces: Vec<Piece>,
    anchor: usize,
    /// Whether the anchor literal had a blank before / after it, which the search
    /// pattern (trimmed) leaves out.
    anchor_blanks: (bool, bool),
    literal_len: usize,
    /// A shortened reading of a longer template (its first sentence, or all of it
    /// but its opening article): ranked a little under the whole.
    shortened: bool,
    /// The vendor writes the message starting in lowercase: a fragment its code
    /// appends to something else (`code has already been used`).
    fragment: bool,
    /// The vendor writes the message starting with a capital.
    opens_upper: bool,
    /// The vendor ends the message with a period: a whole sentence.
    ends_sentence: bool,
    /// Anchored on an earlier literal than the longest, for a paste that cuts the
    /// longest short before the automaton's prefix of it: counts only as a cut.
    cut_only: bool,
}

/// A template found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Index into [`Kb::entries`].
    pub entry: usize,
    /// Index into the entry's `templates`.
    pub template: usize,
    /// 0..1: how much of the template matched, and how specific it is.
    pub quality: f32,
    /// The normalised span of the match in the haystack.
    pub start: usize,
    pub end: usize,
    /// Placeholder name and captured text (from the original, not normalised).
    pub captures: Vec<(String, String)>,
    /// Literal bytes matched.
    pub matched: usize,
    /// The normalised spans the placeholders took.
    pub holes: Vec<(usize, usize)>,
    /// Whether a longer template's literal text reads the same words: this hit is
    /// the less specific reading (kept as a cause, not as a vote for its vendor).
    pub covered: bool,
    /// The entry of the best reading that covers this one, if any.
    pub cover: Option<usize>,
    /// Whether only part of the template's literal text matched (a message cut
    /// short in the paste).
    pub partial: bool,
    /// Whether it matched the template's first sentence only.
    pub shortened: bool,
}

impl Hit {
    /// Whether one of this hit's placeholders holds `inner`'s words, wherever in
    /// the haystack `text` each was read (the text as pasted, a decoded field).
    pub fn holds_words(&self, inner: &Hit, text: &str) -> bool {
        let Some(words) = text.get(inner.start..inner.end) else {
            return false;
        };
        words.len() >= 12
            && self.holes.iter().any(|&(s, e)| {
                let Some(hole) = text.get(s..e) else {
                    return false;
                };
                // A placeholder that ends its line holds a message that starts in
                // it and runs on over the next lines (pydantic's `1 validation
                // error for OAuthToken\naccess_token\n  Field required` after
                // `Invalid token response: `): where the message's first words
                // stand in the hole, the rest of the hole must be its start.
                let ends_line = || {
                    let rest = text[e..].trim_start_matches(' ');
                    rest.is_empty() || rest.starts_with('\n')
                };
                let head = &words[..text::floor_boundary(words, 12)];
                hole.contains(words)
                    || (ends_line()
                        && hole
                            .match_indices(head)
                            .any(|(k, _)| words.starts_with(&hole[k..])))
            })
    }

    /// Whether one of this hit's placeholders holds `inner`'s whole match, at the
    /// same place. A placeholder that ends `inner` may run on past the hole (it
    /// read to the end of the line, over the rest of the outer template).
    fn holds(&self, inner: &Hit) -> bool {
        self.holes.iter().any(|&(s, e)| {
            s <= inner.start
                && inner.start < e
                && (inner.end <= e
                    || inner
                        .holes
                        .iter()
                        .any(|&(hs, he)| he == inner.end && hs <= e))
        })
    }
}

/// The compiled templates of the knowledge base.
pub struct Matcher {
    compiled: Vec<Compiled>,
    anchors: AhoCorasick,
    /// For each anchor pattern, the compiled templates that use it.
    by_anchor: Vec<Vec<usize>>,
}

impl Matcher {
    /// The matcher for the embedded knowledge base, built on first use.
    pub fn get() -> &'static Matcher {
        static M: OnceLock<Matcher> = OnceLock::new();
        M.get_or_init(|| Matcher::new(Kb::get()))
    }

    fn new(kb: &Kb) -> Matcher {
        // A first sentence that is another template whole (RFC 6749's sentence,
        // which Okta continues with `Configured grant types: [...]`) is read as
        // that template, not as a shortened form of the longer one.
        let whole: std::collections::HashSet<String> = kb
            .entries
            .iter()
            .flat_map(|e| {
                e.templates
                    .iter()
                    .map(|t| whole_key(without_code(t, &e.codes)))
            })
            .collect();
        let mut compiled = Vec::new();
        for (ei, entry) in kb.entries.iter().enumerate() {
            for (ti, t) in entry.templates.iter().enumerate() {
                let t = without_code(t, &entry.codes);
                if let Some(c) = compile(ei, ti, t) {
                    compiled.push(c);
                }
                if let Some(c) = compile_anchored(ei, ti, t, true) {
                    compiled.push(c);
                }
                if let Some(mut c) = without_article(t)
                    .filter(|rest| !whole.contains(&whole_key(rest)))
                    .and_then(|rest| compile(ei, ti, rest))
                {
                    // Ranked and voting as a first sentence alone does.
                    c.shortened = true;
                    compiled.push(c);
                }
                if let Some(c) = without_detail(t).and_then(|t| compile(ei, ti, t)) {
                    compiled.push(c);
                }
                // Not where the description alone is another entry's template
                // (PyJWT's bare `Not enough segments` beside Authlib's
                // `decode_error: Not enough segments`).
                if let Some(c) = without_error_prefix(t, entry.error.as_deref())
                    .filter(|rest| !whole.contains(&whole_key(rest)))
                    .and_then(|t| compile(ei, ti, t))
                {
                    compiled.push(c);
                }
                if let Some(mut c) = first_sentence(t)
                    .filter(|f| !whole.contains(&whole_key(f)))
                    .and_then(|t| compile(ei, ti, t))
                {
                    c.shortened = true;
                    compiled.push(c);
                }
            }
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut by_anchor: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (ci, c) in compiled.iter().enumerate() {
            let Piece::Lit(anchor) = &c.pieces[c.anchor] else {
                continue;
            };
            // The automaton holds the anchors' first bytes only (`find` checks the
            // rest): it builds in a third of the time, which the page pays at start.
            let anchor = &anchor[..text::floor_boundary(anchor, ANCHOR_PREFIX)];
            match index.get(anchor) {
                Some(&pi) => by_anchor[pi].push(ci),
                None => {
                    index.insert(anchor, patterns.len());
                    patterns.push(anchor.to_string());
                    by_anchor.push(vec![ci]);
                }
            }
        }
        let anchors = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("template anchors are valid patterns");
        Matcher {
            compiled,
            anchors,
            by_anchor,
        }
    }

    /// Every template found in `hay`, the best occurrence of each, best first.
    /// `original` is the text `hay` was normalised from; no occurrence starts
    /// inside one of its byte ranges `skip`.
    pub fn find(&self, hay: &Normalized, original: &str, skip: &[(usize, usize)]) -> Vec<Hit> {
        let text = hay.text.as_str();
        let skipped = |at: usize| {
            !skip.is_empty() && {
                let o = hay.original_span(at, at + 1).0;
                skip.iter().any(|&(s, e)| s <= o && o < e)
            }
        };
        let mut tried = vec![0usize; self.compiled.len()];
        let mut best: Vec<Option<Hit>> = vec![None; self.compiled.len()];
        for m in self.anchors.find_overlapping_iter(text) {
            for &ci in &self.by_anchor[m.pattern().as_usize()] {
                let c = &self.compiled[ci];
                let Piece::Lit(anchor) = &c.pieces[c.anchor] else {
                    continue;
                };
                if tried[ci] >= MAX_OCCURRENCES {
                    continue;
                }
                // The whole anchor, or its start where the paste cuts the message
                // short (`...`, `…`, the end of the line).
                let (end, cut) = if text[m.start()..].starts_with(anchor.as_str()) {
                    (m.start() + anchor.len(), false)
                } else if let Some(len) = cut_short(&text[m.start()..], anchor, ANCHOR_PREFIX) {
                    (m.start() + len, true)
                } else {
                    continue;
                };
                tried[ci] += 1;
                if let Some(hit) = try_at(c, hay, original, m.start(), end, cut)
                    && !skipped(hit.start)
                    && best[ci].as_ref().is_none_or(|b| hit.quality > b.quality)
                {
                    best[ci] = Some(hit);
                }
            }
        }
        let mut hits: Vec<Hit> = best.into_iter().flatten().collect();
        // A template that matches inside a longer match of another is the less
        // specific reading of the same text (Entra's short and long AADSTS70011).
        // A template found inside what another captured in a placeholder is the
        // more specific reading of that part (Spring's "decode the Jwt: {detail}"
        // around "The iss claim is not valid"), not the less.
        let snapshot = hits.clone();
        for h in &mut hits {
            // Inside another's placeholder, this one's last placeholder stops where
            // that placeholder does: what follows is the outer template's own words
            // (VS Code's `Dynamic registration failed for {server}: {detail}.
            // Prompting user for client ID and client secret` around `Registration
            // to {endpoint} failed: {detail}`), not part of the inner detail.
            if let Some(limit) = snapshot
                .iter()
                .filter(|o| o.holds(h))
                .filter_map(|o| {
                    o.holes
                        .iter()
                        .find(|&&(s, e)| s <= h.start && h.start < e)
                        .map(|&(_, e)| e)
                })
                .min()
                && h.end > limit
                && let Some(hole) = h.holes.iter_mut().find(|hole| hole.1 == h.end)
                && hole.0 < limit
            {
                hole.1 = limit;
                h.end = limit;
                if let Some(last) = h.captures.last_mut() {
                    last.1 = capture_for(&last.0, hay, original, hole.0, limit);
                }
            }
            let cover = snapshot
                .iter()
                .filter(|o| {
                    o.matched > h.matched
                        && (h.partial || !o.partial)
                        && ((o.start <= h.start && h.end <= o.end && !o.holds(h))
                            || reads_elsewhere(text, o, h))
                })
                .map(|o| (o.quality, o.entry))
                .reduce(|a, b| if b.0 > a.0 { b } else { a });
            if let Some((q, by)) = cover {
                // Below the reading that covers it, whatever their own qualities.
                h.quality = (h.quality * 0.9).min(q - 0.05);
                h.covered = true;
                h.cover = Some(by);
            }
            // Part of a template inside another's whole match is no reading at
            // all (ZITADEL's `token_endpoint_auth_method {method} is not
            // supported` cut short inside Authelia's sentence).
            if cover.is_some() && h.partial {
                h.quality = 0.0;
            }
            // Around another's whole match: a wrapper (`Failed to authenticate:
            // {detail}`) whose detail says more than it does.
            if snapshot.iter().any(|o| h.holds(o)) {
                h.quality *= 0.9;
            }
            // Inside another's placeholder: the finer reading, ranked above it.
            if let Some(q) = snapshot
                .iter()
                .filter(|o| o.holds(h))
                .map(|o| o.quality)
                .reduce(f32::max)
            {
                h.quality = h.quality.max((q + 0.02).min(1.0));
            }
        }
        // A first sentence alone (`Token is expired.`) is a weaker reading than any
        // whole template, wherever it stands.
        for h in hits.iter_mut().filter(|h| h.shortened) {
            h.quality *= 0.85;
        }
        hits.retain(|h| h.quality > 0.0);
        sort::sort_by(&mut hits, |a, b| {
            b.quality.total_cmp(&a.quality).then(a.start.cmp(&b.start))
        });
        hits
    }
}

/// Whether `outer`'s literal text (not a placeholder's) holds `inner`'s words at
/// another place: the same description read twice, in a JSON body and decoded.
fn reads_elsewhere(text: &str, outer: &Hit, inner: &Hit) -> bool {
    let (Some(o), Some(i)) = (
        text.get(outer.start..outer.end),
        text.get(inner.start..inner.end),
    ) else {
        return false;
    };
    if i.is_empty() {
        return false;
    }
    // Where the same words stand in `outer`, `inner`'s literal words (not what its
    // own placeholders took) must be `outer`'s literal words too.
    let mut literals = Vec::with_capacity(inner.holes.len() + 1);
    let mut at = inner.start;
    for &(hs, he) in &inner.holes {
        literals.push((at, hs.max(at)));
        at = he.max(at);
    }
    literals.push((at, inner.end.max(at)));
    literals.retain(|(s, e)| s < e);
    o.match_indices(i).any(|(k, _)| {
        let shift = outer.start + k;
        literals.iter().all(|&(s, e)| {
            let (s, e) = (s - inner.start + shift, e - inner.start + shift);
            !outer.holes.iter().any(|&(hs, he)| s < he && hs < e)
        })
    })
}

/// The OAuth and OpenID Connect parameter names of one word. A short template that
/// opens with a parameter name (`{property} must be {values}`) holds one of these or
/// a name with an underscore (`redirect_uris`): `protocol must be non-zero` in a
/// source file is not node-oidc-provider's client metadata check.
const PARAMETER_WORDS: &[&str] = &[
    "scope", "audience", "resource", "prompt", "nonce", "state", "jwks", "claims", "issuer",
    "contacts", "display", "request", "code", "subject", "aud", "iss", "sub", "exp", "iat", "nbf",
    "azp", "jti", "kid", "alg", "typ", "htm", "htu", "ath", "cnf",
];

/// A template that opens with one of its entry's vendor codes (`AADSTS7000215:
/// Invalid client secret provided...`) is matched from the message on: SDKs and
/// logs often drop or redact the code, and where the code is there it names the
/// entry by itself.
fn without_code<'t>(t: &'t str, codes: &[String]) -> &'t str {
    codes
        .iter()
        .filter_map(|c| {
            // `CODE: message`, or `CODE : message` as Salesforce's pages write it.
            t.strip_prefix(c.as_str())?
                .trim_start_matches(' ')
                .strip_prefix(": ")
        })
        .min_by_key(|rest| rest.len())
        .unwrap_or(t)
}

/// A template that starts with its own OAuth error code (`mismatching_state: CSRF
/// Warning! ...`, `(insecure_transport) OAuth 2 MUST utilize https.`), without it:
/// a library prints the code in `str(e)` but a log or a UI often shows only the
/// description. Only where what is left says something by itself (three words or
/// more, at least 16 characters), so `invalid_grant: Bad Request` stays whole.
fn without_error_prefix<'t>(t: &'t str, error: Option<&str>) -> Option<&'t str> {
    let error = error?;
    let rest = t
        .strip_prefix(error)
        .and_then(|r| r.strip_prefix(": "))
        .or_else(|| t.strip_prefix('(')?.strip_prefix(error)?.strip_prefix(") "))?;
    let literal = rest.split('{').next().unwrap_or_default();
    (literal.trim().len() >= 16 && literal.split_whitespace().count() >= 3).then_some(rest)
}

/// A template that ends in a detail after a colon or a dash, behind an earlier
/// placeholder (`Token used too early, {now} < {earliest}: {payload}`), without
/// that detail: a paste often stops before it, and the earlier placeholder then
/// takes the rest of the line.
fn without_detail(t: &str) -> Option<&str> {
    let body = t.strip_suffix('}')?;
    let open = body.rfind('{')?;
    if body[open + 1..].contains(['{', '}']) || body[..open].ends_with('{') {
        return None;
    }
    let head = body[..open]
        .strip_suffix(": ")
        .or_else(|| body[..open].strip_suffix(" - "))?;
    (head.ends_with('}') && !head.ends_with("}}")).then_some(head)
}

/// A sentence without the article that opens it (`DPoP proof JWT cannot be
/// parsed.` of Okta's `The DPoP proof JWT cannot be parsed.`): a client library
/// that quotes the message, or a person who retypes it, often drops it. Only
/// where what is left opens with a word and is long enough to tell apart.
fn without_article(t: &str) -> Option<&str> {
    let rest = ["The ", "A ", "An "]
        .iter()
        .find_map(|a| t.strip_prefix(a))?;
    (rest.starts_with(|c: char| c.is_alphanumeric())
        && rest.split_whitespace().count() >= 3
        && rest
            .split('{')
            .next()
            .is_some_and(|lit| lit.len() >= ARTICLELESS_MIN))
    .then_some(rest)
}

/// A template as text compares (case, quotes, blanks folded; no final period).
fn whole_key(t: &str) -> String {
    without_final_period(normalize(t))
}

/// `s` without the periods and blanks that end it: a final period is optional.
fn without_final_period(mut s: String) -> String {
    while s.ends_with(['.', ' ']) {
        s.pop();
    }
    s
}

/// The first sentence of a template that says more after it (`Callback URL
/// mismatch. {redirect_uri} is not in the list of allowed callback URLs`): pastes
/// and UIs often keep only the first sentence. Only a sentence of three words or
/// more, at least 16 characters, with no placeholder in it.
fn first_sentence(t: &str) -> Option<&str> {
    let end = t.find(". ")?;
    let sentence = &t[..end];
    let rest = t[end + 2..].trim();
    // Placeholders only in a long sentence (Entra's `The redirect URI '{redirect_uri}'
    // specified in the request does not match ... '{client_id}'`).
    let literal: usize = sentence
        .split('{')
        .enumerate()
        .map(|(i, part)| match part.split_once('}') {
            Some((_, after)) if i > 0 => after.len(),
            _ => part.len(),
        })
        .sum();
    (sentence.len() >= 16
        && sentence.split_whitespace().count() >= 3
        && (!sentence.contains(['{', '}']) || literal >= 48)
        && !PREAMBLES.iter().any(|p| sentence.eq_ignore_ascii_case(p))
        && rest.len() >= 8)
        .then_some(sentence)
}

/// First sentences that only announce an error (AD FS's `MSIS9604: An error
/// occurred. The authorization server was not able to ...`): every product's
/// words, never read alone as a template.
const PREAMBLES: &[&str] = &[
    "An error occurred",
    "An error has occurred",
    "An unexpected error occurred",
    "An unexpected error has occurred",
    "Something went wrong",
];

/// A template's parts as the vendor writes them: its literal runs (`{{` and `}}`
/// read as braces) and its placeholders' names. `None` for a brace left open.
fn raw_pieces(t: &str) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut rest = t;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("{{") {
            lit.push('{');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("}}") {
            lit.push('}');
            rest = r;
        } else if rest.starts_with('{') {
            let end = rest.find('}')?;
            if !lit.is_empty() {
                pieces.push(Piece::Lit(std::mem::take(&mut lit)));
            }
            pieces.push(Piece::Hole(rest[1..end].to_string()));
            rest = &rest[end + 1..];
        } else {
            let c = rest.chars().next()?;
            lit.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !lit.is_empty() {
        pieces.push(Piece::Lit(lit));
    }
    Some(pieces)
}

/// Whether `found` (a match of `template`, in the paste's own letters) writes with
/// a capital at least two words the template writes in lowercase, its first word
/// aside: the same words in another product's case (a title-cased message), not a
/// sentence start or a typed capital.
pub(crate) fn capitalised_apart(template: &str, found: &str) -> bool {
    fn words(t: &str) -> impl Iterator<Item = &str> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    }
    let Some(pieces) = raw_pieces(template) else {
        return false;
    };
    // Each of the template's words against the same word where the paste has it,
    // in order (a placeholder's words in between are skipped).
    let mut ours = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Lit(l) => Some(l.as_str()),
            Piece::Hole(_) => None,
        })
        .flat_map(words)
        .enumerate()
        .peekable();
    let mut apart = 0;
    for w in words(found) {
        let Some(&(i, t)) = ours.peek() else { break };
        if !t.eq_ignore_ascii_case(w) {
            continue;
        }
        if i > 0
            && w.len() >= 3
            && t.starts_with(|c: char| c.is_ascii_lowercase())
            && w.starts_with(|c: char| c.is_ascii_uppercase())
            && w.chars().skip(1).any(|c| c.is_ascii_lowercase())
        {
            apart += 1;
        }
        ours.next();
    }
    apart >= 2
}

/// Splits a template into normalised pieces; the last literal loses its final
/// period, which pastes often drop.
fn compile(entry: usize, template: usize, t: &str) -> Option<Compiled> {
    compile_anchored(entry, template, t, false)
}

/// [`compile`], anchored on the longest literal before the longest (at least
/// [`ANCHOR_PREFIX`] bytes) when `earlier`: `None` where there is none.
fn compile_anchored(entry: usize, template: usize, t: &str, earlier: bool) -> Option<Compiled> {
    let raw = raw_pieces(t)?;
    let last = raw.len().checked_sub(1);
    let mut pieces = Vec::with_capacity(raw.len());
    for (i, p) in raw.into_iter().enumerate() {
        match p {
            Piece::Lit(l) if Some(i) == last => {
                let l = without_final_period(normalize(&l));
                if !l.is_empty() {
                    pieces.push(Piece::Lit(l));
                }
            }
            Piece::Lit(l) => pieces.push(Piece::Lit(normalize(&l))),
            hole => pieces.push(hole),
        }
    }
    // Normalising may leave a leading space on a literal after a hole and a
    // trailing one before it; keep them, they match the folded text.
    let literal_len = pieces
        .iter()
        .map(|p| {
            if let Piece::Lit(l) = p {
                l.trim().len()
            } else {
                0
            }
        })
        .sum();
    let anchor = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            if let Piece::Lit(l) = p {
                Some((i, l.trim().len()))
            } else {
                None
            }
        })
        .max_by_key(|&(_, len)| len)?
        .0;
    let anchor = if earlier {
        pieces[..anchor]
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p {
                Piece::Lit(l) if l.trim().len() >= ANCHOR_PREFIX => Some((i, l.trim().len())),
                _ => None,
            })
            .max_by_key(|&(_, len)| len)?
            .0
    } else {
        anchor
    };
    let mut anchor_blanks = (false, false);
    if let Piece::Lit(l) = &mut pieces[anchor] {
        // The anchor is searched trimmed: a blank around it may be a space or a
        // line break in the text.
        anchor_blanks = (l.starts_with(' '), l.ends_with(' '));
        let trimmed = l.trim().to_string();
        *l = trimmed;
    }
    Some(Compiled {
        entry,
        template,
        pieces,
        anchor,
        anchor_blanks,
        literal_len,
        shortened: false,
        fragment: t.starts_with(|c: char| c.is_ascii_lowercase()),
        opens_upper: t.starts_with(|c: char| c.is_ascii_uppercase()),
        ends_sentence: t.trim_end().ends_with('.'),
        cut_only: earlier,
    })
}

fn try_at(
    c: &Compiled,
    hay: &Normalized,
    original: &str,
    a_start: usize,
    a_end: usize,
    cut: bool,
) -> Option<Hit> {
    let text = hay.text.as_str();
    let mut matched = a_end - a_start;
    let mut captures = Vec::new();
    let mut holes: Vec<(usize, usize)> = Vec::new();
    let mut start = a_start;
    let mut end = a_end;
    let blank = |b: Option<&u8>| matches!(b, Some(b' ' | b'\n'));
    if c.anchor_blanks.1 && blank(text.as_bytes().get(end)) {
        end += 1;
    }
    if c.anchor_blanks.0 && start > 0 && blank(text.as_bytes().get(start - 1)) {
        start -= 1;
    }

    // Forwards from the anchor (nothing follows an anchor the paste cut short).
    let mut cut = cut;
    let mut k = if cut { c.pieces.len() } else { c.anchor + 1 };
    while k < c.pieces.len() {
        match &c.pieces[k] {
            Piece::Lit(l) => {
                // A literal right after a literal cannot happen; after a hole it is
                // handled with the hole.
                if text[end..].starts_with(l.as_str()) {
                    matched += l.trim().len();
                    end += l.len();
                    k += 1;
                } else {
                    break;
                }
            }
            Piece::Hole(name) => match c.pieces.get(k + 1) {
                Some(Piece::Lit(next)) => {
                    let window = window_after(text, end);
                    let Some((off, lit_end)) = find_lit(window, next) else {
                        // The paste may cut the message short inside this literal
                        // (`has not been whitelisted …`): the part it has counts.
                        let ends_text = end + window.len() == text.len();
                        if let Some((off, len)) = cut_after_hole(window, next, ends_text)
                            && hole_ok(name, &text[end..end + off])
                        {
                            captures.push((
                                name.clone(),
                                capture_for(name, hay, original, end, end + off),
                            ));
                            holes.push((end, end + off));
                            matched += text[end + off..end + off + len].trim().len();
                            end += off + len;
                            cut = true;
                        }
                        break;
                    };
                    let hole = &text[end..end + off];
                    if !hole_ok(name, hole) {
                        break;
                    }
                    captures.push((
                        name.clone(),
                        capture_for(name, hay, original, end, end + off),
                    ));
                    holes.push((end, end + off));
                    end += lit_end;
                    matched += next.trim().len();
                    k += 2;
                }
                _ => {
                    // Where the literal's final blank was a line break, the line
                    // ended there: the placeholder holds nothing (`Invalid scopes:`
                    // and the next line), not the next line's words.
                    let len = if text[..end].ends_with('\n') {
                        0
                    } else {
                        trailing_len(name, &text[end..])
                    };
                    if matches!(name.as_str(), "scopes" | "scope_list")
                        && is_sentence(&text[end..end + len])
                    {
                        return None;
                    }
                    if is_time_name(name) && !is_time_like(&text[end..end + len]) {
                        return None;
                    }
                    captures.push((
                        name.clone(),
                        capture_for(name, hay, original, end, end + len),
                    ));
                    holes.push((end, end + len));
                    end += len;
                    k += 1;
                }
            },
        }
    }

    // Backwards from the anchor.
    let mut k = c.anchor;
    while k > 0 {
        match &c.pieces[k - 1] {
            Piece::Lit(l) => {
                if text[..start].ends_with(l.as_str()) {
                    matched += l.trim().len();
                    start -= l.len();
                    k -= 1;
                } else {
                    break;
                }
            }
            Piece::Hole(name) => match k.checked_sub(2).map(|i| &c.pieces[i]) {
                Some(Piece::Lit(prev)) => {
                    let from = floor(text, start.saturating_sub(MAX_HOLE));
                    let window = &text[from..start];
                    // An empty placeholder between two blanks leaves one blank in
                    // the text (Slack's `invalid_scope: is an invalid scope`).
                    let empty = || {
                        let p = prev.strip_suffix(' ')?;
                        (text[start..].starts_with(' ') && window.ends_with(p))
                            .then(|| (window.len() - p.len(), p.len()))
                    };
                    // A literal ending in `: ` or `, ` meets the text without that
                    // blank where the placeholder holds a quoted string or a number
                    // (`Normalized` drops it there, `value:5a1f`).
                    let unspaced = || {
                        let p = prev.strip_suffix(' ').filter(|p| p.ends_with([':', ',']))?;
                        window.rfind(p).map(|off| (off, p.len()))
                    };
                    let Some((off, prev_len)) = window
                        .rfind(prev.as_str())
                        .map(|off| (off, prev.len()))
                        .or_else(empty)
                        .or_else(unspaced)
                    else {
                        break;
                    };
                    let hole_start = from + off + prev_len;
                    if !hole_ok(name, &text[hole_start..start]) {
                        break;
                    }
                    captures.insert(
                        0,
                        (
                            name.clone(),
                            capture_for(name, hay, original, hole_start, start),
                        ),
                    );
                    holes.push((hole_start, start));
                    start = from + off;
                    matched += prev.trim().len();
                    k -= 2;
                }
                _ => {
                    let len = leading_len(name, &text[..start]);
                    captures.insert(
                        0,
                        (
                            name.clone(),
                            capture_for(name, hay, original, start - len, start),
                        ),
                    );
                    holes.push((start - len, start));
                    start -= len;
                    k -= 1;
                }
            },
        }
    }

    // The message's opening words are not in the text: read from its middle on.
    let headless = k > 0;

    // A short template that opens with a placeholder names a parameter there
    // (`{property} is mandatory property`): it holds one identifier, the word just
    // before the literal, not the sentence before it.
    if c.literal_len < SHORT_TEMPLATE
        && matches!(c.pieces.first(), Some(Piece::Hole(_)))
        && let Some(lead) = holes.iter_mut().min_by_key(|h| h.0)
        && lead.0 == start
    {
        let hole = &text[lead.0..lead.1];
        let token = hole.rsplit(' ').next().unwrap_or("");
        let identifier = !token.is_empty()
            && token.len() <= 64
            && token
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
            && (token.contains('_') || PARAMETER_WORDS.contains(&token));
        if !identifier {
            return None;
        }
        lead.0 = lead.1 - token.len();
        start = lead.0;
        if let Some(first) = captures.first_mut() {
            first.1 = capture(hay, original, lead.0, lead.1);
        }
    }
    if c.fragment
        && matches!(c.pieces.first(), Some(Piece::Lit(lit)) if !opens_with_prefix(lit))
        && !starts_clause(text, start)
    {
        let before = text[..start].trim_end_matches(' ');
        let word = before
            .rsplit(|ch: char| !ch.is_alphabetic())
            .next()
            .unwrap_or_default();
        if (c.literal_len < SHORT_FRAGMENT && !word.is_empty()) || DETERMINERS.contains(&word) {
            return None;
        }
    }
    // The case the paste gives the message's first letter, where the vendor's
    // template opens with a letter of its own (not a placeholder's).
    let opens_in_case = matches!(c.pieces.first(), Some(Piece::Lit(_)))
        .then(|| {
            let (from, to) = hay.original_span(start, end);
            original
                .get(from..to)
                .and_then(|m| m.bytes().find(u8::is_ascii_alphabetic))
        })
        .flatten();
    let other_case = opens_in_case.is_some_and(|b| {
        (c.fragment && b.is_ascii_uppercase()) || (c.opens_upper && b.is_ascii_lowercase())
    });
    if c.literal_len < SHORT_TEMPLATE && other_case {
        // A short sentence the vendor opens with a capital (`Audience is
        // missing.`), found in lowercase after another word, is the end of
        // someone else's sentence (`The required audience is missing`).
        let after_word = text[..start]
            .trim_end_matches(' ')
            .ends_with(|ch: char| ch.is_alphabetic());
        // And one the vendor writes in lowercase (Salesforce's `authentication
        // failure`), found capitalised inside a longer line, is someone else's
        // sentence (OmniAuth's `Authentication failure! ...`).
        let inside_line = !is_whole_line(text, start, end);
        if (c.opens_upper && after_word) || (c.fragment && inside_line) {
            return None;
        }
    }
    // A short message that ends in its own words, found with more words of the same
    // sentence after it (`client is not authorized` in `Client is not authorized to
    // request the scope ...`), is the opening of someone else's longer sentence.
    // Only a word that carries the sentence on counts: `in <file>`, `at <frame>`,
    // `for client <id>` say where and to whom, after a whole message. A message the
    // vendor writes in lowercase, found capitalised with any word after it
    // (`Authentication timed out after 120 seconds ...` for Keycloak's
    // `authentication timed out`), is someone else's sentence as well.
    if c.literal_len < SHORT_FRAGMENT
        && !cut
        && matches!(c.pieces.last(), Some(Piece::Lit(l)) if l.trim().contains(' ') && l.ends_with(|ch: char| ch.is_alphanumeric()))
        && text[end..].strip_prefix(' ').is_some_and(|rest| {
            let word = rest
                .split(|ch: char| !ch.is_alphanumeric())
                .next()
                .unwrap_or("");
            SENTENCE_GOES_ON.contains(&word) || (c.fragment && other_case && !word.is_empty())
        })
    {
        return None;
    }
    // A cut message must keep enough of its words to be told from others.
    if (cut && matched < MIN_CUT) || (c.cut_only && !cut) {
        return None;
    }
    let coverage = matched as f32 / c.literal_len.max(1) as f32;
    let whole_line = is_whole_line(text, start, end);
    if c.literal_len < SHORT_TEMPLATE {
        // A short template is too common a phrase to count inside a sentence:
        // it must be the whole message, or start a clause after a log prefix
        // (`[Error] `, `error: `), unless it has three words or more.
        let words = c
            .pieces
            .iter()
            .filter_map(|p| {
                if let Piece::Lit(l) = p {
                    Some(l.split_whitespace().count())
                } else {
                    None
                }
            })
            .sum::<usize>();
        let clause = starts_clause(text, start);
        // A short template that opens with a placeholder (`{property} must be
        // {values}`) would match any sentence around its few words, unless that
        // placeholder holds a lone identifier (above) where a clause starts.
        let opens_with_literal = matches!(c.pieces.first(), Some(Piece::Lit(_)));
        // Quoted whole (`the page says "Illegal redirect_uri"`), it is cited as a
        // message.
        let quoted = text[..start].ends_with('\'') && text[end..].starts_with('\'');
        let allowed = (opens_with_literal || clause)
            && (whole_line
                || (quoted && opens_with_literal)
                || (clause && c.literal_len >= 12)
                || (words >= 3 && c.literal_len >= 16));
        // Nor may it stop inside a longer phrase: `invalid code` is not
        // `Invalid code verifier`.
        let ends_in_literal = matches!(c.pieces.last(), Some(Piece::Lit(_)));
        if !(allowed && coverage >= 0.99) || (ends_in_literal && !ends_clause(text, end)) {
            return None;
        }
        // A sentence the vendor ends with a period, found going on with a colon
        // and a detail of its own (`Invalid redirect URI: http://... Must use
        // secure scheme`), is another product's message that starts alike.
        if c.ends_sentence && ends_in_literal && text[end..].starts_with(':') {
            return None;
        }
    } else if !(coverage >= 0.99
        || (coverage >= 0.6 && matched >= reworded_min(headless))
        // A long message cut short after twice the least a cut must keep (Guzzle
        // keeps 120 characters of a body) is as specific as a shorter one kept whole.
        || (cut && matched >= 2 * MIN_CUT))
    {
        return None;
    }
    // Longer matches are more specific: a 200-character Entra message outranks the
    // 60-character sentence it starts with.
    let specificity = (matched as f32 / 120.0).min(1.0);
    let mut quality = coverage * (0.7 + 0.3 * specificity);
    if whole_line {
        quality = quality.max(0.88 * coverage) + 0.04;
    }
    // Of two templates that read the same text, the one that spells out more of
    // it (`Token exchange failed: HTTP {status}` over `... failed: {status}`).
    quality += c.literal_len.min(200) as f32 * 5e-5;
    // A word or two around placeholders (`{property} must be {values}`) is a weak
    // reading, however whole its line.
    if c.literal_len < FEW_LITERAL && c.pieces.iter().any(|p| matches!(p, Piece::Hole(_))) {
        quality *= 0.7;
    }
    // A placeholder that found nothing to hold: the text says less than the
    // template does (Keycloak's bare "Unsupported grant_type" is not Better Auth's
    // "unsupported grant_type {grant_type}").
    if captures
        .iter()
        .any(|(name, value)| value.is_empty() && !name.starts_with("scope"))
    {
        quality *= 0.95;
    }
    // Of two vendors' spellings of one message (Salesforce's `invalid client
    // credentials`, Dex's `Invalid client credentials.`), the one whose first
    // letter the paste has in the same case is the closer reading.
    let case_cost = if other_case { OTHER_CASE } else { 0.0 };
    Some(Hit {
        entry: c.entry,
        template: c.template,
        quality: quality.min(1.0) - case_cost,
        start,
        end,
        captures,
        matched,
        holes,
        covered: false,
        cover: None,
        partial: matched < c.literal_len,
        shortened: c.shortened,
    })
}

/// The least literal text a reworded reading (most of the template, not all)
/// must hold: a message read from its middle on, without its opening words (`must
/// be an HTTPS URL` of `key {key}: {value} must be an HTTPS URL`), as much as a
/// cut one; one that keeps its opening and loses or rewords its end (a log line
/// another version prints without `(status=...)`), less.
fn reworded_min(headless: bool) -> usize {
    if headless { MIN_CUT } else { 20 }
}

/// Where `text` starts with `lit` cut short by the paste (a UI's `…` or `...`, or
/// the end of the line): the length of the part it has, at least `min` bytes.
/// `None` where the text goes on differently, or holds all of `lit`.
fn cut_short(text: &str, lit: &str, min: usize) -> Option<usize> {
    let same = text
        .char_indices()
        .zip(lit.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((i, a), _)| i + a.len_utf8());
    (same >= min && same < lit.len() && cut_here(&text[..same], &text[same..], &lit[same..]))
        .then_some(same)
}

/// Whether the paste cuts a message short between `before` and `rest`, where the
/// message would go on with `missing`.
fn cut_here(before: &str, rest: &str, missing: &str) -> bool {
    // Guzzle, which PHP's OAuth clients use, cuts a response body it quotes at 120
    // characters and says so: `... no client authenticat (truncated...)`.
    let marked =
        rest.starts_with('…') || rest.starts_with("...") || rest.starts_with(" (truncated");
    // Unmarked, at the end of a line, the text may just end a sentence earlier
    // (another template's whole, or this one's first sentence): a cut falls
    // inside a sentence.
    let line_ends = (rest.is_empty() || rest.starts_with('\n'))
        && !missing.starts_with(['.', '!', '?', ';', ','])
        && !before.trim_end().ends_with(['.', '!', '?', ';', ',']);
    marked || line_ends
}

/// Where a placeholder's text in `window` is followed by the start of `lit` and
/// the paste's cut (`... has not been whitelisted …`): the placeholder's length
/// and the length of `lit`'s part, at least [`MIN_CUT_TAIL`] bytes of it.
fn cut_after_hole(window: &str, lit: &str, ends_text: bool) -> Option<(usize, usize)> {
    // The first cut the window holds: a mark, a line break, or the text's end.
    let at = ["…", "...", "\n"]
        .iter()
        .filter_map(|m| window.find(m))
        .min()
        .or(ends_text.then_some(window.len()))?;
    let before = &window[..at];
    // The longest start of `lit` that the text has just before the cut.
    let len = lit
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .filter(|&j| j >= MIN_CUT_TAIL && before.ends_with(&lit[..j]))
        .last()?;
    (cut_here(before, &window[at..], &lit[len..])).then_some((at - len, len))
}

/// Searches a literal; a literal that starts or ends with a space also matches at a
/// line break, or where the text starts or ends. Returns where the placeholder
/// before it ends and where the literal ends, both within `window`.
fn find_lit(window: &str, lit: &str) -> Option<(usize, usize)> {
    if let Some(i) = window.find(lit) {
        return Some((i, i + lit.len()));
    }
    let core = lit.trim();
    if core.len() == lit.len() || core.is_empty() {
        return None;
    }
    let i = window.find(core)?;
    // The blanks the literal has around its words, as far as the text has them
    // too (the normalised text holds one blank or one line break at most).
    let blank = |b: Option<&u8>| matches!(b, Some(b' ' | b'\n'));
    let bytes = window.as_bytes();
    let lead = lit.starts_with(' ') && i > 0 && blank(bytes.get(i - 1));
    let end = i + core.len();
    let trail = lit.ends_with(' ') && blank(bytes.get(end));
    Some((i - lead as usize, end + trail as usize))
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn window_after(text: &str, at: usize) -> &str {
    let end = floor(text, (at + MAX_HOLE).min(text.len()));
    &text[at..end.max(at)]
}

/// Whether a placeholder's normalised text fits its kind.
fn hole_ok(name: &str, hole: &str) -> bool {
    if hole.contains('\n') {
        return false;
    }
    match name {
        "scope" => !hole.contains(' ') && hole.len() <= 200,
        // An identifier: one token (Better Auth's `Provider {provider} not found.`
        // does not reach across a Terraform block to the next `not found.`).
        // (Not a response type, `code id_token`, nor a tenant, which Entra names by
        // its display name.)
        "provider" | "provider_id" | "client_id" | "kid" | "alg" | "realm" | "grant_type" => {
            !hole.trim().contains(' ') && hole.len() <= 200
        }
        "scopes" | "scope_list" => !is_sentence(hole),
        // A URL has no blank in it: `Failed to load {url}: No 'Access-Control-...`
        // does not take Chrome's other sentence (`...: Response to preflight request
        // doesn't pass access control check: No '...`) into its URL.
        // (Only a console's frame may stand before it: Terraform's `│ `.)
        "url" | "uri" | "redirect_uri" | "issuer" | "endpoint" => {
            let mut words = hole.split_whitespace().rev();
            words.next();
            words.all(|w| !w.contains(|c: char| c.is_alphanumeric()))
        }
        // An HTTP status: `400`, `400 Bad Request`, `"401"`.
        "status" => hole
            .trim_start_matches([' ', '"', '\'', '('])
            .starts_with(|c: char| c.is_ascii_digit()),
        // An HTTP reason phrase: `Unauthorized`, `Bad Request` (in lowercase here:
        // the haystack is normalised).
        "status_text" => hole
            .trim_start()
            .starts_with(|c: char| c.is_ascii_alphabetic()),
        _ if is_time_name(name) => is_time_like(hole),
        _ => true,
    }
}

/// Words that are never a scope but make a sentence (`Invalid scope: Requested scope
/// is invalid`): a scope list with one of them is prose, not scopes.
fn is_sentence(hole: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "is", "are", "was", "were", "be", "not", "the", "must", "should", "cannot", "does", "has",
        "have",
    ];
    hole.split([' ', ','])
        .any(|w| FUNCTION_WORDS.contains(&w.trim_matches(['\'', '.'])))
}

/// Placeholders that hold a time or a timestamp.
fn is_time_name(name: &str) -> bool {
    matches!(
        name,
        "time"
            | "date"
            | "timestamp"
            | "now"
            | "exp"
            | "expiry"
            | "iat"
            | "nbf"
            | "earliest"
            | "latest"
    )
}

/// Whether a placeholder's text can be a time (`2024-03-01T10:00:00Z`, `1596763845`,
/// `Mon Mar 01 10:00:00 UTC 2024`): it has a digit and is not a path (`jwt expired`
/// with the next stack line, `at /app/node_modules/...`, joined to it).
fn is_time_like(hole: &str) -> bool {
    let hole = hole.trim();
    hole.bytes().any(|b| b.is_ascii_digit())
        && !hole.starts_with(['/', '('])
        && !hole.contains(".js")
}

/// What nginx's error log writes after a module's message: `, client: <address>,
/// server: <name>, ...` (the blank after a colon before a digit normalised away).
const NGINX_CLIENT: &str = ", client:";
const NGINX_SERVER: &str = ", server:";

/// How much of `rest` a placeholder at the end of a template takes: one token for
/// `{scope}`, else up to the end of the line or a closing quote.
fn trailing_len(name: &str, rest: &str) -> usize {
    let limit = floor(rest, rest.len().min(MAX_HOLE));
    let rest = &rest[..limit];
    let stop: &[char] = if name == "scope" {
        &['\n', ' ', '\'', ',', '&', ')', ']', '}', '<']
    } else {
        &['\n', '&', '<']
    };
    // One scope the message quotes (`unsupported scope: "email,openid,profile"`) is
    // what the quotes hold, whatever it holds.
    if name == "scope"
        && let Some(quoted) = rest.strip_prefix('\'')
        && let Some(close) = quoted.find(['\'', '\n'])
        && quoted[close..].starts_with('\'')
        && close > 0
    {
        return close + 2;
    }
    let mut len = rest.find(stop).unwrap_or(rest.len());
    // What nginx's error log writes after the message is nginx's, not the message's.
    if let Some(at) = rest[..len].find(NGINX_CLIENT)
        && rest[at..len].contains(NGINX_SERVER)
    {
        len = at;
    }
    // A value that opens with a quote runs to its closing quote, kept: the quotes
    // are part of what was sent (`Invalid scopes: "email groups"`).
    let opened = rest.len() - rest.trim_start().len();
    if name != "scope"
        && rest[opened..].starts_with('\'')
        && let Some(close) = rest[opened + 1..len].find('\'')
    {
        return opened + 1 + close + 1;
    }
    // A closing quote followed by JSON or form punctuation ends the value.
    if name != "scope" {
        let b = rest.as_bytes();
        for (i, &c) in b[..len].iter().enumerate() {
            if c == b'\'' && i > 0 {
                let next = b.get(i + 1).copied();
                if matches!(next, None | Some(b',' | b'}' | b')' | b']' | b'\n' | b'&'))
                    || (next == Some(b' ') && !b[i + 1..len].contains(&b'\''))
                {
                    len = i;
                    break;
                }
            }
        }
    }
    // What closes the surrounding JSON or prose is not part of the value; a
    // bracket the value opened is (`Missing dot delimiter(s)`).
    let mut value = &rest[..len];
    while let Some(c) = value.chars().next_back() {
        let opened_here = |open: char| value.matches(open).count() >= value.matches(c).count();
        let keep = match c {
            ')' => opened_here('('),
            ']' => opened_here('['),
            '}' => opened_here('{'),
            // A scope ends before the colon that opens the next clause
            // (`request scope hydra.consent: The requested scope is invalid`).
            ':' if name.starts_with("scope") => false,
            _ => !matches!(c, '.' | ' ' | '\'' | ',' | ';'),
        };
        if keep {
            break;
        }
        value = &value[..value.len() - 1];
    }
    value.len()
}

/// How much before `before`'s end a placeholder at the start of a template takes.
fn leading_len(name: &str, before: &str) -> usize {
    let from = floor(before, before.len().saturating_sub(MAX_HOLE));
    let window = &before[from..];
    let stop: &[char] = if name == "scope" {
        &['\n', ' ', '\'', '=', '(', '[', '{']
    } else {
        &['\n', '\'', ':', '=']
    };
    match window.rfind(stop) {
        Some(i) => window.len() - i - 1,
        None => window.len(),
    }
}

/// Whether a literal opens with a Go-style package prefix (`oidc: `, `oauth2: `),
/// which prose does not write: a message so opened is the library's wherever it
/// stands.
fn opens_with_prefix(lit: &str) -> bool {
    lit.split(' ')
        .next()
        .is_some_and(|w| w.len() > 1 && w.ends_with(':'))
}

/// Whether a match starts a line or a clause after a log prefix or a separator.
fn starts_clause(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\'']);
    // `=` too: a logfmt value (`description=Errors.App.NotFound`) is a whole message.
    before.is_empty() || before.ends_with(['\n', ':', ']', ')', '>', '-', '|', '.', '='])
}

/// Whether a match ends where a phrase does: at the end of the text or a line, or
/// before punctuation or a closing quote.
fn ends_clause(text: &str, end: usize) -> bool {
    let after = text[end..].trim_start_matches(' ');
    // The next `key=` of a logfmt line ends the value before it.
    let key_len = after
        .bytes()
        .take(64)
        .take_while(|&b| text::is_word_byte(b) || b == b'.')
        .count();
    let next_key = after.len() < text.len() - end
        && key_len > 0
        && after.as_bytes().get(key_len) == Some(&b'=');
    after.is_empty()
        || next_key
        || after.starts_with([
            '\n', '.', ',', ';', ':', '!', '?', ')', ']', '}', '{', '[', '`', '"', '\'', '|', '-',
            '(', '<', '&',
        ])
}

fn is_whole_line(text: &str, start: usize, end: usize) -> bool {
    let is_edge = |c: char| matches!(c, '\'' | ' ' | '.' | ',' | '{' | '}' | '(' | ')');
    let before = text[..start].trim_end_matches(is_edge);
    let after = text[end..].trim_start_matches(is_edge);
    // The whole content of an HTML element (`<p class="instruction">Stale
    // token</p>`) is a whole message too.
    let element = before.ends_with('>') && after.starts_with("</");
    element
        || ((before.is_empty() || before.ends_with('\n') || before.ends_with(':'))
            && (after.is_empty() || after.starts_with('\n')))
}

/// The original text behind a normalised span, trimmed, HTML references decoded.
fn capture(hay: &Normalized, original: &str, start: usize, end: usize) -> String {
    let (s, e) = hay.original_span(start, end);
    super::text::decode_html_entities(original.get(s..e).unwrap_or("").trim()).into_owned()
}

/// [`capture`] for the placeholder `name`. A scope string echoed as the client
/// sent it (Keycloak's `Invalid scopes: {scopes}`) keeps the blanks it began with:
/// `Invalid scopes:  offline_access` is the scope ` offline_access`, whose leading
/// blank (RFC 6749 §3.3) is what was wrong.
fn capture_for(name: &str, hay: &Normalized, original: &str, start: usize, end: usize) -> String {
    let value = capture(hay, original, start, end);
    if name != "scopes" {
        return value;
    }
    let (s, _) = hay.original_span(start, end);
    let before = original.get(..s).unwrap_or("");
    let blanks = before.len() - before.trim_end_matches(' ').len();
    // One blank is the template's own (`scopes: `); a line break is no echo.
    if blanks >= 2 && !before.trim_end_matches(' ').ends_with('\n') {
        format!("{}{value}", " ".repeat(blanks - 1))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `template` at its anchor's first occurrence in `text`.
    fn read(template: &str, text: &str) -> Option<Hit> {
        let c = compile(0, 0, template)?;
        let Piece::Lit(anchor) = &c.pieces[c.anchor] else {
            return None;
        };
        let hay = Normalized::new(text);
        let at = hay.text.find(anchor.as_str())?;
        try_at(&c, &hay, text, at, at + anchor.len(), false)
    }

    #[test]
    fn the_vendors_case_at_a_messages_start_counts() {
        // Salesforce writes `invalid client credentials` in lowercase; a product
        // that capitalises the same words reads Salesforce's text a little less.
        let lower =
            "{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}";
        let sf = read("invalid client credentials", lower).expect("Salesforce's words");
        let other = read("Invalid client credentials", lower).expect("the same words");
        assert!(
            sf.quality > other.quality,
            "{} vs {}",
            sf.quality,
            other.quality
        );
        // A short lowercase message found capitalised inside a longer line is
        // another product's sentence; on a line of its own it still counts.
        let omniauth =
            "ERROR -- omniauth: (openid_connect) Authentication failure! Issuer mismatch";
        assert!(read("authentication failure", omniauth).is_none());
        assert!(read("authentication failure", "Authentication failure").is_some());
        assert!(read("authentication failure", "error: authentication failure").is_some());
    }

    #[test]
    fn a_short_message_whose_sentence_goes_on_is_another_message() {
        // Gitea's whole description, and the opening of D2L's longer sentence.
        let gitea = "{\"error\":\"unauthorized_client\",\"error_description\":\"client is not authorized\"}";
        assert!(read("client is not authorized", gitea).is_some());
        let d2l = "Client is not authorized to request the scope content:toc:read";
        assert!(read("client is not authorized", d2l).is_none());
        // Where and to whom, said after a whole message, leave it whole.
        let php = "OpenIDConnectClientException: Unable to determine state in /srv/x.php:294";
        assert!(read("Unable to determine state", php).is_some());
    }

    #[test]
    fn guzzles_truncation_mark_is_a_cut() {
        // Guzzle quotes 120 characters of a body: Doorkeeper's sentence loses its end.
        let template = "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.";
        let text = "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed due to unknown client, no client authenticat (truncated...)";
        let c = compile(0, 0, template).expect("template");
        let hay = Normalized::new(text);
        let at = hay
            .text
            .find("client authentication failed")
            .expect("anchor");
        let len = cut_short(
            &hay.text[at..],
            "client authentication failed due to unknown client, no client authentication",
            ANCHOR_PREFIX,
        )
        .expect("a cut");
        assert!(try_at(&c, &hay, text, at, at + len, true).is_some());
    }

    #[test]
    fn a_sentence_going_on_after_a_colon_is_another_message() {
        // oauthlib's `Invalid redirect URI.` is a whole sentence; MetaMCP's
        // `Invalid redirect URI: <uri>. Must use secure scheme...` starts alike.
        let other = "Invalid redirect URI: http://localhost:19876/callback. Must use secure scheme and valid format.";
        assert!(read("Invalid redirect URI.", other).is_none());
        assert!(read("Invalid redirect URI.", "Invalid redirect URI.").is_some());
        assert!(read("Invalid redirect URI.", "error: Invalid redirect URI").is_some());
    }

    #[test]
    fn a_message_read_from_its_middle_needs_as_much_as_a_cut_one() {
        // oauthlib's `key {key}: {value} must be an HTTPS URL` is not in a server's
        // `Each redirect_uri must be an HTTPS URL or an http:// loopback address`.
        let other = "Each redirect_uri must be an HTTPS URL or an http:// loopback address (localhost, 127.0.0.1, [::1]).";
        assert!(read("key {key}: {value} must be an HTTPS URL", other).is_none());
        // A log line another version prints without its tail still reads.
        let fastmcp = "Auth error returned: invalid_token middleware.py";
        assert!(read("Auth error returned: {error} (status={status})", fastmcp).is_some());
    }

    #[test]
    fn a_scope_ends_before_the_colon_of_the_next_clause() {
        let hit = read(
            "The client is not allowed to request scope {scope}",
            "The client is not allowed to request scope hydra.consent: The requested scope is invalid",
        )
        .expect("the template reads the text");
        assert_eq!(
            hit.captures,
            vec![("scope".to_string(), "hydra.consent".to_string())]
        );
    }

    #[test]
    fn a_sentence_is_no_scope_list() {
        // Keyrock's `Invalid scope: Requested scope is invalid` is not Spring's
        // `Invalid scope: {scopes}` naming four scopes.
        assert!(
            read(
                "Invalid scope: {scopes}",
                "Invalid scope: Requested scope is invalid"
            )
            .is_none()
        );
        assert!(read("Invalid scope: {scopes}", "Invalid scope: openid profile").is_some());
        assert!(is_sentence("the scope is not allowed"));
        assert!(!is_sentence(
            "openid, profile, https://graph.microsoft.com/.default"
        ));
    }

    #[test]
    fn a_quoted_scope_ending_a_template_is_what_the_quotes_hold() {
        let hit = read(
            "unsupported scope: {scope}",
            "invalid scope: unsupported scope: \"email,openid,profile\"&state=x",
        )
        .expect("the template reads the text");
        assert_eq!(
            hit.captures,
            vec![("scope".to_string(), "\"email,openid,profile\"".to_string())]
        );
    }

    #[test]
    fn a_placeholder_ending_a_template_stays_on_its_line() {
        // Keycloak's `Invalid scopes: ` with nothing after it, then another line:
        // the scope is empty, not the next line's words.
        let hit = read("Invalid scopes: {scopes}", "Invalid scopes:\nnext line")
            .expect("the template reads the text");
        assert_eq!(hit.captures, vec![("scopes".to_string(), String::new())]);
        let hit = read(
            "Invalid scopes: {scopes}",
            "Invalid scopes: openid email\nnext",
        )
        .expect("the template reads the text");
        assert_eq!(
            hit.captures,
            vec![("scopes".to_string(), "openid email".to_string())]
        );
    }

    #[test]
    fn a_template_led_by_its_error_code_reads_the_description_alone() {
        let state = "CSRF Warning! State not equal in request and response.";
        for t in [
            "mismatching_state: CSRF Warning! State not equal in request and response.",
            "(mismatching_state) CSRF Warning! State not equal in request and response.",
        ] {
            assert_eq!(
                without_error_prefix(t, Some("mismatching_state")),
                Some(state),
                "{t}"
            );
            assert!(
                read(
                    state,
                    "CSRF Warning! State not equal in request and response"
                )
                .is_some()
            );
        }
        // Another code, or too little left to name the message: the template stays whole.
        assert_eq!(
            without_error_prefix("mismatching_state: CSRF Warning!", Some("invalid_request")),
            None
        );
        assert_eq!(
            without_error_prefix("invalid_grant: Bad Request", Some("invalid_grant")),
            None
        );
        assert_eq!(
            without_error_prefix("invalid_client: {detail}", Some("invalid_client")),
            None
        );
    }

    #[test]
    fn a_literal_ending_in_a_separator_meets_a_quoted_or_numeric_placeholder() {
        // `Normalized` drops the blank between `:` or `,` and a quote or a digit, so
        // the literal before the placeholder is found without it.
        let t = "{grant_type} grant with value: {key} not found in store.";
        for text in [
            "authorization_code grant with value: 5A1F0C9E not found in store.",
            "authorization_code grant with value: \"5A1F0C9E\" not found in store.",
            "authorization_code grant with value: abc not found in store.",
        ] {
            let hit = read(t, text).unwrap_or_else(|| panic!("the template reads {text:?}"));
            let key = hit
                .captures
                .iter()
                .find(|(n, _)| n == "key")
                .map(|(_, v)| v.as_str());
            assert!(
                key.is_some_and(|k| k.contains("5A1F0C9E") || k == "abc"),
                "{text:?}: {key:?}"
            );
        }
    }

    #[test]
    fn a_literal_met_without_its_blanks_ends_where_the_text_does() {
        // Duende's words end the text where Kanidm's template goes on with a blank
        // and a placeholder: the literal ends at the text's end, not past it.
        let t = "Invalid response_mode {mode} for response_type {kind}";
        for text in [
            "Invalid response_mode for response_type",
            "Invalid response_mode for response_type\u{e9}t\u{e9}",
            "Invalid response_mode for response_type\nnext line",
        ] {
            let hit = read(t, text).expect("the template reads the text");
            let hay = Normalized::new(text);
            assert!(hit.end <= hay.text.len(), "{text:?}: ends at {}", hit.end);
            assert!(hay.text.is_char_boundary(hit.end), "{text:?}");
        }
    }

    #[test]
    fn a_message_cut_after_a_placeholder_is_read_in_part() {
        // Hydra's words, cut by a toast inside its longest literal: the earlier
        // literal anchors, and the cut literal's start counts.
        let t = "Requested audience '{audience}' has not been whitelisted by the OAuth 2.0 Client.";
        let read_cut = |text: &str| {
            let c = compile_anchored(0, 0, t, true)?;
            let Piece::Lit(anchor) = &c.pieces[c.anchor] else {
                return None;
            };
            let hay = Normalized::new(text);
            let at = hay.text.find(anchor.as_str())?;
            try_at(&c, &hay, text, at, at + anchor.len(), false)
        };
        let hit =
            read_cut("Requested audience 'https://api.example.com' has not been whitelisted …")
                .expect("the part the toast kept reads the template");
        assert!(hit.partial);
        assert_eq!(hit.captures[0].1, "https://api.example.com");
        for text in [
            // Whole: the template's own anchor reads it, not the cut-only copy.
            "Requested audience 'https://api.example.com' has not been whitelisted by the OAuth 2.0 Client.",
            // Going on differently, with no cut.
            "Requested audience 'https://api.example.com' has not been whitelisted yet",
            // Too little of the cut literal left.
            "Requested audience 'https://api.example.com' has…",
        ] {
            assert!(read_cut(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn a_status_placeholder_holds_an_http_status() {
        let t = "Registration failed: {status} {body}";
        assert!(read(t, "Registration failed: 400 invalid_redirect_uri").is_some());
        assert!(read(t, "Registration failed: \"403\" Forbidden").is_some());
        // rmcp's words, not the Python SDK's status line: no status is read there.
        let hit = read(
            t,
            "Registration failed: Dynamic client registration not supported",
        );
        assert!(hit.is_none_or(|h| h.captures.iter().all(|(name, _)| name != "status")));
    }

    #[test]
    fn a_detail_after_a_placeholder_may_be_missing() {
        assert_eq!(
            without_detail("Token used too early, {now} < {earliest}: {payload}"),
            Some("Token used too early, {now} < {earliest}")
        );
        assert_eq!(without_detail("Failed to authenticate: {detail}"), None);
        assert_eq!(
            without_detail("Grant {grant} - {why}"),
            Some("Grant {grant}")
        );
        assert_eq!(without_detail("Bad {a}: {{b}}"), None);
        assert_eq!(without_detail("No placeholder at all"), None);
    }

    #[test]
    fn a_long_message_is_also_read_by_its_first_sentence() {
        assert_eq!(
            first_sentence(
                "Callback URL mismatch. {redirect_uri} is not in the list of allowed callback URLs"
            ),
            Some("Callback URL mismatch")
        );
        assert_eq!(first_sentence("Invalid request. {detail}"), None);
        assert_eq!(
            first_sentence("The scope {scope} is bad. See the docs for more"),
            None
        );
        assert_eq!(first_sentence("One sentence only, nothing after it."), None);
    }

    #[test]
    fn a_time_placeholder_holds_a_time() {
        assert!(is_time_like("2024-03-01T10:00:00Z"));
        assert!(is_time_like(" 1596763845"));
        assert!(is_time_like("Mon Mar 01 10:00:00 UTC 2024"));
        assert!(!is_time_like(
            "/app/node_modules/jsonwebtoken/verify.js:190:21"
        ));
        assert!(!is_time_like("getSecret"));
    }

    #[test]
    fn words_in_another_case_are_read_in_order_and_through_escaped_braces() {
        assert!(capitalised_apart(
            "missing authorization header",
            "Missing Authorization Header"
        ));
        assert!(capitalised_apart(
            r#"{{"msg":"missing authorization header"}}"#,
            r#"{"msg":"Missing Authorization Header"}"#
        ));
        // The same words written as the vendor writes them, capitals where it has
        // them, are its own, even where its lowercase words recur capitalised.
        let facebook = "Can't Load URL: The domain of this URL isn't included in the app's domains. Add all domains of your app to the App Domains field.";
        assert!(!capitalised_apart(facebook, facebook));
    }

    #[test]
    fn a_template_is_read_without_its_vendor_code() {
        let codes = vec!["AADSTS7000215".to_string(), "AADSTS700".to_string()];
        assert_eq!(
            without_code("AADSTS7000215: Invalid client secret is provided.", &codes),
            "Invalid client secret is provided."
        );
        assert_eq!(
            without_code("AADSTS7000215 without colon", &codes),
            "AADSTS7000215 without colon"
        );
        let codes = vec!["OAUTH_APPROVAL_ERROR_GENERIC".to_string()];
        assert_eq!(
            without_code(
                "OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error has occurred.",
                &codes
            ),
            "An unexpected error has occurred."
        );
    }

    #[test]
    fn nginx_error_log_suffix_is_no_part_of_the_detail() {
        let text = "[lua] openidc.lua:601: call_token_endpoint(): accessing token endpoint \
                    (https://idp.example.com/token) failed: timeout, client: 10.0.0.4, \
                    server: _, request: \"GET /redirect_uri?code=1 HTTP/1.1\"";
        let hit = read("accessing {name} endpoint ({url}) failed: {detail}", text)
            .expect("the module's message");
        assert_eq!(
            hit.captures[2],
            ("detail".to_string(), "timeout".to_string())
        );
        // Without nginx's `server:` after it, `client:` is the message's own word.
        let hit = read(
            "login failed: {detail}",
            "login failed: unknown client: app-7",
        )
        .expect("the message");
        assert_eq!(hit.captures[0].1, "unknown client: app-7");
    }
}
