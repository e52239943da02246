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

/// `chokepoint layout` lays out a case into a new file, prints the picture's legibility before
/// and after with `--report`, keeps pinned entities where they are, and refuses bad usage and
/// writing over its input.
#[test]
fn layout_writes_a_laid_out_case_and_reports_legibility() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/seed_kunlun_nest.ron");
    let mut case = chokepoint::io::load_case(&input).expect("seed loads");
    let pinned = case.entities.keys().next().expect("an entity").clone();
    let pin = chokepoint::model::NodePosition {
        x: 12.5,
        y: -7.0,
        pinned: true,
    };
    case.positions.insert(pinned.clone(), pin);
    let source = dir.path().join("seed.ron");
    chokepoint::io::save_case(&source, &case).expect("save");
    for algorithm in ["layered", "force", "circular", "grid", "geographic"] {
        let output = dir.path().join(format!("{algorithm}.ron"));
        let out = chokepoint()
            .args(["layout", "--algorithm", algorithm])
            .arg(&source)
            .arg("-o")
            .arg(&output)
            .arg("--report")
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{algorithm}: {stdout}");
        assert!(stdout.contains("before: nodes="), "{algorithm}: {stdout}");
        assert!(stdout.contains("after:  nodes="), "{algorithm}: {stdout}");
        let laid = chokepoint::io::load_case(&output).expect("the output loads");
        assert_eq!(
            laid.entities, case.entities,
            "{algorithm}: only places change"
        );
        assert_eq!(
            laid.positions[&pinned], pin,
            "{algorithm}: the pinned entity stays"
        );
        let moved = laid
            .positions
            .iter()
            .filter(|(id, p)| case.positions.get(*id) != Some(*p))
            .count();
        assert!(moved > 0, "{algorithm}: nothing moved");
    }
    let code = |args: &[&str]| {
        chokepoint()
            .args(args)
            .output()
            .expect("runs")
            .status
            .code()
    };
    let src = source.to_str().expect("utf-8 path");
    let out = dir.path().join("x.ron");
    let out = out.to_str().expect("utf-8 path");
    assert_eq!(
        code(&["layout", "--algorithm", "spiral", src, "-o", out]),
        Some(2)
    );
    assert_eq!(code(&["layout", src, "-o", out]), Some(2));
    assert_eq!(
        code(&["layout", "--algorithm", "force", src, "-o", src]),
        Some(1)
    );
    assert_eq!(
        chokepoint::io::load_case(&source).expect("still loads"),
        case,
        "the input is untouched"
    );
}
