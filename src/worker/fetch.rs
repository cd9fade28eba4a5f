//! The probe's only I/O, done by the engine's worker: one GET for a URL the core's
//! plan names ([`crate::core::probe::Probe`]), with no credentials, no referrer and
//! no cache, aborted after [`TIMEOUT_MS`], and its body read no further than
//! [`MAX_BODY_BYTES`]. The browser's answer is turned into a [`Fetched`] and the
//! core says what it means.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, ReadableStreamDefaultReader, ReferrerPolicy, RequestCache, RequestCredentials,
    RequestInit, RequestMode, Response, WorkerGlobalScope,
};

use crate::core::probe::{Fetched, MAX_BODY_BYTES, TIMEOUT_MS};

/// Fetches `url` as the probe does, from the worker whose global scope is `scope`.
pub async fn fetch(scope: &WorkerGlobalScope, url: &str) -> Fetched {
    let Ok(controller) = AbortController::new() else {
        return Fetched::NetworkError { reachable: None };
    };
    let abort = {
        let controller = controller.clone();
        Closure::once_into_js(move || controller.abort())
    };
    let timer = scope
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            abort.unchecked_ref(),
            TIMEOUT_MS as i32,
        )
        .ok();
    let fetched = fetch_within(scope, url, &controller).await;
    if let Some(timer) = timer {
        scope.clear_timeout_with_handle(timer);
    }
    fetched
}

fn init(mode: RequestMode, controller: &AbortController) -> RequestInit {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(mode);
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    init.set_signal(Some(&controller.signal()));
    init
}

async fn fetch_within(
    scope: &WorkerGlobalScope,
    url: &str,
    controller: &AbortController,
) -> Fetched {
    let aborted = || controller.signal().aborted();
    let request = scope.fetch_with_str_and_init(url, &init(RequestMode::Cors, controller));
    let response = match JsFuture::from(request).await {
        Ok(response) => response,
        Err(_) if aborted() => return Fetched::Timeout,
        Err(_) => {
            // A CORS refusal and a failed connection look the same to a page. An
            // opaque request (its answer unreadable, the same URL) tells them apart:
            // it succeeds whenever the server answered at all.
            let opaque = scope.fetch_with_str_and_init(url, &init(RequestMode::NoCors, controller));
            let reachable = match JsFuture::from(opaque).await {
                Ok(_) => Some(true),
                Err(_) if aborted() => None,
                Err(_) => Some(false),
            };
            return Fetched::NetworkError { reachable };
        }
    };
    let Ok(response) = response.dyn_into::<Response>() else {
        return Fetched::NetworkError { reachable: None };
    };
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let declared = header("content-length").and_then(|l| l.trim().parse::<usize>().ok());
    if declared.is_some_and(|l| l > MAX_BODY_BYTES) {
        controller.abort();
        return Fetched::TooLarge;
    }
    let status = response.status();
    let content_type = header("content-type");
    let redirected_to = response.redirected().then(|| response.url());
    match read_capped(&response, controller).await {
        Ok(bytes) => Fetched::Response {
            status,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            redirected_to,
        },
        Err(why) => why,
    }
}

/// Reads the body chunk by chunk, and stops (cancelling the stream) once it passes
/// the cap, so an endless or huge answer costs no more than the cap.
async fn read_capped(
    response: &Response,
    controller: &AbortController,
) -> Result<Vec<u8>, Fetched> {
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::new();
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(chunk) => chunk,
            Err(_) if controller.signal().aborted() => return Err(Fetched::Timeout),
            Err(_) => return Err(Fetched::Interrupted),
        };
        let field = |name: &str| Reflect::get(&chunk, &JsValue::from_str(name)).ok();
        if field("done").and_then(|d| d.as_bool()).unwrap_or(true) {
            return Ok(body);
        }
        let Some(value) = field("value").and_then(|v| v.dyn_into::<Uint8Array>().ok()) else {
            return Err(Fetched::Interrupted);
        };
        let len = value.length() as usize;
        if body.len() + len > MAX_BODY_BYTES {
            let _ = reader.cancel();
            controller.abort();
            return Err(Fetched::TooLarge);
        }
        let start = body.len();
        body.resize(start + len, 0);
        value.copy_to(&mut body[start..]);
    }
}
