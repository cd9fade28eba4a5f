//! The knowledge base's promises: every example ranks its own entry first, every
//! registered code has an entry, tags are the shared vocabulary, templates are unique.

use std::collections::BTreeSet;
use std::path::Path;

use oauth_doctor::core::error_code::ErrorCode;
use oauth_doctor::core::kb::{EntryKind, Kb, TAGS};
use oauth_doctor::{Options, diagnose};

#[test]
fn every_example_ranks_its_entry_first() {
    let kb = Kb::get();
    let mut failures = Vec::new();
    let mut examples = 0;
    for e in &kb.entries {
        for ex in &e.examples {
            examples += 1;
            let d = diagnose(ex, &Options::default());
            let top = d.causes.first().map(|c| c.entry.as_str());
            if top != Some(e.id.as_str()) && !e.aliases.iter().any(|a| Some(a.as_str()) == top) {
                failures.push(format!(
                    "{}: first cause comes from {top:?} for {ex:?}",
                    e.id
                ));
            }
        }
    }
    assert!(
        examples >= 100,
        "only {examples} examples in the knowledge base"
    );
    assert!(
        failures.is_empty(),
        "{} of {examples} examples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_registered_code_has_an_entry() {
    let kb = Kb::get();
    let missing: Vec<&str> = ErrorCode::REGISTERED
        .iter()
        .map(ErrorCode::as_str)
        .filter(|c| kb.code_entry(c).is_none())
        .collect();
    assert!(missing.is_empty(), "codes without an entry: {missing:?}");
    for e in kb.entries.iter().filter(|e| e.kind == EntryKind::Code) {
        let spec = e.spec.as_deref().unwrap_or_default();
        assert!(
            spec.contains('§') || spec.contains("Section"),
            "{}: spec {spec:?} names no section",
            e.id
        );
    }
}

#[test]
fn tags_are_the_shared_vocabulary() {
    // The vocabulary file lives in shared/, beside the repository.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/cause-tags.md");
    let text = std::fs::read_to_string(&path).expect("shared/cause-tags.md beside the repository");
    let shared: BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let ours: BTreeSet<&str> = TAGS.iter().copied().collect();
    let dropped: Vec<_> = shared.difference(&ours).collect();
    assert!(
        dropped.is_empty(),
        "tags of shared/cause-tags.md missing from TAGS: {dropped:?}"
    );
}

#[test]
fn ids_templates_and_sources_are_sound() {
    let kb = Kb::get();
    let mut templates = BTreeSet::new();
    for e in &kb.entries {
        for t in &e.templates {
            assert!(
                templates.insert(t.to_lowercase()),
                "template used twice: {t:?} (in {})",
                e.id
            );
        }
        if e.kind == EntryKind::Message {
            assert!(
                e.source.as_deref().is_some_and(|s| !s.is_empty()),
                "{}: no source",
                e.id
            );
        }
        for c in &e.causes {
            assert!(
                !c.fix.trim().is_empty() && !c.explanation.trim().is_empty(),
                "{}: empty cause text",
                e.id
            );
        }
        // Permalinks resolve, and so do their aliases.
        assert_eq!(kb.entry(&e.id).map(|x| &x.id), Some(&e.id));
        for a in &e.aliases {
            assert_eq!(kb.entry(a).map(|x| &x.id), Some(&e.id));
        }
    }
}

/// A fix says what to change and where, and then how to tell it worked: a person who
/// followed it knows whether to look further.
#[test]
fn every_fix_says_how_to_confirm_it_worked() {
    let kb = Kb::get();
    let unconfirmed: Vec<String> = kb
        .entries
        .iter()
        .flat_map(|e| e.causes.iter().map(move |c| (e, c)))
        .filter(|(_, c)| {
            let fix = c.fix.to_lowercase();
            !(fix.contains("confirm") || fix.contains("verify"))
        })
        .map(|(e, c)| format!("{} ({})", e.id, c.tag))
        .collect();
    assert!(
        unconfirmed.is_empty(),
        "{} fixes do not say how to confirm they worked (`Confirm ...`):\n{}",
        unconfirmed.len(),
        unconfirmed.join("\n")
    );
}

/// The page's build leaves the causes' prose out and loads `prose.json` after its
/// first paint: what it loads gives every cause back its own words, and prose of
/// another build (other causes) is not used.
#[test]
fn the_prose_file_gives_every_cause_its_words_back() {
    use oauth_doctor::core::kb::{KbData, load_prose, prose_json};
    let full = Kb::get();
    let mut entries = full.entries.clone();
    for e in &mut entries {
        for c in &mut e.causes {
            c.explanation.clear();
            c.fix.clear();
            c.steps.clear();
        }
    }
    let bare = Kb::from_data(KbData {
        vendors: full.vendors.clone(),
        entries,
        examples: full.examples.clone(),
    });
    let json = prose_json(full);
    assert!(load_prose("{not json").is_err());
    // Once per process; another test may have loaded the same document first.
    let _ = load_prose(&json);
    let mut checked = 0;
    for (e, full_e) in bare.entries.iter().zip(&full.entries) {
        for (c, full_c) in e.causes.iter().zip(&full_e.causes) {
            let (explanation, fix, steps) = bare.cause_prose(e, c);
            assert_eq!(explanation, full_c.explanation, "{}", e.id);
            assert_eq!(fix, full_c.fix, "{}", e.id);
            assert_eq!(steps.len(), full_c.steps.len(), "{}", e.id);
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} causes");
    // An entry whose causes differ from the loaded document's gets no words.
    let mut other = bare.entries[0].clone();
    other.causes.push(other.causes[0].clone());
    let last = other.causes.last().expect("just pushed");
    let (explanation, fix, steps) = bare.cause_prose(&other, last);
    assert!(explanation.is_empty() && fix.is_empty() && steps.is_empty());
}

#[test]
fn the_pages_gallery_is_embedded_whole_and_each_example_is_diagnosed() {
    // The page shows the gallery before its engine (and the knowledge base) loads:
    // build.rs writes it as Rust literals, which must keep every byte of the TOML.
    use oauth_doctor::core::kb::{GALLERY, GALLERY_TEXTS, gallery_text};
    assert!(GALLERY.len() >= 5, "{} examples", GALLERY.len());
    assert_eq!(GALLERY_TEXTS.len(), GALLERY.len());
    let ids: std::collections::HashSet<_> = GALLERY.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), GALLERY.len(), "example ids are unique");
    assert!(
        GALLERY_TEXTS
            .iter()
            .any(|t| t.contains('\n') && t.contains('"')),
        "multi-line JSON examples survive the literals"
    );
    for e in GALLERY {
        assert!(!e.title.is_empty() && !e.source.is_empty(), "{}", e.id);
        let text = gallery_text(e.id).expect("every example has its text");
        let d = diagnose(text, &Options::default());
        assert!(!d.causes.is_empty(), "the example {} gives a cause", e.id);
    }
    assert_eq!(gallery_text("no-such-example"), None);
    let kb: Vec<(&str, &str)> = Kb::get()
        .examples
        .iter()
        .map(|e| (e.id.as_str(), e.text.as_str()))
        .collect();
    let embedded: Vec<(&str, &str)> = GALLERY
        .iter()
        .map(|e| e.id)
        .zip(GALLERY_TEXTS.iter().copied())
        .collect();
    assert_eq!(kb, embedded);
}
