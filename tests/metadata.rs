//! Metadata checks over real discovery documents (`../shared/fixtures/discovery/`).

use crate::fixture;
use oauth_doctor::core::metadata::{MetadataError, MetadataKind, MetadataReport, check};

fn report(name: &str, url: &str, scope: Option<&str>) -> MetadataReport {
    check(&fixture(name), Some(url), scope).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn kinds(r: &MetadataReport) -> Vec<&str> {
    r.problems.iter().map(|p| p.kind.as_str()).collect()
}

#[test]
fn google_has_no_offline_access_scope() {
    let r = report(
        "google-oidc.json",
        "https://accounts.google.com/.well-known/openid-configuration",
        Some("openid email offline_access"),
    );
    assert_eq!(r.kind, MetadataKind::Oidc);
    assert_eq!(r.vendor.as_deref(), Some("google"));
    assert_eq!(r.offline_access_advertised, Some(false));
    assert_eq!(r.unadvertised_scopes, ["offline_access"]);
    assert_eq!(r.pkce_s256, Some(true));
    let k = kinds(&r);
    assert!(
        k.contains(&"offline-access") && k.contains(&"vendor") && !k.contains(&"issuer-mismatch"),
        "{k:?}"
    );
}

#[test]
fn entra_common_issuer_is_a_template_and_pkce_is_not_advertised() {
    let r = report(
        "microsoft-entra-common-v2-oidc.json",
        "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
        None,
    );
    assert_eq!(r.vendor.as_deref(), Some("entra"));
    assert_eq!(r.pkce_s256, None);
    let k = kinds(&r);
    assert!(
        k.contains(&"issuer-mismatch") && k.contains(&"no-pkce-s256"),
        "{k:?}"
    );
    let tenant = report(
        "microsoft-entra-tenant-v2-oidc.json",
        "https://login.microsoftonline.com/31a2fec0-266b-4c67-b56e-2796d8f59c36/v2.0/.well-known/openid-configuration",
        None,
    );
    assert!(
        !kinds(&tenant).contains(&"issuer-mismatch"),
        "{:?}",
        tenant.problems
    );
}

#[test]
fn rfc8414_path_insertion_is_checked() {
    // Okta serves the RFC 8414 document with the suffix appended to the issuer path.
    let okta = report(
        "okta-default-as-as.json",
        "https://dev-599740.okta.com/oauth2/default/.well-known/oauth-authorization-server",
        None,
    );
    let mismatch = okta
        .problems
        .iter()
        .find(|p| p.kind == "issuer-mismatch")
        .expect("a mismatch");
    assert!(
        mismatch
            .message
            .contains("inserts the suffix after the host"),
        "{}",
        mismatch.message
    );
    // GitHub's document sits where RFC 8414 §3.1 says.
    let github = report(
        "github-as.json",
        "https://github.com/.well-known/oauth-authorization-server/login/oauth",
        Some("repo read:org"),
    );
    assert_eq!(github.kind, MetadataKind::OAuthAs);
    assert!(
        !kinds(&github).contains(&"issuer-mismatch"),
        "{:?}",
        github.problems
    );
    assert!(kinds(&github).contains(&"no-registration-endpoint"));
    assert_eq!(github.offline_access_advertised, None);
    assert!(github.unadvertised_scopes.is_empty());
}

#[test]
fn issuer_must_match_where_the_document_was_fetched() {
    let hydra = report(
        "ory-hydra-oidc.json",
        "http://127.0.0.1:4444/.well-known/openid-configuration",
        None,
    );
    assert!(kinds(&hydra).contains(&"issuer-mismatch"));
    let atlassian = report(
        "atlassian-mcp-as.json",
        "https://mcp.atlassian.com/.well-known/oauth-authorization-server",
        None,
    );
    assert!(kinds(&atlassian).contains(&"issuer-mismatch"));
    let keycloak = report(
        "keycloak-realm-oidc.json",
        "https://identity.mafiasi.de/auth/realms/simple_openid_test/.well-known/openid-configuration",
        Some("openid offline_access"),
    );
    assert!(
        !kinds(&keycloak).contains(&"issuer-mismatch"),
        "{:?}",
        keycloak.problems
    );
    assert_eq!(keycloak.offline_access_advertised, Some(true));
}

#[test]
fn required_members_and_https() {
    let gha = report(
        "github-actions-oidc.json",
        "https://token.actions.githubusercontent.com/.well-known/openid-configuration",
        None,
    );
    let missing: Vec<&str> = gha
        .problems
        .iter()
        .filter(|p| p.kind == "missing-member")
        .map(|p| p.message.as_str())
        .collect();
    assert!(
        missing.iter().any(|m| m.contains("authorization_endpoint")),
        "{missing:?}"
    );
    // A loopback issuer over http is development, not an error.
    let spring = report(
        "spring-authorization-server-oidc.json",
        "http://localhost:9010/.well-known/openid-configuration",
        Some("openid mcp:read"),
    );
    assert!(!kinds(&spring).contains(&"not-https"));
    assert_eq!(spring.unadvertised_scopes, ["mcp:read"]);
}

#[test]
fn protected_resource_metadata_names_the_resource_and_servers() {
    let r = report(
        "github-mcp-prm.json",
        "https://api.githubcopilot.com/.well-known/oauth-protected-resource/mcp",
        Some("repo"),
    );
    assert_eq!(r.kind, MetadataKind::ProtectedResource);
    assert_eq!(
        r.resource.as_deref(),
        Some("https://api.githubcopilot.com/mcp")
    );
    assert!(!r.authorization_servers.is_empty());
    assert!(!kinds(&r).contains(&"issuer-mismatch"), "{:?}", r.problems);
    let gw = report(
        "agentgateway-mcp-prm.json",
        "https://ceposta-agw.ngrok.io/.well-known/oauth-protected-resource/server/mcp",
        Some("openid offline_access"),
    );
    assert_eq!(gw.offline_access_advertised, Some(true));
}

#[test]
fn every_fixture_is_checked_without_error() {
    let dir = format!(
        "{}/../shared/fixtures/discovery",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("readable");
            check(&text, None, Some("openid offline_access"))
                .unwrap_or_else(|e| panic!("{path:?}: {e}"));
            n += 1;
        }
    }
    assert!(n >= 20, "{n} fixtures");
}

#[test]
fn bad_documents_get_an_error_not_a_panic() {
    assert!(matches!(
        check("<html>login</html>", None, None),
        Err(MetadataError::NotJson(_))
    ));
    assert_eq!(check("[1, 2]", None, None), Err(MetadataError::NotObject));
}

#[test]
fn metadata_feeds_the_diagnosis() {
    use oauth_doctor::{Options, diagnose};
    // The seed case: Better Auth refuses offline_access; its metadata may or may not
    // advertise it. Without offline_access in scopes_supported, the cause is that
    // the server does not offer it, and the evidence says so.
    let paste =
        "error=invalid_scope error_description='The following scopes are invalid: offline_access'";
    let without = check(
        r#"{"issuer":"https://auth.example.com","authorization_endpoint":"https://auth.example.com/authorize","token_endpoint":"https://auth.example.com/token","response_types_supported":["code"],"scopes_supported":["openid","profile","email"]}"#,
        None,
        None,
    )
    .expect("valid metadata");
    let d = diagnose(
        paste,
        &Options {
            metadata: Some(without),
            ..Options::default()
        },
    );
    let top = &d.causes[0];
    assert_eq!(top.tag, "scope.offline-access-rejected");
    assert!(
        top.evidence
            .iter()
            .any(|e| e.what.contains("does not advertise offline_access")),
        "{:?}",
        top.evidence
    );
    // A scope the metadata does not know, in a generic invalid_scope.
    let keycloak = check(&fixture("keycloak-realm-oidc.json"), None, None).expect("valid");
    let d = diagnose(
        r#"{"error":"invalid_scope","error_description":"Invalid scopes: openid mcp:tools"}"#,
        &Options {
            metadata: Some(keycloak),
            ..Options::default()
        },
    );
    let unknown = d
        .causes
        .iter()
        .find(|c| c.tag == "scope.unknown")
        .expect("scope.unknown ranked");
    assert!(
        unknown
            .evidence
            .iter()
            .any(|e| e.what.contains("mcp:tools")),
        "{:?}",
        unknown.evidence
    );
    assert_eq!(
        d.causes[0].tag,
        "scope.unknown",
        "{:?}",
        d.causes.iter().map(|c| &c.tag).collect::<Vec<_>>()
    );
}
