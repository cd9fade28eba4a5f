//! The extracted fields: code, description, vendor, vendor codes, scopes.

use std::sync::Arc;

use leptos::prelude::*;

use super::{Prose, SpecLink};
use crate::app::SiteRoot;
use crate::core::page::PageDiagnosis;

#[component]
pub fn Summary(p: Arc<PageDiagnosis>) -> impl IntoView {
    let code_entry = p.code_entry.clone();
    let field = |key: &str| {
        p.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let state = field("state");
    // Base64-encoded JSON the text carried (a SASL XOAUTH2 error challenge), decoded.
    let decoded = field("decoded");
    // What the request itself said, where the paste shows it: the RFC 8707 resource
    // or audience an MCP client sent is often the answer.
    let request: Vec<(String, String)> = p
        .fields
        .iter()
        .filter(|(k, _)| k != "state" && k != "decoded")
        .cloned()
        .collect();
    let vendor = p.vendor.clone().unwrap_or_default();
    view! {
        <section class="summary" aria-label="What the text says">
            <h2>"What the text says"</h2>
            <dl>
                {p.error.clone().map(|c| view! {
                    <dt>"Error code"</dt>
                    <dd>
                        {match &code_entry {
                            Some(e) => view! {
                                <a class="error-code-link" href=SiteRoot::href(&e.path) target="_blank">
                                    <code class="error-code" data-error-code=c.clone()>{c.clone()}</code>
                                </a>
                            }.into_any(),
                            None => view! { <code class="error-code" data-error-code=c.clone()>{c.clone()}</code> }.into_any(),
                        }}
                        {p.error_spec.clone().map(|s| view! { " " <SpecLink spec=s /> })}
                        {code_entry.clone().map(|e| view! {
                            <details class="code-entry">
                                <summary>{e.title}</summary>
                                <p><Prose text=e.summary /></p>
                            </details>
                        })}
                    </dd>
                })}
                {p.error_description.clone().map(|v| view! { <dt>"Description"</dt><dd class="description">{v}</dd> })}
                {decoded.map(|v| view! { <dt>"Decoded from base64"</dt><dd><code data-field="decoded">{v}</code></dd> })}
                {p.error_uri.clone().map(|v| view! { <dt>"error_uri"</dt><dd><code>{v}</code></dd> })}
                {p.vendor_name.clone().map(|name| view! {
                    <dt>"Vendor"</dt><dd data-vendor=vendor.clone()>{name}</dd>
                })}
                {(!p.vendor_codes.is_empty()).then(|| view! {
                    <dt>"Vendor codes"</dt>
                    <dd>{p.vendor_codes.iter().map(|c| view! { <code class="vendor-code">{c.clone()}</code> " " }).collect_view()}</dd>
                })}
                {(!p.blamed_scopes.is_empty()).then(|| view! {
                    <dt>"Blamed scopes"</dt>
                    <dd>{p.blamed_scopes.iter().map(|s| view! { <code class="chip blamed">{s.clone()}</code> " " }).collect_view()}</dd>
                })}
                {state.map(|v| view! { <dt>"state"</dt><dd><code>{v}</code></dd> })}
                {request.into_iter().map(|(k, v)| view! {
                    <dt>{k.clone()}</dt><dd><code data-field=k>{v}</code></dd>
                }).collect_view()}
                {p.resource_server.then(|| view! {
                    <dt>"From"</dt><dd>"a resource server's WWW-Authenticate challenge (RFC 6750 §3)"</dd>
                })}
            </dl>
            {(!p.secrets.is_empty()).then(|| view! {
                <p class="secrets" role="note">
                    {format!("This text holds secrets ({}): they stay on this page; redact them before sharing it anywhere.", p.secrets.join(", "))}
                </p>
            })}
        </section>
    }
}
