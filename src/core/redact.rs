//! Redaction: before any text leaves the page (a share link, an export), every token,
//! code and secret the extractor found is replaced by a marker naming its kind.

use super::extract::{self, Secret};

/// What was redacted, for telling the person before anything is copied.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Redacted {
    pub text: String,
    /// The kinds removed, one per secret, in order.
    pub removed: Vec<String>,
}

/// Replaces every secret span of `text` with `[redacted:<kind>]`. Overlapping spans
/// (a JWT inside an `access_token` member) are merged.
pub fn redact_spans(text: &str, secrets: &[Secret]) -> Redacted {
    let mut spans: Vec<&Secret> = secrets
        .iter()
        .filter(|s| s.span.1 <= text.len() && s.span.0 < s.span.1)
        .filter(|s| text.is_char_boundary(s.span.0) && text.is_char_boundary(s.span.1))
        .collect();
    spans.sort_by_key(|s| (s.span.0, std::cmp::Reverse(s.span.1)));
    let mut out = String::with_capacity(text.len());
    let mut removed = Vec::new();
    let mut at = 0;
    for s in spans {
        if s.span.0 < at {
            // Inside a span already redacted; extend it if it reaches further.
            if s.span.1 > at {
                at = s.span.1;
            }
            continue;
        }
        out.push_str(&text[at..s.span.0]);
        out.push_str(&format!("[redacted:{}]", s.kind));
        removed.push(s.kind.clone());
        at = s.span.1;
    }
    out.push_str(&text[at..]);
    Redacted { text: out, removed }
}

/// Finds the secrets in `text` and redacts them.
pub fn redact(text: &str) -> Redacted {
    redact_spans(text, &extract::extract(text).secrets)
}
