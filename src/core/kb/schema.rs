//! The shape of the knowledge-base files under `kb/`.
//!
//! This file is compiled twice: by `build.rs`, which reads the TOML files, checks
//! them and embeds them as JSON, and by the library, which reads that JSON back.
//! Keeping one definition for both means a field cannot be added on one side only.
//! It must therefore depend on nothing but `serde` and `std`.

use serde::{Deserialize, Serialize};

/// One TOML file under `kb/`: any mix of vendors and entries.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KbFile {
    #[serde(default)]
    pub vendor: Vec<Vendor>,
    #[serde(default)]
    pub entry: Vec<Entry>,
    #[serde(default)]
    pub example: Vec<Example>,
}

/// A real error text the page offers to try in one click.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub id: String,
    pub title: String,
    pub text: String,
    /// Where the text comes from.
    pub source: String,
}

/// A product that emits OAuth errors (an authorization server, a client library, an
/// MCP client), with what identifies it in a paste.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// Lowercase product id used in `diagnose --json` (`hydra`, `entra`, ...).
    pub id: String,
    /// The product's name as people write it.
    pub name: String,
    /// The vendor's documentation home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Host names or host suffixes (`.okta.com`) that identify the vendor in a URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Literal strings (matched case-insensitively) that only this vendor's output
    /// carries: a logger name, an exception class, a header.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<String>,
    /// Prefixes of the vendor's own error codes (`AADSTS`, `KC-SERVICES`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code_prefixes: Vec<String>,
    /// What a client must know about this vendor's metadata and requests (no
    /// `offline_access`, `audience` instead of RFC 8707 `resource`...): added to
    /// the findings when a metadata document comes from one of its hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_note: Option<String>,
    /// A library a client or resource server runs (`jsonwebtoken`, `openid-client`),
    /// not a server: its words say which library failed, but the service it talked
    /// to (named by a host or marker in the same paste) is the vendor to report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub library: bool,
    /// Ids the vendor had before: its page stays reachable under each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Sentences of the registered codes' entries (the specification's own words,
    /// in `codes.toml`) that this product sends word for word as its
    /// `error_description`, and is the product people most often meet doing so
    /// (Doorkeeper's `The requested scope is invalid, unknown, or malformed.`, which
    /// GitLab and Mastodon send). They name it only where nothing else in the paste
    /// names a product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verbatim: Vec<String>,
    /// Products whose library this one runs and whose messages it therefore sends
    /// as its own (Authelia and Clerk answer with fosite's texts, which `hydra`
    /// holds). Beside this product's own marker or host, the other's messages
    /// name this product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub built_on: Vec<String>,
}

impl Entry {
    /// Whether the entry answers to the error code `code`: its `error`, or one of
    /// its `codes` that a vendor sends as the error itself (Supabase's
    /// `"error_code": "flow_state_expired"`).
    pub fn names_error(&self, code: &str) -> bool {
        self.error.as_deref() == Some(code) || self.codes.iter().any(|c| c == code)
    }
}

impl Vendor {
    /// Whether a URL host (lowercase) belongs to the vendor: a host listed with a
    /// leading dot matches itself and every subdomain, one without matches exactly
    /// or as a parent domain.
    pub fn serves_host(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| {
            let h = h.to_ascii_lowercase();
            match h.strip_prefix('.') {
                Some(bare) => host.ends_with(&h) || host == bare,
                None => host == h || host.ends_with(&format!(".{h}")),
            }
        })
    }

    /// Whether a vendor code (`AADSTS70011`) starts with one of the vendor's prefixes.
    pub fn owns_code(&self, code: &str) -> bool {
        self.code_prefixes
            .iter()
            .any(|p| code.starts_with(p.as_str()))
    }
}

/// Whether an entry explains a registered error code or one vendor message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A code of the IANA OAuth Extensions Error Registry or OpenID Connect.
    Code,
    /// A message as one vendor writes it.
    Message,
}

/// One knowledge-base entry. Its `id` is a permalink: it never changes; a renamed
/// entry keeps its old ids in `aliases`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub kind: EntryKind,
    pub title: String,
    /// The vendor id (message entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// The OAuth error code: the code itself for code entries, the code the message
    /// is returned with for message entries (if any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Vendor error codes that identify this message (`AADSTS70011`, `E0000011`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// The message exactly as the vendor writes it, with `{name}` placeholders for
    /// what varies (`{scope}`, `{scopes}`, `{scope_list}`, `{client_id}`, ...) and
    /// `{{` / `}}` for literal braces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<String>,
    /// What the error means, in a few sentences.
    pub summary: String,
    /// Where the error is returned: `authorization`, `token`, `resource`,
    /// `registration`, `revocation`, `introspection`, `device_authorization`,
    /// `backchannel_authentication`, `par`, `client` (raised by a client library).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// The defining specification and section, such as `RFC 6749 §5.2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// Where the template was read: `owner/repo:path` or a documentation URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Real texts carrying this message; each must rank this entry first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    pub causes: Vec<Cause>,
}

/// One possible cause of an error, with its fix.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    /// A tag from the fixed vocabulary in [`TAGS`].
    pub tag: String,
    pub title: String,
    pub explanation: String,
    pub fix: String,
    /// The specification section behind the cause, such as `RFC 8707 §2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// How likely this cause is among the entry's causes, from 0 to 1.
    #[serde(default = "default_weight")]
    pub weight: f32,
    /// Scope tokens that make this cause more likely when the paste blames or
    /// requests them (`offline_access`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when_scopes: Vec<String>,
    /// Words or phrases (case-insensitive) that make this cause more likely when
    /// the paste contains them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when_words: Vec<String>,
    /// Concrete steps, possibly specific to one vendor, with a command to copy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// On a registered code's cause: phrases (case-insensitive) that name this
    /// cause's topic plainly enough to offer it when nothing else matched (no code,
    /// no known message): `redirect uri`, `code_verifier`, `client secret`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topic_words: Vec<String>,
    /// On a registered code's cause: phrases that speak of this cause's topic too
    /// loosely to read inside a known message's detail (`'aud' claim`, `404 not
    /// found`, `kid`), offered only when no known message matched at all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guess_words: Vec<String>,
}

fn default_weight() -> f32 {
    0.5
}

/// One step of a fix. `command` may hold `{client_id}`, `{scope}`, `{scopes}`,
/// `{issuer}`, `{realm}`, `{tenant}`, `{redirect_uri}`, `{resource}` placeholders,
/// filled from the paste where it reveals them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// The whole knowledge base, as embedded.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct KbData {
    pub vendors: Vec<Vendor>,
    pub entries: Vec<Entry>,
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// The cause-tag vocabulary (`shared/cause-tags.md`). Tags are the stable answer to
/// "what went wrong": they may be added to, never renamed or dropped.
pub const TAGS: &[&str] = &[
    "scope.not-allowed-for-client",
    "scope.unknown",
    "scope.malformed",
    "scope.offline-access-rejected",
    "scope.exceeds-grant",
    "scope.missing",
    "scope.insufficient",
    "scope.resource-mismatch",
    "scope.policy-denied",
    "scope.granted-differs",
    "resource.invalid-target",
    "client.auth-failed",
    "client.unknown",
    "client.redirect-uri-mismatch",
    "client.grant-not-allowed",
    "client.registration-rejected",
    "client.state-mismatch",
    "grant.code-invalid",
    "grant.pkce-failed",
    "grant.refresh-invalid",
    "grant.unsupported",
    "grant.password-invalid",
    "request.malformed",
    "request.response-type-unsupported",
    "request.object-invalid",
    "user.access-denied",
    "user.interaction-required",
    "token.invalid",
    "device.pending",
    "device.expired",
    "dpop.invalid",
    "dpop.nonce-required",
    "authz-details.invalid",
    "server.error",
    "server.unavailable",
    "discovery.misconfigured",
];

/// Placeholders a fix command may use.
pub const STEP_PLACEHOLDERS: &[&str] = &[
    "client_id",
    "scope",
    "scopes",
    "issuer",
    "realm",
    "tenant",
    "redirect_uri",
    "resource",
];

impl KbData {
    /// Checks what makes the data unusable: unknown tags, duplicate ids or aliases,
    /// entries without causes, unbalanced template braces, message entries without
    /// a known vendor. Returns one line per problem.
    pub fn structural_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids = std::collections::BTreeSet::new();
        let vendor_ids: std::collections::BTreeSet<&str> =
            self.vendors.iter().map(|v| v.id.as_str()).collect();
        let mut seen_vendor = std::collections::BTreeSet::new();
        for v in &self.vendors {
            for id in std::iter::once(&v.id).chain(&v.aliases) {
                if !seen_vendor.insert(id.as_str()) {
                    problems.push(format!("vendor {id}: id or alias used twice"));
                }
                if !is_id(id) {
                    problems.push(format!("vendor {id}: id must be lowercase [a-z0-9.-]"));
                }
            }
        }
        for v in &self.vendors {
            for base in &v.built_on {
                if base == &v.id || !vendor_ids.contains(base.as_str()) {
                    problems.push(format!(
                        "vendor {}: built_on {base:?} is no other vendor",
                        v.id
                    ));
                }
            }
        }
        let mut verbatim_owner = std::collections::BTreeMap::new();
        for v in &self.vendors {
            for sentence in &v.verbatim {
                let in_a_code_entry = self
                    .entries
                    .iter()
                    .any(|e| matches!(e.kind, EntryKind::Code) && e.templates.contains(sentence));
                if !in_a_code_entry {
                    problems.push(format!(
                        "vendor {}: verbatim {sentence:?} is no code entry's template",
                        v.id
                    ));
                }
                if let Some(other) = verbatim_owner.insert(sentence.as_str(), v.id.as_str()) {
                    problems.push(format!(
                        "vendor {}: verbatim {sentence:?} is {other}'s too",
                        v.id
                    ));
                }
            }
        }
        for e in &self.entries {
            for id in std::iter::once(&e.id).chain(&e.aliases) {
                if !is_id(id) {
                    problems.push(format!("entry {id}: id must be lowercase [a-z0-9._-]"));
                }
                if !ids.insert(id.as_str()) {
                    problems.push(format!("entry {id}: id or alias used twice"));
                }
            }
            if e.causes.is_empty() {
                problems.push(format!("entry {}: has no cause", e.id));
            }
            match e.kind {
                EntryKind::Message => {
                    match e.vendor.as_deref() {
                        Some(v) if vendor_ids.contains(v) => {}
                        Some(v) => problems.push(format!("entry {}: unknown vendor {v}", e.id)),
                        None => problems.push(format!("entry {}: message without vendor", e.id)),
                    }
                    if e.templates.is_empty() && e.codes.is_empty() && e.error.is_none() {
                        problems.push(format!(
                            "entry {}: message without template, vendor code or error",
                            e.id
                        ));
                    }
                    if e.source.is_none() {
                        problems.push(format!("entry {}: message without source", e.id));
                    }
                }
                EntryKind::Code => {
                    if e.error.is_none() {
                        problems.push(format!("entry {}: code entry without error", e.id));
                    }
                    if e.spec.is_none() {
                        problems.push(format!("entry {}: code entry without spec", e.id));
                    }
                }
            }
            for t in &e.templates {
                if let Err(why) = check_template(t) {
                    problems.push(format!("entry {}: template {t:?}: {why}", e.id));
                }
            }
            for c in &e.causes {
                if !TAGS.contains(&c.tag.as_str()) {
                    problems.push(format!("entry {}: unknown cause tag {}", e.id, c.tag));
                }
                if !(0.0..=1.0).contains(&c.weight) {
                    problems.push(format!("entry {}: weight outside 0..1", e.id));
                }
                if e.kind == EntryKind::Message
                    && !(c.topic_words.is_empty() && c.guess_words.is_empty())
                {
                    problems.push(format!(
                        "entry {}: topic and guess words are read on registered codes only",
                        e.id
                    ));
                }
                for s in &c.steps {
                    if let Some(v) = s.vendor.as_deref().filter(|v| !vendor_ids.contains(v)) {
                        problems.push(format!("entry {}: step for unknown vendor {v}", e.id));
                    }
                    if let Some(cmd) = &s.command {
                        for name in placeholders(cmd) {
                            if !STEP_PLACEHOLDERS.contains(&name) {
                                problems.push(format!(
                                    "entry {}: command placeholder {{{name}}} is not one of {STEP_PLACEHOLDERS:?}",
                                    e.id
                                ));
                            }
                        }
                    }
                }
            }
        }
        problems
    }
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// The `{name}` placeholders of a fix command, in order: a lowercase name in braces.
/// Other braces (a JSON body, a JMESPath query) are literal text.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if name_len > 0 && after.as_bytes().get(name_len) == Some(&b'}') {
            out.push(&after[..name_len]);
            rest = &after[name_len + 1..];
        } else {
            rest = after;
        }
    }
    out
}

/// Checks that a template's braces balance and its placeholders are names.
fn check_template(t: &str) -> Result<(), String> {
    let bytes = t.as_bytes();
    let mut i = 0;
    let mut literal = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                i += 2;
                literal += 1;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                i += 2;
                literal += 1;
            }
            b'{' => {
                let end = t[i + 1..].find('}').ok_or("unclosed {")?;
                let name = &t[i + 1..i + 1 + end];
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                    return Err(format!("placeholder {{{name}}} must be a lowercase name"));
                }
                i += end + 2;
            }
            b'}' => return Err("lone } (write }} for a literal brace)".into()),
            _ => {
                i += 1;
                literal += 1;
            }
        }
    }
    if literal < 6 {
        return Err("fewer than 6 literal characters: too vague to match".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The structural problems of `data` that speak of `field`.
    fn problems_about(field: &str, data: serde_json::Value) -> Vec<String> {
        let data: KbData = serde_json::from_value(data).expect("the test's data deserialises");
        data.structural_problems()
            .into_iter()
            .filter(|p| p.contains(field))
            .collect()
    }

    /// A vendor is built on another vendor: not on itself, not on an unknown id.
    #[test]
    fn built_on_names_another_known_vendor() {
        let problems = problems_about(
            "built_on",
            serde_json::json!({
                "vendors": [
                    { "id": "lib", "name": "Lib" },
                    { "id": "good", "name": "Good", "built_on": ["lib"] },
                    { "id": "selfish", "name": "Selfish", "built_on": ["selfish"] },
                    { "id": "lost", "name": "Lost", "built_on": ["nowhere"] },
                ],
                "entries": [],
            }),
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("vendor selfish:")));
        assert!(problems.iter().any(|p| p.starts_with("vendor lost:")));
    }

    /// A vendor's `verbatim` sentence must be a code entry's template, and one
    /// vendor's only: the fallback it feeds names a single product.
    #[test]
    fn verbatim_sentences_are_code_templates_claimed_once() {
        let sentence = "The requested scope is invalid, unknown, or malformed.";
        let problems = problems_about(
            "verbatim",
            serde_json::json!({
                "vendors": [
                    { "id": "one", "name": "One", "verbatim": [sentence] },
                    { "id": "two", "name": "Two", "verbatim": [sentence, "Not a code's words."] },
                ],
                "entries": [{
                    "id": "code.invalid_scope", "kind": "code", "title": "invalid_scope",
                    "error": "invalid_scope", "spec": "RFC 6749 §5.2", "summary": "s",
                    "templates": [sentence],
                    "causes": [{ "tag": "scope.unknown", "title": "t", "explanation": "e",
                                 "fix": "f" }],
                }],
            }),
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("is one's too")));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("is no code entry's template"))
        );
    }
}
