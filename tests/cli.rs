//! The CLI beside the GUI, run as a real process: `check` and `generate`.

use std::path::{Path, PathBuf};

mod common;
use common::chokepoint;

fn sample_cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("sample_cases exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

#[test]
fn check_passes_on_every_sample_case() {
    let files = sample_cases();
    assert!(!files.is_empty());
    let out = chokepoint()
        .arg("check")
        .args(&files)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One summary line per file; evidence files follow it, indented.
    let summaries: Vec<&str> = stdout.lines().filter(|l| !l.starts_with("  ")).collect();
    assert_eq!(summaries.len(), files.len(), "one summary line per file");
    for line in summaries {
        assert!(
            line.contains(": ok: ") && line.contains("entities") && line.contains("shipments"),
            "{line}"
        );
    }
}

#[test]
fn check_reports_file_line_and_column_and_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.ron");
    let bad = dir.path().join("bad.ron");
    std::fs::write(
        &good,
        chokepoint::io::case_to_ron(&chokepoint::model::Case::default()).expect("encode"),
    )
    .expect("write");
    std::fs::write(&bad, "(\n  format_version: 2,\n  meta: (title: 5),\n)\n").expect("write");
    let out = chokepoint()
        .arg("check")
        .arg(&good)
        .arg(&bad)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = format!("{}:3:", bad.display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("good.ron: ok"));
}

#[test]
fn check_missing_file_is_a_clear_error() {
    let out = chokepoint()
        .args(["check", "/no/such/case.ron"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/case.ron: no such file"));
}

#[test]
fn generate_writes_a_valid_deterministic_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    for path in [&a, &b] {
        let out = chokepoint()
            .args(["generate", "--entities", "300", "--seed", "9", "-o"])
            .arg(path)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    let case = chokepoint::io::load_case(&a).expect("loads");
    assert_eq!(case.entities.len(), 300);
    assert_eq!(case.shipments.len(), 150);
    assert!(case.shipments.values().any(|s| s.legs.len() >= 2));
    let out = chokepoint().arg("check").arg(&a).output().expect("runs");
    assert!(out.status.success());
}

#[test]
fn usage_errors_exit_with_two() {
    let out = chokepoint()
        .args(["generate", "--entities"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = chokepoint().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
