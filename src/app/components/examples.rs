//! "Try an example": real errors from the knowledge base, one click each.

use leptos::prelude::*;

use crate::core::kb::GALLERY;

#[component]
pub fn Examples(on_pick: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    view! {
        <nav class="examples" aria-label="Try an example">
            <span class="examples-label">"Try an example:"</span>
            <ul>
                {GALLERY
                    .iter()
                    .map(|e| {
                        let text = e.text;
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
