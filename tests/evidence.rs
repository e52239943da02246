//! The evidence locker's library and CLI: attaching a file copies and hashes it and logs it in
//! the custody log; tampering and deletion are detected by the integrity check and by
//! `chokepoint check --strict`; paths that could escape the case folder are refused; every
//! change to evidence is one undo step together with its custody entry.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chokepoint::edit::{Edit, History, plan_merge};
use chokepoint::io::evidence::{
    self as locker, Integrity, PathError, attach_file, check_relative_path, resolve_evidence_path,
    verify_case,
};
use chokepoint::io::{load_case, save_case};
use chokepoint::model::{
    Case, ClaimSupport, CustodyAction, CustodyEntry, Entity, EntityId, EntityKind, Evidence,
    EvidenceId, EvidenceSource, InfoCredibility, ItemRef, SourceReliability, Timestamp,
};
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::chokepoint;

const WHO: &str = "A. Investigator";

fn now() -> Timestamp {
    Timestamp::from_unix(1_733_820_000)
}

/// A case with one entity, saved as `case.ron` in a fresh folder.
fn case_in_folder() -> (tempfile::TempDir, PathBuf, Case) {
    let dir = tempfile::tempdir().unwrap();
    let mut case = Case::new_untitled(now());
    case.apply(Edit::Insert(
        Entity::new(
            EntityId::from("e-acme"),
            EntityKind::Company,
            "Acme Trading Pte Ltd",
        )
        .into(),
    ))
    .unwrap();
    let path = dir.path().join("case.ron");
    save_case(&path, &case).unwrap();
    (dir, path, case)
}

fn source_file(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let outside = dir.join("incoming");
    fs::create_dir_all(&outside).unwrap();
    let p = outside.join(name);
    fs::write(&p, content).unwrap();
    p
}

fn file_source(ev: &Evidence) -> (&str, &str, u64, &str) {
    let f = ev
        .stored_file()
        .unwrap_or_else(|| panic!("not a file: {:?}", ev.source));
    (f.path, f.sha256, f.size_bytes, f.original_name)
}

#[test]
fn attaching_copies_the_file_records_its_hash_and_logs_custody() {
    let (dir, _, mut case) = case_in_folder();
    let content = b"BILL OF LADING 0042\nshipper: Acme\n";
    let src = source_file(dir.path(), "bill of lading 0042.txt", content);
    let mut history = History::default();

    let a = attach_file(&case, dir.path(), &src, WHO, now()).unwrap();
    let (path, sha, size, original) = file_source(&a.evidence);
    assert_eq!(path, "evidence/bill-of-lading-0042.txt");
    assert_eq!(original, "bill of lading 0042.txt");
    assert_eq!(size, content.len() as u64);
    assert_eq!(sha, locker::sha256_hex(content));
    assert_eq!(a.evidence.captured, Some(now()));
    // The copy is byte for byte the original.
    assert_eq!(fs::read(dir.path().join(path)).unwrap(), content);

    history.apply(&mut case, "Attach", a.edit()).unwrap();
    let id = a.evidence.id.clone();
    assert!(case.evidence.contains_key(&id));
    let entry = case.custody.last().unwrap();
    assert_eq!(entry.evidence, id);
    assert_eq!(entry.action, CustodyAction::Added);
    assert_eq!(entry.who, WHO);
    assert_eq!(entry.at, now());
    assert_eq!(entry.new_sha256, sha);
    assert!(entry.old_sha256.is_empty());

    // One undo step takes back the evidence and its custody line; redo brings both back.
    history.undo(&mut case).unwrap();
    assert!(case.evidence.is_empty());
    assert!(case.custody.is_empty());
    history.redo(&mut case).unwrap();
    assert!(case.evidence.contains_key(&id));
    assert_eq!(case.custody.len(), 1);

    // The case with its evidence saves and loads, and the file checks out.
    let saved = dir.path().join("case.ron");
    save_case(&saved, &case).unwrap();
    let loaded = load_case(&saved).unwrap();
    assert_eq!(loaded, case);
    let reports = verify_case(&loaded, dir.path());
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].status, Integrity::Ok);
}

#[test]
fn attaching_never_overwrites_an_existing_file() {
    let (dir, _, mut case) = case_in_folder();
    let first = source_file(dir.path(), "invoice.pdf", b"first");
    let a = attach_file(&case, dir.path(), &first, WHO, now()).unwrap();
    case.apply(a.edit()).unwrap();

    // Another file with the same name, from elsewhere.
    let other_dir = dir.path().join("other");
    fs::create_dir_all(&other_dir).unwrap();
    let second = other_dir.join("invoice.pdf");
    fs::write(&second, b"second").unwrap();
    let b = attach_file(&case, dir.path(), &second, WHO, now()).unwrap();
    case.apply(b.edit()).unwrap();

    assert_eq!(file_source(&a.evidence).0, "evidence/invoice.pdf");
    assert_eq!(file_source(&b.evidence).0, "evidence/invoice-2.pdf");
    assert_ne!(a.evidence.id, b.evidence.id);
    assert_eq!(
        fs::read(dir.path().join("evidence/invoice.pdf")).unwrap(),
        b"first"
    );
    assert_eq!(
        fs::read(dir.path().join("evidence/invoice-2.pdf")).unwrap(),
        b"second"
    );
    assert!(
        verify_case(&case, dir.path())
            .iter()
            .all(|r| r.status.is_ok())
    );
}

#[test]
fn tampering_and_deleting_are_detected() {
    let (dir, _, mut case) = case_in_folder();
    for (name, body) in [("a.txt", "alpha"), ("b.txt", "bravo"), ("c.txt", "charlie")] {
        let src = source_file(dir.path(), name, body.as_bytes());
        let a = attach_file(&case, dir.path(), &src, WHO, now()).unwrap();
        case.apply(a.edit()).unwrap();
    }
    fs::write(dir.path().join("evidence/a.txt"), "alpha, edited").unwrap();
    fs::remove_file(dir.path().join("evidence/b.txt")).unwrap();

    let reports = verify_case(&case, dir.path());
    let status: Vec<(&str, &str)> = reports
        .iter()
        .map(|r| (r.path.as_str(), r.status.label()))
        .collect();
    assert_eq!(
        status,
        [
            ("evidence/a.txt", "modified"),
            ("evidence/b.txt", "missing"),
            ("evidence/c.txt", "ok"),
        ]
    );
    let Integrity::Modified { sha256, size_bytes } = &reports[0].status else {
        panic!("{:?}", reports[0].status);
    };
    // The size alone shows the change: the file is not read to hash it.
    assert_eq!(*sha256, None);
    assert_eq!(*size_bytes, 13);
    assert!(
        reports[0]
            .status
            .explain()
            .contains("changed since it was attached")
    );
}

#[test]
fn paths_that_could_escape_the_case_folder_are_refused() {
    for (path, expected) in [
        ("", "empty"),
        ("/etc/passwd", "absolute"),
        ("../secret.txt", "climbs out"),
        ("evidence/../../secret.txt", "climbs out"),
        ("evidence\\x.txt", "not a plain relative path"),
        ("C:/x.txt", "not a plain relative path"),
        ("evidence//x.txt", "not a plain relative path"),
    ] {
        let err = check_relative_path(path).expect_err(path);
        assert!(err.to_string().contains(expected), "{path}: {err}");
    }
    assert!(check_relative_path("evidence/scan 1.png").is_ok());

    // The edit path refuses such evidence too, so a case can never hold one.
    let mut case = Case::default();
    let bad = Evidence {
        id: EvidenceId::from("ev-bad"),
        title: "bad".into(),
        source: EvidenceSource::File {
            path: "../../etc/passwd".into(),
            sha256: "0".repeat(64),
            size_bytes: 1,
            original_name: "passwd".into(),
        },
        ..Evidence::default()
    };
    let err = case
        .apply(locker::add_evidence_edit(bad, WHO, now()))
        .unwrap_err();
    assert!(err.to_string().contains("inside the case folder"), "{err}");
    assert!(case.evidence.is_empty() && case.custody.is_empty());
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_case_folder_are_refused() {
    use std::os::unix::fs::symlink;
    let (dir, _, mut case) = case_in_folder();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("secret.txt"), "secret").unwrap();

    // A file inside evidence/ that links outside.
    fs::create_dir_all(dir.path().join("evidence")).unwrap();
    symlink(
        elsewhere.path().join("secret.txt"),
        dir.path().join("evidence/link.txt"),
    )
    .unwrap();
    let err = resolve_evidence_path(dir.path(), "evidence/link.txt").unwrap_err();
    assert!(matches!(err, PathError::Escapes { .. }), "{err}");
    assert!(err.to_string().contains("outside the case folder"), "{err}");

    // Evidence recorded with that path is flagged, not read.
    let ev = Evidence {
        id: EvidenceId::from("ev-link"),
        title: "linked".into(),
        source: EvidenceSource::File {
            path: "evidence/link.txt".into(),
            sha256: locker::sha256_hex(b"secret"),
            size_bytes: 6,
            original_name: "link.txt".into(),
        },
        ..Evidence::default()
    };
    case.apply(locker::add_evidence_edit(ev, WHO, now()))
        .unwrap();
    let reports = verify_case(&case, dir.path());
    assert_eq!(reports[0].status.label(), "unsafe path");

    // An evidence folder that is itself a link outside: attaching is refused, nothing copied.
    let (dir2, _, case2) = case_in_folder();
    symlink(elsewhere.path(), dir2.path().join("evidence")).unwrap();
    let src = source_file(dir2.path(), "x.txt", b"x");
    let err = attach_file(&case2, dir2.path(), &src, WHO, now()).unwrap_err();
    assert!(err.to_string().contains("outside the case folder"), "{err}");
    assert!(!elsewhere.path().join("x.txt").exists());
}

#[test]
fn every_change_to_evidence_is_logged_and_undone_with_its_log_line() {
    let mut case = Case::default();
    case.apply(Edit::Insert(
        Entity::new(EntityId::from("e-acme"), EntityKind::Company, "Acme").into(),
    ))
    .unwrap();
    let mut history = History::default();
    let ev = Evidence {
        id: locker::fresh_evidence_id(&case, "Registry extract"),
        title: "Registry extract".into(),
        source: EvidenceSource::Reference {
            citation: "ACRA BizFile, Acme Trading Pte Ltd, 2024-03-02".into(),
            archive: String::new(),
        },
        ..Evidence::default()
    };
    let id = ev.id.clone();
    assert_eq!(id.as_str(), "ev-registry-extract");
    history
        .apply(
            &mut case,
            "Add",
            locker::add_evidence_edit(ev.clone(), WHO, now()),
        )
        .unwrap();

    // Grade it and link it to a claim.
    let mut graded = ev.clone();
    graded.reliability = SourceReliability::B;
    graded.credibility = InfoCredibility::ProbablyTrue;
    graded.supports.push(ClaimSupport {
        target: Some(ItemRef::Entity("e-acme".into())),
        claim: "incorporation date".into(),
        excerpt: "Registration date: 02/03/2024".into(),
        locator: "page 1".into(),
    });
    history
        .apply(
            &mut case,
            "Grade",
            locker::change_evidence_edit(&ev, graded.clone(), WHO, now()),
        )
        .unwrap();
    assert_eq!(case.evidence[&id].grade(), "B2");
    let modified = case.custody.last().unwrap();
    assert_eq!(modified.action, CustodyAction::Modified);
    assert!(
        modified.detail.contains("grade F6 → B2"),
        "{}",
        modified.detail
    );
    assert_eq!(
        locker::supporting(&case, &ItemRef::Entity("e-acme".into()))[0].id,
        id
    );

    // Remove it: unlink first is not needed, evidence is not referred to by others.
    history
        .apply(
            &mut case,
            "Remove",
            locker::remove_evidence_edit(&graded, WHO, now()),
        )
        .unwrap();
    let actions: Vec<CustodyAction> = case.custody.iter().map(|c| c.action).collect();
    assert_eq!(
        actions,
        [
            CustodyAction::Added,
            CustodyAction::Modified,
            CustodyAction::Removed
        ]
    );
    assert!(
        case.custody
            .iter()
            .all(|c| c.who == WHO && c.evidence == id)
    );

    // Each undo step takes back one change and its own log line.
    history.undo(&mut case).unwrap();
    assert_eq!(case.evidence[&id], graded);
    assert_eq!(case.custody.len(), 2);
    history.undo(&mut case).unwrap();
    assert_eq!(case.evidence[&id], ev);
    assert_eq!(case.custody.len(), 1);
    history.undo(&mut case).unwrap();
    assert!(case.evidence.is_empty() && case.custody.is_empty());
}

#[test]
fn the_custody_log_is_append_only() {
    let mut case = Case::default();
    let entry = |n: i64| CustodyEntry {
        at: Timestamp::from_unix(n),
        who: WHO.into(),
        action: CustodyAction::Added,
        evidence: EvidenceId::from("ev-x"),
        ..CustodyEntry::default()
    };
    case.apply(Edit::AppendCustody(Box::new(entry(1)))).unwrap();
    case.apply(Edit::AppendCustody(Box::new(entry(2)))).unwrap();
    // Only the newest entry can be taken back, and only by naming it exactly.
    let before = case.clone();
    let err = case
        .apply(Edit::RetractCustody(Box::new(entry(1))))
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert_eq!(case, before);
    // Malformed hashes are refused.
    let mut bad = entry(3);
    bad.new_sha256 = "xyz".into();
    assert!(case.apply(Edit::AppendCustody(Box::new(bad))).is_err());
    assert_eq!(case, before);
}

#[test]
fn merging_keeps_both_sides_custody_entries() {
    let base = Case::default();
    let entry = |who: &str| CustodyEntry {
        at: now(),
        who: who.into(),
        evidence: EvidenceId::from("ev-x"),
        ..CustodyEntry::default()
    };
    let mut ours = base.clone();
    ours.custody.push(entry("ours"));
    let mut theirs = base.clone();
    theirs.custody.push(entry("theirs"));
    let plan = plan_merge(&base, &ours, &theirs);
    ours.apply(plan.edit).unwrap();
    let who: Vec<&str> = ours.custody.iter().map(|c| c.who.as_str()).collect();
    assert_eq!(who, ["ours", "theirs"]);
}

// ---- chokepoint check --------------------------------------------------------------------------

/// A saved case with two attached files.
fn case_with_files() -> (tempfile::TempDir, PathBuf) {
    let (dir, path, mut case) = case_in_folder();
    for (name, body) in [
        ("manifest.txt", "manifest"),
        ("photo.png", "not really a png"),
    ] {
        let src = source_file(dir.path(), name, body.as_bytes());
        let a = attach_file(&case, dir.path(), &src, WHO, now()).unwrap();
        case.apply(a.edit()).unwrap();
    }
    save_case(&path, &case).unwrap();
    (dir, path)
}

#[test]
fn check_reports_each_evidence_file_and_strict_fails_on_tampering() {
    let (dir, path) = case_with_files();
    let out = chokepoint()
        .args(["check", "--strict"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("evidence/manifest.txt): ok") && stdout.contains("evidence/photo.png): ok"),
        "{stdout}"
    );

    // Tamper with one file: check still passes without --strict, but says so.
    fs::write(
        dir.path().join("evidence/manifest.txt"),
        "manifest, altered",
    )
    .unwrap();
    let out = chokepoint().arg("check").arg(&path).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("evidence/manifest.txt): modified"),
        "{stdout}"
    );
    assert!(stderr.contains("--strict"), "{stderr}");

    // With --strict it fails, naming the file.
    let out = chokepoint()
        .args(["check", "--strict"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("manifest.txt") && stderr.contains("modified"),
        "{stderr}"
    );

    // A missing file fails --strict too.
    fs::write(dir.path().join("evidence/manifest.txt"), "manifest").unwrap();
    fs::remove_file(dir.path().join("evidence/photo.png")).unwrap();
    let out = chokepoint()
        .args(["check", "--strict"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("photo.png") && stderr.contains("missing"),
        "{stderr}"
    );
}

#[test]
fn check_strict_passes_on_the_sample_cases_and_rejects_unknown_options() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    let out = chokepoint()
        .args(["check", "--strict"])
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The seed case carries at least one attached file, verified here.
    assert!(
        stdout.contains("evidence/x-post-byron-wan-2024-12-09.txt): ok"),
        "{stdout}"
    );

    let out = chokepoint()
        .args(["check", "--stricter"])
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_seed_case_links_its_videos_post_and_attached_file_to_claims() {
    let case =
        load_case(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/seed_kunlun_nest.ron"))
            .unwrap();
    for (id, date) in [
        ("ev-douyin-video-1", "2024-11-28"),
        ("ev-douyin-video-2", "2024-11-29"),
        ("ev-x-post-byron-wan", "2024-12-09"),
    ] {
        let ev = &case.evidence[&EvidenceId::from(id)];
        assert!(
            matches!(ev.source, EvidenceSource::Reference { .. }),
            "{id}"
        );
        assert_eq!(
            ev.date.as_ref().map(ToString::to_string).as_deref(),
            Some(date)
        );
        assert!(!ev.supports.is_empty(), "{id} supports claims");
    }
    let files: Vec<&Evidence> = case
        .evidence
        .values()
        .filter(|e| e.stored_file().is_some())
        .collect();
    assert!(!files.is_empty());
    assert!(files.iter().all(|e| !e.supports.is_empty()));
    // Su Di's role at Kun Lun Nest is supported, best by the post and its capture.
    let support = locker::supporting(&case, &ItemRef::Link("l-su-di-kun-lun-nest".into()));
    assert!(support.len() >= 2);
}
