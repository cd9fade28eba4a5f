//! Base64-encoded JSON standing in the text: the error challenge a SASL XOAUTH2 or
//! OAUTHBEARER server sends before failing the login (`334 eyJzdGF0dXMiOiI0MDAi...`,
//! RFC 7628 §3.2.2: `status`, `scope`, `openid-configuration`), or a `state` that
//! carries JSON. Decoded, it is read like any JSON object, and kept whole (as a
//! `decoded` field) so that the matcher reads the server's words too.

use serde_json::Value;

use super::{Extraction, Source, json, jwt};
use crate::core::Span;

/// Shorter blobs are words; longer ones are not an error challenge.
const MIN_BLOB: usize = 16;
const MAX_BLOB: usize = 8 * 1024;
/// At most this many blobs are decoded, so a paste full of them costs bounded time.
const MAX_BLOBS: usize = 32;

pub(super) fn scan(text: &str, x: &mut Extraction) {
    let b = text.as_bytes();
    let mut from = 0;
    let mut decoded = 0;
    // `eyJ` is how base64 writes `{"`: every JSON object's encoding starts so.
    while decoded < MAX_BLOBS
        && let Some(off) = text[from..].find("eyJ")
    {
        let start = from + off;
        let mut end = start;
        while end < b.len() && end - start <= MAX_BLOB && is_b64(b[end]) {
            end += 1;
        }
        let body_end = end;
        while end < b.len() && b[end] == b'=' {
            end += 1;
        }
        from = end.max(start + 3);
        // A JWT (three parts) is read as one; part of a longer word is not a blob.
        let glued = |i: Option<&u8>| i.is_some_and(|&c| c == b'.' || c.is_ascii_alphanumeric());
        if body_end - start < MIN_BLOB
            || body_end - start > MAX_BLOB
            || (start > 0 && (is_b64(b[start - 1]) || b[start - 1] == b'.'))
            || glued(b.get(end))
        {
            continue;
        }
        decoded += 1;
        let Some((json, map)) = jwt::decode_json_object(&text[start..body_end]) else {
            continue;
        };
        let span = Span(start, end);
        let value = Value::Object(map);
        // RFC 7628's `status` is the error code (`invalid_token`); Gmail sends an
        // HTTP status there (`400`), which says less.
        if let Some(Value::String(status)) = value.get("status")
            && crate::core::kb::looks_like_code(status)
        {
            x.push_field("error", status, span, Source::Json);
        }
        json::walk(&value, text, span, x, 0);
        // As the server wrote it (member order included), for the matcher.
        x.push_field("decoded", &json, span, Source::Json);
    }
}

/// A byte of base64, URL-safe or standard.
fn is_b64(c: u8) -> bool {
    jwt::is_b64(c) || matches!(c, b'+' | b'/')
}
