//! Text normalisation for matching vendor templates against what people paste.
//!
//! Pasted errors differ from the vendor's source in ways that carry no meaning: case,
//! the kind of quote (`'`, `"`, `“`, `\"` inside JSON), line wrapping and runs of
//! spaces. [`Normalized`] removes those differences and keeps, for every byte it
//! writes, the offset of the byte it came from, so a match maps back to a span of the
//! original.

/// A normalised copy of a text, with a map back to the original's byte offsets.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// Lowercase ASCII, quotes folded to `'`, blank runs folded to one space (or one
    /// `\n` when the run holds a line break).
    pub text: String,
    /// For normalised byte `i`, the original range it was written from.
    map: Vec<(u32, u32)>,
}

impl Normalized {
    /// Normalises `s`. Linear in its length.
    pub fn new(s: &str) -> Normalized {
        let mut out = Normalized {
            text: String::with_capacity(s.len()),
            map: Vec::with_capacity(s.len()),
        };
        let bytes = s.as_bytes();
        let mut i = 0;
        // The blank run being read: its start and whether it holds a line break.
        let mut blank: Option<(usize, bool)> = None;
        while i < bytes.len() {
            let b = bytes[i];
            // JSON string escapes written out in a log: `\"`, `\n`, `\r`, `\t`.
            if b == b'\\' {
                let escape = match bytes.get(i + 1) {
                    Some(b'n' | b'r') => Some(Some(true)),
                    Some(b't') => Some(Some(false)),
                    Some(b'"' | b'\'') => Some(None),
                    _ => None,
                };
                match escape {
                    Some(Some(newline)) => {
                        blank = Some(blank.map_or((i, newline), |(st, nl)| (st, nl || newline)));
                        i += 2;
                        continue;
                    }
                    Some(None) => {
                        out.flush_blank(&mut blank, i);
                        out.push('\'', i, i + 2);
                        i += 2;
                        continue;
                    }
                    None => {}
                }
            }
            // ASCII, the common case, without decoding a character.
            if b.is_ascii() {
                if b.is_ascii_whitespace() {
                    let newline = b == b'\n' || b == b'\r';
                    blank = Some(blank.map_or((i, newline), |(st, nl)| (st, nl || newline)));
                } else {
                    out.flush_blank(&mut blank, i);
                    let folded = if matches!(b, b'"' | b'`') {
                        b'\''
                    } else {
                        b.to_ascii_lowercase()
                    };
                    out.text.push(folded as char);
                    out.map.push((i as u32, i as u32 + 1));
                }
                i += 1;
                continue;
            }
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            let len = c.len_utf8();
            if c.is_whitespace() {
                let newline = c == '\n' || c == '\r';
                blank = Some(blank.map_or((i, newline), |(st, nl)| (st, nl || newline)));
                i += len;
                continue;
            }
            out.flush_blank(&mut blank, i);
            let folded = match c {
                '"' | '`' | '‘' | '’' | '“' | '”' | '´' | '«' | '»' => '\'',
                c => c.to_ascii_lowercase(),
            };
            out.push(folded, i, i + len);
            i += len;
        }
        out.flush_blank(&mut blank, s.len());
        out
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.map.push((start as u32, end as u32));
        }
    }

    fn flush_blank(&mut self, blank: &mut Option<(usize, bool)>, end: usize) {
        if let Some((start, newline)) = blank.take() {
            self.push(if newline { '\n' } else { ' ' }, start, end);
        }
    }

    /// The original span of normalised `start..end`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let total = self.map.last().map_or(0, |m| m.1 as usize);
        if start >= end || start >= self.map.len() {
            let at = self.map.get(start).map_or(total, |m| m.0 as usize);
            return (at, at);
        }
        let end = end.min(self.map.len());
        (self.map[start].0 as usize, self.map[end - 1].1 as usize)
    }
}

/// Normalises a template literal or a word list the same way, without a map.
pub fn normalize(s: &str) -> String {
    Normalized::new(s).text
}

/// Whether `b` can be part of a word (letters, digits, `_`).
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `text[start..end]` stands as a whole word.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let before = start == 0 || !is_word_byte(b[start - 1]);
    let after = end >= b.len() || !is_word_byte(b[end]);
    before && after
}

/// The largest character boundary of `s` at or before `i`.
pub fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Cuts `s` to at most `max` bytes on a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_quotes_and_blanks_and_maps_back() {
        let s = "Scope  \u{201c}Email\u{201d}\r\n is \\\"bad\\\"";
        let n = Normalized::new(s);
        assert_eq!(n.text, "scope 'email'\nis 'bad'");
        let at = n
            .text
            .find("email")
            .expect("normalised text keeps the word");
        let (a, b) = n.original_span(at, at + 5);
        assert_eq!(&s[a..b], "Email");
    }

    #[test]
    fn keeps_non_ascii_and_maps_every_byte() {
        let s = "scоpe é";
        let n = Normalized::new(s);
        assert_eq!(n.text, s);
        let (a, b) = n.original_span(0, n.text.len());
        assert_eq!(&s[a..b], s);
    }
}
