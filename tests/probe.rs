//! The discovery probe's plan and its reading of fetch outcomes, natively, with the
//! real documents of `../shared/fixtures/discovery/`. The page's fetching of the
//! same plan is tested in Chromium against a loopback server (tests/browser/).

use crate::fixture;
use oauth_doctor::core::metadata::MetadataKind;
use oauth_doctor::core::probe::{Fetched, MAX_FETCHES, Probe, curl};

fn ok(body: &str) -> Fetched {
    Fetched::Response {
        status: 200,
        content_type: Some("application/json".into()),
        body: body.into(),
        redirected_to: None,
    }
}

fn status(code: u16) -> Fetched {
    Fetched::Response {
        status: code,
        content_type: Some("text/plain".into()),
        body: "nope".into(),
        redirected_to: None,
    }
}

/// Every URL the probe would fetch when each fetch gives `answer(url)`.
fn run(probe: &mut Probe, answer: impl Fn(&str) -> Fetched) -> Vec<String> {
    let mut fetched = Vec::new();
    while let Some(t) = probe.next_target() {
        fetched.push(t.url.clone());
        let a = answer(&t.url);
        probe.record(t, a, Some(1));
    }
    fetched
}

#[test]
fn an_issuer_with_a_path_is_tried_both_ways_then_as_a_resource() {
    let mut p = Probe::start("https://idp.example.com/realms/main", false, None).expect("valid");
    let urls = run(&mut p, |_| status(404));
    assert_eq!(
        urls,
        [
            "https://idp.example.com/.well-known/oauth-authorization-server/realms/main",
            "https://idp.example.com/realms/main/.well-known/openid-configuration",
            "https://idp.example.com/.well-known/oauth-protected-resource/realms/main",
            "https://idp.example.com/.well-known/oauth-protected-resource",
        ]
    );
    assert!(p.report().is_none());
    assert!(
        p.steps
            .iter()
            .all(|s| s.outcome.kind == "not-found" && !s.outcome.ok)
    );
    assert!(p.steps.iter().all(|s| s.outcome.curl.is_some()));
}

#[test]
fn an_mcp_server_url_asks_for_its_protected_resource_metadata_first() {
    let mut p = Probe::start("https://mcp.example.com/mcp", false, None).expect("valid");
    let first = p.next_target().expect("a target");
    assert_eq!(
        first.url,
        "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
    );
    assert_eq!(first.expect, MetadataKind::ProtectedResource);
}

#[test]
fn the_typed_url_loses_its_query_fragment_and_credentials() {
    let mut p = Probe::start(
        "https://user:pw@idp.example.com/?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz#access_token=abc",
        false,
        None,
    )
    .expect("valid");
    let urls = run(&mut p, |_| status(404));
    assert!(!urls.is_empty());
    for u in &urls {
        assert!(
            !u.contains("code=") && !u.contains("xyz") && !u.contains("abc") && !u.contains("pw"),
            "{u}"
        );
    }
    // No scheme means https.
    let mut p = Probe::start("idp.example.com", false, None).expect("valid");
    assert!(
        p.next_target()
            .expect("a target")
            .url
            .starts_with("https://idp.example.com/")
    );
}

#[test]
fn unusable_input_gets_a_message_not_a_fetch() {
    for bad in [
        "",
        "   ",
        "ftp://idp.example.com",
        "javascript:alert(1)",
        "https://",
        "http://[::1",
    ] {
        let e = Probe::start(bad, false, None).expect_err(bad);
        assert!(!e.0.is_empty(), "{bad:?}");
    }
}

#[test]
fn a_well_known_url_is_fetched_as_given() {
    let url = "https://identity.mafiasi.de/auth/realms/simple_openid_test/.well-known/openid-configuration";
    let body = fixture("keycloak-realm-oidc.json");
    let mut p = Probe::start(url, false, Some("openid offline_access web-origins")).expect("valid");
    let urls = run(&mut p, |_| ok(&body));
    assert_eq!(urls, [url]);
    let (at, report) = p.server.as_ref().expect("found");
    assert_eq!(at, url);
    assert_eq!(report.kind, MetadataKind::Oidc);
    assert_eq!(report.offline_access_advertised, Some(true));
    assert!(
        report.unadvertised_scopes.is_empty(),
        "{:?}",
        report.unadvertised_scopes
    );
    assert!(!report.problems.iter().any(|p| p.kind == "issuer-mismatch"));
    assert_eq!(p.steps[0].outcome.kind, "found");
}

#[test]
fn a_keycloak_issuer_is_found_by_oidc_discovery_after_rfc_8414_fails() {
    let body = fixture("keycloak-realm-oidc.json");
    let mut p = Probe::start(
        "https://identity.mafiasi.de/auth/realms/simple_openid_test",
        false,
        Some("openid offline_access"),
    )
    .expect("valid");
    let urls = run(&mut p, |u| {
        if u.ends_with("/.well-known/openid-configuration") {
            ok(&body)
        } else {
            status(404)
        }
    });
    // Found on the second try: the protected-resource guesses are dropped.
    assert_eq!(urls.len(), 2, "{urls:?}");
    assert_eq!(p.steps[0].outcome.kind, "not-found");
    assert_eq!(p.steps[1].outcome.kind, "found");
    assert!(p.is_done());
    assert_eq!(
        p.report().expect("report").issuer.as_deref(),
        Some("https://identity.mafiasi.de/auth/realms/simple_openid_test")
    );
}

#[test]
fn google_metadata_says_offline_access_is_not_a_scope_there() {
    let body = fixture("google-oidc.json");
    let mut p = Probe::start(
        "https://accounts.google.com",
        false,
        Some("openid email offline_access"),
    )
    .expect("valid");
    run(&mut p, |u| {
        if u.contains("openid-configuration") {
            ok(&body)
        } else {
            status(404)
        }
    });
    let r = p.report().expect("found");
    assert_eq!(r.offline_access_advertised, Some(false));
    assert_eq!(r.unadvertised_scopes, ["offline_access"]);
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == "vendor" && p.message.contains("access_type=offline"))
    );
}

#[test]
fn protected_resource_metadata_leads_to_its_authorization_server() {
    let prm = fixture("github-mcp-prm.json");
    let as_doc = fixture("github-as.json");
    let mut p = Probe::start(
        "https://api.githubcopilot.com/mcp",
        false,
        Some("repo offline_access"),
    )
    .expect("valid");
    let urls = run(&mut p, |u| {
        if u.contains("oauth-protected-resource") {
            ok(&prm)
        } else if u == "https://github.com/.well-known/oauth-authorization-server/login/oauth" {
            ok(&as_doc)
        } else {
            status(404)
        }
    });
    assert_eq!(
        urls,
        [
            "https://api.githubcopilot.com/.well-known/oauth-protected-resource/mcp",
            "https://github.com/.well-known/oauth-authorization-server/login/oauth",
        ]
    );
    let (_, resource) = p.resource.as_ref().expect("resource metadata");
    assert_eq!(
        resource.resource.as_deref(),
        Some("https://api.githubcopilot.com/mcp")
    );
    let (_, server) = p.server.as_ref().expect("server metadata");
    assert_eq!(
        server.issuer.as_deref(),
        Some("https://github.com/login/oauth")
    );
    assert!(
        !server.problems.iter().any(|p| p.kind == "issuer-mismatch"),
        "{:?}",
        server.problems
    );
    // The diagnosis gets the server's document.
    assert_eq!(p.report().expect("report").issuer, server.issuer);
}

#[test]
fn okta_default_server_is_found_only_with_the_suffix_appended() {
    // Okta serves RFC 8414 metadata at issuer + suffix, not at the RFC 8414 §3.1 URL.
    let body = fixture("okta-default-as-as.json");
    let appended =
        "https://dev-599740.okta.com/oauth2/default/.well-known/oauth-authorization-server";
    let mut p = Probe::start(appended, false, None).expect("valid");
    run(&mut p, |_| ok(&body));
    let r = p.report().expect("found");
    let mismatch = r
        .problems
        .iter()
        .find(|p| p.kind == "issuer-mismatch")
        .expect("flagged");
    assert!(
        mismatch.message.contains("RFC 8414 §3.1"),
        "{}",
        mismatch.message
    );
}

#[test]
fn each_failure_is_explained_with_a_way_forward() {
    let url = "https://idp.example.com/.well-known/openid-configuration";
    let big = "x".repeat(10);
    let cases: Vec<(Fetched, &str, &str)> = vec![
        (
            Fetched::NetworkError {
                reachable: Some(true),
            },
            "cors",
            "Access-Control-Allow-Origin",
        ),
        (Fetched::NetworkError { reachable: None }, "cors", "CORS"),
        (
            Fetched::NetworkError {
                reachable: Some(false),
            },
            "unreachable",
            "resolve",
        ),
        (Fetched::Timeout, "timeout", "aborted"),
        (Fetched::TooLarge, "too-large", "KB"),
        (Fetched::Interrupted, "interrupted", "broke"),
        (status(500), "http-status", "500"),
        (status(403), "http-status", "credentials"),
        (
            Fetched::Response {
                status: 200,
                content_type: Some("text/html; charset=utf-8".into()),
                body: "<!doctype html><title>Sign in</title>".into(),
                redirected_to: None,
            },
            "html",
            "HTML",
        ),
        (
            Fetched::Response {
                status: 200,
                content_type: Some("application/json".into()),
                body: "<html>".into(),
                redirected_to: None,
            },
            "html",
            "HTML",
        ),
        (ok("{\"issuer\": "), "not-json", "JSON"),
        (ok("[1, 2]"), "not-object", "object"),
        (
            ok(&format!("{{\"status\": \"{big}\"}}")),
            "wrong-kind",
            "authorization server",
        ),
    ];
    for (fetched, kind, words) in cases {
        let mut p = Probe::start(url, false, None).expect("valid");
        let t = p.next_target().expect("a target");
        p.record(t, fetched.clone(), Some(3));
        let o = &p.steps[0].outcome;
        assert_eq!(o.kind, kind, "{fetched:?}");
        assert!(!o.ok);
        assert!(o.message.contains(words), "{kind}: {}", o.message);
        assert!(
            o.next.as_deref().is_some_and(|n| !n.is_empty()) || kind == "wrong-kind",
            "{kind}"
        );
        assert_eq!(
            o.curl.as_deref(),
            Some(format!("curl -sS -i '{url}'").as_str())
        );
        assert!(p.report().is_none());
    }
}

#[test]
fn a_redirect_is_followed_and_reported() {
    let body = fixture("google-oidc.json");
    let url = "https://accounts.google.com/.well-known/openid-configuration";
    let mut p = Probe::start(url, false, None).expect("valid");
    let t = p.next_target().expect("a target");
    p.record(
        t,
        Fetched::Response {
            status: 200,
            content_type: Some("application/json".into()),
            body,
            redirected_to: Some(
                "https://accounts.google.com/.well-known/openid-configuration/".into(),
            ),
        },
        None,
    );
    assert_eq!(p.steps[0].outcome.kind, "redirect");
    assert!(
        p.report()
            .expect("found")
            .problems
            .iter()
            .any(|p| p.kind == "redirect")
    );
}

#[test]
fn plain_http_from_an_https_page_is_not_fetched() {
    let mut p = Probe::start("http://idp.example.com/realms/main", true, None).expect("valid");
    assert!(p.next_target().is_none());
    assert!(!p.steps.is_empty());
    assert!(
        p.steps
            .iter()
            .all(|s| s.outcome.kind == "mixed-content" && s.outcome.curl.is_some())
    );
    // Loopback is a secure context: a development server is fetched.
    let mut p = Probe::start("http://localhost:9010", true, None).expect("valid");
    assert!(p.next_target().is_some());
}

/// What the server gives for each URL.
type Answer = Box<dyn Fn(&str) -> Fetched>;

#[test]
fn no_probe_makes_more_than_the_bounded_number_of_requests() {
    let prm = fixture("agentgateway-mcp-prm.json");
    let answers: Vec<Answer> = vec![
        Box::new(|_| status(404)),
        Box::new(|_| Fetched::Timeout),
        Box::new(|_| Fetched::NetworkError {
            reachable: Some(true),
        }),
        Box::new(move |_| ok(&prm)),
        Box::new(|_| ok("{}")),
    ];
    for input in [
        "https://ceposta-agw.ngrok.io/server/mcp",
        "https://a.example/b/c",
        "https://a.example",
    ] {
        for answer in &answers {
            let mut p = Probe::start(input, false, None).expect("valid");
            let urls = run(&mut p, answer);
            assert!(urls.len() <= MAX_FETCHES, "{input}: {urls:?}");
            assert!(p.is_done());
            let mut unique = urls.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), urls.len(), "a URL fetched twice: {urls:?}");
        }
    }
}

#[test]
fn curl_quotes_the_url_for_a_shell() {
    assert_eq!(
        curl("https://a.example/x'y"),
        "curl -sS -i 'https://a.example/x'\\''y'"
    );
}
