//! Case files on disk: generated cases survive save and load unchanged, a corpus of malformed
//! files is refused with clear, located messages (never a panic), the prototype (version 1)
//! format still loads, and failed saves leave the file on disk alone.

#![allow(clippy::unwrap_used)]

use chokepoint::edit::{MAX_TEXT_LEN, check_case};
use chokepoint::io::generate::generate_case;
use chokepoint::io::{
    MAX_CASE_FILE_BYTES, ParseError, backup_path, case_file, case_to_ron, load_case, parse_case,
    parse_case_bytes, save_case,
};
use chokepoint::model::{
    ClaimStatus, EntityId, EntityKind, FORMAT_VERSION, LinkId, LinkKind, ShipmentId,
    ShipmentStatus, Tlp,
};
use proptest::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Round trips

#[test]
fn the_two_thread_encoding_is_rons_own_on_every_sample_case() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_cases");
    let mut cases = vec![chokepoint::seed_case().expect("seed")];
    for entry in std::fs::read_dir(dir).expect("sample cases") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "ron") {
            cases.push(load_case(&path).expect("sample case loads"));
        }
    }
    assert!(cases.len() >= 3);
    // And one large enough that `case_to_ron` takes the two-thread path itself.
    cases.push(generate_case(6_000, 7).expect("generated"));
    for case in &cases {
        let whole = case_file::case_to_ron_whole(case).expect("encodes");
        assert_eq!(case_file::case_to_ron_split(case).expect("encodes"), whole);
        assert_eq!(case_to_ron(case).expect("encodes"), whole);
        // The app's background save writes the time of the save without changing the case
        // it shares with the window: the same text as the case stamped with that time.
        let at = chokepoint::model::Timestamp::from_unix(1_800_000_000);
        let mut stamped = case.clone();
        stamped.meta.modified = at;
        assert_eq!(
            chokepoint::io::case_to_ron_modified(case, at).expect("encodes"),
            case_file::case_to_ron_whole(&stamped).expect("encodes")
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random generated cases: the two-thread encoding is byte for byte ron's own.
    #[test]
    fn the_two_thread_encoding_matches_ron(n in 0usize..80, seed in any::<u64>()) {
        let case = generate_case(n, seed).unwrap();
        prop_assert_eq!(
            case_file::case_to_ron_split(&case).unwrap(),
            case_file::case_to_ron_whole(&case).unwrap()
        );
    }

    #[test]
    fn generated_cases_survive_save_and_load(n in 0usize..60, seed in any::<u64>()) {
        let case = generate_case(n, seed).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.ron");
        save_case(&path, &case).unwrap();
        let written = fs::read_to_string(&path).unwrap();
        prop_assert_eq!(&written, &case_to_ron(&case).unwrap());

        let loaded = load_case(&path).unwrap();
        prop_assert_eq!(&loaded, &case);

        // A second round trip gives byte-identical text, so saving never churns diffs.
        let again = case_to_ron(&loaded).unwrap();
        prop_assert_eq!(&again, &written);
        save_case(&path, &loaded).unwrap();
        prop_assert_eq!(fs::read_to_string(&path).unwrap(), written);
        prop_assert_eq!(load_case(&path).unwrap(), case);
    }
}

#[test]
fn the_bundled_seed_case_round_trips() {
    let case = chokepoint::seed_case().unwrap();
    let text = case_to_ron(&case).unwrap();
    assert_eq!(parse_case(&text).unwrap(), case);
    assert_eq!(case_to_ron(&parse_case(&text).unwrap()).unwrap(), text);
}

// ---------------------------------------------------------------------------------------------
// Malformed input

/// A small valid case, one item per line, so tests can name the line a problem is on.
const BASE: &str = r#"// Corpus base case
(
  format_version: 2,
  meta: (id: "case-corpus", title: "Corpus", created: "2024-12-10T00:00:00Z", modified: "2024-12-10T00:00:00Z", marking: Amber),
  entities: [
    (id: "e-su-di", kind: Person, name: "Su Di", aliases: ["苏菂"], country: "CN", start: "2020-01-01"),
    (id: "e-kln", kind: Company, name: "Kun Lun Nest", country: "CN"),
    (id: "e-h100", kind: Product, name: "NVIDIA H100", product: (eccn: "3A090.a")),
  ],
  links: [
    (id: "l-owns", kind: Ownership(percent: 51.0), from: "e-su-di", to: "e-kln", confidence: High, status: Reported),
  ],
  shipments: [
    (id: "s-1", reference: "INV-1", status: Shipped, claim: Alleged, consignee: "e-kln",
      legs: [(from: (name: "Los Angeles", country: "US"), to: (name: "Singapore", country: "SG"), mode: Air)],
      goods: [(product: "e-h100", quantity: 200.0, unit: "pcs")]),
  ],
  evidence: [
    (id: "ev-bl", title: "Bill of lading", kind: TradeRecord, source: File(path: "evidence/bl.pdf", sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", size_bytes: 1234, original_name: "bl.pdf"), reliability: B, credibility: ProbablyTrue, marking: Amber, supports: [(target: Shipment("s-1"), claim: "quantity")]),
  ],
  positions: {"e-su-di": (x: 1.0, y: 2.0), "e-kln": (x: 100.0, y: 2.0, pinned: true)},
)
"#;

/// `BASE` with the first `from` replaced by `to` (which must be there).
fn base_with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the base case has no {from:?}");
    BASE.replacen(from, to, 1)
}

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &[u8], needle: &str) -> usize {
    let at = text
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap_or_else(|| panic!("{needle:?} is not in the text"));
    lines_in(&text[..at])
}

/// Number of lines in `bytes` (one more than the line breaks).
fn lines_in(bytes: &[u8]) -> usize {
    bytes.split(|&b| b == b'\n').count()
}

/// What a corpus entry must do.
enum Want {
    /// Load, and pass validation.
    Loads,
    /// Be refused with a message containing `words` (case-insensitive) and, if `line_of` is
    /// given, a location on the line where that text first occurs.
    Refused {
        words: &'static [&'static str],
        line_of: Option<&'static str>,
    },
    /// Be refused with a location on exactly this line.
    RefusedAtLine {
        words: &'static [&'static str],
        line: usize,
    },
}

fn refused(words: &'static [&'static str]) -> Want {
    Want::Refused {
        words,
        line_of: None,
    }
}

fn refused_at(words: &'static [&'static str], marker: &'static str) -> Want {
    Want::Refused {
        words,
        line_of: Some(marker),
    }
}

fn corpus() -> Vec<(&'static str, Vec<u8>, Want)> {
    let mut c: Vec<(&'static str, Vec<u8>, Want)> = Vec::new();
    let mut add = |name, text: Vec<u8>, want| c.push((name, text, want));

    add("the base case itself", BASE.into(), Want::Loads);

    // Truncated at several points (always before the final bracket).
    let body_end = BASE.rfind(')').unwrap();
    for (name, cut) in [
        ("truncated after the version", BASE.find("meta").unwrap()),
        ("truncated inside a string", BASE.find("Lun Nest").unwrap()),
        (
            "truncated after an entity",
            BASE.find("  ],\n  links").unwrap(),
        ),
        ("truncated inside a number", BASE.find("51.0").unwrap() + 2),
        (
            "truncated inside the evidence",
            BASE.find("ProbablyTrue").unwrap(),
        ),
        ("truncated before the last bracket", body_end),
    ] {
        add(
            name,
            BASE.as_bytes()[..cut].to_vec(),
            refused(&["ends too early", "truncated"]),
        );
    }
    // The message points at the end of what is there.
    let cut = BASE.find("Lun Nest").unwrap();
    add(
        "truncated inside a string, located",
        BASE.as_bytes()[..cut].to_vec(),
        Want::RefusedAtLine {
            words: &["truncated"],
            line: 7,
        },
    );

    // Wrong types, unknown fields and bad variants.
    add(
        "a number where the name should be",
        base_with(r#"name: "Su Di""#, "name: 5").into(),
        Want::RefusedAtLine {
            words: &["string"],
            line: 6,
        },
    );
    add(
        "an unknown field",
        base_with(
            r#"name: "Kun Lun Nest","#,
            r#"name: "Kun Lun Nest", colour: "red","#,
        )
        .into(),
        refused_at(&["colour"], "colour"),
    );
    add(
        "an unknown entity kind",
        base_with("kind: Company", "kind: Spaceship").into(),
        refused_at(&["Spaceship"], "Spaceship"),
    );
    add(
        "a string where a list should be",
        base_with(r#"aliases: ["苏菂"]"#, r#"aliases: "苏菂""#).into(),
        refused_at(&[], "aliases"),
    );
    add(
        "trailing text after the case",
        format!("{BASE}\n(another: case)\n").into(),
        refused(&[]),
    );

    // The version field.
    add(
        "no format_version",
        base_with("  format_version: 2,\n", "").into(),
        refused(&["format_version"]),
    );
    add(
        "a newer format_version",
        base_with("format_version: 2", "format_version: 99").into(),
        refused(&["newer", "99"]),
    );
    add(
        "a format_version that is not a number",
        base_with("format_version: 2", r#"format_version: "x""#).into(),
        Want::RefusedAtLine {
            words: &["whole number"],
            line: 3,
        },
    );
    add(
        "format_version 0",
        base_with("format_version: 2", "format_version: 0").into(),
        refused(&["version 0"]),
    );
    add(
        "a current case marked as version 1",
        base_with("format_version: 2", "format_version: 1").into(),
        refused_at(&["meta"], "meta"),
    );

    // Hostile sizes and nesting.
    add(
        "10 000 nested brackets",
        base_with(
            r#"aliases: ["苏菂"]"#,
            &format!("aliases: {}", "[".repeat(10_000)),
        )
        .into(),
        refused(&[]),
    );
    add(
        "10 000 nested brackets, closed",
        format!(
            "(format_version: 2, meta: (title: {}{}))",
            "[".repeat(10_000),
            "]".repeat(10_000)
        )
        .into(),
        refused(&[]),
    );
    add(
        "a 2 MiB entity name",
        base_with("Kun Lun Nest", &"K".repeat(2 * MAX_TEXT_LEN)).into(),
        Want::RefusedAtLine {
            words: &["e-kln", "name", "too long"],
            line: 7,
        },
    );

    // Encodings and line endings.
    let mut bad_utf8 = BASE.as_bytes().to_vec();
    let at = BASE.find("NVIDIA").unwrap();
    bad_utf8.splice(at..at, [0xff, 0xfe, 0xc0]);
    add(
        "invalid UTF-8",
        bad_utf8,
        refused_at(&["UTF-8"], "\"e-h100\""),
    );
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend_from_slice(BASE.as_bytes());
    add("a UTF-8 byte-order mark", bom, Want::Loads);
    add(
        "CRLF line endings",
        BASE.replace('\n', "\r\n").into(),
        Want::Loads,
    );
    add(
        "CRLF line endings with an error on line 6",
        base_with(r#"name: "Su Di""#, "name: 5")
            .replace('\n', "\r\n")
            .into(),
        Want::RefusedAtLine {
            words: &[],
            line: 6,
        },
    );

    // Broken references and duplicates.
    add(
        "a link to a missing entity",
        base_with(r#"to: "e-kln""#, r#"to: "e-ghost""#).into(),
        Want::RefusedAtLine {
            words: &["l-owns", "e-ghost", "no such item"],
            line: 11,
        },
    );
    add(
        "a missing consignee",
        base_with(r#"consignee: "e-kln""#, r#"consignee: "e-gone""#).into(),
        Want::RefusedAtLine {
            words: &["s-1", "consignee", "e-gone"],
            line: 14,
        },
    );
    add(
        "evidence supporting a missing shipment",
        base_with(r#"Shipment("s-1")"#, r#"Shipment("s-404")"#).into(),
        refused_at(&["ev-bl", "s-404"], "\"ev-bl\""),
    );
    add(
        "duplicate entity ids",
        base_with(r#"id: "e-h100""#, r#"id: "e-kln""#).into(),
        refused_at(&["duplicate", "e-kln"], "NVIDIA"),
    );
    add(
        "a link carrying an entity's id",
        base_with(r#"id: "l-owns""#, r#"id: "e-kln""#).into(),
        Want::RefusedAtLine {
            words: &["link \"e-kln\"", "same id as entity \"e-kln\""],
            line: 11,
        },
    );
    add(
        "an id with spaces",
        base_with(r#""e-su-di", kind"#, r#""e su di", kind"#).into(),
        refused(&["e su di", "id"]),
    );

    // Numbers and values out of range.
    add(
        "a NaN position",
        base_with("x: 1.0", "x: NaN").into(),
        refused(&["e-su-di", "canvas position"]),
    );
    add(
        "an infinite position",
        base_with("y: 2.0", "y: inf").into(),
        refused(&["canvas position", "inf"]),
    );
    add(
        "a negative quantity",
        base_with("quantity: 200.0", "quantity: -5.0").into(),
        Want::RefusedAtLine {
            words: &["s-1", "quantity", "-5"],
            line: 14,
        },
    );
    add(
        "ownership over 100 percent",
        base_with("percent: 51.0", "percent: 151.0").into(),
        refused_at(&["l-owns", "ownership percent"], "\"l-owns\""),
    );
    add(
        "an empty route",
        base_with(
            r#"legs: [(from: (name: "Los Angeles", country: "US"), to: (name: "Singapore", country: "SG"), mode: Air)]"#,
            "legs: []",
        )
        .into(),
        refused_at(&["s-1", "empty route"], "\"s-1\""),
    );
    add(
        "a path-traversal evidence file",
        base_with("evidence/bl.pdf", "../../etc/passwd").into(),
        refused_at(&["../../etc/passwd", "relative path"], "\"ev-bl\""),
    );
    add(
        "an absolute evidence file path",
        base_with("evidence/bl.pdf", "/etc/passwd").into(),
        refused(&["relative path"]),
    );
    add(
        "month 13",
        base_with("2020-01-01", "2024-13-01").into(),
        refused_at(&["2024-13-01", "month"], "2024-13-01"),
    );
    add(
        "a three-letter country",
        base_with(
            r#"name: "Kun Lun Nest", country: "CN""#,
            r#"name: "Kun Lun Nest", country: "CHN""#,
        )
        .into(),
        refused_at(&["CHN", "country code"], "CHN"),
    );
    add(
        "a bad timestamp",
        base_with("2024-12-10T00:00:00Z", "2024-12-10 00:00").into(),
        refused_at(
            &["2024-12-10 00:00", "YYYY-MM-DDTHH:MM:SSZ"],
            "2024-12-10 00:00",
        ),
    );

    // Not a case at all.
    add("an empty file", Vec::new(), refused(&["empty"]));
    add(
        "only whitespace",
        b" \n\t\r\n   \n".to_vec(),
        refused(&["empty"]),
    );
    add("only a BOM", vec![0xef, 0xbb, 0xbf], refused(&["empty"]));
    add(
        "binary garbage",
        {
            let mut rng = chokepoint::io::generate::Rng::new(42);
            (0..4096).map(|_| rng.next_u64() as u8).collect()
        },
        refused(&[]),
    );
    add(
        "control characters",
        b"\x00\x01\x02format_version: 2\x07\x08".to_vec(),
        refused(&[]),
    );
    add(
        "a JSON file",
        br#"{"format_version": 2, "entities": []}"#.to_vec(),
        refused(&[]),
    );
    c
}

fn check_entry(name: &str, bytes: &[u8], want: &Want) {
    let result = std::panic::catch_unwind(|| parse_case_bytes(bytes))
        .unwrap_or_else(|_| panic!("{name}: parse_case_bytes panicked"));
    let (words, line): (&[&str], Option<usize>) = match want {
        Want::Loads => {
            let case = result.unwrap_or_else(|e| panic!("{name}: refused: {e:?}"));
            assert!(check_case(&case).is_empty(), "{name}");
            return;
        }
        Want::Refused { words, line_of: at } => (words, at.map(|m| line_of(bytes, m))),
        Want::RefusedAtLine { words, line } => (words, Some(*line)),
    };
    let err: ParseError = match result {
        Ok(_) => panic!("{name}: was accepted"),
        Err(e) => e,
    };
    assert!(!err.message.trim().is_empty(), "{name}: empty message");
    assert!(
        err.message.len() < 2000,
        "{name}: the message is {} bytes long",
        err.message.len()
    );
    let lower = err.message.to_lowercase();
    for w in words {
        assert!(
            lower.contains(&w.to_lowercase()),
            "{name}: the message lacks {w:?}: {}",
            err.message
        );
    }
    if let Some(line) = line {
        let (got, col) = err
            .location
            .unwrap_or_else(|| panic!("{name}: no location: {}", err.message));
        assert_eq!(
            got, line,
            "{name}: wrong line ({}:{col}): {}",
            got, err.message
        );
        assert!(col >= 1, "{name}");
    }
    if let Some((l, c)) = err.location {
        assert!(l >= 1 && c >= 1, "{name}: location ({l}, {c})");
    }
}

#[test]
fn malformed_corpus_is_refused_clearly() {
    let corpus = corpus();
    assert!(corpus.len() >= 20);
    for (name, bytes, want) in &corpus {
        check_entry(name, bytes, want);
    }
}

#[test]
fn truncation_at_every_line_never_panics() {
    let body_end = BASE.rfind(')').unwrap();
    for (i, _) in BASE.match_indices('\n').filter(|&(i, _)| i < body_end) {
        let cut = &BASE.as_bytes()[..i];
        if let Ok(case) = parse_case_bytes(cut) {
            panic!("cut at byte {i} was accepted: {case:?}");
        }
    }
}

#[test]
fn every_error_location_is_inside_the_text() {
    for (name, bytes, _) in corpus() {
        if let Err(ParseError {
            location: Some((line, _)),
            ..
        }) = parse_case_bytes(&bytes)
        {
            let lines = lines_in(&bytes);
            assert!(line <= lines, "{name}: line {line} of {lines}");
        }
    }
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    // A zeroed allocation is lazy, so this costs no real memory or time.
    let huge = vec![0u8; usize::try_from(MAX_CASE_FILE_BYTES).unwrap() + 1];
    let err = parse_case_bytes(&huge).unwrap_err();
    assert!(err.message.contains("MiB"), "{}", err.message);
    drop(huge);

    // A sparse file on disk, refused from its size alone.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    let file = fs::File::create(&path).unwrap();
    file.set_len(MAX_CASE_FILE_BYTES + 1).unwrap();
    drop(file);
    let err = load_case(&path).unwrap_err();
    assert!(err.to_string().contains("512 MiB"), "{err}");
    assert!(err.to_string().contains("huge.ron"), "{err}");
}

#[test]
fn load_errors_name_the_file_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    fs::write(&path, base_with(r#"name: "Su Di""#, "name: 5")).unwrap();
    let err = load_case(&path).unwrap_err();
    assert_eq!(err.path, path);
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}:6:", path.display())),
        "{text}"
    );
}

#[test]
fn loading_a_missing_file_or_a_folder_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.ron");
    let err = load_case(&missing).unwrap_err();
    assert!(err.to_string().contains("no such file"), "{err}");
    assert!(err.to_string().contains("nowhere.ron"), "{err}");
    assert_eq!(err.error.location, None);

    let err = load_case(dir.path()).unwrap_err();
    assert!(err.to_string().contains("folder"), "{err}");
    assert!(!err.error.message.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Failed saves

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn save_into_a_missing_folder_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let case = generate_case(10, 1).unwrap();
    let path = dir.path().join("missing").join("case.ron");
    let err = save_case(&path, &case).unwrap_err();
    assert!(err.to_string().contains("folder does not exist"), "{err}");
    assert!(names_in(dir.path()).is_empty());
}

#[test]
fn failed_save_leaves_the_existing_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.ron");
    let old = generate_case(10, 1).unwrap();
    save_case(&path, &old).unwrap();
    let old_bytes = fs::read(&path).unwrap();
    fs::remove_file(backup_path(&path)).ok();

    // The backup cannot be written: a folder (with something in it) sits where it would go.
    let blocker = backup_path(&path);
    fs::create_dir(&blocker).unwrap();
    fs::write(blocker.join("keep.txt"), "x").unwrap();

    let new = generate_case(12, 2).unwrap();
    let err = save_case(&path, &new).unwrap_err();
    assert!(err.to_string().contains("case.ron"), "{err}");
    assert_eq!(
        fs::read(&path).unwrap(),
        old_bytes,
        "the old file is intact"
    );
    assert_eq!(load_case(&path).unwrap(), old);
    assert_eq!(
        names_in(dir.path()),
        vec!["case.ron".to_owned(), "case.ron.bak".to_owned()],
        "no temporary files are left behind"
    );
}

#[test]
fn saving_over_a_folder_fails_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.ron");
    fs::create_dir(&path).unwrap();
    fs::write(path.join("inside.txt"), "keep me").unwrap();
    let err = save_case(&path, &generate_case(5, 1).unwrap());
    assert!(err.is_err());
    assert_eq!(
        fs::read_to_string(path.join("inside.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(names_in(dir.path()), vec!["case.ron".to_owned()]);
}

// Saving into a read-only folder is not tested: these tests run as root in CI containers,
// where permissions do not stop writes.

// ---------------------------------------------------------------------------------------------
// Version 1 (prototype) files

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

#[test]
fn version_1_case_is_migrated() {
    let path = fixture("v1_case.ron");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("format_version: 1"));
    let case = load_case(&path).unwrap();
    assert!(check_case(&case).is_empty(), "{:?}", check_case(&case));
    assert_eq!(case.format_version, FORMAT_VERSION);

    // Metadata and marking.
    assert_eq!(case.meta.title, "Kun Lun Nest H100 resale");
    assert_eq!(case.meta.id, "case-kun-lun-nest-h100-resale");
    assert!(case.meta.summary.contains("Shenzhen"));
    assert_eq!(case.meta.marking, Tlp::Green);

    // Entities and kinds.
    assert_eq!(case.entities.len(), 6);
    let kind = |id: &str| case.entities[&EntityId::from(id)].kind;
    assert_eq!(kind("e-su-di"), EntityKind::Person);
    assert_eq!(kind("e-kun-lun-nest"), EntityKind::Company);
    assert_eq!(kind("e-h100"), EntityKind::Product);
    assert_eq!(kind("e-cn"), EntityKind::Jurisdiction);
    assert_eq!(kind("e-shenzhen-office"), EntityKind::Facility);
    let broker = &case.entities[&EntityId::from("e-broker")];
    assert_eq!(broker.kind, EntityKind::Organization);
    assert_eq!(
        broker.attributes.get("v1 kind").map(String::as_str),
        Some("broker")
    );
    let su = &case.entities[&EntityId::from("e-su-di")];
    assert_eq!(su.aliases, vec!["苏菂".to_owned()]);
    assert_eq!(
        su.country
            .as_ref()
            .map(chokepoint::model::CountryCode::as_str),
        Some("CN")
    );

    // Links: kinds mapped, notes kept, every claim an allegation.
    assert_eq!(case.links.len(), 4);
    let link = |id: &str| &case.links[&LinkId::from(id)];
    assert_eq!(link("l-1").kind, LinkKind::Ownership { percent: None });
    assert_eq!(
        link("l-2").kind.tag(),
        chokepoint::model::LinkKindTag::Payment
    );
    assert_eq!(link("l-3").kind, LinkKind::SuppliesTo);
    assert_eq!(
        link("l-4").kind,
        LinkKind::Other("met_at_trade_show".to_owned())
    );
    assert!(link("l-1").description.contains("video"));
    assert!(
        case.links
            .values()
            .all(|l| l.status == ClaimStatus::Alleged)
    );

    // Shipments: legs built from the route.
    assert_eq!(case.shipments.len(), 2);
    let s1 = &case.shipments[&ShipmentId::from("s-1")];
    assert_eq!(s1.route_summary(), "US → SG → CN");
    assert_eq!(s1.legs.len(), 2);
    assert_eq!(s1.status, ShipmentStatus::Alleged);
    assert_eq!(s1.reference, "s-1");
    assert_eq!(s1.shipper, Some(EntityId::from("e-broker")));
    assert_eq!(s1.consignee, Some(EntityId::from("e-kun-lun-nest")));
    assert_eq!(s1.goods.len(), 1);
    assert_eq!(s1.goods[0].quantity, Some(200.0));
    assert_eq!(s1.goods[0].description, "H100 SXM5 modules");
    let s2 = &case.shipments[&ShipmentId::from("s-2")];
    assert_eq!(s2.route_summary(), "US → MY → HK → CN");
    assert_eq!(s2.legs.len(), 3);

    // Saved again, it is a current file and reads back the same.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("migrated.ron");
    save_case(&out, &case).unwrap();
    let saved = fs::read_to_string(&out).unwrap();
    assert!(saved.contains(&format!("format_version: {FORMAT_VERSION},")));
    assert!(!saved.contains("route:"));
    assert_eq!(load_case(&out).unwrap(), case);
}

#[test]
fn version_1_problems_are_refused() {
    let text = fs::read_to_string(fixture("v1_case.ron")).unwrap();
    for (name, from, to, words) in [
        (
            "a bad route country",
            r#"route: ["US", "SG", "CN"]"#,
            r#"route: ["US", "SGP", "CN"]"#,
            &["s-1", "SGP"][..],
        ),
        (
            "a dangling link",
            r#"to: "e-kun-lun-nest", kind: "owns""#,
            r#"to: "e-nobody", kind: "owns""#,
            &["e-nobody", "no such item"][..],
        ),
        (
            "a prototype field that never existed",
            r#"title: "Kun Lun Nest H100 resale","#,
            r#"title: "Kun Lun Nest H100 resale", colour: "red","#,
            &["colour"][..],
        ),
        (
            "duplicate entity ids",
            r#"id: "e-cn""#,
            r#"id: "e-su-di""#,
            &["duplicate", "e-su-di"][..],
        ),
    ] {
        assert!(text.contains(from), "{name}: fixture lacks {from}");
        let broken = text.replacen(from, to, 1);
        let err = parse_case(&broken).expect_err(name);
        for w in words {
            assert!(err.message.contains(w), "{name}: {}", err.message);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Size and speed of a large case (run by hand; see the benchmark in benches/load_save.rs)

fn peak_rss_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn rss_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Resets the peak resident set size so the next phase is measured on its own (Linux).
fn reset_peak_rss() -> bool {
    fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[test]
#[ignore = "slow: run with --release --ignored --nocapture to measure"]
fn measure_100k_peak_memory() {
    use std::time::Instant;
    let mib = |kib: Option<u64>| {
        kib.map_or_else(|| "?".to_owned(), |k| format!("{:.0}", k as f64 / 1024.0))
    };

    let t = Instant::now();
    let case = generate_case(100_000, 1).unwrap();
    println!(
        "generate: {:.2} s, RSS {} MiB, peak {} MiB ({})",
        t.elapsed().as_secs_f64(),
        mib(rss_kib()),
        mib(peak_rss_kib()),
        case.counts()
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    let reset = reset_peak_rss();
    let base = rss_kib();
    let t = Instant::now();
    save_case(&path, &case).unwrap();
    let save_s = t.elapsed().as_secs_f64();
    let size = fs::metadata(&path).unwrap().len();
    println!(
        "save: {save_s:.2} s, file {:.1} MB ({size} bytes), RSS before {} MiB, peak during save {} MiB{}",
        size as f64 / 1e6,
        mib(base),
        mib(peak_rss_kib()),
        if reset {
            ""
        } else {
            " (peak not reset: includes generation)"
        }
    );

    drop(case);
    let reset = reset_peak_rss();
    let base = rss_kib();
    let t = Instant::now();
    let loaded = load_case(&path).unwrap();
    let load_s = t.elapsed().as_secs_f64();
    println!(
        "load: {load_s:.2} s, RSS before {} MiB, peak during load {} MiB{}, after {} MiB",
        mib(base),
        mib(peak_rss_kib()),
        if reset { "" } else { " (peak not reset)" },
        mib(rss_kib())
    );
    assert_eq!(loaded.entities.len(), 100_000);
    println!(
        "process peak (VmHWM since last reset): {} MiB",
        mib(peak_rss_kib())
    );
}
