//! Storage errors during save: a full disk, a denied write, a missing folder. Each gives a
//! clear message, and the case file on disk stays exactly as it was.

use chokepoint::io::{FailingDisk, backup_path, load_case, save_case, save_case_via};
use chokepoint::model::Case;
use std::io::ErrorKind;

fn case_titled(title: &str) -> Case {
    let mut case = chokepoint::io::generate::generate_case(300, 5).expect("generated");
    case.meta.title = title.to_owned();
    case
}

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "tmp")
        })
        .collect()
}

#[test]
fn disk_full_mid_write_keeps_the_old_file_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    save_case(&path, &case_titled("Old")).expect("first save");
    let before = std::fs::read(&path).expect("read");

    for capacity in [0, 1, 4096, 50_000] {
        let disk = FailingDisk {
            capacity,
            error: ErrorKind::StorageFull,
        };
        let err = save_case_via(&disk, &path, &case_titled("New")).expect_err("disk is full");
        let message = err.to_string();
        assert!(message.contains("the disk is full"), "{message}");
        assert!(message.contains("case.ron"), "{message}");
        assert_eq!(
            std::fs::read(&path).expect("read"),
            before,
            "old file intact"
        );
        assert!(leftovers(dir.path()).is_empty(), "temporary file removed");
    }
    assert_eq!(load_case(&path).expect("loads").meta.title, "Old");
}

#[test]
fn permission_denied_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    save_case(&path, &case_titled("Old")).expect("first save");
    let disk = FailingDisk {
        capacity: 0,
        error: ErrorKind::PermissionDenied,
    };
    let err = save_case_via(&disk, &path, &case_titled("New")).expect_err("denied");
    assert!(err.to_string().contains("permission denied"), "{err}");
    assert_eq!(load_case(&path).expect("loads").meta.title, "Old");
}

#[test]
fn missing_folder_and_folder_as_target_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = save_case(&dir.path().join("gone").join("case.ron"), &Case::default())
        .expect_err("no folder");
    assert!(err.to_string().contains("folder does not exist"), "{err}");
    let err = save_case(dir.path(), &Case::default()).expect_err("a folder is not a file");
    assert!(!err.to_string().is_empty());
    assert!(dir.path().is_dir(), "the folder is untouched");
}

#[test]
fn a_successful_save_after_a_failed_one_works_and_keeps_a_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    save_case(&path, &case_titled("Old")).expect("first save");
    let disk = FailingDisk {
        capacity: 10,
        error: ErrorKind::StorageFull,
    };
    assert!(save_case_via(&disk, &path, &case_titled("Lost")).is_err());
    save_case(&path, &case_titled("New")).expect("disk has room again");
    assert_eq!(load_case(&path).expect("new").meta.title, "New");
    assert_eq!(
        load_case(&backup_path(&path)).expect("backup").meta.title,
        "Old"
    );
}
