//! Data-driven cases: `tests/cases/NAME.txt` in, `tests/cases/NAME.expected` out.

use std::fmt::Write;
use std::path::Path;

use oauth_doctor::core::redact::redact;
use oauth_doctor::core::scope;
use oauth_doctor::{Options, diagnose};

/// What a case shows: the answer a person reads first, in a stable text form.
fn summarize_diagnosis(input: &str) -> String {
    let d = diagnose(
        input,
        &Options {
            now: Some(1_800_000_000),
            ..Options::default()
        },
    );
    let mut out = String::new();
    let or_none = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    writeln!(
        out,
        "error: {}",
        or_none(d.error.as_ref().map(|e| e.to_string()))
    )
    .ok();
    writeln!(out, "description: {}", or_none(d.error_description.clone())).ok();
    writeln!(out, "vendor: {}", or_none(d.vendor.clone())).ok();
    writeln!(out, "vendor codes: {}", d.vendor_codes.join(" ")).ok();
    writeln!(out, "blamed scopes: {}", d.blamed_scopes.join(" | ")).ok();
    writeln!(out, "scope tokens: {}", d.scopes.tokens.join(" | ")).ok();
    for p in &d.scopes.problems {
        writeln!(
            out,
            "scope problem: {:?} {:?} {:?}",
            p.kind,
            p.severity,
            p.span.of(&d.scopes.text)
        )
        .ok();
    }
    for (i, c) in d.causes.iter().take(3).enumerate() {
        writeln!(out, "cause {}: {} ({})", i + 1, c.tag, c.entry).ok();
    }
    for j in &d.jwts {
        writeln!(
            out,
            "jwt: iss={:?} aud={:?} scopes={:?} expires_in={:?}",
            j.jwt.claims.iss, j.jwt.claims.aud, j.jwt.claims.scopes, j.expires_in
        )
        .ok();
    }
    let secrets: Vec<String> = d
        .secrets
        .iter()
        .map(|s| format!("{}={:?}", s.kind, s.span.of(input)))
        .collect();
    if !secrets.is_empty() {
        writeln!(out, "secrets: {}", secrets.join(", ")).ok();
        writeln!(out, "redacted: {}", redact(input).text.trim_end()).ok();
    }
    for n in &d.notes {
        writeln!(out, "note: {n}").ok();
    }
    out
}

fn summarize_scope(input: &str) -> String {
    // The first line may name a vendor: `vendor: google`.
    let (vendor, text) = match input.strip_prefix("vendor: ") {
        Some(rest) => {
            let (v, t) = rest.split_once('\n').unwrap_or((rest, ""));
            (Some(v.trim()), t)
        }
        None => (None, input),
    };
    let a = scope::parse_for(text, vendor);
    let mut out = String::new();
    writeln!(out, "tokens: {:?}", a.tokens).ok();
    for p in &a.problems {
        writeln!(
            out,
            "{:?} {:?} at {}..{} {:?} -> {:?}: {}",
            p.severity,
            p.kind,
            p.span.0,
            p.span.1,
            p.span.of(text),
            p.suggestion,
            p.message
        )
        .ok();
    }
    out
}

/// Compares `actual` with the expected file, or writes it under `UPDATE_EXPECT=1`.
pub fn check(expected_path: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected_path, actual).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(expected_path).map_err(|_| {
        format!(
            "{}: missing (run with UPDATE_EXPECT=1)",
            expected_path.display()
        )
    })?;
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{} differs\n--- expected\n{expected}--- actual\n{actual}",
            expected_path.display()
        ))
    }
}

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 20,
        "expected the case files under tests/cases"
    );
    let mut failures = Vec::new();
    for path in &names {
        let input = std::fs::read_to_string(path).expect("case files are UTF-8");
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let actual = if name.starts_with("scope-") {
            summarize_scope(input.strip_suffix('\n').unwrap_or(&input))
        } else {
            summarize_diagnosis(&input)
        };
        if let Err(e) = check(&path.with_extension("expected"), &actual) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}
