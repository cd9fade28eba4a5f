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

/// `Url::parse` for text from anywhere. A host with characters outside ASCII is
/// refused before the parser sees it: the build carries `url` without Unicode host
/// support (`idna_adapter` 1.0, which maps such a host to an error anyway), and that
/// adapter asserts in debug builds on such a host with capitals (`https://Aዘ`). So is
/// a percent-encoded one, which decodes to the same (`https://A%AA`).
pub fn parse_url(s: &str) -> Result<url::Url, url::ParseError> {
    let after_scheme = s.find("://").map_or(s, |i| &s[i + 3..]);
    let authority = after_scheme
        .split(['/', '?', '#', '\\'])
        .next()
        .unwrap_or(after_scheme);
    if !authority.is_ascii() || authority.contains('%') {
        return Err(url::ParseError::IdnaError);
    }
    url::Url::parse(s)
}

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
