//! Three-way merge of colleagues' copies: `chokepoint merge-driver BASE MINE THEIRS` as git
//! runs it, and `chokepoint merge --base`. One-sided edits are taken without asking,
//! deletions travel, and only real conflicts are reported; then the same through a real git
//! repository with two branches that edit one case.

mod common;
use common::chokepoint;

use chokepoint::io::{load_case, save_case};
use chokepoint::model::{Case, Entity, EntityKind, Link, LinkKind};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn base() -> Case {
    let mut c = Case::default();
    c.meta.title = "Merge test".to_owned();
    for (id, name) in [
        ("e-a", "Alpha Trading"),
        ("e-b", "Bravo Logistics"),
        ("e-c", "Charlie Systems"),
        ("e-e", "Echo Holdings"),
    ] {
        c.entities
            .insert(id.into(), Entity::new(id, EntityKind::Company, name));
    }
    c.links.insert(
        "l-e-a".into(),
        Link::new("l-e-a", LinkKind::Associate, "e-e", "e-a"),
    );
    c
}

fn rename(case: &mut Case, id: &str, name: &str) {
    case.entities.get_mut(&id.into()).expect("entity").name = name.to_owned();
}

fn write(dir: &Path, name: &str, case: &Case) -> PathBuf {
    let path = dir.join(name);
    save_case(&path, case).expect("save");
    path
}

fn run(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let out: Output = chokepoint().args(args).output().expect("run chokepoint");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn driver(base: &Path, mine: &Path, theirs: &Path) -> (i32, String) {
    run(&[
        "merge-driver".as_ref(),
        base.as_os_str(),
        mine.as_os_str(),
        theirs.as_os_str(),
        "case.ron".as_ref(),
    ])
}

#[test]
fn one_sided_edits_and_deletions_merge_without_conflicts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = base();
    let mut mine = base.clone();
    rename(&mut mine, "e-a", "Alpha Trading (HK)");
    let mut theirs = base.clone();
    rename(&mut theirs, "e-b", "Bravo Logistics Pte");
    theirs.entities.insert(
        "e-d".into(),
        Entity::new("e-d", EntityKind::Person, "Delta Person"),
    );
    theirs.links.insert(
        "l-d-a".into(),
        Link::new("l-d-a", LinkKind::Associate, "e-d", "e-a"),
    );
    // They deleted Echo and its link; we did not touch either.
    theirs.links.remove(&"l-e-a".into());
    theirs.entities.remove(&"e-e".into());
    let (b, m, t) = (
        write(dir.path(), "base.ron", &base),
        write(dir.path(), "mine.ron", &mine),
        write(dir.path(), "theirs.ron", &theirs),
    );
    let (code, text) = driver(&b, &m, &t);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("0 conflict(s)"), "{text}");
    let merged = load_case(&m).expect("merged case loads");
    assert_eq!(merged.entities[&"e-a".into()].name, "Alpha Trading (HK)");
    assert_eq!(merged.entities[&"e-b".into()].name, "Bravo Logistics Pte");
    assert!(merged.entities.contains_key(&"e-d".into()));
    assert!(merged.links.contains_key(&"l-d-a".into()));
    assert!(
        !merged.entities.contains_key(&"e-e".into()) && !merged.links.contains_key(&"l-e-a".into()),
        "the deletion travels"
    );
    // No backup file beside git's working copy.
    assert!(!dir.path().join("mine.ron.bak").exists());
}

#[test]
fn only_real_conflicts_are_reported_and_mine_is_kept_for_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = base();
    let mut mine = base.clone();
    let mut theirs = base.clone();
    // Changed on both sides.
    rename(&mut mine, "e-c", "Charlie Systems Ltd");
    rename(&mut theirs, "e-c", "Charlie Systems GmbH");
    // Changed here, deleted there.
    rename(&mut mine, "e-b", "Bravo Logistics (renamed)");
    theirs.entities.remove(&"e-b".into());
    // Deleted there, while we link to it: their deletion does not fit.
    theirs.links.remove(&"l-e-a".into());
    theirs.entities.remove(&"e-e".into());
    mine.links.insert(
        "l-e-c".into(),
        Link::new("l-e-c", LinkKind::Associate, "e-e", "e-c"),
    );
    // The same entity added on both sides: once identically, once differently.
    for case in [&mut mine, &mut theirs] {
        case.entities.insert(
            "e-f".into(),
            Entity::new("e-f", EntityKind::Person, "Foxtrot"),
        );
    }
    mine.entities
        .insert("e-g".into(), Entity::new("e-g", EntityKind::Person, "Golf"));
    theirs.entities.insert(
        "e-g".into(),
        Entity::new("e-g", EntityKind::Person, "Golf Senior"),
    );
    // And one one-sided edit, still taken.
    rename(&mut theirs, "e-a", "Alpha Trading Co");
    let (b, m, t) = (
        write(dir.path(), "base.ron", &base),
        write(dir.path(), "mine.ron", &mine),
        write(dir.path(), "theirs.ron", &theirs),
    );
    let (code, text) = driver(&b, &m, &t);
    assert_eq!(code, 1, "{text}");
    let conflicts: Vec<&str> = text.lines().filter(|l| l.contains("conflict:")).collect();
    assert_eq!(conflicts.len(), 4, "{text}");
    for (id, why) in [
        ("e-c", "changed on both sides"),
        ("e-b", "changed here, deleted in theirs"),
        ("e-g", "added on both sides, differently"),
        ("e-e", "does not fit"),
    ] {
        assert!(
            conflicts.iter().any(|l| l.contains(id) && l.contains(why)),
            "{id}: {why}\n{text}"
        );
    }
    let merged = load_case(&m).expect("merged case loads");
    assert_eq!(merged.entities[&"e-c".into()].name, "Charlie Systems Ltd");
    assert_eq!(
        merged.entities[&"e-b".into()].name,
        "Bravo Logistics (renamed)"
    );
    assert_eq!(merged.entities[&"e-g".into()].name, "Golf");
    assert_eq!(merged.entities[&"e-a".into()].name, "Alpha Trading Co");
    assert!(
        merged.entities.contains_key(&"e-e".into()) && merged.links.contains_key(&"l-e-c".into())
    );
    assert_eq!(
        merged
            .entities
            .values()
            .filter(|e| e.name == "Foxtrot")
            .count(),
        1
    );

    // `chokepoint merge --base` merges the same way into a new file.
    let out = dir.path().join("out.ron");
    let (code, text) = run(&[
        "merge".as_ref(),
        m.as_os_str(),
        t.as_os_str(),
        "--base".as_ref(),
        b.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("0 change(s) taken") || text.contains("conflict"),
        "{text}"
    );
    assert!(load_case(&out).is_ok());
}

#[test]
fn unreadable_input_leaves_mine_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = base();
    let m = write(dir.path(), "mine.ron", &base);
    let before = std::fs::read(&m).expect("read");
    let bad = dir.path().join("theirs.ron");
    std::fs::write(&bad, "(not a case").expect("write");
    let b = write(dir.path(), "base.ron", &base);
    let (code, text) = driver(&b, &m, &bad);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("case.ron"), "{text}");
    assert_eq!(std::fs::read(&m).expect("read"), before);
    // An empty base (git's, when both sides added the file) is an empty case.
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").expect("write");
    let t = write(dir.path(), "theirs2.ron", &base);
    assert_eq!(driver(&empty, &m, &t).0, 0);
    let (code, text) = run(&["merge-driver".as_ref(), m.as_os_str()]);
    assert_eq!(code, 2);
    assert!(text.contains("usage"), "{text}");
}

fn git(repo: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(repo)
        .args([
            "-c",
            "user.name=Investigator",
            "-c",
            "user.email=investigator@example.org",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("run git")
}

fn git_ok(repo: &Path, args: &[&str]) {
    let out = git(repo, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A team keeps a case in git: two branches edit it, one deletes an entity; git merges it
/// through the driver, with only the real conflict left and the deletion kept.
#[test]
fn git_merges_a_case_through_the_driver() {
    if Command::new("git").arg("--version").output().is_err() {
        assert!(!common::in_ci(), "git is needed");
        eprintln!("SKIPPED: git not found");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    git_ok(repo, &["init", "-q"]);
    let driver = format!(
        "{} merge-driver %O %A %B %P",
        env!("CARGO_BIN_EXE_chokepoint")
    );
    git_ok(
        repo,
        &["config", "merge.chokepoint.name", "Chokepoint case merge"],
    );
    git_ok(repo, &["config", "merge.chokepoint.driver", &driver]);
    std::fs::write(repo.join(".gitattributes"), "*.ron merge=chokepoint\n").expect("write");
    let case_path = repo.join("case.ron");
    save_case(&case_path, &base()).expect("save");
    git_ok(repo, &["add", "case.ron", ".gitattributes"]);
    git_ok(repo, &["commit", "-q", "-m", "base"]);

    // Branch "field": renames Alpha, deletes Echo (and its link), renames Charlie.
    git_ok(repo, &["checkout", "-q", "-b", "field"]);
    let mut field = base();
    rename(&mut field, "e-a", "Alpha Trading (HK)");
    field.links.remove(&"l-e-a".into());
    field.entities.remove(&"e-e".into());
    rename(&mut field, "e-c", "Charlie Systems GmbH");
    save_case(&case_path, &field).expect("save");
    git_ok(repo, &["commit", "-q", "-am", "field notes"]);

    // Branch "main": renames Bravo and Charlie.
    git_ok(repo, &["checkout", "-q", "main"]);
    let mut desk = base();
    rename(&mut desk, "e-b", "Bravo Logistics Pte");
    rename(&mut desk, "e-c", "Charlie Systems Ltd");
    save_case(&case_path, &desk).expect("save");
    git_ok(repo, &["commit", "-q", "-am", "desk research"]);

    let out = git(repo, &["merge", "--no-edit", "field"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "Charlie conflicts:\n{text}");
    assert!(
        text.contains("e-c") && text.contains("changed on both sides"),
        "{text}"
    );
    let merged = load_case(&case_path).expect("the merged file is a valid case");
    assert_eq!(merged.entities[&"e-a".into()].name, "Alpha Trading (HK)");
    assert_eq!(merged.entities[&"e-b".into()].name, "Bravo Logistics Pte");
    assert_eq!(merged.entities[&"e-c".into()].name, "Charlie Systems Ltd");
    assert!(
        !merged.entities.contains_key(&"e-e".into()),
        "the deletion stays"
    );
    assert!(
        !std::fs::read_to_string(&case_path)
            .expect("read")
            .contains("<<<<<<<")
    );

    // Without the conflict, git merges cleanly.
    git_ok(repo, &["merge", "--abort"]);
    let mut desk = base();
    rename(&mut desk, "e-b", "Bravo Logistics Pte");
    save_case(&case_path, &desk).expect("save");
    git_ok(
        repo,
        &["commit", "-q", "-am", "desk research, Charlie left alone"],
    );
    git_ok(repo, &["merge", "-q", "--no-edit", "field"]);
    let merged = load_case(&case_path).expect("merged");
    assert_eq!(merged.entities[&"e-c".into()].name, "Charlie Systems GmbH");
    assert_eq!(merged.entities[&"e-b".into()].name, "Bravo Logistics Pte");
    assert!(!merged.entities.contains_key(&"e-e".into()));
}
