//! The diagnosis engine. Everything here takes text and returns data: no I/O, no
//! clock, no network, no web dependency. The page and the CLI are thin shells around
//! [`diagnose::diagnose`].

pub mod diagnose;
pub mod error_code;
pub mod extract;
pub mod focus;
pub mod kb;
pub mod matcher;
pub mod metadata;
pub mod page;
pub mod probe;
pub mod redact;
pub mod scope;
pub mod search;
pub mod similar;
pub mod sort;
pub mod text;
pub mod view;

use serde::Serialize;

/// A byte range `start..end` into the text it was found in; serialised as
/// `[start, end]`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub struct Span(pub usize, pub usize);

impl Span {
    /// The text the span covers, or `""` if it does not fall on character bounds.
    pub fn of<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.0..self.1).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.1.saturating_sub(self.0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
