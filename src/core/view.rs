//! What the page shows, computed from a [`Diagnosis`]: the highlighted excerpt of the
//! pasted text, scope chips with their problems, token expiry in words. It lives in
//! the core so that the components only render, and so that it is tested natively.

use serde::{Deserialize, Serialize};

use super::Span;
use super::diagnose::Diagnosis;
use super::sort;

/// Why a stretch of the input is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkKind {
    /// The error code.
    Code,
    /// A vendor message the knowledge base knows.
    Message,
    /// A vendor code such as `AADSTS70011`.
    VendorCode,
    /// A scope the message blames.
    Scope,
    /// A token or secret: shown, but never to be shared.
    Secret,
}

/// A piece of the pasted text, marked or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub mark: Option<MarkKind>,
}

/// Longest input shown whole; a longer one is shown as excerpts around the marks.
pub const MAX_WHOLE: usize = 16 * 1024;
/// Context kept around each mark in an excerpt.
const CONTEXT: usize = 240;

/// The marks of a diagnosis over its input `text`, sorted, without overlaps (the
/// first mark wins). A blamed scope inside a vendor message is marked on its own,
/// the message around it.
pub fn marks(d: &Diagnosis, text: &str) -> Vec<(Span, MarkKind)> {
    let input_len = text.len();
    let mut scopes: Vec<Span> = Vec::new();
    for m in &d.matches {
        let Some(region) = text.get(m.span.0..m.span.1) else {
            continue;
        };
        for token in d.blamed_scopes.iter().filter(|t| t.len() >= 2) {
            scopes.extend(
                region
                    .match_indices(token.as_str())
                    .take(8)
                    .map(|(at, t)| Span(m.span.0 + at, m.span.0 + at + t.len())),
            );
        }
    }
    sort::sort_dedup(&mut scopes);
    let mut all: Vec<(Span, MarkKind)> = Vec::new();
    all.extend(d.secrets.iter().map(|s| (s.span, MarkKind::Secret)));
    all.extend(scopes.iter().map(|s| (*s, MarkKind::Scope)));
    for m in &d.matches {
        // The message, minus the scopes marked inside it.
        let mut at = m.span.0;
        for s in scopes.iter().filter(|s| m.span.0 <= s.0 && s.1 <= m.span.1) {
            if s.0 > at {
                all.push((Span(at, s.0), MarkKind::Message));
            }
            at = at.max(s.1);
        }
        if at < m.span.1 {
            all.push((Span(at, m.span.1), MarkKind::Message));
        }
    }
    all.extend(
        d.fields
            .iter()
            .filter(|f| f.key == "error" && d.error.as_ref().is_some_and(|e| e.as_str() == f.value))
            .map(|f| (f.span, MarkKind::Code)),
    );
    all.extend(
        d.vendor_code_spans
            .iter()
            .map(|s| (*s, MarkKind::VendorCode)),
    );
    all.retain(|(s, _)| s.0 < s.1 && s.1 <= input_len);
    sort::sort_by_key(&mut all, |(s, _)| (s.0, std::cmp::Reverse(s.1)));
    let mut out: Vec<(Span, MarkKind)> = Vec::new();
    for (span, kind) in all {
        match out.last() {
            Some((last, _)) if span.0 < last.1 => {}
            _ => out.push((span, kind)),
        }
    }
    out
}

/// Splits `text` into marked and plain segments. Past [`MAX_WHOLE`] bytes only the
/// stretches around the marks are kept, joined by `…`.
pub fn segments(text: &str, marks: &[(Span, MarkKind)]) -> Vec<Segment> {
    let floor = |i: usize| super::text::floor_boundary(text, i);
    let ceil = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let whole = text.len() <= MAX_WHOLE;
    let mut out = Vec::new();
    let mut at = 0;
    let plain = |out: &mut Vec<Segment>, from: usize, to: usize, first: bool, last: bool| {
        if from >= to {
            return;
        }
        let piece = &text[from..to];
        if whole || piece.len() <= 2 * CONTEXT {
            out.push(Segment {
                text: piece.to_string(),
                mark: None,
            });
            return;
        }
        let head = if first {
            ""
        } else {
            &piece[..floor_in(piece, CONTEXT)]
        };
        let tail = if last {
            ""
        } else {
            &piece[ceil_in(piece, piece.len() - CONTEXT)..]
        };
        out.push(Segment {
            text: format!("{head}\n…\n{tail}"),
            mark: None,
        });
    };
    let mut first = true;
    for (span, kind) in marks {
        let (s, e) = (floor(span.0), ceil(span.1));
        if s < at {
            continue;
        }
        plain(&mut out, at, s, first, false);
        out.push(Segment {
            text: text[s..e].to_string(),
            mark: Some(*kind),
        });
        at = e;
        first = false;
    }
    if marks.is_empty() && !whole {
        out.push(Segment {
            text: text[..floor(MAX_WHOLE)].to_string(),
            mark: None,
        });
        out.push(Segment {
            text: "\n…".into(),
            mark: None,
        });
        return out;
    }
    plain(&mut out, at, text.len(), first, true);
    out
}

fn floor_in(s: &str, i: usize) -> usize {
    super::text::floor_boundary(s, i)
}

fn ceil_in(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Splits knowledge-base prose on backtick pairs: `(true, text)` pieces are code.
/// An unpaired backtick stays literal.
pub fn inline_code(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(close) = rest[open + 1..].find('`') else {
            break;
        };
        if open > 0 {
            out.push((false, &rest[..open]));
        }
        out.push((true, &rest[open + 1..open + 1 + close]));
        rest = &rest[open + 2 + close..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

/// A link to a specification section named as the knowledge base names it:
/// `RFC 6749 §3.3` → the RFC Editor's HTML with the section anchor; OpenID specs →
/// the OpenID Foundation's page. `None` for a name it does not know.
pub fn spec_url(spec: &str) -> Option<String> {
    let spec = spec.trim();
    if let Some(rest) = spec.strip_prefix("RFC ") {
        let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if number.is_empty() {
            return None;
        }
        let section: String = rest
            .split('§')
            .nth(1)
            .map(|s| {
                s.trim()
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect()
            })
            .unwrap_or_default();
        let section = section.trim_end_matches('.');
        return Some(if section.is_empty() {
            format!("https://www.rfc-editor.org/rfc/rfc{number}.html")
        } else {
            format!("https://www.rfc-editor.org/rfc/rfc{number}.html#section-{section}")
        });
    }
    let page = if spec.starts_with("OpenID Connect Core") {
        "openid-connect-core-1_0.html"
    } else if spec.starts_with("OpenID Connect Discovery") {
        "openid-connect-discovery-1_0.html"
    } else if spec.contains("CIBA") {
        "openid-client-initiated-backchannel-authentication-core-1_0.html"
    } else {
        return None;
    };
    Some(format!("https://openid.net/specs/{page}"))
}

/// A duration in words: `in 3 hours`, `5 minutes ago`.
pub fn relative_time(seconds: i64) -> String {
    let n = seconds.unsigned_abs();
    let (value, unit) = match n {
        0..=89 => (n, "second"),
        90..=3569 => ((n + 30) / 60, "minute"),
        3570..=129_599 => ((n + 1800) / 3600, "hour"),
        _ => ((n + 43_200) / 86_400, "day"),
    };
    let plural = if value == 1 { "" } else { "s" };
    if seconds < 0 {
        format!("{value} {unit}{plural} ago")
    } else {
        format!("in {value} {unit}{plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, diagnose};

    #[test]
    fn marks_cover_code_message_and_secret_in_order() {
        let text = "GET /cb?code=abcdefghijklmnop&error=invalid_scope&error_description=The+following+scopes+are+invalid%3A+offline_access";
        let d = diagnose(text, &Options::default());
        let m = marks(&d, text);
        let kinds: Vec<MarkKind> = m.iter().map(|(_, k)| *k).collect();
        assert!(
            kinds.contains(&MarkKind::Secret) && kinds.contains(&MarkKind::Code),
            "{kinds:?}"
        );
        let segs = segments(text, &m);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn long_input_is_excerpted_around_marks() {
        let mut text = "x".repeat(100_000);
        text.push_str(" error=invalid_scope ");
        text.push_str(&"y".repeat(100_000));
        let d = diagnose(&text, &Options::default());
        let segs = segments(&text, &marks(&d, &text));
        let shown: usize = segs.iter().map(|s| s.text.len()).sum();
        assert!(shown < 2_000, "{shown}");
        assert!(
            segs.iter()
                .any(|s| s.mark == Some(MarkKind::Code) && s.text == "invalid_scope")
        );
    }

    #[test]
    fn backticks_become_code() {
        assert_eq!(
            inline_code("send `scope` not `scopes`, or ` alone"),
            vec![
                (false, "send "),
                (true, "scope"),
                (false, " not "),
                (true, "scopes"),
                (false, ", or ` alone")
            ]
        );
    }

    #[test]
    fn spec_names_become_links() {
        assert_eq!(
            spec_url("RFC 6749 §3.3").as_deref(),
            Some("https://www.rfc-editor.org/rfc/rfc6749.html#section-3.3")
        );
        assert_eq!(
            spec_url("RFC 8707 §2.").as_deref(),
            Some("https://www.rfc-editor.org/rfc/rfc8707.html#section-2")
        );
        assert!(spec_url("OpenID Connect Core 1.0 §3.1.2.6").is_some());
        assert_eq!(spec_url("a blog post"), None);
    }

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(relative_time(-3600), "1 hour ago");
        assert_eq!(relative_time(120), "in 2 minutes");
        assert_eq!(relative_time(86_400 * 3), "in 3 days");
    }
}
