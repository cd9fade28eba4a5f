//! "Try an example": real errors from the knowledge base, one click each. The
//! interface carries their titles; the engine sends the text of the one picked.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::engine::ask;
use crate::core::kb::GALLERY;
use crate::core::page::{Reply, Request};

#[component]
pub fn Examples(on_pick: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    view! {
        <nav class="examples" aria-label="Try an example">
            <span class="examples-label">"Try an example:"</span>
            <ul>
                {GALLERY
                    .iter()
                    .map(|e| {
                        let id = e.id;
                        let pick = move |_| {
                            spawn_local(async move {
                                let request = Request::Example { id: id.to_string() };
                                if let Some(Reply::Example { text: Some(text) }) = ask(request).await {
                                    on_pick(text);
                                }
                            });
                        };
                        view! {
                            <li>
                                <button type="button" class="example" data-example=e.id title=e.source on:click=pick>
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
