//! Rules read straight from the text where no message says it: which grant was
//! being exchanged, a metadata URL that failed, a token endpoint that answered 401.

use crate::core::text::{floor_boundary, is_whole_word, normalize};

use super::Evidence;

/// What the refresh-or-code context adds to the cause it names: enough to settle a
/// tie between the two readings of `invalid_grant`, not to outrank a message.
pub(super) const GRANT_CONTEXT_BOOST: f32 = 0.06;

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
pub(super) const METADATA_FAILURE_BOOST: f32 = 0.2;

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
pub(super) fn token_endpoint_401(text: &str) -> Option<Evidence> {
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
pub(super) fn failed_metadata_url(text: &str) -> Option<(&'static str, Evidence)> {
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
pub(super) fn grant_exchanged(text: &str) -> Option<&'static str> {
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

/// `text` with its identifiers' words apart (`PERMISSION_DENIED`, `IssuerUrlsDontMatch`,
/// `invalid-grant` read as `permission denied`, `issuer urls dont match`,
/// `invalid grant`), normalised; `None` where there is no such identifier.
pub(super) fn identifier_words(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = false;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        match c {
            '_' if prev.is_some_and(char::is_alphanumeric) => {
                out.push(' ');
                changed = true;
            }
            c if c.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase()) => {
                out.push(' ');
                out.push(c);
                changed = true;
            }
            c => out.push(c),
        }
        prev = Some(c);
    }
    changed.then(|| normalize(&out))
}
