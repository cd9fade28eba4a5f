//! URLs and form bodies: an authorization error redirect with the error in the query
//! (RFC 6749 §4.1.2.1) or the fragment (§4.2.2.1), the authorization request itself
//! (`scope`, `resource`, `client_id`...), a token request body. Decoding is the `url`
//! crate's `application/x-www-form-urlencoded` parser; a value encoded several times
//! over (a redirect passed through other redirects) is decoded until it reads.

use std::borrow::Cow;

use url::form_urlencoded;

use super::{Extraction, Host, Source, canonical_key, secret_key};
use crate::core::Span;

/// How many times an over-encoded query is decoded before giving up.
const MAX_DECODE_ROUNDS: usize = 8;

/// The host of an authority whose first labels are a placeholder the pasting person
/// wrote for their tenant (`<mysubdomain>.okta.com`, `{tenant}.b2clogin.com`,
/// `${DOMAIN}.auth0.com`), which no URL parser takes: the labels after it, under a
/// stand-in label, so that a vendor's host suffix still reads.
fn placeholder_host(authority: &str) -> Option<String> {
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(h, _)| h);
    let suffix_at = host
        .char_indices()
        .rfind(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .map(|(i, c)| i + c.len_utf8())?;
    let suffix = &host[suffix_at..];
    (suffix.starts_with('.') && suffix[1..].contains('.') && !suffix.ends_with('.'))
        .then(|| format!("tenant{}", suffix.to_ascii_lowercase()))
}

pub(super) fn scan(text: &str, x: &mut Extraction) {
    // Hosts already read: a log repeats the same URL on every line.
    let mut seen_authorities: Vec<&str> = Vec::new();
    for (start, word) in words(text) {
        let is_url = word.starts_with("http://") || word.starts_with("https://");
        let has_eq = word.contains('=');
        let formish = has_eq && (word.contains('&') || word.contains('?'));
        // `=` encoded once (`%3D`) or more (`%253D`, `%25253D`...).
        let encoded = word.contains('%')
            && (super::contains_ignore_case(word, "%3d")
                || (super::contains_ignore_case(word, "%25")
                    && super::contains_ignore_case(word, "3d")));
        if !(is_url || formish || encoded || (has_eq && starts_with_known_key(word))) {
            if let Some(prose) = encoded_prose(word) {
                x.push_field(
                    "message",
                    &prose,
                    Span(start, start + word.len()),
                    Source::Form,
                );
            }
            continue;
        }
        if is_url {
            let after_scheme = &word[word.find("//").map_or(0, |i| i + 2)..];
            let authority = &after_scheme[..after_scheme
                .find(['/', '?', '#'])
                .unwrap_or(after_scheme.len())];
            if !seen_authorities.contains(&authority) && seen_authorities.len() < 64 {
                seen_authorities.push(authority);
                if let Some(host) = crate::core::parse_url(word)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                    .or_else(|| placeholder_host(authority))
                {
                    let path_end = word.find(['?', '#']).unwrap_or(word.len());
                    let callback = ["?error=", "&error=", "#error="]
                        .iter()
                        .any(|k| super::contains_ignore_case(word, k))
                        && !word[..path_end].to_ascii_lowercase().ends_with("/error");
                    x.hosts.push(Host {
                        host,
                        span: Span(start, start + word.len()),
                        callback,
                    });
                }
            }
        }
        // Offsets of the query and the fragment inside the word.
        let q = word.find('?');
        let h = word.find('#');
        let (query, fragment) = match (q, h) {
            (Some(q), Some(h)) if h > q => (Some((q + 1, h)), Some(h + 1)),
            (Some(q), _) => (Some((q + 1, word.len())), None),
            (None, Some(h)) if is_url => (None, Some(h + 1)),
            (None, Some(h)) => (Some((0, h)), Some(h + 1)),
            (None, None) if is_url => (None, None),
            (None, None) => (Some((0, word.len())), None),
        };
        let source = if q.is_some() {
            Source::Query
        } else {
            Source::Form
        };
        if let Some((qs, qe)) = query {
            read_pairs(&word[qs..qe], start + qs, source, x);
        }
        if let Some(fs) = fragment {
            read_pairs(&word[fs..], start + fs, Source::Fragment, x);
        }
    }
}

/// A sentence pasted form-encoded on its own, as a description copied out of a
/// redirect URL (`The+authorization+server+...%2C+%27scope%27+must+be+provided.`):
/// at least four `+`-joined words and no key.
fn encoded_prose(word: &str) -> Option<String> {
    if word.len() < 24 || word.contains('=') || word.bytes().filter(|&b| b == b'+').count() < 4 {
        return None;
    }
    let decoded: String = form_urlencoded::parse(format!("m={word}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    // Base64 has `+` too: a sentence is mostly plain words.
    let all = decoded.split(' ').count();
    let plain = decoded
        .split(' ')
        .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_alphabetic()))
        .count();
    (plain >= 4 && 2 * plain >= all && !decoded.chars().any(char::is_control)).then_some(decoded)
}

/// Whitespace- and quote-delimited words with their offsets. The separators are
/// ASCII, so the text is split on bytes.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_sep = |b: u8| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`');
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && is_sep(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && !is_sep(bytes[i]) {
            i += 1;
            // A placeholder label in a URL's host (`https://<tenant>.okta.com/`)
            // belongs to the URL.
            if bytes.get(i) == Some(&b'<') && bytes[start..i].ends_with(b"://") {
                let label = bytes[i + 1..]
                    .iter()
                    .take(64)
                    .position(|&b| b == b'>' || b.is_ascii_whitespace() || b == b'<');
                if let Some(n) = label.filter(|&n| bytes[i + 1 + n] == b'>') {
                    i += n + 2;
                }
            }
        }
        let word = &text[start..i];
        // Prose wraps URLs in parentheses; URLs themselves may hold them.
        let lead = word.len() - word.trim_start_matches(['(', '[']).len();
        let mut word = &word[lead..];
        if !word.contains('(') {
            word = word.trim_end_matches(')');
        }
        Some((start + lead, word.trim_end_matches([',', '.', ';', ']'])))
    })
}

fn starts_with_known_key(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, v)| {
        !v.is_empty() && (k == "error" || k == "scope" || k == "error_description")
    })
}

/// Reads `key=value&...` pairs, decoding an over-encoded string first.
fn read_pairs(raw: &str, raw_start: usize, source: Source, x: &mut Extraction) {
    if raw.is_empty() {
        return;
    }
    let mut decoded: Cow<str> = Cow::Borrowed(raw);
    let mut rounds = 0;
    while !decoded.contains('=') && decoded.contains('%') && rounds < MAX_DECODE_ROUNDS {
        let next = crate::core::text::percent_decode(&decoded);
        if next == decoded {
            break;
        }
        decoded = Cow::Owned(next);
        rounds += 1;
    }
    let whole = Span(raw_start, raw_start + raw.len());
    for (key, value) in form_urlencoded::parse(decoded.as_bytes()) {
        // Exact spans exist only when the text was decoded once, by the parser.
        let span = if rounds == 0 {
            value_span(raw, raw_start, &key).unwrap_or(whole)
        } else {
            whole
        };
        if !push_pair(&key, &value, span, source, x)
            && let Some(inner) = nested_error_query(&value)
        {
            // Its values have no exact span of their own: each takes the span of
            // the parameter that carried them.
            for (key, value) in form_urlencoded::parse(inner.as_bytes()) {
                push_pair(&key, &value, span, source, x);
            }
        }
    }
}

/// Keeps one `key=value` pair: a secret's place, or a field the engine reads.
/// Whether the key was one of them.
fn push_pair(key: &str, value: &str, span: Span, source: Source, x: &mut Extraction) -> bool {
    if let Some(kind) = secret_key(key) {
        x.push_secret(kind, span);
        true
    } else if let Some(k) = canonical_key(key) {
        x.push_field(k, value, span, source);
        true
    } else {
        false
    }
}

/// The query of a redirect target carried in another parameter, when it holds an
/// error: an app that sends the browser on with `?to=%2F%3Ferror%3Daccess_denied%26...`
/// (`returnTo=`, `next=`, `redirect=`) passes the server's error along inside it.
fn nested_error_query(value: &str) -> Option<&str> {
    let inner = match value.find(['?', '#']) {
        Some(at) => &value[at + 1..],
        None => value,
    };
    (inner.starts_with("error=") || inner.contains("&error=")).then_some(inner)
}

/// The raw span of the value of the first `key=` in a query string.
fn value_span(raw: &str, raw_start: usize, key: &str) -> Option<Span> {
    let mut pos = 0;
    for pair in raw.split('&') {
        let here = pos;
        pos += pair.len() + 1;
        let Some((k, v)) = pair.split_once('=') else {
            continue;
        };
        if form_urlencoded::parse(k.as_bytes())
            .next()
            .is_some_and(|(dk, _)| dk == key)
            || k == key
        {
            let start = raw_start + here + k.len() + 1;
            return Some(Span(start, start + v.len()));
        }
    }
    None
}
