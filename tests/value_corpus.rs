//! The typed-value parsers against a corpus of real-world input shapes (tests/fixtures/values/,
//! each line citing the public format it is written after: ISO 8601 and RFC 3339, the UN
//! Comtrade API, `FollowTheMoney` and `OpenSanctions` exports, the OFAC SDN list, customs
//! extracts and invoices). What is accepted must be exactly the value meant; what is refused
//! must say why.

use chokepoint::model::parse::{self, DateOrder, DecimalMark, ValueError};

struct Sample {
    line: usize,
    input: String,
    option: String,
    extra: Option<String>,
    expected: String,
    source: String,
}

/// Lines of `file`: `input | option | [extra |] expected | source`.
fn samples(file: &str, columns: usize) -> Vec<Sample> {
    let path = format!("tests/fixtures/values/{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let parts: Vec<&str> = l.split(" | ").collect();
            assert_eq!(parts.len(), columns, "{path}:{}: {l}", i + 1);
            let (extra, rest) = if columns == 5 {
                (Some(parts[2].trim().to_owned()), &parts[3..])
            } else {
                (None, &parts[2..])
            };
            Sample {
                line: i + 1,
                input: parts[0].to_owned(),
                option: parts[1].trim().to_owned(),
                extra,
                expected: rest[0].trim().to_owned(),
                source: rest[1].trim().to_owned(),
            }
        })
        .collect()
}

fn check(file: &str, s: &Sample, got: Result<String, ValueError>) {
    let at = format!("{file}:{} ({}): {:?}", s.line, s.source, s.input);
    match (s.expected.strip_prefix('!'), got) {
        (None, Ok(v)) => assert_eq!(v, s.expected, "{at}"),
        (None, Err(e)) => panic!("{at}: refused ({e}), expected {}", s.expected),
        (Some(why), Err(e)) => {
            assert!(
                e.reason.contains(why),
                "{at}: refused with \"{e}\", expected \"{why}\""
            );
            assert!(
                !e.reason.contains("invalid") && !e.reason.contains("float"),
                "{at}: not plain words: {e}"
            );
        }
        (Some(why), Ok(v)) => panic!("{at}: accepted as {v}, expected a refusal ({why})"),
    }
}

fn mark(s: &str) -> DecimalMark {
    match s {
        "comma" => DecimalMark::Comma,
        _ => DecimalMark::Point,
    }
}

#[test]
fn dates_from_public_formats() {
    let all = samples("dates.txt", 4);
    assert!(all.len() >= 30);
    for s in &all {
        let order = match s.option.as_str() {
            "day" => DateOrder::DayFirst,
            "month" => DateOrder::MonthFirst,
            _ => DateOrder::Unknown,
        };
        check(
            "dates.txt",
            s,
            parse::date(&s.input, order).map(|d| d.to_string()),
        );
    }
}

#[test]
fn numbers_from_public_formats() {
    for s in &samples("numbers.txt", 4) {
        check(
            "numbers.txt",
            s,
            parse::number_with(&s.input, mark(&s.option)).map(|n| n.to_string()),
        );
    }
}

#[test]
fn money_from_public_formats() {
    for s in &samples("money.txt", 5) {
        let beside = (s.option != "-").then_some(s.option.as_str());
        let m = mark(s.extra.as_deref().unwrap_or("point"));
        check(
            "money.txt",
            s,
            parse::money_with(&s.input, beside, m).map(|m| format!("{} {}", m.currency, m.amount)),
        );
    }
}

#[test]
fn countries_from_public_formats() {
    for s in &samples("countries.txt", 4) {
        check(
            "countries.txt",
            s,
            parse::country(&s.input).map(|c| c.to_string()),
        );
    }
}
