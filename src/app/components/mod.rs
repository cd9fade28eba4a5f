//! The page's parts. Each takes what the engine computed and renders it as text:
//! pasted content is never interpreted as markup.

mod causes;
mod copy;
mod examples;
mod highlight;
mod kb_search;
mod metadata;
mod probe;
mod scope;
mod share;
mod summary;
mod tokens;

pub use causes::Causes;
pub use examples::Examples;
pub use highlight::Highlight;
pub use kb_search::KbSearch;
pub use metadata::MetadataPanel;
pub use probe::ProbePanel;
pub use scope::ScopePanel;
pub use share::ShareButton;
pub use summary::Summary;
pub use tokens::Tokens;

use leptos::prelude::*;

use crate::core::view::{inline_code, spec_url};

/// Knowledge-base prose, with its `code` spans rendered as code (as text, never
/// as markup).
#[component]
fn Prose(text: String) -> impl IntoView {
    inline_code(&text)
        .into_iter()
        .map(|(code, piece)| {
            let piece = piece.to_string();
            if code {
                view! { <code>{piece}</code> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

/// A spec reference, linked to the spec when it names one we know.
#[component]
fn SpecLink(spec: String) -> impl IntoView {
    match spec_url(&spec) {
        Some(url) => {
            view! { <a class="spec" href=url target="_blank" rel="noopener noreferrer">{spec}</a> }
                .into_any()
        }
        None => view! { <span class="spec">{spec}</span> }.into_any(),
    }
}
