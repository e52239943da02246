//! `chokepoint findings`, run as a real process: plain text and JSON, user lists and rules,
//! and a clear error for an invalid file.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

mod common;
use common::chokepoint;

fn training() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/training_strait_networks.ron")
}

#[test]
fn findings_prints_red_flags_and_screening_hits() {
    let out = chokepoint()
        .arg("findings")
        .arg(training())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("screened against: Demonstration list"),
        "{stdout}"
    );
    assert!(stdout.contains("[CRITICAL] 3A090/4A090 item routed to a D:5 or Macau party"));
    assert!(stdout.contains("Freight forwarder named as final consignee"));
    assert!(stdout.contains("Possible match on Demonstration list"));
    assert!(stdout.contains("Jadeite Harbour Holdings Limited"));
    assert!(stdout.contains("evidence: "));
    assert!(stdout.contains("key: payer-country-differs:shipment=s-hx-23-0917"));
}

#[test]
fn findings_as_json() {
    let out = chokepoint()
        .arg("findings")
        .arg(training())
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.len() >= 13);
    let first = &findings[0];
    assert_eq!(first["severity"], "Critical");
    for field in [
        "key",
        "rule_id",
        "title",
        "explanation",
        "items",
        "evidence",
    ] {
        assert!(!first[field].is_null(), "{field}");
    }
    assert!(first["dismissed"].is_null());
    let hits = report["screening_hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["entity"], "e-nanling-frontier-lab");
    assert!(hits[0]["score"].as_f64().unwrap() > 0.99);
    assert_eq!(report["lists"][0]["label"], "Demonstration list");
}

#[test]
fn findings_with_a_user_list_and_rules_file() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("my_list.csv");
    std::fs::write(
        &list,
        "name,aliases,source\n\"Orchid Bay Technology Sdn Bhd\",Orchid Bay Tech,My watch list\n",
    )
    .unwrap();
    let rules = dir.path().join("my_rules.ron");
    std::fs::write(
        &rules,
        r#"(rules: [(id: "declared-end-user-differs", title: "off", severity: Info,
             scope: Shipment, when: EndUsersDiffer, enabled: false)])"#,
    )
    .unwrap();
    let out = chokepoint()
        .arg("findings")
        .arg(training())
        .arg("--list")
        .arg(&list)
        .arg("--rules")
        .arg(&rules)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("screened against: my_list.csv (1 entries"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Orchid Bay Technology Sdn. Bhd. matches"),
        "{stdout}"
    );
    assert!(!stdout.contains("Declared end user differs"));
    assert!(!stdout.contains("Demonstration list"));
}

#[test]
fn invalid_inputs_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(\n  format_version: 2,\n  meta: (title: 5),\n)\n").unwrap();
    let out = chokepoint().arg("findings").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", bad.display())),
        "{stderr}"
    );

    let out = chokepoint()
        .arg("findings")
        .arg(training())
        .args(["--list", "/no/such/list.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/list.csv"));

    let out = chokepoint().arg("findings").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = chokepoint()
        .arg("findings")
        .arg(training())
        .args(["--threshold", "7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
