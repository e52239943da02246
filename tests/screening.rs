//! Name screening: precision and recall on a labelled set of name pairs (true variants and near
//! misses), list import from CSL-style and plain CSV files, and screening of the training case.

#![allow(clippy::unwrap_used)]

use chokepoint::analysis::screening::{
    DEFAULT_THRESHOLD, ListEntry, ScreeningList, screen, screening_findings,
};
use chokepoint::io::load_case;
use chokepoint::model::{EntityId, FlagKind};
use std::fmt::Write as _;
use std::path::Path;

/// Extra listed names for the labelled set, beside the demonstration list. All invented.
const EXTRA: &[(&str, &[&str])] = &[
    ("Muhammad Bin Rashid Electronics Trading LLC", &[]),
    ("Lau Kin-ping", &["劉建平"]),
    ("Chen Wei-ming", &[]),
    ("Société Générale de Composants SA", &[]),
    ("Müller Präzisionstechnik GmbH", &[]),
    ("OBrien Export Services Ltd", &[]),
    (
        "Harbin Polar Star Optics Co., Ltd.",
        &["哈尔滨极星光学有限公司"],
    ),
    ("Blue Star Microelectronics Group Ltd", &[]),
    ("Søren Kjærgaard Holding ApS", &[]),
    (
        "Shenzhen Pinnacle Information Technology Manufacturing Co., Ltd.",
        &[],
    ),
    ("Pacific Rim International Trading Group", &[]),
    ("Alexander Viktorovich Petrov", &[]),
    ("Ali Hassan Mohammed Al-Rashidi", &[]),
    ("Zhang Wei Ming", &[]),
    ("Jürgen Großmann", &[]),
    ("Konstantinos Papadimitriou Shipping Enterprises", &[]),
];

fn test_list() -> ScreeningList {
    let demo = ScreeningList::demo().unwrap();
    let mut entries = demo.entries.clone();
    for (i, (name, aliases)) in EXTRA.iter().enumerate() {
        entries.push(ListEntry {
            id: format!("test-{i}"),
            name: (*name).to_owned(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            source: "Test list".to_owned(),
            ..ListEntry::default()
        });
    }
    ScreeningList::from_entries("Labelled test list", entries)
}

/// (name as written in a case, listed primary name, same party?)
const PAIRS: &[(&str, &str, bool)] = &[
    // True variants: case, punctuation, legal forms, word order, abbreviations, diacritics,
    // scripts, transliterations, typos, joined or split words.
    (
        "Nanling Frontier Intelligence Laboratory",
        "Nanling Frontier Intelligence Lab",
        true,
    ),
    (
        "NANLING FRONTIER INTELLIGENCE LAB.",
        "Nanling Frontier Intelligence Lab",
        true,
    ),
    (
        "Intelligence Lab, Nanling Frontier",
        "Nanling Frontier Intelligence Lab",
        true,
    ),
    (
        "Nanlig Frontier Intelligence Lab",
        "Nanling Frontier Intelligence Lab",
        true,
    ),
    (
        "南岭前沿智能实验室",
        "Nanling Frontier Intelligence Lab",
        true,
    ),
    (
        "Silverline Pacific Trading Ltd",
        "Silverline Pacific Trading Limited",
        true,
    ),
    (
        "Silverline Pacific Trading Co., Limited",
        "Silverline Pacific Trading Limited",
        true,
    ),
    (
        "SILVERLINE PACIFIC TRADING (HK) LTD",
        "Silverline Pacific Trading Limited",
        true,
    ),
    (
        "Silver-Line Pacific Trading",
        "Silverline Pacific Trading Limited",
        true,
    ),
    (
        "Golden Crane Microelectronics Company Limited",
        "Golden Crane Microelectronics Co., Ltd.",
        true,
    ),
    (
        "Golden-Crane Micro Electronics Ltd",
        "Golden Crane Microelectronics Co., Ltd.",
        true,
    ),
    (
        "Golden Crane Microelectronic Co.",
        "Golden Crane Microelectronics Co., Ltd.",
        true,
    ),
    (
        "金鹤微电子股份有限公司",
        "Golden Crane Microelectronics Co., Ltd.",
        true,
    ),
    (
        "Volkhov Precision Instruments J.S.C.",
        "Volkhov Precision Instruments JSC",
        true,
    ),
    (
        "АО «Волховские прецизионные приборы»",
        "Volkhov Precision Instruments JSC",
        true,
    ),
    (
        "Vitaly Yurievich Kuzmenko",
        "Vitaly Yurievich KUZMENKO",
        true,
    ),
    (
        "Kuzmenko, Vitaliy Yurievich",
        "Vitaly Yurievich KUZMENKO",
        true,
    ),
    (
        "Vitalii Iurevich Kuzmenko",
        "Vitaly Yurievich KUZMENKO",
        true,
    ),
    (
        "Кузьменко Виталий Юрьевич",
        "Vitaly Yurievich KUZMENKO",
        true,
    ),
    ("KUZMENKO Vitalij", "Vitaly Yurievich KUZMENKO", true),
    (
        "Tatyana Zhuravleva",
        "Tatiana Vladimirovna ZJURAVLEVA",
        true,
    ),
    (
        "Žuravleva Tatjana Vladimirovna",
        "Tatiana Vladimirovna ZJURAVLEVA",
        true,
    ),
    (
        "Svetlana Pavlovna Pokhodova",
        "Svjatlana Paulauna PACHODAVA",
        true,
    ),
    ("Sviatlana Pakhodava", "Svjatlana Paulauna PACHODAVA", true),
    ("Viktor Soyko", "Viktor Vladimirovitj Sojko", true),
    (
        "Victor Vladimirovich Soyko",
        "Viktor Vladimirovitj Sojko",
        true,
    ),
    ("IRGC", "Iranian Revolutionary Guard Corps", true),
    (
        "Iranian Revolutionary Guards Corps",
        "Iranian Revolutionary Guard Corps",
        true,
    ),
    ("OOO Inter Tobacco", "RAB „Inter Tobacco“", true),
    ("Интер Тобако", "RAB „Inter Tobacco“", true),
    (
        "Pearl Delta Server Solutions Ltd",
        "Pearl Delta Server Solutions Limited",
        true,
    ),
    (
        "珠三角服务器方案",
        "Pearl Delta Server Solutions Limited",
        true,
    ),
    (
        "Xinghe Supercomputing Center",
        "Xinghe Supercomputing Center",
        true,
    ),
    (
        "Xinghe National Supercomputing Center",
        "Xinghe Supercomputing Center",
        true,
    ),
    (
        "Tanjung Meridian Data Sdn Bhd",
        "Tanjung Meridian Data Sdn. Bhd.",
        true,
    ),
    (
        "Qalat Horizon Technical Supplies F.Z.E.",
        "Qalat Horizon Technical Supplies FZE",
        true,
    ),
    (
        "Borealis Quantum Computing Inst.",
        "Borealis Quantum Computing Institute",
        true,
    ),
    ("Andromeda Cargo Lines Ltd", "Andromeda Cargo Lines", true),
    (
        "Mohamed bin Rashid Electronics Trading",
        "Muhammad Bin Rashid Electronics Trading LLC",
        true,
    ),
    ("Lau Kin Ping", "Lau Kin-ping", true),
    ("Lau Kinping", "Lau Kin-ping", true),
    ("CHEN Weiming", "Chen Wei-ming", true),
    ("Ming Chen Wei", "Chen Wei-ming", true),
    (
        "Societe Generale de Composants",
        "Société Générale de Composants SA",
        true,
    ),
    (
        "Mueller Praezisionstechnik GmbH",
        "Müller Präzisionstechnik GmbH",
        true,
    ),
    (
        "O'Brien Export Services",
        "OBrien Export Services Ltd",
        true,
    ),
    (
        "Harbin Polar Star Optics Company Limited",
        "Harbin Polar Star Optics Co., Ltd.",
        true,
    ),
    ("哈尔滨极星光学", "Harbin Polar Star Optics Co., Ltd.", true),
    (
        "Golden Crane",
        "Golden Crane Microelectronics Co., Ltd.",
        true,
    ),
    // Abbreviated company words, joined and hyphenated words.
    (
        "Blue-Star Microelectronics Grp",
        "Blue Star Microelectronics Group Ltd",
        true,
    ),
    (
        "BlueStar Microelectronics Group",
        "Blue Star Microelectronics Group Ltd",
        true,
    ),
    (
        "Blue Star Micro-Electronics Group Limited",
        "Blue Star Microelectronics Group Ltd",
        true,
    ),
    (
        "Shenzhen Pinnacle Info Tech Mfg Co",
        "Shenzhen Pinnacle Information Technology Manufacturing Co., Ltd.",
        true,
    ),
    (
        "Pacific Rim Intl Trading Grp",
        "Pacific Rim International Trading Group",
        true,
    ),
    // German and Nordic spellings.
    (
        "Soeren Kjaergaard Holding",
        "Søren Kjærgaard Holding ApS",
        true,
    ),
    (
        "Soren Kjargaard Holding ApS",
        "Søren Kjærgaard Holding ApS",
        true,
    ),
    ("Juergen Grossmann", "Jürgen Großmann", true),
    ("GROSMANN, Jurgen", "Jürgen Großmann", true),
    // Word order and initials.
    ("Petrov, Alexander V.", "Alexander Viktorovich Petrov", true),
    (
        "PETROV Alexander Viktorovich",
        "Alexander Viktorovich Petrov",
        true,
    ),
    // Typos and transpositions in long names.
    (
        "Konstantinos Papadimitrou Shiping Enterprises",
        "Konstantinos Papadimitriou Shipping Enterprises",
        true,
    ),
    (
        "Papadimitriou Konstantinos Shipping Enterpirses",
        "Konstantinos Papadimitriou Shipping Enterprises",
        true,
    ),
    (
        "Harbin Polar Stra Optcis Co",
        "Harbin Polar Star Optics Co., Ltd.",
        true,
    ),
    // Common names: part of a longer listed name, not a hit by the name alone.
    ("Ali Hassan", "Ali Hassan Mohammed Al-Rashidi", false),
    ("Zhang Wei", "Zhang Wei Ming", false),
    (
        "Petrova, Alexandra V.",
        "Alexander Viktorovich Petrov",
        false,
    ),
    (
        "Blue Sky Microelectronics Group",
        "Blue Star Microelectronics Group Ltd",
        false,
    ),
    (
        "Soren Kjaergaard Consulting",
        "Søren Kjærgaard Holding ApS",
        false,
    ),
    (
        "Pacific Rim Shipping Agency",
        "Pacific Rim International Trading Group",
        false,
    ),
    // Same party under another wording, not a spelling variant: expected to be missed.
    (
        "Islamic Revolutionary Guard Corps",
        "Iranian Revolutionary Guard Corps",
        true,
    ),
    // Near misses: another party sharing some words, a similar surname, another first name.
    (
        "Nanling Cloud Technology Co., Ltd.",
        "Nanling Frontier Intelligence Lab",
        false,
    ),
    (
        "Nanling Frontier Capital Partners",
        "Nanling Frontier Intelligence Lab",
        false,
    ),
    (
        "Silverline Pacific Holdings Limited",
        "Silverline Pacific Trading Limited",
        false,
    ),
    (
        "Silver Line Shipping Ltd",
        "Silverline Pacific Trading Limited",
        false,
    ),
    (
        "Pacific Trading Limited",
        "Silverline Pacific Trading Limited",
        false,
    ),
    (
        "Golden Crane Logistics Ltd",
        "Golden Crane Microelectronics Co., Ltd.",
        false,
    ),
    (
        "Golden Star Microelectronics Co., Ltd.",
        "Golden Crane Microelectronics Co., Ltd.",
        false,
    ),
    (
        "Volkhov Instruments Trading",
        "Volkhov Precision Instruments JSC",
        false,
    ),
    ("Vitaly Kuznetsov", "Vitaly Yurievich KUZMENKO", false),
    ("Kuzmenko Holdings Ltd", "Vitaly Yurievich KUZMENKO", false),
    (
        "Tatiana Vladimirovna Zaitseva",
        "Tatiana Vladimirovna ZJURAVLEVA",
        false,
    ),
    (
        "Svetlana Petrovna Ivanova",
        "Svjatlana Paulauna PACHODAVA",
        false,
    ),
    ("Viktor Sokolov", "Viktor Vladimirovitj Sojko", false),
    ("International Tobacco Ltd", "RAB „Inter Tobacco“", false),
    (
        "Pearl River Server Solutions",
        "Pearl Delta Server Solutions Limited",
        false,
    ),
    (
        "Xinghe Biotech Center",
        "Xinghe Supercomputing Center",
        false,
    ),
    (
        "Borealis Quantum Materials Institute",
        "Borealis Quantum Computing Institute",
        false,
    ),
    (
        "Qalat Horizon Foods FZE",
        "Qalat Horizon Technical Supplies FZE",
        false,
    ),
    (
        "Mohammed bin Rashid Foods Trading",
        "Muhammad Bin Rashid Electronics Trading LLC",
        false,
    ),
    ("Lau Kin-wah", "Lau Kin-ping", false),
    ("Liu Jianping", "Lau Kin-ping", false),
    ("Chen Wei Min", "Chen Wei-ming", false),
    (
        "Societe Generale de Cables",
        "Société Générale de Composants SA",
        false,
    ),
    (
        "Mueller Maschinenbau GmbH",
        "Müller Präzisionstechnik GmbH",
        false,
    ),
    (
        "O'Brien Import Services",
        "OBrien Export Services Ltd",
        false,
    ),
    (
        "Harbin Polar Bear Foods Co., Ltd.",
        "Harbin Polar Star Optics Co., Ltd.",
        false,
    ),
    (
        "哈尔滨极星食品有限公司",
        "Harbin Polar Star Optics Co., Ltd.",
        false,
    ),
    ("Andromeda Software Lines", "Andromeda Cargo Lines", false),
    (
        "Tanjung Meridian Logistics Sdn Bhd",
        "Tanjung Meridian Data Sdn. Bhd.",
        false,
    ),
    (
        "Pearl Delta Foods Limited",
        "Pearl Delta Server Solutions Limited",
        false,
    ),
];

#[test]
fn precision_and_recall_on_labelled_pairs() {
    assert!(PAIRS.len() >= 60, "{}", PAIRS.len());
    let list = test_list();
    let (mut tp, mut fp, mut tn, mut fn_) = (0, 0, 0, 0);
    let mut report = Vec::new();
    for (query, listed, same) in PAIRS {
        let entry = list
            .entries
            .iter()
            .position(|e| e.name == *listed)
            .unwrap_or_else(|| panic!("no listed entry {listed}"));
        let (score, via) = list.score_against(query, entry);
        let hit = score >= DEFAULT_THRESHOLD;
        match (hit, *same) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, false) => tn += 1,
            (false, true) => fn_ += 1,
        }
        let mark = if hit == *same { " " } else { "✗" };
        report.push(format!(
            "{mark} {score:.3} {} {query} ~ {via}",
            if *same { "same" } else { "diff" }
        ));
        // The index finds what the pairwise score finds.
        let found = list
            .screen_name(query, DEFAULT_THRESHOLD)
            .iter()
            .any(|(e, _, _)| *e == entry);
        assert_eq!(found, hit, "index and score disagree on {query}");
    }
    let precision = f64::from(tp) / f64::from((tp + fp).max(1));
    let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
    println!("{}", report.join("\n"));
    println!(
        "{} pairs ({} same party, {} near misses), threshold {DEFAULT_THRESHOLD}: \
         precision {precision:.3}, recall {recall:.3} (tp {tp}, fp {fp}, tn {tn}, fn {fn_})",
        PAIRS.len(),
        tp + fn_,
        tn + fp
    );
    assert!(tp + fn_ >= 30 && tn + fp >= 25);
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.95, "recall {recall:.3}");
}

#[test]
fn consolidated_screening_list_csv_loads() {
    let csv = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n\
abc123,Entity List (EL) - Bureau of Industry and Security,,Entity,,\"Example Advanced Computing Co., Ltd.\",,\"1 Road, Shenzhen, CN\",89 FR 0000,2024-05-14,,,For all items subject to the EAR,Presumption of denial,,,,,,,,,\"Example AC; 示例先进计算有限公司\",,,,,,\n\
def456,Specially Designated Nationals (SDN) - Treasury Department,,Individual,RUSSIA-EO14024,\"KUZMENKO, Vitaly\",,,,,,,,,,,,,,,\"multi\nline remark\",,,,1971-01-22,,,,\n";
    let list = ScreeningList::from_csv(csv, "csl.csv").unwrap();
    assert_eq!(list.entries.len(), 2);
    let e = &list.entries[0];
    assert_eq!(e.id, "abc123");
    assert_eq!(
        e.source,
        "Entity List (EL) - Bureau of Industry and Security"
    );
    assert_eq!(e.aliases, ["Example AC", "示例先进计算有限公司"]);
    assert_eq!(list.entries[1].remarks, "multi\nline remark");
    assert_eq!(list.name_count(), 4);
    let hits = list.screen_name("示例先进计算", DEFAULT_THRESHOLD);
    assert_eq!(hits.first().map(|h| h.0), Some(0));
    let hits = list.screen_name("Vitaly Kuzmenko", DEFAULT_THRESHOLD);
    assert_eq!(hits.first().map(|h| h.0), Some(1));

    // From a file, with a clear error for a file that is not a list.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    std::fs::write(&path, "name,aliases\nAcme Widgets,Acme W\n").unwrap();
    let list = ScreeningList::from_file(&path).unwrap();
    assert_eq!(list.label, "list.csv");
    assert_eq!(list.entries[0].source, "list.csv");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "country,code\nCN,1\n").unwrap();
    let err = ScreeningList::from_file(&bad).unwrap_err().to_string();
    assert!(
        err.contains("bad.csv") && err.contains("no name column"),
        "{err}"
    );
    assert!(ScreeningList::from_file(&dir.path().join("missing.csv")).is_err());
}

#[test]
fn training_case_is_screened_against_the_demo_list() {
    let case = load_case(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/training_strait_networks.ron"),
    )
    .unwrap();
    let list = ScreeningList::demo().unwrap();
    let hits = screen(&case, &list, DEFAULT_THRESHOLD);
    let entities: Vec<&str> = hits.iter().map(|h| h.entity.as_str()).collect();
    assert_eq!(
        entities,
        ["e-nanling-frontier-lab", "e-silverline-pacific-trading"],
        "{hits:#?}"
    );
    let lab = &hits[0];
    assert_eq!(lab.entry.id, "demo-fx-001");
    assert!(lab.score > 0.99);
    assert!(lab.entry.source.contains("fictional"));
    let flag = lab.to_flag();
    assert_eq!(flag.kind, FlagKind::Listed);
    assert!(flag.detail.contains("Nanling Frontier Intelligence Lab"));

    let findings = screening_findings(&case, &hits);
    assert_eq!(findings.len(), 2);
    assert!(findings[0].explanation.contains("Demonstration list"));
    assert_eq!(
        findings[0].subject,
        chokepoint::model::ItemRef::Entity(EntityId::from("e-nanling-frontier-lab"))
    );
    assert!(
        findings[0]
            .evidence
            .contains(&"ev-entity-list-notice".into())
    );
    assert_eq!(
        screen(&case, &list, DEFAULT_THRESHOLD),
        hits,
        "deterministic"
    );

    // The seed case names real people and companies: none of them is on the demo list.
    let seed = chokepoint::seed_case().unwrap();
    assert!(screen(&seed, &list, DEFAULT_THRESHOLD).is_empty());
}

#[test]
fn aliases_in_the_case_are_screened_too() {
    let mut case = chokepoint::model::Case::default();
    let mut e = chokepoint::model::Entity::new(
        "e-x",
        chokepoint::model::EntityKind::Company,
        "Totally Different Name Ltd",
    );
    e.aliases.push("金鹤微电子有限公司".into());
    case.entities.insert(e.id.clone(), e);
    let hits = screen(&case, &ScreeningList::demo().unwrap(), DEFAULT_THRESHOLD);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].entity_name, "金鹤微电子有限公司");
    assert_eq!(
        hits[0].entry.name,
        "Golden Crane Microelectronics Co., Ltd."
    );
}

/// A list of people with dates of birth, nationalities and identifiers, among enough others
/// that its words weigh as in a real list.
fn people_list() -> ScreeningList {
    let mut csv = String::from("name,date_of_birth,nationality,ids\n");
    csv.push_str(
        "Ali Hassan Mohammed Al-Rashidi,1970-05-01,IQ,\"Passport, A1234567, IQ\"\n\
         Karim Youssef Haddad,1962,SY,\n",
    );
    // Others, with the spread of dates of birth a real list has.
    for i in 0..400 {
        let syllables = ["ka", "ri", "mo", "tu", "sen", "lo", "vi", "da", "ne", "shi"];
        let word = |n: usize| {
            let mut w = String::new();
            for k in 0..3 {
                w.push_str(syllables[(n / 10_usize.pow(k)) % 10]);
            }
            w
        };
        let _ = writeln!(
            csv,
            "{} {},19{}-{:02}-{:02},XX,",
            word(i),
            word(i * 7 + 3),
            40 + i % 50,
            1 + i % 12,
            1 + i % 28
        );
    }
    for (i, (given, family)) in [
        ("Omar", "Farouk"),
        ("Layla", "Nasser"),
        ("Tariq", "Aziz"),
        ("Samir", "Khalil"),
        ("Nadia", "Saleh"),
        ("Yusuf", "Bakr"),
    ]
    .iter()
    .enumerate()
    {
        let _ = writeln!(csv, "{given} {family} Al-Tamimi,19{:02},JO,", 50 + i);
    }
    ScreeningList::from_csv(&csv, "people.csv").unwrap()
}

#[test]
fn dates_of_birth_identifiers_and_countries_corroborate_or_contradict() {
    use chokepoint::analysis::screening::PartyFacts;
    use chokepoint::model::{Entity, EntityKind, Identifier, IdentifierScheme, PartialDate};
    let list = people_list();
    assert_eq!(list.entries[0].dates_of_birth, ["1970-05-01"]);
    assert_eq!(list.entries[0].countries, ["IQ"]);
    let t = DEFAULT_THRESHOLD;
    let born = |y, m, d| PartyFacts {
        births: vec![PartialDate::ymd(y, m, d)],
        ..PartyFacts::default()
    };
    let score = |name: &str, facts: &PartyFacts| list.score_party_against(name, facts, 0).0;

    // Two common words of a longer listed name: not a hit by the name alone ...
    let alone = score("Ali Hassan", &PartyFacts::default());
    assert!(alone < t, "{alone}");
    // ... a hit when the date of birth agrees ...
    let same_day = score("Ali Hassan", &born(1970, 5, 1));
    assert!(same_day >= t, "{same_day}");
    // ... and still not when it differs; a year alone agrees with any day of it.
    let other_day = score("Ali Hassan", &born(1985, 2, 2));
    assert!(other_day < alone, "{other_day} / {alone}");
    let year = PartyFacts {
        births: vec![PartialDate {
            year: 1970,
            month: None,
            day: None,
        }],
        ..PartyFacts::default()
    };
    assert!(score("Ali Hassan", &year) > alone);

    // The full name is a hit alone; a different date of birth lowers it, a different
    // country lowers it less.
    let full = "Ali Hassan Mohammed Al-Rashidi";
    let full_alone = score(full, &PartyFacts::default());
    let full_other_day = score(full, &born(1985, 2, 2));
    assert!(
        full_alone >= t && full_other_day < full_alone,
        "{full_alone} {full_other_day}"
    );
    let elsewhere = PartyFacts {
        countries: vec!["FR".parse().unwrap()],
        ..PartyFacts::default()
    };
    let full_elsewhere = score(full, &elsewhere);
    assert!(full_other_day < full_elsewhere && full_elsewhere < full_alone);
    let at_home = PartyFacts {
        countries: vec!["IQ".parse().unwrap()],
        ..PartyFacts::default()
    };
    assert!(score("Ali Hassan", &at_home) > alone);

    // An identifier that agrees, however written, makes even a short name a hit.
    let passport = PartyFacts {
        identifiers: vec!["a 123-4567".to_owned()],
        ..PartyFacts::default()
    };
    assert!(score("Ali Hassan", &passport) >= t);
    assert!(
        list.screen_party("Ali Hassan", &passport, t)
            .iter()
            .any(|(e, _, _)| *e == 0)
    );
    assert!(
        list.screen_party("Ali Hassan", &PartyFacts::default(), t)
            .is_empty()
    );

    // Through a case: the person's date of birth and passport are used, and the finding says
    // what agreed.
    let mut case = chokepoint::model::Case::default();
    let mut person = Entity::new("e-ali", EntityKind::Person, "Ali Hassan");
    person.start = Some(PartialDate::ymd(1970, 5, 1));
    person.identifiers.push(Identifier {
        scheme: IdentifierScheme::default(),
        value: "A1234567".to_owned(),
        issuer: None,
    });
    case.entities.insert(person.id.clone(), person);
    let hits = screen(&case, &list, t);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert!(
        hits[0]
            .notes
            .iter()
            .any(|n| n.contains("date of birth 1970-05-01 agrees"))
            && hits[0].notes.iter().any(|n| n.contains("A1234567")),
        "{:?}",
        hits[0].notes
    );
    let findings = screening_findings(&case, &hits);
    assert!(
        findings[0]
            .explanation
            .contains("date of birth 1970-05-01 agrees")
    );
}
