//! The scope string, parsed strictly by RFC 6749 §3.3:
//!
//! ```text
//! scope       = scope-token *( SP scope-token )
//! scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
//! ```
//!
//! Tokens are case-sensitive and their order does not matter. Parsing never fails:
//! it returns the tokens and every problem, each with the byte span it points at, so
//! the page can underline exactly the character that is wrong.

use serde::Serialize;

use super::Span;
use super::sort;

/// A scope string with its tokens and problems.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ScopeAnalysis {
    /// The analysed text; problem spans are byte offsets into it.
    pub text: String,
    /// The space-delimited tokens, in order.
    pub tokens: Vec<String>,
    /// The span of each token in `text`.
    pub token_spans: Vec<Span>,
    pub problems: Vec<ScopeProblem>,
}

impl ScopeAnalysis {
    /// Whether token `i` has a problem that would break the request (a warning or
    /// an error under its characters): the page marks such a token.
    pub fn token_is_faulty(&self, i: usize) -> bool {
        let Some(span) = self.token_spans.get(i) else {
            return false;
        };
        self.problems.iter().any(|p| {
            p.severity >= Severity::Warning
                && p.span.0 < span.1
                && span.0 < p.span.1.max(p.span.0 + 1)
        })
    }
}

/// One space-delimited token, while parsing.
#[derive(Debug, Clone, PartialEq)]
struct ScopeToken {
    text: String,
    span: Span,
}

/// What is wrong, where, and what to write instead.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScopeProblem {
    pub kind: ProblemKind,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    /// The text to put in place of the span, when there is one obvious fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// The kinds of scope problem. Stable: tests and the page key on them.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// No scope at all (RFC 6749 §3.3: default scope or `invalid_scope`).
    Empty,
    /// A character outside the scope-token grammar.
    InvalidChar,
    /// A non-ASCII character that looks like an ASCII one (Cyrillic `о`).
    Lookalike,
    /// A comma, semicolon, `+` or `%20` used where a space belongs.
    Delimiter,
    /// Leading, trailing or doubled spaces.
    Whitespace,
    /// The same token twice.
    Duplicate,
    /// A well-known scope in the wrong case (`OpenID`).
    Case,
    /// A likely typo of a well-known scope (`open_id`, `emial`).
    Typo,
    /// A rule of one vendor (Google has no `offline_access`, Entra's `.default`).
    Vendor,
}

/// How sure we are that the problem breaks the request.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Normal for this vendor, worth knowing.
    Info,
    /// Legal by the grammar but almost certainly not what was meant.
    Warning,
    /// Breaks the grammar or a vendor rule: the server will reject it.
    Error,
}

/// Scopes defined by OpenID Connect Core 1.0 §5.4 and §11, plus Hydra's `offline`.
pub const WELL_KNOWN: &[&str] = &[
    "openid",
    "profile",
    "email",
    "address",
    "phone",
    "offline_access",
];

/// Scopes that ask for a refresh token: `offline_access` (OpenID Connect Core 1.0
/// §11) and Ory Hydra's older `offline`.
pub const OFFLINE_SCOPES: &[&str] = &["offline_access", "offline"];

/// Parses a scope string with no vendor knowledge.
pub fn parse(text: &str) -> ScopeAnalysis {
    parse_for(text, None)
}

/// Parses a scope string and applies what is known of `vendor` (a knowledge-base
/// vendor id such as `google` or `entra`).
pub fn parse_for(text: &str, vendor: Option<&str>) -> ScopeAnalysis {
    let tokens = tokenize(text);
    let mut problems = Vec::new();

    if text.trim_matches(' ').is_empty() {
        problems.push(ScopeProblem {
            kind: ProblemKind::Empty,
            severity: Severity::Error,
            span: Span(0, text.len()),
            message: "the scope is empty: the server must then apply a default scope or \
                      fail with invalid_scope (RFC 6749 §3.3)"
                .into(),
            suggestion: None,
        });
    }
    check_spaces(text, &mut problems);
    for token in &tokens {
        check_characters(token, vendor, &mut problems);
    }
    check_duplicates(&tokens, &mut problems);
    check_glued(&tokens, &mut problems);
    check_well_known(&tokens, &mut problems);
    check_vendor(&tokens, vendor, &mut problems);

    sort::sort_by_key(&mut problems, |p| (p.span.0, p.span.1));
    ScopeAnalysis {
        text: text.to_string(),
        token_spans: tokens.iter().map(|t| t.span).collect(),
        tokens: tokens.into_iter().map(|t| t.text).collect(),
        problems,
    }
}

fn tokenize(text: &str) -> Vec<ScopeToken> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, b) in text
        .bytes()
        .enumerate()
        .chain(std::iter::once((text.len(), b' ')))
    {
        match (b == b' ', start) {
            (true, Some(s)) => {
                tokens.push(ScopeToken {
                    text: text[s..i].to_string(),
                    span: Span(s, i),
                });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    tokens
}

fn check_spaces(text: &str, problems: &mut Vec<ScopeProblem>) {
    let bytes = text.as_bytes();
    if text.trim_matches(' ').is_empty() {
        return;
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        let (message, suggestion) = if start == 0 {
            ("leading space: the scope must start with a scope token", "")
        } else if i == bytes.len() {
            ("trailing space: the scope must end with a scope token", "")
        } else if i - start > 1 {
            (
                "several spaces: scope tokens are separated by exactly one space",
                " ",
            )
        } else {
            continue;
        };
        problems.push(ScopeProblem {
            kind: ProblemKind::Whitespace,
            severity: Severity::Warning,
            span: Span(start, i),
            message: format!("{message} (RFC 6749 §3.3)"),
            suggestion: Some(suggestion.into()),
        });
    }
}

fn check_characters(token: &ScopeToken, vendor: Option<&str>, problems: &mut Vec<ScopeProblem>) {
    let base = token.span.0;
    let comma_is_normal = matches!(vendor, Some("github" | "slack"));
    let mut chars = token.text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let span = Span(base + i, base + i + c.len_utf8());
        match c {
            '\x21' | '\x23'..='\x5b' | '\x5d'..='\x7e' => {}
            _ => {
                let (kind, message, suggestion) = describe_bad_char(c);
                problems.push(ScopeProblem {
                    kind,
                    severity: Severity::Error,
                    span,
                    message,
                    suggestion,
                });
                continue;
            }
        }
        let delimiter = match c {
            ',' if comma_is_normal => {
                let who = if vendor == Some("github") {
                    "GitHub returns granted scopes comma-separated (X-OAuth-Scopes, the token response)"
                } else {
                    "Slack delimits its scopes by commas"
                };
                problems.push(ScopeProblem {
                    kind: ProblemKind::Delimiter,
                    severity: Severity::Info,
                    span,
                    message: format!("{who}: this comma is normal there, unlike RFC 6749 §3.3"),
                    suggestion: None,
                });
                continue;
            }
            ',' => Some(("a comma", ",")),
            ';' => Some(("a semicolon", ";")),
            '+' => Some(("a '+' (a form-encoded space left encoded)", "+")),
            '%' if token.text[i..].starts_with("%20") => {
                Some(("'%20' (a space left percent-encoded)", "%20"))
            }
            _ => None,
        };
        if let Some((what, text)) = delimiter {
            for _ in 1..text.len() {
                chars.next();
            }
            // `users:read.email;redirect_uri=https://...`: the next URL parameter,
            // joined with the wrong separator, became part of the scope.
            let after = &token.text[i + text.len()..];
            let name_len = after
                .bytes()
                .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
                .count();
            let glued = name_len >= 3 && after[name_len..].starts_with('=');
            let message = if glued {
                format!(
                    "{what} joins the next URL parameter ({}=) to the scope: parameters are \
                     separated by '&', so the server reads {:?} as one scope (RFC 6749 §3.3)",
                    &after[..name_len],
                    token.text
                )
            } else {
                format!(
                    "{what} inside a scope token: scopes are separated by single spaces \
                     (RFC 6749 §3.3), so the server reads {:?} as one scope",
                    token.text
                )
            };
            problems.push(ScopeProblem {
                kind: ProblemKind::Delimiter,
                severity: Severity::Warning,
                span: Span(span.0, span.0 + text.len()),
                message,
                suggestion: Some(if glued { "&" } else { " " }.into()),
            });
        } else if c == '%' && is_percent_escape(&token.text[i..]) {
            problems.push(ScopeProblem {
                kind: ProblemKind::Delimiter,
                severity: Severity::Warning,
                span: Span(span.0, span.0 + 3),
                message: format!(
                    "'{}' looks like a percent-escape left encoded: the scope was encoded twice or never decoded",
                    &token.text[i..i + 3]
                ),
                suggestion: None,
            });
        }
    }
}

fn is_percent_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[1].is_ascii_hexdigit() && b[2].is_ascii_hexdigit()
}

/// Names a character outside the scope-token grammar, and proposes what to write.
fn describe_bad_char(c: char) -> (ProblemKind, String, Option<String>) {
    let code = format!("U+{:04X}", c as u32);
    if let Some((ascii, name)) = lookalike(c) {
        return (
            ProblemKind::Lookalike,
            format!(
                "{code} {name} looks like '{ascii}' but is not ASCII: scope tokens are printable ASCII only (RFC 6749 §3.3)"
            ),
            Some(ascii.to_string()),
        );
    }
    let (name, suggestion) = match c {
        '"' => ("QUOTATION MARK", Some("")),
        '\\' => ("REVERSE SOLIDUS (backslash)", Some("")),
        '\t' => ("CHARACTER TABULATION (tab)", Some(" ")),
        '\n' => ("LINE FEED (newline)", Some(" ")),
        '\r' => ("CARRIAGE RETURN", Some(" ")),
        '\u{a0}' => ("NO-BREAK SPACE", Some(" ")),
        '\u{2007}' | '\u{202f}' => ("NARROW OR FIGURE NO-BREAK SPACE", Some(" ")),
        '\u{2000}'..='\u{200a}' | '\u{3000}' => ("a Unicode SPACE", Some(" ")),
        '\u{200b}' => ("ZERO WIDTH SPACE", Some("")),
        '\u{200c}' | '\u{200d}' | '\u{2060}' => ("a ZERO WIDTH joiner", Some("")),
        '\u{feff}' => ("ZERO WIDTH NO-BREAK SPACE (byte order mark)", Some("")),
        '\u{ad}' => ("SOFT HYPHEN", Some("")),
        '\u{7f}' => ("DELETE (control)", Some("")),
        c if c.is_control() => ("a control character", Some("")),
        _ => ("a non-ASCII character", None),
    };
    (
        ProblemKind::InvalidChar,
        format!(
            "{code} {name} is not allowed in a scope token (RFC 6749 §3.3 allows printable ASCII except '\"' and '\\')"
        ),
        suggestion.map(str::to_string),
    )
}

/// Non-ASCII characters that pass for ASCII in most fonts.
fn lookalike(c: char) -> Option<(char, &'static str)> {
    Some(match c {
        'а' => ('a', "CYRILLIC SMALL LETTER A"),
        'с' => ('c', "CYRILLIC SMALL LETTER ES"),
        'е' => ('e', "CYRILLIC SMALL LETTER IE"),
        'і' => ('i', "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"),
        'ј' => ('j', "CYRILLIC SMALL LETTER JE"),
        'о' => ('o', "CYRILLIC SMALL LETTER O"),
        'р' => ('p', "CYRILLIC SMALL LETTER ER"),
        'ѕ' => ('s', "CYRILLIC SMALL LETTER DZE"),
        'х' => ('x', "CYRILLIC SMALL LETTER HA"),
        'у' => ('y', "CYRILLIC SMALL LETTER U"),
        'ο' => ('o', "GREEK SMALL LETTER OMICRON"),
        'ν' => ('v', "GREEK SMALL LETTER NU"),
        'ı' => ('i', "LATIN SMALL LETTER DOTLESS I"),
        '‐' | '‑' | '‒' | '–' | '—' | '−' => ('-', "DASH or MINUS"),
        '‘' | '’' | '′' => ('\'', "curly APOSTROPHE"),
        '：' => (':', "FULLWIDTH COLON"),
        '．' => ('.', "FULLWIDTH FULL STOP"),
        '／' => ('/', "FULLWIDTH SOLIDUS"),
        '＿' => ('_', "FULLWIDTH LOW LINE"),
        'ａ'..='ｚ' => (
            char::from_u32(c as u32 - 'ａ' as u32 + 'a' as u32).unwrap_or('?'),
            "FULLWIDTH LATIN LETTER",
        ),
        _ => return None,
    })
}

fn check_duplicates(tokens: &[ScopeToken], problems: &mut Vec<ScopeProblem>) {
    for (i, t) in tokens.iter().enumerate() {
        if tokens[..i].iter().any(|earlier| earlier.text == t.text) {
            problems.push(ScopeProblem {
                kind: ProblemKind::Duplicate,
                severity: Severity::Warning,
                span: t.span,
                message: format!(
                    "{:?} is requested twice; some servers reject repeated scopes",
                    t.text
                ),
                suggestion: Some(String::new()),
            });
        }
    }
}

/// Lowercase with `_`, `-`, `.` and spaces removed: `open_id` and `OpenID` both give
/// `openid`.
/// Two scopes written with no space between them: a second URL inside a URL scope
/// (`.../userinfo.emailhttps://...`, a list joined with `""`), or two standard scopes
/// run together (`openidprofile`).
fn check_glued(tokens: &[ScopeToken], problems: &mut Vec<ScopeProblem>) {
    for t in tokens {
        let text = t.text.as_str();
        // Right after a letter or digit: after `,` or `=` the delimiter is reported
        // already (a comma, a URL parameter glued on).
        let second_url = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| text.get(1..)?.find(scheme).map(|i| i + 1))
            .filter(|&at| text.as_bytes()[at - 1].is_ascii_alphanumeric())
            .min();
        let split = match second_url {
            Some(at) => Some(at),
            None => WELL_KNOWN.iter().find_map(|first| {
                let rest = text.strip_prefix(first)?;
                WELL_KNOWN.contains(&rest).then_some(first.len())
            }),
        };
        let Some(at) = split else {
            continue;
        };
        let (first, second) = text.split_at(at);
        problems.push(ScopeProblem {
            kind: ProblemKind::Delimiter,
            severity: Severity::Error,
            span: t.span,
            message: format!(
                "{text:?} is two scopes run together: a space is missing between {first:?} and \
                 {second:?} (RFC 6749 §3.3)"
            ),
            suggestion: Some(format!("{first} {second}")),
        });
    }
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

fn check_well_known(tokens: &[ScopeToken], problems: &mut Vec<ScopeProblem>) {
    let mut skip_next = false;
    for (i, t) in tokens.iter().enumerate() {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        let text = t.text.as_str();
        // Two tokens that are one well-known scope with a space inside.
        if let Some(next) = tokens.get(i + 1) {
            let joined = squash(&format!("{text}{}", next.text));
            if let Some(wk) = WELL_KNOWN
                .iter()
                .find(|wk| squash(wk) == joined && wk.contains('_'))
            {
                problems.push(ScopeProblem {
                    kind: ProblemKind::Typo,
                    severity: Severity::Error,
                    span: Span(t.span.0, next.span.1),
                    message: format!(
                        "\"{text} {}\" is two scopes; the scope is \"{wk}\" (one token, with an underscore)",
                        next.text
                    ),
                    suggestion: Some(wk.to_string()),
                });
                skip_next = true;
                continue;
            }
        }
        // Known scopes, resource scopes (URIs, `api:read`) and tokens already
        // reported for bad characters are not typos.
        let grammatical = text
            .bytes()
            .all(|b| matches!(b, 0x21 | 0x23..=0x5b | 0x5d..=0x7e));
        if WELL_KNOWN.contains(&text)
            || text == "offline"
            || text.contains(['/', ':'])
            || !grammatical
        {
            continue;
        }
        if let Some(wk) = WELL_KNOWN.iter().find(|wk| wk.eq_ignore_ascii_case(text)) {
            problems.push(ScopeProblem {
                kind: ProblemKind::Case,
                severity: Severity::Error,
                span: t.span,
                message: format!(
                    "scopes are case-sensitive: {text:?} is not \"{wk}\" (RFC 6749 §3.3)"
                ),
                suggestion: Some(wk.to_string()),
            });
            continue;
        }
        let squashed = squash(text);
        let near = WELL_KNOWN.iter().find(|wk| {
            squash(wk) == squashed
                || (text.len() >= 4
                    && wk.len() >= 5
                    && strsim::damerau_levenshtein(&text.to_ascii_lowercase(), wk) == 1)
        });
        if let Some(wk) = near {
            problems.push(ScopeProblem {
                kind: ProblemKind::Typo,
                severity: Severity::Warning,
                span: t.span,
                message: format!("{text:?} looks like a typo of the standard scope \"{wk}\""),
                suggestion: Some(wk.to_string()),
            });
        }
    }
}

fn check_vendor(tokens: &[ScopeToken], vendor: Option<&str>, problems: &mut Vec<ScopeProblem>) {
    let offline = tokens.iter().find(|t| t.text == "offline_access");
    match (vendor, offline) {
        (Some("google"), Some(t)) => problems.push(ScopeProblem {
            kind: ProblemKind::Vendor,
            severity: Severity::Error,
            span: t.span,
            message: "Google has no offline_access scope: ask for a refresh token with \
                      access_type=offline (and prompt=consent to get one again) instead"
                .into(),
            suggestion: Some(String::new()),
        }),
        (Some("cognito"), Some(t)) => problems.push(ScopeProblem {
            kind: ProblemKind::Vendor,
            severity: Severity::Error,
            span: t.span,
            message: "Amazon Cognito has no offline_access scope: it returns a refresh token \
                      with the authorization code grant on its own"
                .into(),
            suggestion: Some(String::new()),
        }),
        _ => {}
    }
    if vendor == Some("hydra")
        && let Some(t) = tokens
            .iter()
            .find(|t| OFFLINE_SCOPES.contains(&t.text.as_str()))
    {
        problems.push(ScopeProblem {
            kind: ProblemKind::Vendor,
            severity: Severity::Info,
            span: t.span,
            message: "Ory Hydra knows both `offline` and `offline_access`: the client's \
                          registered scope must contain the one requested"
                .into(),
            suggestion: None,
        });
    }
    check_entra_default(tokens, problems);
}

/// The resource an Entra scope belongs to: the part before the last `/` of a URI or
/// GUID scope, Microsoft Graph for a bare name; `None` for the OpenID Connect scopes,
/// which belong to no resource.
fn entra_resource(token: &str) -> Option<&str> {
    if WELL_KNOWN.contains(&token) {
        return None;
    }
    match token.rfind('/') {
        Some(i) => Some(token[..i].trim_end_matches('/')),
        None => Some("https://graph.microsoft.com"),
    }
}

/// Entra's `.default` (Microsoft identity platform, "The /.default scope"): it
/// stands for every permission configured on one resource and cannot be mixed with
/// scopes of another resource, nor used without a resource in front.
fn check_entra_default(tokens: &[ScopeToken], problems: &mut Vec<ScopeProblem>) {
    let Some(default) = tokens
        .iter()
        .find(|t| t.text.ends_with("/.default") || t.text == ".default")
    else {
        return;
    };
    let resource = entra_resource(&default.text).unwrap_or_default();
    if resource.is_empty() {
        problems.push(ScopeProblem {
            kind: ProblemKind::Vendor,
            severity: Severity::Error,
            span: default.span,
            message: format!(
                "{:?} names no resource: Entra's .default scope needs the resource's App ID URI \
                 or client id in front (api://<app-id>/.default, https://graph.microsoft.com/.default)",
                default.text
            ),
            suggestion: None,
        });
        return;
    }
    for t in tokens {
        if std::ptr::eq(t, default) {
            continue;
        }
        let Some(other) = entra_resource(&t.text) else {
            continue;
        };
        let message = if other.eq_ignore_ascii_case(resource) {
            format!(
                "{:?} is already part of {:?}: .default stands for every permission configured \
                 on the resource and cannot be combined with single scopes of it",
                t.text, default.text
            )
        } else {
            format!(
                "{:?} belongs to another resource than {:?}: a .default request must name one \
                 resource only (Entra AADSTS70011 / AADSTS28000)",
                t.text, default.text
            )
        };
        problems.push(ScopeProblem {
            kind: ProblemKind::Vendor,
            severity: Severity::Error,
            span: t.span,
            message,
            suggestion: None,
        });
    }
}

/// Requested, allowed and granted scopes side by side (RFC 6749 §3.3: the server may
/// grant less than asked, and then must say what it granted, §5.1).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Default)]
pub struct ScopeComparison {
    /// Requested but not in the allowed/advertised list: the server will refuse them.
    pub not_allowed: Vec<String>,
    /// Requested (and allowed, when known) but not granted: silently dropped.
    pub dropped: Vec<String>,
    /// Granted without being requested (`openid` or `User.Read` added by the server).
    pub extra: Vec<String>,
    /// Requested and granted (or allowed, when nothing was granted yet).
    pub matched: Vec<String>,
}

/// Splits a scope list leniently, on spaces and commas, for comparison: GitHub and
/// Slack report granted scopes comma-separated.
fn lenient_tokens(s: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for t in s.split(|c: char| c.is_whitespace() || c == ',') {
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Compares a requested scope string with what the client is allowed (or the server
/// advertises) and with what a token response granted. The requested string is split
/// strictly, on spaces, as the server reads it; the other two leniently.
pub fn compare(requested: &str, allowed: Option<&str>, granted: Option<&str>) -> ScopeComparison {
    let mut strict: Vec<&str> = Vec::new();
    for t in requested.split(' ').filter(|t| !t.is_empty()) {
        if !strict.contains(&t) {
            strict.push(t);
        }
    }
    let requested = strict;
    let allowed = allowed.map(lenient_tokens);
    let granted = granted.map(lenient_tokens);
    let owned = |v: Vec<&str>| v.into_iter().map(str::to_string).collect::<Vec<_>>();
    let not_allowed: Vec<&str> = match &allowed {
        Some(a) => requested
            .iter()
            .copied()
            .filter(|t| !a.contains(t))
            .collect(),
        None => Vec::new(),
    };
    let (dropped, extra, matched) = match &granted {
        Some(g) => (
            requested
                .iter()
                .copied()
                .filter(|t| !g.contains(t) && !not_allowed.contains(t))
                .collect(),
            g.iter()
                .copied()
                .filter(|t| !requested.contains(t))
                .collect(),
            requested
                .iter()
                .copied()
                .filter(|t| g.contains(t))
                .collect(),
        ),
        None => (
            Vec::new(),
            Vec::new(),
            requested
                .iter()
                .copied()
                .filter(|t| !not_allowed.contains(t))
                .collect(),
        ),
    };
    ScopeComparison {
        not_allowed: owned(not_allowed),
        dropped: owned(dropped),
        extra: owned(extra),
        matched: owned(matched),
    }
}
