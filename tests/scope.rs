//! Requested, allowed and granted scopes compared (RFC 6749 §3.3).

use oauth_doctor::core::scope::{compare, parse_for};

fn sorted(v: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = v.iter().map(String::as_str).collect();
    v.sort();
    v
}

#[test]
fn comparison_reports_not_allowed_dropped_and_extra() {
    let c = compare(
        "openid offline_access api:read api:write",
        Some("openid offline_access api:read"),
        Some("openid api:read User.Read"),
    );
    assert_eq!(sorted(&c.not_allowed), ["api:write"]);
    assert_eq!(sorted(&c.dropped), ["offline_access"]);
    assert_eq!(sorted(&c.extra), ["User.Read"]);
    assert_eq!(sorted(&c.matched), ["api:read", "openid"]);
}

#[test]
fn github_comma_separated_grants_compare_as_lists() {
    let c = compare("repo read:org", None, Some("read:org,repo"));
    assert!(c.dropped.is_empty() && c.extra.is_empty(), "{c:?}");
}

#[test]
fn faulty_tokens_are_the_ones_under_a_problem() {
    let a = oauth_doctor::core::scope::parse("openid Profile,email offline_access");
    let faulty: Vec<bool> = (0..a.tokens.len()).map(|i| a.token_is_faulty(i)).collect();
    assert_eq!(faulty, [false, true, false]);
}

#[test]
fn a_url_parameter_glued_to_the_scope_is_named() {
    let a = parse_for(
        "users:read.email;redirect_uri=https://app.example.com/cb",
        None,
    );
    let p = &a.problems[0];
    assert_eq!(p.span, oauth_doctor::core::Span(16, 17));
    assert!(p.message.contains("(redirect_uri=)"), "{}", p.message);
    assert_eq!(p.suggestion.as_deref(), Some("&"));
    // A semicolon between two scopes is only the wrong delimiter.
    let a = parse_for("openid;email", None);
    assert!(a.problems[0].message.contains("single spaces"));
    assert_eq!(a.problems[0].suggestion.as_deref(), Some(" "));
}
