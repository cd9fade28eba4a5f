//! The scope string: tokens as chips, each problem under its characters, and the
//! requested / allowed / granted comparison.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::engine::Latest;
use crate::core::page::{PageDiagnosis, Reply, Request};
use crate::core::scope::ScopeComparison;

#[component]
pub fn ScopePanel(p: Arc<PageDiagnosis>) -> impl IntoView {
    let analysis = &p.scopes;
    if analysis.text.is_empty() && analysis.problems.is_empty() {
        return ().into_any();
    }
    let allowed = RwSignal::new(String::new());
    let granted = RwSignal::new(String::new());
    // Compared in the engine, as the person types either list.
    let comparison = RwSignal::new(None::<ScopeComparison>);
    let nothing_to_compare = move || {
        allowed.with_untracked(|a| a.trim().is_empty())
            && granted.with_untracked(|g| g.trim().is_empty())
    };
    let compare = Latest::new(move |reply| {
        // An answer that arrives after both boxes were cleared is for nothing shown.
        if nothing_to_compare() {
            return;
        }
        comparison.set(match reply {
            Some(Reply::Compared { comparison }) => Some(comparison),
            _ => None,
        });
    });
    let requested = analysis.text.clone();
    Effect::new(move |_| {
        let given = |s: RwSignal<String>| s.with(|s| (!s.trim().is_empty()).then(|| s.clone()));
        match (given(allowed), given(granted)) {
            (None, None) => {
                compare.idle();
                comparison.set(None);
            }
            (allowed, granted) => compare.send(Request::CompareScopes {
                requested: requested.clone(),
                allowed,
                granted,
            }),
        }
    });
    view! {
        <section class="scope" aria-label="Scope analysis">
            <h2>"Scope (RFC 6749 §3.3)"</h2>
            <ul class="chips" aria-label="Scope tokens">
                {analysis.tokens.iter().map(|(t, faulty)| {
                    let class = if *faulty { "chip bad" } else { "chip" };
                    view! { <li><code class=class>{t.clone()}</code></li> }
                }).collect_view()}
            </ul>
            {if analysis.problems.is_empty() {
                view! { <p class="ok">"No problem with the scope string itself."</p> }.into_any()
            } else {
                view! {
                    <ul class="problems">
                        {analysis.problems.iter().map(|p| {
                            view! {
                                <li class=format!("problem {}", p.severity) data-problem=p.kind.clone()>
                                    <pre class="scope-text">{p.before.clone()}<mark class="at">{p.at.clone()}</mark>{p.after.clone()}</pre>
                                    <p>{p.message.clone()}{p.suggestion.clone().map(|s| view! { " " <em>{format!("({s})")}</em> })}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details class="compare">
                <summary>"Compare with the allowed or granted scopes"</summary>
                <label>"Allowed for the client, or advertised (scopes_supported)"
                    <input type="text" spellcheck="false" prop:value=move || allowed.get() on:input=move |ev| allowed.set(event_target_value(&ev)) />
                </label>
                <label>"Granted (the token response's scope)"
                    <input type="text" spellcheck="false" prop:value=move || granted.get() on:input=move |ev| granted.set(event_target_value(&ev)) />
                </label>
                {move || comparison.get().map(|c| {
                    let row = |label: &'static str, class: &'static str, items: Vec<String>| (!items.is_empty()).then(|| view! {
                        <p class=class>{label}" "{items.into_iter().map(|t| view! { <code class="chip">{t}</code> " " }).collect_view()}</p>
                    });
                    view! {
                        <div class="comparison">
                            {row("Not allowed:", "not-allowed", c.not_allowed)}
                            {row("Dropped silently:", "dropped", c.dropped)}
                            {row("Added by the server:", "extra", c.extra)}
                            {row("Fine:", "matched", c.matched)}
                        </div>
                    }
                })}
            </details>
        </section>
    }
    .into_any()
}
