//! Large pastes (a whole log): the engine reads the lines that carry an OAuth signal,
//! with their neighbours, and blanks the rest. Blanking keeps every byte offset (each
//! byte of a skipped line becomes a space; newlines stay), so every span the engine
//! reports still points into the original text, and nothing needs remapping.
//!
//! Small pastes are read whole: this only changes what happens above
//! [`FOCUS_ABOVE`], where a full read would freeze the page.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::kb::Kb;

/// Pastes longer than this are focused.
pub const FOCUS_ABOVE: usize = 128 * 1024;
/// Lines kept before and after each line with a signal.
const CONTEXT_LINES: usize = 3;
/// At most this much of the kept lines is read: a paste dense with messages (a
/// megabyte of errors) would otherwise take seconds. The first quarter of the
/// budget goes to the first kept lines, the rest to the last ones, where a log's
/// failure usually ends it. The page reads less than the CLI: it must not freeze.
#[cfg(not(target_arch = "wasm32"))]
const READ_BUDGET: usize = 128 * 1024;
#[cfg(target_arch = "wasm32")]
const READ_BUDGET: usize = 32 * 1024;

/// Words that mark a line as part of an OAuth failure (ASCII, any case), besides
/// every vendor's markers and code prefixes from the knowledge base.
const SIGNALS: &[&str] = &[
    "error",
    "invalid",
    "denied",
    "unauthorized",
    "forbidden",
    "failed",
    "failure",
    "exception",
    "refused",
    "rejected",
    "not allowed",
    "not permitted",
    "expired",
    "scope",
    "scp",
    "oauth",
    "oidc",
    "openid",
    "token",
    "bearer",
    "eyj",
    "www-authenticate",
    "consent",
    "grant",
    "client_id",
    "client_secret",
    "client_assertion",
    "redirect_uri",
    "redirect uri",
    "audience",
    "resource",
    "issuer",
    "pkce",
    "code_challenge",
    "code_verifier",
    "state=",
    "nonce",
    "realm",
    "tenant",
    "authorize",
    "/.well-known/",
    "aadsts",
];

/// The text the engine reads.
#[derive(Debug)]
pub struct Focused {
    /// Same length as the input; skipped lines are spaces.
    pub text: String,
    pub lines_read: usize,
    pub lines_total: usize,
}

fn signals() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        let kb = Kb::get();
        let mut patterns: Vec<String> = SIGNALS.iter().map(|s| s.to_string()).collect();
        for v in &kb.vendors {
            patterns.extend(v.markers.iter().filter(|m| m.is_ascii()).cloned());
            patterns.extend(v.code_prefixes.iter().cloned());
        }
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(&patterns)
            .expect("signal words are valid patterns")
    })
}

/// The lines of `text` around OAuth signals, the rest blanked. `None` when the text
/// is short enough to read whole.
pub fn focus(text: &str) -> Option<Focused> {
    if text.len() <= FOCUS_ABOVE {
        return None;
    }
    let bytes = text.as_bytes();
    let mut line_starts = vec![0usize];
    line_starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    let lines_total = line_starts.len();
    let mut keep = vec![false; lines_total];
    let mut last_line = usize::MAX;
    for m in signals().find_iter(text) {
        let line = line_starts.partition_point(|&s| s <= m.start()) - 1;
        if line == last_line {
            continue;
        }
        last_line = line;
        let from = line.saturating_sub(CONTEXT_LINES);
        let to = (line + CONTEXT_LINES).min(lines_total - 1);
        keep[from..=to].iter_mut().for_each(|k| *k = true);
    }
    let line_len =
        |i: usize| line_starts.get(i + 1).copied().unwrap_or(bytes.len()) - line_starts[i];
    let kept: usize = (0..lines_total).filter(|&i| keep[i]).map(line_len).sum();
    let kept_lines = keep.iter().filter(|&&k| k).count();
    if kept > READ_BUDGET && kept_lines > 1 {
        let mut head = 0;
        let mut first_dropped = lines_total;
        for i in (0..lines_total).filter(|&i| keep[i]) {
            if head + line_len(i) > READ_BUDGET / 4 {
                first_dropped = i;
                break;
            }
            head += line_len(i);
        }
        let mut tail = 0;
        let mut last_dropped = first_dropped;
        for i in (first_dropped..lines_total).rev().filter(|&i| keep[i]) {
            // The last kept line is read whatever its length.
            if tail > 0 && tail + line_len(i) > READ_BUDGET - head {
                last_dropped = i;
                break;
            }
            tail += line_len(i);
        }
        keep[first_dropped..=last_dropped.min(lines_total - 1)]
            .iter_mut()
            .for_each(|k| *k = false);
    }
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &start) in line_starts.iter().enumerate() {
        let end = line_starts.get(i + 1).copied().unwrap_or(bytes.len());
        let line = &bytes[start..end];
        if keep[i] {
            out.extend_from_slice(line);
        } else {
            out.extend(line.iter().map(|&b| if b == b'\n' { b'\n' } else { b' ' }));
        }
    }
    // Kept lines are whole lines of valid UTF-8 (cut at '\n'); the rest is ASCII.
    let text = String::from_utf8(out).ok()?;
    Some(Focused {
        text,
        lines_read: keep.iter().filter(|&&k| k).count(),
        lines_total,
    })
}
