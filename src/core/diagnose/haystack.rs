//! What the matcher reads: the text as pasted, then each decoded description and
//! structured log message on a line of its own, and copies that undo what a console
//! or a wrapped log did to a message (lines cut inside words, hard wraps), with the
//! way back from any place in it to the pasted text.

use crate::core::Span;
use crate::core::extract::{self, Extraction};
use crate::core::matcher::{Hit, Matcher};
use crate::core::text::Normalized;

/// Up to this length a pasted text is also read with its line breaks as spaces.
const MAX_JOINED: usize = 32 * 1024;

/// Whether `text` is short enough, and has lines, to be read as one joined line too.
pub(super) fn joinable(text: &str) -> bool {
    text.len() <= MAX_JOINED && text.contains('\n')
}

/// The haystack: the pasted text and what is read besides it, each part after a
/// line break of its own.
pub(super) struct Haystack {
    pub(super) text: String,
    /// How long the pasted text is: the haystack's first part.
    pasted: usize,
    /// Where each decoded field or log message starts, with its span in the input.
    segments: Vec<(usize, Span)>,
    /// Where each structured log's `msg` starts.
    pub(super) logged_at: Vec<usize>,
    /// Where each log message's `err` part is: only what starts in the message is
    /// read there.
    log_errors: Vec<(usize, usize)>,
    /// Where the copy with the line breaks made spaces starts.
    joined_at: Option<usize>,
    /// Where the copy with a console's cuts glued starts.
    glued_at: Option<usize>,
    /// Where the copy read as Markdown shows it (backticks around identifiers and
    /// quote marks dropped) starts.
    rendered_at: Option<usize>,
}

impl Haystack {
    /// `text`'s haystack: `x` is what was extracted from it, `breaks` where a
    /// console cut its lines ([`console_breaks`]).
    pub(super) fn build(text: &str, x: &Extraction, breaks: Option<&[usize]>) -> Haystack {
        // Every decoded description (and base64-encoded JSON, decoded) on a line
        // of its own, so that URL-, JSON- or base64-encoded messages match as well.
        let mut hay = String::with_capacity(text.len() + 256);
        hay.push_str(text);
        let mut segments: Vec<(usize, Span)> = Vec::new();
        for f in &x.fields {
            if matches!(
                f.key.as_str(),
                "error_description" | "error_hint" | "message" | "decoded"
            ) {
                hay.push('\n');
                segments.push((hay.len(), f.span));
                hay.push_str(&f.value);
            } else if f.key == "error_uri" && f.value.contains('%') {
                // An error page's address names the error in its path, encoded
                // (`/errors/urn%3Acerner%3Aerror%3A...`): read it decoded.
                hay.push('\n');
                segments.push((hay.len(), f.span));
                hay.push_str(&crate::core::text::percent_decode(&f.value));
            }
        }
        // A structured log's message and error, as the one sentence older versions
        // printed (`msg="failed to authenticate" err="..."`).
        let mut logged_at: Vec<usize> = Vec::new();
        // Only what starts in the message is read there: the error alone is in the
        // text already, and after the `: ` it would open a sentence it does not.
        let mut log_errors: Vec<(usize, usize)> = Vec::new();
        for m in extract::log_messages(text) {
            hay.push('\n');
            let at = hay.len();
            segments.push((at, m.span));
            logged_at.push(at);
            hay.push_str(&m.text);
            log_errors.push((at + m.err_at, hay.len()));
        }
        // A message hard-wrapped over several lines (a terminal, an email, a wrapped
        // log) matches on a copy with the line breaks made spaces; same offsets.
        let joined_at = joinable(text).then(|| {
            hay.push('\n');
            let at = hay.len();
            push_spaced(&mut hay, text);
            at
        });
        // A console cuts a long line at its width, inside a word as well: a copy
        // glues the lines back where it did (same offsets).
        let glued_at = joined_at.and(breaks).map(|breaks| {
            hay.push('\n');
            let at = hay.len();
            push_glued(&mut hay, text, breaks);
            at
        });
        // Markdown, in an issue, a chat or an email: an identifier in backticks
        // (``The `redirect_uri` is not associated with this application.``), which
        // the product wrote bare, and a message quoted line by line (`> `). A copy
        // reads the text as Markdown shows it: those backticks and quote marks
        // dropped (made control characters, which normalising drops; same offsets),
        // the line breaks made spaces as in the joined copy.
        let rendered_at = (text.len() <= MAX_JOINED && markdown(text)).then(|| {
            hay.push('\n');
            let at = hay.len();
            push_rendered(&mut hay, text);
            at
        });
        Haystack {
            text: hay,
            pasted: text.len(),
            segments,
            logged_at,
            log_errors,
            joined_at,
            glued_at,
            rendered_at,
        }
    }

    /// The vendor templates found in the haystack, `hay` being its normalised
    /// form. Part of a template, read in the text as pasted, inside another
    /// template's whole match on the joined copy (or a decoded field), is no
    /// reading at all.
    pub(super) fn find(&self, hay: &Normalized) -> Vec<Hit> {
        let mut hits = Matcher::get().find(hay, &self.text, &self.log_errors);
        let whole: Vec<Span> = hits
            .iter()
            .filter(|h| !h.partial)
            .map(|h| self.input_span(hay, h))
            .collect();
        hits.retain(|h| {
            let s = self.input_span(hay, h);
            !h.partial
                || !whole
                    .iter()
                    .any(|w| w.0 <= s.0 && s.1 <= w.1 && w.len() > s.len())
        });
        hits
    }

    /// Where a hit stands in the pasted text: in a copy, the same place; in a
    /// decoded field or a log message, that field's span.
    pub(super) fn input_span(&self, hay: &Normalized, h: &Hit) -> Span {
        let len = self.pasted;
        let (s, e) = hay.original_span(h.start, h.end);
        if s < len {
            Span(s, e.min(len))
        } else if let Some(at) = self.rendered_at.filter(|&at| s >= at) {
            Span((s - at).min(len), (e - at).min(len))
        } else if let Some(at) = self.glued_at.filter(|&at| s >= at) {
            Span((s - at).min(len), (e - at).min(len))
        } else if let Some(at) = self.joined_at.filter(|&at| s >= at) {
            Span((s - at).min(len), (e - at).min(len))
        } else {
            self.segments
                .iter()
                .rev()
                .find(|(at, _)| *at <= s)
                .map_or(Span(0, 0), |(_, span)| *span)
        }
    }
}

/// Where a console cut `text`'s lines at its width: the offsets of the `\n` ending
/// each line as long as the longest (60 characters or more) inside a word that the
/// next line goes on with. `None` where there is no such cut.
pub(super) fn console_breaks(text: &str) -> Option<Vec<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let line = text[start..i].trim_end_matches('\r');
            lines.push((line.chars().count(), i));
            start = i + 1;
        }
    }
    let width = lines.iter().map(|l| l.0).max()?;
    // A cut splits a word or a token (`applicati|on`, `offline_|access`, `'|scope'`):
    // a record that ends a log line and the timestamp that starts the next are not
    // glued.
    let word = |c: char| c.is_alphanumeric() || "_'\".,:;/-=%&?()[]{}+".contains(c);
    let splits_word = |at: usize| {
        let before = text[..at].trim_end_matches('\r').chars().next_back();
        let after = text[at + 1..].chars().next();
        match (before, after) {
            (Some(b), Some(a)) => word(b) && word(a) && (b.is_ascii_digit() || !a.is_ascii_digit()),
            _ => false,
        }
    };
    let breaks: Vec<usize> = lines
        .iter()
        .filter(|l| l.0 == width && width >= 60 && splits_word(l.1))
        .map(|l| l.1)
        .collect();
    (!breaks.is_empty()).then_some(breaks)
}

/// `text` without the line breaks of `breaks` that cut a value (for the
/// extraction), and the offsets it left out, sorted. One line as long as the
/// longest is weak evidence of a console (a request line above a shorter JSON
/// body): alone, it counts only where it splits two letters or digits.
pub(super) fn uncut_copy(text: &str, breaks: &[usize]) -> Option<(String, Vec<usize>)> {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let cuts: Vec<usize> = breaks
        .iter()
        .copied()
        .filter(|&at| {
            breaks.len() >= 2
                || (alnum(text[..at].trim_end_matches('\r').chars().next_back())
                    && alnum(text[at + 1..].chars().next()))
        })
        .collect();
    if cuts.is_empty() {
        return None;
    }
    let mut removed = Vec::new();
    let mut uncut = String::with_capacity(text.len());
    let mut from = 0;
    for at in cuts {
        let end = if text[..at].ends_with('\r') {
            at - 1
        } else {
            at
        };
        uncut.push_str(&text[from..end]);
        removed.extend(end..=at);
        from = at + 1;
    }
    uncut.push_str(&text[from..]);
    Some((uncut, removed))
}

/// Whether `text` has what Markdown would render away: a backtick, or a quoted
/// line.
fn markdown(text: &str) -> bool {
    text.contains('`') || text.lines().any(|l| !quote_marks(l).is_empty())
}

/// Where a line's quote marks stand (`> `, `> > `, after any indentation, as an
/// issue, a chat or an email quotes a message), with the blanks between them; an
/// empty range where the line is not quoted.
fn quote_marks(line: &str) -> std::ops::Range<usize> {
    let body = line.trim_start_matches([' ', '\t']);
    let start = line.len() - body.len();
    let marks = body.len() - body.trim_start_matches(['>', ' ']).len();
    if body.starts_with('>') {
        start..start + marks
    } else {
        start..start
    }
}

/// Appends `text` as Markdown shows it, byte for byte: each line's quote marks and
/// the backticks around each identifier (a run of at most 64 characters with no
/// blank or backtick in it) made control characters, the line breaks made spaces;
/// every other byte as it is.
fn push_rendered(out: &mut String, text: &str) {
    for line in text.split_inclusive('\n') {
        let marks = quote_marks(line);
        push_spaced(out, &line[..marks.start]);
        out.extend(
            line[marks.clone()]
                .chars()
                .map(|c| if c == '>' { '\0' } else { c }),
        );
        push_unticked(out, &line[marks.end..]);
    }
}

/// `text` without the quote marks of its quoted lines, for the extraction (a JSON
/// body quoted line by line parses again), and the offsets it left out, sorted.
/// `None` where no line is quoted.
pub(super) fn unquoted_copy(text: &str) -> Option<(String, Vec<usize>)> {
    if !text.contains('>') {
        return None;
    }
    let mut copy = String::with_capacity(text.len());
    let mut removed = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let marks = quote_marks(line);
        removed.extend(start + marks.start..start + marks.end);
        copy.push_str(&line[..marks.start]);
        copy.push_str(&line[marks.end..]);
        start += line.len();
    }
    (!removed.is_empty()).then_some((copy, removed))
}

/// Appends `text` with its line breaks made spaces and the backticks around each
/// identifier made control characters.
fn push_unticked(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(off) = text[from..].find('`') {
        let open = from + off;
        let inner = bytes[open + 1..]
            .iter()
            .take(65)
            .position(|&b| b == b'`' || b.is_ascii_whitespace());
        let close = match inner {
            Some(n) if n > 0 && bytes[open + 1 + n] == b'`' => open + 1 + n,
            _ => {
                push_spaced(out, &text[from..=open]);
                from = open + 1;
                continue;
            }
        };
        push_spaced(out, &text[from..open]);
        out.push('\0');
        out.push_str(&text[open + 1..close]);
        out.push('\0');
        from = close + 1;
    }
    push_spaced(out, &text[from..]);
}

/// Appends `s` with its line breaks made spaces.
fn push_spaced(out: &mut String, s: &str) {
    out.extend(
        s.chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
    );
}

/// Appends `text` with each line break of `breaks` (and the `\r` before it) made a
/// control character, which normalising drops, so the cut word reads whole again.
/// Only the lines around a cut are copied; the others become as many blanks as
/// they have bytes, which keeps the offsets and normalise to almost nothing.
fn push_glued(out: &mut String, text: &str, breaks: &[usize]) {
    let cut = |i: usize| breaks.binary_search(&i).is_ok();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let ends_cut = line.ends_with('\n') && cut(start + line.len() - 1);
        if ends_cut || (start > 0 && cut(start - 1)) {
            let body = line.trim_end_matches(['\n', '\r']);
            out.push_str(body);
            let rest = &line[body.len()..];
            if ends_cut {
                out.extend(rest.chars().map(|_| '\0'));
            } else {
                out.push_str(rest);
            }
        } else {
            out.extend(line.chars().flat_map(|c| {
                let fill = if c == '\n' { '\n' } else { ' ' };
                std::iter::repeat_n(fill, c.len_utf8())
            }));
        }
        start += line.len();
    }
}
