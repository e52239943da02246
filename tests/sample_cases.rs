//! The shipped sample cases: every file in `sample_cases/` loads, passes validation, is written
//! in canonical form (saving it unchanged gives the same bytes), and survives a save and reload.
//! The seed case and the training case also keep the facts the rest of the project relies on.

#![allow(clippy::unwrap_used)]

use chokepoint::edit::check_case;
use chokepoint::io::{case_to_ron, load_case, save_case};
use chokepoint::model::{Case, ClaimStatus, CountryCode, EntityKind};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases")
}

fn sample_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(sample_dir())
        .expect("sample_cases/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

fn load(name: &str) -> Case {
    let path = sample_dir().join(name);
    load_case(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn both_sample_cases_are_shipped() {
    let names: Vec<String> = sample_files()
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    for expected in ["seed_kunlun_nest.ron", "training_strait_networks.ron"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    assert_eq!(chokepoint::SEED_CASE_FILE, "seed_kunlun_nest.ron");
}

#[test]
fn every_sample_case_loads_validates_and_is_canonical() {
    let files = sample_files();
    assert!(!files.is_empty());
    for path in files {
        let shown = path.display();
        let case = load_case(&path).unwrap_or_else(|e| panic!("{e}"));
        let errors = check_case(&case);
        assert!(errors.is_empty(), "{shown}: {errors:?}");

        // Canonical: re-encoding the loaded case gives the file byte for byte, so opening and
        // saving a sample case unchanged never produces a diff.
        let text = fs::read_to_string(&path).unwrap();
        let encoded = case_to_ron(&case).unwrap();
        assert!(
            encoded == text,
            "{shown} is not in canonical form; first difference at line {}",
            first_difference(&encoded, &text)
        );

        // Save elsewhere and reload: the same case, the same bytes.
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join(path.file_name().unwrap());
        save_case(&copy, &case).unwrap();
        assert_eq!(fs::read_to_string(&copy).unwrap(), text, "{shown}");
        assert_eq!(load_case(&copy).unwrap(), case, "{shown}");
    }
}

fn first_difference(a: &str, b: &str) -> usize {
    a.lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .map_or_else(|| a.lines().count().min(b.lines().count()) + 1, |i| i + 1)
}

#[test]
fn every_entity_in_a_sample_case_has_a_canvas_position() {
    for path in sample_files() {
        let case = load_case(&path).unwrap();
        for id in case.entities.keys() {
            assert!(
                case.positions.contains_key(id),
                "{}: {id} has no canvas position",
                path.display()
            );
        }
    }
}

#[test]
fn the_embedded_seed_case_is_the_file_on_disk() {
    assert_eq!(
        chokepoint::seed_case().unwrap(),
        load("seed_kunlun_nest.ron")
    );
}

#[test]
fn seed_case_keeps_names_and_grades_its_claims() {
    let case = load("seed_kunlun_nest.ron");
    let has_alias = |alias: &str| {
        case.entities
            .values()
            .any(|e| e.aliases.iter().any(|a| a == alias))
    };
    assert!(has_alias("苏菂"), "Su Di under his Chinese name");
    assert!(has_alias("昆仑巢"), "Kun Lun Nest under its Chinese name");
    assert!(case.evidence.len() >= 3, "{}", case.evidence.len());
    assert!(!case.shipments.is_empty());

    // Nothing in the seed is proven: it rests on videos, a post and a press article.
    for l in case.links.values() {
        assert_ne!(l.status, ClaimStatus::Proven, "link {}", l.id);
    }
    for s in case.shipments.values() {
        assert_ne!(s.claim, ClaimStatus::Proven, "shipment {}", s.id);
    }

    // The UI tests find Su Di by the label "Su Di": no other entity may contain it.
    let named_su_di: Vec<_> = case
        .entities
        .values()
        .filter(|e| e.name.contains("Su Di"))
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(named_su_di, ["e-su-di"]);
}

#[test]
fn training_case_is_fictional_and_rich() {
    let case = load("training_strait_networks.ron");
    assert!(case.meta.tags.iter().any(|t| t == "fictional"));
    assert!(case.meta.summary.to_lowercase().contains("fictional"));
    assert!(case.entities.len() >= 30, "{}", case.entities.len());
    assert!(case.shipments.len() >= 10, "{}", case.shipments.len());

    // A multi-leg route that passes through Singapore, Malaysia and Hong Kong.
    let transit: BTreeSet<&str> = ["SG", "MY", "HK"].into();
    assert!(
        case.shipments.values().any(|s| {
            let touched: BTreeSet<&str> = s
                .legs
                .iter()
                .flat_map(|l| [&l.from, &l.to])
                .filter_map(|p| p.country.as_ref().map(CountryCode::as_str))
                .collect();
            s.legs.len() >= 2 && transit.is_subset(&touched)
        }),
        "a shipment routed through SG, MY and HK"
    );

    assert!(
        case.entities
            .values()
            .any(|e| e.kind == EntityKind::Address && e.address.residential),
        "a residential address"
    );

    assert!(
        case.shipments.values().any(|s| matches!(
            (&s.declared_end_user, &s.suspected_end_user),
            (Some(d), Some(x)) if d != x
        )),
        "a shipment whose declared and suspected end users differ"
    );

    // Mixed claim statuses: some proven by records, others only alleged.
    let statuses: BTreeSet<ClaimStatus> = case.shipments.values().map(|s| s.claim).collect();
    assert!(statuses.contains(&ClaimStatus::Proven) && statuses.contains(&ClaimStatus::Alleged));
}
