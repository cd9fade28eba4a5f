//! The page's side of the engine: the worker that holds the knowledge base and
//! diagnoses (`src/engine.rs`), started once the page has mounted, and the
//! questions sent to it ([`crate::core::page`]). The page's own wasm has neither the
//! knowledge base nor the diagnosis: that is what keeps its first load small.
//!
//! Questions asked before the worker is ready wait in a queue; if the worker cannot
//! start or stops, every question gets `None` and [`EngineStatus`] says so.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures_channel::oneshot;
use js_sys::Uint8Array;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::core::page::{Answer, Ask, Reply, Request};
use crate::site::ENGINE_LOADER;

/// Whether the engine is starting, answering, or could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineState {
    Loading,
    Ready,
    /// Why it stopped, for the person.
    Failed(String),
}

/// The engine's state, in the app's context.
#[derive(Debug, Clone, Copy)]
pub struct EngineStatus(pub RwSignal<EngineState>);

impl EngineStatus {
    /// The state, tracked (a view that reads it is redrawn when it changes).
    pub fn get() -> EngineState {
        use_context::<EngineStatus>().map_or(EngineState::Loading, |s| s.0.get())
    }
}

#[derive(Default)]
struct Engine {
    worker: Option<Worker>,
    ready: bool,
    failed: bool,
    /// Questions asked before the worker said it was ready.
    queued: Vec<Vec<u8>>,
    /// Answers awaited, by question number.
    waiting: HashMap<u32, Waiter>,
    next: u32,
}

/// Who hears the answers to a question.
enum Waiter {
    /// One answer, then the question is done ([`ask`]).
    Once(oneshot::Sender<Reply>),
    /// Every answer, until the engine says there is no more, or the page forgets
    /// the question ([`follow`]). `None`: the engine stopped.
    Every(Rc<dyn Fn(Option<Reply>)>),
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::default());
}

/// Starts the worker from the site at `root` and provides [`EngineStatus`].
/// `on_prose` hears whether the engine could take the causes' prose (the error if
/// not), which it fetches itself once ready.
pub fn start(root: &str, on_prose: impl Fn(Option<String>) + 'static) {
    let status = RwSignal::new(EngineState::Loading);
    provide_context(EngineStatus(status));
    // A module worker: Trunk's shim imports the engine's wasm-bindgen module, which
    // finds its wasm beside itself.
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = match Worker::new_with_options(&format!("{root}{ENGINE_LOADER}"), &options) {
        Ok(w) => w,
        Err(e) => {
            fail(status, format!("the browser refused to start it ({e:?})"));
            return;
        }
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let bytes = ev
            .data()
            .dyn_into::<Uint8Array>()
            .map(|b| b.to_vec())
            .unwrap_or_default();
        // An engine of another build (a cache that kept one half of a deploy), or
        // one that says what the page cannot read: no answer will come from it.
        let answer = match Answer::read(&bytes) {
            Ok(answer) => answer,
            Err(why) => {
                fail(status, format!("{why}; reload the page"));
                return;
            }
        };
        if let Reply::Prose { error } = answer.reply {
            on_prose(error);
            return;
        }
        // An engine that cannot read the page's questions.
        if let Reply::Refused { why } = answer.reply {
            fail(status, format!("{why}; reload the page"));
            return;
        }
        if let Reply::Ready { .. } = answer.reply {
            ENGINE.with_borrow_mut(|e| {
                e.ready = true;
                if let Some(w) = &e.worker {
                    for q in e.queued.drain(..) {
                        send(w, &q);
                    }
                }
            });
            status.set(EngineState::Ready);
            mark("data-engine", "ready");
            return;
        }
        let waiter = ENGINE.with_borrow_mut(|e| match e.waiting.get(&answer.id) {
            // A follower stays while more answers are to come.
            Some(Waiter::Every(f)) if answer.more => Some(Waiter::Every(Rc::clone(f))),
            _ => e.waiting.remove(&answer.id),
        });
        match waiter {
            Some(Waiter::Once(tx)) => {
                let _ = tx.send(answer.reply);
            }
            Some(Waiter::Every(f)) => f(Some(answer.reply)),
            None => {}
        }
    });
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
        ev.prevent_default();
        let why = ev.message();
        let why = if why.is_empty() {
            "its files could not be loaded".to_string()
        } else {
            why
        };
        fail(status, why);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_message.forget();
    on_error.forget();
    ENGINE.with_borrow_mut(|e| e.worker = Some(worker));
}

/// Posts a question to the worker, handing it the bytes (transferred, not copied).
fn send(worker: &Worker, question: &[u8]) {
    let bytes = Uint8Array::from(question);
    let _ = worker.post_message_with_transfer(&bytes, &js_sys::Array::of1(&bytes.buffer()));
}

/// Marks the engine as stopped: every awaited answer ends (as `None`).
fn fail(status: RwSignal<EngineState>, why: String) {
    let waiting = ENGINE.with_borrow_mut(|e| {
        e.failed = true;
        e.queued.clear();
        if let Some(w) = e.worker.take() {
            w.terminate();
        }
        std::mem::take(&mut e.waiting)
    });
    // The followers hear it; the askers' channels close as they are dropped.
    for waiter in waiting.into_values() {
        if let Waiter::Every(f) = waiter {
            f(None);
        }
    }
    leptos::logging::warn!("oauth-doctor: the engine stopped: {why}");
    status.set(EngineState::Failed(why));
    mark("data-engine", "failed");
}

/// Sets `attribute` on the document's root element: stable hooks for tests and
/// scripts (`data-engine`: `ready` or `failed`; `data-prose`: `loaded` or `failed`).
pub fn mark(attribute: &str, value: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute(attribute, value);
    }
}

/// Asks the engine; `None` when it is not running.
pub async fn ask(request: Request) -> Option<Reply> {
    let (tx, rx) = oneshot::channel();
    question(request, Waiter::Once(tx))?;
    rx.await.ok()
}

/// Asks the engine a question it answers more than once (the probe, after each
/// fetch): `on_reply` hears every answer, and `None` if the engine stops. The
/// question's number, for [`forget`]; `None` if the engine is not running (then
/// `on_reply` has heard `None`).
pub fn follow(request: Request, on_reply: impl Fn(Option<Reply>) + 'static) -> Option<u32> {
    let on_reply: Rc<dyn Fn(Option<Reply>)> = Rc::new(on_reply);
    let id = question(request, Waiter::Every(Rc::clone(&on_reply)));
    if id.is_none() {
        on_reply(None);
    }
    id
}

/// Stops hearing the answers to question `id`.
pub fn forget(id: u32) {
    ENGINE.with_borrow_mut(|e| e.waiting.remove(&id));
}

/// Sends a question (now, or once the worker is ready); `None` if the engine has
/// stopped.
fn question(request: Request, waiter: Waiter) -> Option<u32> {
    ENGINE.with_borrow_mut(|e| {
        if e.failed {
            return None;
        }
        let id = e.next.wrapping_add(1).max(1);
        e.next = id;
        let question = Ask::new(id, request).encode()?;
        e.waiting.insert(id, waiter);
        match (&e.worker, e.ready) {
            (Some(w), true) => send(w, &question),
            _ => e.queued.push(question),
        }
        Some(id)
    })
}

/// Questions of which only the newest answer matters (a diagnosis as the person
/// types): one is with the engine at a time, and a newer question waiting replaces
/// an older one, so typing into a long paste never piles up work.
pub struct Latest<F> {
    inner: Rc<RefCell<LatestState>>,
    on_reply: Rc<F>,
    pending: RwSignal<bool>,
}

#[derive(Default)]
struct LatestState {
    busy: bool,
    next: Option<Request>,
}

impl<F> Clone for Latest<F> {
    fn clone(&self) -> Self {
        Latest {
            inner: Rc::clone(&self.inner),
            on_reply: Rc::clone(&self.on_reply),
            pending: self.pending,
        }
    }
}

impl<F: Fn(Option<Reply>) + 'static> Latest<F> {
    /// `on_reply` gets each answer that is still the newest (`None`: no engine).
    pub fn new(on_reply: F) -> Self {
        Latest {
            inner: Rc::default(),
            on_reply: Rc::new(on_reply),
            pending: RwSignal::new(false),
        }
    }

    /// Whether a question waits for its answer: the view marks itself
    /// `aria-busy` (and tests wait for it to clear).
    pub fn pending(&self) -> RwSignal<bool> {
        self.pending
    }

    /// Nothing to ask (an empty box): not pending, whatever is still on its way.
    pub fn idle(&self) {
        self.inner.borrow_mut().next = None;
        self.pending.set(false);
    }

    pub fn send(&self, request: Request) {
        self.pending.set(true);
        {
            let mut s = self.inner.borrow_mut();
            if s.busy {
                s.next = Some(request);
                return;
            }
            s.busy = true;
        }
        self.run(request);
    }

    fn run(&self, request: Request) {
        let this = self.clone();
        spawn_local(async move {
            let reply = ask(request).await;
            let next = {
                let mut s = this.inner.borrow_mut();
                let next = s.next.take();
                s.busy = next.is_some();
                next
            };
            match next {
                // A newer question waits: this answer is already stale.
                Some(newer) => this.run(newer),
                None => {
                    (this.on_reply)(reply);
                    this.pending.set(false);
                }
            }
        });
    }
}
