//! JWTs found in the paste, decoded and plainly marked as not verified.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::page::PageDiagnosis;

#[component]
pub fn Tokens(p: Arc<PageDiagnosis>) -> impl IntoView {
    if p.tokens.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="tokens" aria-label="Tokens found">
            <h2>"Tokens found"</h2>
            {p.tokens.iter().map(|t| {
                let row = |k: &'static str, v: Option<String>| v.map(|v| view! { <dt>{k}</dt><dd><code>{v}</code></dd> });
                view! {
                    <article class="jwt">
                        <p class="unverified"><strong>"Not verified: "</strong>"decoded only; the signature was not checked."</p>
                        <dl>
                            {row("alg", Some(t.alg.clone()))}
                            {row("iss", t.iss.clone())}
                            {row("aud", t.aud.clone())}
                            {row("scope / scp", t.scopes.clone())}
                            {row("azp", t.azp.clone())}
                            {row("client_id", t.client_id.clone())}
                            {row("exp", t.expiry.clone())}
                        </dl>
                    </article>
                }
            }).collect_view()}
        </section>
    }
    .into_any()
}
