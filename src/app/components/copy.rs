//! A button that copies a command to the clipboard and says so.

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

#[component]
pub fn CopyButton(text: String, label: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
        if let Some(clipboard) = clipboard {
            let promise = clipboard.write_text(&text);
            // Mark as copied when the browser confirms. One small closure per
            // click is handed to the browser for good.
            let done = Closure::once(move |_: JsValue| copied.set(true));
            let _ = promise.then(&done);
            done.forget();
        }
    };
    view! {
        <button type="button" class="copy" on:click=on_click aria-label=label>
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}
