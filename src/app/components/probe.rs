//! The discovery probe: the one feature that uses the network, and only for the
//! URL the person types. The engine plans the fetches, runs them one at a time in
//! its worker and reads their outcomes ([`crate::core::probe::Probe`]); this
//! component shows each as a line of a flight log, with a way forward when it
//! fails.

use leptos::prelude::*;

use super::copy::CopyButton;
use super::metadata::ReportView;
use crate::app::engine::{follow, forget};
use crate::core::page::{Reply, Request};
use crate::core::probe::{ProbeView, Step, Target};

/// The URL box, the flight log and the document found. `requested_scope` is what
/// the diagnosis read from the paste; it is compared in the engine, never sent.
#[component]
pub fn ProbePanel(
    probe: RwSignal<Option<ProbeView>>,
    requested_scope: Signal<Option<String>>,
    open_metadata: Callback<()>,
) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let running = RwSignal::new(false);
    // The fetch under way, shown as the last line of the log while it runs.
    let in_flight = RwSignal::new(None::<Target>);
    // The question of the probe under way: a newer probe stops hearing it.
    let following = StoredValue::new(None::<u32>);

    let start = move || {
        let window = web_sys::window();
        if window.as_ref().is_some_and(|w| !w.navigator().on_line()) {
            error.set(Some(
                "You are offline: the probe is the page's only network feature. Everything else works; paste the metadata document instead.".into(),
            ));
            return;
        }
        let https = window
            .and_then(|w| w.location().protocol().ok())
            .is_some_and(|p| p == "https:");
        let request = Request::ProbeStart {
            input: url.get_untracked(),
            https,
            scope: requested_scope.get_untracked(),
        };
        if let Some(old) = following.get_value() {
            forget(old);
        }
        running.set(true);
        let id = follow(request, move |reply| {
            let (probed, fetching) = match reply {
                Some(Reply::Probe { probe, fetching }) => (Some(*probe), fetching),
                _ => (None, None),
            };
            let over = fetching.is_none();
            in_flight.set(fetching);
            match probed {
                Some(Ok(view)) => {
                    error.set(None);
                    probe.set(Some(view));
                }
                Some(Err(e)) => {
                    error.set(Some(e));
                    probe.set(None);
                }
                None => error.set(Some("The diagnosis engine is not running, and the probe needs it to fetch and read what the server sends. Reload the page, or paste the document instead.".into())),
            }
            if over {
                running.set(false);
            }
        });
        following.set_value(id);
    };

    view! {
        <details class="probe" id="probe-panel">
            <summary>"Fetch the server's metadata (optional, uses the network)"</summary>
            <form
                class="probe-form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    start();
                }
            >
                <label for="probe-url">
                    "Issuer, .well-known URL, or MCP server URL. Only this URL (and the metadata URLs derived from it) is fetched; nothing you pasted is sent."
                </label>
                <div class="probe-row">
                    <input
                        id="probe-url"
                        type="url"
                        inputmode="url"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="https://auth.example.com/realms/main"
                        on:input=move |ev| url.set(event_target_value(&ev))
                    />
                    <button type="submit" class="probe-go" disabled=move || running.get()>
                        {move || if running.get() { "Fetching…" } else { "Fetch" }}
                    </button>
                </div>
            </form>
            {move || error.get().map(|e| view! { <p class="probe-error" role="alert">{e}</p> })}
            <div class="probe-result" aria-live="polite" aria-busy=move || running.get().to_string()>
                {move || probe.with(|p| p.as_ref().map(|p| {
                    let steps = p.steps.clone();
                    let report = p.report().cloned();
                    // The resource's own document, when the server's came from it.
                    let resource = p
                        .server
                        .is_some()
                        .then(|| p.resource.as_ref().map(|(_, r)| r.clone()))
                        .flatten();
                    let done = p.done && !running.get();
                    view! {
                        <ol class="flight-log">
                            {steps.into_iter().map(|s| view! { <StepLine step=s open_metadata=open_metadata /> }).collect_view()}
                            {move || in_flight.get().map(|t| view! {
                                <li class="step pending" data-step="pending">
                                    <span class="step-what">
                                        <code class="step-url">{t.url}</code>
                                        <span class="step-why">{t.why}</span>
                                    </span>
                                    <span class="step-outcome">"fetching…"</span>
                                </li>
                            })}
                        </ol>
                        {match report {
                            // The verdict once the last fetch is back: a resource's
                            // metadata is found before its server's is asked for.
                            Some(r) if done => view! {
                                <p class="probe-verdict" data-probe="found">
                                    "The diagnosis now takes this document into account."
                                </p>
                                <ReportView r=r />
                                {resource.map(|r| view! {
                                    <h3 class="probe-resource">"The protected resource (RFC 9728)"</h3>
                                    <ReportView r=r />
                                })}
                            }.into_any(),
                            None if done => view! {
                                <p class="probe-verdict" data-probe="not-found">
                                    "No metadata document could be read. Each step above says why and what to do; the curl commands fetch the same URLs outside the browser. "
                                    <button type="button" class="paste-instead" on:click=move |_| open_metadata.run(())>
                                        "Paste the document instead"
                                    </button>
                                </p>
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                    }
                }))}
            </div>
        </details>
    }
}

/// One line of the flight log: the URL fetched, why, and what came of it.
#[component]
fn StepLine(step: Step, open_metadata: Callback<()>) -> impl IntoView {
    let o = step.outcome;
    let elapsed = step.elapsed_ms.map(|ms| format!(" ({ms} ms)"));
    // Where the browser cannot read the document, pasting it is the way forward.
    let paste_instead = matches!(
        o.kind.as_str(),
        "cors" | "mixed-content" | "unreachable" | "timeout"
    );
    view! {
        <li class="step" class:ok=o.ok data-step=o.kind>
            <span class="step-what">
                <code class="step-url">{step.target.url}</code>
                <span class="step-why">{step.target.why}</span>
            </span>
            <span class="step-outcome">{o.message}{elapsed}</span>
            {o.next.map(|n| view! { <span class="step-next">{n}</span> })}
            {o.curl.map(|c| view! {
                <span class="command">
                    <code>{c.clone()}</code>
                    <CopyButton text=c label="Copy the curl command".into() />
                </span>
            })}
            {paste_instead.then(|| view! {
                <button type="button" class="paste-instead" on:click=move |_| open_metadata.run(())>
                    "Paste the document instead"
                </button>
            })}
        </li>
    }
}
