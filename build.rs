//! Embeds the knowledge base: reads every `kb/**/*.toml`, checks its structure and
//! writes it as one compact JSON file into `OUT_DIR`, which the library includes.
//! TOML is for the people who edit the data; the binary and the wasm page only
//! carry the JSON, so neither pays for a TOML parser.

#[path = "src/core/kb/schema.rs"]
#[allow(dead_code)]
mod schema;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=kb");
    println!("cargo:rerun-if-changed=src/core");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    collect(Path::new("kb"), &mut files);
    files.sort();

    let mut data = schema::KbData::default();
    let mut errors = Vec::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        match toml::from_str::<schema::KbFile>(&text) {
            Ok(file) => {
                data.vendors.extend(file.vendor);
                data.entries.extend(file.entry);
                data.examples.extend(file.example);
            }
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    errors.extend(data.structural_problems());
    if !errors.is_empty() {
        panic!(
            "the knowledge base under kb/ has problems:\n{}",
            errors.join("\n")
        );
    }

    // The page carries what a diagnosis needs, where every byte is downloaded: not
    // the test data (the entries' examples, checked natively), nor what only the
    // static entry pages show (`oauth-doctor site`, built natively, to which every
    // cause links): sources, endpoints, statuses, the vendors' docs, and the
    // summaries of vendor messages (a code's summary is on the page).
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        for e in &mut data.entries {
            e.examples.clear();
            e.source = None;
            e.endpoints.clear();
            e.http_status = None;
            if e.kind == schema::EntryKind::Message {
                e.summary.clear();
            }
            // The causes' explanations, fixes and steps (more than half of the
            // data) come after the first paint, from `prose.json`, which
            // `oauth-doctor site` writes from the full knowledge base.
            for c in &mut e.causes {
                c.explanation.clear();
                c.fix.clear();
                c.steps.clear();
            }
        }
        for v in &mut data.vendors {
            v.docs = None;
            // Old ids only name the static pages that redirect.
            v.aliases.clear();
        }
    }

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    // The gallery on its own file: the page's interface shows it before its engine
    // (and the knowledge base) has loaded; the knowledge base reads it from there.
    // As Rust (string literals), so that the interface parses nothing to show it;
    // the texts apart, since only the engine needs them.
    let mut gallery = String::from("&[\n");
    let mut texts = String::from("&[\n");
    for e in std::mem::take(&mut data.examples) {
        gallery.push_str(&format!(
            "    GalleryExample {{ id: {:?}, title: {:?}, source: {:?} }},\n",
            e.id, e.title, e.source
        ));
        texts.push_str(&format!("    {:?},\n", e.text));
    }
    gallery.push(']');
    texts.push(']');
    std::fs::write(out.join("examples.rs"), gallery).expect("OUT_DIR is writable");
    std::fs::write(out.join("example_texts.rs"), texts).expect("OUT_DIR is writable");
    std::fs::write(out.join("wire.rs"), format!("{:#x}", wire_fingerprint()))
        .expect("OUT_DIR is writable");
    let json = serde_json::to_string(&data).expect("the knowledge base serialises");
    std::fs::write(out.join("kb.json"), json).expect("OUT_DIR is writable");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    collect_ext(dir, "toml", files);
}

/// Every file under `dir` whose extension is `ext`.
fn collect_ext(dir: &Path, ext: &str, files: &mut Vec<PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_ext(&path, ext, files);
        } else if path.extension().is_some_and(|e| e == ext) {
            files.push(path);
        }
    }
}

/// A fingerprint of what decides how the page's messages are encoded (the engine's
/// types under `src/core`, and the locked serde and postcard): the page and its
/// engine check that they speak the same one (`core::page::WIRE`). FNV-1a, 64 bits.
fn wire_fingerprint() -> u64 {
    let mut files = Vec::new();
    collect_ext(Path::new("src/core"), "rs", &mut files);
    files.sort();
    files.push(PathBuf::from("Cargo.lock"));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in &files {
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        eat(path.to_string_lossy().as_bytes());
        eat(&std::fs::read(path).unwrap_or_default());
    }
    hash
}
