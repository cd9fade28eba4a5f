//! The page's engine, in a Web Worker (built by Trunk for wasm32 from
//! `src/engine.rs`, `--features worker`), started by the page once it has mounted
//! (`src/app/engine.rs`). It holds the knowledge base and answers the page's
//! questions ([`crate::core::page`]), so that the page's first load carries
//! neither, and a long diagnosis never blocks what the person sees. Once ready, it
//! fetches the causes' prose (`prose.json`, beside it on the site) itself: the
//! page's main thread never handles those megabytes. It also runs the discovery
//! probe's fetches ([`fetch`]), one at a time, answering after each.

mod fetch;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{
    DedicatedWorkerGlobalScope, MessageEvent, ReferrerPolicy, RequestCache, RequestCredentials,
    RequestInit, RequestMode, Response,
};

use crate::core::{diagnose, page};
use crate::site::PROSE_FILE;

/// Starts the engine in the worker it runs in.
pub fn start() {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        // Not in a worker: nothing to answer.
        return;
    };
    let engine = Rc::new(RefCell::new(page::Engine::default()));
    // A question that is no byte array is answered too (refused): the page waits for
    // every answer.
    let on_message = {
        let scope = scope.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let question = ev
                .data()
                .dyn_into::<Uint8Array>()
                .map(|q| q.to_vec())
                .unwrap_or_default();
            let answered = engine.borrow_mut().answer(&question);
            send(&scope, &answered.message);
            if answered.fetch.is_some() {
                spawn_local(probe(scope.clone(), Rc::clone(&engine), answered));
            }
        })
    };
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

/// Runs a probe's fetches one at a time, from the first URL its question
/// `answered` named, answering that question after each; it stops when the probe
/// is over or a newer one replaced it. The engine is borrowed between fetches only.
async fn probe(
    scope: DedicatedWorkerGlobalScope,
    engine: Rc<RefCell<page::Engine>>,
    mut answered: page::Answered,
) {
    while let Some(target) = answered.fetch.take() {
        let started = js_sys::Date::now();
        let fetched = fetch::fetch(&scope, &target.url).await;
        let elapsed = (js_sys::Date::now() - started).max(0.0) as u32;
        let Some(next) = engine
            .borrow_mut()
            .record(answered.id, fetched, Some(elapsed))
        else {
            return;
        };
        send(&scope, &next.message);
        answered = next;
    }
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

/// Posts a message to the page, handing it the bytes (transferred, not copied).
fn send(scope: &DedicatedWorkerGlobalScope, message: &[u8]) {
    let bytes = Uint8Array::from(message);
    let _ = scope.post_message_with_transfer(&bytes, &js_sys::Array::of1(&bytes.buffer()));
}
