//! Small value types shared by every kind of item: handling markings, claim status, dates,
//! money and country codes. Each validates itself so a case can never hold a malformed value.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Traffic Light Protocol handling marking, for a case or an evidence item.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Tlp {
    Clear,
    Green,
    #[default]
    Amber,
    AmberStrict,
    Red,
}

impl Tlp {
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Tlp::Clear => "Disclosure is not limited.",
            Tlp::Green => "Limited disclosure: may be shared within the community, not publicly.",
            Tlp::Amber => {
                "Limited disclosure: recipients may share with their organisation and its clients on a need-to-know basis."
            }
            Tlp::AmberStrict => {
                "Limited disclosure: recipients may share only within their own organisation."
            }
            Tlp::Red => {
                "For the eyes and ears of individual recipients only, no further disclosure."
            }
        }
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How far a claim is established. Every claim starts as an allegation until evidence supports it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum ClaimStatus {
    /// Established by strong evidence (official records, confirmed documents).
    Proven,
    /// Supported by more than one independent source.
    Corroborated,
    /// Reported by a public source (press, social media) but not independently checked.
    Reported,
    /// Asserted without supporting evidence yet.
    #[default]
    Alleged,
    /// Contradicted by some evidence.
    Disputed,
    /// Shown to be false.
    Refuted,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 6] = [
        ClaimStatus::Proven,
        ClaimStatus::Corroborated,
        ClaimStatus::Reported,
        ClaimStatus::Alleged,
        ClaimStatus::Disputed,
        ClaimStatus::Refuted,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Proven => "Proven",
            ClaimStatus::Corroborated => "Corroborated",
            ClaimStatus::Reported => "Reported",
            ClaimStatus::Alleged => "Alleged",
            ClaimStatus::Disputed => "Disputed",
            ClaimStatus::Refuted => "Refuted",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            ClaimStatus::Proven => "Established by strong evidence such as official records.",
            ClaimStatus::Corroborated => "Supported by more than one independent source.",
            ClaimStatus::Reported => "Reported by a public source, not independently checked.",
            ClaimStatus::Alleged => "Asserted without supporting evidence yet.",
            ClaimStatus::Disputed => "Contradicted by some evidence.",
            ClaimStatus::Refuted => "Shown to be false.",
        }
    }
}

/// How confident the investigator is in a link.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Confidence {
    #[default]
    Unknown,
    Low,
    Medium,
    High,
}

impl Confidence {
    pub const ALL: [Confidence; 4] = [
        Confidence::Unknown,
        Confidence::Low,
        Confidence::Medium,
        Confidence::High,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Confidence::Unknown => "Unknown",
            Confidence::Low => "Low",
            Confidence::Medium => "Medium",
            Confidence::High => "High",
        }
    }
}

/// A calendar date with the precision the source gives: a year, a month or a day
/// (`2024`, `2024-11`, `2024-11-28`). Sources rarely give more, and must not be made to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn ymd(year: i32, month: u8, day: u8) -> Self {
        Self {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// Days since 1970-01-01 of the first day this date covers, for ordering and time axes.
    pub fn days_since_epoch(&self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month.unwrap_or(1)),
            i64::from(self.day.unwrap_or(1)),
        )
    }

    /// Days since 1970-01-01 of the first day this date covers (`2024-05` → 1 May 2024).
    pub fn first_day(&self) -> i64 {
        self.days_since_epoch()
    }

    /// Days since 1970-01-01 of the last day this date covers (`2024-05` → 31 May 2024,
    /// `2024` → 31 December 2024).
    pub fn last_day(&self) -> i64 {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        days_from_civil(i64::from(self.year), i64::from(month), i64::from(day))
    }

    /// Today's date (UTC) from the system clock. Analysis takes "today" as an argument so it
    /// stays a pure function; callers at the edge (the UI, the CLI) ask for it here.
    pub fn today() -> Self {
        Timestamp::now().date()
    }
}

/// Why a date or timestamp could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{input}\" is not a date: {reason} (expected YYYY, YYYY-MM or YYYY-MM-DD)")]
pub struct DateError {
    pub input: String,
    pub reason: &'static str,
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| DateError {
            input: s.chars().take(40).collect(),
            reason,
        };
        let mut parts = s.trim().split('-');
        let year_str = parts.next().ok_or_else(|| err("empty"))?;
        if year_str.len() != 4 || !year_str.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("the year must have four digits"));
        }
        let year: i32 = year_str.parse().map_err(|_| err("bad year"))?;
        let month = match parts.next() {
            None => None,
            Some(m) => {
                let m: u8 =
                    parse_two_digits(m).ok_or_else(|| err("the month must have two digits"))?;
                if !(1..=12).contains(&m) {
                    return Err(err("the month must be 01 to 12"));
                }
                Some(m)
            }
        };
        let day = match parts.next() {
            None => None,
            Some(d) => {
                let d: u8 =
                    parse_two_digits(d).ok_or_else(|| err("the day must have two digits"))?;
                let max = days_in_month(year, month.unwrap_or(1));
                if d == 0 || d > max {
                    return Err(err("no such day in that month"));
                }
                Some(d)
            }
        };
        if parts.next().is_some() {
            return Err(err("too many parts"));
        }
        Ok(Self { year, month, day })
    }
}

fn parse_two_digits(s: &str) -> Option<u8> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Days in `month` (1–12) of `year`, Gregorian calendar.
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl TryFrom<String> for PartialDate {
    type Error = DateError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<PartialDate> for String {
    fn from(d: PartialDate) -> String {
        d.to_string()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// A UTC instant with one-second precision, written as RFC 3339 (`2024-12-09T14:03:00Z`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix_seconds: i64,
}

impl Timestamp {
    pub fn from_unix(unix_seconds: i64) -> Self {
        Self { unix_seconds }
    }

    /// The calendar day (UTC) of this instant.
    pub fn date(&self) -> PartialDate {
        let (y, m, d) = civil_from_days(self.unix_seconds.div_euclid(86_400));
        PartialDate {
            year: i32::try_from(y).unwrap_or(i32::MAX),
            month: u8::try_from(m).ok(),
            day: u8::try_from(d).ok(),
        }
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::from_unix(i64::try_from(secs).unwrap_or(i64::MAX))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.unix_seconds.div_euclid(86_400);
        let secs = self.unix_seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

impl FromStr for Timestamp {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| DateError {
            input: s.chars().take(40).collect(),
            reason,
        };
        let s = s.trim();
        let (date, time) = s
            .split_once('T')
            .ok_or_else(|| err("expected YYYY-MM-DDTHH:MM:SSZ"))?;
        let date: PartialDate = date.parse()?;
        let (Some(month), Some(day)) = (date.month, date.day) else {
            return Err(err("a timestamp needs a full date"));
        };
        let time = time
            .strip_suffix('Z')
            .ok_or_else(|| err("a timestamp must be in UTC and end in Z"))?;
        let mut hms = time.split(':').map(parse_two_digits);
        let (Some(Some(h)), Some(Some(mi)), Some(Some(se)), None) =
            (hms.next(), hms.next(), hms.next(), hms.next())
        else {
            return Err(err("expected HH:MM:SS"));
        };
        if h > 23 || mi > 59 || se > 60 {
            return Err(err("time out of range"));
        }
        let days = days_from_civil(i64::from(date.year), i64::from(month), i64::from(day));
        Ok(Self::from_unix(
            days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(se),
        ))
    }
}

impl TryFrom<String> for Timestamp {
    type Error = DateError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.to_string()
    }
}

// Howard Hinnant's civil calendar algorithms (public domain).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// An ISO 3166-1 alpha-2 country code, upper case (`CN`, `SG`, `MY`), or a user-assigned
/// code such as `XK`. Names of countries are the UI's business.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a country code was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a country code (expected two letters such as CN, SG or MY)")]
pub struct CountryCodeError(pub String);

impl FromStr for CountryCode {
    type Err = CountryCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Self(t.to_ascii_uppercase()))
        } else {
            Err(CountryCodeError(s.chars().take(20).collect()))
        }
    }
}

impl TryFrom<String> for CountryCode {
    type Error = CountryCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An amount of money in a named currency (ISO 4217 code such as USD, SGD, CNY).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount: f64,
    pub currency: String,
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, format_amount(self.amount))
    }
}

/// Compact human amount: 5 600 000 → "5.6M", 12 500 → "12.5k".
pub fn format_amount(amount: f64) -> String {
    let abs = amount.abs();
    let (scaled, suffix) = if abs >= 1e9 {
        (amount / 1e9, "B")
    } else if abs >= 1e6 {
        (amount / 1e6, "M")
    } else if abs >= 1e4 {
        (amount / 1e3, "k")
    } else {
        (amount, "")
    };
    let text = format!("{scaled:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text}{suffix}")
}

/// A point in canvas coordinates (not screen pixels).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CanvasPoint {
    pub x: f32,
    pub y: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_and_print() {
        for s in ["2024", "2024-11", "2024-11-28", "2024-02-29"] {
            let d: PartialDate = s.parse().expect(s);
            assert_eq!(d.to_string(), s);
        }
        for bad in [
            "24",
            "2024-13",
            "2024-02-30",
            "2023-02-29",
            "2024-1-5",
            "",
            "2024-11-28-1",
            "x",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_date_covers_from_its_first_to_its_last_day() {
        let d = |s: &str| s.parse::<PartialDate>().expect(s);
        assert_eq!(d("2024-02").last_day(), d("2024-02-29").first_day());
        assert_eq!(d("2023-02").last_day(), d("2023-02-28").first_day());
        assert_eq!(d("2024").last_day(), d("2024-12-31").first_day());
        assert_eq!(d("2024-11-28").last_day(), d("2024-11-28").first_day());
        let t: Timestamp = "2024-12-09T23:59:59Z".parse().expect("valid");
        assert_eq!(t.date(), d("2024-12-09"));
        assert_eq!(Timestamp::from_unix(-1).date(), d("1969-12-31"));
    }

    #[test]
    fn timestamps_round_trip() {
        let t: Timestamp = "2024-12-09T14:03:05Z".parse().expect("valid");
        assert_eq!(t.to_string(), "2024-12-09T14:03:05Z");
        assert_eq!(Timestamp::from_unix(0).to_string(), "1970-01-01T00:00:00Z");
        assert!("2024-12-09 14:03:05".parse::<Timestamp>().is_err());
        assert!("2024-12-09T14:03:05+01:00".parse::<Timestamp>().is_err());
        for secs in [-86_400 * 400, 0, 1_700_000_000, 4_102_444_800] {
            let t = Timestamp::from_unix(secs);
            assert_eq!(t.to_string().parse::<Timestamp>(), Ok(t));
        }
    }

    #[test]
    fn country_codes_normalise() {
        assert_eq!(
            "sg".parse::<CountryCode>().map(|c| c.to_string()),
            Ok("SG".into())
        );
        assert!("SGP".parse::<CountryCode>().is_err());
        assert!("中国".parse::<CountryCode>().is_err());
    }

    #[test]
    fn amounts_are_compact() {
        assert_eq!(format_amount(5_600_000.0), "5.6M");
        assert_eq!(format_amount(200.0), "200");
        assert_eq!(format_amount(12_500.0), "12.5k");
    }
}
