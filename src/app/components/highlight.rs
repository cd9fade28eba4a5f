//! The pasted text with the evidence marked in place, so the person sees why.

use leptos::prelude::*;

use crate::core::diagnose::Diagnosis;
use crate::core::view::{MarkKind, marks, segments};

#[component]
pub fn Highlight(text: String, d: Diagnosis) -> impl IntoView {
    let m = marks(&d, &text);
    if m.is_empty() {
        return ().into_any();
    }
    let segs = segments(&text, &m);
    view! {
        <section class="highlight" aria-label="The pasted text, with the evidence marked">
            <h2>"Where it says so"</h2>
            <pre class="pasted">
                {segs.into_iter().map(|s| match s.mark {
                    None => s.text.into_any(),
                    Some(kind) => {
                        let (class, label) = match kind {
                            MarkKind::Code => ("mark-code", "error code"),
                            MarkKind::Message => ("mark-message", "known vendor message"),
                            MarkKind::VendorCode => ("mark-vendor-code", "vendor code"),
                            MarkKind::Scope => ("mark-scope", "the scope the message blames"),
                            MarkKind::Secret => ("mark-secret", "secret: never share"),
                        };
                        view! { <mark class=class title=label>{s.text}</mark> }.into_any()
                    }
                }).collect_view()}
            </pre>
        </section>
    }
    .into_any()
}
