//! The knowledge-base index, filtered as you type (`#/kb`): entries, vendors and
//! cause tags, each linking to its static page. A whole error message typed here
//! finds its entries through the template matcher ([`search`]).

use leptos::prelude::*;

use crate::app::SiteRoot;
use crate::core::kb::{EntryKind, Kb};
use crate::core::search::search;
use crate::site::{entry_path, tag_path, vendor_path};

/// The most entries listed at once; the filter narrows the rest.
const SHOWN: usize = 150;

/// `embedded`: on the static index page (`kb/`), above the full list, rather than
/// as the app's `#/kb` view.
#[component]
pub fn KbSearch(#[prop(optional)] embedded: bool) -> impl IntoView {
    let kb = Kb::get();
    let query = RwSignal::new(String::new());
    let results = Memo::new(move |_| query.with(|q| search(kb, q)));
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let entry_item = move |i: usize| {
        let e = &kb.entries[i];
        let label = match e.kind {
            EntryKind::Code => e.id.trim_start_matches("code.").to_string(),
            EntryKind::Message => e.id.clone(),
        };
        view! {
            <li data-entry=e.id.clone()>
                <a href=SiteRoot::href(&entry_path(e))><code>{label}</code></a>
                " "
                {e.title.clone()}
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
            <div class="kb-results" aria-live="polite">
                {move || results.with(|r| {
                    let total = r.by_message.len() + r.by_words.len();
                    let summary = if r.is_empty() {
                        "Nothing matches. Try fewer words, or paste the whole error on the diagnosis page.".to_string()
                    } else {
                        format!("{total} entries, {} vendors, {} cause tags", r.vendors.len(), r.tags.len())
                    };
                    let messages = r.by_message.clone();
                    let words: Vec<usize> = r.by_words.iter().copied().take(SHOWN).collect();
                    let more = r.by_words.len().saturating_sub(SHOWN);
                    let vendors = r.vendors.clone();
                    let tags = r.tags.clone();
                    view! {
                        <p class="kb-count" data-count=total.to_string()>{summary}</p>
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
                                {vendors.into_iter().map(|i| {
                                    let v = &kb.vendors[i];
                                    view! { <li><a href=SiteRoot::href(&vendor_path(&v.id))>{v.name.clone()}</a></li> }
                                }).collect_view()}
                            </ul>
                        })}
                        {(!tags.is_empty()).then(|| view! {
                            <h3>"Cause tags"</h3>
                            <ul class="entries tags">
                                {tags.into_iter().map(|t| view! { <li><a href=SiteRoot::href(&tag_path(t))><code>{t}</code></a></li> }).collect_view()}
                            </ul>
                        })}
                    }
                })}
            </div>
        </section>
    }
}
