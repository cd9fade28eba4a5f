//! The knowledge-base index, filtered as you type (`#/kb`): entries, vendors and
//! cause tags, each linking to its static page. A whole error message typed here
//! finds its entries through the template matcher (`core::search`, in the engine).

use leptos::prelude::*;

use crate::app::SiteRoot;
use crate::app::engine::Latest;
use crate::core::page::{EntryRow, Reply, Request, SearchView};
use crate::site::tag_path;

/// The most entries listed at once; the filter narrows the rest.
const SHOWN: usize = 150;

/// `embedded`: on the static index page (`kb/`), above the full list, rather than
/// as the app's `#/kb` view.
#[component]
pub fn KbSearch(#[prop(optional)] embedded: bool) -> impl IntoView {
    let query = RwSignal::new(String::new());
    // `None` until the engine has answered the first time.
    let results = RwSignal::new(None::<SearchView>);
    let latest = Latest::new(move |reply| {
        if let Some(Reply::Searched { results: r }) = reply {
            results.set(Some(r));
        }
    });
    let searching = latest.pending();
    Effect::new(move |_| {
        latest.send(Request::Search {
            query: query.get(),
            shown: SHOWN,
        });
    });
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let entry_item = move |e: EntryRow| {
        view! {
            <li data-entry=e.id>
                <a href=SiteRoot::href(&e.path)><code>{e.label}</code></a>
                " "
                {e.title}
            </li>
        }
    };
    view! {
        <section class="kb-search" aria-labelledby="kb-search-title">
            <h2 id="kb-search-title">{if embedded { "Filter the index" } else { "Knowledge base" }}</h2>
            {(!embedded).then(|| view! {
                <p>
                    "Every registered error code and the real messages of the vendors people hit. "
                    <a href="kb/">"The full index"</a>
                    " works without JavaScript; "
                    <a href="#">"back to the diagnosis"</a>
                    "."
                </p>
            })}
            <label for="kb-filter">"Filter: a code, a vendor, a cause tag, words of a title, or a whole error message"</label>
            <input
                id="kb-filter"
                type="search"
                node_ref=input
                autocomplete="off"
                spellcheck="false"
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <div class="kb-results" aria-live="polite" aria-busy=move || searching.get().to_string()>
                {move || results.with(|r| {
                    let Some(r) = r else {
                        return view! { <super::super::Waiting /> }.into_any();
                    };
                    let summary = if r.is_empty() {
                        "Nothing matches. Try fewer words, or paste the whole error on the diagnosis page.".to_string()
                    } else {
                        format!("{} entries, {} vendors, {} cause tags", r.total, r.vendors.len(), r.tags.len())
                    };
                    let messages = r.by_message.clone();
                    let words = r.by_words.clone();
                    let more = r.more;
                    let vendors = r.vendors.clone();
                    let tags = r.tags.clone();
                    view! {
                        <p class="kb-count" data-count=r.total.to_string()>{summary}</p>
                        {(!messages.is_empty()).then(|| view! {
                            <h3>"Entries for this message"</h3>
                            <ul class="entries by-message">{messages.into_iter().map(entry_item).collect_view()}</ul>
                        })}
                        {(!words.is_empty()).then(|| view! {
                            <h3>"Entries"</h3>
                            <ul class="entries by-words">{words.into_iter().map(entry_item).collect_view()}</ul>
                            {(more > 0).then(|| view! { <p>{format!("and {more} more: type to narrow")}</p> })}
                        })}
                        {(!vendors.is_empty()).then(|| view! {
                            <h3>"Vendors"</h3>
                            <ul class="entries vendors">
                                {vendors.into_iter().map(|(path, name)| {
                                    view! { <li><a href=SiteRoot::href(&path)>{name}</a></li> }
                                }).collect_view()}
                            </ul>
                        })}
                        {(!tags.is_empty()).then(|| view! {
                            <h3>"Cause tags"</h3>
                            <ul class="entries tags">
                                {tags.into_iter().map(|t| {
                                    let href = SiteRoot::href(&tag_path(&t));
                                    view! { <li><a href=href><code>{t}</code></a></li> }
                                }).collect_view()}
                            </ul>
                        })}
                    }.into_any()
                })}
            </div>
        </section>
    }
}
