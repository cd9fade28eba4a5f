//! Text normalisation for matching vendor templates against what people paste.
//!
//! Pasted errors differ from the vendor's source in ways that carry no meaning: case,
//! the kind of quote (`'`, `"`, `“`, `\"` inside JSON), line wrapping and runs of
//! spaces. [`Normalized`] removes those differences and keeps a map from what it
//! writes back to the bytes it came from, so a match maps back to a span of the
//! original.

/// A normalised copy of a text, with a map back to the original's byte offsets.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// Lowercase ASCII, quotes folded to `'`, blank runs folded to one space (or one
    /// `\n` when the run holds a line break).
    pub text: String,
    /// The map back, as runs sorted by normalised offset. Most of a paste is ASCII
    /// written one byte for one byte, so it takes a few runs rather than an entry
    /// per byte (a 1 MB paste would otherwise need 8 MB of map).
    runs: Vec<Run>,
    /// The original text's length.
    original_len: u32,
}

/// Normalised bytes `norm..norm + norm_len` come from original bytes
/// `orig..orig + orig_len`: byte for byte when `identity`, else as one unit (a blank
/// run, an escape, a non-ASCII character).
#[derive(Debug, Clone, Copy)]
struct Run {
    norm: u32,
    norm_len: u32,
    orig: u32,
    orig_len: u32,
    identity: bool,
}

impl Normalized {
    /// Normalises `s`. Linear in its length.
    pub fn new(s: &str) -> Normalized {
        let mut out = Normalized {
            text: String::with_capacity(s.len()),
            runs: Vec::new(),
            original_len: s.len() as u32,
        };
        let bytes = s.as_bytes();
        let mut i = 0;
        // The blank run being read: its start and whether it holds a line break.
        let mut blank: Option<(usize, bool)> = None;
        while i < bytes.len() {
            let b = bytes[i];
            // JSON string escapes written out in a log: `\"`, `\n`, `\r`, `\t`; and
            // the same escaped again, where a JSON log was logged as a string
            // (`{"log":"{\"msg\":\"Client \\\"x\\\" ...`, as Docker writes it): a run of
            // backslashes before the escaped character is one escape.
            if b == b'\\' {
                let run = bytes[i..].iter().take_while(|&&c| c == b'\\').count();
                let escape = match bytes.get(i + run) {
                    Some(b'n' | b'r') => Some(Some(true)),
                    Some(b't') => Some(Some(false)),
                    Some(b'"' | b'\'') => Some(None),
                    _ => None,
                };
                // A colour code escaped in a JSON or Python log (`\u001b[31m`,
                // `\x1b[0m`): dropped like the raw one.
                if let Some(e) = ESCAPED_ESC.iter().find(|e| bytes[i + run..].starts_with(e)) {
                    let at = i + run + e.len();
                    i = at + ansi_sequence_len(&bytes[at..]);
                    continue;
                }
                // `\u0027`: .NET's and Go's JSON write quotes, `&`, `<` and `>` so
                // (other characters are left as written).
                if escape.is_none()
                    && let Some(c) =
                        unicode_escape(&bytes[i + run..]).filter(|c| c.is_ascii_graphic())
                {
                    let folded = match c {
                        '"' | '\'' | '`' => '\'',
                        c => c.to_ascii_lowercase(),
                    };
                    out.flush_blank(&mut blank, i, folded);
                    out.push(folded, i, i + run + 5);
                    i += run + 5;
                    continue;
                }
                match escape {
                    Some(Some(newline)) => {
                        blank = Some(blank.map_or((i, newline), |(st, nl)| (st, nl || newline)));
                        i += run + 1;
                        continue;
                    }
                    Some(None) => {
                        out.flush_blank(&mut blank, i, '\'');
                        out.push('\'', i, i + run + 1);
                        i += run + 1;
                        continue;
                    }
                    // Backslashes that escape nothing we read stay as written, the
                    // run at once (a hostile paste of them costs linear time).
                    None => {
                        for at in i..i + run {
                            out.flush_blank(&mut blank, at, '\\');
                            out.push('\\', at, at + 1);
                        }
                        i += run;
                        continue;
                    }
                }
            }
            // HTML character references, as error pages rendered to text show them
            // (`Scope &#39;openid&#39; is required.`).
            if b == b'&'
                && let Some((c, len)) = html_entity(&bytes[i..])
            {
                let folded = if matches!(c, '"' | '\'') { '\'' } else { c };
                out.flush_blank(&mut blank, i, folded);
                out.push(folded, i, i + len);
                i += len;
                continue;
            }
            // A terminal's colour codes (`ESC [ 31 m`) and other control characters
            // are not text: dropped, so that the words around them meet.
            if b == 0x1b {
                i += 1 + ansi_sequence_len(&bytes[i + 1..]);
                continue;
            }
            if b.is_ascii_control() && !b.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            // A negation written short (`isn't`, `doesn't`, `can't`) reads as the same
            // words written out (`is not`, `does not`, `cannot`): a vendor writes
            // either, and changes from one to the other between versions or between
            // its server and its docs (Okta's `The specified client isn't valid.`).
            if matches!(b, b'n' | b'N')
                && let Some(len) = contraction_len(bytes, i)
            {
                let before = out.text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                let expansion = if &out.text[before.len()..] == "ca" {
                    "nnot"
                } else {
                    " not"
                };
                for c in expansion.chars() {
                    out.push(c, i, i + len);
                }
                i += len;
                continue;
            }
            // ASCII, the common case, without decoding a character.
            if b.is_ascii() {
                if b.is_ascii_whitespace() {
                    let newline = b == b'\n' || b == b'\r';
                    blank = Some(blank.map_or((i, newline), |(st, nl)| (st, nl || newline)));
                } else {
                    let folded = if matches!(b, b'"' | b'`') {
                        b'\''
                    } else {
                        b.to_ascii_lowercase()
                    };
                    out.flush_blank(&mut blank, i, folded as char);
                    out.push(folded as char, i, i + 1);
                }
                i += 1;
                continue;
            }
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            let len = c.len_utf8();
            // Invisible characters a web page or a chat copies along (a zero-width
            // space, a soft hyphen, a byte-order mark) are dropped likewise.
            if matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
            ) {
                i += len;
                continue;
            }
            if c.is_whitespace() {
                let newline = c == '\n' || c == '\r';
                blank = Some(blank.map_or((i, newline), |(st, nl)| (st, nl || newline)));
                i += len;
                continue;
            }
            let folded = match c {
                '"' | '`' | '‘' | '’' | '“' | '”' | '´' | '«' | '»' => '\'',
                c => c.to_ascii_lowercase(),
            };
            out.flush_blank(&mut blank, i, folded);
            out.push(folded, i, i + len);
            i += len;
        }
        out.flush_blank(&mut blank, s.len(), '\n');
        out
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        let norm = self.text.len() as u32;
        self.text.push(c);
        let norm_len = c.len_utf8() as u32;
        let (orig, orig_len) = (start as u32, (end - start) as u32);
        let identity = norm_len == 1 && orig_len == 1;
        if identity
            && let Some(last) = self.runs.last_mut()
            && last.identity
            && last.norm + last.norm_len == norm
            && last.orig + last.orig_len == orig
        {
            last.norm_len += 1;
            last.orig_len += 1;
            return;
        }
        self.runs.push(Run {
            norm,
            norm_len,
            orig,
            orig_len,
            identity,
        });
    }

    /// Writes the pending blank run before `next`, the character about to be written,
    /// unless it only spaces out JSON or a dict: between a `:` or `,` and a quoted
    /// string, a number, an array or an object the spacing varies with the serialiser
    /// (`"status": 401,"message"` beside `"status":401, "message"`) and says nothing,
    /// so it goes. The rule looks at these two characters only, so a template's
    /// literal normalised alone loses the same blanks as the text it is found in.
    fn flush_blank(&mut self, blank: &mut Option<(usize, bool)>, end: usize, next: char) {
        if let Some((start, newline)) = blank.take() {
            let separator = matches!(self.text.as_bytes().last(), Some(b':' | b','))
                && (matches!(next, '\'' | '[' | '{') || next.is_ascii_digit());
            if !separator {
                self.push(if newline { '\n' } else { ' ' }, start, end);
            }
        }
    }

    /// The run holding normalised byte `k` (`k` < the normalised length).
    fn run(&self, k: usize) -> Option<&Run> {
        let i = self
            .runs
            .partition_point(|r| (r.norm + r.norm_len) as usize <= k);
        self.runs.get(i)
    }

    /// The original offset where normalised byte `k` starts.
    fn original_start(&self, k: usize) -> usize {
        match self.run(k) {
            Some(r) if r.identity => r.orig as usize + (k - r.norm as usize),
            Some(r) => r.orig as usize,
            None => self.original_len as usize,
        }
    }

    /// The original offset where normalised byte `k` ends.
    fn original_end(&self, k: usize) -> usize {
        match self.run(k) {
            Some(r) if r.identity => r.orig as usize + (k - r.norm as usize) + 1,
            Some(r) => (r.orig + r.orig_len) as usize,
            None => self.original_len as usize,
        }
    }

    /// The original span of normalised `start..end`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let end = end.min(self.text.len());
        if start >= end {
            let at = self.original_start(start);
            return (at, at);
        }
        (self.original_start(start), self.original_end(end - 1))
    }
}

/// An apostrophe as pastes write it: straight, typographic, as an HTML character
/// reference (an error page's `isn&#39;t`), or escaped in JSON or a string.
const APOSTROPHES: &[&str] = &[
    "'", "\u{2019}", "&#39;", "&#x27;", "&apos;", "&rsquo;", "&#8217;", "\\u0027", "\\'",
];

/// The length of the `n't` (with any of the [`APOSTROPHES`]) that ends
/// a word at `bytes[i]`, after at least one letter of that word.
fn contraction_len(bytes: &[u8], i: usize) -> Option<usize> {
    if i == 0 || !bytes[i - 1].is_ascii_alphabetic() {
        return None;
    }
    let rest = &bytes[i + 1..];
    let quote = APOSTROPHES
        .iter()
        .find(|a| rest.starts_with(a.as_bytes()))?
        .len();
    if !matches!(rest.get(quote), Some(b't' | b'T')) {
        return None;
    }
    let len = 1 + quote + 1;
    bytes
        .get(i + len)
        .is_none_or(|&b| !is_word_byte(b))
        .then_some(len)
}

/// `ESC` as JSON, Python and shells write it escaped, after the backslash.
const ESCAPED_ESC: &[&[u8]] = &[b"u001b", b"u001B", b"x1b", b"x1B", b"033"];

/// The character a JSON `\uXXXX` escape at `b` (just after its backslash) stands
/// for; the escape is six bytes long.
pub(crate) fn unicode_escape(b: &[u8]) -> Option<char> {
    let hex = b.strip_prefix(b"u")?.get(..4)?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
    char::from_u32(code)
}

/// The length of an ANSI escape sequence's rest after its `ESC`: a control sequence
/// (`[`, parameters, one final byte in `@`..`~`) or one byte.
fn ansi_sequence_len(b: &[u8]) -> usize {
    match b.first() {
        Some(b'[') => {
            let params = b[1..]
                .iter()
                .take_while(|c| matches!(c, b'0'..=b'?' | b' '..=b'/'))
                .count();
            match b.get(1 + params) {
                Some(b'@'..=b'~') => 2 + params,
                _ => 1 + params,
            }
        }
        Some(c) if c.is_ascii() => 1,
        _ => 0,
    }
}

/// The character an HTML character reference at the start of `b` stands for, and the
/// reference's length. Only the references that error pages use for punctuation.
fn html_entity(b: &[u8]) -> Option<(char, usize)> {
    const ENTITIES: &[(&[u8], char)] = &[
        (b"&#39;", '\''),
        (b"&#x27;", '\''),
        (b"&apos;", '\''),
        (b"&quot;", '"'),
        (b"&#34;", '"'),
        (b"&#x22;", '"'),
        (b"&amp;", '&'),
        (b"&lt;", '<'),
        (b"&gt;", '>'),
        (b"&#x2F;", '/'),
        (b"&#47;", '/'),
        (b"&#61;", '='),
        (b"&#x3D;", '='),
    ];
    ENTITIES
        .iter()
        .find(|(e, _)| b.len() >= e.len() && b[..e.len()].eq_ignore_ascii_case(e))
        .map(|(e, c)| (*c, e.len()))
}

/// Replaces the HTML character references [`Normalized`] understands.
pub fn decode_html_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(decoded(s).0)
}

/// `s` with its HTML character references decoded, and the offsets the copy left
/// out (every byte of a reference but its first), sorted; `None` when `s` holds no
/// escaped quote (`&quot;`, `&#39;`...) nor an escaped `&` beside a `=`, the marks
/// of a body or a query escaped for an HTML page.
pub fn html_unescaped(s: &str) -> Option<(String, Vec<usize>)> {
    let escaped = |r: &str| {
        s.match_indices('&').any(|(i, _)| {
            s.as_bytes()[i..]
                .get(..r.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(r.as_bytes()))
        })
    };
    let quoted = ["&quot;", "&#34;", "&#x22;", "&#39;", "&#x27;"]
        .iter()
        .any(|r| escaped(r));
    let query = s.contains("&amp;") && s.contains('=');
    if !quoted && !query {
        return None;
    }
    Some(decoded(s))
}

/// `s` with the HTML character references [`Normalized`] understands decoded, and
/// the offsets the copy left out (every byte of a reference but its first), sorted.
fn decoded(s: &str) -> (String, Vec<usize>) {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut removed = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'&'
            && let Some((c, len)) = html_entity(&b[i..])
        {
            out.push(c);
            removed.extend(i + 1..i + len);
            i += len;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        out.push(c);
        i += c.len_utf8();
    }
    (out, removed)
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

/// Undoes `%XX` escapes only (not `+`), keeping invalid escapes as they are.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
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
    fn a_negation_written_short_reads_as_written_out() {
        let n = Normalized::new("The client isn't valid; it can\u{2019}t DOESN'T. Isn'tx");
        assert_eq!(
            n.text,
            "the client is not valid; it cannot does not. isn'tx"
        );
        let at = n.text.find("is not").expect("expanded");
        let (a, b) = n.original_span(at, at + 6);
        assert_eq!(&"The client isn't valid"[a..b], "isn't");
        assert_eq!(normalize("can't"), "cannot");
        assert_eq!(normalize("won't go"), "wo not go");
        assert_eq!(normalize("isn&#39;t"), "is not");
        assert_eq!(normalize(r"doesn\u0027t"), "does not");
    }

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
    fn reads_a_json_string_escaped_twice_as_once() {
        // A JSON log logged again as a string (Docker's `{"log":"..."}`).
        let twice = r#"{\"msg\":\"Client \\\"abc\\\" is not allowed\\nnext\"}"#;
        let once = r#"{\"msg\":\"Client \"abc\" is not allowed\nnext\"}"#;
        assert_eq!(Normalized::new(twice).text, Normalized::new(once).text);
        assert_eq!(
            Normalized::new(once).text,
            "{'msg':'client 'abc' is not allowed\nnext'}"
        );
        // Backslashes that escape nothing stay, and map back one by one.
        let path = r"League\\OAuth2\Client";
        let n = Normalized::new(path);
        assert_eq!(n.text, r"league\\oauth2\client");
        let at = n.text.find("oauth2").expect("kept");
        let (a, b) = n.original_span(at - 1, at + 6);
        assert_eq!(&path[a..b], r"\OAuth2");
    }

    #[test]
    fn json_spacing_after_colons_and_commas_is_dropped() {
        // Serialisers space JSON and dicts differently; prose keeps its blanks.
        let spaced = Normalized::new(r#"{"status": 401, "message": "Invalid OAuth token"}"#);
        let tight = Normalized::new(r#"{"status":401,"message":"Invalid OAuth token"}"#);
        let python = Normalized::new("{'status': 401, 'message': 'Invalid OAuth token'}");
        assert_eq!(spaced.text, tight.text);
        assert_eq!(python.text, tight.text);
        assert_eq!(tight.text, "{'status':401,'message':'invalid oauth token'}");
        assert_eq!(
            normalize("Error: invalid scope, sorry"),
            "error: invalid scope, sorry"
        );
        // The map still covers every byte the text keeps.
        let at = spaced.text.find("401").expect("kept");
        let (a, b) = spaced.original_span(at, at + 3);
        assert_eq!(
            &r#"{"status": 401, "message": "Invalid OAuth token"}"#[a..b],
            "401"
        );
    }

    #[test]
    fn reads_html_character_references() {
        let s = "Scope &#39;openid&#39; is required";
        let n = Normalized::new(s);
        assert_eq!(n.text, "scope 'openid' is required");
        let at = n.text.find("openid").expect("present");
        let (a, b) = n.original_span(at - 1, at + 7);
        assert_eq!(&s[a..b], "&#39;openid&#39;");
        assert_eq!(decode_html_entities("a &amp; b &lt;c&gt;"), "a & b <c>");
    }

    #[test]
    fn drops_colour_codes_controls_and_invisible_characters() {
        let s = "\u{1b}[31mERROR\u{1b}[0m invalid\u{200b}_scope\u{0} \u{ad}x\u{1b}";
        let n = Normalized::new(s);
        assert_eq!(n.text, "error invalid_scope x");
        let at = n.text.find("invalid_scope").expect("present");
        let (a, b) = n.original_span(at, at + 13);
        assert_eq!(&s[a..b], "invalid\u{200b}_scope");
        let escaped = "\\u001b[31mERROR\\u001b[0m \\x1b[1mdenied\\033[0m";
        assert_eq!(Normalized::new(escaped).text, "error denied");
        let json = "The scope \\u0027Read\\u0027 \\u0026 \\u00e9 \\u12";
        assert_eq!(
            Normalized::new(json).text,
            "the scope 'read' & \\u00e9 \\u12"
        );
        // An escape before a character of several bytes keeps the text whole.
        assert_eq!(Normalized::new("\u{1b}é").text, "é");
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
