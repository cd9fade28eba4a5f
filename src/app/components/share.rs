//! "Copy share link": the paste, redacted, in the URL fragment (never the query, so
//! no server sees it). The button says what it removed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::app::engine::ask;
use crate::core::page::{Reply, Request};

/// `status` is the app's, so that what the button said survives the diagnosis
/// being drawn again (the causes' prose arriving); the app clears it when the text
/// changes.
#[component]
pub fn ShareButton(text: RwSignal<String>, status: RwSignal<String>) -> impl IntoView {
    let on_click = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let text = text.get_untracked();
        spawn_local(async move {
            // The engine finds the secrets: only it has the knowledge base's codes.
            let Some(Reply::Shared { link }) = ask(Request::Share { text }).await else {
                status.set("No link: the diagnosis engine is not running, so secrets could not be found and removed.".into());
                return;
            };
            let href = window.location().href().unwrap_or_default();
            let base = href.split('#').next().unwrap_or_default().to_string();
            let url = format!("{base}#{}", link.fragment);
            let removed = if link.removed.is_empty() {
                "nothing secret found".to_string()
            } else {
                format!("redacted first: {}", link.removed.join(", "))
            };
            let copied = JsFuture::from(window.navigator().clipboard().write_text(&url)).await;
            status.set(match copied {
                Ok(_) => format!("Link copied ({removed})."),
                Err(_) => "The browser did not let the page copy the link.".to_string(),
            });
        });
    };
    view! {
        <div class="share">
            <button type="button" class="share-link" on:click=on_click>"Copy share link"</button>
            <span class="share-status" role="status">{move || status.get()}</span>
        </div>
    }
}
