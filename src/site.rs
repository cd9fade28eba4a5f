//! The knowledge base as static HTML: one page per error code, vendor message,
//! vendor and cause tag, an index, a redirect page per alias and a `404.html`. They
//! need no JavaScript, so search engines index the fixes and a reader without wasm
//! still gets the answer. `oauth-doctor site DIR` writes them beside the page's
//! release build (Trunk's post-build hook).
//!
//! Links are relative, so the site works from the root of a domain or from any
//! sub-path; only `404.html`, which a host serves at any depth, needs the base path
//! (`--base`, default `/`).
//!
//! Permalinks, which never change: `errors/<code>/`, `messages/<entry id>/`,
//! `vendors/<vendor id>/`, `causes/<tag>/`, `kb/`.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::core::kb::{Entry, EntryKind, Kb, TAGS, Vendor};
use crate::core::view::{inline_code, spec_url};

/// The causes' explanations, fixes and steps, which the page loads after its first
/// paint ([`crate::core::kb::prose_json`]); beside `index.html`.
pub const PROSE_FILE: &str = "prose.json";

/// The service worker's source; `__VERSION__` and `__SHELL__` are filled per build.
const SERVICE_WORKER_JS: &str = include_str!("sw.js");

/// The name of the engine's files in a build: Trunk's worker pipeline names them
/// after the binary (`oauth-doctor-engine.js`, `_bg.wasm`, `_loader.js`), without a
/// content hash, since the page names the worker's script at run time.
pub const ENGINE_BIN: &str = "oauth-doctor-engine";

/// The engine's worker script, which the page starts: Trunk's loader shim for
/// [`ENGINE_BIN`] (`index.html`, `data-loader-shim`).
pub const ENGINE_LOADER: &str = "oauth-doctor-engine_loader.js";

/// The service worker for a build whose top-level files are `files` (Trunk's hashed
/// JS, wasm and CSS, the engine's files and `index.html`): it precaches them with
/// the knowledge-base index, `404.html` and the causes' prose (`prose.json`), under
/// a cache named after a hash of those names and of `unhashed` (the content of the
/// files whose names carry no hash: the prose and the engine's), so each deploy
/// gets its own cache and the previous one is deleted.
pub fn service_worker(files: &[String], unhashed: &[&[u8]]) -> String {
    let mut shell: Vec<String> = vec![
        "./".into(),
        "kb/".into(),
        "404.html".into(),
        PROSE_FILE.into(),
    ];
    shell.extend(
        files
            .iter()
            .filter(|f| {
                [".js", ".wasm", ".css", ".html"]
                    .iter()
                    .any(|x| f.ends_with(x))
            })
            .filter(|f| f.as_str() != "sw.js" && f.as_str() != "404.html")
            .cloned(),
    );
    shell.sort();
    shell.dedup();
    // FNV-1a over the names, which carry the content hashes, and the contents of
    // the files whose names do not.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let contents = unhashed.iter().flat_map(|c| c.iter().copied());
    for b in shell.join("\n").bytes().chain(contents) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let list = serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into());
    SERVICE_WORKER_JS
        .replace("__VERSION__", &format!("{h:016x}"))
        .replace("__SHELL__", &list)
}

/// `loader.js`: starts the app on a static page. Trunk's own loader is inline in
/// `index.html` with paths relative to the document; this one imports relative to
/// itself, so it works from a page at any depth under any sub-path. `None` when the
/// build has no wasm-bindgen JS and wasm.
pub fn loader_js(files: &[String]) -> Option<String> {
    let wasm = files
        .iter()
        .find(|f| f.ends_with("_bg.wasm") && !f.starts_with(ENGINE_BIN))?;
    let js = format!("{}.js", wasm.strip_suffix("_bg.wasm")?);
    files.contains(&js).then(|| {
        format!(
            "// Starts OAuth Doctor on a static knowledge-base page (written by `oauth-doctor site`).\n\
             import init from \"./{js}\";\n\
             await init({{ module_or_path: new URL(\"./{wasm}\", import.meta.url) }});\n"
        )
    })
}

/// The tag meanings, from the shared vocabulary (a copy; a test keeps it equal).
const CAUSE_TAGS_MD: &str = include_str!("../kb/cause-tags.md");

/// One generated file: its path under the output directory, and its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub html: String,
}

/// The permalink of an entry, relative to the site root (`errors/invalid_scope/`).
pub fn entry_path(entry: &Entry) -> String {
    match entry.kind {
        EntryKind::Code => format!("errors/{}/", entry.id.trim_start_matches("code.")),
        EntryKind::Message => format!("messages/{}/", entry.id),
    }
}

/// The permalink of a cause tag's page.
pub fn tag_path(tag: &str) -> String {
    format!("causes/{tag}/")
}

/// The permalink of a vendor's page.
pub fn vendor_path(vendor: &str) -> String {
    format!("vendors/{vendor}/")
}

/// What each cause tag means, from the shared vocabulary.
pub fn tag_meanings() -> BTreeMap<&'static str, &'static str> {
    CAUSE_TAGS_MD
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("| `")?;
            let (tag, rest) = rest.split_once("` | ")?;
            Some((tag, rest.trim_end().trim_end_matches('|').trim_end()))
        })
        .collect()
}

/// Every page of the site. `css` are the stylesheet file names at the root of the
/// build (Trunk hashes them); `base` is the absolute path the site is served under.
pub fn pages(kb: &Kb, css: &[String], base: &str) -> Vec<Page> {
    let site = Site {
        kb,
        css,
        meanings: tag_meanings(),
    };
    let mut out = Vec::new();
    for e in &kb.entries {
        let path = entry_path(e);
        out.push(Page {
            html: site.entry_page(e),
            path: format!("{path}index.html"),
        });
        for alias in &e.aliases {
            let old = match e.kind {
                EntryKind::Code => format!("errors/{}/", alias.trim_start_matches("code.")),
                EntryKind::Message => format!("messages/{alias}/"),
            };
            out.push(Page {
                html: site.redirect(&old, &path),
                path: format!("{old}index.html"),
            });
        }
    }
    for v in &kb.vendors {
        let path = vendor_path(&v.id);
        out.push(Page {
            path: format!("{path}index.html"),
            html: site.vendor_page(v),
        });
        for alias in &v.aliases {
            let old = vendor_path(alias);
            out.push(Page {
                html: site.redirect(&old, &path),
                path: format!("{old}index.html"),
            });
        }
    }
    for tag in TAGS {
        out.push(Page {
            path: format!("{}index.html", tag_path(tag)),
            html: site.tag_page(tag),
        });
    }
    out.push(Page {
        path: "kb/index.html".into(),
        html: site.index_page(),
    });
    out.push(Page {
        path: "404.html".into(),
        html: site.not_found(base),
    });
    out
}

struct Site<'a> {
    kb: &'a Kb,
    css: &'a [String],
    meanings: BTreeMap<&'static str, &'static str>,
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Knowledge-base prose: escaped, with its `code` spans as `<code>`.
pub fn prose(s: &str) -> String {
    inline_code(s)
        .into_iter()
        .map(|(code, piece)| {
            if code {
                format!("<code>{}</code>", esc(piece))
            } else {
                esc(piece)
            }
        })
        .collect()
}

fn spec_link(spec: &str) -> String {
    match spec_url(spec) {
        Some(url) => format!(r#"<a class="spec" href="{}">{}</a>"#, esc(&url), esc(spec)),
        None => format!(r#"<span class="spec">{}</span>"#, esc(spec)),
    }
}

/// A source as the knowledge base records it: a URL, or `owner/repo:path`.
fn source_link(source: &str) -> String {
    if source.starts_with("https://") {
        let url = source.split_whitespace().next().unwrap_or(source);
        return format!(r#"<a href="{}">{}</a>"#, esc(url), esc(source));
    }
    if let Some((repo, rest)) = source.split_once(':')
        && repo.matches('/').count() == 1
        && !repo.contains(' ')
    {
        let path = rest.split_whitespace().next().unwrap_or("");
        let url = format!("https://github.com/{repo}/blob/HEAD/{path}");
        return format!(r#"<a href="{}">{}</a>"#, esc(&url), esc(source));
    }
    esc(source)
}

impl Site<'_> {
    /// A page: its content needs no script; when the app loads (`loader.js`), it
    /// takes over the `#app-slot`: the index's filter on `kb/`, a paste box that
    /// diagnoses in place everywhere else.
    fn layout(&self, root: &str, title: &str, description: &str, body: &str) -> String {
        self.layout_as(root, "diagnose", title, description, body)
    }

    fn layout_as(
        &self,
        root: &str,
        view: &str,
        title: &str,
        description: &str,
        body: &str,
    ) -> String {
        let mut css = String::new();
        for c in self.css {
            let _ = write!(css, r#"<link rel="stylesheet" href="{root}{}">"#, esc(c));
        }
        format!(
            r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>{title} · OAuth Doctor</title>
<meta name="description" content="{description}">
{css}<link rel="icon" href="data:,">
<script type="module" src="{root}loader.js"></script>
</head>
<body class="kb-page">
<header class="top">
<nav aria-label="Site"><a href="{root}">OAuth Doctor: diagnose an error</a> · <a href="{root}kb/">Knowledge base</a></nav>
</header>
<main>
<div id="app-slot" data-root="{root}" data-view="{view}"></div>
{body}
</main>
<footer><p>OAuth Doctor's knowledge base. Every entry names its sources; paste your own error on <a href="{root}">the diagnosis page</a>, which runs in your browser and sends nothing.</p></footer>
</body>
</html>
"#,
            title = esc(title),
            description = esc(description),
        )
    }

    fn entry_page(&self, e: &Entry) -> String {
        let root = "../../";
        let mut b = String::new();
        let vendor = e.vendor.as_deref().and_then(|v| self.kb.vendor(v));
        let _ = write!(b, r#"<article class="entry" data-entry="{}">"#, esc(&e.id));
        let _ = write!(b, "<h1>{}</h1>", esc(&e.title));
        b.push_str(r#"<dl class="entry-facts">"#);
        if let Some(code) = &e.error {
            let link = match self.kb.code_entry(code) {
                Some(c) if c.id != e.id => format!(
                    r#"<a href="{root}{}"><code>{}</code></a>"#,
                    entry_path(c),
                    esc(code)
                ),
                _ => format!("<code>{}</code>", esc(code)),
            };
            let _ = write!(b, "<dt>error</dt><dd>{link}</dd>");
        }
        if let Some(v) = vendor {
            let _ = write!(
                b,
                r#"<dt>vendor</dt><dd><a href="{root}{}">{}</a></dd>"#,
                vendor_path(&v.id),
                esc(&v.name)
            );
        }
        if !e.codes.is_empty() {
            let _ = write!(
                b,
                "<dt>vendor codes</dt><dd><code>{}</code></dd>",
                esc(&e.codes.join(", "))
            );
        }
        if let Some(s) = e.http_status {
            let _ = write!(b, "<dt>HTTP status</dt><dd>{s}</dd>");
        }
        if !e.endpoints.is_empty() {
            let _ = write!(
                b,
                "<dt>endpoint</dt><dd>{}</dd>",
                esc(&e.endpoints.join(", "))
            );
        }
        if let Some(spec) = &e.spec {
            let _ = write!(b, "<dt>specification</dt><dd>{}</dd>", spec_link(spec));
        }
        if let Some(source) = &e.source {
            let _ = write!(b, "<dt>source</dt><dd>{}</dd>", source_link(source));
        }
        let _ = write!(
            b,
            r#"<dt>permalink</dt><dd><code>{}</code></dd>"#,
            esc(&entry_path(e))
        );
        b.push_str("</dl>");
        let _ = write!(b, r#"<p class="summary">{}</p>"#, prose(&e.summary));
        if !e.templates.is_empty() {
            b.push_str(r#"<h2>What the server writes</h2><ul class="templates">"#);
            for t in &e.templates {
                let _ = write!(b, "<li><code>{}</code></li>", esc(t));
            }
            b.push_str("</ul>");
        }
        b.push_str(r#"<h2>Likely causes and their fixes</h2><ol class="causes">"#);
        for c in &e.causes {
            let _ = write!(
                b,
                r#"<li class="cause" data-cause-tag="{tag}"><h3>{title}</h3><p class="tag"><a href="{root}{path}">{tag}</a></p><p>{explanation}</p><p class="fix"><strong>Fix:</strong> {fix}</p>"#,
                tag = esc(&c.tag),
                title = esc(&c.title),
                path = tag_path(&c.tag),
                explanation = prose(&c.explanation),
                fix = prose(&c.fix),
            );
            if !c.steps.is_empty() {
                b.push_str(r#"<ul class="steps">"#);
                for s in &c.steps {
                    let who = s
                        .vendor
                        .as_deref()
                        .map(|v| self.kb.vendor(v).map_or(v, |v| v.name.as_str()))
                        .map(|n| format!("<strong>{}:</strong> ", esc(n)))
                        .unwrap_or_default();
                    let _ = write!(b, "<li>{who}{}", prose(&s.text));
                    if let Some(cmd) = &s.command {
                        let _ =
                            write!(b, r#"<pre class="command"><code>{}</code></pre>"#, esc(cmd));
                    }
                    b.push_str("</li>");
                }
                b.push_str("</ul>");
            }
            if let Some(spec) = &c.spec {
                let _ = write!(b, "<p>{}</p>", spec_link(spec));
            }
            b.push_str("</li>");
        }
        b.push_str("</ol>");
        if e.kind == EntryKind::Code {
            let code = e.id.trim_start_matches("code.");
            let carriers: Vec<&Entry> = self
                .kb
                .entries
                .iter()
                .filter(|m| m.kind == EntryKind::Message && m.error.as_deref() == Some(code))
                .collect();
            if !carriers.is_empty() {
                let _ = write!(
                    b,
                    r#"<h2>Vendor messages that carry <code>{}</code></h2><ul class="carriers">"#,
                    esc(code)
                );
                for m in carriers {
                    let _ = write!(
                        b,
                        r#"<li><a href="{root}{}">{}</a></li>"#,
                        entry_path(m),
                        esc(&m.title)
                    );
                }
                b.push_str("</ul>");
            }
        }
        b.push_str("</article>");
        self.layout(root, &e.title, &e.summary, &b)
    }

    fn vendor_page(&self, v: &Vendor) -> String {
        let root = "../../";
        let mut b = format!(r#"<h1 data-vendor="{}">{}</h1>"#, esc(&v.id), esc(&v.name));
        if let Some(docs) = &v.docs {
            let _ = write!(
                b,
                r#"<p>Documentation: <a href="{0}">{0}</a></p>"#,
                esc(docs)
            );
        }
        if let Some(note) = &v.metadata_note {
            let _ = write!(
                b,
                r#"<p class="metadata-note"><strong>Know before you connect:</strong> {}</p>"#,
                prose(note)
            );
        }
        b.push_str("<h2>Its messages</h2>");
        if self
            .kb
            .entries
            .iter()
            .any(|e| e.vendor.as_deref() == Some(v.id.as_str()))
        {
            b.push_str(&self.messages_of(root, &v.id));
        } else {
            let _ = write!(
                b,
                r#"<p class="no-messages">None of its own in the knowledge base yet: a paste that shows one of its hosts is said to be its, and the <a href="{root}kb/">registered error codes</a> explain what it returns.</p>"#
            );
        }
        let title = format!("{}: OAuth and OpenID Connect error messages", v.name);
        self.layout(root, &title, &title, &b)
    }

    fn tag_page(&self, tag: &str) -> String {
        let root = "../../";
        let meaning = self.meanings.get(tag).copied().unwrap_or("");
        let mut b = format!(
            r#"<h1 data-tag="{0}"><code>{0}</code></h1><p class="summary">{1}</p>"#,
            esc(tag),
            prose(meaning)
        );
        b.push_str(r#"<h2>Entries with this cause</h2><ul class="entries">"#);
        for e in &self.kb.entries {
            for c in e.causes.iter().filter(|c| c.tag == tag) {
                let _ = write!(
                    b,
                    r#"<li><a href="{root}{}">{}</a>: {}</li>"#,
                    entry_path(e),
                    esc(&e.title),
                    esc(&c.title)
                );
            }
        }
        b.push_str("</ul>");
        self.layout(root, &format!("Cause: {tag}"), meaning, &b)
    }

    fn index_page(&self) -> String {
        let root = "../";
        let kb = self.kb;
        let mut b = String::from("<h1>The OAuth and OpenID Connect error knowledge base</h1>");
        let codes = kb
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Code)
            .count();
        let _ = write!(
            b,
            r#"<p>{codes} registered error codes, {} vendor messages from {} vendors, {} cause tags. To find the entry for an error you have, paste it on <a href="{root}">the diagnosis page</a>.</p>"#,
            kb.entries.len() - codes,
            kb.vendors.len(),
            TAGS.len()
        );
        b.push_str(r#"<h2 id="codes">Error codes</h2><ul class="entries">"#);
        for e in kb.entries.iter().filter(|e| e.kind == EntryKind::Code) {
            let _ = write!(
                b,
                r#"<li><a href="{root}{}"><code>{}</code></a> {}</li>"#,
                entry_path(e),
                esc(e.id.trim_start_matches("code.")),
                esc(&e.title)
            );
        }
        b.push_str(r#"</ul><h2 id="causes">Causes</h2><ul class="entries">"#);
        for tag in TAGS {
            let _ = write!(
                b,
                r#"<li><a href="{root}{}"><code>{}</code></a> {}</li>"#,
                tag_path(tag),
                esc(tag),
                prose(self.meanings.get(tag).copied().unwrap_or(""))
            );
        }
        b.push_str(r#"</ul><h2 id="vendors">Vendors and their messages</h2>"#);
        for v in &kb.vendors {
            let _ = write!(
                b,
                r#"<h3><a href="{root}{}">{}</a></h3>"#,
                vendor_path(&v.id),
                esc(&v.name)
            );
            b.push_str(&self.messages_of(root, &v.id));
        }
        self.layout_as(root, "kb", "Knowledge base", "Every registered OAuth 2.0 and OpenID Connect error code and the real messages of the vendors people hit, with causes, fixes and spec sections.", &b)
    }

    /// The list of a vendor's messages, linked.
    fn messages_of(&self, root: &str, vendor: &str) -> String {
        let mut b = String::from(r#"<ul class="entries">"#);
        for e in self
            .kb
            .entries
            .iter()
            .filter(|e| e.vendor.as_deref() == Some(vendor))
        {
            let _ = write!(
                b,
                r#"<li><a href="{root}{}">{}</a></li>"#,
                entry_path(e),
                esc(&e.title)
            );
        }
        b.push_str("</ul>");
        b
    }

    fn redirect(&self, old: &str, new: &str) -> String {
        let depth = old.matches('/').count();
        let root = "../".repeat(depth);
        format!(
            r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={root}{new}">
<link rel="canonical" href="{root}{new}">
<title>Moved: {old}</title></head>
<body><p>This entry moved to <a href="{root}{new}">{new}</a>.</p></body></html>
"#,
            old = esc(old),
            new = esc(new),
        )
    }

    fn not_found(&self, base: &str) -> String {
        let base = if base.ends_with('/') {
            base.to_string()
        } else {
            format!("{base}/")
        };
        let body = format!(
            r#"<h1>No such page</h1><p>This address is not part of OAuth Doctor. The <a href="{0}kb/">knowledge base index</a> lists every entry; <a href="{0}">the diagnosis page</a> finds the entry for an error you paste.</p>"#,
            esc(&base)
        );
        self.layout(&esc(&base), "Not found", "Not found", &body)
    }
}
