//! Property tests of the typed-value parsers (`chokepoint::model::parse`): every accepted text
//! reads back, from the value's own writing, to the same value; values written the ways
//! people write them (thousands separators, month names, codes in any case) read as that
//! value; nothing is accepted by reading only a prefix of it.

use chokepoint::model::PartialDate;
use chokepoint::model::countries::COUNTRIES;
use chokepoint::model::parse::{self, DateOrder, DecimalMark};
use proptest::prelude::*;

/// Writes `whole` with `sep` between groups of three digits.
fn grouped(whole: u64, sep: &str) -> String {
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        "[0-9 ,.'/-]{1,12}",
        "[0-9]{1,6}[a-zA-Z%$€ ]{0,3}[0-9]{0,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn accepted_numbers_round_trip(text in any_text()) {
        if let Ok(v) = parse::number(&text) {
            prop_assert!(v.is_finite());
            prop_assert_eq!(parse::number(&v.to_string()), Ok(v));
        }
    }

    #[test]
    fn numbers_with_thousands_separators_read_exactly(
        whole in 0u64..1_000_000_000_000,
        cents in 0u32..100,
        sep in prop::sample::select(vec![",", " ", "\u{a0}", "\u{202f}", "'"]),
    ) {
        let text = format!("{}.{cents:02}", grouped(whole, sep));
        let plain = format!("{whole}.{cents:02}");
        let expected: f64 = plain.parse().expect("plain");
        prop_assert_eq!(parse::number(&text), Ok(expected));
        let european = format!("{},{cents:02}", grouped(whole, "."));
        prop_assert_eq!(parse::number_with(&european, DecimalMark::Comma), Ok(expected));
    }

    #[test]
    fn a_number_followed_by_anything_else_is_not_its_prefix(
        whole in 0u64..1_000_000,
        tail in "[a-zA-Z!#&*;:?]{1,3}",
    ) {
        let text = format!("{whole}{tail}");
        prop_assert!(parse::number(&text).is_err(), "{} accepted", text);
        prop_assert!(parse::quantity(&text).is_err());
        prop_assert!(parse::percent(&text).is_err());
    }

    #[test]
    fn accepted_dates_round_trip(text in any_text()) {
        for order in [DateOrder::Unknown, DateOrder::DayFirst, DateOrder::MonthFirst] {
            if let Ok(d) = parse::date(&text, order) {
                prop_assert_eq!(parse::date(&d.to_string(), DateOrder::Unknown), Ok(d.clone()));
                prop_assert_eq!(d.to_string().parse::<PartialDate>(), Ok(d));
            }
        }
    }

    #[test]
    fn calendar_dates_read_in_every_written_form(
        year in 1900i32..2100,
        month in 1u8..=12,
        day in 1u8..=31,
    ) {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month { 2 if leap => 29, 2 => 28, 4 | 6 | 9 | 11 => 30, _ => 31 };
        let iso = format!("{year:04}-{month:02}-{day:02}");
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let name = names[usize::from(month - 1)];
        let written = [
            iso.clone(),
            format!("{year:04}{month:02}{day:02}"),
            format!("{day} {name} {year}"),
            format!("{day:02}-{}-{year}", name.to_uppercase()),
            format!("{name} {day}, {year}"),
            format!("{iso}T12:00:00Z"),
        ];
        for text in &written {
            let read = parse::date(text, DateOrder::Unknown);
            if day <= days {
                prop_assert_eq!(read, Ok(PartialDate::ymd(year, month, day)), "{}", text);
            } else {
                let e = read.expect_err("no such day");
                prop_assert!(e.reason.contains(&format!("has {days} days")), "{}: {}", text, e);
            }
        }
        let slash = format!("{day:02}/{month:02}/{year}");
        if day <= days {
            prop_assert_eq!(parse::date(&slash, DateOrder::DayFirst), Ok(PartialDate::ymd(year, month, day)));
            // Typed without a convention, it is read only when the other order is no date or
            // the same one.
            let other_is_a_date = day <= 12 && day != month;
            prop_assert_eq!(parse::date(&slash, DateOrder::Unknown).is_ok(), !other_is_a_date);
        }
    }

    #[test]
    fn accepted_countries_round_trip(text in any_text()) {
        if let Ok(c) = parse::country(&text) {
            prop_assert_eq!(parse::country(c.as_str()), Ok(c));
        }
    }

    #[test]
    fn accepted_money_round_trips(text in any_text(), beside in prop::option::of("[A-Z]{3}")) {
        if let Ok(m) = parse::money(&text, beside.as_deref()) {
            prop_assert_eq!(parse::money(&format!("{} {}", m.currency, m.amount), None), Ok(m));
        }
    }
}

#[test]
fn every_country_reads_by_every_code_and_name() {
    for c in COUNTRIES {
        let expect = Ok(c.alpha2.parse().expect("code"));
        assert_eq!(parse::country(c.alpha2), expect, "{}", c.alpha2);
        assert_eq!(parse::country(&c.alpha2.to_lowercase()), expect);
        assert_eq!(parse::country(c.alpha3), expect, "{}", c.alpha3);
        if c.numeric != 0 {
            assert_eq!(
                parse::country(&c.numeric.to_string()),
                expect,
                "{}",
                c.numeric
            );
            assert_eq!(parse::country(&format!("{:03}", c.numeric)), expect);
        }
        for name in [c.name, c.iso_name, c.official_name] {
            if chokepoint::model::countries::ambiguous_name(name).is_none() {
                assert_eq!(parse::country(name), expect, "{name}");
                assert_eq!(parse::country(&name.to_uppercase()), expect, "{name}");
            }
        }
    }
}
