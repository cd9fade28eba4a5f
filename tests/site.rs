//! The static knowledge-base pages (`oauth-doctor site`): one per entry, vendor and
//! cause tag, with the entry's fixes, escaped, and links that land on pages.

use std::collections::BTreeSet;

use oauth_doctor::core::kb::{Kb, TAGS};
use oauth_doctor::site::{
    Page, entry_path, esc, pages, prose, tag_meanings, tag_path, vendor_path,
};

fn site(base: &str) -> Vec<Page> {
    pages(Kb::get(), &["main-0123.css".to_string()], base)
}

fn find<'a>(pages: &'a [Page], path: &str) -> &'a Page {
    pages
        .iter()
        .find(|p| p.path == format!("{path}index.html"))
        .unwrap_or_else(|| panic!("no page {path}"))
}

#[test]
fn every_entry_has_its_page_with_its_fixes() {
    let kb = Kb::get();
    let pages = site("/");
    for e in &kb.entries {
        let page = find(&pages, &entry_path(e));
        assert!(page.html.contains(&esc(&e.title)), "{}: title", e.id);
        for c in &e.causes {
            assert!(
                page.html.contains(&prose(&c.fix)),
                "{}: fix of {}",
                e.id,
                c.tag
            );
            assert!(
                page.html
                    .contains(&format!("href=\"../../{}\"", tag_path(&c.tag))),
                "{}",
                e.id
            );
        }
        for t in &e.templates {
            assert!(page.html.contains(&esc(t)), "{}: template {t}", e.id);
        }
    }
    for v in &kb.vendors {
        assert!(
            find(&pages, &vendor_path(&v.id))
                .html
                .contains(&esc(&v.name))
        );
    }
    for tag in TAGS {
        find(&pages, &tag_path(tag));
    }
    assert_eq!(
        find(&pages, "errors/invalid_scope/").path,
        "errors/invalid_scope/index.html"
    );
}

#[test]
fn every_relative_link_lands_on_a_page() {
    let pages = site("/");
    let paths: BTreeSet<String> = pages.iter().map(|p| p.path.clone()).collect();
    let mut broken = Vec::new();
    for page in &pages {
        if page.path == "404.html" {
            continue;
        }
        let dir: Vec<&str> = page.path.split('/').filter(|s| !s.is_empty()).collect();
        let dir = &dir[..dir.len() - 1];
        for href in page
            .html
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            if href.starts_with("http") || href.starts_with("data:") || href.ends_with(".css") {
                continue;
            }
            let mut at: Vec<&str> = dir.to_vec();
            for part in href.split('/').filter(|s| !s.is_empty()) {
                if part == ".." {
                    at.pop();
                } else {
                    at.push(part);
                }
            }
            let target = if at.is_empty() {
                "index.html".to_string()
            } else {
                format!("{}/index.html", at.join("/"))
            };
            if target != "index.html" && !paths.contains(&target) {
                broken.push(format!("{} -> {href}", page.path));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links, first: {:?}",
        broken.len(),
        &broken[..broken.len().min(10)]
    );
}

#[test]
fn pages_escape_what_they_show() {
    let pages = site("/");
    // Commands keep their <placeholders> as text.
    let with_placeholder = pages
        .iter()
        .find(|p| p.html.contains("&lt;client-uuid&gt;"))
        .expect("a command with a placeholder");
    assert!(!with_placeholder.html.contains("<client-uuid>"));
    // The only script is the app's loader, from the site's own files.
    for p in &pages {
        for script in p.html.split("<script").skip(1) {
            let tag = script.split("</script>").next().unwrap_or("");
            assert!(
                tag.starts_with(r#" type="module" src=""#) && tag.ends_with(r#"loader.js">"#),
                "{}: <script{tag}",
                p.path
            );
        }
    }
}

#[test]
fn the_404_page_links_under_the_base_path() {
    let pages = site("/tools/oauth-doctor");
    let nf = pages
        .iter()
        .find(|p| p.path == "404.html")
        .expect("404.html");
    assert!(
        nf.html.contains("href=\"/tools/oauth-doctor/kb/\""),
        "{}",
        nf.html
    );
    assert!(
        nf.html
            .contains("href=\"/tools/oauth-doctor/main-0123.css\"")
    );
}

#[test]
fn tag_meanings_are_the_shared_vocabulary() {
    let shared = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/cause-tags.md"
    ))
    .expect("shared/cause-tags.md");
    let ours = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/kb/cause-tags.md"))
        .expect("kb copy");
    assert_eq!(
        ours, shared,
        "kb/cause-tags.md is a copy of shared/cause-tags.md: copy it again"
    );
    let meanings = tag_meanings();
    for tag in TAGS {
        assert!(
            meanings.get(tag).is_some_and(|m| m.len() > 20),
            "{tag} has no meaning"
        );
    }
}

#[test]
fn a_renamed_entry_keeps_its_old_permalink_as_a_redirect() {
    use oauth_doctor::core::kb::KbData;
    let kb = Kb::get();
    let mut entries = kb.entries.clone();
    let renamed = entries
        .iter_mut()
        .find(|e| e.id == "keycloak.invalid-scopes")
        .expect("entry");
    renamed.aliases.push("keycloak.old-name".into());
    let kb = Kb::from_data(KbData {
        vendors: kb.vendors.clone(),
        entries,
        examples: Vec::new(),
    });
    assert_eq!(
        kb.entry("keycloak.old-name").map(|e| e.id.as_str()),
        Some("keycloak.invalid-scopes")
    );
    let pages = pages(&kb, &[], "/");
    let old = find(&pages, "messages/keycloak.old-name/");
    assert!(
        old.html
            .contains(r#"content="0; url=../../messages/keycloak.invalid-scopes/""#),
        "{}",
        old.html
    );
    assert!(
        old.html
            .contains(r#"href="../../messages/keycloak.invalid-scopes/""#)
    );
}

#[test]
fn a_renamed_vendor_keeps_its_old_page_as_a_redirect() {
    let kb = Kb::get();
    let renamed = kb
        .vendors
        .iter()
        .find(|v| v.aliases.iter().any(|a| a == "social-core"))
        .expect("python-social-auth was social-core");
    assert_eq!(renamed.id, "python-social-auth");
    let pages = pages(kb, &[], "/");
    let old = find(&pages, "vendors/social-core/");
    assert!(
        old.html
            .contains(r#"content="0; url=../../vendors/python-social-auth/""#),
        "{}",
        old.html
    );
    find(&pages, "vendors/python-social-auth/");
}

#[test]
fn the_loader_imports_the_build_relative_to_itself() {
    use oauth_doctor::site::loader_js;
    // The engine's files (a worker's, unhashed) sort first; the page's wasm is the
    // other one.
    let files = [
        "index.html",
        "oauth-doctor-engine.js",
        "oauth-doctor-engine_bg.wasm",
        "oauth-doctor-engine_loader.js",
        "app-1a2b_bg.wasm",
        "app-1a2b.js",
        "main-9.css",
    ]
    .map(String::from);
    let js = loader_js(&files).expect("a loader");
    assert!(js.contains(r#"import init from "./app-1a2b.js";"#), "{js}");
    assert!(
        js.contains(r#"new URL("./app-1a2b_bg.wasm", import.meta.url)"#),
        "{js}"
    );
    assert_eq!(loader_js(&["index.html".to_string()]), None);
    // The page starts the engine by this name; Trunk derives it from the binary's.
    let (bin, loader) = (
        oauth_doctor::site::ENGINE_BIN,
        oauth_doctor::site::ENGINE_LOADER,
    );
    assert_eq!(loader, format!("{bin}_loader.js"));
}

#[test]
fn a_new_engine_is_a_new_service_worker_cache() {
    use oauth_doctor::site::service_worker;
    let version = |sw: &str| {
        sw.split("const VERSION = \"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .map(str::to_string)
            .expect("a version")
    };
    let files = [
        "index.html",
        "app-1a2b_bg.wasm",
        "app-1a2b.js",
        "oauth-doctor-engine_bg.wasm",
    ]
    .map(String::from);
    // The engine's files carry no hash in their names (Trunk names a worker after its
    // binary): their content must change the cache's name, as the prose's does.
    let a = service_worker(&files, &[b"{}", b"engine one"]);
    let b = service_worker(&files, &[b"{}", b"engine two"]);
    let c = service_worker(&files, &[b"{\"x\":[]}", b"engine one"]);
    assert_ne!(version(&a), version(&b));
    assert_ne!(version(&a), version(&c));
    assert_eq!(
        version(&a),
        version(&service_worker(&files, &[b"{}", b"engine one"]))
    );
    assert!(a.contains("\"oauth-doctor-engine_bg.wasm\""), "{a}");
}
