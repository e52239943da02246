//! Every export from the File menu, through the real app: File ▸ Export ▸ a format, the path
//! typed where no desktop file chooser answers, and the files on disk are the ones
//! `chokepoint export` writes (which the peers' own parsers read: tests/export.rs).

use chokepoint::io::export::{self, DataFormat};
use chokepoint::ui::ChokepointApp;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

mod common;

/// File ▸ Export ▸ `item`, then `path` typed into the prompt titled `prompt` and confirmed.
/// False when a desktop file chooser answered instead (outside CI only).
fn export_via_menu(
    h: &mut Harness<'static, ChokepointApp>,
    item: &str,
    prompt: &str,
    path: &Path,
) -> bool {
    h.get_by_label("File").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Export").click();
    h.run();
    h.get_by_label(item).click();
    if !common::step_until_within(h, std::time::Duration::from_secs(10), |h| {
        h.query_by_role_and_label(Role::TextInput, prompt).is_some()
    }) {
        assert!(!common::in_ci(), "no path prompt for {item}");
        eprintln!("SKIPPED {item}: a desktop file chooser answered");
        return false;
    }
    h.get_by_role_and_label(Role::TextInput, prompt).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, prompt)
        .type_text(path.to_str().expect("utf-8 path"));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.run();
    true
}

#[test]
fn every_data_export_and_the_chart_picture_are_in_the_file_menu() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = chokepoint::seed_case().expect("seed case");
    let mut h = common::realtime_harness(case.clone());
    h.run();
    for (item, prompt, format) in [
        (
            "Export GraphML (yEd, Cytoscape, networkx)…",
            "Export GraphML to",
            DataFormat::Graphml,
        ),
        ("Export GEXF (Gephi)…", "Export GEXF to", DataFormat::Gexf),
        (
            "Export FollowTheMoney (Aleph)…",
            "Export FollowTheMoney to",
            DataFormat::Ftm,
        ),
        (
            "Export Graphviz DOT…",
            "Export Graphviz DOT to",
            DataFormat::Dot,
        ),
        (
            "Export CSV tables…",
            "Export the CSV tables to",
            DataFormat::Csv,
        ),
    ] {
        // No extension typed: the format's own is added.
        let typed = dir.path().join(format!("seed-{}", format.name()));
        if !export_via_menu(&mut h, item, prompt, &typed) {
            return;
        }
        let (expected, _) = format.files(&case, &typed.with_extension(format.extension()));
        for (path, text) in expected {
            let written = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{item}: {} not written: {e}", path.display()));
            assert_eq!(written, text, "{item}: {}", path.display());
        }
        assert!(
            h.query_by_label_contains("Exported ").is_some(),
            "{item}: the status bar says where it went"
        );
    }
    assert!(dir.path().join("seed-csv_entities.csv").is_file());
    assert!(dir.path().join("seed-csv_shipments.csv").is_file());

    // The whole chart as a PNG, and never over a case file.
    let png = dir.path().join("chart.png");
    let prompt = "Export the chart's picture to";
    assert!(export_via_menu(
        &mut h,
        "Export picture of the chart (SVG, PNG)…",
        prompt,
        &png
    ));
    let bytes = std::fs::read(&png).expect("the picture was written");
    assert!(bytes.starts_with(b"\x89PNG"));
    let ron = dir.path().join("chart.ron");
    assert!(export_via_menu(
        &mut h,
        "Export GEXF (Gephi)…",
        "Export GEXF to",
        &ron
    ));
    assert!(!ron.exists(), "an export never lands on a case file");
    assert!(h.query_by_label_contains("is a case file").is_some());
    let svg = dir.path().join("chart.svg");
    assert!(export_via_menu(
        &mut h,
        "Export picture of the chart (SVG, PNG)…",
        prompt,
        &svg
    ));
    let text = std::fs::read_to_string(&svg).expect("svg written");
    roxmltree::Document::parse(&text).expect("well-formed SVG");
    for e in case.entities.values().filter(|e| e.name.is_ascii()).take(5) {
        let first: String = e.name.chars().take(6).collect();
        assert!(
            text.contains(&export::xml_escape(&first)),
            "{} is in the picture",
            e.name
        );
    }
}
