//! JSON objects anywhere in the text: a bare body, a body after HTTP headers, one
//! embedded in a log line, a JSON string holding more JSON. Parsed with serde_json,
//! whose recursion limit (128) keeps deep nesting from exhausting the stack.

use serde_json::Value;

use super::{Extraction, Source, canonical_key, secret_key};
use crate::core::Span;

/// At most this many `{` positions are tried, each on at most this many bytes, so a
/// hostile paste full of `{"` costs bounded time.
const MAX_ATTEMPTS: usize = 200;
const MAX_OBJECT: usize = 256 * 1024;
/// JSON inside JSON strings is followed this deep.
const MAX_NESTED_STRING: u8 = 3;
/// At most this many objects are looked for in one JSON string.
const MAX_OBJECTS_IN_STRING: usize = 3;

pub(super) fn scan(text: &str, x: &mut Extraction) {
    let bytes = text.as_bytes();
    let mut attempts = 0;
    let mut i = 0;
    while i < bytes.len() && attempts < MAX_ATTEMPTS {
        let Some(off) = text[i..].find('{') else {
            break;
        };
        let start = i + off;
        // Only an object whose first member name is quoted can be JSON.
        let next = text[start + 1..].trim_start().as_bytes().first().copied();
        if !matches!(next, Some(b'"') | Some(b'}')) {
            i = start + 1;
            continue;
        }
        attempts += 1;
        let window = crate::core::text::truncate(&text[start..], MAX_OBJECT);
        let mut stream = serde_json::Deserializer::from_str(window).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                let end = start + stream.byte_offset();
                walk(&value, text, Span(start, end), x, 0);
                i = end;
            }
            _ => i = start + 1,
        }
    }
}

/// Reads the members we know from one parsed value; `span` is the raw text of the
/// enclosing object, searched to give each member's value its own span.
pub(super) fn walk(value: &Value, text: &str, span: Span, x: &mut Extraction, nested: u8) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let vspan = member_span(text, span, key).unwrap_or(span);
                if let Some(kind) = secret_key(key)
                    && kind != "code"
                {
                    if let Value::String(_) = v {
                        x.push_secret(kind, inner(vspan));
                    }
                    continue;
                }
                match (canonical_key(key), v) {
                    // {"error": {"code": "...", "message": "..."}}
                    (Some("error"), Value::Object(inner_map)) => {
                        if let Some(Value::String(code)) =
                            inner_map.get("code").or_else(|| inner_map.get("error"))
                        {
                            x.push_field("error", code, vspan, Source::Json);
                        }
                        for k in ["message", "error_description", "description", "reason"] {
                            if let Some(Value::String(m)) = inner_map.get(k) {
                                x.push_field("error_description", m, vspan, Source::Json);
                            }
                        }
                        walk(v, text, vspan, x, nested);
                    }
                    (Some("error_codes"), Value::Array(codes)) => {
                        for c in codes.iter().filter_map(Value::as_u64) {
                            let code = format!("{}{c}", super::ENTRA_CODE_PREFIX);
                            if !x.vendor_codes.iter().any(|v| v.code == code) {
                                x.vendor_codes.push(super::VendorCode { code, span: vspan });
                            }
                        }
                    }
                    // WeChat's, WeCom's and DingTalk's numeric code (`"errcode":40163`;
                    // 0 is success). A number under another error key is an HTTP
                    // status, not a code.
                    (Some("error"), Value::Number(n))
                        if key.eq_ignore_ascii_case("errcode") && n.as_u64() != Some(0) =>
                    {
                        // Pushed as is: a bare number is no code anywhere else.
                        x.fields.push(super::Field {
                            key: "error".to_string(),
                            value: n.to_string(),
                            span: vspan,
                            source: Source::Json,
                        });
                    }
                    (Some(k), Value::String(s)) => {
                        x.push_field(k, s, inner(vspan), Source::Json);
                        maybe_nested(s, text, vspan, x, nested);
                    }
                    (Some("scope"), Value::Array(items)) => {
                        let joined: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                        x.push_field("scope", &joined.join(" "), vspan, Source::Json);
                    }
                    (None, Value::String(s)) if key == "message" || key == "detail" => {
                        x.push_field("message", s, inner(vspan), Source::Json);
                        maybe_nested(s, text, vspan, x, nested);
                    }
                    (None, Value::String(s)) => maybe_nested(s, text, vspan, x, nested),
                    (_, Value::Object(_) | Value::Array(_)) => walk(v, text, vspan, x, nested),
                    _ => {}
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, text, span, x, nested);
            }
        }
        _ => {}
    }
}

/// A JSON string that itself holds a JSON object: a logged response body, alone or
/// after the words that introduce it (`"msg":"token request failed: {\"error\":...}"`).
/// What is found there takes the string's span.
fn maybe_nested(s: &str, text: &str, span: Span, x: &mut Extraction, nested: u8) {
    if nested >= MAX_NESTED_STRING {
        return;
    }
    let mut from = 0;
    for _ in 0..MAX_OBJECTS_IN_STRING {
        let Some(off) = s[from..].find('{') else {
            return;
        };
        let start = from + off;
        if !matches!(s[start + 1..].trim_start().as_bytes().first(), Some(b'"')) {
            from = start + 1;
            continue;
        }
        let mut stream = serde_json::Deserializer::from_str(&s[start..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(v)) => {
                walk(&v, text, span, x, nested + 1);
                from = start + stream.byte_offset();
            }
            _ => from = start + 1,
        }
    }
}

/// The span of `"key": <value>`'s value inside `object`, found in the raw text.
fn member_span(text: &str, object: Span, key: &str) -> Option<Span> {
    let raw = object.of(text);
    let quoted = format!("\"{key}\"");
    let mut from = 0;
    while let Some(off) = raw[from..].find(&quoted) {
        let after = from + off + quoted.len();
        let rest = raw[after..].trim_start();
        if let Some(rest) = rest.strip_prefix(':') {
            let value = rest.trim_start();
            let start = raw.len() - value.len();
            let len = value_len(value);
            return Some(Span(object.0 + start, object.0 + start + len));
        }
        from = after;
    }
    None
}

/// The byte length of the JSON value at the start of `s` (a string literal with its
/// quotes, or anything else up to the next delimiter at depth zero).
fn value_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.first() == Some(&b'"') {
        let mut i = 1;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        return b.len();
    }
    let mut depth = 0i32;
    let mut in_str = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => i += 1,
                b'"' => in_str = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return i,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                b',' if depth == 0 => return i,
                _ => {}
            }
        }
        i += 1;
    }
    b.len()
}

/// A string literal's span without its quotes.
fn inner(span: Span) -> Span {
    if span.len() >= 2 {
        Span(span.0 + 1, span.1 - 1)
    } else {
        span
    }
}
