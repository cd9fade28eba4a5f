//! The pasted text with the evidence marked in place, so the person sees why.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::page::PageDiagnosis;
use crate::core::view::MarkKind;

#[component]
pub fn Highlight(p: Arc<PageDiagnosis>) -> impl IntoView {
    if p.highlight.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="highlight" aria-label="The pasted text, with the evidence marked">
            <h2>"Where it says so"</h2>
            <pre class="pasted">
                {p.highlight.iter().map(|s| {
                    let text = s.text.clone();
                    match s.mark {
                        None => text.into_any(),
                        Some(kind) => {
                            let (class, label) = match kind {
                                MarkKind::Code => ("mark-code", "error code"),
                                MarkKind::Message => ("mark-message", "known vendor message"),
                                MarkKind::VendorCode => ("mark-vendor-code", "vendor code"),
                                MarkKind::Scope => ("mark-scope", "the scope the message blames"),
                                MarkKind::Secret => ("mark-secret", "secret: never share"),
                            };
                            view! { <mark class=class title=label>{text}</mark> }.into_any()
                        }
                    }
                }).collect_view()}
            </pre>
        </section>
    }
    .into_any()
}
