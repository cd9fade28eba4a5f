//! No panic, whatever is pasted; bounded time on huge and hostile input.

use std::time::{Duration, Instant};

use oauth_doctor::core::redact::redact;
use oauth_doctor::core::scope;
use oauth_doctor::{Options, diagnose};
use proptest::prelude::*;

/// Pieces of real error texts, so that random input reaches the deep paths.
const PIECES: &[&str] = &[
    "error=",
    "invalid_scope",
    "&error_description=",
    "%20",
    "%25",
    "%3D",
    "+",
    "{\"error\":",
    "\"",
    "'",
    "\\\"",
    "}",
    "[",
    "]",
    "map[message:",
    " reason:",
    "https://h/cb?",
    // A host a URL parser refuses: a redaction, a placeholder label.
    "https://",
    "<tenant>",
    ".okta.com",
    "\u{2026}",
    "#",
    "scope=",
    "openid offline_access",
    "AADSTS70011",
    "eyJhbGciOiJIUzI1NiJ9",
    ".",
    "eyJzY29wZSI6ImEifQ",
    "WWW-Authenticate: Bearer ",
    "error=\"insufficient_scope\"",
    "Invalid scopes: ",
    "\n",
    "\u{430}",
    "\u{a0}",
    "The OAuth 2.0 Client is not allowed to request scope '",
    "Authorization: Bearer x",
    "\\\\\\\"",
    "{&quot;error&quot;:&quot;",
    "`redirect_uri`",
    // A SASL XOAUTH2 / OAUTHBEARER error challenge: base64 of a JSON object.
    "334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJtYWlsIn0=",
];

fn pasted() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(PIECES).prop_map(str::to_string),
            any::<String>(),
            "[ -~]{0,12}",
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn diagnose_never_panics(text in pasted()) {
        let d = diagnose(&text, &Options { now: Some(0), ..Options::default() });
        // Every span points into the input.
        for s in &d.secrets {
            prop_assert!(s.span.1 <= text.len());
        }
        for p in &d.scopes.problems {
            prop_assert!(p.span.1 <= d.scopes.text.len());
        }
        let _ = serde_json::to_string(&d).expect("a diagnosis serialises");
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = diagnose(&text, &Options::default());
        let _ = redact(&text);
    }

    #[test]
    fn scope_parse_never_panics_and_spans_are_char_bounds(text in any::<String>()) {
        let a = scope::parse(&text);
        for p in &a.problems {
            prop_assert!(text.is_char_boundary(p.span.0) && text.is_char_boundary(p.span.1));
        }
        prop_assert_eq!(a.tokens.join(" "), text.split(' ').filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn redaction_removes_every_secret(secret in "[A-Za-z0-9]{12,40}") {
        let text = format!("POST /token\nclient_secret={secret}&code_verifier={secret}x&grant_type=authorization_code\nAuthorization: Bearer {secret}y");
        let r = redact(&text);
        prop_assert!(!r.text.contains(&secret), "{}", r.text);
    }
}

/// Inputs proptest once found, kept so that they run every time: hosts outside ASCII,
/// written or percent-encoded, reach an adapter that asserts in debug builds.
#[test]
fn hosts_outside_ascii_never_panic() {
    for text in [
        "https://A\u{1218}",
        "https://A%AA",
        "https://A%AA/callback?error=invalid_scope",
        "see http://X%C3%A9.example.com/?error=access_denied",
    ] {
        let _ = diagnose(text, &Options::default());
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

#[test]
fn a_one_megabyte_paste_is_diagnosed_well_under_a_second() {
    let line =
        "2026-11-23T10:00:00Z INFO request handled path=/authorize status=302 {\"ok\":true}\n";
    let mut text = line.repeat(1_000_000 / line.len());
    text.push_str("{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scopes: openid application:salesforce\"}\n");
    let (d, took) = timed(|| diagnose(&text, &Options::default()));
    assert_eq!(
        d.error.map(|e| e.to_string()).as_deref(),
        Some("invalid_scope")
    );
    assert!(took < Duration::from_millis(900), "1 MB took {took:?}");
}

#[test]
fn a_megabyte_dense_with_messages_is_read_within_a_budget() {
    // Every line a real message (the knowledge base's own examples), chained as
    // `Caused by:` pairs: nothing to skip, so the read is bounded by a budget, the
    // log's first lines and its last ones.
    let kb = oauth_doctor::core::kb::Kb::get();
    let examples: Vec<&str> = kb
        .entries
        .iter()
        .flat_map(|e| e.examples.iter().map(String::as_str))
        .filter(|t| t.len() < 400)
        .collect();
    let mut text = String::new();
    for pair in examples.chunks(2).cycle() {
        if text.len() > 1_000_000 {
            break;
        }
        text.push_str(pair[0]);
        text.push_str("\nCaused by:\n    ");
        text.push_str(pair.last().copied().unwrap_or_default());
        text.push('\n');
    }
    let last =
        "{\"error\":\"invalid_target\",\"error_description\":\"requested resource invalid\"}\n";
    text.push_str(last);
    let (d, took) = timed(|| diagnose(&text, &Options::default()));
    assert!(
        took < Duration::from_millis(1500),
        "dense 1 MB took {took:?}"
    );
    // The log's last lines are read.
    assert!(
        d.causes.iter().any(|c| c.tag == "resource.invalid-target"),
        "{:?}",
        d.causes.iter().map(|c| &c.tag).collect::<Vec<_>>()
    );
}

#[test]
fn a_long_log_reads_the_lines_around_the_error_and_keeps_every_offset() {
    let noise = "2026-11-23T10:00:00Z INFO request handled path=/healthz status=200 took=3ms\n";
    let error = "{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scopes: openid application:salesforce\"}\n";
    let bearer = "Authorization: Bearer eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.\n";
    let mut text = noise.repeat(4000);
    text.push_str(bearer);
    text.push_str(&noise.repeat(4000));
    let error_at = text.len();
    text.push_str(error);
    text.push_str(&noise.repeat(10));
    assert!(text.len() > oauth_doctor::core::focus::FOCUS_ABOVE);

    let alone = diagnose(error, &Options::default());
    let d = diagnose(&text, &Options::default());
    assert_eq!(d.error, alone.error);
    assert_eq!(d.vendor, alone.vendor);
    let tags =
        |d: &oauth_doctor::Diagnosis| d.causes.iter().map(|c| c.tag.clone()).collect::<Vec<_>>();
    assert_eq!(tags(&d), tags(&alone));
    // Spans point into the original text, shifted by where the error sits.
    for (c, a) in d.causes.iter().zip(&alone.causes) {
        for (e, ea) in c.evidence.iter().zip(&a.evidence) {
            if let (Some(s), Some(sa)) = (e.span, ea.span) {
                assert_eq!(s.of(&text), sa.of(error), "{}", e.what);
                assert_eq!(s.0, sa.0 + error_at);
            }
        }
    }
    // The token far from the error is still found, and the skipping is said.
    assert_eq!(d.jwts.len(), 1);
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("lines around OAuth signals")),
        "{:?}",
        d.notes
    );
}

#[test]
fn hostile_repetition_stays_bounded() {
    // Every `{"` starts a JSON candidate that runs to the end; every `eyJ` a JWT.
    for unit in [
        "{\"",
        "eyJ.",
        // Base64 JSON blobs (decoded, at most 32 of them) and one endless blob.
        "eyJzdGF0dXMiOiI0MDAifQ== ",
        "eyJ",
        "error=map[",
        "%25",
        "scope='",
        "'{scope}'",
        "Invalid scopes: ",
        // Runs of backslashes are read as one escape, or kept at once; strings
        // holding JSON after words; references escaped for HTML; backticks.
        "\\",
        "\\\\\\\"",
        "{\"msg\":\"x {\\\"a\\\":\\\"",
        "&quot;",
        "&amp;error=",
        "`a`",
        "`",
    ] {
        let text = unit.repeat(1_000_000 / unit.len());
        let (_, took) = timed(|| diagnose(&text, &Options::default()));
        assert!(
            took < Duration::from_millis(900),
            "{unit:?} x 1 MB took {took:?}"
        );
    }
}

#[test]
fn deep_json_is_refused_cleanly() {
    let depth = 100_000;
    let text = format!("{}{}", "{\"error\":".repeat(depth), "}".repeat(depth));
    let (d, took) = timed(|| diagnose(&text, &Options::default()));
    assert!(took < Duration::from_millis(900), "deep JSON took {took:?}");
    let _ = d;
    let text = format!("{}\"x\"{}", "[".repeat(depth), "]".repeat(depth));
    let _ = diagnose(&text, &Options::default());
}

/// Hosts no URL parser takes, as people redact them (`https://…/mcp`) or leave
/// their tenant as a placeholder: read without a panic, a tenant's placeholder label
/// under the vendor's host suffix.
#[test]
fn hosts_a_url_parser_refuses_are_read_safely() {
    for text in [
        "Service not enabled within domain: https://\u{2026}/mcp",
        "https://\u{2026}",
        "https://<",
        "https://<>.okta.com/",
        "https://<\u{e9}\u{2026}>.okta.com:8443/x",
        "https://<a b>.okta.com",
        "https://\u{2026}.\u{2026}:99999/",
        "x https://<tenant>.\u{2026}.com/ error=invalid_scope",
    ] {
        let _ = diagnose(text, &Options::default());
    }
    let named = |text: &str| diagnose(text, &Options::default()).vendor;
    assert_eq!(
        named("error=invalid_client from https://<yourOrg>.okta.com/oauth2/aus1/v1/token")
            .as_deref(),
        Some("okta")
    );
    assert_eq!(
        named("error=invalid_client from https://<yourOrg>/oauth2/token"),
        None
    );
}

#[test]
fn hostile_html_is_data() {
    let text = "<img src=x onerror=alert(1)><script>alert(1)</script>error=invalid_scope&error_description=%3Cscript%3Ealert(1)%3C/script%3E";
    let d = diagnose(text, &Options::default());
    assert_eq!(
        d.error.map(|e| e.to_string()).as_deref(),
        Some("invalid_scope")
    );
    // The description is returned as text, decoded, for the page to render as text.
    assert_eq!(
        d.error_description.as_deref(),
        Some("<script>alert(1)</script>")
    );
}

/// Text that is not about OAuth names no vendor and no cause, however many links it
/// holds: this repository's own lock file (every package's source is a github.com URL)
/// and documentation-like prose. (A vendor's marker, such as its name, still names it:
/// a paste that says `gcloud` is Google's even when nothing else in it is readable.)
#[test]
fn text_that_is_not_about_oauth_names_nothing() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
        .expect("Cargo.lock is in the repository");
    assert!(lock.contains("https://github.com/"));
    let prose = "This must be called after the module has been linked; otherwise it will \
                 reject. The protocol must be non-zero. See https://github.com/rust-lang/rust \
                 and https://accounts.example.org/history for the history.";
    let links = "Fixed in https://github.com/rust-lang/rust/pull/12345; see the state: Ready \
                 note in https://github.com/rust-lang/rust/issues/1.";
    for text in [lock.as_str(), prose, links] {
        let d = diagnose(text, &Options::default());
        assert_eq!(d.vendor, None, "{}", &text[..60]);
        assert!(d.causes.is_empty(), "{:?}", d.causes.first());
    }
}

/// Every vendor message of the knowledge base, cut at several places and run into
/// what follows or precedes it, never panics: the matcher's paths that read a
/// template up to where the text stops (a literal without its blank, a placeholder
/// at the end, a message cut short) are taken with every template there is.
#[test]
fn every_message_cut_anywhere_never_panics() {
    let kb = oauth_doctor::core::kb::Kb::get();
    let mut texts = 0;
    let started = Instant::now();
    for t in kb.entries.iter().flat_map(|e| e.templates.iter()) {
        let chars: Vec<(usize, char)> = t.char_indices().collect();
        let n = chars.len();
        for cut in [n / 2, n.saturating_sub(1), n] {
            let at = chars.get(cut).map_or(t.len(), |c| c.0);
            let (head, tail) = t.split_at(at);
            for text in [
                head.to_string(),
                format!("{head}…"),
                format!("{head}\u{e9}\n{tail}"),
            ] {
                let _ = diagnose(&text, &Options::default());
                texts += 1;
            }
        }
    }
    println!(
        "{texts} cut messages diagnosed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
