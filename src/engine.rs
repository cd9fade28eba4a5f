//! The page's engine, built by Trunk for wasm32 (`--features worker`) and started
//! by the page in a Web Worker once it has mounted (`src/app/engine.rs`). It holds
//! the knowledge base and answers the page's questions ([`oauth_doctor::core::page`]),
//! so that the page's first load carries neither, and a long diagnosis never
//! blocks what the person sees. Once ready, it fetches the causes' prose
//! (`prose.json`, beside it on the site) itself: the page's main thread never
//! handles those megabytes.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{
    DedicatedWorkerGlobalScope, MessageEvent, ReferrerPolicy, RequestCache, RequestCredentials,
    RequestInit, RequestMode, Response,
};

use oauth_doctor::core::{diagnose, page};
use oauth_doctor::site::PROSE_FILE;

fn main() {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        // Not in a worker: nothing to answer.
        return;
    };
    let out = scope.clone();
    let mut engine = page::Engine::default();
    // A question that is no byte array is answered too (refused): the page waits for
    // every answer.
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let question = ev
            .data()
            .dyn_into::<Uint8Array>()
            .map(|q| q.to_vec())
            .unwrap_or_default();
        send(&out, &engine.answer(&question));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // The prose is asked for now, so that it downloads while the indexes are built.
    let prose_response = ask_prose(&scope);
    // The indexes are built before the page hears that the engine is ready, so that
    // its first question is answered at full speed.
    diagnose::warm_up();
    send(&scope, &page::ready());
    spawn_local(async move {
        let text = read_prose(prose_response).await;
        send(&scope, &page::prose_taken(text));
    });
}

/// Posts a message to the page, handing it the bytes (transferred, not copied).
fn send(scope: &DedicatedWorkerGlobalScope, message: &[u8]) {
    let bytes = Uint8Array::from(message);
    let _ = scope.post_message_with_transfer(&bytes, &js_sys::Array::of1(&bytes.buffer()));
}

/// Starts fetching `prose.json` from the site the worker was loaded from (the same
/// origin, no credentials, no referrer, revalidated).
fn ask_prose(scope: &DedicatedWorkerGlobalScope) -> js_sys::Promise {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::SameOrigin);
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoCache);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    scope.fetch_with_str_and_init(PROSE_FILE, &init)
}

/// The prose's text, or why it cannot be read.
async fn read_prose(response: js_sys::Promise) -> Result<String, String> {
    let unreadable = |what: &str| format!("{PROSE_FILE} could not be read ({what})");
    let response = JsFuture::from(response)
        .await
        .map_err(|_| unreadable("no answer"))?;
    let response: Response = response.dyn_into().map_err(|_| unreadable("no response"))?;
    if !response.ok() {
        return Err(unreadable(&format!("HTTP {}", response.status())));
    }
    let text = response.text().map_err(|_| unreadable("no body"))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| unreadable("the body broke off"))
}
