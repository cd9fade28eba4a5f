//! JWTs found in the paste, decoded and plainly marked as not verified.

use leptos::prelude::*;

use crate::core::diagnose::Diagnosis;
use crate::core::view::relative_time;

#[component]
pub fn Tokens(d: Diagnosis) -> impl IntoView {
    if d.jwts.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="tokens" aria-label="Tokens found">
            <h2>"Tokens found"</h2>
            {d.jwts.iter().map(|j| {
                let c = &j.jwt.claims;
                let alg = j.jwt.header.get("alg").map_or("?", String::as_str).to_string();
                let row = |k: &'static str, v: Option<String>| v.map(|v| view! { <dt>{k}</dt><dd><code>{v}</code></dd> });
                let expiry = j.expires_in.map(|s| if s < 0 {
                    format!("expired {}", relative_time(s))
                } else {
                    format!("expires {}", relative_time(s))
                });
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
