//! "Try an example": real errors from the knowledge base, one click each; the
//! box is filled at once, even before the engine has loaded.

use leptos::prelude::*;

use crate::core::kb::{GALLERY, GALLERY_TEXTS};

#[component]
pub fn Examples(on_pick: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    view! {
        <nav class="examples" aria-label="Try an example">
            <span class="examples-label">"Try an example:"</span>
            <ul>
                {GALLERY
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let text = GALLERY_TEXTS.get(i).copied().unwrap_or_default();
                        view! {
                            <li>
                                <button type="button" class="example" data-example=e.id title=e.source on:click=move |_| on_pick(text.to_string())>
                                    {e.title}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
