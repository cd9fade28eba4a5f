//! The ranked causes, most likely first, each with its fix, steps and spec.

use std::sync::Arc;

use leptos::prelude::*;

use super::copy::CopyButton;
use super::{Prose, SpecLink};
use crate::app::{ProseReady, SiteRoot};
use crate::core::page::{PageDiagnosis, StepView};
use crate::site::tag_path;

#[component]
pub fn Causes(p: Arc<PageDiagnosis>) -> impl IntoView {
    if p.causes.is_empty() {
        return ().into_any();
    }
    let step_view = |s: &StepView| {
        view! {
            <li class="step">
                {s.vendor.clone().map(|n| view! { <span class="step-vendor">{n}": "</span> })}
                <span><Prose text=s.text.clone() /></span>
                {s.command.clone().map(|cmd| view! {
                    <div class="command">
                        <pre><code>{cmd.clone()}</code></pre>
                        <CopyButton text=cmd label="Copy this command".to_string() />
                    </div>
                })}
            </li>
        }
    };
    view! {
        <section class="causes" aria-label="Likely causes">
            <h2>"Likely causes"</h2>
            <ol>
                {p.causes.iter().enumerate().map(|(i, c)| {
                    view! {
                        <li class="cause" data-cause-tag=c.tag.clone() data-rank=(i + 1).to_string()>
                            <h3>
                                <span class="title"><Prose text=c.title.clone() /></span>
                                " "
                                <a class="tag" href=SiteRoot::href(&tag_path(&c.tag)) target="_blank"><code>{c.tag.clone()}</code></a>
                                <span class="score" title="relative likelihood">{format!("{} %", c.percent)}</span>
                            </h3>
                            {if c.explanation.is_empty() && c.fix.is_empty() {
                                // The prose comes after the first paint (prose.json).
                                let state = use_context::<ProseReady>().map(|p| p.0);
                                view! {
                                    <p class="explanation pending" role="status">
                                        {move || match state.and_then(|s| s.get()) {
                                            Some(false) => "The explanation and the fix could not be loaded (prose.json): the knowledge-base entry below has them.",
                                            _ => "Loading the explanation and the fix…",
                                        }}
                                    </p>
                                }.into_any()
                            } else {
                                view! {
                                    <p class="explanation"><Prose text=c.explanation.clone() /></p>
                                    <p class="fix"><strong>"Fix: "</strong><Prose text=c.fix.clone() /></p>
                                }.into_any()
                            }}
                            {(!c.steps.is_empty()).then(|| view! {
                                <ul class="steps">{c.steps.iter().map(step_view).collect_view()}</ul>
                            })}
                            {(!c.other_steps.is_empty()).then(|| view! {
                                <details class="other-vendors">
                                    <summary>"Steps for other servers"</summary>
                                    <ul class="steps">{c.other_steps.iter().map(step_view).collect_view()}</ul>
                                </details>
                            })}
                            <p class="meta">
                                {c.spec.clone().map(|s| view! { <SpecLink spec=s /> " · " })}
                                <span class="entry">
                                    "Knowledge base: "
                                    {match c.page.clone() {
                                        Some(path) => view! { <a class="entry-link" href=SiteRoot::href(&path) target="_blank"><code>{c.entry.clone()}</code></a> }.into_any(),
                                        None => view! { <code>{c.entry.clone()}</code> }.into_any(),
                                    }}
                                </span>
                            </p>
                            <details class="evidence">
                                <summary>"Why"</summary>
                                <ul>{c.evidence.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
