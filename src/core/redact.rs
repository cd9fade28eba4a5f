//! Redaction: before any text leaves the page (a share link, an export), every token,
//! code and secret the extractor found is replaced by a marker naming its kind.

use super::extract::{self, Secret};
use super::sort;

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
    sort::sort_by_key(&mut spans, |s| (s.span.0, std::cmp::Reverse(s.span.1)));
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

/// The URL fragment that carries a paste in a share link: `paste=<redacted text,
/// form-encoded>`. The fragment never reaches a server; the text in it is redacted
/// first, so a link holds no token, code or secret.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShareLink {
    /// The fragment, without the leading `#`.
    pub fragment: String,
    /// The kinds of secret removed, to tell the person before anything is copied.
    pub removed: Vec<String>,
}

/// Longest paste a share link carries: browsers and chat tools cut longer URLs.
pub const MAX_SHARED: usize = 16 * 1024;

/// Builds the share-link fragment for `text`: redacted, cut to [`MAX_SHARED`] bytes.
pub fn share_fragment(text: &str) -> ShareLink {
    let r = redact(text);
    let shared = super::text::truncate(&r.text, MAX_SHARED);
    let encoded: String = url::form_urlencoded::byte_serialize(shared.as_bytes()).collect();
    ShareLink {
        fragment: format!("paste={encoded}"),
        removed: r.removed,
    }
}

/// The paste a share-link fragment carries (with or without the leading `#`).
pub fn paste_from_fragment(fragment: &str) -> Option<String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    url::form_urlencoded::parse(fragment.as_bytes())
        .find(|(k, _)| k == "paste")
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_links_round_trip_without_secrets() {
        let text = "POST /token\nclient_secret=s3cr3t-value-123&code=SplxlOBeZQQYbYS6WxSbIA\n\
                    {\"error\":\"invalid_grant\",\"error_description\":\"PKCE verification failed\"}";
        let link = share_fragment(text);
        assert!(
            !link.fragment.contains("s3cr3t") && !link.fragment.contains("SplxlOBeZQQYbYS6WxSbIA")
        );
        assert_eq!(link.removed, ["client_secret", "code"]);
        let back = paste_from_fragment(&format!("#{}", link.fragment)).expect("a paste");
        assert!(
            back.contains("PKCE verification failed") && back.contains("[redacted:client_secret]")
        );
        assert_eq!(paste_from_fragment("#other=1"), None);
    }
}
