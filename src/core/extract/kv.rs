//! Keys and codes in free text: `error=invalid_scope error_description='...'`
//! (logfmt), `error: "login_required"` (JavaScript), `{'error': 'x'}` (Python),
//! `error="insufficient_scope"` (`WWW-Authenticate`, RFC 6750 §3), `map[message:..
//! reason:..]` (Go), `[invalid_scope]` / `invalid_scope:` / `(invalid_scope)` in
//! exceptions, vendor codes such as `AADSTS70011`, and `Authorization` headers.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{Extraction, Source, VendorCode, canonical_key, secret_key};
use crate::core::Span;
use crate::core::error_code::ErrorCode;
use crate::core::kb::Kb;
use crate::core::sort;
use crate::core::text::{is_whole_word, is_word_byte};

/// The key spellings looked for (matched case-insensitively, as whole words).
const KEYS: &[&str] = &[
    "error",
    "error_code",
    "errorcode",
    "error code",
    "error_description",
    "errordescription",
    "error description",
    "error_message",
    "errormessage",
    "error message",
    "error_uri",
    "error_hint",
    "suberror",
    "sub_error",
    "trace_id",
    "correlation_id",
    "state",
    "scope",
    "resource",
    "audience",
    "prompt",
    "client_id",
    "redirect_uri",
    "response_type",
    "grant_type",
    "realm",
    "resource_metadata",
    "access_type",
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "code_verifier",
    "client_assertion",
    "device_code",
    "password",
    "authorization",
    "api_key",
    "x-api-key",
];

/// Keys whose unquoted value runs to the end of the line.
const PROSE_KEYS: &[&str] = &["error_description", "error_hint"];

/// Values that are sentences, in which a code may stand.
const PROSE_FIELDS: &[&str] = &["message", "error_description", "error_hint"];

/// Longest value read.
const MAX_VALUE: usize = 4096;

fn keys() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(KEYS)
            .expect("the key patterns are valid")
    })
}

pub(super) fn scan(text: &str, x: &mut Extraction) {
    // Where the last Go map ended: keys inside it were read with it.
    let mut map_end = 0;
    for m in keys().find_iter(text) {
        let (start, end) = (m.start(), m.end());
        if start < map_end || !is_whole_word(text, start, end) {
            continue;
        }
        let raw_key = &text[start..end];
        let Some((value, span, quoted)) = read_value(text, end) else {
            continue;
        };
        if let Some(kind) = secret_key(raw_key) {
            let span = if kind == "authorization" {
                credentials_span(text, span)
            } else {
                span
            };
            x.push_secret(kind, span);
            continue;
        }
        let Some(key) = canonical_key(raw_key) else {
            continue;
        };
        if key == "error" && value.starts_with("map[") {
            map_end = go_map(text, span.0, x);
            continue;
        }
        if key == "error"
            && !quoted
            && (starts_prose(text, &value, span) || PARAMETER_NAMES.contains(&value.as_str()))
        {
            // `Error: login failed: ...`, `error: grant_type: refresh_token is not
            // supported`: a sentence, not a code.
            continue;
        }
        let (value, span) = if !quoted && PROSE_KEYS.contains(&key) {
            rest_of_line(text, span.0)
        } else {
            (value, span)
        };
        x.push_field(key, &value, span, Source::KeyValue);
        // `error: blank_scope: Requested scopes cannot be blank`: what follows the
        // code's colon is its description.
        if key == "error" && !quoted && text.as_bytes().get(span.1) == Some(&b':') {
            push_rest_as_description(text, span.1 + 1, x);
        }
    }
}

/// Reads `<sep> <value>` after a key ending at `at`: skips a closing quote, requires
/// `=`, `:` or `=>`, then reads a quoted or bare value. Returns the value, its span
/// and whether it was quoted.
fn read_value(text: &str, at: usize) -> Option<(String, Span, bool)> {
    let b = text.as_bytes();
    let mut i = at;
    let mut quotes = 0;
    while i < b.len() && matches!(b[i], b'"' | b'\'' | b'\\') && quotes < 2 {
        i += 1;
        quotes += 1;
    }
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    match b.get(i) {
        Some(b'=') if b.get(i + 1) == Some(&b'>') => i += 2,
        Some(b'=') => i += 1,
        Some(b':') if b.get(i + 1) != Some(&b':') => i += 1,
        _ => return None,
    }
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    let rest = &text[i..];
    // `\"value\"` inside an escaped JSON string.
    if let Some(inner) = rest.strip_prefix("\\\"") {
        let len = inner.find("\\\"").unwrap_or(inner.len()).min(MAX_VALUE);
        let len = floor_char(inner, len);
        let v = inner[..len].replace("\\\\", "\\");
        return Some((v, Span(i + 2, i + 2 + len), true));
    }
    match rest.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => {
            let inner = &rest[1..];
            let ib = inner.as_bytes();
            let mut j = 0;
            let mut value = String::new();
            // Single quotes nest in prose (`'AADSTS50194: Application '<id>'(<name>)
            // isn't configured ...'`): a quote after a blank opens an inner one, the
            // next closes it, and one between two letters is an apostrophe.
            let mut depth = 0usize;
            while j < ib.len() && j < MAX_VALUE {
                // A single-quoted value left open ends with its line.
                if q == b'\'' && ib[j] == b'\n' {
                    break;
                }
                if ib[j] == q {
                    if q != b'\'' {
                        break;
                    }
                    let before = j.checked_sub(1).and_then(|k| ib.get(k));
                    let after = ib.get(j + 1);
                    if before.is_some_and(|&c| c == b' ' || c == b'(')
                        && after.is_some_and(|&c| c != b' ' && c != b',' && c != b'\n')
                    {
                        depth += 1;
                    } else if depth > 0 {
                        depth -= 1;
                    } else if !(before.is_some_and(u8::is_ascii_alphabetic)
                        && after.is_some_and(u8::is_ascii_alphabetic))
                    {
                        break;
                    }
                }
                if ib[j] == b'\\'
                    && q == b'"'
                    && let Some(next) = inner[j + 1..].chars().next()
                {
                    // `\u0027`, as .NET and Go write quotes and `&` inside JSON.
                    if next == 'u'
                        && let Some(c) = crate::core::text::unicode_escape(&ib[j + 1..])
                    {
                        value.push(c);
                        j += 6;
                        continue;
                    }
                    value.push(match next {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        c => c,
                    });
                    j += 1 + next.len_utf8();
                    continue;
                }
                let c = inner[j..].chars().next()?;
                value.push(c);
                j += c.len_utf8();
            }
            Some((value, Span(i + 1, i + 1 + j), true))
        }
        Some(b'{') | Some(b'[') | None => None,
        Some(_) => {
            if rest.starts_with("map[") {
                return Some(("map[".into(), Span(i, i + 4), false));
            }
            let len = rest
                .find(|c: char| {
                    c.is_whitespace()
                        || matches!(
                            c,
                            ',' | ';' | '&' | ')' | '}' | ']' | '"' | '\'' | '<' | '>'
                        )
                })
                .unwrap_or(rest.len())
                .min(MAX_VALUE);
            let len = floor_char(rest, len);
            // `error: blank_scope: Requested scopes cannot be blank`: the colon
            // after a bare value opens what is said of it.
            let len = len - usize::from(rest[..len].ends_with(':'));
            Some((rest[..len].to_string(), Span(i, i + len), false))
        }
    }
}

/// OAuth request parameters whose names have an underscore, as sentences open with
/// them.
const PARAMETER_NAMES: &[&str] = &[
    "redirect_uri",
    "redirect_uris",
    "client_id",
    "client_secret",
    "client_assertion",
    "client_assertion_type",
    "code_verifier",
    "code_challenge",
    "code_challenge_method",
    "grant_type",
    "response_type",
    "response_mode",
    "refresh_token",
    "access_token",
    "id_token",
    "id_token_hint",
    "post_logout_redirect_uri",
    "token_endpoint_auth_method",
];

/// Whether an unquoted value read under `error` is the first word of a sentence
/// (`Error: login failed`): a plain word that is no known code shape, followed by
/// another word on the same line rather than by the next key (`error=x state=y`).
fn starts_prose(text: &str, value: &str, span: Span) -> bool {
    // A request parameter's name is no error code (`Error: redirect_uri did not
    // match any configured URIs`), whatever its underscore says.
    let parameter = PARAMETER_NAMES.contains(&value);
    if (value.contains('_') && !parameter) || ErrorCode::parse(value).is_registered() {
        return false;
    }
    let rest = &text[span.1..];
    let Some(after) = rest.strip_prefix(' ') else {
        return false;
    };
    // A quoted word goes on with the sentence as well (okta-jwt-verifier's
    // `Error: claim 'cid' value '...' does not match expected value '...'`).
    let after = after.trim_start_matches(['\'', '"']);
    let word_len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(after.len());
    let next_is_key = match after.as_bytes().get(word_len) {
        Some(b'=') => true,
        Some(b':') => canonical_key(&after[..word_len]).is_some(),
        _ => false,
    };
    word_len >= 2 && !next_is_key
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The rest of the line from `start`, trimmed of trailing quotes (a Markdown
/// backtick too) and commas.
fn rest_of_line(text: &str, start: usize) -> (String, Span) {
    let line = &text[start..];
    let len = line.find(['\n', '\r']).unwrap_or(line.len()).min(MAX_VALUE);
    let len = floor_char(line, len);
    let mut v = trim_tail(&line[..len]);
    // A bracket that closes what opened before the key (`[Raw error message: ...]`)
    // is not the value's.
    while let Some(close) = v.chars().last().filter(|c| matches!(c, ')' | ']' | '}')) {
        let open = match close {
            ')' => '(',
            ']' => '[',
            _ => '{',
        };
        if v.matches(open).count() >= v.matches(close).count() {
            break;
        }
        v = trim_tail(&v[..v.len() - 1]);
    }
    (v.to_string(), Span(start, start + v.len()))
}

/// The rest of the line from `from` as the description of the code before it
/// (`invalid_scope: ...`, `[invalid_request] ...`), when it says something (eight
/// characters or more).
fn push_rest_as_description(text: &str, from: usize, x: &mut Extraction) {
    let (line, _) = rest_of_line(text, from);
    let trimmed = line.trim_start();
    let at = from + (line.len() - trimmed.len());
    if trimmed.len() >= 8 {
        x.push_field(
            "error_description",
            trimmed,
            Span(at, at + trimmed.len()),
            Source::Marked,
        );
    }
}

/// `v` without the commas and blanks that end it, nor a quote that closes what
/// opened before the value (one the value did not open itself).
fn trim_tail(v: &str) -> &str {
    let mut v = v.trim_end_matches([',', ' ']);
    while let Some(q) = v.chars().last().filter(|c| matches!(c, '"' | '\'' | '`')) {
        if v.matches(q).count() % 2 == 0 {
            break;
        }
        v = v[..v.len() - 1].trim_end_matches([',', ' ']);
    }
    v
}

/// The credentials part of an `Authorization` header value (`Bearer <token>`).
fn credentials_span(text: &str, value: Span) -> Span {
    let (line, _) = rest_of_line(text, value.0);
    let Some(sp) = line.find(' ') else {
        return Span(value.0, value.0 + line.len());
    };
    let after = &line[sp..];
    let token = after.trim_start();
    let start = value.0 + sp + (after.len() - token.len());
    let len = token
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ','))
        .unwrap_or(token.len());
    Span(start, start + len)
}

/// `map[message:invalid_scope reason:The OAuth 2.0 Client ... status:Bad Request]`:
/// Go prints map keys sorted and values unquoted, so a value runs to the next
/// ` key:`. Returns where the map ends.
fn go_map(text: &str, start: usize, x: &mut Extraction) -> usize {
    let body_start = start + 4;
    let rest = &text[body_start..];
    let rest = &rest[..crate::core::text::floor_boundary(rest, MAX_VALUE)];
    let mut depth = 1;
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            '\n' => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let body = &rest[..end];
    // Key positions: a word followed by ':' at the start or after a space.
    let mut keys: Vec<(usize, usize)> = Vec::new();
    let bb = body.as_bytes();
    let mut i = 0;
    while i < bb.len() {
        if i == 0 || bb[i - 1] == b' ' {
            let mut j = i;
            while j < bb.len() && is_word_byte(bb[j]) {
                j += 1;
            }
            if j > i && bb.get(j) == Some(&b':') {
                keys.push((i, j));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    for (n, &(ks, ke)) in keys.iter().enumerate() {
        let vs = ke + 1;
        let ve = keys
            .get(n + 1)
            .map_or(body.len(), |&(next, _)| next.saturating_sub(1));
        let value = body[vs..ve.max(vs)].trim();
        let span = Span(body_start + vs, body_start + ve.max(vs));
        match &body[ks..ke] {
            "message" | "error" | "code" if super::is_code_value(value) => {
                x.push_field("error", value, span, Source::GoMap)
            }
            "message" | "reason" | "description" | "error_description" | "hint" => {
                x.push_field("error_description", value, span, Source::GoMap)
            }
            _ => {}
        }
    }
    body_start + end
}

/// The codes looked for, and how many of them (the first ones) are known codes;
/// the rest are codes entries only list, read where the text marks them.
fn codes(kb: &Kb) -> &'static (AhoCorasick, Vec<String>, usize) {
    static AC: OnceLock<(AhoCorasick, Vec<String>, usize)> = OnceLock::new();
    AC.get_or_init(|| {
        let mut codes = kb.known_codes();
        let known = codes.len();
        let listed = kb.listed_codes(&codes);
        codes.extend(listed);
        // `invalid_Client`, `Invalid_redirect_URI`, `INVALID_GRANT`: people and Java
        // enums change the case; the code is the same.
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&codes)
            .expect("codes are valid patterns");
        (ac, codes, known)
    })
}

fn literal_codes(kb: &Kb) -> &'static (AhoCorasick, Vec<String>) {
    static AC: OnceLock<(AhoCorasick, Vec<String>)> = OnceLock::new();
    AC.get_or_init(|| {
        let codes = kb.literal_codes();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&codes)
            .expect("codes are valid patterns");
        (ac, codes)
    })
}

/// `Error 400: admin_policy_enforced`: the code under an HTTP status, as Google's
/// error page and many clients print it, whether the knowledge base knows the code
/// or not.
pub(super) fn scan_status_codes(text: &str, x: &mut Extraction) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(found) = super::find_ignore_case(text, "error ", from) {
        let at = found + "error ".len();
        from = at;
        let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits != 3 || b.get(at + 3) != Some(&b':') {
            continue;
        }
        let start = at + 4 + b[at + 4..].iter().take_while(|&&c| c == b' ').count();
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase() || **c == b'_')
            .count();
        let code = &text[start..start + len];
        if super::super::kb::looks_like_code(code)
            && !b.get(start + len).is_some_and(|&c| is_word_byte(c))
        {
            x.push_field("error", code, Span(start, start + len), Source::Marked);
        }
    }
}

/// Codes standing in prose: `invalid_scope: ...`, `[invalid_request] ...`,
/// `(invalid_scope) ...`, `invalid_grant (grant request is invalid)`, `Error 403:
/// access_denied`, or alone.
pub(super) fn scan_codes(text: &str, kb: &Kb, x: &mut Extraction) {
    let (ac, known, listed_from) = codes(kb);
    let b = text.as_bytes();
    for m in ac.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        if !is_whole_word(text, s, e) {
            continue;
        }
        // A code inside a value already read is that value, except in prose: a
        // JSON `message` (`"OAuth failed: invalid_scope – ..."`) or a description
        // carries the code of a client that wrapped the server's answer.
        if x.fields
            .iter()
            .any(|f| f.span.0 <= s && e <= f.span.1 && !PROSE_FIELDS.contains(&f.key.as_str()))
        {
            continue;
        }
        let code = known[m.pattern().as_usize()].as_str();
        // In another case, only where it reads as a code (with its underscore).
        if &text[s..e] != code && !code.contains('_') {
            continue;
        }
        let before = text[..s].trim_end_matches(' ');
        let bracketed = (before.ends_with('(') || before.ends_with('['))
            && matches!(b.get(e), Some(b')') | Some(b']'));
        let colon = b.get(e) == Some(&b':') && b.get(e + 1) != Some(&b'/');
        let paren_after = text[e..].starts_with(" (");
        let after_error = {
            let from = crate::core::text::floor_boundary(before, before.len().saturating_sub(16));
            let tail = &before[from..];
            let lower = tail.to_ascii_lowercase();
            lower.contains("error") && before.ends_with(':')
        };
        let source = if bracketed || colon || paren_after || after_error {
            Source::Marked
        } else {
            Source::Bare
        };
        // Standing alone in capitals it is a constant's name (Windows'
        // `ACCESS_DENIED`), not what a server sent; a code only an entry lists is
        // a code only where the text marks it as one, or is the whole text (MSAL's
        // `empty_input_scopes_error`, as an issue quotes it).
        let whole_text = text.trim() == &text[s..e];
        if source == Source::Bare
            && (text[s..e] == code.to_ascii_uppercase()
                || (m.pattern().as_usize() >= *listed_from && !whole_text))
        {
            continue;
        }
        x.push_field("error", code, Span(s, e), source);
        let description_start = (colon || bracketed).then_some(e + 1);
        if let Some(ds) = description_start {
            push_rest_as_description(text, ds, x);
        } else if paren_after {
            let inner = &text[e + 2..];
            if let Some(close) = inner.find(')') {
                let d = &inner[..close.min(MAX_VALUE)];
                if !d.contains('\n') {
                    x.push_field(
                        "error_description",
                        d,
                        Span(e + 2, e + 2 + d.len()),
                        Source::Marked,
                    );
                }
            }
        }
    }
}

/// Entra's sign-in error page prints its AADSTS code without the prefix, under
/// "Troubleshooting details" beside the app's name (`Error Code: 53003`, `App name:
/// Microsoft Azure CLI`): read it as the AADSTS code it is.
fn entra_page_code(text: &str, found: &mut Vec<VendorCode>) {
    const LABEL: &str = "Error Code: ";
    let mut labels = text.match_indices(LABEL).peekable();
    if labels.peek().is_none()
        || !(text.contains("Troubleshooting details") || text.contains("App name:"))
    {
        return;
    }
    for (s, _) in labels {
        let at = s + LABEL.len();
        let digits = text.as_bytes()[at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let e = at + digits;
        if !(5..=7).contains(&digits) || (e < text.len() && is_word_byte(text.as_bytes()[e])) {
            continue;
        }
        let code = format!("{}{}", super::ENTRA_CODE_PREFIX, &text[at..e]);
        if !found.iter().any(|v| v.code == code) {
            found.push(VendorCode {
                code,
                span: Span(at, e),
            });
        }
    }
}

/// Vendor codes: a vendor's `code_prefixes` followed by digits (`AADSTS70011`,
/// `E0000011`, `IDX10223`), or, for a prefix ending in `-`, by the short mixed-case
/// id ZITADEL writes in parentheses after a message (`(AUTH-GHpw2)`).
pub(super) fn scan_vendor_codes(text: &str, kb: &Kb, x: &mut Extraction) {
    let mut found: Vec<VendorCode> = Vec::new();
    let b = text.as_bytes();
    for vendor in &kb.vendors {
        for prefix in &vendor.code_prefixes {
            for (s, _) in text.match_indices(prefix.as_str()) {
                if s > 0 && is_word_byte(b[s - 1]) {
                    continue;
                }
                let rest = &b[s + prefix.len()..];
                let len = if prefix.ends_with('-') {
                    let n = rest
                        .iter()
                        .take(11)
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .count();
                    let id = &rest[..n];
                    // In parentheses or after `ID=` (ZITADEL's logs), with a lowercase
                    // letter: `(PROJ-1234)` is an issue key, `(AUTH-GHpw2)` ZITADEL's.
                    let wrapped = (s > 0 && b[s - 1] == b'(' && rest.get(n) == Some(&b')'))
                        || (text[..s].ends_with("ID=")
                            && !rest.get(n).is_some_and(|&c| is_word_byte(c)));
                    if !(wrapped && (4..=10).contains(&n) && id.iter().any(u8::is_ascii_lowercase))
                    {
                        continue;
                    }
                    n
                } else {
                    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
                    if !(2..=10).contains(&digits) {
                        continue;
                    }
                    // IBM's message ids end in their severity (`CWWKS1773E`,
                    // `BXNIM0408E`: Informational, Warning, Error, Audit).
                    let severity = rest.get(digits).is_some_and(|c| b"IWEA".contains(c))
                        && !rest.get(digits + 1).is_some_and(|&c| is_word_byte(c));
                    digits + usize::from(severity)
                };
                let e = s + prefix.len() + len;
                if e < text.len() && is_word_byte(b[e]) {
                    continue;
                }
                let code = &text[s..e];
                if !found.iter().any(|v| v.code == code)
                    && !x.vendor_codes.iter().any(|v| v.code == code)
                {
                    found.push(VendorCode {
                        code: code.to_string(),
                        span: Span(s, e),
                    });
                }
                if found.len() > 64 {
                    break;
                }
            }
        }
    }
    entra_page_code(text, &mut found);
    let (ac, literal) = literal_codes(kb);
    for m in ac.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        let code = literal[m.pattern().as_usize()].as_str();
        if is_whole_word(text, s, e)
            && found.len() <= 64
            && !found.iter().any(|v| v.code == code)
            && !x.vendor_codes.iter().any(|v| v.code == code)
        {
            found.push(VendorCode {
                code: code.to_string(),
                span: Span(s, e),
            });
        }
    }
    sort::sort_by_key(&mut found, |v| v.span);
    // Codes from the text come first, then those only found in `error_codes`.
    let from_json = std::mem::take(&mut x.vendor_codes);
    x.vendor_codes = found;
    for v in from_json {
        if !x.vendor_codes.iter().any(|f| f.code == v.code) {
            x.vendor_codes.push(v);
        }
    }
}

/// Registered codes named by an exception class (`InvalidScopeError`, oauthlib's and
/// authlib's; `InvalidGrantException`, Spring Security OAuth's): the class alone, as
/// a traceback's last line or an issue's title gives it, says which code was
/// returned. Not the codes whose class names other libraries use for other things
/// (SQLAlchemy's `InvalidRequestError`, Spring Security's `AccessDeniedException`).
pub(super) fn scan_exception_codes(text: &str, x: &mut Extraction) {
    const TOO_COMMON: &[&str] = &[
        "invalid_request",
        "access_denied",
        "server_error",
        "temporarily_unavailable",
        "expired_token",
    ];
    let b = text.as_bytes();
    let mut at = 0;
    while let Some(i) = text[at..].find(|c: char| c.is_ascii_uppercase()) {
        let start = at + i;
        let len = text[start..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let end = start + len;
        at = end.max(start + 1);
        if (start > 0 && (is_word_byte(b[start - 1]) || b[start - 1] == b'$'))
            || b.get(end).is_some_and(|&c| is_word_byte(c))
        {
            continue;
        }
        let word = &text[start..end];
        let (name, suffixed) = match ["Error", "Exception"]
            .iter()
            .find_map(|s| word.strip_suffix(s))
        {
            Some(name) => (name, true),
            None => (word, false),
        };
        if name.len() < 6 {
            continue;
        }
        let Some(code) = code_of_class(name) else {
            continue;
        };
        // Without `Error` or `Exception`, only a class of three words or more
        // (`UseDPoPNonce`, requests-oauth2client's) is surely a code's: two
        // (`InvalidToken`, `AccessDenied`) are also plain CamelCase names.
        if !suffixed && code.matches('_').count() < 2 {
            continue;
        }
        // `InvalidRequestError` alone is the MCP SDK's and oauthlib's; as an
        // `...Exception` it is AWS's too.
        if TOO_COMMON.contains(&code) && !(code == "invalid_request" && word.ends_with("Error")) {
            continue;
        }
        // A class in a module path names an OAuth code only in an auth
        // module (`oauthlib.oauth2.rfc6749.errors.`, not `sqlalchemy.exc.`
        // or `openai.error.`).
        if start > 0 && b[start - 1] == b'.' {
            let path_start = text[..start]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
                .map_or(0, |i| i + 1);
            let path = text[path_start..start].to_ascii_lowercase();
            if !(path.contains("auth") || path.contains("oidc")) {
                continue;
            }
        }
        let source = if matches!(b.get(end), Some(b':' | b'(')) {
            Source::Marked
        } else {
            Source::Bare
        };
        x.push_field("error", code, Span(start, end), source);
    }
}

/// The registered code a CamelCase class name spells (`InvalidScope`,
/// `InvalidDPoPProof`: its words run together, whatever their capitals), if any.
fn code_of_class(name: &str) -> Option<&'static str> {
    if !name.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
        || !name.bytes().skip(1).any(|c| c.is_ascii_uppercase())
        || !name.bytes().any(|c| c.is_ascii_lowercase())
        || !name.bytes().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    ErrorCode::REGISTERED
        .iter()
        .map(ErrorCode::as_str)
        .find(|code| {
            code.len() - code.matches('_').count() == name.len()
                && code
                    .bytes()
                    .filter(|&c| c != b'_')
                    .zip(name.bytes())
                    .all(|(c, n)| c == n.to_ascii_lowercase())
        })
}

/// The most structured-log records [`log_messages`] reads.
const MAX_LOG_RECORDS: usize = 64;

/// A structured log record's message and error, read as the one sentence a
/// printf-style logger wrote before (`msg="failed to authenticate"
/// err="invalid_scope: ..."` is Dex's older `Failed to authenticate: invalid_scope:
/// ...`): Go's slog, logrus and zap (logfmt or JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct LogMessage {
    /// `msg: err`.
    pub text: String,
    /// Where the message starts and the error ends in the input.
    pub span: Span,
    /// Where the error starts in `text`.
    pub err_at: usize,
}

/// The structured-log records of `text` that carry both a message and an error.
pub fn log_messages(text: &str) -> Vec<LogMessage> {
    let mut out = Vec::new();
    let mut from = 0;
    while out.len() < MAX_LOG_RECORDS
        && let Some(at) = text[from..].find("msg").map(|i| from + i)
    {
        from = at + 3;
        if !is_whole_word(text, at, at + 3) {
            continue;
        }
        let Some((msg, msg_span, _)) = read_value(text, at + 3) else {
            continue;
        };
        from = msg_span.1;
        // The record's own line, within reach: a megabyte on one line is read in
        // windows, not to its end for every `msg`.
        let reach = crate::core::text::floor_boundary(text, (from + MAX_VALUE).min(text.len()));
        let line_end = text[from..reach].find('\n').map_or(reach, |i| from + i);
        let line = &text[from..line_end];
        let err = ["err", "error"].iter().find_map(|key| {
            line.match_indices(key)
                .map(|(i, _)| from + i)
                .find(|&i| is_whole_word(text, i, i + key.len()))
                .and_then(|i| read_value(text, i + key.len()))
        });
        let msg = msg.trim_end();
        if let Some((err, err_span, _)) = err
            && !msg.is_empty()
            && err.len() > 3
            && err != "map["
        {
            out.push(LogMessage {
                text: format!("{msg}: {err}"),
                span: Span(msg_span.0, err_span.1),
                err_at: msg.len() + 2,
            });
        }
    }
    out
}
