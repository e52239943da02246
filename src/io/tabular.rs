//! Delimited text (CSV, TSV, semicolon files from spreadsheets set to European locales):
//! decoding the bytes, guessing the delimiter, and splitting records. Shared by the CSV
//! importer and the screening-list reader.

/// The text encoding a file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8: read as Windows-1252 (a superset of Latin-1), the usual encoding of
    /// spreadsheets saved as CSV on Western-locale Windows.
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Windows-1252 characters for bytes 0x80–0x9F (the rest of the range is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// Decodes file bytes: a UTF-8 or UTF-16 byte-order mark decides; otherwise UTF-8 when valid,
/// else Windows-1252. Never fails: every byte sequence means something in Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), Encoding::Utf8);
    }
    let utf16 = |rest: &[u8], le: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, true), Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, false), Encoding::Utf16Be);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), Encoding::Utf8),
        Err(_) => (
            bytes
                .iter()
                .map(|&b| match b {
                    0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                    _ => char::from(b),
                })
                .collect(),
            Encoding::Windows1252,
        ),
    }
}

/// Delimiters we recognise, in order of preference on ties.
pub const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

/// Guesses the delimiter from the first lines: the candidate found on every line the same
/// number of times (outside quotes), most often; comma when nothing stands out.
pub fn detect_delimiter(text: &str) -> char {
    // Lines end in LF, CRLF or a lone CR (old Mac files, some exports).
    let lines: Vec<&str> = text
        .split(['\n', '\r'])
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                !quoted && c == d
            })
            .count()
    };
    let mut best = (',', 0usize, false);
    for d in DELIMITERS {
        let counts: Vec<usize> = lines.iter().map(|l| count(l, d)).collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        let consistent = first > 0 && counts.iter().all(|&c| c == first);
        let better = match (consistent, best.2) {
            (true, false) => true,
            (false, true) => false,
            _ => first > best.1,
        };
        if better && first > 0 {
            best = (d, first, consistent);
        }
    }
    best.0
}

/// Why delimited text could not be split into records.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct DelimitedError {
    /// 1-based line of the text where the problem starts.
    pub line: usize,
    pub message: String,
}

/// One record of delimited text and the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// 1-based line of the text where the record starts.
    pub line: usize,
    pub fields: Vec<String>,
}

/// The records of delimited text, split one at a time as they are asked for, so a large file
/// is never held as a table of strings (RFC 4180: quoted fields, doubled quotes, delimiters and
/// line breaks inside quotes; LF, CRLF or lone CR line ends). A leading byte-order mark is
/// dropped and blank lines are left out. A quoted field that never closes is an error naming
/// the line where it opens, never a silent swallowing of the rest of the file.
#[derive(Clone, Debug)]
pub struct Records<'a> {
    text: &'a str,
    /// Byte offset of the next character to read.
    pos: usize,
    /// 1-based line of `pos`.
    line: usize,
    delimiter: char,
}

impl<'a> Records<'a> {
    pub fn new(text: &'a str, delimiter: char) -> Self {
        let pos = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        Self {
            text,
            pos,
            line: 1,
            delimiter,
        }
    }

    /// Byte offset and line where reading would go on: records read from here with
    /// [`Records::resume`] are the ones this iterator has not returned yet.
    pub fn position(&self) -> (usize, usize) {
        (self.pos, self.line)
    }

    /// Records of `text` from a position that [`Records::position`] gave.
    pub fn resume(text: &'a str, delimiter: char, (pos, line): (usize, usize)) -> Self {
        Self {
            text,
            pos: pos.min(text.len()),
            line,
            delimiter,
        }
    }

    fn next_record(&mut self) -> Option<Result<Record, DelimitedError>> {
        let rest = &self.text[self.pos..];
        let mut chars = rest.char_indices().peekable();
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut quote_line = self.line;
        let mut any = false;
        let mut start_line = self.line;
        while let Some((i, c)) = chars.next() {
            let line_break = c == '\n' || (c == '\r' && chars.peek().map(|p| p.1) != Some('\n'));
            if quoted {
                if c == '"' {
                    if chars.peek().map(|p| p.1) == Some('"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.push(c);
                }
                if line_break {
                    self.line += 1;
                }
                continue;
            }
            if line_break {
                self.line += 1;
                if any || !field.is_empty() {
                    fields.push(field);
                    self.pos += i + c.len_utf8();
                    return Some(Ok(Record {
                        line: start_line,
                        fields,
                    }));
                }
                // A blank line: the record starts on a later one.
                start_line = self.line;
                continue;
            }
            match c {
                '"' if field.is_empty() => {
                    quoted = true;
                    quote_line = self.line;
                    any = true;
                }
                c if c == self.delimiter => {
                    fields.push(std::mem::take(&mut field));
                    any = true;
                }
                // The first half of a CRLF; the LF ends the line.
                '\r' => {}
                _ => {
                    field.push(c);
                    any = true;
                }
            }
        }
        self.pos = self.text.len();
        if quoted {
            let ends_with_break = rest.ends_with(['\n', '\r']);
            let last_line = if ends_with_break {
                self.line - 1
            } else {
                self.line
            };
            return Some(Err(DelimitedError {
                line: quote_line,
                message: format!(
                    "a quoted field opens on this line and is never closed, so lines \
                     {quote_line} to {last_line} ({} lines) would all be read as one value; \
                     close the quote (\") or remove it",
                    last_line + 1 - quote_line
                ),
            }));
        }
        (any || !field.is_empty()).then(|| {
            fields.push(field);
            Ok(Record {
                line: start_line,
                fields,
            })
        })
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, DelimitedError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        self.next_record()
    }
}

/// Splits delimited text into records of fields (see [`Records`]), all at once: for small
/// texts; large files are read record by record.
pub fn parse_delimited(text: &str, delimiter: char) -> Result<Vec<Vec<String>>, DelimitedError> {
    Records::new(text, delimiter)
        .map(|r| r.map(|r| r.fields))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_newlines_and_crlf() {
        let rows = parse_delimited(
            "a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"two\nlines\"\r\n1,,3",
            ',',
        )
        .expect("well formed");
        assert_eq!(
            rows,
            vec![
                vec!["a", "b", "c"],
                vec!["x, y", "he said \"hi\"", "two\nlines"],
                vec!["1", "", "3"],
            ]
        );
    }

    #[test]
    fn blank_lines_are_left_out() {
        let rows = parse_delimited("a;b\n\n1;2\n", ';').expect("well formed");
        assert_eq!(rows, vec![vec!["a", "b"], vec!["1", "2"]]);
    }

    /// A CR-only file (old Mac exports) was read as one row.
    #[test]
    fn lone_carriage_returns_end_lines() {
        let rows = parse_delimited("a,b\r1,2\r\r3,\"x\ry\"\r", ',').expect("well formed");
        assert_eq!(
            rows,
            vec![vec!["a", "b"], vec!["1", "2"], vec!["3", "x\ry"]]
        );
        assert_eq!(detect_delimiter("a;b;c\r1;2;3\r"), ';');
        let lines: Vec<usize> = Records::new("a\r\rb\r\nc\n", ',')
            .map(|r| r.expect("record").line)
            .collect();
        assert_eq!(lines, [1, 3, 4]);
    }

    /// An unbalanced quote read the rest of the file into one field: six rows became one
    /// record, silently. Now it is an error naming the line where the quote opens.
    #[test]
    fn an_unclosed_quote_is_an_error_naming_its_line() {
        let text = "name,country\nAcme,SG\n\"Bolt Trading,MY\nCobalt,HK\nDelta,CN\nEcho,SG\n";
        let mut records = Records::new(text, ',');
        assert_eq!(records.next().expect("header").expect("ok").line, 1);
        assert_eq!(
            records.next().expect("row").expect("ok").fields,
            ["Acme", "SG"]
        );
        let err = records.next().expect("an error").expect_err("unclosed");
        assert_eq!(err.line, 3);
        assert!(err.message.contains("never closed"), "{err}");
        assert!(err.message.contains("lines 3 to 6 (4 lines)"), "{err}");
        assert!(records.next().is_none(), "nothing after the error");
        assert_eq!(parse_delimited(text, ',').expect_err("unclosed").line, 3);
    }

    #[test]
    fn reading_resumes_where_it_stopped() {
        let text = "h1,h2\n\"a\nb\",c\nd,e\n";
        let mut records = Records::new(text, ',');
        records.next();
        let at = records.position();
        let rest: Vec<Record> = Records::resume(text, ',', at)
            .map(|r| r.expect("ok"))
            .collect();
        assert_eq!(rest[0].fields, ["a\nb", "c"]);
        assert_eq!((rest[0].line, rest[1].line), (2, 4));
    }

    #[test]
    fn delimiter_is_detected() {
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n"), ';');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), '\t');
        assert_eq!(detect_delimiter("name,\"x; y\"\n1,2\n"), ',');
        assert_eq!(detect_delimiter("single\nvalue\n"), ',');
    }

    #[test]
    fn encodings_are_decoded() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc"),
            ("abc".to_owned(), Encoding::Utf8)
        );
        assert_eq!(
            decode(&[0xFF, 0xFE, b'h', 0, b'i', 0]),
            ("hi".to_owned(), Encoding::Utf16Le)
        );
        assert_eq!(
            decode(b"Soci\xe9t\xe9 \x80"),
            ("Société €".to_owned(), Encoding::Windows1252)
        );
        assert_eq!(decode("苏菂".as_bytes()).1, Encoding::Utf8);
    }
}
