//! Typed values read from text: numbers, quantities, amounts, percentages, dates, countries,
//! currencies and money. One parser per field type, used by the inspector, the CSV importer
//! and the CLI alike, so a value means the same wherever it is typed.
//!
//! The rule: a text is read exactly as written, or refused with a reason in plain words. Never
//! a prefix (`5O` is not 5), never a guess (`03/04/2024` is not silently 3 April), never a
//! calendar date that does not exist (`2024-02-31`).

use super::common::days_in_month;
use super::countries::{self, COMTRADE_CUSTOMS_AREAS, COMTRADE_UNSPECIFIED};
use super::currency_table::CURRENCIES;
use super::{CountryCode, Money, PartialDate};

/// Largest amount of money or quantity accepted: beyond any real trade, below f64 trouble.
pub const MAX_AMOUNT: f64 = 1e15;

/// Why a text was refused, in plain words (shown beside the field, in the import summary and
/// by the CLI).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct ValueError {
    pub reason: String,
}

impl ValueError {
    fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

/// The text as quoted in a reason: trimmed and at most 40 characters.
fn quoted(text: &str) -> String {
    let t = text.trim();
    let mut short: String = t.chars().take(40).collect();
    if short.len() < t.len() {
        short.push('…');
    }
    format!("\"{short}\"")
}

// ---- numbers ----------------------------------------------------------------------------------

/// Which character separates the decimals: a point (1,200.50, the default) or a comma
/// (1.200,50, as many European sources write; only where the source says so, e.g. a CSV
/// mapping).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DecimalMark {
    #[default]
    Point,
    Comma,
}

impl DecimalMark {
    fn char(self) -> char {
        match self {
            DecimalMark::Point => '.',
            DecimalMark::Comma => ',',
        }
    }

    fn name(self) -> &'static str {
        match self {
            DecimalMark::Point => "point",
            DecimalMark::Comma => "comma",
        }
    }

    /// Characters that may separate thousands besides spaces and apostrophes.
    fn grouping(self) -> char {
        match self {
            DecimalMark::Point => ',',
            DecimalMark::Comma => '.',
        }
    }
}

fn is_space_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’')
}

/// A number with a decimal point: `1200`, `1,200`, `1 200`, `1,200.50`, `-3`, `.5`.
pub fn number(text: &str) -> Result<f64, ValueError> {
    number_with(text, DecimalMark::Point)
}

/// A number whose decimals follow `mark`. Thousands may be grouped in threes by the other
/// mark, a space or an apostrophe (one kind per number); nothing else is part of a number.
pub fn number_with(text: &str, mark: DecimalMark) -> Result<f64, ValueError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ValueError::new("empty: type a number"));
    }
    let (negative, body) = match t.chars().next() {
        Some(c @ ('-' | '−')) => (true, t[c.len_utf8()..].trim_start()),
        Some('+') => (false, t[1..].trim_start()),
        _ => (false, t),
    };
    if let Some(c) = body.chars().find(|c| c.is_alphabetic()) {
        let digits_then_letters = body
            .trim_end_matches(char::is_alphabetic)
            .trim_end()
            .chars()
            .all(|c| {
                c.is_ascii_digit()
                    || c == mark.char()
                    || c == mark.grouping()
                    || is_space_separator(c)
            })
            && body.chars().next().is_some_and(|c| c.is_ascii_digit());
        let hint = if matches!(c, 'e' | 'E')
            && body.split(['e', 'E']).all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
            }) {
            ": write the number in full, without an exponent"
        } else if digits_then_letters && body.chars().filter(|c| c.is_alphabetic()).count() > 1 {
            ": only the number here (a unit or currency goes in its own field)"
        } else {
            ""
        };
        return Err(ValueError::new(format!(
            "{} is not a number: \"{c}\" is not a digit{hint}",
            quoted(t)
        )));
    }
    if let Some(c) = body
        .chars()
        .find(|c| !(c.is_ascii_digit() || *c == '.' || *c == ',' || is_space_separator(*c)))
    {
        return Err(ValueError::new(format!(
            "{} is not a number: \"{c}\" is not part of a number",
            quoted(t)
        )));
    }
    let dec = mark.char();
    let other = mark.grouping();
    // A number written with the other convention (1.200,50 where a point is the mark).
    if let (Some(last_other), Some(last_dec)) = (body.rfind(other), body.rfind(dec))
        && last_other > last_dec
    {
        return Err(ValueError::new(format!(
            "{} has a decimal {} after the digits: here decimals follow a {} (1,200.50)",
            quoted(t),
            match mark {
                DecimalMark::Point => "comma",
                DecimalMark::Comma => "point",
            },
            mark.name()
        )));
    }
    let mut parts = body.split(dec);
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    if parts.next().is_some() {
        return Err(ValueError::new(format!(
            "{} has more than one decimal {}",
            quoted(t),
            mark.name()
        )));
    }
    if let Some(f) = frac
        && !f.chars().all(|c| c.is_ascii_digit())
    {
        return Err(ValueError::new(format!(
            "{}: nothing but digits may follow the decimal {}",
            quoted(t),
            mark.name()
        )));
    }
    let int_digits = grouped_digits(int, other).map_err(|why| {
        let why = match (mark, frac) {
            // "2,5": most likely a decimal comma; say how to write it instead of guessing.
            (DecimalMark::Point, None)
                if int.matches(',').count() == 1
                    && int.rsplit(',').next().is_some_and(|d| d.len() < 3) =>
            {
                format!(
                    "a comma separates thousands here (1,200); for decimals write a point ({})",
                    int.replace(',', ".")
                )
            }
            _ => why,
        };
        ValueError::new(format!("{} is not a number: {why}", quoted(t)))
    })?;
    let frac = frac.unwrap_or_default();
    if int_digits.is_empty() && frac.is_empty() {
        return Err(ValueError::new(format!("{} has no digits", quoted(t))));
    }
    let canonical = format!(
        "{}{}.{}",
        if negative { "-" } else { "" },
        if int_digits.is_empty() {
            "0"
        } else {
            &int_digits
        },
        if frac.is_empty() { "0" } else { frac }
    );
    let value: f64 = canonical
        .parse()
        .map_err(|_| ValueError::new(format!("{} is not a number", quoted(t))))?;
    if !value.is_finite() {
        return Err(ValueError::new(format!("{} is too large", quoted(t))));
    }
    Ok(value)
}

/// The digits of an integer part, grouped in threes by at most one kind of separator.
fn grouped_digits(int: &str, grouping: char) -> Result<String, String> {
    let separators: Vec<char> = int.chars().filter(|c| !c.is_ascii_digit()).collect();
    let Some(&sep) = separators.first() else {
        return Ok(int.to_owned());
    };
    if !(sep == grouping || is_space_separator(sep)) {
        return Err(format!("\"{sep}\" does not separate thousands here"));
    }
    if separators.iter().any(|c| *c != sep) {
        return Err("it mixes two kinds of thousands separators".to_owned());
    }
    let groups: Vec<&str> = int.split(sep).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
        return Err(
            "thousands separators must stand between groups of three digits (1,234,567)".to_owned(),
        );
    }
    Ok(groups.concat())
}

fn within(value: f64, text: &str, what: &str) -> Result<f64, ValueError> {
    if value < 0.0 {
        return Err(ValueError::new(format!("{what} cannot be negative")));
    }
    if value > MAX_AMOUNT {
        return Err(ValueError::new(format!(
            "{} is larger than any real {what} (at most 1,000,000,000,000,000)",
            quoted(text)
        )));
    }
    Ok(value)
}

/// A quantity of goods: a number, not negative.
pub fn quantity(text: &str) -> Result<f64, ValueError> {
    quantity_with(text, DecimalMark::Point)
}

/// [`quantity`] with the decimal mark of the source.
pub fn quantity_with(text: &str, mark: DecimalMark) -> Result<f64, ValueError> {
    within(number_with(text, mark)?, text, "quantity")
}

/// Units that trade records write after a quantity (`200 PCS`, `12.5 KG`), lower case.
const KNOWN_UNITS: &[&str] = &[
    "pcs", "pc", "pce", "piece", "pieces", "unit", "units", "u", "ea", "each", "set", "sets", "kg",
    "kgs", "g", "t", "mt", "lb", "lbs", "ctn", "ctns", "carton", "cartons", "box", "boxes", "pkg",
    "pkgs", "pallet", "pallets", "nos", "no",
];

/// A quantity that may carry a known unit after it (`200 PCS`, `12.5kg`), as trade records
/// write them: the number and the unit as written. Unknown words are refused, never cut off.
pub fn quantity_and_unit(
    text: &str,
    mark: DecimalMark,
) -> Result<(f64, Option<String>), ValueError> {
    let t = text.trim();
    let split = t
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map(|(i, _)| i);
    match split {
        Some(i) if i > 0 => {
            let unit = &t[i..];
            if !KNOWN_UNITS.contains(&unit.to_lowercase().as_str()) {
                // Not a unit: the letters are a slip or something else, never cut off.
                return quantity_with(t, mark).map(|q| (q, None));
            }
            Ok((quantity_with(&t[..i], mark)?, Some(unit.to_owned())))
        }
        _ => Ok((quantity_with(t, mark)?, None)),
    }
}

/// An amount of money without its currency: a number, not negative.
pub fn amount(text: &str) -> Result<f64, ValueError> {
    amount_with(text, DecimalMark::Point)
}

/// [`amount`] with the decimal mark of the source.
pub fn amount_with(text: &str, mark: DecimalMark) -> Result<f64, ValueError> {
    within(number_with(text, mark)?, text, "amount")
}

/// A share in percent, 0 to 100, with or without a `%` sign (`40`, `40 %`, `12.5%`).
pub fn percent(text: &str) -> Result<f64, ValueError> {
    let t = text.trim();
    let digits = t.strip_suffix('%').map_or(t, str::trim_end);
    let value = number(digits)?;
    if !(0.0..=100.0).contains(&value) {
        return Err(ValueError::new(format!(
            "{} is not a share: a share is between 0 and 100 %",
            quoted(t)
        )));
    }
    Ok(value)
}

/// A whole number of things (`1000`, `10,000`), for counts such as the CLI's `--entities`.
pub fn count(text: &str) -> Result<u64, ValueError> {
    let value = number(text)?;
    if value < 0.0 || value.fract() != 0.0 || value > 9.0e15 {
        return Err(ValueError::new(format!(
            "{} is not a whole number of things",
            quoted(text)
        )));
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(value as u64)
}

// ---- currencies and money ---------------------------------------------------------------------

/// Symbols written for currencies, and the codes they stand for: one code is exact; several
/// are ambiguous and only read where the context (a currency column, the field beside)
/// names one of them.
const SYMBOLS: &[(&str, &[&str])] = &[
    ("US$", &["USD"]),
    ("U$S", &["USD"]),
    ("S$", &["SGD"]),
    ("SG$", &["SGD"]),
    ("HK$", &["HKD"]),
    ("NT$", &["TWD"]),
    ("A$", &["AUD"]),
    ("C$", &["CAD"]),
    ("RM", &["MYR"]),
    ("RMB", &["CNY"]),
    ("€", &["EUR"]),
    ("£", &["GBP"]),
    ("₩", &["KRW"]),
    ("₹", &["INR"]),
    ("₽", &["RUB"]),
    ("¥", &["JPY", "CNY"]),
    ("元", &["CNY", "TWD", "HKD"]),
    (
        "$",
        &["USD", "SGD", "HKD", "TWD", "AUD", "CAD", "NZD", "MXN"],
    ),
];

fn currency_code(code: &str) -> Option<&'static str> {
    CURRENCIES
        .binary_search_by(|(c, _)| c.cmp(&code))
        .ok()
        .map(|i| CURRENCIES[i].0)
}

/// A currency: an ISO 4217 code in any case (`usd`), its English name (`Singapore Dollar`)
/// or an unambiguous symbol (`S$`, `€`, `RM`). `$` and `¥` alone are refused: they stand
/// for several currencies.
pub fn currency(text: &str) -> Result<String, ValueError> {
    currency_in(text, None)
}

/// [`currency`], where `context` (a currency named elsewhere for the same value) settles an
/// ambiguous symbol when it is one of the symbol's meanings.
pub fn currency_in(text: &str, context: Option<&str>) -> Result<String, ValueError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ValueError::new("empty: type a currency code such as USD"));
    }
    if t.len() == 3 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        let upper = t.to_ascii_uppercase();
        if let Some(code) = currency_code(&upper) {
            return Ok(code.to_owned());
        }
        if upper != "RMB" {
            return Err(ValueError::new(format!(
                "{} is not an ISO 4217 currency code (such as USD, SGD, CNY)",
                quoted(t)
            )));
        }
    }
    if let Some((symbol, codes)) = SYMBOLS.iter().find(|(s, _)| s.eq_ignore_ascii_case(t)) {
        return match codes {
            [one] => Ok((*one).to_owned()),
            many => match context.and_then(|c| many.iter().find(|m| **m == c)) {
                Some(code) => Ok((*code).to_owned()),
                None => Err(ValueError::new(format!(
                    "\"{symbol}\" alone could be {}: write the code",
                    many.join(", ")
                ))),
            },
        };
    }
    let folded = t.to_lowercase();
    if let Some((code, _)) = CURRENCIES
        .iter()
        .find(|(_, name)| name.to_lowercase() == folded)
    {
        return Ok((*code).to_owned());
    }
    Err(ValueError::new(format!(
        "{} is not a currency: write its ISO 4217 code (such as USD, SGD, CNY)",
        quoted(t)
    )))
}

/// An amount with its currency, before or after it (`USD 5,600,000`, `5,600,000 USD`,
/// `S$1,200.50`, `€12`). Without a currency in the text, `default` is the currency (a currency
/// column or field); with both, they must agree. No currency at all is refused: an amount of
/// money always says which money.
pub fn money(text: &str, default: Option<&str>) -> Result<Money, ValueError> {
    money_with(text, default, DecimalMark::Point)
}

/// [`money`] with the decimal mark of the source.
pub fn money_with(
    text: &str,
    default: Option<&str>,
    mark: DecimalMark,
) -> Result<Money, ValueError> {
    let default = default.filter(|d| !d.trim().is_empty());
    let (amount, written) = split_money(text, default, mark)?;
    let currency = match (written, default) {
        (Some(c), Some(d)) if !d.trim().eq_ignore_ascii_case(&c) => {
            return Err(ValueError::new(format!(
                "the amount is in {c} but its currency is given as {}",
                d.trim()
            )));
        }
        (Some(c), _) => c,
        (None, Some(d)) => currency(d)?,
        (None, None) => {
            return Err(ValueError::new(
                "name the currency of the amount (such as USD 1,200)",
            ));
        }
    };
    Ok(Money { amount, currency })
}

/// An amount that may name its currency (`1,200`, `USD 1,200`, `S$1,200`): the amount, and
/// the currency when the text names one (for a form with the currency in a field beside).
pub fn amount_and_currency(text: &str) -> Result<(f64, Option<String>), ValueError> {
    split_money(text, None, DecimalMark::Point)
}

/// [`amount_and_currency`] with the decimal mark of the source; `context` (a currency given
/// elsewhere for the same value) settles an ambiguous symbol such as `$`.
pub fn amount_and_currency_with(
    text: &str,
    context: Option<&str>,
    mark: DecimalMark,
) -> Result<(f64, Option<String>), ValueError> {
    split_money(text, context, mark)
}

/// The amount of a money text and the currency written before or after it, if any; `context`
/// settles an ambiguous symbol.
fn split_money(
    text: &str,
    context: Option<&str>,
    mark: DecimalMark,
) -> Result<(f64, Option<String>), ValueError> {
    let t = text.trim();
    let is_number_char = |c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == '−';
    let start = t
        .find(|c: char| is_number_char(c) || c == '.')
        .unwrap_or(t.len());
    let end = t
        .rfind(|c: char| c.is_ascii_digit())
        .map_or(start, |i| i + 1)
        .max(start);
    let (before, middle, after) = (t[..start].trim(), &t[start..end], t[end..].trim());
    let written = match (before.is_empty(), after.is_empty()) {
        (true, true) => None,
        (false, true) => Some(before),
        (true, false) => Some(after),
        (false, false) => {
            return Err(ValueError::new(format!(
                "{} names a currency on both sides of the amount",
                quoted(t)
            )));
        }
    };
    if middle.is_empty() {
        return Err(ValueError::new(format!("{} has no amount", quoted(t))));
    }
    let amount = amount_with(middle, mark)?;
    let currency = written
        .map(|w| currency_in(w, context.map(str::trim)))
        .transpose()?;
    Ok((amount, currency))
}

// ---- dates ------------------------------------------------------------------------------------

/// How to read all-number dates such as `03/04/2024`, where the order of day and month is the
/// writer's convention.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateOrder {
    /// Unknown (typed by hand): read only when one order gives a real date; refuse otherwise.
    #[default]
    Unknown,
    /// Day before month (28/11/2024), as most of the world writes: a CSV mapping says so.
    DayFirst,
    /// Month before day (11/28/2024), as the US writes.
    MonthFirst,
}

/// The forms [`date`] reads, for refusals.
pub const DATE_FORMS: &str = "2024-11-28, 28 Nov 2024, Nov 28 2024, Nov 2024, 2024-11 or 2024";

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_from_name(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w == "sept" {
        return Some(9);
    }
    MONTH_NAMES.iter().zip(1u8..).find_map(|(name, n)| {
        let full = name.to_lowercase();
        (w == full || (w.len() == 3 && full.starts_with(&w))).then_some(n)
    })
}

#[derive(Clone, Debug, PartialEq)]
enum Token<'a> {
    Num(&'a str),
    Word(&'a str),
    Sep(char),
}

fn tokens(t: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = t.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = j + 1;
                chars.next();
            }
            out.push(Token::Num(&t[i..end]));
        } else if c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            // "Feb." : the point of an abbreviation is part of the word.
            if let Some(&(j, '.')) = chars.peek() {
                chars.next();
                end = j + 1;
            }
            out.push(Token::Word(&t[i..end]));
        } else if c.is_whitespace() || c == ',' {
            // Spaces and commas between words ("Feb 2, 2024") are one gap.
            if !matches!(out.last(), Some(Token::Sep(' '))) {
                if matches!(out.last(), Some(Token::Sep(_))) {
                    continue;
                }
                out.push(Token::Sep(' '));
            }
        } else {
            // A dash or slash next to spaces ("2 - Feb") counts as the dash.
            if matches!(out.last(), Some(Token::Sep(' '))) {
                out.pop();
            }
            out.push(Token::Sep(c));
        }
    }
    // Gaps next to punctuation carry no meaning.
    let mut cleaned: Vec<Token<'_>> = Vec::with_capacity(out.len());
    for tok in out {
        if tok == Token::Sep(' ') && matches!(cleaned.last(), Some(Token::Sep(c)) if *c != ' ') {
            continue;
        }
        cleaned.push(tok);
    }
    cleaned
}

fn month_name(m: u8) -> &'static str {
    MONTH_NAMES[usize::from(m.clamp(1, 12) - 1)]
}

/// A calendar date from its parts, or why it does not exist.
fn calendar(year: i32, month: u8, day: Option<u8>) -> Result<PartialDate, ValueError> {
    if !(1..=12).contains(&month) {
        return Err(ValueError::new(format!(
            "there is no month {month} (months are 1 to 12)"
        )));
    }
    let Some(day) = day else {
        return Ok(PartialDate {
            year,
            month: Some(month),
            day: None,
        });
    };
    let days = days_in_month(year, month);
    if day == 0 {
        return Err(ValueError::new("there is no day 0 in a month"));
    }
    if day > days {
        return Err(ValueError::new(format!(
            "{} {year} has {days} days",
            month_name(month)
        )));
    }
    Ok(PartialDate::ymd(year, month, day))
}

fn small(n: &str) -> Option<u8> {
    (n.len() <= 2).then(|| n.parse().ok()).flatten()
}

fn year_of(n: &str) -> Result<i32, ValueError> {
    if n.len() == 4 {
        n.parse()
            .map_err(|_| ValueError::new(format!("\"{n}\" is not a year")))
    } else if n.len() <= 2 {
        Err(ValueError::new(format!(
            "write the year with four digits (the \"{n}\" could be 19{n:0>2} or 20{n:0>2})"
        )))
    } else {
        Err(ValueError::new(format!(
            "\"{n}\" is not a year: a year has four digits"
        )))
    }
}

/// Checks the time after a date (`T10:00:00`, ` 10:00`, with seconds, fractions, `Z` or an
/// offset): true when it is one.
fn is_time(t: &str) -> bool {
    let t = t.trim();
    let (clock, _zone) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => {
            let zone = &t[i..];
            let ok = zone.eq_ignore_ascii_case("z") || {
                let z = &zone[1..];
                let mut p = z.split(':');
                matches!(
                    (p.next(), p.next(), p.next()),
                    (Some(h), Some(m), None) if h.len() == 2 && m.len() == 2
                        && h.parse::<u8>().is_ok_and(|h| h <= 14)
                        && m.parse::<u8>().is_ok_and(|m| m < 60)
                ) || (z.len() == 4 && z.parse::<u16>().is_ok())
            };
            if !ok {
                return false;
            }
            (&t[..i], zone)
        }
        None => (t, ""),
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let parts: Vec<&str> = hms.split(':').collect();
    let limits = [23u8, 59, 60];
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .zip(limits)
            .all(|(p, max)| p.len() == 2 && p.parse::<u8>().is_ok_and(|v| v <= max))
}

/// A date with the precision it is written with: a year, a month or a day. Reads ISO 8601
/// (`2024`, `2024-11`, `2024-11-28`, `20241128`, and timestamps `2024-11-28T10:00:00Z`, of
/// which the date is kept as written), `2024/11/28`, dates with month names (`28 Nov 2024`,
/// `28-NOV-2024`, `Nov 28, 2024`, `November 2024`), `11/2024`, and all-number dates such as
/// `28/11/2024` as `order` says (when it is [`DateOrder::Unknown`], only where one order gives
/// a real date). Refuses dates that do not exist (`2024-02-31`: "February 2024 has 29 days"),
/// two-digit years and anything else, with the forms it reads.
pub fn date(text: &str, order: DateOrder) -> Result<PartialDate, ValueError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ValueError::new(format!(
            "empty: type a date such as {DATE_FORMS}"
        )));
    }
    // A timestamp: the date as written, when what follows it is a time of day.
    if t.len() > 10
        && t.is_char_boundary(10)
        && t[10..].starts_with(['T', 't', ' '])
        && t.as_bytes()[4] == b'-'
        && is_time(&t[11..])
    {
        return date(&t[..10], order);
    }
    let toks = tokens(t);
    use Token::{Num, Sep, Word};
    if let Some(Word(w)) = toks.first() {
        let w = w.trim_end_matches('.').to_lowercase();
        if APPROXIMATE.contains(&w.as_str()) {
            return Err(ValueError::new(format!(
                "{} is an approximate date, which a date field cannot hold: enter the date the source gives, or leave it empty and say \"{w}\" in the notes",
                quoted(t)
            )));
        }
    }
    let unknown = || {
        ValueError::new(format!(
            "{} is not a date Chokepoint can read: write it as {DATE_FORMS}",
            quoted(t)
        ))
    };
    let result = match toks.as_slice() {
        [Num(y)] if y.len() == 4 => Ok(PartialDate {
            year: year_of(y)?,
            month: None,
            day: None,
        }),
        [Num(n)] if n.len() == 8 => {
            let year = year_of(&n[..4])?;
            calendar(
                year,
                n[4..6].parse().unwrap_or(0),
                Some(n[6..].parse().unwrap_or(0)),
            )
        }
        [Num(n)] if n.len() == 6 => Err(ValueError::new(format!(
            "{} could be a year and month (YYYYMM) or a two-digit-year date (YYMMDD): write it as 2024-11 or 2024-11-28",
            quoted(t)
        ))),
        [Num(y), Sep(s), Num(m)] if y.len() == 4 && matches!(s, '-' | '/' | '.') => {
            let m = small(m).ok_or_else(unknown)?;
            calendar(year_of(y)?, m, None)
        }
        [Num(y), Sep(s1), Num(m), Sep(s2), Num(d)]
            if y.len() == 4 && s1 == s2 && matches!(s1, '-' | '/' | '.') =>
        {
            let (m, d) = (small(m).ok_or_else(unknown)?, small(d).ok_or_else(unknown)?);
            calendar(year_of(y)?, m, Some(d))
        }
        [Num(m), Sep(s), Num(y)]
            if matches!(s, '/' | '-' | '.') && m.len() <= 2 && y.len() == 4 =>
        {
            calendar(year_of(y)?, small(m).ok_or_else(unknown)?, None)
        }
        [Num(a), Sep(s1), Num(b), Sep(s2), Num(y)]
            if s1 == s2 && matches!(s1, '/' | '.' | '-') && a.len() <= 2 && b.len() <= 2 =>
        {
            let year = year_of(y)?;
            numeric_date(
                t,
                year,
                small(a).ok_or_else(unknown)?,
                small(b).ok_or_else(unknown)?,
                order,
            )
        }
        [Num(d), sep1, Word(w), sep2, Num(y)]
            if d.len() <= 2 && matches!(sep1, Sep(' ' | '-' | '/' | '.')) && sep1 == sep2 =>
        {
            let month = month_from_name(w).ok_or_else(|| not_a_month(w))?;
            calendar(year_of(y)?, month, Some(small(d).ok_or_else(unknown)?))
        }
        [Word(w), Sep(' ' | '-'), Num(d), Sep(' '), Num(y)] if d.len() <= 2 => {
            let month = month_from_name(w).ok_or_else(|| not_a_month(w))?;
            calendar(year_of(y)?, month, Some(small(d).ok_or_else(unknown)?))
        }
        [Word(w), Sep(' ' | '-' | '/'), Num(y)] => {
            let month = month_from_name(w).ok_or_else(|| not_a_month(w))?;
            calendar(year_of(y)?, month, None)
        }
        _ => Err(unknown()),
    };
    result.map_err(|e| {
        if e.reason.starts_with(&quoted(t)) {
            e
        } else {
            ValueError::new(format!("{}: {}", quoted(t), e.reason))
        }
    })
}

fn not_a_month(word: &str) -> ValueError {
    ValueError::new(format!(
        "\"{word}\" is not a month (Chokepoint reads {DATE_FORMS})"
    ))
}

/// Words that make a date approximate ("circa 1960", "before 2019"), as sanctions lists and
/// registries write them.
const APPROXIMATE: &[&str] = &[
    "circa",
    "ca",
    "c",
    "about",
    "approx",
    "approximately",
    "around",
    "before",
    "after",
    "early",
    "mid",
    "late",
];

/// `a/b/year`: day and month in the order the source uses, or, when it is unknown, the one
/// order that gives a real date.
fn numeric_date(
    t: &str,
    year: i32,
    a: u8,
    b: u8,
    order: DateOrder,
) -> Result<PartialDate, ValueError> {
    let day_first = calendar(year, b, Some(a));
    let month_first = calendar(year, a, Some(b));
    match order {
        DateOrder::DayFirst => day_first,
        DateOrder::MonthFirst => month_first,
        DateOrder::Unknown => match (day_first, month_first) {
            (Ok(d), Ok(m)) if d == m => Ok(d),
            (Ok(d), Ok(m)) => Err(ValueError::new(format!(
                "{} could be {} or {}: write it as {} or {} (Chokepoint reads {DATE_FORMS})",
                quoted(t),
                spoken(&d),
                spoken(&m),
                d,
                short_spoken(&d)
            ))),
            (Ok(d), Err(_)) => Ok(d),
            (Err(_), Ok(m)) => Ok(m),
            // Neither order is a date: explain with the order whose month exists.
            (Err(e), Err(f)) => Err(if (1..=12).contains(&b) || !(1..=12).contains(&a) {
                e
            } else {
                f
            }),
        },
    }
}

fn spoken(d: &PartialDate) -> String {
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{day} {} {}", month_name(m), d.year),
        (Some(m), None) => format!("{} {}", month_name(m), d.year),
        _ => d.year.to_string(),
    }
}

fn short_spoken(d: &PartialDate) -> String {
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{day} {} {}", &month_name(m)[..3], d.year),
        _ => spoken(d),
    }
}

// ---- countries --------------------------------------------------------------------------------

/// A country: an ISO 3166-1 alpha-2 code in any case (`SG`, `sg` as `FollowTheMoney` writes
/// them), an alpha-3 code (`SGP`), a UN M49 / ISO numeric code (`702`, `156`, and the customs
/// areas UN Comtrade reports under, such as `842` for the United States), or an English name
/// (`Singapore`, `Korea, Republic of`, `USA`). Names that stand for several countries
/// (`Korea`) and codes that stand for none are refused with the reason.
pub fn country(text: &str) -> Result<CountryCode, ValueError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ValueError::new("empty: type a country code such as SG"));
    }
    let found = if t.chars().all(|c| c.is_ascii_digit()) {
        let number: u16 = t.parse().map_err(|_| unknown_country(t))?;
        if let Some((_, why)) = COMTRADE_UNSPECIFIED.iter().find(|(n, _)| *n == number) {
            return Err(ValueError::new(*why));
        }
        countries::by_numeric(number).or_else(|| {
            COMTRADE_CUSTOMS_AREAS
                .iter()
                .find(|(n, _, _)| *n == number)
                .and_then(|(_, code, _)| countries::by_alpha2(code))
        })
    } else if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        // UK is not an ISO code, but it is what many records write for the United Kingdom.
        countries::by_alpha2(t).or_else(|| {
            t.eq_ignore_ascii_case("uk")
                .then(|| countries::by_alpha2("GB"))
                .flatten()
        })
    } else if t.len() == 3 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        countries::by_alpha3(t).or_else(|| countries::by_name(t))
    } else {
        if let Some(why) = countries::ambiguous_name(t) {
            return Err(ValueError::new(format!("{why}: write the code")));
        }
        countries::by_name(t)
    };
    let country = found.ok_or_else(|| unknown_country(t))?;
    country.alpha2.parse().map_err(|_| unknown_country(t))
}

fn unknown_country(t: &str) -> ValueError {
    ValueError::new(format!(
        "{} is not a country Chokepoint knows: write an ISO 3166 code (SG, SGP or 702) or an English name such as Singapore",
        quoted(t)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(r: Result<impl std::fmt::Debug, ValueError>) -> String {
        match r {
            Ok(v) => panic!("accepted as {v:?}"),
            Err(e) => e.reason,
        }
    }

    #[test]
    fn numbers_are_read_exactly_or_refused() {
        for (text, value) in [
            ("5", 5.0),
            ("1200", 1200.0),
            ("1,200", 1200.0),
            ("1 200", 1200.0),
            ("1\u{a0}200", 1200.0),
            ("1,234,567.89", 1_234_567.89),
            ("0.5", 0.5),
            (".5", 0.5),
            ("-3", -3.0),
            ("  42  ", 42.0),
            ("007", 7.0),
        ] {
            assert_eq!(number(text), Ok(value), "{text}");
        }
        let r = refused(number("5O"));
        assert!(r.contains("\"O\" is not a digit"), "{r}");
        assert!(!r.contains("float"), "{r}");
        assert!(refused(number("2,5")).contains("write a point (2.5)"));
        assert!(refused(number("1.200,50")).contains("decimal comma"));
        assert!(refused(number("1,2345")).contains("groups of three"));
        assert!(refused(number("1.2.3")).contains("more than one decimal point"));
        assert!(refused(number("1e6")).contains("without an exponent"));
        assert!(refused(number("1,234 567")).contains("two kinds"));
        assert!(refused(number("200 pcs")).contains("its own field"));
        assert!(refused(number("")).contains("empty"));
        assert!(refused(number(".")).contains("no digits"));
        assert_eq!(number_with("1.200,50", DecimalMark::Comma), Ok(1200.5));
        assert_eq!(number_with("2,5", DecimalMark::Comma), Ok(2.5));
        assert!(number_with("1,200.50", DecimalMark::Comma).is_err());
    }

    #[test]
    fn quantities_amounts_and_shares_have_ranges() {
        assert!(refused(quantity("-1")).contains("cannot be negative"));
        assert!(refused(amount("2000000000000000000")).contains("larger than any real"));
        assert_eq!(percent("40 %"), Ok(40.0));
        assert_eq!(percent("12.5%"), Ok(12.5));
        assert!(refused(percent("140")).contains("between 0 and 100"));
        assert_eq!(count("10,000"), Ok(10_000));
        assert!(count("1.5").is_err());
        assert_eq!(
            quantity_and_unit("200 PCS", DecimalMark::Point),
            Ok((200.0, Some("PCS".to_owned())))
        );
        assert_eq!(
            quantity_and_unit("12.5kg", DecimalMark::Point),
            Ok((12.5, Some("kg".to_owned())))
        );
        assert!(quantity_and_unit("5O", DecimalMark::Point).is_err());
        assert_eq!(
            quantity_and_unit("1,200", DecimalMark::Point),
            Ok((1200.0, None))
        );
    }

    #[test]
    fn money_names_its_currency() {
        let m = |a: f64, c: &str| Money {
            amount: a,
            currency: c.to_owned(),
        };
        assert_eq!(money("USD 5,600,000", None), Ok(m(5_600_000.0, "USD")));
        assert_eq!(money("5,600,000 usd", None), Ok(m(5_600_000.0, "USD")));
        assert_eq!(money("S$1,200.50", None), Ok(m(1200.5, "SGD")));
        assert_eq!(money("€12", None), Ok(m(12.0, "EUR")));
        assert_eq!(money("RM 3,000", None), Ok(m(3000.0, "MYR")));
        assert_eq!(money("1,200", Some("SGD")), Ok(m(1200.0, "SGD")));
        assert_eq!(money("$1,200", Some("USD")), Ok(m(1200.0, "USD")));
        assert!(refused(money("$1,200", None)).contains("could be USD, SGD"));
        assert!(refused(money("1,200", None)).contains("name the currency"));
        assert!(refused(money("SGD 1,200", Some("USD"))).contains("given as USD"));
        assert!(refused(money("ABC 12", None)).contains("not an ISO 4217"));
        assert_eq!(currency("renminbi").ok(), None);
        assert_eq!(currency("yuan renminbi").as_deref(), Ok("CNY"));
        assert_eq!(currency("RMB").as_deref(), Ok("CNY"));
        assert_eq!(currency("cnh").as_deref(), Ok("CNH"));
        assert!(refused(currency("¥")).contains("JPY, CNY"));
    }

    #[test]
    fn dates_are_calendar_dates_with_their_precision() {
        let ok = |t: &str, order| date(t, order).unwrap_or_else(|e| panic!("{t}: {e}"));
        let u = DateOrder::Unknown;
        assert_eq!(ok("2024", u).to_string(), "2024");
        assert_eq!(ok("2024-02", u).to_string(), "2024-02");
        assert_eq!(ok("2024-02-29", u).to_string(), "2024-02-29");
        assert_eq!(ok("2 Feb 2024", u).to_string(), "2024-02-02");
        assert_eq!(ok("02-FEB-2024", u).to_string(), "2024-02-02");
        assert_eq!(ok("Feb 2, 2024", u).to_string(), "2024-02-02");
        assert_eq!(ok("February 2024", u).to_string(), "2024-02");
        assert_eq!(ok("Sept 2024", u).to_string(), "2024-09");
        assert_eq!(ok("2024/11/28", u).to_string(), "2024-11-28");
        assert_eq!(ok("20241128", u).to_string(), "2024-11-28");
        assert_eq!(ok("11/2024", u).to_string(), "2024-11");
        assert_eq!(ok("2024-11-28T10:00:00Z", u).to_string(), "2024-11-28");
        assert_eq!(ok("2024-11-28 10:00", u).to_string(), "2024-11-28");
        assert_eq!(ok("13/04/2024", u).to_string(), "2024-04-13");
        assert_eq!(ok("05/05/2024", u).to_string(), "2024-05-05");
        assert_eq!(
            ok("03/04/2024", DateOrder::DayFirst).to_string(),
            "2024-04-03"
        );
        assert_eq!(
            ok("03/04/2024", DateOrder::MonthFirst).to_string(),
            "2024-03-04"
        );

        assert!(refused(date("2024-02-31", u)).contains("February 2024 has 29 days"));
        assert!(refused(date("2023-02-29", u)).contains("February 2023 has 28 days"));
        assert!(refused(date("2023-12-32", u)).contains("December 2023 has 31 days"));
        assert!(refused(date("31/02/2024", u)).contains("February 2024 has 29 days"));
        assert!(refused(date("2024-13", u)).contains("no month 13"));
        let ambiguous = refused(date("03/04/2024", u));
        assert!(ambiguous.contains("3 April 2024") && ambiguous.contains("4 March 2024"));
        assert!(ambiguous.contains(DATE_FORMS), "{ambiguous}");
        assert!(refused(date("28/11/24", u)).contains("four digits"));
        assert!(refused(date("202401", u)).contains("YYYYMM"));
        assert!(refused(date("soon", u)).contains(DATE_FORMS));
        assert!(refused(date("2024-02-3x", u)).contains(DATE_FORMS));
        assert!(refused(date("Febr 2024", u)).contains("not a month"));
        assert!(refused(date("2024-11-28T25:00", u)).contains(DATE_FORMS));
        let r = refused(date("2024-02-31", u));
        assert!(
            !r.contains("four digits") && !r.contains("YYYY-MM-DD"),
            "{r}"
        );
    }

    #[test]
    fn countries_by_code_number_and_name() {
        let ok = |t: &str| country(t).map_or_else(|e| panic!("{t}: {e}"), |c| c.to_string());
        assert_eq!(ok("SG"), "SG");
        assert_eq!(ok("sg"), "SG");
        assert_eq!(ok("SGP"), "SG");
        assert_eq!(ok("702"), "SG");
        assert_eq!(ok("156"), "CN");
        assert_eq!(ok("036"), "AU");
        assert_eq!(ok("842"), "US");
        assert_eq!(ok("840"), "US");
        assert_eq!(ok("Singapore"), "SG");
        assert_eq!(ok("KOREA, REPUBLIC OF"), "KR");
        assert_eq!(ok("United States of America"), "US");
        assert_eq!(ok("UK"), "GB");
        assert_eq!(ok("Hong Kong SAR"), "HK");
        assert_eq!(ok("XK"), "XK");
        assert!(refused(country("ZZ")).contains("not a country"));
        assert!(refused(country("Korea")).contains("KR"));
        assert!(refused(country("490")).contains("Other Asia"));
        assert!(refused(country("999")).contains("not a country"));
        assert!(refused(country("Atlantis")).contains("English name"));
    }
}
