//! Pulls every OAuth/OIDC signal out of pasted text, whatever its form: JSON bodies
//! (RFC 6749 §5.2), redirect URLs with the error in the query or the fragment
//! (RFC 6749 §4.1.2.1, §4.2.2.1), form bodies, `WWW-Authenticate` headers (RFC 6750
//! §3, RFC 9728 §5.1), log lines in logfmt, Go, JavaScript and Python notation,
//! exception texts, vendor codes, JWTs and secrets. Every finding carries the byte
//! span of the input it came from. Extraction never fails: what cannot be read is
//! skipped.

mod encoded;
mod form;
mod json;
mod jwt;
mod kv;
pub use kv::{LogMessage, log_messages};

use serde::Serialize;

pub use jwt::{Claims, Jwt};

use super::Span;
use super::error_code::ErrorCode;
use super::kb::Kb;
use super::sort;

/// Where a field was read, from the most to the least explicit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A member of a JSON object.
    Json,
    /// A URL query parameter.
    Query,
    /// A URL fragment parameter (implicit and hybrid flows, RFC 6749 §4.2.2.1).
    Fragment,
    /// An `application/x-www-form-urlencoded` body.
    Form,
    /// `key=value` or `key: value` in a log line, a header or a JavaScript or Python
    /// object.
    KeyValue,
    /// A Go `map[key:value ...]` as Go's `%v` prints it.
    GoMap,
    /// A code in brackets or followed by a colon: `[invalid_scope]`, `invalid_scope:`.
    Marked,
    /// A code standing alone in prose.
    Bare,
}

/// One key and its decoded value.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Field {
    /// The canonical key: `error`, `error_description`, `error_uri`, `error_hint`,
    /// `scope`, `resource`, `client_id`, `state`, ... (see [`canonical_key`]).
    pub key: String,
    /// The value, decoded (percent-, plus- and JSON-escapes undone).
    pub value: String,
    /// Where the value is in the input; for a value decoded from a twice-encoded URL,
    /// the span of the whole encoded text.
    pub span: Span,
    pub source: Source,
}

/// A value that must never leave the page: a token, a code, a secret.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Secret {
    /// `access_token`, `refresh_token`, `id_token`, `code`, `client_secret`,
    /// `code_verifier`, `jwt`, `authorization`, `password`, ...
    pub kind: String,
    pub span: Span,
}

/// Entra's prefix for the numbers it sends bare in `error_codes` and prints bare on
/// its sign-in error page.
const ENTRA_CODE_PREFIX: &str = "AADSTS";

/// A vendor's own error code (`AADSTS70011`, `E0000011`, `IDX10223`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VendorCode {
    pub code: String,
    pub span: Span,
}

/// A host named by a URL in the text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Host {
    pub host: String,
    pub span: Span,
    /// The URL carries an `error` back to the client (RFC 6749 §4.1.2.1): its host
    /// is the client's, not the server that wrote the error (a server's own error
    /// page, a path ending in `/error`, is not a callback).
    pub callback: bool,
}

/// Everything found in a paste.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extraction {
    pub fields: Vec<Field>,
    pub vendor_codes: Vec<VendorCode>,
    pub hosts: Vec<Host>,
    pub jwts: Vec<Jwt>,
    pub secrets: Vec<Secret>,
    /// The text holds a `WWW-Authenticate` challenge: the error came from a resource
    /// server (RFC 6750 §3), not from the authorization server.
    pub www_authenticate: bool,
}

/// Maps the many spellings of a key to one name, or `None` for keys we do not read.
pub fn canonical_key(raw: &str) -> Option<&'static str> {
    let lower = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    Some(match lower.as_str() {
        "error" => "error",
        // WSO2 Identity Server's error page: `oauth2_error.do?oauthErrorCode=...&
        // oauthErrorMsg=...`; WeChat's, WeCom's and DingTalk's bodies:
        // `{"errcode":40163,"errmsg":"code been used"}`.
        "error_code" | "errorcode" | "oautherrorcode" | "errcode" => "error",
        "error_description" | "errordescription" | "error_message" | "errormessage"
        | "oautherrormsg" | "errmsg" => "error_description",
        "error_uri" | "erroruri" => "error_uri",
        "error_hint" => "error_hint",
        "error_codes" => "error_codes",
        "suberror" | "sub_error" => "suberror",
        "trace_id" | "traceid" => "trace_id",
        "correlation_id" | "correlationid" => "correlation_id",
        "state" => "state",
        "scope" => "scope",
        "resource" => "resource",
        "audience" => "audience",
        "prompt" => "prompt",
        "client_id" => "client_id",
        "redirect_uri" => "redirect_uri",
        "response_type" => "response_type",
        "grant_type" => "grant_type",
        "realm" => "realm",
        "resource_metadata" => "resource_metadata",
        "access_type" => "access_type",
        "iss" => "iss",
        "code_challenge_method" => "code_challenge_method",
        "tenant" | "tenant_id" => "tenant",
        _ => return None,
    })
}

/// Keys whose values are secrets, and the kind each is reported as. `code` counts
/// only in URLs and forms, where it is the authorization code.
pub fn secret_key(raw: &str) -> Option<&'static str> {
    let lower = raw.trim().to_ascii_lowercase();
    Some(match lower.as_str() {
        "access_token" | "accesstoken" => "access_token",
        "refresh_token" | "refreshtoken" => "refresh_token",
        "id_token" | "idtoken" => "id_token",
        "client_secret" | "clientsecret" => "client_secret",
        "code_verifier" => "code_verifier",
        "client_assertion" | "assertion" => "client_assertion",
        "device_code" | "user_code" => "device_code",
        "password" | "passwd" => "password",
        "subject_token" | "actor_token" | "token" => "token",
        "authorization" => "authorization",
        "api_key" | "apikey" | "x-api-key" => "api_key",
        "session_state" | "code" => "code",
        _ => return None,
    })
}

/// Where offset `g` of a copy that left out the sorted offsets `removed` stands in
/// the text it was copied from.
fn original_offset(g: usize, removed: &[usize]) -> usize {
    let mut o = g;
    for &r in removed {
        if r <= o {
            o += 1;
        } else {
            break;
        }
    }
    o
}

impl Extraction {
    /// The most explicit field with this key (earliest among equals).
    pub fn best(&self, key: &str) -> Option<&Field> {
        self.fields
            .iter()
            .filter(|f| f.key == key)
            .min_by_key(|f| (f.source, f.span.0))
    }

    /// The error code, preferring an explicit `error` member over a code in prose,
    /// and any code over an HTTP reason phrase under `error` (`"error":"Not
    /// Found"`, as Fastify, NestJS and Hydra's admin API write it).
    pub fn error(&self) -> Option<(ErrorCode, &Field)> {
        self.fields
            .iter()
            .filter(|f| f.key == "error")
            .min_by_key(|f| (is_reason_phrase(&f.value), f.source, f.span.0))
            .map(|f| (ErrorCode::parse(&f.value), f))
    }

    /// Takes what a copy of the text reads that the text itself does not: with its
    /// HTML character references decoded (a JSON body or a redirect's query shown
    /// escaped on an HTML page and copied from its source: `{&quot;error&quot;:...}`,
    /// `?error=...&amp;state=`), or without the quote marks of a message quoted line
    /// by line. The fields this reading lacks, and the vendor codes; `removed` holds
    /// the offsets the copy left out (for a reference, every byte but its first),
    /// sorted.
    pub fn add_copy(&mut self, copy: Extraction, removed: &[usize]) {
        let to_original = |g: usize| original_offset(g, removed);
        for f in copy.fields {
            if !self.fields.iter().any(|g| g.key == f.key) {
                self.fields.push(Field {
                    span: Span(to_original(f.span.0), to_original(f.span.1)),
                    ..f
                });
            }
        }
        for v in copy.vendor_codes {
            if !self.vendor_codes.iter().any(|w| w.code == v.code) {
                self.vendor_codes.push(VendorCode {
                    span: Span(to_original(v.span.0), to_original(v.span.1)),
                    ..v
                });
            }
        }
    }

    /// Takes what a copy of the text with a console's line cuts removed reads
    /// across a cut (a query value or a JSON string cut inside a word, which this
    /// reading has only in part or not at all). `removed` holds the offsets the
    /// copy left out, sorted; the copy's spans are mapped back over them.
    pub fn add_uncut(&mut self, uncut: Extraction, removed: &[usize]) {
        let to_original = |g: usize| original_offset(g, removed);
        let across: Vec<Field> = uncut
            .fields
            .into_iter()
            .map(|f| Field {
                span: Span(to_original(f.span.0), to_original(f.span.1)),
                ..f
            })
            .filter(|f| removed.iter().any(|&r| f.span.0 <= r && r < f.span.1))
            .collect();
        // The part this reading got of the same value, cut short, gives way.
        self.fields.retain(|g| {
            !across
                .iter()
                .any(|f| g.key == f.key && f.span.0 <= g.span.0 && g.span.0 < f.span.1)
        });
        self.fields.extend(across);
    }

    fn push_field(&mut self, key: &str, value: &str, span: Span, source: Source) {
        let value = value.trim();
        // `"error": "invalid client"`: a registered code written with spaces.
        let spaced;
        let value = if key == "error" && value.contains(' ') && value.len() <= 40 {
            spaced = value.to_ascii_lowercase().replace(' ', "_");
            if ErrorCode::parse(&spaced).is_registered() {
                spaced.as_str()
            } else {
                value
            }
        } else {
            value
        };
        // A description copied form-encoded out of a URL or a form body
        // (`error_description: "Missing+parameter%3A+code_challenge_method"`).
        let decoded;
        let value = if matches!(key, "error_description" | "error_hint")
            && matches!(source, Source::KeyValue | Source::Json | Source::GoMap)
            && is_form_encoded(value)
        {
            decoded = percent_encoding::percent_decode_str(&value.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned();
            decoded.as_str()
        } else {
            value
        };
        if value.is_empty() && key != "scope" {
            return;
        }
        // A vendor's own code in another case (NextAuth's `?error=OAuthCallback`)
        // counts where a URL or JSON names it as the error and the knowledge base
        // knows it, not in prose (`error: Configuration file missing`).
        // So does a constant's name there (Salesforce's
        // `error=OAUTH_DISALLOWED_SCOPES`, HubSpot's `"error":"BAD_REFRESH_TOKEN"`).
        if key == "error"
            && !is_code_value(value)
            && !(matches!(
                source,
                Source::Json | Source::Query | Source::Fragment | Source::Form
            ) && (Kb::get().knows_error(value) || is_constant_name(value)))
        {
            // A sentence under `error` in a URL or a form body (grant's
            // `?error=Grant%3A%20OAuth2%20state%20mismatch`) is the message, encoded:
            // read it as one, decoded.
            if value.contains(' ')
                && matches!(source, Source::Query | Source::Fragment | Source::Form)
            {
                self.push_field("message", value, span, source);
            }
            return;
        }
        if self
            .fields
            .iter()
            .any(|f| f.key == key && f.value == value && f.source <= source)
        {
            return;
        }
        self.fields.push(Field {
            key: key.to_string(),
            value: value.to_string(),
            span,
            source,
        });
    }

    fn push_secret(&mut self, kind: &str, span: Span) {
        if span.is_empty() || self.secrets.iter().any(|s| s.span == span) {
            return;
        }
        self.secrets.push(Secret {
            kind: kind.to_string(),
            span,
        });
    }
}

/// Whether `v` is an HTTP status's reason phrase (RFC 9110 §15), which frameworks
/// write under `error` beside the real message: it names no product.
pub fn is_reason_phrase(v: &str) -> bool {
    const PHRASES: &[&str] = &[
        "Bad Request",
        "Unauthorized",
        "Forbidden",
        "Not Found",
        "Method Not Allowed",
        "Not Acceptable",
        "Request Timeout",
        "Conflict",
        "Gone",
        "Unsupported Media Type",
        "Unprocessable Entity",
        "Unprocessable Content",
        "Too Many Requests",
        "Internal Server Error",
        "Not Implemented",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ];
    PHRASES.contains(&v)
}

/// Whether a value reads as form-encoded prose: no blank, words joined by `+` or
/// `%20`, and every `%` starting an escape.
fn is_form_encoded(v: &str) -> bool {
    let b = v.as_bytes();
    let escapes_ok = b
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c == b'%')
        .all(|(i, _)| {
            b.len() > i + 2 && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()
        });
    !v.contains(' ')
        && v.len() >= 8
        && escapes_ok
        && (v.contains('+') || v.contains("%20"))
        && v.split(['+']).filter(|w| w.len() >= 2).count() >= 2
}

/// `OAUTH_DISALLOWED_SCOPES`: a code's shape, in capitals.
fn is_constant_name(v: &str) -> bool {
    !v.ends_with('_')
        && !v.bytes().any(|b| b.is_ascii_lowercase())
        && super::kb::looks_like_code(&v.to_ascii_lowercase())
}

/// Whether a value read under an `error` key is a code rather than prose.
fn is_code_value(v: &str) -> bool {
    // `"error": true` (a flag, with the reason elsewhere) names no code, nor does
    // `error: error` (a variable passed on, in code or a log), nor a field's name
    // (`Error: message "404 Not Found..."`).
    if matches!(
        v,
        "true"
            | "false"
            | "null"
            | "nil"
            | "none"
            | "undefined"
            | "error"
            | "errors"
            | "err"
            | "message"
            | "messages"
            | "detail"
            | "details"
            | "description"
            | "exception"
    ) {
        return false;
    }
    super::kb::looks_like_code(v)
        || ErrorCode::parse(v).is_registered()
        || (v.len() <= 40 && v.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && v.len() >= 4)
        // Better Auth's `email_doesn't_match`: an apostrophe inside a snake_case code.
        || (v.len() <= 40
            && v.contains('_')
            && !v.starts_with('\'')
            && !v.ends_with('\'')
            && v.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'\''))
        // A code the knowledge base knows in another shape (Auth0's `bad.connection`);
        // not a vendor's numbered code (`AADSTS50076`), which is no `error` value.
        || (v.starts_with(|c: char| c.is_ascii_lowercase()) && Kb::get().knows_error(v))
}

/// Extracts every signal from `text`. Linear in the text's length, with bounded
/// work per JSON candidate, so that it can run on every keystroke.
pub fn extract(text: &str) -> Extraction {
    let kb = Kb::get();
    let mut x = Extraction::default();
    json::scan(text, &mut x);
    form::scan(text, &mut x);
    kv::scan(text, &mut x);
    kv::scan_codes(text, kb, &mut x);
    kv::scan_exception_codes(text, &mut x);
    kv::scan_status_codes(text, &mut x);
    kv::scan_vendor_codes(text, kb, &mut x);
    jwt::scan(text, &mut x);
    encoded::scan(text, &mut x);
    x.www_authenticate = contains_ignore_case(text, "www-authenticate")
        || contains_ignore_case(text, "bearer error=")
        || contains_ignore_case(text, "dpop error=");
    sort::sort_by_key(&mut x.secrets, |s| s.span);
    x
}

/// Case-insensitive ASCII substring search.
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    find_ignore_case(haystack, needle, 0).is_some()
}

/// The first case-insensitive occurrence of an ASCII `needle` at or after `from`.
pub fn find_ignore_case(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    let first_lower = n[0].to_ascii_lowercase();
    let first_upper = n[0].to_ascii_uppercase();
    (from..=h.len() - n.len()).find(|&i| {
        (h[i] == first_lower || h[i] == first_upper) && h[i..i + n.len()].eq_ignore_ascii_case(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_encoded_description_is_decoded() {
        let x = extract(
            "error: \"invalid_request\"\nerror_description: \"Missing+parameter%3A+code_challenge_method\"",
        );
        assert_eq!(
            x.best("error_description").map(|f| f.value.as_str()),
            Some("Missing parameter: code_challenge_method")
        );
        // A value with a plus that is not an encoding stays as written.
        let x = extract("error_description=\"C++\"");
        assert_ne!(
            x.best("error_description").map(|f| f.value.as_str()),
            Some("C  ")
        );
    }

    #[test]
    fn an_exception_class_names_its_code() {
        let code = |t: &str| extract(t).error().map(|(c, _)| c.as_str().to_string());
        assert_eq!(code("InvalidScopeError").as_deref(), Some("invalid_scope"));
        assert_eq!(
            code("oauthlib.oauth2.rfc6749.errors.InvalidGrantError: (invalid_grant) Invalid grant")
                .as_deref(),
            Some("invalid_grant")
        );
        assert_eq!(
            code("error=\"invalid_token\" UnsupportedGrantTypeException").as_deref(),
            Some("invalid_token")
        );
        assert_eq!(
            code("InvalidRequestError: AADSTS90009: Application 'x' is requesting a token for itself.")
                .as_deref(),
            Some("invalid_request")
        );
        // Its words run together whatever their capitals; three words need no suffix.
        assert_eq!(
            code("except UseDPoPNonce as e:").as_deref(),
            Some("use_dpop_nonce")
        );
        assert_eq!(
            code("raise InvalidDPoPProofError(response)").as_deref(),
            Some("invalid_dpop_proof")
        );
        assert_eq!(
            code("OAuthError: InvalidClientMetadata").as_deref(),
            Some("invalid_client_metadata")
        );
        for text in [
            "InvalidToken",
            "the InvalidGrant flag",
            "USEDPOPNONCE",
            "sqlalchemy.exc.InvalidRequestError: This session is in 'prepared' state",
            "openai.error.InvalidRequestError: This model's maximum context length is 4097 tokens",
            "botocore.errorfactory.InvalidRequestException: An error occurred",
            "org.springframework.security.access.AccessDeniedException: Access is denied",
            "MismatchingStateError: CSRF Warning!",
            "MyInvalidScopeError",
            "InvalidScopeErrors",
        ] {
            assert_eq!(code(text), None, "{text}");
        }
    }

    #[test]
    fn a_fields_name_is_no_code() {
        let code = |t: &str| extract(t).error().map(|(c, _)| c.as_str().to_string());
        assert_eq!(
            code("LocalizeMessage Error: message \"404 Not Found\""),
            None
        );
        assert_eq!(code("Error: details \"x\""), None);
        assert_eq!(code("Error: invalid_scope"), Some("invalid_scope".into()));
        // A colon after the code opens its description.
        assert_eq!(
            code("OAuth Error: blank_scope: Requested scopes cannot be blank"),
            Some("blank_scope".into())
        );
        assert_eq!(
            code("error: grant_type: refresh_token is not supported in this application"),
            None
        );
    }

    #[test]
    fn entras_sign_in_page_names_its_code_without_the_prefix() {
        let codes = |t: &str| -> Vec<String> {
            extract(t)
                .vendor_codes
                .into_iter()
                .map(|v| v.code)
                .collect()
        };
        let page = "You don't have access to this\nTroubleshooting details:\n\nError Code: 53003\nApp name: Microsoft Azure CLI";
        assert_eq!(codes(page), ["AADSTS53003"]);
        // Outside Entra's page, an "Error Code:" line is any product's number.
        assert!(codes("Request failed. Error Code: 53003").is_empty());
        assert!(codes("Troubleshooting details\nError Code: 530031x").is_empty());
    }

    #[test]
    fn a_redirect_carrying_an_error_is_the_clients_callback() {
        let x = extract(
            "https://app.example.com/cb?state=s&error=invalid_scope \
             https://tenant.auth.eu-west-1.amazoncognito.com/error?error=redirect_mismatch \
             https://login.example.org/authorize?client_id=a&scope=openid",
        );
        let callback: Vec<(&str, bool)> = x
            .hosts
            .iter()
            .map(|h| (h.host.as_str(), h.callback))
            .collect();
        assert_eq!(
            callback,
            [
                ("app.example.com", true),
                ("tenant.auth.eu-west-1.amazoncognito.com", false),
                ("login.example.org", false),
            ]
        );
    }
}
