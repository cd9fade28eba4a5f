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

/// What else says an HTTP request was answered 401, beside [`TOKEN_401`].
const MORE_401: &[&str] = &[
    "http 401",
    "http401",
    "http/1.0 401",
    "http/1.1 401",
    "http/2 401",
    "401 []",
];

/// What, on the 401's line, says the request was the login itself (an
/// authorization server's endpoint, a password), not an API call with a token.
const LOGIN_WORDS: &[&str] = &[
    "/token",
    "token endpoint",
    "/authorize",
    "oauth",
    "login",
    "password",
    "credentials",
    "/auth",
    "code flow",
    "callback",
];

/// A request answered 401 Unauthorized on a line that names no login endpoint (`the
/// server responded with status 401 -- get https://.../api/v2/...`): by RFC 6750
/// §3.1 a resource server's answer to a missing, expired or invalid access token.
/// Not where the paste holds the 401's `WWW-Authenticate` challenge: that one
/// says how to log in (RFC 9728's `resource_metadata`), not that a token failed.
pub(super) fn api_401(text: &str) -> Option<Evidence> {
    if text.contains("www-authenticate") {
        return None;
    }
    TOKEN_401.iter().chain(MORE_401).find_map(|&w| {
        text.match_indices(w).take(16).find_map(|(at, _)| {
            let (start, end) = line_around(text, at);
            let line = &text[start..end];
            (!LOGIN_WORDS.iter().any(|l| line.contains(l))).then(|| Evidence {
                what: "a request was answered 401 Unauthorized, with no login endpoint on its line"
                    .to_string(),
                span: None,
            })
        })
    })
}

/// What a proxy in front of the server answers when the server behind it is down
/// or too slow (nginx's and the load balancers' status pages).
const SERVER_DOWN: &[&str] = &[
    "502 bad gateway",
    "503 service unavailable",
    "503 service temporarily unavailable",
    "504 gateway time-out",
    "504 gateway timeout",
];

/// A proxy's status page for a server that is down (`<title>502 Bad Gateway</title>`,
/// under a client's `Unable to determine error message.`), with the evidence.
pub(super) fn server_down(text: &str) -> Option<Evidence> {
    let status = SERVER_DOWN.iter().find(|w| text.contains(*w))?;
    Some(Evidence {
        what: format!("a proxy answered \"{status}\": the server behind it did not answer"),
        span: None,
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
    let find = |words| first_whole_word(text, words);
    match (find(REFRESH_WORDS), find(CODE_EXCHANGE_WORDS)) {
        (Some(w), None) | (None, Some(w)) => Some(w),
        _ => None,
    }
}

/// Words that place a paste in the device authorization grant (RFC 8628): a client
/// polling the token endpoint with its device code.
const DEVICE_WORDS: &[&str] = &[
    "device code",
    "device_code",
    "devicecode",
    "user code",
    "user_code",
    "polling",
    "device flow",
    "device authorization",
    "device login",
];

/// What says, in a device flow, that the device code ran out.
const DEVICE_EXPIRED_WORDS: &[&str] = &["expired", "code_expired", "expired_token", "timed out"];

/// What says, in a device flow, that the person has not approved the code yet.
const DEVICE_PENDING_WORDS: &[&str] = &[
    "pending",
    "authorization_pending",
    "not authorized yet",
    "not yet authorized",
    "not approved yet",
    "not yet approved",
    "has not authorized",
    "hasn't authorized",
    "has not approved",
    "not been authorized",
    "not been approved",
    "slow down",
    "slow_down",
];

/// Where a paste speaks of the device flow and of its code having expired or not
/// being approved yet (`Unexpected polling state code_expired`, `User has not
/// authorized the device code yet`), the registered code that says so,
/// `expired_token` or `authorization_pending`, and the words that said it
/// (normalised, lowercase text).
pub(super) fn device_wait(text: &str) -> Option<(&'static str, String)> {
    let find = |words| first_whole_word(text, words);
    let device = find(DEVICE_WORDS)?;
    if let Some(w) = find(DEVICE_EXPIRED_WORDS) {
        return Some(("expired_token", format!("{device}\" and \"{w}")));
    }
    find(DEVICE_PENDING_WORDS).map(|w| ("authorization_pending", format!("{device}\" and \"{w}")))
}

/// Verbs that, a few words before `scope`, say a scope is lacking.
/// Not `missing` nor `required`: `Missing 'openid' scope`, `missing required
/// parameter: scope` say no scope was sent, not that a token lacks one.
const SCOPE_NEED_WORDS: &[&str] = &["requires", "require", "needs", "need", "lacks", "lacking"];

/// How far before `scope` [`scope_required`] looks for one of [`SCOPE_NEED_WORDS`]:
/// a scope's name and a word or two (`requires the \`read:org\` OAuth scope`).
const SCOPE_NEED_WINDOW: usize = 48;

/// Whether a sentence says a scope is lacking with the scope's name in between
/// (`gh now requires the \`read:org\` OAuth scope`, `needs the "admin:org" scope`),
/// as the topic words cannot (normalised, lowercase text); the words that say it.
pub(super) fn scope_required(text: &str) -> Option<&str> {
    text.match_indices("scope").take(64).find_map(|(at, _)| {
        let mut end = at + "scope".len();
        if text[end..].starts_with('s') {
            end += 1;
        }
        if !is_whole_word(text, at, end) {
            return None;
        }
        let from = floor_boundary(text, at.saturating_sub(SCOPE_NEED_WINDOW));
        // Within the sentence: from the last full stop or line break on.
        let from = text[from..at]
            .rfind(['.', '\n', ';'])
            .map_or(from, |i| from + i + 1);
        let sentence = &text[from..at];
        SCOPE_NEED_WORDS.iter().find_map(|w| {
            sentence
                .match_indices(w)
                .find(|&(i, _)| is_whole_word(sentence, i, i + w.len()))
                // `requires the openid scope`: an ID token's scope never sent.
                .filter(|&(i, _)| !sentence[i..].contains("openid"))
                .map(|(i, _)| &text[from + i..end])
        })
    })
}

/// The first of `words` that `text` holds as a whole word.
fn first_whole_word(text: &str, words: &[&'static str]) -> Option<&'static str> {
    words.iter().copied().find(|w| {
        text.match_indices(w)
            .any(|(at, _)| is_whole_word(text, at, at + w.len()))
    })
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

#[cfg(test)]
mod tests {
    use super::{api_401, device_wait, scope_required, server_down};

    #[test]
    fn a_lacking_scope_is_read_with_its_name_in_between() {
        let text = "warning: gh now requires the `read:org` oauth scope.";
        assert_eq!(
            scope_required(text),
            Some("requires the `read:org` oauth scope")
        );
        assert_eq!(
            scope_required("this call needs the \"admin:org\" scope"),
            Some("needs the \"admin:org\" scope")
        );
        // No scope sent is another fault; so is a sentence that ended before it.
        assert_eq!(scope_required("missing 'openid' scope."), None);
        assert_eq!(scope_required("missing required parameter: scope"), None);
        assert_eq!(scope_required("the login requires the openid scope"), None);
        assert_eq!(
            scope_required("it requires a restart. the scope list is fine"),
            None
        );
        assert_eq!(scope_required("requires the microscope"), None);
    }

    #[test]
    fn a_proxys_status_page_says_the_server_is_down() {
        let page = "unable to determine error message. <html>\n<head><title>502 bad gateway</title></head>";
        assert!(server_down(page).is_some());
        assert!(server_down("error: bad gateway configuration").is_none());
    }

    #[test]
    fn an_api_call_answered_401_is_a_token_refused() {
        assert!(api_401("get https://api.example.com/v2/me: status 401").is_some());
        // The login itself, or a challenge that says how to log in, is not.
        assert!(api_401("post https://id.example.com/oauth/token: 401 unauthorized").is_none());
        assert!(api_401("http/2 401\nwww-authenticate: bearer resource_metadata=\"x\"").is_none());
        assert!(
            api_401("state verification has failed, completing the code flow with http status 401")
                .is_none()
        );
    }

    #[test]
    fn the_device_flow_words_say_which_wait_ended() {
        assert_eq!(
            device_wait("unexpected polling state code_expired").map(|(c, _)| c),
            Some("expired_token")
        );
        assert_eq!(
            device_wait("the user has not authorized the device code yet").map(|(c, _)| c),
            Some("authorization_pending")
        );
        // An expired authorization code, with no device flow around it.
        assert_eq!(device_wait("the authorization code expired"), None);
    }
}
