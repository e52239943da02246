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
    let lines: Vec<&str> = text
        .lines()
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

/// Splits delimited text into records of fields (RFC 4180: quoted fields, doubled quotes,
/// delimiters and newlines inside quotes, CRLF line ends). A leading byte-order mark is
/// dropped. Blank lines are left out.
pub fn parse_delimited(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .chars()
        .peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                any = true;
            }
            c if c == delimiter => {
                row.push(std::mem::take(&mut field));
                any = true;
            }
            '\r' => {}
            '\n' => {
                if any || !field.is_empty() {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                any = false;
            }
            _ => {
                field.push(c);
                any = true;
            }
        }
    }
    if any || !field.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_newlines_and_crlf() {
        let rows = parse_delimited(
            "a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"two\nlines\"\r\n1,,3",
            ',',
        );
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
        let rows = parse_delimited("a;b\n\n1;2\n", ';');
        assert_eq!(rows, vec![vec!["a", "b"], vec!["1", "2"]]);
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
