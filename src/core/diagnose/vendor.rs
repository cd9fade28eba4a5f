//! Which product wrote the text: votes from template hits, vendor codes, markers
//! and hosts, with a library's words weighed under a service's.

use std::collections::HashMap;

use crate::core::Span;
use crate::core::error_code::ErrorCode;
use crate::core::extract::{Extraction, is_reason_phrase};
use crate::core::kb::{Entry, Kb, Vendor};
use crate::core::matcher::{self, Hit};
use crate::core::text::Normalized;

use super::haystack::Haystack;
use super::phrases::{Phrases, vendors_of};
use super::{described_pair, description_code, is_message_hit};

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

/// Below this many literal bytes (`failed to retrieve client`), a message's words
/// are a few common ones that the server whose URL the paste shows may write too.
const SERVED_WORDS: usize = 32;

/// Votes for the vendor: template hits, vendor codes, markers and hosts.
pub(super) fn detect_vendor(
    kb: &Kb,
    x: &Extraction,
    hits: &[Hit],
    error: Option<&ErrorCode>,
    hay: &Normalized,
    stack: &Haystack,
    quoted: &[(usize, usize)],
) -> Option<String> {
    let original = stack.text.as_str();
    let logged_at = stack.logged_at.as_slice();
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
    // The host of the URL a marker at `at` is part of, if it is in one.
    let url_host = |at: usize| {
        let token = hay.text[..at]
            .rfind(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .map_or(0, |i| i + 1);
        let scheme = hay.text[token..at].find("://")? + token + 3;
        let rest = &hay.text[scheme..];
        let end = rest
            .find(|c: char| matches!(c, '/' | ':' | '?' | '#' | '"' | '\'') || c.is_whitespace())
            .unwrap_or(rest.len());
        Some(&rest[..end])
    };
    // A marker in a URL on another vendor's host (ZITADEL's `/oauth/v2/token` path
    // on `accounts.zoho.com`) is that host's path, not the marker's product.
    let markers: Vec<(usize, usize)> = markers
        .into_iter()
        .filter(|&(v, at)| {
            url_host(at).is_none_or(|host| {
                !kb.vendors
                    .iter()
                    .enumerate()
                    .any(|(i, w)| i != v && w.serves_host(host))
            })
        })
        .collect();
    let marked = vendors_of(markers.iter().copied());
    // A server's marker outside a URL (an SDK's error domain, a server's logger)
    // says that server wrote the text; inside a URL it may be a client's own
    // address (`https://claude.ai/api/mcp/auth_callback?error=...`).
    let marked_bare = vendors_of(
        markers
            .into_iter()
            .filter(|&(_, at)| url_host(at).is_none()),
    );
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
    // Each vendor's vote by the URLs of its hosts in the paste (index as
    // `kb.vendors`).
    let url_votes: Vec<Option<f32>> = kb
        .vendors
        .iter()
        .map(|vendor: &Vendor| {
            x.hosts
                .iter()
                .filter(|h| about_oauth && vendor.serves_host(&h.host))
                .filter(|h| !quoted.iter().any(|q| q.0 <= h.span.0 && h.span.1 <= q.1))
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
            let library = kb.is_library(Some(v));
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
            // Words the vendor writes in lowercase, found with capitals of their own
            // (Better Auth's `missing authorization header` as Flask-JWT-Extended's
            // `Missing Authorization Header`), are another product's same words: a
            // cause, not a vote, whoever logged them.
            if let Some(template) = entry.templates.get(h.template) {
                let (from, to) = hay.original_span(h.start, h.end);
                if original
                    .get(from..to)
                    .is_some_and(|found| matcher::capitalised_apart(template, found))
                {
                    vote = vote.min(0.45);
                }
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
    // A product built on another's library (Authelia and Clerk on fosite) sends
    // that library's words: beside its own marker or host they are its own.
    for (i, vendor) in kb.vendors.iter().enumerate() {
        if !(marked.contains(&i) || served_by.contains(&vendor.id.as_str())) {
            continue;
        }
        for base in &vendor.built_on {
            if let Some(q) = best_hit.remove(base.as_str()) {
                let e = best_hit.entry(vendor.id.as_str()).or_default();
                *e = e.max(q);
            }
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
    let named = votes
        .into_iter()
        .map(|(v, raw)| {
            let capped = if kb.is_library(Some(v)) || relaying.contains(&v) {
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
        .map(|(v, _, _)| v.to_string());
    named.or_else(|| verbatim_sender(kb, hits))
}

/// Where nothing names a product: the one that sends the specification's sentence
/// the paste carries word for word (Doorkeeper's bare `The requested scope is
/// invalid, unknown, or malformed.`), if a vendor claims it.
fn verbatim_sender(kb: &Kb, hits: &[Hit]) -> Option<String> {
    hits.iter()
        .filter(|h| !h.covered && !h.partial && !h.shortened)
        .filter(|h| kb.entries[h.entry].vendor.is_none())
        .filter_map(|h| kb.entries[h.entry].templates.get(h.template))
        .find_map(|sentence| kb.vendors.iter().find(|v| v.verbatim.contains(sentence)))
        .map(|v| v.id.clone())
}

/// The URL a library's message names as the one it called (the browser's `Access to
/// fetch at '{url}' ... blocked by CORS policy`, Firefox's `... reading the remote
/// resource at {url}`): the server's, whose host and markers name the product the
/// paste is about, even inside the message.
pub(super) fn called_url<'h>(kb: &Kb, h: &'h Hit) -> Option<&'h str> {
    if !kb.is_library(kb.entries[h.entry].vendor.as_deref()) {
        return None;
    }
    h.captures
        .iter()
        .find(|(name, _)| name == "url")
        .map(|(_, value)| value.as_str())
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
