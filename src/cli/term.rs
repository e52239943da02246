//! What the CLI prints goes through here, because it prints text from outside: names,
//! references and ids from a colleague's case, paths, and errors that quote them. A terminal
//! obeys control characters, so raw, such text could set the clipboard (OSC 52), retitle the
//! window, clear the screen or hide text; bidirectional overrides reorder what is shown.
//!
//! [`Terminal`] wraps each output stream of a command: every control character (except line
//! feed and tab) and every bidi embedding, override or isolate is written as a visible escape
//! (`\u{1b}`), and no line is longer than [`MAX_LINE_CHARS`] characters (a 1M-character id
//! becomes one bounded line saying how much was left out). [`escape`] is the same rule for one
//! value (where a line feed is escaped too). JSON output keeps its form: the characters are
//! written as JSON escapes (`\u001b`, valid inside JSON strings, where alone they occur) and
//! lines are not cut.

use std::fmt::Write as _;
use std::io::{self, Write};

/// Longest line the CLI prints, in characters; the rest of a longer line is left out with a
/// note of how much.
pub const MAX_LINE_CHARS: usize = 2000;

/// Whether `c` must not reach a terminal raw.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One value (a name, an id, a path) for a message: unsafe characters and line breaks
/// escaped, shortened to `max_chars` with a note of how much was left out.
pub fn escape(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut shown = 0;
    let mut left_out = 0usize;
    for c in text.chars() {
        if shown >= max_chars {
            left_out += 1;
            continue;
        }
        if is_unsafe(c) || c == '\n' {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
        shown += 1;
    }
    if left_out > 0 {
        let _ = write!(out, "… ({left_out} more characters)");
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text,
    Json,
}

/// An output stream made safe for a terminal (see the module documentation).
pub struct Terminal<'a> {
    inner: &'a mut dyn Write,
    mode: Mode,
    /// Characters written on the current line.
    column: usize,
    /// Characters of the current line left out.
    left_out: usize,
    /// The start of a character split between two writes.
    pending: Vec<u8>,
}

impl<'a> Terminal<'a> {
    /// For plain-text output: escapes, and lines cut at [`MAX_LINE_CHARS`].
    pub fn text(inner: &'a mut dyn Write) -> Self {
        Self::new(inner, Mode::Text)
    }

    /// For JSON output: JSON escapes, no lines cut.
    pub fn json(inner: &'a mut dyn Write) -> Self {
        Self::new(inner, Mode::Json)
    }

    fn new(inner: &'a mut dyn Write, mode: Mode) -> Self {
        Self {
            inner,
            mode,
            column: 0,
            left_out: 0,
            pending: Vec::new(),
        }
    }

    fn end_line_note(&mut self, out: &mut String) {
        if self.left_out > 0 {
            let _ = write!(out, "… ({} more characters)", self.left_out);
            self.left_out = 0;
        }
    }

    fn push_char(&mut self, c: char, out: &mut String) {
        if c == '\n' {
            self.end_line_note(out);
            out.push('\n');
            self.column = 0;
            return;
        }
        let unsafe_char = is_unsafe(c);
        if self.mode == Mode::Json {
            if unsafe_char {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            } else {
                out.push(c);
            }
            return;
        }
        if self.column >= MAX_LINE_CHARS {
            self.left_out += 1;
            return;
        }
        if unsafe_char {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
        self.column += 1;
    }
}

impl Write for Terminal<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let mut out = String::with_capacity(bytes.len().min(MAX_LINE_CHARS * 2));
        let mut rest = bytes.as_slice();
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    for c in text.chars() {
                        self.push_char(c, &mut out);
                    }
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    for c in std::str::from_utf8(valid).unwrap_or("").chars() {
                        self.push_char(c, &mut out);
                    }
                    match e.error_len() {
                        // A character cut between writes: keep its start for the next one.
                        None => {
                            self.pending = after.to_vec();
                            break;
                        }
                        Some(n) => {
                            self.push_char(char::REPLACEMENT_CHARACTER, &mut out);
                            rest = &after[n..];
                        }
                    }
                }
            }
        }
        self.inner.write_all(out.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Drop for Terminal<'_> {
    fn drop(&mut self) {
        let mut out = String::new();
        if !self.pending.is_empty() {
            out.push(char::REPLACEMENT_CHARACTER);
            self.pending.clear();
        }
        self.end_line_note(&mut out);
        if !out.is_empty() {
            let _ = self.inner.write_all(out.as_bytes());
        }
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through_text(pieces: &[&[u8]]) -> String {
        let mut buf = Vec::new();
        {
            let mut t = Terminal::text(&mut buf);
            for p in pieces {
                t.write_all(p).expect("write");
            }
        }
        String::from_utf8(buf).expect("utf-8")
    }

    #[test]
    fn control_sequences_are_shown_not_obeyed() {
        let osc52 = "name\u{1b}]52;c;ZXZpbA==\u{7}";
        let out = through_text(&[
            osc52.as_bytes(),
            b"\n",
            "\u{1b}[2J\u{9b}31m\r\u{202e}x\n".as_bytes(),
        ]);
        assert_eq!(
            out,
            "name\\u{1b}]52;c;ZXZpbA==\\u{7}\n\\u{1b}[2J\\u{9b}31m\\u{d}\\u{202e}x\n"
        );
        assert!(!out.chars().any(is_unsafe));
    }

    #[test]
    fn characters_split_between_writes_survive() {
        let text = "苏菂 Trading".as_bytes();
        assert_eq!(
            through_text(&[&text[..2], &text[2..5], &text[5..]]),
            "苏菂 Trading"
        );
    }

    #[test]
    fn long_lines_are_bounded() {
        let id = "x".repeat(1_000_000);
        let out = through_text(&[b"error: id \"", id.as_bytes(), b"\" unknown\nnext line\n"]);
        let first = out.lines().next().expect("a line");
        assert!(
            first.chars().count() < MAX_LINE_CHARS + 40,
            "{}",
            first.len()
        );
        assert!(first.ends_with("… (998020 more characters)"), "{first}");
        assert_eq!(out.lines().nth(1), Some("next line"));
    }

    #[test]
    fn json_stays_json() {
        let mut buf = Vec::new();
        {
            let value = serde_json::json!({ "name": "a\u{1b}]52;c;x\u{7}\u{9b}\u{202e}b\u{7f}" });
            let mut t = Terminal::json(&mut buf);
            serde_json::to_writer_pretty(&mut t, &value).expect("json");
        }
        let text = String::from_utf8(buf).expect("utf-8");
        assert!(!text.chars().any(is_unsafe), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back["name"], "a\u{1b}]52;c;x\u{7}\u{9b}\u{202e}b\u{7f}");
    }

    #[test]
    fn one_value_is_escaped_and_shortened() {
        assert_eq!(escape("a\nb\u{1b}", 10), "a\\u{a}b\\u{1b}");
        assert_eq!(escape("abcdef", 3), "abc… (3 more characters)");
    }
}
