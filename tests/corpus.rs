//! Accuracy on the public corpus of real errors (`../shared/corpus/dev-cases.jsonl`).
//! Prints the figures and fails below the floors the project committed to.

use std::path::PathBuf;

use oauth_doctor::{Options, diagnose};
use serde_json::Value;

/// Floors (issue 2 and issue 4): error code right, true tag first, in the top 3,
/// vendor right.
const MIN_ERROR: f64 = 0.95;
const MIN_TOP1: f64 = 0.85;
const MIN_TOP3: f64 = 0.95;
const MIN_VENDOR: f64 = 0.90;

fn corpus_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("OAUTH_DOCTOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.join("../shared/corpus/dev-cases.jsonl"))
}

fn strings(v: &Value) -> Vec<Option<String>> {
    match v {
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        Value::String(s) => vec![Some(s.clone())],
        _ => vec![None],
    }
}

#[test]
fn corpus_accuracy() {
    let path = corpus_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the corpus {} is needed (shared/ beside the clone, or OAUTH_DOCTOR_CORPUS): {e}",
            path.display()
        )
    });
    let (mut n, mut error_ok, mut top1, mut top3, mut vendor_n, mut vendor_ok) = (0, 0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("corpus lines are JSON");
        let raw = case["raw"].as_str().unwrap_or_default();
        let d = diagnose(raw, &Options::default());
        n += 1;
        let error = d.error.as_ref().map(|e| e.to_string());
        let e_ok = strings(&case["error_ok"]).contains(&error);
        error_ok += e_ok as usize;
        let tags: Vec<Option<String>> = match &case["tag_ok"] {
            Value::Array(_) => strings(&case["tag_ok"]),
            _ => strings(&case["tag"]),
        };
        let ranked: Vec<Option<String>> = d.causes.iter().map(|c| Some(c.tag.clone())).collect();
        let t1 = ranked.first().is_some_and(|t| tags.contains(t));
        let t3 = ranked.iter().take(3).any(|t| tags.contains(t));
        top1 += t1 as usize;
        top3 += t3 as usize;
        let mut v_ok = true;
        if let Value::Array(_) = case["vendor_ok"] {
            vendor_n += 1;
            v_ok = strings(&case["vendor_ok"]).contains(&d.vendor);
            vendor_ok += v_ok as usize;
        }
        if !(e_ok && t1 && v_ok) {
            misses.push(format!(
                "  {}: error {:?}, vendor {:?}, causes {:?}",
                case["id"].as_str().unwrap_or("?"),
                error,
                d.vendor,
                ranked.iter().take(3).flatten().collect::<Vec<_>>()
            ));
        }
    }
    let pct = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    println!(
        "corpus ({n} cases): error code {:.1} %, true tag first {:.1} %, in top 3 {:.1} %, vendor {:.1} % ({vendor_n} scored)",
        100.0 * pct(error_ok, n),
        100.0 * pct(top1, n),
        100.0 * pct(top3, n),
        100.0 * pct(vendor_ok, vendor_n)
    );
    if !misses.is_empty() {
        println!("not fully right:\n{}", misses.join("\n"));
    }
    assert!(n >= 50, "the corpus has {n} cases; expected the full file");
    assert!(
        pct(error_ok, n) >= MIN_ERROR,
        "error code accuracy below {MIN_ERROR}"
    );
    assert!(pct(top1, n) >= MIN_TOP1, "true tag first below {MIN_TOP1}");
    assert!(
        pct(top3, n) >= MIN_TOP3,
        "true tag in top 3 below {MIN_TOP3}"
    );
    assert!(
        pct(vendor_ok, vendor_n) >= MIN_VENDOR,
        "vendor accuracy below {MIN_VENDOR}"
    );
}
