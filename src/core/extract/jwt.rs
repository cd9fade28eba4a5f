//! JSON Web Tokens anywhere in the text (RFC 7519), decoded without verifying the
//! signature: the point is to read `scope`, `aud` and `exp`, not to trust them.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use serde::Serialize;
use serde_json::Value;

use super::Extraction;
use crate::core::Span;

/// A decoded JWT. `verified` is always false: the signature is never checked.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Jwt {
    pub span: Span,
    pub verified: bool,
    /// `alg`, `typ`, `kid` of the JOSE header.
    pub header: serde_json::Map<String, Value>,
    /// The claims that matter for a diagnosis.
    pub claims: Claims,
}

/// Selected claims (RFC 7519 §4.1, RFC 9068 §2.2, RFC 8693 §4.2).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Claims {
    pub iss: Option<String>,
    pub sub: Option<String>,
    /// `aud` as a list (it may be a string or an array).
    pub aud: Vec<String>,
    pub azp: Option<String>,
    pub client_id: Option<String>,
    /// Scopes from `scope` (space-delimited, RFC 8693 §4.2) or `scp` (Entra, Okta:
    /// a string or an array).
    pub scopes: Vec<String>,
    pub exp: Option<i64>,
    pub iat: Option<i64>,
    pub nbf: Option<i64>,
}

/// Longest token decoded; longer runs are not JWTs people paste.
const MAX_JWT: usize = 64 * 1024;

pub(super) fn scan(text: &str, x: &mut Extraction) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(off) = text[from..].find("eyJ") {
        let start = from + off;
        if start > 0 && is_b64(b[start - 1]) {
            from = start + 3;
            continue;
        }
        let mut end = start;
        let mut dots = 0;
        while end < b.len() && end - start < MAX_JWT && (is_b64(b[end]) || b[end] == b'.') {
            if b[end] == b'.' {
                dots += 1;
            }
            end += 1;
        }
        from = end.max(start + 3);
        if dots != 2 {
            continue;
        }
        if let Some(jwt) = decode(&text[start..end], Span(start, end)) {
            x.push_secret("jwt", jwt.span);
            x.jwts.push(jwt);
        }
    }
}

/// A byte of URL-safe base64, as a JWT writes it.
pub(super) fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// A base64-encoded JSON object, URL-safe (a JWT's parts) or standard (a SASL
/// challenge), padded or not: the JSON as written, and the object.
pub(super) fn decode_json_object(b64: &str) -> Option<(String, serde_json::Map<String, Value>)> {
    let b64 = b64.trim_end_matches('=');
    let bytes = URL_SAFE_NO_PAD
        .decode(b64)
        .or_else(|_| STANDARD_NO_PAD.decode(b64))
        .ok()?;
    let json = String::from_utf8(bytes).ok()?;
    match serde_json::from_str(&json).ok()? {
        Value::Object(map) => Some((json, map)),
        _ => None,
    }
}

fn decode_part(part: &str) -> Option<serde_json::Map<String, Value>> {
    decode_json_object(part).map(|(_, map)| map)
}

/// Decodes `header.payload.signature`; `None` if either part is not a JSON object.
pub fn decode(token: &str, span: Span) -> Option<Jwt> {
    let mut parts = token.split('.');
    let header = decode_part(parts.next()?)?;
    let payload = decode_part(parts.next()?)?;
    let string = |k: &str| payload.get(k).and_then(Value::as_str).map(str::to_string);
    let number = |k: &str| payload.get(k).and_then(Value::as_f64).map(|f| f as i64);
    let list = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => s
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut scopes = list(payload.get("scope"));
    scopes.extend(list(payload.get("scp")));
    let keep = ["alg", "typ", "kid", "jku", "cty"];
    Some(Jwt {
        span,
        verified: false,
        header: header
            .into_iter()
            .filter(|(k, _)| keep.contains(&k.as_str()))
            .collect(),
        claims: Claims {
            iss: string("iss"),
            sub: string("sub"),
            aud: list(payload.get("aud")),
            azp: string("azp"),
            client_id: string("client_id")
                .or_else(|| string("cid"))
                .or_else(|| string("appid")),
            scopes,
            exp: number("exp"),
            iat: number("iat"),
            nbf: number("nbf"),
        },
    })
}
