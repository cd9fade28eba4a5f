//! Diagnose throughput: `cargo bench`. A benchmark, not a test: it prints figures
//! (median of several runs) and asserts nothing, since machines differ.
//!
//! Cases: the public corpus, one 4 KB paste (a log excerpt around an error) and one
//! 1 MB paste (a long log with the error at the end).

use std::hint::black_box;
use std::time::{Duration, Instant};

use oauth_doctor::{Options, diagnose};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(rounds: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm up: builds the knowledge-base index once
    median(
        (0..rounds)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn paste(size: usize) -> String {
    let error = "{\"error\":\"invalid_scope\",\"error_description\":\"The following scopes are invalid: offline_access\"}\n";
    let line = "2026-11-23T10:00:00.123Z INFO  mcp.client connecting to https://mcp.example.com/mcp status=302 took=12ms\n";
    let mut text = line.repeat((size - error.len()) / line.len());
    text.push_str(error);
    text
}

fn main() {
    let corpus_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/dev-cases.jsonl"
    );
    let cases: Vec<String> = std::fs::read_to_string(corpus_path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["raw"].as_str().map(str::to_string))
        .collect();
    let options = Options::default();

    let first = Instant::now();
    black_box(diagnose("error=invalid_scope", &options));
    println!(
        "first call (loads and indexes the knowledge base): {:?}",
        first.elapsed()
    );

    if !cases.is_empty() {
        let bytes: usize = cases.iter().map(String::len).sum();
        let t = time(21, || {
            for c in &cases {
                black_box(diagnose(c, &options));
            }
        });
        println!(
            "corpus: {} cases ({} bytes) in {:?}: {:.0} µs per case",
            cases.len(),
            bytes,
            t,
            t.as_secs_f64() * 1e6 / cases.len() as f64
        );
    }
    for (label, size, rounds) in [("4 KB", 4 * 1024, 51), ("1 MB", 1024 * 1024, 7)] {
        let text = paste(size);
        let t = time(rounds, || {
            black_box(diagnose(&text, &options));
        });
        println!(
            "{label} paste: {:?} per diagnose ({:.0} MB/s)",
            t,
            text.len() as f64 / t.as_secs_f64() / 1e6
        );
    }
}
