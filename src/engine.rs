//! The page's engine, built by Trunk for wasm32 (`--features worker`) and started
//! by the page in a Web Worker once it has painted (`src/app/engine.rs`). It holds
//! the knowledge base and answers the page's questions ([`oauth_doctor::core::page`]),
//! so that the page's first load carries neither, and a long diagnosis never
//! blocks what the person sees.

use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use oauth_doctor::core::{diagnose, page};

fn main() {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        // Not in a worker: nothing to answer.
        return;
    };
    let out = scope.clone();
    let mut engine = page::Engine::default();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        if let Some(question) = ev.data().as_string() {
            let _ = out.post_message(&JsValue::from_str(&engine.answer(&question)));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // The indexes are built before the page hears that the engine is ready, so that
    // its first question is answered at full speed.
    diagnose::warm_up();
    let _ = scope.post_message(&JsValue::from_str(&page::ready()));
}
