//! The ranking: candidate causes with their scores and evidence, boosts and
//! orderings between readings, and the fix templates filled from the paste.

use crate::core::extract::Extraction;
use crate::core::kb::{Cause, Entry, EntryKind, Kb};
use crate::core::metadata::MetadataReport;
use crate::core::scope::{self, ProblemKind, ScopeAnalysis, Severity};
use crate::core::sort;
use crate::core::text::normalize;

use super::scopes::{MALFORMED_KINDS, ScopeSignals};
use super::{Evidence, FilledStep, RankedCause, round2};

/// Collects cause candidates and keeps the best per tag.
#[derive(Default)]
pub(super) struct Ranker<'a> {
    candidates: Vec<Candidate<'a>>,
}

struct Candidate<'a> {
    entry: &'a Entry,
    cause: &'a Cause,
    score: f32,
    evidence: Vec<Evidence>,
}

impl<'a> Ranker<'a> {
    pub(super) fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    /// The best score so far and its cause's tag, if any cause is in.
    pub(super) fn best(&self) -> Option<(f32, &'a str)> {
        self.candidates
            .iter()
            .max_by(|a, b| a.score.total_cmp(&b.score))
            .map(|c| (c.score, c.cause.tag.as_str()))
    }

    /// Whether a cause of `tag` is in.
    pub(super) fn has_tag(&self, tag: &str) -> bool {
        self.candidates.iter().any(|c| c.cause.tag == tag)
    }

    /// One cause of an entry, scored as given.
    pub(super) fn add_cause(
        &mut self,
        entry: &'a Entry,
        cause: &'a Cause,
        score: f32,
        ev: Evidence,
    ) {
        self.candidates.push(Candidate {
            entry,
            cause,
            score,
            evidence: vec![ev],
        });
    }

    pub(super) fn add_entry(
        &mut self,
        entry: &'a Entry,
        quality: f32,
        ev: Evidence,
        signals: &ScopeSignals,
        present_words: &[&str],
        scopes: &ScopeAnalysis,
    ) {
        for cause in &entry.causes {
            let mut score = quality * (0.5 + 0.5 * cause.weight);
            // Signals refine a match; they cannot make a weak match strong.
            let scale = quality.min(1.0);
            let mut evidence = vec![ev.clone()];
            if let Some(s) = cause
                .when_scopes
                .iter()
                .find(|s| signals.blamed.contains(s))
            {
                score += 0.18 * scale;
                evidence.push(Evidence {
                    what: format!("the message names the scope {s}"),
                    span: None,
                });
            } else if let Some(s) = cause
                .when_scopes
                .iter()
                .find(|s| signals.requested.contains(s))
            {
                score += 0.1 * scale;
                evidence.push(Evidence {
                    what: format!("the request asks for {s}"),
                    span: None,
                });
            } else if !cause
                .when_scopes
                .iter()
                .any(|s| signals.mentioned.contains(s))
                && !cause.when_scopes.is_empty()
            {
                // The scopes that make this cause likelier are nowhere in the text:
                // between equals, the other reading goes first.
                score -= 0.03 * scale;
            }
            if let Some(w) = cause
                .when_words
                .iter()
                .find(|w| present_words.contains(&normalize(w).as_str()))
            {
                // A registered code's entry has only the text's words to tell its
                // causes apart; a vendor message has its own wording already.
                score += if entry.kind == EntryKind::Code {
                    0.25
                } else {
                    0.12
                } * scale;
                evidence.push(Evidence {
                    what: format!("the text says \"{w}\""),
                    span: None,
                });
            }
            score +=
                scope_problem_boost(&cause.tag, scopes, signals, &mut evidence) * scale.max(0.6);
            self.candidates.push(Candidate {
                entry,
                cause,
                score,
                evidence,
            });
        }
    }

    /// Keeps every candidate of `entry` under the best of `cover`.
    pub(super) fn cap_under(&mut self, entry: &Entry, cover: &Entry) {
        let Some(top) = self
            .candidates
            .iter()
            .filter(|c| std::ptr::eq(c.entry, cover))
            .map(|c| c.score)
            .reduce(f32::max)
        else {
            return;
        };
        for c in self
            .candidates
            .iter_mut()
            .filter(|c| std::ptr::eq(c.entry, entry))
        {
            c.score = c.score.min(top - 0.01);
        }
    }

    /// Raises every candidate of `tag`; returns whether there was one.
    pub(super) fn boost(&mut self, tag: &str, amount: f32, ev: &Evidence) -> bool {
        let mut any = false;
        for c in self.candidates.iter_mut().filter(|c| c.cause.tag == tag) {
            c.score += amount;
            if !ev.what.is_empty() && !c.evidence.contains(ev) {
                c.evidence.push(ev.clone());
            }
            any = true;
        }
        any
    }

    pub(super) fn finish(
        self,
        kb: &Kb,
        vendor: Option<&str>,
        context: &FillContext,
    ) -> Vec<RankedCause> {
        let mut by_tag: Vec<Candidate<'a>> = Vec::new();
        for c in self.candidates {
            match by_tag.iter_mut().find(|b| b.cause.tag == c.cause.tag) {
                Some(b) => {
                    // One cause per tag: the best score, told by the detected
                    // vendor's entry when it has one (its fix is the one that
                    // applies), else by the best-scoring entry.
                    let ours = |e: &Entry| vendor.is_some() && e.vendor.as_deref() == vendor;
                    let take = if ours(c.entry) != ours(b.entry) {
                        ours(c.entry)
                    } else {
                        c.score > b.score
                    };
                    let score = b.score.max(c.score);
                    let mut extra = c.evidence.clone();
                    if take {
                        extra = std::mem::take(&mut b.evidence);
                        b.entry = c.entry;
                        b.cause = c.cause;
                        b.evidence = c.evidence;
                    }
                    b.score = score;
                    for e in extra {
                        if !b.evidence.contains(&e) && b.evidence.len() < 6 {
                            b.evidence.push(e);
                        }
                    }
                }
                None => by_tag.push(c),
            }
        }
        sort::sort_by(&mut by_tag, |a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.cause.weight.total_cmp(&a.cause.weight))
                .then(a.cause.tag.cmp(&b.cause.tag))
        });
        by_tag
            .into_iter()
            .map(|c| {
                let (explanation, fix, steps) = kb.cause_prose(c.entry, c.cause);
                RankedCause {
                    entry: c.entry.id.clone(),
                    tag: c.cause.tag.clone(),
                    title: c.cause.title.clone(),
                    score: round2(c.score.clamp(0.0, 1.0)),
                    explanation: explanation.to_string(),
                    fix: fix.to_string(),
                    spec: c.cause.spec.clone().or_else(|| c.entry.spec.clone()),
                    steps: steps
                        .iter()
                        .filter(|s| {
                            vendor.is_none() || s.vendor.is_none() || s.vendor.as_deref() == vendor
                        })
                        .map(|s| FilledStep {
                            vendor: s.vendor.clone(),
                            text: s.text.clone(),
                            command: s.command.as_deref().map(|cmd| context.fill(cmd)),
                        })
                        .collect(),
                    evidence: c.evidence,
                }
            })
            .collect()
    }
}

/// Scopes the paste names that the server's metadata does not advertise: for
/// `offline_access`, the server does not offer refresh tokens that way; for any
/// other, the server does not know the scope.
pub(super) fn metadata_evidence<'a>(
    kb: &'a Kb,
    m: &MetadataReport,
    signals: &ScopeSignals,
    ranker: &mut Ranker<'a>,
    present_words: &[&str],
    scopes: &ScopeAnalysis,
) {
    let Some(supported) = &m.scopes_supported else {
        return;
    };
    let named = signals.blamed.iter().chain(&signals.requested);
    for token in named.filter(|t| !t.is_empty() && !supported.contains(t)) {
        let tag = if scope::OFFLINE_SCOPES.contains(&token.as_str()) {
            "scope.offline-access-rejected"
        } else {
            "scope.unknown"
        };
        let ev = Evidence {
            what: format!("the server's metadata does not advertise {token} in scopes_supported"),
            span: None,
        };
        if !ranker.boost(tag, 0.3, &ev)
            && let Some(entry) = kb.code_entry("invalid_scope")
        {
            ranker.add_entry(entry, 0.5, ev, signals, present_words, scopes);
            ranker.boost(
                tag,
                0.3,
                &Evidence {
                    what: String::new(),
                    span: None,
                },
            );
        }
    }
}

fn scope_problem_boost(
    tag: &str,
    scopes: &ScopeAnalysis,
    signals: &ScopeSignals,
    evidence: &mut Vec<Evidence>,
) -> f32 {
    // A message that names one scope and names nothing (`Client was not registered
    // with scope ` and the line ends) blames an empty token: a leading, trailing or
    // double blank in the scope string, not an empty scope parameter.
    let empty_token = signals.blamed.iter().any(String::is_empty);
    if tag == "scope.malformed" && empty_token {
        evidence.push(Evidence {
            what: "the message names an empty scope token: the scope string has a leading, \
                   trailing or double blank (RFC 6749 §3.3)"
                .into(),
            span: None,
        });
        return 0.25;
    }
    let serious = |kinds: &[ProblemKind]| {
        scopes
            .problems
            .iter()
            .find(|p| p.severity >= Severity::Warning && kinds.contains(&p.kind))
    };
    let found = match tag {
        "scope.malformed" => serious(MALFORMED_KINDS),
        // The scope the request or the message shows is empty (Keycloak's
        // `Invalid scopes: ` with nothing after it).
        "scope.missing" if !empty_token => serious(&[ProblemKind::Empty]),
        "scope.offline-access-rejected" | "scope.resource-mismatch" => scopes
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::Vendor && p.severity == Severity::Error)
            .filter(|p| {
                let about_offline = p.message.contains("offline_access");
                (tag == "scope.offline-access-rejected") == about_offline
            }),
        _ => None,
    };
    match found {
        Some(p) => {
            evidence.push(Evidence {
                what: format!("scope problem: {}", p.message),
                span: None,
            });
            0.25
        }
        None => 0.0,
    }
}

/// Values from the paste that fill fix commands.
pub(super) struct FillContext {
    values: Vec<(&'static str, String)>,
}

impl FillContext {
    pub(super) fn new(
        x: &Extraction,
        blamed: &[String],
        scopes: &ScopeAnalysis,
        text: &str,
    ) -> FillContext {
        let mut values = Vec::new();
        let field = |k: &str| x.best(k).map(|f| f.value.clone());
        if let Some(v) = field("client_id") {
            values.push(("client_id", v));
        }
        if let Some(v) = blamed.iter().find(|b| !b.is_empty()) {
            values.push(("scope", v.clone()));
        }
        if !scopes.tokens.is_empty() {
            values.push(("scopes", scopes.tokens.join(" ")));
        }
        if let Some(v) = field("iss").or_else(|| x.jwts.iter().find_map(|j| j.claims.iss.clone())) {
            values.push(("issuer", v));
        }
        if let Some(v) = field("redirect_uri") {
            values.push(("redirect_uri", v));
        }
        if let Some(v) = field("resource").or_else(|| field("audience")) {
            values.push(("resource", v));
        }
        if let Some(v) = path_after(text, "/realms/") {
            values.push(("realm", v));
        } else if let Some(v) = field("realm") {
            values.push(("realm", v));
        }
        if let Some(v) = path_after(text, "login.microsoftonline.com/") {
            values.push(("tenant", v));
        }
        FillContext { values }
    }

    /// Replaces each known `{name}` in a command; unknown ones stay visible.
    fn fill(&self, command: &str) -> String {
        let mut out = command.to_string();
        for (name, value) in &self.values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        if command.contains("{scopes}") {
            out = without_repeated_scopes(command, &out);
        }
        out
    }
}

/// A quoted scope list in a filled command names each scope once: a command that
/// adds `openid offline_access` to the requested `{scopes}` must not repeat the
/// ones the request already had (`--scope "openid offline_access openid mcp"`).
/// Only the quoted parts of `template` that hold `{scopes}` are touched, and only
/// where filling added no quote.
fn without_repeated_scopes(template: &str, filled: &str) -> String {
    if template.matches('"').count() != filled.matches('"').count() {
        return filled.to_string();
    }
    let lists: Vec<bool> = template
        .split('"')
        .enumerate()
        .map(|(i, part)| i % 2 == 1 && part.contains("{scopes}"))
        .collect();
    let mut out = String::with_capacity(filled.len());
    for (i, part) in filled.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if lists.get(i).copied().unwrap_or(false) {
            let mut seen: Vec<&str> = Vec::new();
            for token in part.split(' ').filter(|t| !t.is_empty()) {
                if !seen.contains(&token) {
                    seen.push(token);
                }
            }
            out.push_str(&seen.join(" "));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The path segment after `marker` in the text (`/realms/<realm>/`).
fn path_after(text: &str, marker: &str) -> Option<String> {
    let at = text.find(marker)? + marker.len();
    let seg: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!seg.is_empty() && seg.len() < 80).then_some(seg)
}

#[cfg(test)]
mod tests {
    use super::without_repeated_scopes;

    #[test]
    fn a_filled_scope_list_names_each_scope_once() {
        let template = r#"hydra update oauth2-client {client_id} --scope "openid offline_access {scopes}" --name "a a""#;
        assert_eq!(
            without_repeated_scopes(
                template,
                r#"hydra update oauth2-client app --scope "openid offline_access openid mcp:tools" --name "a a""#
            ),
            r#"hydra update oauth2-client app --scope "openid offline_access mcp:tools" --name "a a""#
        );
        // A value that brought a quote of its own leaves the command as filled.
        let odd = r#"hydra update oauth2-client a"b --scope "openid openid" --name "a a""#;
        assert_eq!(without_repeated_scopes(template, odd), odd);
    }
}
