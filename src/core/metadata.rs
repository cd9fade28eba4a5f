//! Checks a server's metadata document against the specifications and against the
//! scopes a client requests: OpenID Connect Discovery 1.0, RFC 8414 (OAuth 2.0
//! Authorization Server Metadata) and RFC 9728 (OAuth 2.0 Protected Resource
//! Metadata). The document comes as text (pasted, or fetched by the page); this
//! module does no I/O.

use serde::Serialize;
use serde_json::{Map, Value};

use super::kb::Kb;

/// Which document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum MetadataKind {
    /// OpenID Connect Discovery 1.0 (`/.well-known/openid-configuration`).
    #[serde(rename = "oidc")]
    Oidc,
    /// RFC 8414 (`/.well-known/oauth-authorization-server`).
    #[serde(rename = "oauth-as")]
    OAuthAs,
    /// RFC 9728 (`/.well-known/oauth-protected-resource`).
    #[serde(rename = "protected-resource")]
    ProtectedResource,
}

/// One finding, with a stable `kind` and a message a person understands.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct MetadataProblem {
    /// `issuer-mismatch`, `missing-member`, `not-https`, `wrong-type`,
    /// `scope-not-advertised`, `offline-access`, `no-refresh-token-grant`,
    /// `no-pkce-s256`, `no-registration-endpoint`, `openid-not-requested`,
    /// `vendor`.
    pub kind: String,
    pub message: String,
}

/// The result of checking one metadata document.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct MetadataReport {
    pub kind: MetadataKind,
    pub issuer: Option<String>,
    /// For protected resource metadata: the `resource` the client must send
    /// (RFC 8707) and the authorization servers to ask.
    pub resource: Option<String>,
    pub authorization_servers: Vec<String>,
    pub scopes_supported: Option<Vec<String>>,
    /// Requested scopes absent from `scopes_supported` (empty when it is absent).
    pub unadvertised_scopes: Vec<String>,
    /// Whether `scopes_supported` lists `offline_access`; `None` when the document
    /// has no `scopes_supported`.
    pub offline_access_advertised: Option<bool>,
    /// Whether `grant_types_supported` lists `refresh_token`.
    pub refresh_token_grant: Option<bool>,
    /// Whether `code_challenge_methods_supported` lists `S256` (OAuth 2.1 and MCP
    /// require PKCE with S256).
    pub pkce_s256: Option<bool>,
    pub registration_endpoint: Option<String>,
    /// `authorization_response_iss_parameter_supported` (RFC 9207).
    pub iss_parameter_supported: Option<bool>,
    /// The vendor the issuer's host belongs to, when known.
    pub vendor: Option<String>,
    pub problems: Vec<MetadataProblem>,
}

/// Why a document could not be checked at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum MetadataError {
    /// The text is not JSON.
    NotJson(String),
    /// The JSON is not an object.
    NotObject,
}

impl std::fmt::Display for MetadataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetadataError::NotJson(e) => write!(f, "the document is not JSON: {e}"),
            MetadataError::NotObject => f.write_str("the document is JSON but not an object"),
        }
    }
}

impl std::error::Error for MetadataError {}

/// Scopes defined by OpenID Connect Core 1.0 §5.4 and §11, which only an
/// authorization server grants.
const IDENTITY_SCOPES: [&str; 6] = [
    "openid",
    "profile",
    "email",
    "address",
    "phone",
    "offline_access",
];

/// The well-known suffixes: OpenID Connect Discovery 1.0 §4, RFC 8414 §3, RFC 9728 §3.
pub const OIDC_SUFFIX: &str = "/.well-known/openid-configuration";
pub const AS_SUFFIX: &str = "/.well-known/oauth-authorization-server";
pub const PRM_SUFFIX: &str = "/.well-known/oauth-protected-resource";

/// Checks a metadata document. `url` is where it was fetched (enables the issuer
/// check); `requested_scope` is the client's scope string (enables the comparison).
pub fn check(
    text: &str,
    url: Option<&str>,
    requested_scope: Option<&str>,
) -> Result<MetadataReport, MetadataError> {
    let value: Value =
        serde_json::from_str(text.trim()).map_err(|e| MetadataError::NotJson(e.to_string()))?;
    let Value::Object(doc) = value else {
        return Err(MetadataError::NotObject);
    };
    let kind = detect_kind(&doc, url);
    let mut problems = Vec::new();
    let string = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
    let list = |k: &str| -> Option<Vec<String>> {
        doc.get(k).and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
    };

    check_types(&doc, &mut problems);
    check_required(&doc, kind, &mut problems);
    check_https(&doc, &mut problems);
    let issuer = string("issuer");
    if let (Some(url), Some(issuer)) = (url, issuer.as_deref()) {
        check_issuer(issuer, url, kind, &mut problems);
    }
    if let (Some(url), Some(resource)) = (url, string("resource").as_deref()) {
        check_resource(resource, url, &mut problems);
    }

    let scopes_supported = list("scopes_supported");
    let requested: Vec<&str> = requested_scope
        .map(|s| s.split(' ').filter(|t| !t.is_empty()).collect())
        .unwrap_or_default();
    let unadvertised: Vec<String> = match &scopes_supported {
        Some(supported) => requested
            .iter()
            // A protected resource lists its own scopes; the identity scopes are
            // the authorization server's business.
            .filter(|t| kind != MetadataKind::ProtectedResource || !IDENTITY_SCOPES.contains(*t))
            .filter(|t| !supported.iter().any(|s| s == *t))
            .map(|t| t.to_string())
            .collect(),
        None => Vec::new(),
    };
    for t in &unadvertised {
        let message = if kind == MetadataKind::ProtectedResource {
            format!(
                "the client requests \"{t}\" but the resource's scopes_supported does not list \
                 it (RFC 9728 §2): the token may lack what the resource needs"
            )
        } else {
            format!(
                "the client requests \"{t}\" but scopes_supported does not list it (RFC 8414 §2): \
                 the server may refuse it with invalid_scope"
            )
        };
        problems.push(MetadataProblem {
            kind: "scope-not-advertised".into(),
            message,
        });
    }
    let offline_access_advertised = scopes_supported
        .as_ref()
        .map(|s| s.iter().any(|x| x == "offline_access"));
    let grant_types = list("grant_types_supported");
    let refresh_token_grant = grant_types
        .as_ref()
        .map(|g| g.iter().any(|x| x == "refresh_token"));
    if requested.contains(&"offline_access") && kind != MetadataKind::ProtectedResource {
        if offline_access_advertised == Some(false) {
            problems.push(MetadataProblem {
                kind: "offline-access".into(),
                message: "offline_access is requested but not advertised in scopes_supported: \
                          ask for a refresh token only when the server advertises it (the MCP \
                          authorization spec's refresh-token guidance)"
                    .into(),
            });
        }
        if refresh_token_grant == Some(false) {
            problems.push(MetadataProblem {
                kind: "no-refresh-token-grant".into(),
                message:
                    "offline_access is requested but grant_types_supported lacks refresh_token"
                        .into(),
            });
        }
    }
    if kind == MetadataKind::Oidc && !requested.is_empty() && !requested.contains(&"openid") {
        problems.push(MetadataProblem {
            kind: "openid-not-requested".into(),
            message: "this is an OpenID Connect provider but the request lacks the openid scope: \
                      no ID token will be issued (OpenID Connect Core 1.0 §3.1.2.1)"
                .into(),
        });
    }
    let pkce_s256 = list("code_challenge_methods_supported").map(|m| m.iter().any(|x| x == "S256"));
    if kind != MetadataKind::ProtectedResource && pkce_s256 != Some(true) {
        problems.push(MetadataProblem {
            kind: "no-pkce-s256".into(),
            message: match pkce_s256 {
                Some(_) => {
                    "code_challenge_methods_supported does not list S256: OAuth 2.1 and MCP \
                            clients require PKCE with S256 (RFC 7636 §4.2)"
                        .into()
                }
                None => "code_challenge_methods_supported is absent: MCP clients must refuse to \
                         proceed without it (MCP authorization, RFC 8414 §2), though the server \
                         may support PKCE anyway"
                    .into(),
            },
        });
    }
    let registration_endpoint = string("registration_endpoint");
    if kind != MetadataKind::ProtectedResource && registration_endpoint.is_none() {
        problems.push(MetadataProblem {
            kind: "no-registration-endpoint".into(),
            message:
                "no registration_endpoint: clients cannot register dynamically (RFC 7591) and \
                      need a client_id configured by hand"
                    .into(),
        });
    }
    let vendor = issuer
        .as_deref()
        .or(url)
        .and_then(|u| crate::core::parse_url(u).ok())
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .and_then(|host| vendor_of_host(&host));
    vendor_notes(vendor.as_deref(), &mut problems);

    Ok(MetadataReport {
        kind,
        issuer,
        resource: string("resource"),
        authorization_servers: list("authorization_servers").unwrap_or_default(),
        scopes_supported,
        unadvertised_scopes: unadvertised,
        offline_access_advertised,
        refresh_token_grant,
        pkce_s256,
        registration_endpoint,
        iss_parameter_supported: doc
            .get("authorization_response_iss_parameter_supported")
            .and_then(Value::as_bool),
        vendor,
        problems,
    })
}

fn detect_kind(doc: &Map<String, Value>, url: Option<&str>) -> MetadataKind {
    if let Some(url) = url {
        if url.contains("/.well-known/openid-configuration") {
            return MetadataKind::Oidc;
        }
        if url.contains("/.well-known/oauth-authorization-server") {
            return MetadataKind::OAuthAs;
        }
        if url.contains("/.well-known/oauth-protected-resource") {
            return MetadataKind::ProtectedResource;
        }
    }
    if doc.contains_key("resource") && !doc.contains_key("issuer") {
        MetadataKind::ProtectedResource
    } else if doc.contains_key("subject_types_supported")
        || doc.contains_key("id_token_signing_alg_values_supported")
        || doc.contains_key("userinfo_endpoint")
    {
        MetadataKind::Oidc
    } else {
        MetadataKind::OAuthAs
    }
}

fn missing(problems: &mut Vec<MetadataProblem>, member: &str, spec: &str) {
    problems.push(MetadataProblem {
        kind: "missing-member".into(),
        message: format!("the required member {member} is missing ({spec})"),
    });
}

/// Required members: OpenID Connect Discovery 1.0 §3, RFC 8414 §2, RFC 9728 §2.
fn check_required(
    doc: &Map<String, Value>,
    kind: MetadataKind,
    problems: &mut Vec<MetadataProblem>,
) {
    let (members, spec): (&[&str], &str) = match kind {
        MetadataKind::Oidc => (
            &[
                "issuer",
                "authorization_endpoint",
                "token_endpoint",
                "jwks_uri",
                "response_types_supported",
                "subject_types_supported",
                "id_token_signing_alg_values_supported",
            ],
            "OpenID Connect Discovery 1.0 §3",
        ),
        MetadataKind::OAuthAs => (
            &[
                "issuer",
                "authorization_endpoint",
                "token_endpoint",
                "response_types_supported",
            ],
            "RFC 8414 §2",
        ),
        MetadataKind::ProtectedResource => (&["resource"], "RFC 9728 §2"),
    };
    for m in members {
        if !doc.contains_key(*m) {
            missing(problems, m, spec);
        }
    }
}

/// Members whose JSON type the specifications fix.
fn check_types(doc: &Map<String, Value>, problems: &mut Vec<MetadataProblem>) {
    for (k, v) in doc {
        // `*_supported` members are arrays, except the boolean flags.
        let flag = k.ends_with("parameter_supported")
            || k.ends_with("logout_supported")
            || k.ends_with("session_supported");
        let want_array = (k.ends_with("_supported") && !flag) || k == "authorization_servers";
        let want_string =
            k == "issuer" || k == "resource" || k.ends_with("_endpoint") || k == "jwks_uri";
        let bad = (want_array && !v.is_array()) || (want_string && !v.is_string());
        if bad {
            problems.push(MetadataProblem {
                kind: "wrong-type".into(),
                message: format!(
                    "{k} should be {} (RFC 8414 §2)",
                    if want_array {
                        "a JSON array"
                    } else {
                        "a string"
                    }
                ),
            });
        }
    }
}

/// Endpoints must use https (RFC 8414 §2; OpenID Connect Discovery 1.0 §3), except on
/// a loopback address during development.
fn check_https(doc: &Map<String, Value>, problems: &mut Vec<MetadataProblem>) {
    for (k, v) in doc {
        if !(k == "issuer" || k.ends_with("_endpoint") || k == "jwks_uri") {
            continue;
        }
        let Some(u) = v.as_str().and_then(|s| crate::core::parse_url(s).ok()) else {
            continue;
        };
        let loopback = matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        if u.scheme() != "https" && !loopback {
            problems.push(MetadataProblem {
                kind: "not-https".into(),
                message: format!("{k} is not an https URL ({u}): RFC 8414 §2 requires https"),
            });
        }
    }
}

/// The metadata URL a client derives from `issuer`: OpenID Connect Discovery appends
/// the suffix to the issuer (§4.1); RFC 8414 and RFC 9728 insert it between the host
/// and the path (RFC 8414 §3.1, RFC 9728 §3.1).
pub fn well_known_url(issuer: &str, kind: MetadataKind) -> Option<String> {
    let u = crate::core::parse_url(issuer).ok()?;
    let origin = u.origin().ascii_serialization();
    let path = u.path().trim_end_matches('/');
    Some(match kind {
        MetadataKind::Oidc => format!("{origin}{path}{OIDC_SUFFIX}"),
        MetadataKind::OAuthAs => format!("{origin}{AS_SUFFIX}{path}"),
        MetadataKind::ProtectedResource => format!("{origin}{PRM_SUFFIX}{path}"),
    })
}

/// The issuer must be the URL the document was derived from (OpenID Connect
/// Discovery 1.0 §4.3, RFC 8414 §3.3).
fn check_issuer(issuer: &str, url: &str, kind: MetadataKind, problems: &mut Vec<MetadataProblem>) {
    if issuer.contains('{') {
        problems.push(MetadataProblem {
            kind: "issuer-mismatch".into(),
            message: format!(
                "the issuer {issuer} is a template, not a URL: a multi-tenant endpoint (Entra's \
                 common/organizations) cannot pass strict issuer validation; use the tenant's own \
                 metadata or validate the tenant-specific issuer"
            ),
        });
        return;
    }
    let Some(expected) = well_known_url(issuer, kind) else {
        problems.push(MetadataProblem {
            kind: "issuer-mismatch".into(),
            message: format!("the issuer {issuer:?} is not a URL"),
        });
        return;
    };
    if expected == url.trim_end_matches('/') || expected == url {
        return;
    }
    let spec = if kind == MetadataKind::Oidc {
        "OpenID Connect Discovery 1.0 §4.3"
    } else {
        "RFC 8414 §3.3"
    };
    // Okta and others serve RFC 8414 metadata with the suffix appended, OIDC-style.
    let appended = kind == MetadataKind::OAuthAs
        && url.trim_end_matches('/') == format!("{}{AS_SUFFIX}", issuer.trim_end_matches('/'));
    let message = if appended {
        format!(
            "the document was served at the issuer plus {AS_SUFFIX} ({url}); RFC 8414 §3.1 \
             inserts the suffix after the host ({expected}), so strict clients looking there find \
             nothing"
        )
    } else {
        format!(
            "the issuer {issuer} does not match where the document was fetched ({url}; expected \
             {expected}): clients that validate it ({spec}) stop here"
        )
    };
    problems.push(MetadataProblem {
        kind: "issuer-mismatch".into(),
        message,
    });
}

/// RFC 9728 §3.3: the `resource` must be the URL the metadata was derived from.
fn check_resource(resource: &str, url: &str, problems: &mut Vec<MetadataProblem>) {
    let Some(expected) = well_known_url(resource, MetadataKind::ProtectedResource) else {
        return;
    };
    if expected != url.trim_end_matches('/') {
        problems.push(MetadataProblem {
            kind: "issuer-mismatch".into(),
            message: format!(
                "resource {resource} does not match where the document was fetched ({url}; \
                 expected {expected}, RFC 9728 §3.3): the client sends this value as the RFC 8707 \
                 resource parameter"
            ),
        });
    }
}

fn vendor_of_host(host: &str) -> Option<String> {
    Kb::get()
        .vendors
        .iter()
        .find(|v| v.serves_host(host))
        .map(|v| v.id.clone())
}

/// What the knowledge base knows of the vendor's metadata and requests
/// (`Vendor::metadata_note`).
fn vendor_notes(vendor: Option<&str>, problems: &mut Vec<MetadataProblem>) {
    let note = vendor
        .and_then(|v| Kb::get().vendor(v))
        .and_then(|v| v.metadata_note.clone());
    if let Some(message) = note {
        problems.push(MetadataProblem {
            kind: "vendor".into(),
            message,
        });
    }
}
