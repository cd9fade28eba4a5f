//! The server's metadata, pasted: checked against the specifications and the
//! requested scopes, and handed to the diagnosis as evidence. Nothing is fetched.

use leptos::prelude::*;

use crate::core::metadata::MetadataReport;

/// The paste box for a discovery document and what its check found.
#[component]
pub fn MetadataPanel(
    metadata_text: RwSignal<String>,
    report: Memo<Option<Result<MetadataReport, String>>>,
) -> impl IntoView {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not stated",
    };
    view! {
        <details class="metadata">
            <summary>"Add the server's metadata (optional, offline)"</summary>
            <label for="metadata">
                "Paste the server's /.well-known/openid-configuration, oauth-authorization-server or oauth-protected-resource document"
            </label>
            <textarea
                id="metadata"
                rows="5"
                spellcheck="false"
                on:input=move |ev| metadata_text.set(event_target_value(&ev))
            ></textarea>
            {move || report.get().map(|r| match r {
                Err(e) => view! { <p class="metadata-error" role="alert">{e}</p> }.into_any(),
                Ok(r) => view! {
                    <div class="metadata-report" data-metadata-kind=format!("{:?}", r.kind).to_lowercase()>
                        <dl>
                            {r.issuer.clone().map(|i| view! { <dt>"issuer"</dt><dd><code>{i}</code></dd> })}
                            {r.resource.clone().map(|i| view! { <dt>"resource"</dt><dd><code>{i}</code></dd> })}
                            <dt>"offline_access advertised"</dt><dd data-offline-access=yes_no(r.offline_access_advertised)>{yes_no(r.offline_access_advertised)}</dd>
                            <dt>"PKCE S256"</dt><dd>{yes_no(r.pkce_s256)}</dd>
                            <dt>"dynamic registration"</dt><dd>{r.registration_endpoint.clone().unwrap_or_else(|| "no".into())}</dd>
                        </dl>
                        <ul class="metadata-problems">
                            {r.problems.iter().map(|p| view! { <li data-problem=p.kind>{p.message.clone()}</li> }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
            })}
        </details>
    }
}
