//! From pasted text to ranked causes: extraction, template matching, scope analysis
//! and ranking, in one deterministic pass that is cheap enough for every keystroke.

use serde::Serialize;

use super::Span;
use super::error_code::ErrorCode;
use super::extract::{self, Extraction, Field, Jwt, Secret};
use super::focus;
use super::kb::{Cause, Entry, EntryKind, Kb};
use super::matcher::{self, Hit};
use super::metadata::MetadataReport;
use super::scope::{self, ScopeAnalysis, Severity};
use super::similar;
use super::text::{Normalized, is_whole_word, normalize};

mod haystack;
mod phrases;
mod rank;
mod rules;
mod scopes;
mod vendor;

use haystack::{Haystack, console_breaks, joinable, uncut_copy, unquoted_copy};
use phrases::Phrases;
use rank::{FillContext, Ranker, metadata_evidence};
use rules::{
    GRANT_CONTEXT_BOOST, METADATA_FAILURE_BOOST, api_401, device_wait, failed_metadata_url,
    grant_exchanged, identifier_words, scope_required, server_down, token_endpoint_401,
};
use scopes::{MALFORMED_KINDS, ScopeSignals, blamed_scopes, mentioned_scopes, scope_string};
use vendor::detect_vendor;

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
    pub error_spec: Option<String>,
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

/// Up to this length a pasted text with quoted lines or HTML character references
/// is also extracted without them.
const MAX_COPIED: usize = 64 * 1024;

const NOTHING_PASTED: &str =
    "nothing pasted yet: paste an error body, a redirect URL, a header or a log line";

/// Builds what the first diagnosis would otherwise build (the knowledge base, its
/// template automaton, its phrase lists): for the page to call once it has painted,
/// so that neither its first render nor the first paste pays for it.
pub fn warm_up() {
    let _ = diagnose("error=invalid_scope", &Options::default());
    similar::warm_up(Kb::get());
}

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
    // and the glued copy the haystack adds.
    let breaks = joinable(text).then(|| console_breaks(text)).flatten();
    // A console cut a value inside a word (`error_description=The%20req\nuest...`,
    // `"invalid_c\nlient"`): what the lines say read whole again.
    if let Some((uncut, removed)) = breaks.as_deref().and_then(|b| uncut_copy(text, b)) {
        x.add_uncut(extract::extract(&uncut), &removed);
    }
    // A message quoted line by line (`> {"error": ...`), and a body or a query
    // escaped for an HTML page and copied from its source
    // (`{&quot;error&quot;:&quot;invalid_scope&quot;...}`): what each says, read
    // without the quote marks or unescaped. (Matching reads both itself: the
    // haystack's Markdown copy, `Normalized`'s references.)
    if text.len() <= MAX_COPIED {
        let copies = [unquoted_copy(text), crate::core::text::html_unescaped(text)];
        for (copy, removed) in copies.into_iter().flatten() {
            x.add_copy(extract::extract(&copy), &removed);
        }
    }
    let stack = Haystack::build(text, &x, breaks.as_deref());
    let hay = Normalized::new(&stack.text);
    let mut hits = stack.find(&hay);
    // A word or two around placeholders (node-oidc-provider's `{property} must be
    // {values}`) reads any sentence of that shape (`kid must be provided in JWT
    // header`): without an error code beside it, it is no reading.
    if x.error().is_none() {
        hits.retain(|h| h.matched >= matcher::FEW_LITERAL || h.captures.is_empty());
    }
    let input_span = |h: &Hit| stack.input_span(&hay, h);

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
    // Not the URL a library's message names as the one it called: that is the
    // server's, whose host and markers vote.
    let hay_text = &hay.text;
    let quoted: Vec<(usize, usize)> = hits
        .iter()
        .filter(|h| !h.covered && h.quality >= 0.8)
        .flat_map(|h| {
            let called = vendor::called_url(kb, h);
            h.holes.iter().copied().filter(move |&(s, e)| {
                called.is_none_or(|url| {
                    !hay_text
                        .get(s..e)
                        .is_some_and(|hole| url.eq_ignore_ascii_case(hole))
                })
            })
        })
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
    let vendor = detect_vendor(kb, &x, &hits, error.as_ref(), &hay, &stack, &quoted);
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

    let reading = Reading {
        kb,
        text,
        x: &x,
        stack: &stack,
        hay: &hay,
        hits: &hits,
        error: &error,
        vendor: &vendor,
        phrases,
        signals: &signals,
        words: &present_words,
        scopes: &scopes,
    };
    let mut ranker = Ranker::default();
    reading.templates(&mut ranker);
    reading.codes(&mut ranker);
    reading.scope_string(&mut ranker, scopes_span, &blamed);
    let wrapped_topics = reading.topics(&mut ranker);
    reading.fallbacks(&mut ranker);
    reading.offline_only(&mut ranker);
    if let Some(m) = &options.metadata {
        metadata_evidence(kb, m, &signals, &mut ranker, &present_words, &scopes);
    }

    reading.order(&mut ranker, &wrapped_topics);

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
        error_spec: error.as_ref().and_then(ErrorCode::spec).map(str::to_string),
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

/// What one diagnosis has read from the text, which each kind of reading below
/// turns into candidate causes. The readings run in a fixed order (see
/// [`diagnose`]): a later one may look at what the earlier ones found.
#[derive(Clone, Copy)]
struct Reading<'r> {
    kb: &'static Kb,
    text: &'r str,
    x: &'r Extraction,
    stack: &'r Haystack,
    hay: &'r Normalized,
    hits: &'r [Hit],
    error: &'r Option<ErrorCode>,
    vendor: &'r Option<String>,
    phrases: &'static Phrases,
    signals: &'r ScopeSignals,
    /// The `when_words` phrases the text says.
    words: &'r [&'static str],
    scopes: &'r ScopeAnalysis,
}

impl Reading<'_> {
    /// Offers `entry`'s causes at `score`, each weighed by the scopes and words of
    /// the text.
    fn add(&self, ranker: &mut Ranker<'static>, entry: &'static Entry, score: f32, ev: Evidence) {
        ranker.add_entry(entry, score, ev, self.signals, self.words, self.scopes);
    }

    /// Where a template hit stands in the pasted text.
    fn input_span(&self, h: &Hit) -> Span {
        self.stack.input_span(self.hay, h)
    }

    /// The vendor templates found, each entry at its best occurrence; a code and
    /// description pair an entry writes as its template; and a reading covered by
    /// a longer one ranked under it.
    fn templates(&self, ranker: &mut Ranker<'static>) {
        let Reading {
            kb,
            x,
            hits,
            error,
            vendor,
            phrases,
            ..
        } = *self;
        let input_span = |h: &Hit| self.input_span(h);
        // Vendor codes (AADSTS70011) name their entries. Where one of the entries that
        // share a code also matched its template, that entry is the reading of the
        // text and the code only confirms it.
        let code_of = |e: &Entry| x.vendor_codes.iter().find(|vc| e.codes.contains(&vc.code));
        // A vendor's words inside the specification's sentence do not make it theirs.
        let any_message_hit = message_hit(kb, hits);
        // A vendor's copy of such a sentence (authentik's) says no more than the
        // sentence beside the vendor's own words (its log line that says why).
        let spec_copy: Vec<bool> = hits
            .iter()
            .map(|h| {
                is_message_hit(kb, h)
                    && phrases.is_spec_copy(&kb.entries[h.entry].templates[h.template])
            })
            .collect();
        let own_message_hit = hits
            .iter()
            .zip(&spec_copy)
            .any(|(h, &copy)| is_message_hit(kb, h) && !copy);
        // Vendor templates, best occurrence per entry.
        let mut seen_entries: Vec<usize> = Vec::new();
        for (h, &copy) in hits.iter().zip(&spec_copy) {
            if seen_entries.contains(&h.entry) {
                continue;
            }
            seen_entries.push(h.entry);
            let entry = &kb.entries[h.entry];
            let mut bonus = if entry.vendor.is_some() && entry.vendor == *vendor {
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
                _ if own_message_hit && copy => 0.6,
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
            self.add(ranker, entry, h.quality * weight + bonus, ev);
        }
        // A code and a short description that an entry writes as its template
        // (`unauthorized_client: Unauthorized`, Google's refresh answer), found as the
        // text's error and description however it printed them.
        if let (Some(code), Some(description)) = (&error, x.best("error_description")) {
            for &i in described_pair(kb, x, error.as_ref()) {
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
                self.add(ranker, entry, 0.9, ev);
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
    }

    /// Vendor codes (`AADSTS70011`), the error code, and a description that is a
    /// code itself.
    fn codes(&self, ranker: &mut Ranker<'static>) {
        let Reading {
            kb,
            x,
            hits,
            error,
            vendor,
            ..
        } = *self;
        let best_hit = hits.first().map_or(0.0, |h| h.quality);
        // An entry that shares the text's vendor code and matched its template is
        // the reading already (see `templates`): the code only confirms it.
        let hit_entries: Vec<usize> = hits.iter().map(|h| h.entry).collect();
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
                self.add(ranker, &kb.entries[i], quality, ev);
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
                self.add(ranker, entry, base, ev.clone());
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
                        || (e.vendor == *vendor && e.templates.is_empty() && e.codes.is_empty()))
            }) {
                let own = if entry.vendor.is_some() && entry.vendor == *vendor {
                    0.04
                } else {
                    0.0
                };
                let unsaid = if described
                    && !entry.templates.is_empty()
                    && !hits.iter().any(|h| h.entry == i)
                {
                    0.1
                } else {
                    0.0
                };
                self.add(ranker, entry, base + 0.06 + own - unsaid, ev.clone());
            }
        }
        // A finer code than the error: a description that is itself a code (Cognito's
        // hosted UI: `error_description=invalid_scope&error=invalid_request`, or its
        // own `redirect_mismatch`), or one that relays another registered code (a
        // proxy's `invalid_grant` with `Upstream rejected token exchange:
        // {"error":"invalid_client"}`, an MCP gateway relaying what the real server
        // refused). The finer code's entries go ahead of the error's.
        let finer = description_code(kb, x)
            .filter(|(_, c)| error.as_ref() != Some(c))
            .map(|(d, c)| (d.span, c, "is"))
            .or_else(|| {
                let d = x.best("error_description")?;
                x.fields
                    .iter()
                    .filter(|f| f.key == "error" && d.span.0 <= f.span.0 && f.span.1 <= d.span.1)
                    .map(|f| (f.span, ErrorCode::parse(&f.value)))
                    .find(|(_, c)| c.is_registered() && error.as_ref().is_some_and(|e| e != c))
                    .map(|(span, c)| (span, c, "relays"))
            });
        if let Some((span, finer, how)) = finer {
            let ev = Evidence {
                what: format!("the description {how} the code {finer}"),
                span: Some(span),
            };
            let base = if best_hit >= 0.6 { 0.45 } else { 0.67 };
            if let Some(entry) = kb.code_entry(finer.as_str()) {
                self.add(ranker, entry, base, ev.clone());
            }
            for entry in kb
                .entries
                .iter()
                .filter(|e| e.kind == EntryKind::Message && !finer.is_registered())
                .filter(|e| e.names_error(finer.as_str()))
            {
                self.add(ranker, entry, base + 0.06, ev.clone());
            }
        }
    }

    /// What the scope string itself says: its problems where nothing else speaks,
    /// and a blamed scope that breaks the grammar.
    fn scope_string(
        &self,
        ranker: &mut Ranker<'static>,
        scopes_span: Option<Span>,
        blamed: &[String],
    ) {
        let Reading { kb, scopes, .. } = *self;
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
            self.add(ranker, entry, 0.4, ev);
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
                self.add(ranker, entry, 0.5, ev.clone());
                ranker.boost("scope.malformed", 0.35, &ev);
            }
        }
    }

    /// Topics that words no template reads name: beside a bare code, and inside a
    /// wrapper's placeholder. Returns the wrappers and the entries their words
    /// named, for [`Reading::order`].
    fn topics(&self, ranker: &mut Ranker<'static>) -> Vec<(usize, usize)> {
        let Reading {
            kb,
            x,
            hay,
            hits,
            error,
            phrases,
            ..
        } = *self;
        let input_span = |h: &Hit| self.input_span(h);
        // A code with words no template knows (`invalid_client Invalid redirect_uri`):
        // a topic those words name is likelier than the code's other causes, and one
        // the code does not list is the likelier reading still.
        // So do the words beside the specification's own sentence, which many
        // servers send with a hint after it (`The request is missing a required
        // parameter, ... Hint: The 'redirect_uri' parameter does not match ...`).
        let spec_only = !hits.is_empty()
            && hits
                .iter()
                .all(|h| kb.entries[h.entry].kind == EntryKind::Code || h.covered);
        if (hits.is_empty() || spec_only) && error.is_some() && !ranker.is_empty() {
            let words = if spec_only {
                // Every copy of the sentence itself (the text, a decoded
                // description) is left out: its words name every cause.
                without_copies(&hay.text, hits.iter()).into_owned()
            } else {
                match x.best("error_description") {
                    Some(d) => normalize(&d.value),
                    None => hay.text.clone(),
                }
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
            // Words another template reads are that template's reading.
            let holds_other = hits
                .iter()
                .any(|h| h.entry != o.entry && o.holds_words(h, &hay.text));
            // What a placeholder for prose holds (`{detail}`, `{message}`), not a list
            // of values (`Supported methods: {methods}` names every method there is).
            let wrapper = &kb.entries[o.entry];
            for (_, value) in o.captures.iter().filter(|(name, value)| {
                !holds_other
                    && PROSE_PLACEHOLDERS.contains(&name.as_str())
                    && value.split_whitespace().count() >= 3
            }) {
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
            }
            // The wrapper carries the code: a placeholder holds it with more around
            // it (Dex's `Failed to authenticate: {detail}` around `invalid_scope:
            // ...`, `Token exchange failed: {status}` around `oauth2:
            // "invalid_scope" "..."`), or the `{error}` placeholder holds it bare in
            // a wrapper that says nothing of its own but its name (golang.org/x/oauth2's
            // `oauth2: "{error}" "{error_description}"`). A wrapper with words of its
            // own around the bare code (Duende's `Error in custom validation:
            // {error}`) tells the cause itself.
            let carries_code = error.as_ref().is_some_and(|code| {
                o.captures.iter().any(|(name, v)| {
                    let v = v.trim();
                    (name == "error"
                        && v == code.as_str()
                        && own_words(&wrapper.templates[o.template]) <= 1)
                        || (v.len() > code.as_str().len()
                            && v.match_indices(code.as_str())
                                .any(|(at, c)| is_whole_word(v, at, at + c.len())))
                })
            });
            // A registered code the wrapper carries: the code's causes are the reading, the
            // wrapper's own (its connector settings) the less likely one; unless the
            // wrapper tells that code's causes itself (ASP.NET Core's `OAuth token
            // endpoint failure: ... {"error":"invalid_grant"}`).
            if carries_code
                && let Some(code) = error.as_ref().filter(|c| c.is_registered())
                && wrapper.error.as_deref() != Some(code.as_str())
                && let Some(ci) = kb.code_entry_index(code.as_str())
                && !kb.entries[ci]
                    .causes
                    .iter()
                    .any(|c| wrapper.causes.iter().any(|w| w.tag == c.tag))
            {
                let ev = Evidence {
                    what: format!("the message's detail carries the code {}", code.as_str()),
                    span: Some(input_span(o)),
                };
                self.add(ranker, &kb.entries[ci], 0.8 * o.quality, ev);
                wrapped_topics.push((o.entry, ci));
            }
        }

        wrapped_topics
    }

    /// What is read where no message was: a metadata URL that failed, a token
    /// endpoint that answered 401, a topic mentioned, the nearest known message.
    fn fallbacks(&self, ranker: &mut Ranker<'static>) {
        let Reading {
            kb,
            text,
            hay,
            error,
            phrases,
            ..
        } = *self;
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
                self.add(ranker, entry, 0.8, ev);
            }
        }

        // Nothing matched and no code, but the text's shape says it, first match wins:
        // - a token endpoint answered 401 on its line (`error sending POST request to
        //   .../protocol/openid-connect/token: 401 Unauthorized`): RFC 6749 §5.2
        //   answers a client that failed to authenticate with 401;
        // - an API request answered 401 (`the server responded with status 401 -- get
        //   https://.../api/v2/...`): RFC 6750 §3.1's answer to an access token it does
        //   not take;
        // - a device flow whose code expired or waits for the person (`Unexpected
        //   polling state code_expired`): RFC 8628 §3.5's codes say it, over what the
        //   words alone would suggest (an expired authorization code);
        // - a proxy's status page (`502 Bad Gateway`): the server behind it is down,
        //   what RFC 6749 §4.1.2.1's `temporarily_unavailable` says.
        if ranker.is_empty() && error.is_none() {
            let shape = token_endpoint_401(text)
                .map(|ev| ("invalid_client", 0.6, ev))
                .or_else(|| api_401(&hay.text).map(|ev| ("invalid_token", 0.4, ev)))
                .or_else(|| {
                    device_wait(&hay.text).map(|(code, words)| {
                        let what =
                            format!("no known message matched; the text speaks of \"{words}\"");
                        (code, 0.45, Evidence { what, span: None })
                    })
                })
                .or_else(|| server_down(&hay.text).map(|ev| ("temporarily_unavailable", 0.4, ev)));
            if let Some((code, score, ev)) = shape
                && let Some(entry) = kb.code_entry(code)
            {
                self.add(ranker, entry, score, ev);
            }
        }

        // Nothing matched, no code: a plain mention of the topic (`redirect URI`,
        // `code_verifier`, `client secret`) still says where to look, weakly.
        if ranker.is_empty() {
            // Identifiers say it too (`PERMISSION_DENIED`, `ScopeNotAuthorizedError`):
            // read with their words apart where the text itself names no topic.
            let mut topics = phrases.topics_in(&hay.text, true);
            let split = topics
                .is_empty()
                .then(|| identifier_words(self.text))
                .flatten();
            if let Some(split) = &split {
                topics = phrases.topics_in(split, true);
            }
            // A lacking scope named in between (`requires the \`read:org\` OAuth scope`)
            // is the insufficient_scope topic.
            if topics.is_empty()
                && let Some(words) = scope_required(&hay.text)
                && let Some(e) = kb.code_entry_index("insufficient_scope")
                && let Some(c) = kb.entries[e]
                    .causes
                    .iter()
                    .position(|c| c.tag == "scope.insufficient")
            {
                topics.push((e, c, words));
            }
            for (e, c, w) in topics {
                let entry = &kb.entries[e];
                let ev = Evidence {
                    what: format!("no known message matched; the text speaks of \"{w}\""),
                    span: None,
                };
                self.add(ranker, entry, 0.3, ev.clone());
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
    }

    /// A refusal that blames `offline_access` alone is about refresh tokens.
    fn offline_only(&self, ranker: &mut Ranker<'static>) {
        let Reading {
            kb, error, signals, ..
        } = *self;
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
    }

    /// Which reading goes under which: a wrapper under the message it holds, a
    /// context under its cause in an error chain; and which grant failed.
    fn order(&self, ranker: &mut Ranker<'static>, wrapped_topics: &[(usize, usize)]) {
        let Reading { kb, hay, hits, .. } = *self;
        // A vendor's wrapper (`An error occurred while attempting to decode the Jwt:
        // {detail}`) ranks under the vendor message its placeholder holds, whatever the
        // code and the words add to it: not under the specification's own sentence, nor
        // under a library's words inside a service's (Dex's `github: failed to get
        // token: {detail}` says more than Go's `server response missing access_token`).
        for o in hits {
            let outer = &kb.entries[o.entry];
            for h in hits.iter().filter(|h| {
                let inner = &kb.entries[h.entry];
                h.entry != o.entry
                    && !h.covered
                    && inner.kind == EntryKind::Message
                    && (inner.vendor == outer.vendor || !kb.is_library(inner.vendor.as_deref()))
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

        for &(wrapper, topic) in wrapped_topics {
            ranker.cap_under(&kb.entries[wrapper], &kb.entries[topic]);
        }

        // Which grant failed: a paste that speaks of refreshing and never of a code
        // exchange (`failed to refresh identity: ... "invalid_grant"`) had its refresh
        // token refused, whatever message the server wraps it in.
        // A message whose entry lists both grants among its causes (authentik's
        // `The provided authorization grant or refresh token is invalid, ...`) does
        // not say which one was exchanged: only the words around it do.
        let around = without_copies(
            &hay.text,
            hits.iter().filter(|h| {
                let causes = &kb.entries[h.entry].causes;
                ["grant.code-invalid", "grant.refresh-invalid"]
                    .iter()
                    .all(|t| causes.iter().any(|c| c.tag == *t))
            }),
        );
        if let Some(word) = grant_exchanged(&around) {
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
    }
}

/// `text` with every copy of the words each of `hits` read blanked out (the
/// haystack repeats decoded descriptions): what the paste says around them.
fn without_copies<'t, 'h>(
    text: &'t str,
    hits: impl Iterator<Item = &'h Hit>,
) -> std::borrow::Cow<'t, str> {
    let mut out = std::borrow::Cow::Borrowed(text);
    for h in hits {
        if let Some(said) = text.get(h.start..h.end).filter(|s| !s.is_empty()) {
            out = std::borrow::Cow::Owned(out.replace(said, " "));
        }
    }
    out
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

/// How many words a template writes itself, outside its placeholders.
fn own_words(template: &str) -> usize {
    let mut words = 0;
    let mut in_hole = false;
    let mut in_word = false;
    for c in template.chars() {
        match c {
            '{' => in_hole = true,
            '}' => in_hole = false,
            c if !in_hole && c.is_alphanumeric() => {
                if !in_word {
                    words += 1;
                }
                in_word = true;
                continue;
            }
            _ => {}
        }
        in_word = false;
    }
    words
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

/// How far apart a message and the cause under it may stand in an error chain.
const CHAIN_GAP: usize = 2048;

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
