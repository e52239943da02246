//! Looking countries up in the one country table ([`super::country_table`]): by ISO 3166-1
//! alpha-2, alpha-3 or numeric code (the UN M49 number of a country), by English name, and by
//! the few customs-area numbers UN Comtrade uses instead of a country's M49 number.
//! `model::parse::country` reads typed and imported text through these.

use super::CountryCode;
pub use super::country_table::{COUNTRIES, Country};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The row of an alpha-2 code (upper case, as a `CountryCode` holds it).
pub fn find_country(code: &CountryCode) -> Option<&'static Country> {
    by_alpha2(code.as_str())
}

/// The row of an alpha-2 code in any case (`sg`, as `FollowTheMoney` writes them).
pub fn by_alpha2(code: &str) -> Option<&'static Country> {
    if code.len() != 2 {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    COUNTRIES
        .binary_search_by(|c| c.alpha2.cmp(upper.as_str()))
        .ok()
        .map(|i| &COUNTRIES[i])
}

/// The row of an alpha-3 code in any case (`SGP`).
pub fn by_alpha3(code: &str) -> Option<&'static Country> {
    if code.len() != 3 {
        return None;
    }
    COUNTRIES
        .iter()
        .find(|c| c.alpha3.eq_ignore_ascii_case(code))
}

/// The row of an ISO 3166-1 numeric code, which is the country's UN M49 number (`702`).
pub fn by_numeric(number: u16) -> Option<&'static Country> {
    if number == 0 {
        return None;
    }
    COUNTRIES.iter().find(|c| c.numeric == number)
}

/// UN Comtrade reports some countries under the number of their customs area rather than the
/// country's M49 number (Comtrade reference tables, "Reporter country codes and their customs
/// areas"): `(Comtrade number, alpha-2 of the country, what the area covers)`.
pub const COMTRADE_CUSTOMS_AREAS: &[(u16, &str, &str)] = &[
    (251, "FR", "France with Monaco and its overseas departments"),
    (381, "IT", "Italy with San Marino and the Holy See"),
    (579, "NO", "Norway with Svalbard and Jan Mayen"),
    (699, "IN", "India"),
    (757, "CH", "Switzerland with Liechtenstein"),
    (
        842,
        "US",
        "the United States with Puerto Rico and the US Virgin Islands",
    ),
];

/// Comtrade numbers that name no single country; read as a country they are refused with this
/// reason.
pub const COMTRADE_UNSPECIFIED: &[(u16, &str)] = &[
    (
        490,
        "490 is UN Comtrade's \"Other Asia, not elsewhere specified\" (in practice Taiwan, but the source does not say so): enter TW if that is what the source means",
    ),
    (
        899,
        "899 is UN Comtrade's \"Areas, not elsewhere specified\": it names no country",
    ),
    (0, "0 is UN Comtrade's \"World\": it names no country"),
];

/// Names used for countries beyond the table's own (short, ISO and official names), folded as
/// [`fold_name`] folds them.
const ALIASES: &[(&str, &str)] = &[
    ("usa", "US"),
    ("u s a", "US"),
    ("u s", "US"),
    ("america", "US"),
    ("united states of america", "US"),
    ("uk", "GB"),
    ("u k", "GB"),
    ("great britain", "GB"),
    ("britain", "GB"),
    ("england", "GB"),
    ("hong kong sar", "HK"),
    ("hong kong china", "HK"),
    ("hongkong", "HK"),
    ("hong kong sar china", "HK"),
    ("macau", "MO"),
    ("macau sar", "MO"),
    ("macao sar", "MO"),
    ("macao sar china", "MO"),
    ("prc", "CN"),
    ("p r china", "CN"),
    ("china prc", "CN"),
    ("mainland china", "CN"),
    ("china mainland", "CN"),
    ("uae", "AE"),
    ("u a e", "AE"),
    ("emirates", "AE"),
    ("korea south", "KR"),
    ("republic of korea", "KR"),
    ("north korea", "KP"),
    ("korea north", "KP"),
    ("dprk", "KP"),
    ("russia", "RU"),
    ("iran", "IR"),
    ("taiwan", "TW"),
    ("chinese taipei", "TW"),
    ("taiwan roc", "TW"),
    ("vietnam", "VN"),
    ("viet nam", "VN"),
    ("laos", "LA"),
    ("syria", "SY"),
    ("turkey", "TR"),
    ("czech republic", "CZ"),
    ("holland", "NL"),
    ("the netherlands", "NL"),
    ("burma", "MM"),
    ("ivory coast", "CI"),
    ("dr congo", "CD"),
    ("drc", "CD"),
    ("democratic republic of the congo", "CD"),
    ("republic of the congo", "CG"),
];

/// Names that stand for more than one country: refused with the choices.
pub const AMBIGUOUS_NAMES: &[(&str, &str)] = &[
    (
        "korea",
        "\"Korea\" could be South Korea (KR) or North Korea (KP)",
    ),
    (
        "congo",
        "\"Congo\" could be the Republic of the Congo (CG) or the Democratic Republic of the Congo (CD)",
    ),
    (
        "virgin islands",
        "\"Virgin Islands\" could be the British (VG) or the US Virgin Islands (VI)",
    ),
];

/// Lower case, Latin diacritics removed, punctuation as spaces, single spaces, no leading
/// "the": how names are compared ("Côte d'Ivoire" and "COTE D IVOIRE" fold alike).
pub fn fold_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
            'ç' | 'č' | 'ć' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
            'ý' | 'ÿ' => 'y',
            'š' | 'ś' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            '\'' | '’' | '`' => continue,
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.push(base);
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let words = match words.as_slice() {
        ["the", rest @ ..] if !rest.is_empty() => rest,
        all => all,
    };
    words.join(" ")
}

fn name_index() -> &'static HashMap<String, &'static Country> {
    static INDEX: OnceLock<HashMap<String, &'static Country>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = HashMap::new();
        for c in COUNTRIES {
            for name in [c.name, c.iso_name, c.official_name] {
                index.entry(fold_name(name)).or_insert(c);
            }
        }
        for (alias, code) in ALIASES {
            if let Some(c) = by_alpha2(code) {
                index.insert((*alias).to_owned(), c);
            }
        }
        for (name, _) in AMBIGUOUS_NAMES {
            index.remove(*name);
        }
        index
    })
}

/// The country an English name stands for, in any case and with or without diacritics:
/// the table's short, ISO and official names ("Singapore", "Korea, Republic of", "Republic of
/// Singapore") and common variants ("USA", "Hong Kong SAR", "Mainland China").
pub fn by_name(name: &str) -> Option<&'static Country> {
    name_index().get(&fold_name(name)).copied()
}

/// Why a name is ambiguous, when it is one of [`AMBIGUOUS_NAMES`].
pub fn ambiguous_name(name: &str) -> Option<&'static str> {
    let folded = fold_name(name);
    AMBIGUOUS_NAMES
        .iter()
        .find(|(n, _)| *n == folded)
        .map(|(_, why)| *why)
}

/// Countries whose code or name matches what the user has typed so far, best first: the
/// country a code or a whole name stands for, then common names that start with the text, then
/// ISO and official names that do, then names with a word that starts with it (`kong` finds
/// Hong Kong), each group alphabetical. Used by the country pickers; at most `limit` rows.
pub fn search(text: &str, limit: usize) -> Vec<&'static Country> {
    let folded = fold_name(text);
    if folded.is_empty() || limit == 0 {
        return Vec::new();
    }
    let t = text.trim();
    let mut ranked: Vec<(u8, &'static str, &'static Country)> = Vec::new();
    for c in COUNTRIES {
        let names = [c.name, c.iso_name, c.official_name];
        let folded_names = names.map(fold_name);
        let code = c.alpha2.eq_ignore_ascii_case(t)
            || c.alpha3.eq_ignore_ascii_case(t)
            || (c.numeric != 0 && t.parse::<u16>().ok() == Some(c.numeric));
        let rank = if code || folded_names.contains(&folded) {
            0
        } else if folded_names[0].starts_with(&folded) {
            // The name people write first ("United Kingdom"), then the formal ones
            // ("United Mexican States" is Mexico, but no one starts Mexico so).
            1
        } else if folded_names[1..].iter().any(|n| n.starts_with(&folded)) {
            2
        } else if folded_names
            .iter()
            .any(|n| n.split(' ').any(|w| w.starts_with(&folded)))
        {
            3
        } else {
            continue;
        };
        ranked.push((rank, c.name, c));
    }
    // Other names (USA, UK, Burma …) find their country as a whole name does.
    for (alias, code) in ALIASES {
        if alias.starts_with(&folded)
            && let Some(c) = by_alpha2(code)
            && !ranked.iter().any(|(_, _, r)| r.alpha2 == c.alpha2)
        {
            ranked.push((u8::from(*alias != folded), c.name, c));
        }
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    ranked.into_iter().take(limit).map(|(_, _, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_finds_countries_by_code_and_by_the_start_of_a_name() {
        let first = |t: &str| search(t, 5).first().map(|c| c.alpha2);
        assert_eq!(first("SG"), Some("SG"));
        assert_eq!(first("sgp"), Some("SG"));
        assert_eq!(first("702"), Some("SG"));
        assert_eq!(first("Malay"), Some("MY"));
        assert_eq!(first("singap"), Some("SG"));
        assert_eq!(first("kong"), Some("HK"));
        assert_eq!(first("cote d"), Some("CI"));
        assert_eq!(first("USA"), Some("US"));
        // "United" starts several names, alphabetically.
        let united: Vec<&str> = search("united", 10).iter().map(|c| c.alpha2).collect();
        assert_eq!(united[..3], ["AE", "GB", "US"], "{united:?}");
        assert!(search("xqz", 5).is_empty());
        assert!(search("", 5).is_empty());
        assert_eq!(search("a", 3).len(), 3);
    }

    #[test]
    fn every_code_and_name_of_the_table_finds_its_row() {
        for c in COUNTRIES {
            assert_eq!(by_alpha2(c.alpha2).map(|r| r.alpha2), Some(c.alpha2));
            assert_eq!(
                by_alpha2(&c.alpha2.to_lowercase()).map(|r| r.alpha2),
                Some(c.alpha2)
            );
            assert_eq!(by_alpha3(c.alpha3).map(|r| r.alpha2), Some(c.alpha2));
            if c.numeric != 0 {
                assert_eq!(by_numeric(c.numeric).map(|r| r.alpha2), Some(c.alpha2));
            }
            if ambiguous_name(c.name).is_none() {
                assert_eq!(
                    by_name(c.name).map(|r| r.alpha2),
                    Some(c.alpha2),
                    "{}",
                    c.name
                );
            }
        }
        let mut alpha3: Vec<&str> = COUNTRIES.iter().map(|c| c.alpha3).collect();
        alpha3.sort_unstable();
        alpha3.dedup();
        assert_eq!(alpha3.len(), COUNTRIES.len(), "alpha-3 codes are unique");
    }

    #[test]
    fn names_fold_case_diacritics_and_punctuation() {
        assert_eq!(fold_name("Côte d'Ivoire"), "cote divoire");
        assert_eq!(fold_name("  The  Bahamas "), "bahamas");
        assert_eq!(by_name("COTE D'IVOIRE").map(|c| c.alpha2), Some("CI"));
        assert_eq!(by_name("korea, republic of").map(|c| c.alpha2), Some("KR"));
        assert_eq!(by_name("Hong Kong SAR").map(|c| c.alpha2), Some("HK"));
        assert_eq!(by_name("Korea"), None);
        assert!(ambiguous_name("KOREA").is_some());
    }

    #[test]
    fn comtrade_areas_name_table_countries() {
        for (number, code, _) in COMTRADE_CUSTOMS_AREAS {
            assert!(by_alpha2(code).is_some());
            assert!(
                by_numeric(*number).is_none(),
                "{number} is not also an ISO number"
            );
        }
    }
}
