//! JWTs found in the paste, decoded and plainly marked as not verified.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::page::PageDiagnosis;

#[component]
pub fn Tokens(p: Arc<PageDiagnosis>) -> impl IntoView {
    let d = &p.diagnosis;
    if d.jwts.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="tokens" aria-label="Tokens found">
            <h2>"Tokens found"</h2>
            {d.jwts.iter().enumerate().map(|(i, j)| {
                let c = &j.jwt.claims;
                let alg = j.jwt.header.get("alg").map_or("?", String::as_str).to_string();
                let row = |k: &'static str, v: Option<String>| v.map(|v| view! { <dt>{k}</dt><dd><code>{v}</code></dd> });
                let expiry = p.token_expiry.get(i).cloned().flatten();
                view! {
                    <article class="jwt">
                        <p class="unverified"><strong>"Not verified: "</strong>"decoded only; the signature was not checked."</p>
                        <dl>
                            {row("alg", Some(alg))}
                            {row("iss", c.iss.clone())}
                            {row("aud", (!c.aud.is_empty()).then(|| c.aud.join(" ")))}
                            {row("scope / scp", (!c.scopes.is_empty()).then(|| c.scopes.join(" ")))}
                            {row("azp", c.azp.clone())}
                            {row("client_id", c.client_id.clone())}
                            {row("exp", expiry)}
                        </dl>
                    </article>
                }
            }).collect_view()}
        </section>
    }
    .into_any()
}
