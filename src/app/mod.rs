//! The page: a thin Leptos shell around the engine. Components render the view
//! of a diagnosis that the engine computed ([`PageDiagnosis`]); no diagnosis logic
//! lives here. Pasted text never leaves the page; the only requests made for it are the
//! discovery probe's, by the engine's worker, for a URL the person types.

mod components;
pub(crate) mod engine;

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::metadata::MetadataReport;
use crate::core::page::{PageDiagnosis, Reply, Request};
use crate::core::probe::ProbeView;
use crate::core::redact::paste_from_fragment;
use components::{
    Causes, Examples, Highlight, KbSearch, MetadataPanel, ProbePanel, ScopePanel, ShareButton,
    Summary, Tokens,
};
use engine::{EngineState, EngineStatus, Latest};

/// Where the site's root is, relative to the current document: `""` on the
/// diagnosis page, `"../../"` on a static entry page. Links to permalinks are
/// prefixed with it.
#[derive(Debug, Clone, Default)]
pub struct SiteRoot(pub String);

impl SiteRoot {
    /// The link to a permalink path from here.
    pub fn href(path: &str) -> String {
        let root = use_context::<SiteRoot>().unwrap_or_default();
        format!("{}{path}", root.0)
    }
}

/// Whether the causes' explanations, fixes and steps are loaded (`Some(true)`),
/// could not be (`Some(false)`) or are on their way (`None`): the diagnoses read it,
/// so that they are made again, in words, once `prose.json` has arrived.
#[derive(Debug, Clone, Copy)]
pub struct ProseReady(pub RwSignal<Option<bool>>);

impl ProseReady {
    /// Subscribes the caller (a memo) to the prose's arrival.
    fn track() {
        if let Some(p) = use_context::<ProseReady>() {
            p.0.track();
        }
    }
}

/// Starts the engine (its worker) from the site's `root` and gives the app its
/// [`EngineStatus`] and [`ProseReady`]: the engine fetches the causes' prose
/// (`prose.json`) itself once it is ready, and says whether it could.
fn provide_engine(root: String) {
    let ready = RwSignal::new(None);
    provide_context(ProseReady(ready));
    engine::start(&root, move |error| {
        if let Some(e) = &error {
            leptos::logging::warn!(
                "oauth-doctor: {e}; causes are shown without their explanations"
            );
        }
        ready.set(Some(error.is_none()));
        engine::mark(
            "data-prose",
            if error.is_none() { "loaded" } else { "failed" },
        );
    });
}

/// Starts the app: the whole page on `index.html`; on a static knowledge-base page
/// (`crate::site`), only its `#app-slot`, which gets the index's filter or a paste
/// box that diagnoses in place.
pub fn start() {
    // A panic stops the page's wasm: the console says where, for a bug report.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("oauth-doctor: {info}").into());
    }));
    let slot = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app-slot"));
    let root =
        match slot.and_then(|s| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(s).ok()) {
            Some(slot) => {
                let root = slot.get_attribute("data-root").unwrap_or_default();
                let kb = slot.get_attribute("data-view").as_deref() == Some("kb");
                let site_root = SiteRoot(root.clone());
                let prose_root = root.clone();
                leptos::mount::mount_to(slot, move || {
                    provide_context(site_root);
                    provide_engine(prose_root);
                    if kb {
                        view! { <KbSearch embedded=true /> }.into_any()
                    } else {
                        view! { <InlineDiagnosis /> }.into_any()
                    }
                })
                .forget();
                root
            }
            None => {
                leptos::mount::mount_to_body(|| {
                    provide_context(SiteRoot::default());
                    provide_engine(String::new());
                    view! { <App /> }
                });
                String::new()
            }
        };
    register_service_worker(&root);
}

/// The diagnosis of what `text` holds, asked of the engine whenever the text, the
/// server's metadata (`metadata`) or the causes' prose changes; the newest answer
/// only (`None` while nothing is pasted), and whether a newer one is on its way.
fn diagnosis_of(
    text: RwSignal<String>,
    metadata: impl Fn() -> Option<MetadataReport> + 'static,
) -> (RwSignal<Option<Arc<PageDiagnosis>>>, RwSignal<bool>) {
    // Shared, not copied, by the parts that show it.
    let shown = RwSignal::new(None::<Arc<PageDiagnosis>>);
    let latest = Latest::new(move |reply| {
        // An answer that arrives after the box was cleared is for nothing shown.
        if let Some(Reply::Diagnosed { diagnosis }) = reply
            && !text.with_untracked(|t| t.trim().is_empty())
        {
            shown.set(Some(Arc::from(diagnosis)));
        }
    });
    let pending = latest.pending();
    Effect::new(move |_| {
        ProseReady::track();
        let metadata = metadata();
        let Some(text) = text.with(|t| (!t.trim().is_empty()).then(|| t.clone())) else {
            shown.set(None);
            latest.idle();
            return;
        };
        latest.send(Request::Diagnose {
            text,
            now: Some(now()),
            metadata,
        });
    });
    (shown, pending)
}

/// What the result area says while a paste has no diagnosis to show: the engine
/// still loading, or stopped.
#[component]
fn Waiting() -> impl IntoView {
    move || {
        match EngineStatus::get() {
        EngineState::Failed(why) => view! {
            <p class="engine-error" role="alert">
                {format!("The diagnosis engine could not start ({why}). Reload the page; the oauth-doctor command line reads the same text.")}
            </p>
        }
        .into_any(),
        EngineState::Loading => view! {
            <p class="engine-loading" role="status">"Loading the knowledge base…"</p>
        }
        .into_any(),
        EngineState::Ready => view! { <p class="engine-reading" role="status">"Reading the text…"</p> }.into_any(),
    }
    }
}

/// On a static page: a paste box, folded, that diagnoses in place.
#[component]
fn InlineDiagnosis() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let (diagnosis, pending) = diagnosis_of(text, || None);
    view! {
        <details class="inline-diagnose">
            <summary>"Diagnose your own error here (it never leaves this page)"</summary>
            <label for="paste">"Error body, redirect URL, header, log line or exception"</label>
            <textarea
                id="paste"
                rows="5"
                spellcheck="false"
                autocomplete="off"
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            {move || {
                (!text.with(|t| t.trim().is_empty())).then(|| {
                    let content = match diagnosis.get() {
                        Some(p) => view! { <Summary p=Arc::clone(&p) /> <Causes p=p /> }.into_any(),
                        None => view! { <Waiting /> }.into_any(),
                    };
                    view! { <div class="result" aria-live="polite" aria-busy=move || pending.get().to_string()>{content}</div> }
                })
            }}
        </details>
    }
}

/// Installs the service worker (`sw.js`, written by `oauth-doctor site`) that keeps
/// the page and the knowledge base working offline. Where the browser cannot (a
/// `file:` URL, an insecure origin, a host without `sw.js`), the page simply stays
/// online-only.
fn register_service_worker(root: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if !window.is_secure_context() {
        return;
    }
    let registering = window
        .navigator()
        .service_worker()
        .register(&format!("{root}sw.js"));
    leptos::task::spawn_local(async move {
        if wasm_bindgen_futures::JsFuture::from(registering)
            .await
            .is_err()
        {
            leptos::logging::log!("oauth-doctor: no service worker; the page works online only");
        }
    });
}

/// The current time in seconds, for token expiry.
fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The page's two views, chosen by the URL fragment: `#/kb` is the knowledge-base
/// index; anything else (empty, or a share link's `#paste=`) the diagnosis. The
/// entries themselves are static pages (`crate::site`), one per permalink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Diagnose,
    Kb,
}

/// Above this many bytes a paste is not shown whole in the box.
const LARGE_PASTE: usize = 128 * 1024;
/// How much of a large paste the box shows.
const PREVIEW: usize = 16 * 1024;

/// The start of a large paste, cut at a line end, as the box shows it.
fn preview(text: &str) -> String {
    let mut end = PREVIEW.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').map_or(end, |i| i + 1);
    format!("{}…", &text[..end])
}

fn current_route() -> Route {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if hash == "#/kb" {
        Route::Kb
    } else {
        Route::Diagnose
    }
}

#[component]
fn App() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let metadata_text = RwSignal::new(String::new());
    // The pasted metadata, checked against the specifications; what it advertises
    // becomes evidence in the diagnosis.
    let metadata = RwSignal::new(None::<Result<MetadataReport, String>>);
    let check = Latest::new(move |reply| {
        // An answer that arrives after the box was cleared is for nothing shown.
        if metadata_text.with_untracked(|m| m.trim().is_empty()) {
            return;
        }
        metadata.set(Some(match reply {
            Some(Reply::Metadata { report }) => (*report).map_err(|e| e.to_string()),
            _ => {
                Err("the diagnosis engine is not running: the document could not be checked".into())
            }
        }));
    });
    let checking = check.pending();
    Effect::new(
        move |_| match metadata_text.with(|m| (!m.trim().is_empty()).then(|| m.clone())) {
            None => {
                check.idle();
                metadata.set(None);
            }
            Some(text) => check.send(Request::CheckMetadata { text }),
        },
    );
    // The server's metadata as the probe fetched it, when it found a document.
    let probe = RwSignal::new(None::<ProbeView>);
    let probed = Memo::new(move |_| probe.with(|p| p.as_ref().and_then(|p| p.report().cloned())));
    // A pasted document wins over a fetched one: the person chose it.
    let (diagnosis, pending) = diagnosis_of(text, move || {
        metadata.get().and_then(Result::ok).or_else(|| probed.get())
    });
    let requested_scope = Signal::derive(move || {
        diagnosis.with(|p| {
            p.as_ref()
                .map(|p| &p.scopes.text)
                .filter(|s| !s.trim().is_empty())
                .cloned()
        })
    });
    let metadata_open = RwSignal::new(false);
    let metadata_ref = NodeRef::<leptos::html::Textarea>::new();
    // The probe sends a person to the paste box when the browser cannot read the
    // document; the box gets the focus once its panel is open.
    let open_metadata = Callback::new(move |()| {
        metadata_open.set(true);
        request_animation_frame(move || {
            if let Some(el) = metadata_ref.get_untracked() {
                let _ = el.focus();
            }
        });
    });
    let paste_ref = NodeRef::<leptos::html::Textarea>::new();
    // The size of a paste too large to show whole (see `on_paste`).
    let large = RwSignal::new(None::<usize>);
    // The paste box has the focus from the start; a share link fills it.
    Effect::new(move |_| {
        if let Some(el) = paste_ref.get() {
            let shared = web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .and_then(|h| paste_from_fragment(&h));
            if let Some(shared) = shared {
                el.set_value(&shared);
                text.set(shared);
            }
            let _ = el.focus();
        }
    });
    // The box is the source of truth while typing: its value is read on input and
    // written only when an example is picked, so a 1 MB paste is not copied back.
    let pick = move |example: String| {
        large.set(None);
        if let Some(el) = paste_ref.get() {
            el.set_value(&example);
            let _ = el.focus();
        }
        text.set(example);
    };
    // A very large paste goes to the diagnosis whole while the box shows its start
    // (read-only until cleared): laying out a megabyte in a textarea freezes the
    // browser for a quarter of a second by itself (scripts/bench-page.mjs).
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let Some(pasted) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
            return;
        };
        if pasted.len() <= LARGE_PASTE {
            return;
        }
        ev.prevent_default();
        if let Some(el) = paste_ref.get() {
            el.set_value(&preview(&pasted));
        }
        large.set(Some(pasted.len()));
        text.set(pasted);
    };
    let clear_large = move |_| {
        large.set(None);
        text.set(String::new());
        if let Some(el) = paste_ref.get() {
            el.set_value("");
            let _ = el.focus();
        }
    };

    // What the share button last said, until the text changes.
    let share_status = RwSignal::new(String::new());
    Effect::new(move |_| {
        text.track();
        if share_status.with_untracked(|s| !s.is_empty()) {
            share_status.set(String::new());
        }
    });

    let route = RwSignal::new(current_route());
    let _ = window_event_listener(leptos::ev::hashchange, move |_| route.set(current_route()));

    view! {
        <header class="top">
            <h1>"OAuth Doctor"</h1>
            <nav aria-label="Site">
                <a href="#" aria-current=move || (route.get() == Route::Diagnose).then_some("page")>"Diagnose"</a>
                " · "
                <a href="#/kb" aria-current=move || (route.get() == Route::Kb).then_some("page")>"Knowledge base"</a>
            </nav>
            <p class="tagline">
                "Paste what your failing OAuth 2.0 or OpenID Connect login printed. "
                <strong>"It never leaves this page."</strong>
            </p>
        </header>
        {move || (route.get() == Route::Kb).then(|| view! { <main class="kb-view"><KbSearch /></main> })}
        // The diagnosis stays mounted while the index is shown, so the paste survives.
        <main class="diagnose-view" hidden=move || route.get() != Route::Diagnose>
            <section class="paste" aria-labelledby="paste-label">
                <label id="paste-label" for="paste">
                    "Error body, redirect URL, WWW-Authenticate header, log line or exception"
                </label>
                <textarea
                    id="paste"
                    node_ref=paste_ref
                    spellcheck="false"
                    autocomplete="off"
                    rows="8"
                    placeholder="error=invalid_scope error_description='The following scopes are invalid: offline_access'"
                    readonly=move || large.get().is_some()
                    aria-describedby="large-paste"
                    on:paste=on_paste
                    on:input=move |ev| {
                        large.set(None);
                        text.set(event_target_value(&ev));
                    }
                ></textarea>
                <p id="large-paste" class="large-paste" role="status" hidden=move || large.get().is_none()>
                    {move || large.get().map(|n| format!(
                        "{} KB pasted: the box shows the first {} KB, the diagnosis reads all of it. ",
                        n / 1024,
                        PREVIEW / 1024,
                    ))}
                    <button type="button" on:click=clear_large>"Clear"</button>
                </p>
                <Examples on_pick=pick />
                <MetadataPanel metadata_text=metadata_text report=metadata checking=checking open=metadata_open input=metadata_ref />
                <ProbePanel probe=probe requested_scope=requested_scope open_metadata=open_metadata />
            </section>
            <section class="result" aria-live="polite" aria-label="Diagnosis" aria-busy=move || pending.get().to_string()>
                {move || {
                    let empty = text.with(|t| t.trim().is_empty());
                    match diagnosis.get() {
                        _ if empty => view! {
                            <p class="empty">
                                "Paste an error above, or try an example. The diagnosis appears as you type."
                            </p>
                        }
                            .into_any(),
                        None => view! { <Waiting /> }.into_any(),
                        Some(p) => view! {
                            <div>
                                {p.notes.iter().map(|n| view! { <p class="note">{n.clone()}</p> }).collect_view()}
                                <ShareButton text=text status=share_status />
                                <Summary p=Arc::clone(&p) />
                                <Causes p=Arc::clone(&p) />
                                <ScopePanel p=Arc::clone(&p) />
                                <Highlight p=Arc::clone(&p) />
                                <Tokens p=p />
                            </div>
                        }
                        .into_any(),
                    }
                }}
            </section>
        </main>
        <footer>
            <p>
                "Runs entirely in your browser (Rust + WebAssembly). Tokens are decoded, never verified, never sent."
            </p>
        </footer>
    }
}
