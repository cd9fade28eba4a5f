//! The `oauth-doctor` binary as a terminal or CI job uses it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oauth-doctor"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // The binary may exit before reading stdin (usage errors); ignore a closed pipe.
    let _ = child.stdin.take().expect("stdin is piped").write_all(stdin);
    child.wait_with_output().expect("the binary ends")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn diagnose_json_keeps_its_contract() {
    let o = run(
        &["diagnose", "--json"],
        b"error=invalid_scope error_description='The following scopes are invalid: offline_access'",
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(v["error"], "invalid_scope");
    assert_eq!(
        v["error_description"],
        "The following scopes are invalid: offline_access"
    );
    assert_eq!(v["vendor"], "better-auth");
    assert_eq!(v["blamed_scopes"], serde_json::json!(["offline_access"]));
    assert!(v["vendor_codes"].is_array());
    assert!(v["scopes"]["tokens"].is_array() && v["scopes"]["problems"].is_array());
    let cause = &v["causes"][0];
    for key in ["entry", "tag", "title", "score", "evidence"] {
        assert!(!cause[key].is_null(), "cause lacks {key}: {cause}");
    }
}

#[test]
fn diagnose_reads_a_file_and_prints_a_report() {
    let dir = std::env::temp_dir().join(format!("oauth-doctor-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("error.txt");
    std::fs::write(&path, "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope Contacts.Read, Mail.Read is not valid.").expect("write");
    let o = run(&["diagnose", path.to_str().expect("utf-8 path")], b"");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    assert!(
        out.contains("AADSTS70011") && out.contains("scope.malformed"),
        "{out}"
    );

    std::fs::write(&path, [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    let o = run(&["diagnose", path.to_str().expect("utf-8 path")], b"");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("oauth-doctor: ") && err.contains("binary") && err.lines().count() == 1,
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_usage_and_missing_files_get_one_line() {
    for args in [
        &["diagnose", "/no/such/file"][..],
        &["frobnicate"],
        &["scope"],
        &["diagnose", "--wat"],
    ] {
        let o = run(args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn nothing_to_diagnose_exits_one_with_a_note() {
    let o = run(&["diagnose"], b"hello world, all is fine");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("no OAuth or OpenID Connect error"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn scope_command_points_at_the_character_and_compares() {
    let o = run(
        &[
            "scope",
            "openid,profile Offline_Access",
            "--allowed",
            "openid profile",
            "--json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let kinds: Vec<&str> = v["scope"]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"delimiter") && kinds.contains(&"case"),
        "{kinds:?}"
    );
    assert_eq!(v["scope"]["problems"][0]["span"], serde_json::json!([6, 7]));
    assert_eq!(
        v["comparison"]["not_allowed"],
        serde_json::json!(["openid,profile", "Offline_Access"])
    );

    let o = run(&["scope", "openid profile email"], b"");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn kb_lists_entries_with_causes() {
    let o = run(&["kb", "--json"], b"");
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let entries = v.as_array().expect("a list");
    assert!(entries.len() > 100);
    for e in entries {
        assert!(e["id"].is_string() && e["title"].is_string());
        for c in e["causes"].as_array().expect("causes") {
            assert!(c["tag"].is_string() && c["title"].is_string() && c["explanation"].is_string());
        }
    }
    let o = run(&["kb"], b"");
    assert!(stdout(&o).contains("error codes"));
}

#[test]
fn redact_removes_secrets() {
    let o = run(
        &["redact"],
        b"GET /cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz\nclient_secret=hunter2hunter2",
    );
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        !out.contains("SplxlOBeZQQYbYS6WxSbIA") && !out.contains("hunter2"),
        "{out}"
    );
    assert!(out.contains("state=xyz"));
}

#[test]
fn metadata_command_reports_and_exits_by_findings() {
    let path = format!(
        "{}/../shared/fixtures/discovery/google-oidc.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = run(
        &[
            "metadata",
            &path,
            "--url",
            "https://accounts.google.com/.well-known/openid-configuration",
            "--scope",
            "openid offline_access",
            "--json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["kind"], "oidc");
    assert_eq!(v["offline_access_advertised"], false);
    assert_eq!(
        v["unadvertised_scopes"],
        serde_json::json!(["offline_access"])
    );
    assert_eq!(v["pkce_s256"], true);
    assert!(v["problems"].as_array().is_some_and(|p| {
        p.iter()
            .all(|p| p["kind"].is_string() && p["message"].is_string())
    }));
    let o = run(&["metadata"], b"<html>not json</html>");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not JSON"));
}

#[test]
fn diagnose_takes_the_servers_metadata_as_evidence() {
    let path = format!(
        "{}/../shared/fixtures/discovery/google-oidc.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = run(
        &["diagnose", "--metadata", &path, "--json"],
        b"error=invalid_scope&error_description=Some+requested+scopes+were+invalid.+%7Binvalid%3D%5Boffline_access%5D%7D",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        v["causes"][0]["tag"], "scope.offline-access-rejected",
        "{}",
        v["causes"]
    );
    let o = run(
        &["diagnose", "--metadata", "/no/such/file"],
        b"error=invalid_scope",
    );
    assert_eq!(o.status.code(), Some(2));
}
