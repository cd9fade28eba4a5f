//! The knowledge-base filter: words find entries, vendors and tags; a whole error
//! message finds the entry whose template it is.

use oauth_doctor::core::kb::Kb;
use oauth_doctor::core::search::search;

fn ids(kb: &Kb, list: &[usize]) -> Vec<String> {
    list.iter().map(|&i| kb.entries[i].id.clone()).collect()
}

#[test]
fn an_empty_filter_lists_everything() {
    let kb = Kb::get();
    let r = search(kb, "  ");
    assert_eq!(r.by_words.len(), kb.entries.len());
    assert_eq!(r.vendors.len(), kb.vendors.len());
    // Codes first.
    assert!(r.by_words[0] < kb.entries.len() && kb.entries[r.by_words[0]].id.starts_with("code."));
}

#[test]
fn words_narrow_to_the_entries_that_have_them_all() {
    let kb = Kb::get();
    let r = search(kb, "Keycloak scope");
    let found = ids(kb, &r.by_words);
    assert!(
        found.contains(&"keycloak.invalid-scopes".to_string()),
        "{found:?}"
    );
    assert!(found.iter().all(|id| {
        let e = kb.entry(id).expect("entry");
        let text = format!("{e:?}").to_lowercase();
        text.contains("keycloak") && text.contains("scope")
    }));
    // Keycloak itself first, then any product named after it or whose name says it
    // works with it (Rancher's Keycloak OIDC provider), and nothing else.
    let vendors: Vec<(&str, &str)> = r
        .vendors
        .iter()
        .map(|&i| (kb.vendors[i].id.as_str(), kb.vendors[i].name.as_str()))
        .collect();
    assert_eq!(
        vendors.first().map(|v| v.0),
        Some("keycloak"),
        "{vendors:?}"
    );
    assert!(
        vendors
            .iter()
            .all(|(id, name)| id.contains("keycloak") || name.contains("Keycloak")),
        "{vendors:?}"
    );
    assert!(
        search(kb, "offline-access")
            .tags
            .contains(&"scope.offline-access-rejected")
    );
    assert!(
        search(kb, "invalid_target")
            .by_words
            .iter()
            .any(|&i| kb.entries[i].id == "code.invalid_target")
    );
    assert!(search(kb, "zzzz no such thing").is_empty());
    // Common words do not name vendors.
    assert!(search(kb, "for the value").vendors.is_empty());
}

#[test]
fn a_whole_error_message_finds_its_entry() {
    let kb = Kb::get();
    let r = search(
        kb,
        "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://graph.microsoft.com/.default offline_access is not valid.",
    );
    let found = ids(kb, &r.by_message);
    assert!(found.iter().any(|id| id.starts_with("entra.")), "{found:?}");
    let r = search(kb, "The following scopes are invalid: offline_access");
    assert!(!r.by_message.is_empty());
}

#[test]
fn a_huge_or_odd_query_is_bounded_and_safe() {
    let kb = Kb::get();
    let big = "é invalid scope ".repeat(100_000);
    let _ = search(kb, &big);
    let _ = search(kb, "\u{0}<script>alert(1)</script>");
}
