//! Accuracy on real errors: the public corpus (`../shared/corpus/dev-cases.jsonl`)
//! and the sets collected for this project under `tests/heldout/`. Prints the
//! figures and fails below the floors.

use std::path::{Path, PathBuf};

use oauth_doctor::{Options, diagnose};
use serde_json::Value;

/// Floors (issue 2 and issue 4): the full file, error code right, true tag first,
/// in the top 3, vendor right.
const ISSUE_FLOORS: Score = Score {
    cases: 50,
    error: 0.95,
    top1: 0.85,
    top3: 0.95,
    vendor: 0.90,
};

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

/// The four figures over a set of cases, as fractions (or, as a floor, the least
/// each may be).
#[derive(Debug)]
struct Score {
    cases: usize,
    error: f64,
    top1: f64,
    top3: f64,
    vendor: f64,
}

impl Score {
    /// Fails, naming `set`, where a figure is below its floor.
    fn assert_at_least(&self, floor: &Score, set: &str) {
        assert!(
            self.cases >= floor.cases,
            "{set}: {} cases, expected the full file",
            self.cases
        );
        for (what, got, min) in [
            ("error code accuracy", self.error, floor.error),
            ("true tag first", self.top1, floor.top1),
            ("true tag in top 3", self.top3, floor.top3),
            ("vendor accuracy", self.vendor, floor.vendor),
        ] {
            assert!(got >= min, "{set}: {what} {got:.3} below {min}");
        }
    }
}

/// Scores one JSON Lines file of cases (`raw`, `error_ok`, `vendor_ok`, `tag_ok`)
/// and prints the figures and the cases not fully right.
fn score(path: &Path) -> Score {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
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
    let s = Score {
        cases: n,
        error: pct(error_ok, n),
        top1: pct(top1, n),
        top3: pct(top3, n),
        vendor: pct(vendor_ok, vendor_n),
    };
    println!(
        "{} ({n} cases): error code {:.1} %, true tag first {:.1} %, in top 3 {:.1} %, vendor {:.1} % ({vendor_n} scored)",
        path.file_name().unwrap_or_default().to_string_lossy(),
        100.0 * s.error,
        100.0 * s.top1,
        100.0 * s.top3,
        100.0 * s.vendor
    );
    if !misses.is_empty() {
        println!("not fully right:\n{}", misses.join("\n"));
    }
    s
}

#[test]
fn corpus_accuracy() {
    score(&corpus_path()).assert_at_least(&ISSUE_FLOORS, "public corpus");
}

/// The real errors collected for this project (`tests/heldout/README.md` says how
/// and what each set measured before the knowledge base was tuned on it). These
/// floors keep what was reached from slipping back; they are not the issues'.
#[test]
fn collected_sets_accuracy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/heldout");
    let floor = |cases, error, top1, top3, vendor| Score {
        cases,
        error,
        top1,
        top3,
        vendor,
    };
    let floors = [
        ("cases-a.jsonl", floor(45, 0.95, 0.90, 0.93, 0.90)),
        ("cases-b.jsonl", floor(50, 0.95, 0.80, 0.85, 0.60)),
        ("cases-c.jsonl", floor(50, 0.95, 0.85, 0.88, 0.85)),
        ("cases-d.jsonl", floor(50, 0.95, 0.90, 0.95, 0.85)),
        ("cases-e.jsonl", floor(50, 0.95, 0.85, 0.88, 0.88)),
        ("cases-f.jsonl", floor(50, 0.95, 0.82, 0.85, 0.78)),
        ("cases-g.jsonl", floor(37, 0.95, 0.86, 0.91, 0.86)),
        ("cases-h.jsonl", floor(50, 0.95, 0.85, 0.91, 0.70)),
        ("cases-i.jsonl", floor(45, 0.95, 0.86, 0.93, 0.53)),
        ("cases-j.jsonl", floor(50, 0.95, 0.88, 0.92, 0.88)),
        ("cases-k.jsonl", floor(50, 0.95, 0.86, 0.88, 0.82)),
        // L's labels expect the code of a message that does not print it (4 cases).
        ("cases-l.jsonl", floor(40, 0.88, 0.88, 0.93, 0.80)),
        ("cases-m.jsonl", floor(50, 0.95, 0.82, 0.90, 0.66)),
        ("cases-n.jsonl", floor(50, 0.95, 0.90, 0.94, 0.78)),
        // O: several of its cases hold no message at all (an issue title, a debug
        // line, a code snippet), so its cause figures sit lower.
        ("cases-o.jsonl", floor(46, 0.95, 0.73, 0.82, 0.80)),
        ("cases-p.jsonl", floor(50, 0.95, 0.88, 0.90, 0.86)),
        ("cases-q.jsonl", floor(50, 0.94, 0.90, 0.96, 0.86)),
        ("cases-r.jsonl", floor(40, 0.97, 0.92, 0.92, 0.82)),
        ("cases-s.jsonl", floor(32, 0.96, 0.93, 0.96, 0.78)),
        ("cases-t.jsonl", floor(50, 0.96, 0.94, 0.96, 0.86)),
        // U's vendor floor went from 0.90 to 0.86 in session 23: two texts labelled
        // with the client that printed them (Kiro, Nimbalyst) or none are rmcp's words
        // word for word (`Metadata error: Protected resource metadata resource
        // mismatch: ...`, `OAuth authorization failed: ...`), which the knowledge base
        // now names; Kiro's CLI embeds rmcp.
        ("cases-u.jsonl", floor(50, 0.97, 0.88, 0.90, 0.86)),
        // V's second half: MCP clients whose texts name the SDK they embed (rmcp,
        // the Python SDK) where the labels name the client, so its vendor figure
        // sits lower.
        ("cases-v.jsonl", floor(50, 0.96, 0.86, 0.88, 0.72)),
        // W: MCP servers of small products (Todoist, IcePanel, Tripsy, Metabase...)
        // whose generic texts name no product: its vendor figure is low.
        ("cases-w.jsonl", floor(25, 0.92, 0.72, 0.84, 0.44)),
        // X: a third of it MCP servers of hosted products (Atlassian, Asana, Figma,
        // ClickUp, Kapa...) as Codex, Gemini CLI or Copilot CLI print them.
        ("cases-x.jsonl", floor(50, 0.98, 0.88, 0.94, 0.74)),
        // Y: a third of it bare texts (`Invalid request`, `invalid_scope`, a
        // downstream app's own page) that name neither product nor cause. One of
        // its labels reads Entra's single-tenant `/common` refusal (AADSTS50194) as
        // a metadata problem, where seven labels elsewhere read a malformed request.
        ("cases-y.jsonl", floor(48, 0.97, 0.89, 0.90, 0.79)),
        // Z: 8 of its texts read from the vendors' code (the description alone, so
        // their error code is accepted as absent, as the collection rules say).
        ("cases-z.jsonl", floor(50, 0.98, 0.92, 0.96, 0.84)),
        // AA: a third of it client libraries whose texts carry only the server's
        // bare code (`invalid_client`, `invalid_grant`): its vendor figure is lower.
        ("cases-aa.jsonl", floor(50, 0.98, 0.94, 0.98, 0.84)),
        // AB: 27 (the search budget ran out); its MCP part is servers of small
        // products (NyxID, tsidp, Accounted) and labels that name them.
        ("cases-ab.jsonl", floor(27, 0.98, 0.90, 0.90, 0.62)),
        // AC: hosted APIs (Shopify, Dropbox, HubSpot, Stripe, X...) and smaller
        // self-hosted servers (Rauthy, Kanidm, UAA, ThunderID) the knowledge base
        // had not met; measured first at 99 / 74.7 / 81.8 / 60.6 %.
        ("cases-ac.jsonl", floor(99, 0.98, 0.86, 0.92, 0.83)),
        // AD: the most-hit providers again, measured first at 97.3 / 86.3 / 91.8 /
        // 82.2 %; its MCP servers of small products name none.
        ("cases-ad.jsonl", floor(73, 0.98, 0.91, 0.97, 0.84)),
        // AE: measured first at 100 / 86.3 / 88.2 / 86.3 %, after AD's work; a
        // third of it read from vendors' code where the threads were used up.
        ("cases-ae.jsonl", floor(51, 0.98, 0.84, 0.90, 0.88)),
        // AF: 29 when the search budget ran out; measured first at 100 / 75.9 /
        // 82.8 / 82.8 %: its 12 providers' cases all right, its MCP and
        // self-hosted half the misses.
        ("cases-af.jsonl", floor(29, 0.98, 0.79, 0.86, 0.82)),
        // AG: measured first at 98.1 / 81.5 / 85.2 / 57.4 %: its providers' part
        // 100 / 94 / 94 / 83 %; hosted APIs (Box, Xero, Twitch, LinkedIn,
        // Microsoft Graph) and MCP clients' texts the knowledge base lacked.
        ("cases-ag.jsonl", floor(54, 0.98, 0.94, 0.96, 0.85)),
        // AH: measured first at 100 / 70.8 / 77.1 / 66.7 %, after AG's work: MCP
        // servers' registration and resource checks, client libraries' wrappers,
        // Keycloak's event log and Auth0's lost login session.
        ("cases-ah.jsonl", floor(48, 0.98, 0.87, 0.93, 0.79)),
        // AI: measured first at 100 / 75.5 / 81.1 / 77.4 %, after AH's work: MCP
        // clients against small products' servers, SPA libraries' CORS failures.
        ("cases-ai.jsonl", floor(53, 0.98, 0.81, 0.88, 0.79)),
        // AJ: 13 of the listed providers when the search budget ran out,
        // measured first at 100 / 69.2 / 92.3 / 100 %, after AI's work.
        ("cases-aj.jsonl", floor(13, 0.98, 0.84, 0.84, 0.92)),
        // AK: measured first at 98.1 / 73.1 / 80.8 / 57.7 %, after AJ's work: the
        // providers' part 81 / 94 / 88 %; servers, MCP and client libraries the
        // knowledge base did not know (BookStack, Snowflake, ContextForge, Pomerium,
        // traefik-forward-auth, league/oauth2-client, flutter_appauth).
        ("cases-ak.jsonl", floor(52, 0.96, 0.92, 0.94, 0.67)),
        // AL: measured first at 95.5 / 65.9 / 68.2 / 61.4 %, after AK's work and its
        // knowledge-base passes: Entra's Conditional Access page, Firebase, Vault,
        // Cloudflare Access, Slack's Bolt for Java, MSAL's Python helpers.
        ("cases-al.jsonl", floor(44, 0.97, 0.88, 0.93, 0.79)),
        // AM: measured first at 100 / 73.0 / 78.4 / 73.0 %, after AL's work: the
        // providers' part 57 / 71 / 93 % (Firebase's console line and Admin SDK,
        // Cognito's identity pool, Keycloak's user events).
        ("cases-am.jsonl", floor(37, 0.97, 0.89, 0.91, 0.75)),
        // AN: measured first at 97.1 / 63.2 / 70.6 / 58.8 %, after AM's work: the
        // providers' part 73 / 73 / 86 % (rare Entra codes, Firebase's Identity
        // Toolkit codes, Google's impersonation); MCP SDKs and small servers 64 / 73 /
        // 50 %; client libraries and hosted APIs 54 / 67 / 42 % (angular-auth-oidc-client,
        // openidconnect-rs, Strava, Canvas, Atlassian).
        ("cases-an.jsonl", floor(68, 0.95, 0.81, 0.86, 0.72)),
        // AO: measured first at 97.0 / 65.2 / 71.2 / 45.5 %, after AN's work: the
        // providers' part 62 / 67 / 62 % (Google Sign-In's Play services codes, GitHub
        // Actions OIDC, IAM Identity Center, Teams SSO, Quarkus); MCP clients and
        // small servers 67 / 71 / 52 %; consumer APIs 67 / 76 / 19 % (Yahoo, Reddit,
        // TikTok, Etsy, eBay, HubSpot, Zoom).
        ("cases-ao.jsonl", floor(66, 0.95, 0.85, 0.88, 0.73)),
        // AP: measured first at 95.7 / 64.3 / 67.1 / 47.1 %, after AO's work: the
        // providers' part 56 / 60 / 80 % (Entra External ID, workload identity's
        // external issuers, PyPI trusted publishing, Auth0's multi-resource refresh);
        // MCP clients, gateways and servers 75 / 79 / 29 %; self-hosted apps and
        // proxies 62 / 62 / 29 % (Istio and Envoy, mod_auth_openidc, Kubernetes,
        // WordPress's OIDC plugin).
        ("cases-ap.jsonl", floor(70, 0.93, 0.83, 0.85, 0.66)),
        // AQ: measured first at 97.0 / 77.6 / 82.1 / 56.7 %, after AP's work and
        // the fallback's guess words: the providers' part 90 / 90 / 81 % (Entra,
        // Google, GitHub, Keycloak through downstream apps); self-hosted servers and
        // MCP 68 / 73 / 41 % (WSO2, Janssen and Gluu, Figma's MCP server); libraries,
        // gateways and hosted APIs 75 / 83 / 50 % (lua-resty-openidc behind Kong
        // and APISIX, Twitch, Figma, Miro).
        ("cases-aq.jsonl", floor(67, 0.95, 0.86, 0.88, 0.72)),
        // AR: measured first at 100 / 73.1 / 73.1 / 56.7 %, after AQ's work: the
        // providers through downstream apps 77 / 77 / 77 % (Backstage, Vaultwarden,
        // mod_oauth2, Grafana, Vault); MCP servers and identity servers 76 / 76 / 33 %
        // (claude.ai's connector, the MCP registry, Apereo CAS, FusionAuth); hosted
        // APIs and libraries 67 / 67 / 58 % (Shopify, Square, PayPal, DocuSign,
        // Autodesk, athenahealth, Twitch).
        ("cases-ar.jsonl", floor(67, 0.97, 0.85, 0.85, 0.72)),
        // AS: measured first at 97.5 / 57.5 / 70.0 / 42.5 %, after AR's work, in two
        // parts when the session's search budget was nearly spent: the named
        // providers 100 / 74 / 79 / 63 % (Entra's AADSTS28000 and 28003, Slack's
        // missing_scope, Google and Auth0 refusing offline_access); consumer APIs,
        // gateways and small servers 95 / 43 / 62 / 24 % (Instagram, Patreon,
        // Battle.net, Netatmo, Ecobee, Coinbase, Bitbucket, Kakao, LINE, KrakenD, Tyk).
        ("cases-as.jsonl", floor(40, 0.95, 0.67, 0.80, 0.52)),
        // AT: measured first at 100 / 73.0 / 83.8 / 27.0 %, after AS's work and the
        // nearest-message guess (64.9 / 73.0 % true cause with the commit before the
        // guess): the named providers and MCP clients 100 / 94 / 94 / 41 %; hosted and
        // consumer APIs, proxies and small servers 100 / 55 / 75 / 15 %. Its misses
        // were worked on in session 17 (83.8 / 89.2 / 29.7 % after).
        ("cases-at.jsonl", floor(37, 0.97, 0.80, 0.86, 0.27)),
        // AU: measured first at 97.0 / 51.5 / 63.6 / 57.6 %, after AT's work and
        // before session 17's passes over the named providers' sources (Entra,
        // Keycloak, fosite and Authelia, Better Auth, Okta, Auth0, Google, Cognito),
        // which moved none of it: real pastes only, the named providers through
        // downstream tools (Terraform providers, Immich, Mealie) 50 / 60 / 80 %; MCP
        // clients against small products' servers 52 / 65 / 48 %.
        ("cases-au.jsonl", floor(33, 0.95, 0.69, 0.78, 0.57)),
        // AV: measured first at 100 / 66.0 / 78.7 / 63.8 %, after AU's work and
        // session 17's passes, real pastes only: the named providers through
        // infrastructure tools (Terraform providers, the Auth0 Deploy CLI,
        // okta-aws-cli, CI jobs, Vault) 65 / 70 / 83 %; MCP clients' 2026 failures
        // and self-hosted apps behind an identity provider 67 / 88 / 46 %.
        ("cases-av.jsonl", floor(47, 0.97, 0.72, 0.87, 0.70)),
        // AW: measured first at 96.4 / 75.0 / 85.7 / 50.0 %, after all of session
        // 17's passes, real pastes only, the collectors finding 28 of 50: the named
        // providers through their mobile and browser SDKs 94 / 75 / 88 / 50 %;
        // self-hosted identity servers seen from the apps in front of them 100 / 75 /
        // 83 / 50 %.
        ("cases-aw.jsonl", floor(28, 0.93, 0.78, 0.85, 0.53)),
        // AX: measured first at 97.6 / 75.6 / 82.9 / 63.4 %, after the whole of
        // session 17, real pastes only: the named providers through relying-party
        // frameworks and self-hosted apps (Auth.js, Authlib, Streamlit, Metabase,
        // Nextcloud, Home Assistant) 94.7 / 63.2 / 73.7 / 68.4 %; hosted APIs and
        // MCP connectors (HubSpot, Dropbox, Pinterest, ChatGPT, Gemini) 100 / 86.4 /
        // 90.9 / 59.1 %.
        ("cases-ax.jsonl", floor(41, 0.95, 0.82, 0.90, 0.73)),
        // AY: measured first at 100 / 61.1 / 66.7 / 50.0 %, after AX's work, real
        // pastes only: self-hosted apps' own OIDC login errors (Gitea, Portainer,
        // Memos, Karakeep, Audiobookshelf, Actual, HumHub behind Keycloak) 100 / 66.7
        // / 66.7 / 52.4 %; backends and gateways validating the named providers'
        // tokens (Ocelot, Kong, Envoy Gateway, APISIX, MAS, hapi) 100 / 53.3 / 66.7 /
        // 46.7 %.
        ("cases-ay.jsonl", floor(36, 0.97, 0.72, 0.83, 0.52)),
        // AZ: measured first at 100 / 46.2 / 51.3 / 28.2 %, after AY's work and the
        // identifier and specification-sentence rules, real pastes only, in two
        // domains the knowledge base had not met: data platforms and databases with
        // Entra, Okta or Snowflake tokens 100 / 60.0 / 66.7 / 13.3 %; mail over IMAP,
        // SMTP and Graph with XOAUTH2 100 / 37.5 / 41.7 / 37.5 %.
        ("cases-az.jsonl", floor(39, 0.97, 0.76, 0.84, 0.74)),
        // BA: measured first at 100 / 65.5 / 82.8 / 44.8 %, after all of session 18's
        // passes and rules, real pastes only from mid-2025 to late 2026: the named
        // providers (Entra's workload identity federation, Okta's SDKs and DPoP,
        // nextjs-auth0's state cookie, Google's Workspace CLI, Cognito) 100 / 66.7 /
        // 100 / 83.3 %; AI agent and developer tooling (Warp, Crush, Vercel's AI SDK,
        // Google ADK, Spring AI, LangChain, LiteLLM) 100 / 64.7 / 70.6 / 17.6 %.
        ("cases-ba.jsonl", floor(29, 0.96, 0.69, 0.86, 0.44)),
        // BB: measured first at 97.1 / 60.0 / 77.1 / 60.0 % with session 18's
        // knowledge base, and at 97.1 / 60.0 / 77.1 / 62.9 % once session 19's passes
        // over the same domain's sources were in (Git Credential Manager, the GitHub
        // CLI, azd, rclone, Headscale, Teleport, step-ca), still untouched: real pastes
        // from command-line tools and the device flow (aws sso, az, gcloud, rclone,
        // Heroku, wrangler, Teleport, Allegro's device flow).
        ("cases-bb.jsonl", floor(35, 0.94, 0.82, 0.88, 0.80)),
        // BC: measured first at 97.5 / 72.5 / 82.5 / 17.5 %, and at 97.5 / 77.5 /
        // 87.5 / 22.5 % once session 19's passes over SMART on FHIR (Medplum, the
        // SMART client, Oracle Health), LTI 1.3 and government logins were in, still
        // untouched: real pastes from healthcare, education, smart-home account
        // linking, carriers and open banking.
        ("cases-bc.jsonl", floor(40, 0.95, 0.87, 0.90, 0.47)),
        // BD: measured first at 97.5 / 57.5 / 70.0 / 45.0 %, after BB's and BC's work,
        // real pastes met while wiring an integration: API clients (Postman, Bruno,
        // Insomnia, Swagger UI), browser extensions' identity APIs, Apps Script, n8n,
        // Airbyte, Power Platform and Logic Apps connectors.
        ("cases-bd.jsonl", floor(40, 0.95, 0.67, 0.82, 0.62)),
        // BE: measured first at 100 / 61.1 / 69.4 / 27.8 %, with BD: enterprise
        // platforms and Java middleware (Open Liberty, Helidon, SAP BTP, AD FS, Apigee,
        // Kong, Cloud Run and IAP, Tomcat, Quarkus, WAM).
        ("cases-be.jsonl", floor(36, 0.97, 0.75, 0.80, 0.50)),
        // BF: measured first at 90.0 / 55.0 / 57.5 / 15.0 % after BD's and BE's work,
        // and at 90.0 / 60.0 / 65.0 / 35.0 % once session 19's pass over the same
        // domain's sources was in, still untouched: business SaaS APIs (Zoho,
        // NetSuite, Intuit, Zendesk, Intercom, Shopify, eBay, Exact Online, Webex).
        ("cases-bf.jsonl", floor(40, 0.90, 0.70, 0.75, 0.42)),
        // BG: measured first at 95.0 / 40.0 / 50.0 / 2.5 %, and at 95.0 / 47.5 / 57.5
        // / 15.0 % once the pass over AT Protocol OAuth, the fediverse, Epic, Xbox
        // and fitness APIs was in, still untouched: Bluesky, PeerTube, GoToSocial,
        // osu!, EOS, itch.io, WHOOP, Google Fit, Deezer, SoundCloud, Last.fm, Trakt,
        // Sonos, Plex.
        ("cases-bg.jsonl", floor(40, 0.92, 0.67, 0.75, 0.35)),
        // BH (session 20): the core vendors again, through threads no set had used,
        // mostly 2025 and 2026 (Google, Authelia, GitHub, Supabase, Clerk, Better
        // Auth, Keycloak, Spring Security, IdentityServer3, Salesforce); measured
        // once, untouched: 100 / 81.2 / 93.8 / 56.2 %. Only 16: the collector found
        // the core vendors' threads with a pasted error and a settled cause used up.
        ("cases-bh.jsonl", floor(16, 0.93, 0.75, 0.87, 0.50)),
        // BI (session 22): the core vendors once more (Entra, Hydra, Supabase, Okta,
        // Spring, Google, OpenIddict, Salesforce, GitHub, Keycloak), measured once,
        // untouched, with the session's engine work and knowledge-base passes in:
        // 100 / 92.3 / 92.3 / 69.2 %. Only 13: the threads are nearly used up.
        ("cases-bi.jsonl", floor(13, 0.92, 0.84, 0.84, 0.69)),
        // BJ (session 23): the listed vendors through downstream applications and
        // sample repositories (Entra, Slack, Keycloak, GitLab, Discord, GitHub,
        // Google, Hydra) and Java middleware (Open Liberty, SAP XSUAA, IBM Verify);
        // measured once, untouched, with the session's first engine rules and gap
        // passes in: 95.8 / 79.2 / 83.3 / 58.3 % (the session's starting build reads
        // it the same); 100 / 87.5 / 91.7 / 58.3 % after (a bare code's colon, RFC
        // 6749's "redirection URI" as a topic, Open Liberty's social login codes).
        ("cases-bj.jsonl", floor(24, 0.95, 0.83, 0.87, 0.54)),
        // BK (session 23): the listed providers through client libraries in Elixir,
        // Ruby, Java, PHP and .NET (ueberauth, OmniAuth, the oauth2 gem, OWIN,
        // IdentityModel, gitlab4j, league/oauth2-client); measured once, untouched,
        // after BJ's work and the Liberty, IBM Verify and SAP pass: 100 / 84.2 / 94.7
        // / 89.5 % (the session's starting build reads it the same).
        ("cases-bk.jsonl", floor(19, 0.95, 0.78, 0.89, 0.84)),
        // BL (session 23): MCP connections of 2025 and 2026 (claude.ai's connectors,
        // Claude Code, Codex, Microsoft 365 Copilot, small MCP hosts against Notion,
        // Entra, Atlassian and small servers); only 10, the threads are nearly used
        // up. Measured once, untouched, after BK's work: 100 / 50 / 60 / 40 % (the
        // session's starting build reads it the same); 100 / 70 / 90 / 40 % once a
        // description that relays an upstream's code was read as that code, Entra's
        // AADSTS9000411 was in and Claude's ofid message offered a refused client.
        ("cases-bl.jsonl", floor(10, 0.95, 0.65, 0.85, 0.35)),
        // BM (session 24): Stack Exchange and other Q&A pages of the search tool's
        // `pages` corpus for the listed providers; only 7 of 55 look-ups (Salesforce
        // 5, Auth0, Entra). Measured once, untouched, with the session's vendor and
        // invalid_grant work in: 100 / 71.4 / 85.7 / 71.4 % (the session's starting
        // build reads it the same); 100 / 85.7 / 100 / 100 % after Salesforce's
        // Login History status and its pretty-printed `invalid code verifier`.
        ("cases-bm.jsonl", floor(7, 0.95, 0.85, 0.95, 0.95)),
        // BN (session 24): vendors' forums, docs repositories, gitlab.com issues and
        // troubleshooting pages (GitLab, Entra, Argo CD, Kubernetes, Dex, OpenSearch,
        // Posit Connect); measured with BM: 100 / 66.7 / 83.3 / 66.7 % (the starting
        // build 100 / 66.7 / 88.9 / 66.7 %); 100 / 88.9 / 88.9 / 83.3 % after the
        // pass over Argo CD, OpenSearch, Posit Connect, json-jwt and kube-apiserver's
        // OIDC authenticator, and Dex's missing claim read as the upstream's token.
        ("cases-bn.jsonl", floor(18, 0.95, 0.83, 0.83, 0.77)),
        // BO (session 24): the `docs` corpus's gitlab.com issues, GitHub wikis,
        // docs repositories and Chinese developer blogs (Spring, Login.gov, Coder,
        // Google, GitLab, Duende, PingOne, WeChat); 10 of its 24 are texts as the
        // vendors' troubleshooting pages print them. Measured once, untouched, after
        // BM's and BN's work: 100 / 87.5 / 87.5 / 29.2 % (the starting build the
        // same); 100 / 95.8 / 95.8 / 41.7 % after the Login.gov, Coder, PingOne and
        // WeChat pass. Seven of its vendor misses name the right product under our
        // own id (`login-gov` for `login.gov` 3, `spring-security-oauth` for
        // `spring-security-oauth2` 2, `ping` for `pingone`, `open-liberty` for
        // `websphere-liberty`), left as the collector labelled them.
        ("cases-bo.jsonl", floor(24, 0.95, 0.91, 0.91, 0.37)),
        // BP (session 24): developer blogs outside English (CSDN, cnblogs, juejin,
        // Qiita, Zenn, velog) and Microsoft Q&A, real pastes only; 11 of 53
        // look-ups (Spring 5, Entra 2, Cognito, Google, Kakao, Auth0). Measured once,
        // untouched, after BO's work: 90.9 / 90.9 / 100 / 72.7 % (the starting build
        // the same); 90.9 / 100 / 100 / 72.7 % after the Microsoft account
        // endpoint's `redirect_uri` sentence (AADSTS70000) was in.
        ("cases-bp.jsonl", floor(11, 0.9, 0.95, 0.95, 0.7)),
        // BQ to BS (session 25): texts read from the products' own source code and
        // the closed services' documentation, rendered as each product emits them
        // (the public corpus takes ten of its cases so), no template of an earlier
        // set. Measured once each, untouched, with the session's start: BQ
        // (Keycloak, Dex, Hydra, authentik, ZITADEL, Supabase, Authelia) 100 / 84.4
        // / 93.8 / 93.8 %, BR (node-oidc-provider, oauthlib, Authlib, Better Auth,
        // Duende, Doorkeeper, Spring) 100 / 93.8 / 96.9 / 96.9 %, BS (client
        // libraries: MCP SDKs, MSAL, mcp-remote, Google, Auth0, Okta, Cognito,
        // GitHub, Slack, Clerk) 100 / 96.9 / 100 / 100 %. After authentik's PKCE
        // log line and the vendor's copy of a specification sentence weighed under
        // its own words: BQ 100 / 96.9 / 100 / 93.8 %, BR 100 / 96.9 / 96.9 /
        // 96.9 %.
        ("cases-bq.jsonl", floor(32, 0.95, 0.93, 0.96, 0.9)),
        ("cases-br.jsonl", floor(32, 0.95, 0.93, 0.93, 0.93)),
        ("cases-bs.jsonl", floor(32, 0.95, 0.93, 0.96, 0.96)),
        // BT to BV (session 25), the same way, each measured as it arrived by the
        // starting build (the session's build then read BT and BV the same): BT (the parts of the servers BQ and BR left: Keycloak's PAR, DPoP
        // and client policies, fosite's RFC 7523 and 8693 handlers, Duende's DPoP
        // and device flow, Dex's device flow and connectors, ZITADEL's client
        // registration, Spring Authorization Server's device and DPoP) 100 / 90.6 /
        // 100 / 93.8 %; BU (the closed services' error references: Entra, Okta,
        // Auth0, Slack, Cognito, Salesforce, GitHub) 96.8 / 90.3 / 90.3 / 90.3 %; BV
        // (client libraries: the MCP C# and Go SDKs, go-oidc, openid-client, VS
        // Code, Microsoft.Identity.Web, Auth.js, Spring Security, Better Auth)
        // 100 / 90.6 / 90.6 / 78.1 %. After: BT 100 / 96.9 / 100 / 96.9 %, BU 100 /
        // 90.3 / 90.3 / 93.5 %, BV 100 / 93.8 / 93.8 / 100 % (Microsoft.Identity.Web
        // its own vendor, the Go SDK and VS Code passes).
        ("cases-bt.jsonl", floor(32, 0.95, 0.93, 0.96, 0.93)),
        ("cases-bu.jsonl", floor(31, 0.95, 0.87, 0.87, 0.9)),
        ("cases-bv.jsonl", floor(32, 0.95, 0.9, 0.9, 0.96)),
        // BW (session 25), the same way: the listed products BQ to BV covered least
        // (ZITADEL's OIDC library, node-oidc-provider's authorization checks, Better
        // Auth's MCP and OIDC plugins, Supabase's OAuth server, doorkeeper-openid_connect,
        // Clerk's JWT assertions, Authlib's RFC 7523). Measured once, untouched, with
        // the starting build and with the session's last: 100 / 96.7 / 96.7 / 93.3 %
        // both (the misses: words two products share, and a judgement call on a tag).
        ("cases-bw.jsonl", floor(30, 0.95, 0.93, 0.93, 0.9)),
        // BX to CC (session 26), the same way, each measured once as it arrived by
        // the starting build: the client libraries and the products around the
        // servers. BX (Keycloak's CIBA and client policies, keycloak-js, the admin
        // clients, Hydra's consent and logout, Kratos) 100 / 82.8 / 89.7 / 72.4 %; BY
        // (MSAL for .NET, Java, Python and JS, Azure Identity, the Azure CLI) 100 /
        // 75.0 / 81.2 / 75.0 %; BZ (Okta's and Auth0's SDKs and Okta's error table)
        // 96.9 / 87.5 / 93.8 / 71.9 %; CA (Google's auth libraries, Amplify and
        // Cognito, octokit and gh) 100 / 69.0 / 79.3 / 86.2 %; CB (Kong, Envoy,
        // Istio, oauth2-proxy, Vouch, mod_auth_openidc, Pomerium, Spring and ASP.NET
        // Core resource servers) 100 / 81.2 / 93.8 / 78.1 %; CC (MCP servers and
        // clients: Cloudflare's provider, FastMCP, the SDKs' server side, the
        // Inspector, LibreChat, Continue, Cline) 100 / 81.2 / 87.5 / 71.9 %. After the
        // session's passes over the same products' sources: BX 100 / 86.2 / 89.7 /
        // 82.8 %, BY 100 / 84.4 / 90.6 / 96.9 %, BZ 100 / 87.5 / 93.8 / 87.5 %, CA 100
        // / 79.3 / 86.2 / 89.7 %, CB 100 / 93.8 / 100 / 96.9 %, CC 100 / 93.8 / 100 /
        // 93.8 %.
        ("cases-bx.jsonl", floor(29, 0.95, 0.83, 0.86, 0.8)),
        ("cases-by.jsonl", floor(32, 0.95, 0.81, 0.87, 0.93)),
        ("cases-bz.jsonl", floor(32, 0.95, 0.84, 0.9, 0.84)),
        ("cases-ca.jsonl", floor(29, 0.95, 0.76, 0.83, 0.86)),
        ("cases-cb.jsonl", floor(32, 0.95, 0.9, 0.96, 0.93)),
        ("cases-cc.jsonl", floor(32, 0.95, 0.9, 0.96, 0.9)),
        // CD to CJ (session 27), the same way, each measured once as it arrived by
        // the starting build: the client libraries session 26 left. CD (Azure
        // Identity for Go, JS and Java, msal-node, MSAL Android and iOS, Graph
        // PowerShell) 100 / 56.2 / 65.6 / 56.2 %; CE (Auth0's server-side SDKs:
        // express-oauth2-jwt-bearer, go-jwt-middleware, the Java, Spring and PHP
        // SDKs, Lock, jwks-rsa-java) 90.6 / 78.1 / 84.4 / 53.1 %; CF (Okta's SDKs:
        // okta-aspnet, okta-aws-cli, the mobile SDKs, the verifiers, the management
        // SDKs) 100 / 85.7 / 85.7 / 39.3 %; CG (Spring Boot, Nimbus, pac4j,
        // Quarkus) 100 / 87.5 / 87.5 / 71.9 %; CH (AppAuth, react-native-app-auth,
        // expo-auth-session, Firebase, Apple) 100 / 68.8 / 75.0 / 62.5 %; CI
        // (Clerk, supabase-js and supabase-py, GitHub's API and octokit, Better
        // Auth's client side) 100 / 90.6 / 96.9 / 90.6 %; CJ (requests-oauthlib,
        // allauth, Authlib's clients, Flask-Dance, OmniAuth, league, passport,
        // grant, simple-oauth2, NextAuth v4) 100 / 71.9 / 75.0 / 56.2 %. After the
        // session's passes over the same products' sources: CD 100 / 87.5 / 93.8 /
        // 96.9 %, CE 90.6 / 87.5 / 93.8 / 96.9 %, CF 100 / 96.4 / 96.4 / 82.1 %, CG
        // 100 / 100 / 100 / 96.9 %, CH 100 / 81.2 / 87.5 / 87.5 % (84.4 % in the top 3
        // once CK to CP's vendors were in), CI unchanged, CJ 100 / 90.6 / 93.8 / 75.0 %.
        ("cases-cd.jsonl", floor(32, 0.95, 0.84, 0.9, 0.93)),
        ("cases-ce.jsonl", floor(32, 0.87, 0.84, 0.9, 0.93)),
        ("cases-cf.jsonl", floor(28, 0.95, 0.92, 0.92, 0.78)),
        ("cases-cg.jsonl", floor(32, 0.95, 0.96, 0.96, 0.93)),
        ("cases-ch.jsonl", floor(32, 0.95, 0.78, 0.81, 0.84)),
        ("cases-ci.jsonl", floor(32, 0.95, 0.87, 0.93, 0.87)),
        ("cases-cj.jsonl", floor(32, 0.95, 0.87, 0.9, 0.71)),
        // CK to CP (session 27, collected after CD to CJ's passes, cut short where the
        // session's search budget ran out): Keycloak's login pages, event log,
        // authorization services, standard token exchange and kcadm (CK); Google's
        // workload identity federation, auth libraries and API error bodies (CL);
        // the Salesforce CLI and Slack's OAuth SDKs (CM); JWT validation libraries
        // (CN); OAuth and OIDC clients in Rust, Go and .NET (CO); Python, PHP and Dart
        // clients (CP). Measured once as they arrived, by the starting build and by
        // a917656 (after CD to CJ's passes), nearly the same: together 98.1 / 68.6 /
        // 79.2 / 52.8 % and 98.1 / 69.2 / 81.1 / 52.8 %. Not tuned on: CN and CP
        // moved only where a pass over packages read from PyPI and Debian
        // (flask-jwt-extended, FastAPI, ruby-jwt, golang-jwt) and Laravel Passport's
        // own vendor named their products.
        ("cases-ck.jsonl", floor(27, 0.95, 0.55, 0.74, 0.7)),
        ("cases-cl.jsonl", floor(18, 0.83, 0.61, 0.72, 0.66)),
        ("cases-cm.jsonl", floor(18, 0.95, 0.44, 0.61, 0.66)),
        ("cases-cn.jsonl", floor(32, 0.95, 0.71, 0.71, 0.59)),
        ("cases-co.jsonl", floor(32, 0.93, 0.87, 0.93, 0.59)),
        ("cases-cp.jsonl", floor(32, 0.95, 0.68, 0.84, 0.25)),
    ];
    for (file, floor) in &floors {
        score(&dir.join(file)).assert_at_least(floor, file);
    }
}
