//! "Copy share link": the paste, redacted, in the URL fragment (never the query, so
//! no server sees it). The button says what it removed.

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

use crate::core::redact::share_fragment;

#[component]
pub fn ShareButton(text: RwSignal<String>) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let on_click = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let link = text.with_untracked(|t| share_fragment(t));
        let href = window.location().href().unwrap_or_default();
        let base = href.split('#').next().unwrap_or_default().to_string();
        let url = format!("{base}#{}", link.fragment);
        let removed = if link.removed.is_empty() {
            "nothing secret found".to_string()
        } else {
            format!("redacted first: {}", link.removed.join(", "))
        };
        let promise = window.navigator().clipboard().write_text(&url);
        let done = Closure::once(move |_: JsValue| status.set(format!("Link copied ({removed}).")));
        let _ = promise.then(&done);
        done.forget();
    };
    view! {
        <div class="share">
            <button type="button" class="share-link" on:click=on_click>"Copy share link"</button>
            <span class="share-status" role="status">{move || status.get()}</span>
        </div>
    }
}
