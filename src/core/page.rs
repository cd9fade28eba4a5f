//! What the page asks the engine and what the engine answers, as binary messages.
//!
//! The page's first load carries no knowledge base: its interface (`src/app/`) is
//! one small wasm, and the engine (this crate's `core`, with the knowledge base)
//! is another, started in a Web Worker after the first paint (`src/engine.rs`).
//! Everything the interface shows of the knowledge base comes through
//! [`Engine::answer`]: a diagnosis with the entries' titles and permalinks it links
//! to (as a view of only what the page shows), a metadata check, a scope
//! comparison, the index's filter, a share link, the discovery probe (planned,
//! fetched and read by the engine's worker). The same code runs natively in the
//! tests, so both ends of the protocol are tested without a browser.
//!
//! Messages are [postcard](https://docs.rs/postcard): serde's derives read it with
//! far less code than JSON (no field names, no self-description), which is most of
//! what reading the answers cost the interface's first load (measured on its wasm:
//! 201.5 to 155 KB gzip, with the gallery as literals). Postcard is read by position, so a
//! page and an engine of different builds could misread each other silently: every
//! message starts with [`WIRE`], and one of another build is refused.

use serde::{Deserialize, Serialize};

use super::diagnose::{Diagnosis, FilledStep, JwtReport, Options, diagnose};
use super::kb::{self, Entry, EntryKind, Kb};
use super::metadata::{self, MetadataError, MetadataReport};
use super::probe::{Fetched, Probe, ProbeView, Target};
use super::redact::{ShareLink, share_fragment};
use super::scope::{ScopeAnalysis, ScopeComparison, compare};
use super::search::search;
use super::view::{self, Segment};
use crate::site::{entry_path, vendor_path};

/// A fingerprint of the engine's types and the locked serde and postcard
/// (`build.rs`): a page and an engine speak one protocol only if theirs are equal.
pub const WIRE: u64 = include!(concat!(env!("OUT_DIR"), "/wire.rs"));

/// One question, with the number its answer carries back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ask {
    /// [`WIRE`] of the page that asks; first, so that it is read before anything else.
    pub wire: u64,
    pub id: u32,
    pub request: Request,
}

impl Ask {
    pub fn new(id: u32, request: Request) -> Ask {
        Ask {
            wire: WIRE,
            id,
            request,
        }
    }

    /// The message; `None` only if a type cannot be encoded (a bug, caught by tests).
    pub fn encode(&self) -> Option<Vec<u8>> {
        postcard::to_allocvec(self).ok()
    }
}

/// The first two members of every message: whose protocol it speaks, and the
/// question's number. Read on their own when the rest cannot be.
#[derive(Debug, Deserialize)]
struct Head {
    wire: u64,
    id: u32,
}

/// Why a message cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// It is of another build (`WIRE` differs): one side is stale, from a cache.
    OtherBuild,
    /// It is of this build and still does not decode (a bug), or it is no message.
    Malformed(String),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::OtherBuild => {
                f.write_str("the page and its engine are of different builds")
            }
            Unreadable::Malformed(why) => write!(f, "a message could not be read ({why})"),
        }
    }
}

/// Reads a message of this build: its [`Head`] first, then the whole.
fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, (Unreadable, u32)> {
    let head = postcard::take_from_bytes::<Head>(bytes)
        .map_err(|e| (Unreadable::Malformed(e.to_string()), 0))?
        .0;
    if head.wire != WIRE {
        return Err((Unreadable::OtherBuild, head.id));
    }
    postcard::from_bytes(bytes).map_err(|e| (Unreadable::Malformed(e.to_string()), head.id))
}

/// What the page asks.
// Externally tagged (serde's default): postcard reads no other form, and serde's
// internally tagged enums would buffer through `Content`, costing the page's wasm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Diagnose a paste. `now` is the page's clock (token expiry); `metadata` the
    /// server's document, checked, when the person gave one.
    Diagnose {
        text: String,
        now: Option<i64>,
        metadata: Option<MetadataReport>,
    },
    /// Check a pasted metadata document (a fetched one is checked by the probe).
    CheckMetadata { text: String },
    /// The knowledge-base index filtered by `query`, at most `shown` entries found
    /// by words.
    Search { query: String, shown: usize },
    /// A share link's fragment for `text`, its secrets redacted.
    Share { text: String },
    /// Start the discovery probe for what the person typed (an issuer, a
    /// well-known or an MCP server URL); `https`: the page is served over https;
    /// `scope`: the scope the diagnosis read, compared with what the server
    /// advertises. A probe started replaces the one before. The engine fetches,
    /// one URL at a time, and answers after each fetch (`more` until the last).
    ProbeStart {
        input: String,
        https: bool,
        scope: Option<String>,
    },
    /// Requested, allowed and granted scopes side by side ([`compare`]).
    CompareScopes {
        requested: String,
        allowed: Option<String>,
        granted: Option<String>,
    },
}

/// One answer, with the number of the question it answers (0 for what the engine
/// says unasked: [`Reply::Ready`], [`Reply::Prose`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// [`WIRE`] of the engine that answers.
    pub wire: u64,
    pub id: u32,
    pub reply: Reply,
    /// More answers to the same question will follow (the probe's, one per fetch).
    pub more: bool,
}

impl Answer {
    fn new(id: u32, reply: Reply) -> Answer {
        Answer {
            wire: WIRE,
            id,
            reply,
            more: false,
        }
    }

    /// Reads an answer: the page's side.
    pub fn read(bytes: &[u8]) -> Result<Answer, Unreadable> {
        decode(bytes).map_err(|(why, _)| why)
    }

    /// The message. An answer that cannot be encoded (a bug) is sent as
    /// [`Reply::Refused`], so that the page stops waiting for it.
    fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_else(|e| {
            let refused = Answer::new(
                self.id,
                Reply::Refused {
                    why: format!("the answer could not be written: {e}"),
                },
            );
            postcard::to_allocvec(&refused).unwrap_or_default()
        })
    }
}

/// What the engine answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The engine has started and built its indexes.
    Ready {
        entries: usize,
    },
    /// Whether the causes' prose (`prose.json`, which the engine fetches once it is
    /// ready) was taken; an error says why not. Sent unasked, as answer 0.
    Prose {
        error: Option<String>,
    },
    Diagnosed {
        diagnosis: Box<PageDiagnosis>,
    },
    Metadata {
        report: Box<Result<MetadataReport, MetadataError>>,
    },
    Searched {
        results: SearchView,
    },
    Compared {
        comparison: ScopeComparison,
    },
    Shared {
        link: ShareLink,
    },
    /// The probe so far (or why it cannot start), and the URL the engine is
    /// fetching now, if any.
    Probe {
        probe: Box<Result<ProbeView, String>>,
        fetching: Option<Target>,
    },
    /// The question could not be read (a page and an engine of different builds).
    Refused {
        why: String,
    },
}

/// A diagnosis as the page shows it, and only that: the engine builds it from the
/// [`Diagnosis`] ([`page_diagnosis`]) with the titles and permalinks of the
/// entries it names, so that the interface only renders (and reads no more than
/// it shows: every member here costs the first load its reader).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageDiagnosis {
    /// The error code, as written.
    pub error: Option<String>,
    /// The code's specification section.
    pub error_spec: Option<String>,
    pub error_description: Option<String>,
    pub error_uri: Option<String>,
    /// The vendor's id (`data-vendor`) and name.
    pub vendor: Option<String>,
    pub vendor_name: Option<String>,
    pub vendor_codes: Vec<String>,
    pub blamed_scopes: Vec<String>,
    /// What the text says beside the error, in [`SHOWN_FIELDS`] order: `(key, value)`.
    pub fields: Vec<(String, String)>,
    /// The error came in a resource server's `WWW-Authenticate` challenge.
    pub resource_server: bool,
    /// The kinds of secret the text holds (`access_token`, `client_secret`...).
    pub secrets: Vec<String>,
    pub notes: Vec<String>,
    /// The registered code's entry, when the knowledge base has it.
    pub code_entry: Option<EntryLink>,
    /// The ranked causes, most likely first, at most [`SHOWN_CAUSES`].
    pub causes: Vec<CauseView>,
    pub scopes: ScopeView,
    pub tokens: Vec<TokenView>,
    /// The pasted text with the evidence marked ([`view::segments`]); empty when
    /// nothing is marked.
    pub highlight: Vec<Segment>,
}

/// What the page shows beside the error, in this order, when the text has it: the
/// request's own parameters are often the answer (an MCP client's `resource`).
pub const SHOWN_FIELDS: [&str; 9] = [
    "state",
    "decoded",
    "resource",
    "audience",
    "client_id",
    "redirect_uri",
    "prompt",
    "realm",
    "resource_metadata",
];

/// The most causes the page lists.
pub const SHOWN_CAUSES: usize = 6;

/// A ranked cause as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CauseView {
    /// The knowledge-base entry, and its permalink when it has a page.
    pub entry: String,
    pub page: Option<String>,
    pub tag: String,
    pub title: String,
    /// Relative likelihood, in percent.
    pub percent: u32,
    /// Empty until the engine has the causes' prose (`prose.json`).
    pub explanation: String,
    pub fix: String,
    pub spec: Option<String>,
    /// The steps for the vendor the text names (and for any server), then the
    /// others'.
    pub steps: Vec<StepView>,
    pub other_steps: Vec<StepView>,
    /// Why it ranks: the evidence, in words.
    pub evidence: Vec<String>,
}

/// One step of a fix, its command filled in from the paste.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    /// The name of the vendor it is for, if it is for one.
    pub vendor: Option<String>,
    pub text: String,
    pub command: Option<String>,
}

/// The scope string: its tokens and its problems, each under its characters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScopeView {
    pub text: String,
    /// Each token, and whether a problem (a warning or worse) touches it.
    pub tokens: Vec<(String, bool)>,
    pub problems: Vec<ScopeProblemView>,
}

/// A problem of the scope string, with the text cut around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeProblemView {
    /// The problem's kind and severity, lowercase (`data-problem`, the class).
    pub kind: String,
    pub severity: String,
    pub before: String,
    /// The characters at fault (`‸` where something is missing).
    pub at: String,
    pub after: String,
    pub message: String,
    /// What to write instead, in words ("remove it", "write a space").
    pub suggestion: Option<String>,
}

/// A JWT as the page shows it: decoded, never verified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenView {
    pub alg: String,
    pub iss: Option<String>,
    pub aud: Option<String>,
    pub scopes: Option<String>,
    pub azp: Option<String>,
    pub client_id: Option<String>,
    /// "expired 3 hours ago", "expires in 5 minutes".
    pub expiry: Option<String>,
}

/// An entry as a link: its permalink, title and summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryLink {
    pub id: String,
    /// The permalink, relative to the site root (`errors/invalid_scope/`).
    pub path: String,
    pub title: String,
    pub summary: String,
}

impl EntryLink {
    fn of(e: &Entry) -> EntryLink {
        EntryLink {
            id: e.id.clone(),
            path: entry_path(e),
            title: e.title.clone(),
            summary: e.summary.clone(),
        }
    }
}

/// The index's filter, as the page lists it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchView {
    /// Entries whose templates the query matched as a message.
    pub by_message: Vec<EntryRow>,
    /// Entries found by words, the first `shown`.
    pub by_words: Vec<EntryRow>,
    /// How many more entries the words found.
    pub more: usize,
    /// Every entry found.
    pub total: usize,
    /// Vendors: `(permalink, name)`.
    pub vendors: Vec<(String, String)>,
    pub tags: Vec<String>,
}

impl SearchView {
    pub fn is_empty(&self) -> bool {
        self.total == 0 && self.vendors.is_empty() && self.tags.is_empty()
    }
}

/// One entry in the index's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryRow {
    pub id: String,
    /// What the list shows in code type: a code's name or a message's id.
    pub label: String,
    pub title: String,
    pub path: String,
}

impl EntryRow {
    fn of(e: &Entry) -> EntryRow {
        let label = match e.kind {
            EntryKind::Code => e.id.trim_start_matches("code.").to_string(),
            EntryKind::Message => e.id.clone(),
        };
        EntryRow {
            id: e.id.clone(),
            label,
            title: e.title.clone(),
            path: entry_path(e),
        }
    }
}

/// The answer the engine sends, unasked, once it has the causes' prose (`text`,
/// the content of `prose.json`) or knows why not.
pub fn prose_taken(text: Result<String, String>) -> Vec<u8> {
    Answer::new(
        0,
        Reply::Prose {
            error: text.and_then(|json| kb::load_prose(&json)).err(),
        },
    )
    .encode()
}

/// The answer the engine sends once it has started.
pub fn ready() -> Vec<u8> {
    Answer::new(
        0,
        Reply::Ready {
            entries: Kb::get().entries.len(),
        },
    )
    .encode()
}

/// What the engine says to one question: the message for the page, and the URL
/// its probe wants fetched next (the worker fetches it, then calls
/// [`Engine::record`] with question `id`).
#[derive(Debug)]
pub struct Answered {
    pub message: Vec<u8>,
    pub id: u32,
    pub fetch: Option<Target>,
}

/// The engine's state between questions: the discovery probe under way.
#[derive(Debug, Default)]
pub struct Engine {
    probe: Option<ProbeRun>,
}

/// A probe, the question that started it, and the URL being fetched for it.
#[derive(Debug)]
struct ProbeRun {
    id: u32,
    probe: Probe,
    fetching: Option<Target>,
}

impl Engine {
    /// Answers one question (an encoded [`Ask`]) with an encoded [`Answer`]. Never
    /// panics: a question it cannot read gets [`Reply::Refused`], with the
    /// question's number when at least that could be read.
    pub fn answer(&mut self, ask: &[u8]) -> Answered {
        let (id, reply) = match decode::<Ask>(ask) {
            Ok(ask) => (ask.id, self.reply(ask.id, ask.request)),
            Err((why, id)) => (
                id,
                Reply::Refused {
                    why: format!("the engine could not read the question: {why}"),
                },
            ),
        };
        self.answered(id, reply)
    }

    /// Records what fetching the probe's URL gave, for the probe that question
    /// `id` started, and says what it means; `None` if a newer probe replaced it
    /// (the page no longer listens for it).
    pub fn record(
        &mut self,
        id: u32,
        fetched: Fetched,
        elapsed_ms: Option<u32>,
    ) -> Option<Answered> {
        let run = self.probe.as_mut().filter(|run| run.id == id)?;
        let target = run.fetching.take()?;
        run.probe.record(target, fetched, elapsed_ms);
        let reply = self.probe_next();
        Some(self.answered(id, reply))
    }

    fn answered(&self, id: u32, reply: Reply) -> Answered {
        let fetch = match &reply {
            Reply::Probe {
                fetching: Some(target),
                ..
            } => Some(target.clone()),
            _ => None,
        };
        let mut answer = Answer::new(id, reply);
        answer.more = fetch.is_some();
        Answered {
            message: answer.encode(),
            id,
            fetch,
        }
    }

    /// The reply to question `id`.
    fn reply(&mut self, id: u32, request: Request) -> Reply {
        match request {
            Request::Diagnose {
                text,
                now,
                metadata,
            } => Reply::Diagnosed {
                diagnosis: Box::new(page_diagnosis(
                    diagnose(&text, &Options { now, metadata }),
                    &text,
                )),
            },
            Request::CompareScopes {
                requested,
                allowed,
                granted,
            } => Reply::Compared {
                comparison: compare(&requested, allowed.as_deref(), granted.as_deref()),
            },
            Request::CheckMetadata { text } => Reply::Metadata {
                report: Box::new(metadata::check(&text, None, None)),
            },
            Request::Search { query, shown } => Reply::Searched {
                results: search_view(&query, shown),
            },
            Request::Share { text } => Reply::Shared {
                link: share_fragment(&text),
            },
            Request::ProbeStart {
                input,
                https,
                scope,
            } => match Probe::start(&input, https, scope.as_deref()) {
                Ok(probe) => {
                    self.probe = Some(ProbeRun {
                        id,
                        probe,
                        fetching: None,
                    });
                    self.probe_next()
                }
                Err(e) => {
                    self.probe = None;
                    Reply::Probe {
                        probe: Box::new(Err(e.0)),
                        fetching: None,
                    }
                }
            },
        }
    }

    /// The probe as it stands, with its next target (kept, to record its outcome).
    fn probe_next(&mut self) -> Reply {
        match self.probe.as_mut() {
            Some(run) => {
                run.fetching = run.probe.next_target();
                Reply::Probe {
                    probe: Box::new(Ok(run.probe.view())),
                    fetching: run.fetching.clone(),
                }
            }
            None => Reply::Probe {
                probe: Box::new(Err("no probe is under way".into())),
                fetching: None,
            },
        }
    }
}

/// `d`, the diagnosis of `text`, as the page shows it.
pub fn page_diagnosis(d: Diagnosis, text: &str) -> PageDiagnosis {
    let kb = Kb::get();
    let code_entry = d
        .error
        .as_ref()
        .and_then(|c| kb.code_entry(c.as_str()))
        .map(EntryLink::of);
    let vendor_name = |id: &str| kb.vendor(id).map(|v| v.name.clone());
    let step = |s: &FilledStep| StepView {
        vendor: s.vendor.as_deref().and_then(vendor_name),
        text: s.text.clone(),
        command: s.command.clone(),
    };
    let causes = d
        .causes
        .iter()
        .take(SHOWN_CAUSES)
        .map(|c| {
            let (mine, others) = c.steps_for(d.vendor.as_deref());
            CauseView {
                entry: c.entry.clone(),
                page: kb.entry(&c.entry).map(entry_path),
                tag: c.tag.clone(),
                title: c.title.clone(),
                percent: (c.score * 100.0).round() as u32,
                explanation: c.explanation.clone(),
                fix: c.fix.clone(),
                spec: c.spec.clone(),
                steps: mine.into_iter().map(step).collect(),
                other_steps: others.into_iter().map(step).collect(),
                evidence: c.evidence.iter().map(|e| e.what.clone()).collect(),
            }
        })
        .collect();
    let marks = view::marks(&d, text);
    let highlight = if marks.is_empty() {
        Vec::new()
    } else {
        view::segments(text, &marks)
    };
    let field = |key: &str| d.fields.iter().find(|f| f.key == key);
    PageDiagnosis {
        error: d.error.as_ref().map(|e| e.as_str().to_string()),
        error_spec: d.error_spec.clone(),
        error_description: d.error_description.clone(),
        error_uri: d.error_uri.clone(),
        vendor: d.vendor.clone(),
        vendor_name: d.vendor_name.clone(),
        vendor_codes: d.vendor_codes.clone(),
        blamed_scopes: d.blamed_scopes.clone(),
        fields: SHOWN_FIELDS
            .iter()
            .filter_map(|k| field(k).map(|f| (f.key.clone(), f.value.clone())))
            .collect(),
        resource_server: d.resource_server,
        secrets: d.secrets.iter().map(|s| s.kind.clone()).collect(),
        notes: d.notes.clone(),
        code_entry,
        causes,
        scopes: scope_view(&d.scopes),
        tokens: d.jwts.iter().map(token_view).collect(),
        highlight,
    }
}

/// The scope string's tokens and problems, cut for the page.
fn scope_view(a: &ScopeAnalysis) -> ScopeView {
    let text = &a.text;
    let cut = |from: usize, to: usize| text.get(from..to).unwrap_or("").to_string();
    ScopeView {
        text: text.clone(),
        tokens: a
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), a.token_is_faulty(i)))
            .collect(),
        problems: a
            .problems
            .iter()
            .map(|p| {
                let at = cut(p.span.0, p.span.1);
                ScopeProblemView {
                    kind: format!("{:?}", p.kind).to_lowercase(),
                    severity: format!("{:?}", p.severity).to_lowercase(),
                    before: cut(0, p.span.0),
                    at: if at.is_empty() { "\u{2038}".into() } else { at },
                    after: cut(p.span.1, text.len()),
                    message: p.message.clone(),
                    suggestion: p.suggestion.as_deref().map(|s| match s {
                        "" => "remove it".to_string(),
                        " " => "write a space".to_string(),
                        s => format!("write \u{201c}{s}\u{201d}"),
                    }),
                }
            })
            .collect(),
    }
}

/// A JWT's claims that matter, and its expiry in words.
fn token_view(j: &JwtReport) -> TokenView {
    let c = &j.jwt.claims;
    let joined = |v: &[String]| (!v.is_empty()).then(|| v.join(" "));
    TokenView {
        alg: j
            .jwt
            .header
            .get("alg")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("?")
            .to_string(),
        iss: c.iss.clone(),
        aud: joined(&c.aud),
        scopes: joined(&c.scopes),
        azp: c.azp.clone(),
        client_id: c.client_id.clone(),
        expiry: j.expires_in.map(|s| {
            let when = view::relative_time(s);
            if s < 0 {
                format!("expired {when}")
            } else {
                format!("expires {when}")
            }
        }),
    }
}

/// The index filtered by `query` ([`search`]), as the page lists it.
pub fn search_view(query: &str, shown: usize) -> SearchView {
    let kb = Kb::get();
    let r = search(kb, query);
    let row = |&i: &usize| EntryRow::of(&kb.entries[i]);
    SearchView {
        by_message: r.by_message.iter().map(row).collect(),
        by_words: r.by_words.iter().take(shown).map(row).collect(),
        more: r.by_words.len().saturating_sub(shown),
        total: r.by_message.len() + r.by_words.len(),
        vendors: r
            .vendors
            .iter()
            .map(|&i| (vendor_path(&kb.vendors[i].id), kb.vendors[i].name.clone()))
            .collect(),
        tags: r.tags.iter().map(|t| t.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(id: u32, request: Request) -> Answer {
        ask_of(&mut Engine::default(), id, request)
    }

    fn ask_of(engine: &mut Engine, id: u32, request: Request) -> Answer {
        let question = Ask::new(id, request).encode().expect("encodes");
        Answer::read(&engine.answer(&question).message).expect("the answer reads")
    }

    #[test]
    fn a_diagnosis_crosses_unchanged() {
        let text = "error=invalid_scope&error_description=The+requested+scope+is+invalid%2C+unknown%2C+or+malformed.+The+OAuth+2.0+Client+is+not+allowed+to+request+scope+%27offline_access%27.";
        let a = ask(
            7,
            Request::Diagnose {
                text: text.into(),
                now: Some(1_700_000_000),
                metadata: None,
            },
        );
        assert_eq!(a.id, 7);
        let Reply::Diagnosed { diagnosis } = a.reply else {
            panic!("not a diagnosis: {:?}", a.reply)
        };
        let direct = diagnose(
            text,
            &Options {
                now: Some(1_700_000_000),
                metadata: None,
            },
        );
        assert_eq!(*diagnosis, page_diagnosis(direct.clone(), text));
        assert_eq!(diagnosis.error.as_deref(), Some("invalid_scope"));
        assert_eq!(
            diagnosis.code_entry.as_ref().map(|e| e.path.as_str()),
            Some("errors/invalid_scope/")
        );
        assert_eq!(
            diagnosis.causes.len(),
            direct.causes.len().min(SHOWN_CAUSES)
        );
        assert!(diagnosis.causes.iter().all(|c| c.page.is_some()));
        assert_eq!(diagnosis.causes[0].tag, direct.causes[0].tag);
        // Hydra's steps come first, under Hydra's name; the blamed scope is marked.
        assert_eq!(diagnosis.vendor.as_deref(), Some("hydra"));
        let hydra = Kb::get().vendor("hydra").map(|v| v.name.as_str());
        assert!(
            diagnosis.causes[0]
                .steps
                .iter()
                .any(|s| s.vendor.is_some() && s.vendor.as_deref() == hydra),
            "{:?}",
            diagnosis.causes[0].steps
        );
        assert!(
            diagnosis
                .highlight
                .iter()
                .any(|s| s.text == "offline_access" && s.mark == Some(view::MarkKind::Scope))
        );
    }

    #[test]
    fn metadata_search_and_share_answer() {
        let Reply::Metadata { report } =
            ask(1, Request::CheckMetadata { text: "[1]".into() }).reply
        else {
            panic!("not a metadata reply")
        };
        assert_eq!(*report, Err(MetadataError::NotObject));

        let Reply::Searched { results } = ask(
            2,
            Request::Search {
                query: "invalid_scope".into(),
                shown: 3,
            },
        )
        .reply
        else {
            panic!("not a search reply")
        };
        assert!(results.by_words.len() <= 3);
        assert_eq!(
            results.total,
            results.by_message.len() + results.by_words.len() + results.more
        );
        assert!(
            results
                .by_words
                .iter()
                .any(|r| r.path == "errors/invalid_scope/")
        );

        let Reply::Shared { link } = ask(
            3,
            Request::Share {
                text: "client_secret=s3cr3t-value-123".into(),
            },
        )
        .reply
        else {
            panic!("not a share reply")
        };
        assert!(!link.fragment.contains("s3cr3t") && link.removed == ["client_secret"]);
    }

    #[test]
    fn every_case_and_example_crosses_unchanged() {
        // Postcard reads by position: a member that serde skips when empty, or a
        // flattened one, would shift everything after it. Every case under
        // tests/cases (JWTs, scope problems with and without a suggestion, vendor
        // codes, metadata notes) must cross whole.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
        let mut texts: Vec<String> = std::fs::read_dir(&dir)
            .expect("tests/cases")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| std::fs::read_to_string(p).expect("a case"))
            .collect();
        texts.extend(kb::GALLERY_TEXTS.iter().map(|t| t.to_string()));
        assert!(texts.len() > 100, "{} texts", texts.len());
        let mut engine = Engine::default();
        let (mut jwts, mut suggestions) = (0, 0);
        for (i, text) in texts.iter().enumerate() {
            let options = Options {
                now: Some(1_700_000_000),
                metadata: None,
            };
            let direct = diagnose(text, &options);
            let expiring = direct
                .jwts
                .iter()
                .filter(|j| j.expires_in.is_some())
                .count();
            let request = Request::Diagnose {
                text: text.clone(),
                now: options.now,
                metadata: None,
            };
            let Reply::Diagnosed { diagnosis } = ask_of(&mut engine, i as u32 + 1, request).reply
            else {
                panic!("not a diagnosis for {text:?}")
            };
            jwts += expiring;
            suggestions += direct
                .scopes
                .problems
                .iter()
                .filter(|p| p.suggestion.is_some())
                .count();
            assert_eq!(*diagnosis, page_diagnosis(direct, text), "{text:?}");
        }
        assert!(
            jwts > 0 && suggestions > 0,
            "{jwts} JWTs, {suggestions} suggestions"
        );
    }

    #[test]
    fn an_unreadable_question_is_refused_with_its_number() {
        let mut engine = Engine::default();
        let refused = |bytes: &[u8], engine: &mut Engine| {
            let a = Answer::read(&engine.answer(bytes).message).expect("a refusal reads");
            match a.reply {
                Reply::Refused { why } => (a.id, why),
                other => panic!("not refused: {other:?}"),
            }
        };
        // A question of another build: its number is read, the rest is not trusted.
        let stale = Ask {
            wire: WIRE ^ 1,
            id: 9,
            request: Request::Share { text: "x".into() },
        };
        let (id, why) = refused(&stale.encode().expect("encodes"), &mut engine);
        assert_eq!(id, 9);
        assert!(why.contains("different builds"), "{why}");
        // This build's head, then a request that does not exist (variant 200).
        let mut bad = postcard::to_allocvec(&(WIRE, 12u32)).expect("encodes");
        bad.extend(postcard::to_allocvec(&200u32).expect("encodes"));
        let (id, why) = refused(&bad, &mut engine);
        assert_eq!(id, 12);
        assert!(why.contains("could not be read"), "{why}");
        // Not a message at all.
        assert_eq!(refused(&[0xff, 0xff], &mut engine).0, 0);
        assert_eq!(refused(&[], &mut engine).0, 0);
        // And the page refuses an answer of another build.
        let mut other = Answer::new(0, Reply::Ready { entries: 1 });
        other.wire ^= 1;
        let bytes = postcard::to_allocvec(&other).expect("encodes");
        assert_eq!(Answer::read(&bytes), Err(Unreadable::OtherBuild));
        assert!(matches!(
            Answer::read(b"\x00"),
            Err(Unreadable::Malformed(_))
        ));
    }

    #[test]
    fn the_probe_runs_in_the_engine_one_fetch_at_a_time() {
        let mut engine = Engine::default();
        let probe = |a: Answer| match a.reply {
            Reply::Probe { probe, fetching } => (*probe, fetching, a.more),
            other => panic!("not a probe reply: {other:?}"),
        };
        let start = |input: &str| {
            Ask::new(
                1,
                Request::ProbeStart {
                    input: input.into(),
                    https: true,
                    scope: Some("openid offline_access".into()),
                },
            )
            .encode()
            .expect("encodes")
        };
        let first = engine.answer(&start("https://accounts.google.com"));
        let (started, fetching, more) = probe(Answer::read(&first.message).expect("reads"));
        assert!(started.expect("a probe").steps.is_empty());
        assert!(more && fetching.is_some() && fetching == first.fetch);
        // Google's real discovery document where it is; a 404 anywhere else. The
        // worker fetches; here the test does.
        let body = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/fixtures/discovery/google-oidc.json"),
        )
        .expect("the shared fixtures beside the repository");
        let mut view = None;
        let mut next = first.fetch;
        let mut fetches = 0;
        while let Some(target) = next.take() {
            let found =
                target.url == "https://accounts.google.com/.well-known/openid-configuration";
            let fetched = Fetched::Response {
                status: if found { 200 } else { 404 },
                content_type: Some("application/json".into()),
                body: if found { body.clone() } else { String::new() },
                redirected_to: None,
            };
            let answered = engine
                .record(1, fetched, Some(12))
                .expect("the probe under way");
            let (v, fetching, more) = probe(Answer::read(&answered.message).expect("reads"));
            assert_eq!(more, fetching.is_some());
            assert_eq!(fetching, answered.fetch);
            view = Some(v.expect("the probe"));
            next = answered.fetch;
            fetches += 1;
            assert!(fetches < 10, "the probe does not end");
        }
        let view = view.expect("at least one fetch");
        assert_eq!(
            view.steps.last().map(|s| s.outcome.kind.as_str()),
            Some("found")
        );
        assert!(view.done);
        // Checked in the engine, with what the knowledge base knows of Google.
        let report = view.report().expect("the server's document");
        assert!(
            report.problems.iter().any(|p| p.kind == "vendor"),
            "{report:?}"
        );
        // Nothing is under way once it is over; a probe replaced by a newer one
        // records nothing more; an input that is no URL says so.
        assert!(engine.record(1, Fetched::Timeout, None).is_none());
        let again = engine.answer(&start("https://accounts.google.com"));
        assert!(again.fetch.is_some());
        let newer = Ask::new(
            2,
            Request::ProbeStart {
                input: "https://login.example.com".into(),
                https: true,
                scope: None,
            },
        );
        engine.answer(&newer.encode().expect("encodes"));
        assert!(engine.record(1, Fetched::Timeout, None).is_none());
        assert!(engine.record(2, Fetched::Timeout, None).is_some());
        let bad = engine.answer(&start("not a url at all"));
        let (bad, fetching, more) = probe(Answer::read(&bad.message).expect("reads"));
        assert!(bad.is_err() && fetching.is_none() && !more);
    }
}
