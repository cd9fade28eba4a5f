//! The `oauth-doctor` command line: the same engine as the page, for terminals and CI.
//!
//! Exit codes: 0 the command did its work (a diagnosis with at least one cause, a
//! scope string without errors); 1 it ran but found nothing to diagnose or the scope
//! string has errors; 2 bad usage or unreadable input.

use std::io::{Read, Write};
use std::process::ExitCode;

use oauth_doctor::core::diagnose::{Diagnosis, Options, diagnose};
use oauth_doctor::core::kb::{EntryKind, Kb};
use oauth_doctor::core::metadata::{self, MetadataReport};
use oauth_doctor::core::redact::redact;
use oauth_doctor::core::scope::{self, ScopeAnalysis, Severity};

const USAGE: &str = "\
oauth-doctor: diagnose failed OAuth 2.0 / OpenID Connect logins

usage:
  oauth-doctor diagnose [FILE|-] [--metadata METADATA.json] [--json]
                                            diagnose an error text (stdin when no FILE),
                                            with the server's metadata as evidence
  oauth-doctor scope \"<scope>\" [--allowed \"<scopes>\"] [--granted \"<scopes>\"]
                     [--vendor <id>] [--json]
                                            check a scope string (RFC 6749 §3.3)
  oauth-doctor metadata FILE [--url <where it was fetched>] [--scope \"<requested>\"] [--json]
                                            check a discovery / metadata document
  oauth-doctor kb [--json]                  the knowledge base: coverage, entries
  oauth-doctor redact [FILE|-]              print the text with tokens and secrets redacted
  oauth-doctor site DIR [--base /path/]     write the knowledge base as static HTML pages
                                            into DIR (beside the page's release build;
                                            --base: where the site is served, for 404.html)

exit codes: 0 done; 1 nothing diagnosed, or the scope string has errors; 2 bad usage
or unreadable input";

/// Largest input read, so that a mistaken `oauth-doctor diagnose /dev/zero` ends.
const MAX_INPUT: u64 = 16 * 1024 * 1024;

pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("oauth-doctor: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some((command, rest)) = args.split_first() else {
        emit(&format!("{USAGE}\n"));
        return Ok(ExitCode::from(2));
    };
    let mut flags = Flags::parse(rest)?;
    let code = match command.as_str() {
        "diagnose" => {
            let json = flags.switch("--json");
            let metadata_path = flags.value("--metadata")?;
            let path = flags.positional_at_most_one()?;
            flags.done()?;
            let text = read_input(path.as_deref())?;
            let metadata = match metadata_path {
                Some(p) => Some(
                    metadata::check(&read_input(Some(&p))?, None, None)
                        .map_err(|e| format!("{p}: {e}"))?,
                ),
                None => None,
            };
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|d| d.as_secs() as i64);
            let d = diagnose(&text, &Options { now, metadata });
            if json {
                print_json(&d)?;
            } else {
                print_report(&d, &text);
            }
            if d.causes.is_empty() { 1 } else { 0 }
        }
        "scope" => {
            let json = flags.switch("--json");
            let allowed = flags.value("--allowed")?;
            let granted = flags.value("--granted")?;
            let vendor = flags.value("--vendor")?;
            let Some(requested) = flags.positional_at_most_one()? else {
                return Err("scope: give the scope string to check, in quotes".into());
            };
            flags.done()?;
            let analysis = scope::parse_for(&requested, vendor.as_deref());
            let comparison = (allowed.is_some() || granted.is_some())
                .then(|| scope::compare(&requested, allowed.as_deref(), granted.as_deref()));
            if json {
                print_json(&serde_json::json!({ "scope": analysis, "comparison": comparison }))?;
            } else {
                let mut out = scope_text(&analysis);
                if let Some(c) = comparison {
                    out.push_str(&list("not allowed", &c.not_allowed));
                    out.push_str(&list("dropped (requested, not granted)", &c.dropped));
                    out.push_str(&list("extra (granted, not requested)", &c.extra));
                    out.push_str(&list("matched", &c.matched));
                }
                emit(&out);
            }
            let errors = analysis
                .problems
                .iter()
                .any(|p| p.severity == Severity::Error);
            if errors { 1 } else { 0 }
        }
        "metadata" => {
            let json = flags.switch("--json");
            let url = flags.value("--url")?;
            let scope = flags.value("--scope")?;
            let path = flags.positional_at_most_one()?;
            flags.done()?;
            let text = read_input(path.as_deref())?;
            let report = metadata::check(&text, url.as_deref(), scope.as_deref())
                .map_err(|e| e.to_string())?;
            if json {
                print_json(&report)?;
            } else {
                emit(&metadata_text(&report));
            }
            if report.problems.iter().any(|p| p.kind != "vendor") {
                1
            } else {
                0
            }
        }
        "kb" => {
            let json = flags.switch("--json");
            flags.done()?;
            print_kb(json)?;
            0
        }
        "redact" => {
            let path = flags.positional_at_most_one()?;
            flags.done()?;
            let text = read_input(path.as_deref())?;
            let r = redact(&text);
            emit(&r.text);
            if !r.removed.is_empty() {
                eprintln!("oauth-doctor: redacted {}", r.removed.join(", "));
            }
            0
        }
        "site" => {
            let base = flags.value("--base")?.unwrap_or_else(|| "/".into());
            let Some(dir) = flags.positional_at_most_one()? else {
                return Err(
                    "site: give the directory to write the pages into (the page's dist/)".into(),
                );
            };
            flags.done()?;
            let n = write_site(std::path::Path::new(&dir), &base)?;
            eprintln!("oauth-doctor: wrote {n} knowledge-base pages under {dir}");
            0
        }
        "help" | "--help" | "-h" => {
            emit(&format!("{USAGE}\n"));
            0
        }
        "--version" | "-V" => {
            emit(&format!("oauth-doctor {}\n", env!("CARGO_PKG_VERSION")));
            0
        }
        other => {
            return Err(format!(
                "unknown command {other:?} (see oauth-doctor --help)"
            ));
        }
    };
    Ok(ExitCode::from(code))
}

/// A small argument reader: `--flag`, `--key value`, positionals.
struct Flags {
    args: Vec<String>,
}

impl Flags {
    fn parse(args: &[String]) -> Result<Flags, String> {
        Ok(Flags {
            args: args.to_vec(),
        })
    }

    fn switch(&mut self, name: &str) -> bool {
        let before = self.args.len();
        self.args.retain(|a| a != name);
        self.args.len() != before
    }

    fn value(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(i) = self.args.iter().position(|a| a == name) else {
            return Ok(None);
        };
        if i + 1 >= self.args.len() {
            return Err(format!("{name} needs a value"));
        }
        let v = self.args.remove(i + 1);
        self.args.remove(i);
        Ok(Some(v))
    }

    fn positional_at_most_one(&mut self) -> Result<Option<String>, String> {
        let positionals: Vec<usize> = self
            .args
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.starts_with("--") || a.as_str() == "-")
            .map(|(i, _)| i)
            .collect();
        match positionals.as_slice() {
            [] => Ok(None),
            [i] => Ok(Some(self.args.remove(*i))),
            _ => Err("too many arguments (quote the scope string as one argument)".into()),
        }
    }

    fn done(&self) -> Result<(), String> {
        match self.args.first() {
            Some(a) => Err(format!("unknown option {a:?} (see oauth-doctor --help)")),
            None => Ok(()),
        }
    }
}

/// Reads a file or stdin as text; refuses binary data with a one-line error.
fn read_input(path: Option<&str>) -> Result<String, String> {
    let mut bytes = Vec::new();
    match path {
        None | Some("-") => {
            std::io::stdin()
                .take(MAX_INPUT)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
        }
        Some(p) => {
            let file = std::fs::File::open(p).map_err(|e| format!("cannot read {p}: {e}"))?;
            file.take(MAX_INPUT)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read {p}: {e}"))?;
        }
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        let what = path.unwrap_or("standard input");
        return Err(format!(
            "{what} looks like a binary file, not an error text"
        ));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| format!("cannot write JSON: {e}"))?;
    emit(&format!("{text}\n"));
    Ok(())
}

fn list(label: &str, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    format!("{label:<34} {}\n", items.join(" "))
}

/// Writes to stdout; a closed pipe (`| head`) ends the output quietly.
fn emit(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn print_report(d: &Diagnosis, text: &str) {
    let mut out = String::new();
    let line = |out: &mut String, k: &str, v: &str| out.push_str(&format!("{k:<14}{v}\n"));
    if let Some(e) = &d.error {
        let spec = d
            .error_spec
            .as_deref()
            .map(|s| format!("  ({s})"))
            .unwrap_or_default();
        line(&mut out, "error", &format!("{e}{spec}"));
    }
    if let Some(desc) = &d.error_description {
        line(&mut out, "description", desc);
    }
    for f in d.fields.iter().filter(|f| f.key == "decoded") {
        line(&mut out, "decoded", &f.value);
    }
    if let Some(v) = &d.vendor_name {
        line(&mut out, "vendor", v);
    }
    if !d.vendor_codes.is_empty() {
        line(&mut out, "vendor codes", &d.vendor_codes.join(" "));
    }
    if !d.blamed_scopes.is_empty() {
        line(&mut out, "blamed scopes", &d.blamed_scopes.join(" "));
    }
    for note in &d.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    if !d.causes.is_empty() {
        out.push_str("\nLikely causes, most likely first\n");
    }
    for (i, c) in d.causes.iter().take(5).enumerate() {
        out.push_str(&format!(
            "\n{}. {}  [{}]  score {:.2}\n",
            i + 1,
            c.title,
            c.tag,
            c.score
        ));
        out.push_str(&format!("   why: {}\n", c.explanation));
        out.push_str(&format!("   fix: {}\n", c.fix));
        let (mine, others) = c.steps_for(d.vendor.as_deref());
        for s in mine {
            out.push_str(&format!("   - {}\n", s.text));
            if let Some(cmd) = &s.command {
                out.push_str(&format!("     $ {cmd}\n"));
            }
        }
        if !others.is_empty() {
            let mut vendors: Vec<&str> =
                others.iter().filter_map(|s| s.vendor.as_deref()).collect();
            vendors.dedup();
            out.push_str(&format!(
                "   (steps for {} too: oauth-doctor diagnose --json)\n",
                vendors.join(", ")
            ));
        }
        if let Some(spec) = &c.spec {
            out.push_str(&format!("   spec: {spec}\n"));
        }
        for e in &c.evidence {
            let at = e
                .span
                .map(|s| {
                    format!(
                        " at {}..{}: {:?}",
                        s.0,
                        s.1,
                        oauth_doctor::core::text::truncate(s.of(text), 80)
                    )
                })
                .unwrap_or_default();
            out.push_str(&format!("   evidence: {}{at}\n", e.what));
        }
        out.push_str(&format!("   entry: {}\n", c.entry));
    }
    if !d.scopes.text.is_empty() || !d.scopes.problems.is_empty() {
        out.push('\n');
        out.push_str(&scope_text(&d.scopes));
    }
    for j in &d.jwts {
        out.push_str("\nJWT (not verified)\n");
        let c = &j.jwt.claims;
        if let Some(iss) = &c.iss {
            out.push_str(&format!("   iss {iss}\n"));
        }
        if !c.aud.is_empty() {
            out.push_str(&format!("   aud {}\n", c.aud.join(" ")));
        }
        if !c.scopes.is_empty() {
            out.push_str(&format!("   scope {}\n", c.scopes.join(" ")));
        }
        if let Some(s) = j.expires_in {
            let when = if s < 0 {
                format!("expired {} ago", human_duration(-s))
            } else {
                format!("expires in {}", human_duration(s))
            };
            out.push_str(&format!("   exp {when}\n"));
        }
    }
    if !d.secrets.is_empty() {
        let kinds: Vec<&str> = d.secrets.iter().map(|s| s.kind.as_str()).collect();
        out.push_str(&format!(
            "\nsecrets in this text: {} (never share it unredacted: oauth-doctor redact)\n",
            kinds.join(", ")
        ));
    }
    emit(&out);
}

fn metadata_text(r: &MetadataReport) -> String {
    let mut out = String::new();
    let opt = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not stated",
    };
    out.push_str(&format!("kind          {:?}\n", r.kind));
    if let Some(i) = &r.issuer {
        out.push_str(&format!("issuer        {i}\n"));
    }
    if let Some(res) = &r.resource {
        out.push_str(&format!("resource      {res}\n"));
    }
    for a in &r.authorization_servers {
        out.push_str(&format!("auth server   {a}\n"));
    }
    if let Some(v) = &r.vendor {
        out.push_str(&format!("vendor        {v}\n"));
    }
    out.push_str(&format!(
        "offline_access advertised  {}\n",
        opt(r.offline_access_advertised)
    ));
    out.push_str(&format!(
        "refresh_token grant        {}\n",
        opt(r.refresh_token_grant)
    ));
    out.push_str(&format!(
        "PKCE S256                  {}\n",
        opt(r.pkce_s256)
    ));
    out.push_str(&format!(
        "dynamic registration       {}\n",
        r.registration_endpoint.as_deref().unwrap_or("no")
    ));
    if !r.unadvertised_scopes.is_empty() {
        out.push_str(&format!(
            "not advertised: {}\n",
            r.unadvertised_scopes.join(" ")
        ));
    }
    if r.problems.is_empty() {
        out.push_str("no problems found\n");
    }
    for p in &r.problems {
        out.push_str(&format!("- [{}] {}\n", p.kind, p.message));
    }
    out
}

fn human_duration(s: i64) -> String {
    match s {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}

fn scope_text(a: &ScopeAnalysis) -> String {
    let mut out = String::new();
    out.push_str(&format!("scope         {:?}\n", a.text));
    out.push_str(&format!("tokens        {}\n", a.tokens.join(" | ")));
    if a.problems.is_empty() {
        out.push_str("problems      none (RFC 6749 §3.3)\n");
    }
    for p in &a.problems {
        let caret_at = a.text[..p.span.0.min(a.text.len())].chars().count() + 15;
        let width = a
            .text
            .get(p.span.0..p.span.1)
            .map_or(1, |s| s.chars().count().max(1));
        out.push_str(&format!("{}{}\n", " ".repeat(caret_at), "^".repeat(width)));
        let fix = match &p.suggestion {
            Some(s) if s.is_empty() => " (remove it)".to_string(),
            Some(s) => format!(" (write {s:?})"),
            None => String::new(),
        };
        out.push_str(&format!("{:?}: {}{fix}\n", p.severity, p.message));
    }
    out
}

fn print_kb(json: bool) -> Result<(), String> {
    let kb = Kb::get();
    if json {
        let entries: Vec<serde_json::Value> = kb
            .entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "kind": e.kind,
                    "title": e.title,
                    "vendor": e.vendor,
                    "error": e.error,
                    "codes": e.codes,
                    "templates": e.templates,
                    "spec": e.spec,
                    "source": e.source,
                    "summary": e.summary,
                    "causes": e.causes.iter().map(|c| serde_json::json!({
                        "tag": c.tag,
                        "title": c.title,
                        "explanation": c.explanation,
                        "fix": c.fix,
                        "spec": c.spec,
                        "steps": c.steps,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        return print_json(&entries);
    }
    let codes = kb
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Code)
        .count();
    let messages = kb.entries.len() - codes;
    let templates: usize = kb.entries.iter().map(|e| e.templates.len()).sum();
    let causes: usize = kb.entries.iter().map(|e| e.causes.len()).sum();
    let mut tags: Vec<&str> = kb
        .entries
        .iter()
        .flat_map(|e| e.causes.iter().map(|c| c.tag.as_str()))
        .collect();
    tags.sort();
    tags.dedup();
    let mut out = String::new();
    out.push_str(&format!("knowledge base: {} entries\n", kb.entries.len()));
    out.push_str(&format!("  error codes      {codes}\n"));
    out.push_str(&format!("  vendor messages  {messages}\n"));
    out.push_str(&format!("  vendors          {}\n", kb.vendors.len()));
    out.push_str(&format!("  templates        {templates}\n"));
    out.push_str(&format!(
        "  causes           {causes} ({} of {} cause tags used)\n",
        tags.len(),
        oauth_doctor::core::kb::TAGS.len()
    ));
    out.push('\n');
    for v in &kb.vendors {
        let n = kb
            .entries
            .iter()
            .filter(|e| e.vendor.as_deref() == Some(v.id.as_str()))
            .count();
        let noun = if n == 1 { "message " } else { "messages" };
        out.push_str(&format!("  {:<28} {n:>3} {noun}  ({})\n", v.id, v.name));
    }
    emit(&out);
    Ok(())
}

/// Writes the knowledge base's static pages into `dir`, linking the stylesheets
/// found at its top level. Returns how many pages were written.
fn write_site(dir: &std::path::Path, base: &str) -> Result<usize, String> {
    let listing = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<String> = listing
        .filter_map(Result::ok)
        .filter(|f| f.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|f| f.file_name().into_string().ok())
        .collect();
    files.sort();
    let css: Vec<String> = files
        .iter()
        .filter(|n| n.ends_with(".css"))
        .cloned()
        .collect();
    if let Some(loader) = oauth_doctor::site::loader_js(&files) {
        let path = dir.join("loader.js");
        std::fs::write(&path, loader).map_err(|e| format!("{}: {e}", path.display()))?;
        files.push("loader.js".into());
    }
    // The causes' prose, which the page's build leaves out and fetches after its
    // first paint.
    let prose = oauth_doctor::core::kb::prose_json(Kb::get());
    let prose_path = dir.join(oauth_doctor::site::PROSE_FILE);
    std::fs::write(&prose_path, &prose).map_err(|e| format!("{}: {e}", prose_path.display()))?;
    let sw = dir.join("sw.js");
    let mut unhashed = vec![prose.clone().into_bytes()];
    for f in files
        .iter()
        .filter(|f| f.starts_with(oauth_doctor::site::ENGINE_BIN))
    {
        let path = dir.join(f);
        unhashed.push(std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let unhashed: Vec<&[u8]> = unhashed.iter().map(Vec::as_slice).collect();
    std::fs::write(&sw, oauth_doctor::site::service_worker(&files, &unhashed))
        .map_err(|e| format!("{}: {e}", sw.display()))?;
    let pages = oauth_doctor::site::pages(Kb::get(), &css, base);
    for page in &pages {
        let path = dir.join(&page.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &page.html).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(pages.len())
}
