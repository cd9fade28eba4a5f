//! The discovery probe, without the I/O: which metadata URLs to fetch for what the
//! person typed, how to read what each fetch returned, and what to tell them. The
//! page's engine performs the fetches in its worker (`src/worker/fetch.rs`) and
//! feeds each outcome back with [`Probe::record`]; this module decides everything
//! else, so it is tested natively with real documents, and the page is tested
//! against a loopback server.
//!
//! Only URLs derived from the one the person typed are fetched, with its query and
//! fragment dropped: nothing from the pasted error is ever sent.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use url::Url;

use super::metadata::{self, MetadataError, MetadataKind, MetadataReport, well_known_url};

/// The largest metadata document read; real ones are 1 to 10 KB.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// How long one fetch may take, headers and body, before it is aborted.
pub const TIMEOUT_MS: u32 = 8_000;
/// No probe makes more requests than this.
pub const MAX_FETCHES: usize = 8;

/// One URL to fetch, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub url: String,
    /// The document expected there.
    pub expect: MetadataKind,
    /// Which rule derived this URL, e.g. "RFC 8414 §3.1: suffix inserted after the host".
    pub why: String,
}

/// What one fetch gave, as the browser reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fetched {
    /// A response the page may read (CORS allowed it).
    Response {
        status: u16,
        content_type: Option<String>,
        body: String,
        /// Where the browser ended up, when it followed a redirect.
        redirected_to: Option<String>,
    },
    /// `fetch` failed. Browsers report a CORS refusal and a failed connection the
    /// same way; a second, opaque (`no-cors`) request tells them apart: `reachable`
    /// is whether it got an answer (`None` when it was not tried).
    NetworkError { reachable: Option<bool> },
    /// Aborted after [`TIMEOUT_MS`].
    Timeout,
    /// The body passed [`MAX_BODY_BYTES`]; reading stopped there.
    TooLarge,
    /// The connection broke while the body was being read.
    Interrupted,
}

/// How a step ended. `kind` is stable (tests and styles use it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// `found`, `not-found` (404 or 410), `cors`, `unreachable`, `timeout`, `http-status`, `html`, `not-json`,
    /// `not-object`, `too-large`, `interrupted`, `mixed-content`, `redirect`,
    /// `wrong-kind`.
    pub kind: String,
    pub ok: bool,
    pub message: String,
    /// What the person can do next, when the step failed.
    pub next: Option<String>,
    /// A command that fetches the same URL outside the browser.
    pub curl: Option<String>,
}

/// One line of the flight log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub target: Target,
    pub outcome: Outcome,
    pub elapsed_ms: Option<u32>,
}

/// Why the probe cannot start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A probe in progress: the queue of URLs still to try and the log so far.
#[derive(Debug, Clone)]
pub struct Probe {
    queue: VecDeque<Target>,
    page_is_https: bool,
    requested_scope: Option<String>,
    fetches: usize,
    /// The flight log, in order.
    pub steps: Vec<Step>,
    /// The protected resource metadata found (RFC 9728), with its URL.
    pub resource: Option<(String, MetadataReport)>,
    /// The authorization server metadata found, with its URL.
    pub server: Option<(String, MetadataReport)>,
}

const OIDC: &str = metadata::OIDC_SUFFIX;
const AS: &str = metadata::AS_SUFFIX;
const PRM: &str = metadata::PRM_SUFFIX;

impl Probe {
    /// Plans the fetches for `input`: an issuer, a full well-known URL, or an MCP or
    /// other protected resource URL. `page_is_https` enables the mixed-content
    /// check; `requested_scope` (from the diagnosis) is compared with what the
    /// server advertises, locally.
    pub fn start(
        input: &str,
        page_is_https: bool,
        requested_scope: Option<&str>,
    ) -> Result<Probe, InputError> {
        let url = parse_input(input)?;
        let mut probe = Probe {
            queue: VecDeque::new(),
            page_is_https,
            requested_scope: requested_scope
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            fetches: 0,
            steps: Vec::new(),
            resource: None,
            server: None,
        };
        let path = url.path();
        let full = url.as_str().to_string();
        if path.contains(OIDC) {
            probe.push(
                full,
                MetadataKind::Oidc,
                "the OpenID Connect discovery URL you gave",
            );
        } else if path.contains(AS) {
            probe.push(
                full,
                MetadataKind::OAuthAs,
                "the RFC 8414 metadata URL you gave",
            );
        } else if path.contains(PRM) {
            probe.push(
                full,
                MetadataKind::ProtectedResource,
                "the RFC 9728 metadata URL you gave",
            );
        } else if looks_like_resource(&url) {
            probe.plan_resource(&full);
            probe.plan_server(&full);
        } else {
            probe.plan_server(&full);
            probe.plan_resource(&full);
        }
        Ok(probe)
    }

    fn push(&mut self, url: String, expect: MetadataKind, why: &'static str) {
        if !self.queue.iter().any(|t| t.url == url)
            && !self.steps.iter().any(|s| s.target.url == url)
        {
            self.queue.push_back(Target {
                url,
                expect,
                why: why.into(),
            });
        }
    }

    /// RFC 9728 §3.1: the suffix goes between the host and the path; MCP clients
    /// then try the root (MCP authorization, protected resource metadata discovery).
    fn plan_resource(&mut self, resource: &str) {
        if let Some(u) = well_known_url(resource, MetadataKind::ProtectedResource) {
            self.push(
                u,
                MetadataKind::ProtectedResource,
                "RFC 9728 §3.1: suffix inserted after the host",
            );
        }
        if let Ok(u) = crate::core::parse_url(resource)
            && !u.path().trim_matches('/').is_empty()
        {
            let root = format!("{}{PRM}", u.origin().ascii_serialization());
            self.push(
                root,
                MetadataKind::ProtectedResource,
                "the resource's origin, as MCP clients try next",
            );
        }
    }

    /// An issuer: RFC 8414 §3.1 inserts the suffix after the host; OpenID Connect
    /// Discovery 1.0 §4.1 appends it to the issuer. For an issuer with a path, the
    /// two differ, which is where clients disagree (Okta custom authorization
    /// servers, Keycloak realms, Entra tenants).
    fn plan_server(&mut self, issuer: &str) {
        if let Some(u) = well_known_url(issuer, MetadataKind::OAuthAs) {
            self.push(
                u,
                MetadataKind::OAuthAs,
                "RFC 8414 §3.1: suffix inserted after the host",
            );
        }
        if let Some(u) = well_known_url(issuer, MetadataKind::Oidc) {
            self.push(
                u,
                MetadataKind::Oidc,
                "OpenID Connect Discovery 1.0 §4.1: suffix appended to the issuer",
            );
        }
    }

    /// The next URL to fetch, or `None` when the probe is over. A URL the browser
    /// would refuse (mixed content) is logged here and never fetched.
    pub fn next_target(&mut self) -> Option<Target> {
        while let Some(target) = self.queue.pop_front() {
            if self.fetches >= MAX_FETCHES {
                self.queue.clear();
                return None;
            }
            if self.page_is_https && is_insecure(&target.url) {
                let curl = curl(&target.url);
                self.steps.push(Step {
                    outcome: Outcome {
                        kind: "mixed-content".into(),
                        ok: false,
                        message: "not fetched: this page is served over https and the URL is plain http, which browsers block (mixed content)".into(),
                        next: Some("fetch it with the command below and paste the document into the metadata box; a real issuer must be https (RFC 8414 §2)".into()),
                        curl: Some(curl),
                    },
                    target,
                    elapsed_ms: None,
                });
                continue;
            }
            self.fetches += 1;
            return Some(target);
        }
        None
    }

    /// Whether nothing is left to fetch.
    pub fn is_done(&self) -> bool {
        self.queue.is_empty()
    }

    /// Records what fetching `target` gave, and plans what follows from it.
    pub fn record(&mut self, target: Target, fetched: Fetched, elapsed_ms: Option<u32>) {
        let outcome = self.read(&target, fetched);
        self.steps.push(Step {
            target,
            outcome,
            elapsed_ms,
        });
    }

    fn read(&mut self, target: &Target, fetched: Fetched) -> Outcome {
        let url = target.url.as_str();
        let (status, content_type, body, redirected_to) = match fetched {
            Fetched::NetworkError {
                reachable: Some(false),
            } => {
                return failure(
                    "unreachable",
                    "no connection: the host name did not resolve, or nothing answered".into(),
                    "check the URL; if the server is only reachable from your network or VPN, fetch it there with the command below and paste the document",
                    url,
                );
            }
            Fetched::NetworkError { .. } => {
                return failure(
                    "cors",
                    "the browser blocked the response: the server answered without an Access-Control-Allow-Origin header (CORS), so this page may not read it".into(),
                    "fetch it with the command below and paste the document into the metadata box; for browser-based clients, the server must send Access-Control-Allow-Origin on its metadata",
                    url,
                );
            }
            Fetched::Timeout => {
                return failure(
                    "timeout",
                    format!(
                        "no complete answer within {} s; the fetch was aborted",
                        TIMEOUT_MS / 1000
                    ),
                    "the server is slow or the connection hangs (a firewall that drops packets does this); try the command below",
                    url,
                );
            }
            Fetched::Interrupted => {
                return failure(
                    "interrupted",
                    "the connection broke while the body was being read".into(),
                    "try again; if it keeps failing, a proxy between you and the server is cutting responses",
                    url,
                );
            }
            Fetched::TooLarge => {
                return failure(
                    "too-large",
                    format!(
                        "the body is larger than {} KB, far beyond any metadata document; reading stopped",
                        MAX_BODY_BYTES / 1024
                    ),
                    "this URL does not serve a metadata document; check the path",
                    url,
                );
            }
            Fetched::Response {
                status,
                content_type,
                body,
                redirected_to,
            } => (status, content_type, body, redirected_to),
        };

        if !(200..300).contains(&status) {
            let (message, next) = match status {
                404 | 410 => (
                    format!("HTTP {status}: no document at this URL"),
                    "not every server publishes every kind of metadata; the other steps try the other locations",
                ),
                401 | 403 => (
                    format!("HTTP {status}: the server wants credentials for its metadata"),
                    "metadata must be public (RFC 8414 §3, RFC 9728 §3): allow anonymous GET on the well-known path, or check a gateway in front of it",
                ),
                500..=599 => (
                    format!("HTTP {status}: the server failed"),
                    "the server or a proxy in front of it is broken; its logs say why",
                ),
                _ => (
                    format!("HTTP {status}: not a successful response"),
                    "metadata is served with 200 OK (RFC 8414 §3.2)",
                ),
            };
            let kind = if matches!(status, 404 | 410) {
                "not-found"
            } else {
                "http-status"
            };
            return failure(kind, message, next, url);
        }

        let trimmed = body.trim_start();
        let is_html = content_type
            .as_deref()
            .is_some_and(|c| c.to_ascii_lowercase().contains("html"))
            || trimmed.starts_with('<');
        if is_html {
            return failure(
                "html",
                "an HTML page, not JSON: a login page, a single-page app's fallback route, or a proxy's error page".into(),
                "this path is not where the server publishes its metadata; compare with the issuer in your tokens (the iss claim)",
                url,
            );
        }
        let report = match metadata::check(&body, Some(url), self.requested_scope.as_deref()) {
            Ok(r) => r,
            Err(MetadataError::NotJson(e)) => {
                return failure(
                    "not-json",
                    format!("not valid JSON ({e})"),
                    "the server sent something other than a metadata document; the command below shows the raw answer",
                    url,
                );
            }
            Err(MetadataError::NotObject) => {
                return failure(
                    "not-object",
                    "JSON, but not an object: a metadata document is a JSON object (RFC 8414 §3.2)"
                        .into(),
                    "this URL does not serve metadata",
                    url,
                );
            }
        };
        let mut report = report;
        if let Some(to) = &redirected_to {
            report.problems.push(metadata::MetadataProblem {
                kind: "redirect".into(),
                message: format!(
                    "the server redirected {url} to {to}: RFC 8414 §3 and RFC 9728 §3 expect the document at the well-known URL itself, and clients that do not follow redirects find nothing"
                ),
            });
        }
        // What the document is, by its members (the URL says what it should be).
        let wanted_resource = target.expect == MetadataKind::ProtectedResource;
        let got_resource = report.resource.is_some() && report.issuer.is_none();
        let got_server = report.issuer.is_some();
        if (wanted_resource && !got_resource) || (!wanted_resource && !got_server) {
            return Outcome {
                kind: "wrong-kind".into(),
                ok: false,
                message: format!(
                    "a JSON object, but not {} metadata",
                    if wanted_resource {
                        "protected resource"
                    } else {
                        "authorization server"
                    }
                ),
                next: None,
                curl: Some(curl(url)),
            };
        }
        let message = summarize(&report, redirected_to.as_deref());
        if got_resource {
            // Follow the first authorization server it names: the URLs guessed from
            // what was typed give way to it.
            if self.server.is_none()
                && let Some(issuer) = report.authorization_servers.first().cloned()
            {
                self.queue.clear();
                self.plan_server(&issuer);
            } else {
                self.queue
                    .retain(|t| t.expect != MetadataKind::ProtectedResource);
            }
            self.resource.get_or_insert((url.to_string(), report));
        } else {
            // One authorization server document answers the question.
            self.queue.clear();
            self.server.get_or_insert((url.to_string(), report));
        }
        Outcome {
            kind: if redirected_to.is_some() {
                "redirect"
            } else {
                "found"
            }
            .into(),
            ok: true,
            message,
            next: None,
            curl: None,
        }
    }

    /// The document to hand to the diagnosis: the authorization server's, else the
    /// protected resource's.
    pub fn report(&self) -> Option<&MetadataReport> {
        report(&self.server, &self.resource)
    }

    /// What the page shows of the probe.
    pub fn view(&self) -> ProbeView {
        ProbeView {
            steps: self.steps.clone(),
            resource: self.resource.clone(),
            server: self.server.clone(),
            done: self.is_done(),
        }
    }
}

/// What the page shows of a probe (the probe itself runs in the page's engine): the
/// flight log and the documents found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeView {
    pub steps: Vec<Step>,
    pub resource: Option<(String, MetadataReport)>,
    pub server: Option<(String, MetadataReport)>,
    /// Nothing is left to fetch.
    pub done: bool,
}

impl ProbeView {
    /// [`Probe::report`].
    pub fn report(&self) -> Option<&MetadataReport> {
        report(&self.server, &self.resource)
    }
}

fn report<'a>(
    server: &'a Option<(String, MetadataReport)>,
    resource: &'a Option<(String, MetadataReport)>,
) -> Option<&'a MetadataReport> {
    server.as_ref().or(resource.as_ref()).map(|(_, r)| r)
}

fn failure(kind: &str, message: String, next: &str, url: &str) -> Outcome {
    Outcome {
        kind: kind.into(),
        ok: false,
        message,
        next: Some(next.to_string()),
        curl: Some(curl(url)),
    }
}

fn summarize(report: &MetadataReport, redirected_to: Option<&str>) -> String {
    let what = match report.kind {
        MetadataKind::Oidc => "OpenID Connect discovery document",
        MetadataKind::OAuthAs => "RFC 8414 authorization server metadata",
        MetadataKind::ProtectedResource => "RFC 9728 protected resource metadata",
    };
    let via = redirected_to
        .map(|to| format!(" (after a redirect to {to})"))
        .unwrap_or_default();
    let n = report
        .problems
        .iter()
        .filter(|p| p.kind != "vendor")
        .count();
    let problems = match n {
        0 => "no problem found".to_string(),
        1 => "1 problem".to_string(),
        n => format!("{n} problems"),
    };
    format!("{what}{via}: {problems}")
}

/// The command that fetches `url` outside the browser, shell-quoted.
pub fn curl(url: &str) -> String {
    format!("curl -sS -i '{}'", url.replace('\'', "'\\''"))
}

/// The person's URL, normalised: https assumed when no scheme is given; only http
/// and https; query and fragment dropped (they can carry codes and state).
fn parse_input(input: &str) -> Result<Url, InputError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(InputError(
            "type the issuer, a .well-known URL, or the MCP server's URL".into(),
        ));
    }
    let with_scheme = if input.contains("://") {
        input.to_string()
    } else {
        format!("https://{input}")
    };
    let mut url = crate::core::parse_url(&with_scheme).map_err(|e| {
        InputError(format!(
            "not a URL ({e}): type something like https://auth.example.com/realms/main"
        ))
    })?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(InputError(format!(
            "only https (or http on a development machine) can be fetched, not {}:",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(InputError("the URL has no host".into()));
    }
    url.set_query(None);
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok(url)
}

/// An MCP server (or other API) rather than an issuer: its path ends in `mcp` or
/// `sse`, or its host starts with `mcp.`. For these the protected resource
/// metadata comes first, as MCP clients look it up.
fn looks_like_resource(url: &Url) -> bool {
    let last = url
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    matches!(last, "mcp" | "sse") || url.host_str().is_some_and(|h| h.starts_with("mcp."))
}

/// Plain http to anything but this machine.
fn is_insecure(url: &str) -> bool {
    crate::core::parse_url(url).is_ok_and(|u| {
        u.scheme() == "http" && !matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
    })
}
