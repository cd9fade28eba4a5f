//! The server's metadata, pasted: checked against the specifications and the
//! requested scopes, and handed to the diagnosis as evidence. Nothing is fetched
//! here (the probe, `probe.rs`, fetches only when asked).

use leptos::prelude::*;

use crate::core::metadata::MetadataReport;

/// The paste box for a discovery document and what its check found. `open` and
/// `input` let the probe send a person here when the browser cannot fetch.
#[component]
pub fn MetadataPanel(
    metadata_text: RwSignal<String>,
    report: RwSignal<Option<Result<MetadataReport, String>>>,
    /// Whether the engine is still checking the text.
    checking: RwSignal<bool>,
    open: RwSignal<bool>,
    input: NodeRef<leptos::html::Textarea>,
) -> impl IntoView {
    view! {
        <details
            class="metadata"
            id="metadata-panel"
            prop:open=move || open.get()
            on:toggle=move |ev| open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())
        >
            <summary>"Paste the server's metadata (optional, offline)"</summary>
            <label for="metadata">
                "Paste the server's /.well-known/openid-configuration, oauth-authorization-server or oauth-protected-resource document"
            </label>
            <textarea
                id="metadata"
                node_ref=input
                rows="5"
                spellcheck="false"
                on:input=move |ev| metadata_text.set(event_target_value(&ev))
            ></textarea>
            <div class="metadata-check" aria-live="polite" aria-busy=move || checking.get().to_string()>
                {move || report.get().map(|r| match r {
                    Err(e) => view! { <p class="metadata-error" role="alert">{e}</p> }.into_any(),
                    Ok(r) => view! { <ReportView r=r /> }.into_any(),
                })}
            </div>
        </details>
    }
}

/// What a metadata check found: the facts a failing login hinges on, then the
/// problems.
#[component]
pub fn ReportView(r: MetadataReport) -> impl IntoView {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not stated",
    };
    let unadvertised = r.unadvertised_scopes.join(" ");
    view! {
        <div class="metadata-report" data-metadata-kind=format!("{:?}", r.kind).to_ascii_lowercase()>
            <dl>
                {r.issuer.clone().map(|i| view! { <dt>"issuer"</dt><dd><code>{i}</code></dd> })}
                {r.resource.clone().map(|i| view! { <dt>"resource"</dt><dd><code>{i}</code></dd> })}
                {(!r.authorization_servers.is_empty()).then(|| view! {
                    <dt>"authorization servers"</dt><dd><code>{r.authorization_servers.join(" ")}</code></dd>
                })}
                {(!unadvertised.is_empty()).then(|| view! {
                    <dt>"requested, not advertised"</dt><dd data-unadvertised=unadvertised.clone()><code>{unadvertised.clone()}</code></dd>
                })}
                <dt>"offline_access advertised"</dt><dd data-offline-access=yes_no(r.offline_access_advertised)>{yes_no(r.offline_access_advertised)}</dd>
                <dt>"refresh_token grant"</dt><dd>{yes_no(r.refresh_token_grant)}</dd>
                <dt>"PKCE S256"</dt><dd data-pkce-s256=yes_no(r.pkce_s256)>{yes_no(r.pkce_s256)}</dd>
                <dt>"dynamic registration"</dt><dd>{r.registration_endpoint.clone().unwrap_or_else(|| "no".into())}</dd>
            </dl>
            <ul class="metadata-problems">
                {r.problems.iter().map(|p| view! { <li data-problem=p.kind.clone()>{p.message.clone()}</li> }).collect_view()}
            </ul>
        </div>
    }
}
