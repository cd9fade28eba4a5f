//! "Try an example": real errors from the knowledge base, one click each.

use leptos::prelude::*;

use crate::core::kb::gallery;

#[component]
pub fn Examples(on_pick: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let examples = gallery();
    view! {
        <nav class="examples" aria-label="Try an example">
            <span class="examples-label">"Try an example:"</span>
            <ul>
                {examples
                    .iter()
                    .map(|e| {
                        let text = e.text.clone();
                        view! {
                            <li>
                                <button type="button" class="example" data-example=e.id.clone() title=e.source.clone() on:click=move |_| on_pick(text.clone())>
                                    {e.title.clone()}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
