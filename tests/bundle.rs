//! Case bundles: the seed case and its evidence round-trip through a bundle, with and without a
//! passphrase; hostile bundles (zip slip, absolute paths, links, too many files, zip bombs,
//! altered evidence, truncated or garbage files, wrong passphrases) are refused with their own
//! errors and leave nothing behind; and the `bundle` / `unbundle` commands.

use chokepoint::io::bundle::{
    BUNDLE_FORMAT_VERSION, BundleError, MAX_BUNDLE_ENTRIES, open_bundle, write_bundle,
};
use chokepoint::io::evidence::verify_case;
use chokepoint::io::load_case;
use chokepoint::model::Case;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

mod common;
use common::chokepoint;

const PASSPHRASE: &str = "correct horse battery staple";

fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/seed_kunlun_nest.ron")
}

fn seed_case() -> Case {
    load_case(&seed_path()).expect("the seed case loads")
}

/// The seed case's attached evidence files: (path in the case, bytes).
fn seed_evidence() -> Vec<(String, Vec<u8>)> {
    let case = seed_case();
    let dir = seed_path().parent().expect("folder").to_owned();
    let files: Vec<(String, Vec<u8>)> = case
        .evidence
        .values()
        .filter_map(|ev| {
            let path = ev.stored_file()?.path;
            Some((
                path.to_owned(),
                std::fs::read(dir.join(path)).expect("read"),
            ))
        })
        .collect();
    assert!(!files.is_empty(), "the seed case has an attached file");
    files
}

/// Names in `dir`, sorted: after a refused open only the bundle itself may be there.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A zip made by hand, for bundles Chokepoint would never write.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("start");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

/// The seed case and its evidence as zip entries, plus `extra`.
fn seed_entries_with<'a>(
    case_text: &'a [u8],
    evidence: &'a [(String, Vec<u8>)],
    extra: &[(&'a str, &'a [u8])],
) -> Vec<(&'a str, &'a [u8])> {
    let mut entries: Vec<(&str, &[u8])> = vec![("case.ron", case_text)];
    entries.extend(evidence.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    entries.extend_from_slice(extra);
    entries
}

/// Opens `bytes` as a bundle in a fresh folder and returns the error; checks that nothing was
/// left behind.
fn refuse(bytes: &[u8], passphrase: Option<&str>) -> BundleError {
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("hostile.cpbundle");
    std::fs::write(&bundle, bytes).expect("write");
    let dest = dir.path().join("opened");
    let err = open_bundle(&bundle, &dest, passphrase).expect_err("refused");
    assert!(!dest.exists(), "a refused bundle leaves no folder: {err}");
    assert_eq!(
        names_in(dir.path()),
        ["hostile.cpbundle"],
        "nothing half-written beside it: {err}"
    );
    err
}

fn assert_round_trip(passphrase: Option<&str>) {
    let case = seed_case();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("kunlun.cpbundle");
    let summary = write_bundle(&seed_path(), &case, &out, passphrase).expect("bundle");
    assert_eq!(summary.encrypted, passphrase.is_some());
    assert_eq!(summary.evidence_files, seed_evidence().len());
    assert_eq!(
        summary.bundle_bytes,
        std::fs::metadata(&out).expect("bundle").len()
    );
    assert_eq!(
        names_in(dir.path()),
        ["kunlun.cpbundle"],
        "no temporary file"
    );

    let bytes = std::fs::read(&out).expect("read");
    if passphrase.is_some() {
        assert!(bytes.starts_with(b"age-encryption.org/v1\n"));
        let needle = b"Kunlun";
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "nothing readable in an encrypted bundle"
        );
    } else {
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }

    let dest = dir.path().join("opened");
    let opened = open_bundle(&out, &dest, passphrase).expect("open");
    assert_eq!(opened.case, case, "the extracted case equals the original");
    assert_eq!(opened.case_path, dest.join("case.ron"));
    assert_eq!(load_case(&opened.case_path).expect("loads"), case);
    assert_eq!(opened.encrypted, passphrase.is_some());
    assert_eq!(opened.evidence_files, summary.evidence_files);
    assert!(opened.unreferenced_files.is_empty());
    let manifest = opened.manifest.expect("a manifest");
    assert_eq!(manifest.format_version, BUNDLE_FORMAT_VERSION);
    assert_eq!(manifest.case_title, case.meta.title);
    assert_eq!(manifest.evidence_files, summary.evidence_files);
    let reports = verify_case(&opened.case, &dest);
    assert!(!reports.is_empty());
    assert!(
        reports.iter().all(|r| r.status.is_ok()),
        "every evidence file verifies: {reports:?}"
    );
    for (path, original) in seed_evidence() {
        assert_eq!(
            std::fs::read(dest.join(&path)).expect("extracted"),
            original
        );
    }
    let mut left = names_in(dir.path());
    left.retain(|n| n.starts_with('.'));
    assert!(left.is_empty(), "no temporary folder left: {left:?}");
}

#[test]
fn the_seed_case_round_trips_without_a_passphrase() {
    assert_round_trip(None);
}

#[test]
fn the_seed_case_round_trips_encrypted() {
    assert_round_trip(Some(PASSPHRASE));
}

#[test]
fn wrong_or_missing_passphrase_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("secret.cpbundle");
    write_bundle(&seed_path(), &seed_case(), &out, Some(PASSPHRASE)).expect("bundle");
    let bytes = std::fs::read(&out).expect("read");

    let err = refuse(&bytes, Some("not the passphrase"));
    assert!(matches!(err, BundleError::WrongPassphrase { .. }), "{err}");
    assert!(err.to_string().contains("wrong passphrase"), "{err}");

    let err = refuse(&bytes, None);
    assert!(matches!(err, BundleError::NeedsPassphrase { .. }), "{err}");
    assert!(err.to_string().contains("is encrypted"), "{err}");
    let err = refuse(&bytes, Some(""));
    assert!(matches!(err, BundleError::NeedsPassphrase { .. }), "{err}");

    // An encrypted bundle cut short: the right passphrase, but the data is not all there.
    let err = refuse(&bytes[..bytes.len() - 100], Some(PASSPHRASE));
    assert!(matches!(err, BundleError::Damaged { .. }), "{err}");

    // A byte changed inside the encrypted data: authenticated encryption notices.
    let mut altered = bytes.clone();
    let at = altered.len() - 50;
    altered[at] ^= 0x01;
    let err = refuse(&altered, Some(PASSPHRASE));
    assert!(matches!(err, BundleError::Damaged { .. }), "{err}");
}

#[test]
fn the_scrypt_work_a_bundle_may_ask_for_is_a_fixed_cap() {
    use chokepoint::io::bundle::MAX_SCRYPT_LOG_N;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("secret.cpbundle");
    write_bundle(&seed_path(), &seed_case(), &out, Some(PASSPHRASE)).expect("bundle");
    let bytes = std::fs::read(&out).expect("read");
    // The age header names the work: a line "-> scrypt SALT LOG_N".
    let stanza = b"-> scrypt ";
    let at = bytes
        .windows(stanza.len())
        .position(|w| w == stanza)
        .expect("a scrypt stanza");
    let end = at
        + bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("end of line");
    let digits = at
        + bytes[at..end]
            .iter()
            .rposition(|&b| b == b' ')
            .expect("space")
        + 1;
    let written: u8 = std::str::from_utf8(&bytes[digits..end])
        .expect("ascii")
        .parse()
        .expect("a number");
    assert!(
        written <= MAX_SCRYPT_LOG_N,
        "our own bundles open: {written}"
    );

    // One step above the cap is refused before any work, however fast or busy this machine
    // is at the moment (the cap is not timed from a sample).
    let mut asking = bytes[..digits].to_vec();
    asking.extend_from_slice((MAX_SCRYPT_LOG_N + 1).to_string().as_bytes());
    asking.extend_from_slice(&bytes[end..]);
    let err = refuse(&asking, Some(PASSPHRASE));
    assert!(matches!(err, BundleError::Encryption { .. }), "{err}");
    assert!(err.to_string().contains("far more work"), "{err}");
}

#[test]
fn a_passphrase_is_not_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.cpbundle");
    let err = write_bundle(&seed_path(), &seed_case(), &out, Some("")).expect_err("empty");
    assert!(matches!(err, BundleError::EmptyPassphrase), "{err}");
    assert!(!out.exists());
}

/// The seed case copied into a fresh folder with its evidence, to damage on purpose.
fn seed_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let case_path = dir.path().join("case.ron");
    std::fs::copy(seed_path(), &case_path).expect("copy");
    std::fs::create_dir(dir.path().join("evidence")).expect("mkdir");
    for (path, bytes) in seed_evidence() {
        std::fs::write(dir.path().join(path), bytes).expect("write");
    }
    (dir, case_path)
}

#[test]
fn missing_or_changed_evidence_is_named_and_no_bundle_is_written() {
    let (dir, case_path) = seed_copy();
    let (path, _) = seed_evidence().remove(0);
    let case = load_case(&case_path).expect("loads");
    let out = dir.path().join("out.cpbundle");

    std::fs::remove_file(dir.path().join(&path)).expect("remove");
    let err = write_bundle(&case_path, &case, &out, None).expect_err("missing evidence");
    assert!(matches!(err, BundleError::EvidenceProblems { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains(&path) && message.contains("missing"),
        "{message}"
    );
    assert!(!out.exists());

    std::fs::write(dir.path().join(&path), b"not what was attached").expect("write");
    let err = write_bundle(&case_path, &case, &out, None).expect_err("changed evidence");
    let message = err.to_string();
    assert!(
        message.contains(&path) && message.contains("modified"),
        "{message}"
    );
    assert!(!out.exists());
    let leftovers: Vec<String> = names_in(dir.path())
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn names_that_differ_only_in_case_are_not_bundled() {
    // They are two files on Linux, one on Windows and macOS: such a bundle could not open there.
    let (dir, case_path) = seed_copy();
    let mut case = load_case(&case_path).expect("loads");
    for (name, text) in [("Invoice.txt", "one"), ("invoice.txt", "two")] {
        let source = dir.path().join(format!("source-{text}"));
        std::fs::create_dir(&source).expect("mkdir");
        std::fs::write(source.join(name), text).expect("write");
        let attached = chokepoint::io::evidence::attach_file(
            &case,
            dir.path(),
            &source.join(name),
            "tester",
            chokepoint::model::Timestamp::from_unix(1_700_000_000),
        )
        .expect("attach");
        case.apply(attached.edit()).expect("apply");
    }
    let out = dir.path().join("out.cpbundle");
    let err = write_bundle(&case_path, &case, &out, None).expect_err("refused");
    assert!(matches!(err, BundleError::EvidenceProblems { .. }), "{err}");
    assert!(err.to_string().contains("upper and lower case"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_bundle_never_overwrites_its_own_case() {
    let (_dir, case_path) = seed_copy();
    let case = load_case(&case_path).expect("loads");
    let err = write_bundle(&case_path, &case, &case_path, None).expect_err("refused");
    assert!(
        matches!(err, BundleError::WouldOverwriteCase { .. }),
        "{err}"
    );
    assert_eq!(load_case(&case_path).expect("still a case"), case);
}

#[test]
fn zip_slip_and_absolute_paths_are_refused() {
    let case_text = std::fs::read(seed_path()).expect("read");
    let evidence = seed_evidence();
    for name in [
        "../evil",
        "evidence/../../evil",
        "/etc/evil",
        "evidence\\..\\..\\evil",
        "C:/evil",
        "C:\\evil",
        "evidence/./x",
        "evidence//x",
    ] {
        let bytes = zip_of(&seed_entries_with(&case_text, &evidence, &[(name, b"x")]));
        let err = refuse(&bytes, None);
        assert!(
            matches!(&err, BundleError::UnsafePath { name: n, .. } if n == name),
            "{name}: {err}"
        );
        assert!(err.to_string().contains("unsafe file name"), "{err}");
    }
}

#[test]
fn control_characters_in_names_are_refused_and_never_printed_raw() {
    // An escape sequence in a name could recolour or rewrite the user's terminal.
    let case_text = std::fs::read(seed_path()).expect("read");
    let bytes = zip_of(&[("case.ron", &case_text), ("evidence/\u{1b}[2Jx", b"x")]);
    let err = refuse(&bytes, None);
    assert!(matches!(err, BundleError::UnsafePath { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("control character U+001B"), "{message}");
    assert!(
        message.contains("\\u{1b}[2Jx") && !message.contains('\u{1b}'),
        "{message}"
    );
}

#[test]
fn unexpected_names_are_refused() {
    let case_text = std::fs::read(seed_path()).expect("read");
    let evidence = seed_evidence();
    for name in ["run.sh", "evidence", "Case.ron", "notes/x.txt"] {
        let bytes = zip_of(&seed_entries_with(&case_text, &evidence, &[(name, b"x")]));
        let err = refuse(&bytes, None);
        assert!(
            matches!(err, BundleError::UnexpectedEntry { .. }),
            "{name}: {err}"
        );
    }
}

#[test]
fn links_and_special_entries_are_refused() {
    let case_text = std::fs::read(seed_path()).expect("read");
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    zip.start_file("case.ron", options).expect("start");
    zip.write_all(&case_text).expect("write");
    zip.add_symlink("evidence/passwd", "/etc/passwd", options)
        .expect("link");
    let bytes = zip.finish().expect("finish").into_inner();
    let err = refuse(&bytes, None);
    assert!(
        matches!(&err, BundleError::NotARegularFile { name, kind, .. }
            if name == "evidence/passwd" && *kind == "a symbolic link"),
        "{err}"
    );

    // A named pipe, by its Unix mode.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("case.ron", options).expect("start");
    zip.write_all(&case_text).expect("write");
    // The mode sits in the upper half of the external attributes (`unix_permissions` would
    // keep only the permission bits).
    let fifo = options
        .system(zip::System::Unix)
        .external_attributes(0o010_644 << 16);
    zip.start_file("evidence/pipe", fifo).expect("start");
    let bytes = zip.finish().expect("finish").into_inner();
    let err = refuse(&bytes, None);
    assert!(
        matches!(
            err,
            BundleError::NotARegularFile {
                kind: "a named pipe",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn duplicate_names_are_refused() {
    let case_text = std::fs::read(seed_path()).expect("read");
    let evidence = seed_evidence();
    // Names that differ only in case would overwrite each other on Windows and macOS.
    let bytes = zip_of(&seed_entries_with(
        &case_text,
        &evidence,
        &[("evidence/A.txt", b"one"), ("evidence/a.txt", b"two")],
    ));
    let err = refuse(&bytes, None);
    assert!(
        matches!(&err, BundleError::DuplicateEntry { name, .. } if name == "evidence/a.txt"),
        "{err}"
    );

    // The same name twice: no zip library writes that, so rename an entry in the bytes.
    let mut bytes = zip_of(&[("case.ron", &case_text), ("casX.ron", b"(")]);
    let mut renamed = 0;
    for i in 0..bytes.len() - 8 {
        if &bytes[i..i + 8] == b"casX.ron" {
            bytes[i + 3] = b'e';
            renamed += 1;
        }
    }
    assert_eq!(renamed, 2, "local header and central directory");
    let err = refuse(&bytes, None);
    assert!(matches!(err, BundleError::DuplicateNames { .. }), "{err}");

    // A file that is also a folder on the way to another file.
    let bytes = zip_of(&[
        ("case.ron", &case_text),
        ("evidence/a", b"file"),
        ("evidence/a/b", b"file below it"),
    ]);
    let err = refuse(&bytes, None);
    assert!(matches!(err, BundleError::DuplicateEntry { .. }), "{err}");
}

#[test]
fn too_many_entries_are_refused_before_anything_is_read() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("case.ron", options).expect("start");
    for i in 0..MAX_BUNDLE_ENTRIES {
        zip.start_file(format!("evidence/f{i}.txt"), options)
            .expect("start");
    }
    let bytes = zip.finish().expect("finish").into_inner();
    let err = refuse(&bytes, None);
    assert!(
        matches!(err, BundleError::TooManyEntries { count, .. } if count == MAX_BUNDLE_ENTRIES + 1),
        "{err}"
    );
}

#[test]
fn a_zip_bomb_is_refused_by_its_ratio() {
    let case_text = std::fs::read(seed_path()).expect("read");
    let zeros = vec![0u8; 50_000_000];
    let bytes = zip_of(&[("case.ron", &case_text), ("evidence/zeros.bin", &zeros)]);
    assert!(
        bytes.len() < 1_000_000,
        "50 MB of zeros deflate to almost nothing"
    );
    let err = refuse(&bytes, None);
    assert!(matches!(err, BundleError::CompressionRatio { .. }), "{err}");
    assert!(err.to_string().contains("zip bomb"), "{err}");
}

#[test]
fn very_compressible_evidence_still_bundles_and_opens() {
    // 40 MB of zeros is real (if odd) evidence: the writer stores it rather than deflating it
    // past the ratio the reader accepts.
    let (dir, case_path) = seed_copy();
    let zeros = dir.path().join("evidence/blank-scan.raw");
    std::fs::write(&zeros, vec![0u8; 40_000_000]).expect("write");
    let mut case = load_case(&case_path).expect("loads");
    let attached = chokepoint::io::evidence::attach_file(
        &case,
        dir.path(),
        &zeros,
        "tester",
        chokepoint::model::Timestamp::from_unix(1_700_000_000),
    )
    .expect("attach");
    std::fs::remove_file(&zeros).expect("remove the source");
    case.apply(attached.edit()).expect("apply");
    let out = dir.path().join("big.cpbundle");
    let summary = write_bundle(&case_path, &case, &out, None).expect("bundle");
    assert!(summary.bundle_bytes > 40_000_000, "stored, not deflated");
    let opened = open_bundle(&out, &dir.path().join("opened"), None).expect("opens");
    assert_eq!(opened.case, case);
}

#[test]
fn altered_evidence_is_refused_naming_the_file() {
    let case_text = std::fs::read(seed_path()).expect("read");
    let mut evidence = seed_evidence();
    evidence[0].1.extend_from_slice(b" (edited)");
    let bytes = zip_of(&seed_entries_with(&case_text, &evidence, &[]));
    let err = refuse(&bytes, None);
    assert!(matches!(err, BundleError::EvidenceMismatch { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains(&evidence[0].0) && message.contains("altered"),
        "{message}"
    );

    // And a file the case names that is not in the bundle.
    let bytes = zip_of(&[("case.ron", &case_text)]);
    let err = refuse(&bytes, None);
    assert!(err.to_string().contains("missing from the bundle"), "{err}");
}

#[test]
fn truncated_garbage_and_empty_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("b.cpbundle");
    write_bundle(&seed_path(), &seed_case(), &out, None).expect("bundle");
    let bytes = std::fs::read(&out).expect("read");

    for cut in [bytes.len() / 2, bytes.len() - 10, 30] {
        let err = refuse(&bytes[..cut], None);
        assert!(
            matches!(err, BundleError::Damaged { .. }),
            "cut at {cut}: {err}"
        );
        assert!(err.to_string().contains("damaged"), "{err}");
    }

    let err = refuse(b"this is not a bundle at all", None);
    assert!(matches!(err, BundleError::NotABundle { .. }), "{err}");
    let err = refuse(&[0xff; 4096], Some(PASSPHRASE));
    assert!(matches!(err, BundleError::NotABundle { .. }), "{err}");
    let err = refuse(b"", None);
    assert!(matches!(err, BundleError::EmptyFile { .. }), "{err}");

    // A zip without a case, and one whose case does not load.
    let err = refuse(&zip_of(&[("manifest.ron", b"()")]), None);
    assert!(matches!(err, BundleError::MissingCase { .. }), "{err}");
    let err = refuse(
        &zip_of(&[("case.ron", b"(format_version: 2, meta: (title: 5))")]),
        None,
    );
    assert!(matches!(err, BundleError::InvalidCase { .. }), "{err}");
    assert!(err.to_string().contains("case.ron in"), "{err}");
}

#[test]
fn a_bundle_opens_only_into_a_new_or_empty_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("b.cpbundle");
    write_bundle(&seed_path(), &seed_case(), &out, None).expect("bundle");

    let busy = dir.path().join("busy");
    std::fs::create_dir(&busy).expect("mkdir");
    std::fs::write(busy.join("keep.txt"), b"mine").expect("write");
    let err = open_bundle(&out, &busy, None).expect_err("not empty");
    assert!(
        matches!(err, BundleError::DestinationNotEmpty { .. }),
        "{err}"
    );
    assert_eq!(names_in(&busy), ["keep.txt"]);

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let opened = open_bundle(&out, &empty, None).expect("an empty folder is fine");
    assert!(opened.case_path.is_file());

    let err = open_bundle(&out, &dir.path().join("no/such/parent"), None).expect_err("parent");
    assert!(
        matches!(err, BundleError::DestinationParentMissing { .. }),
        "{err}"
    );
}

// ------------------------------------------------------------------------------------------
// The command line

#[test]
fn cli_bundles_and_unbundles_with_a_passphrase_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = dir.path().join("pass.txt");
    std::fs::write(&pass, format!("{PASSPHRASE}\nsecond line ignored\n")).expect("write");
    let out = dir.path().join("k.cpbundle");
    let run = chokepoint()
        .arg("bundle")
        .arg(seed_path())
        .arg("-o")
        .arg(&out)
        .arg("--passphrase-file")
        .arg(&pass)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("encrypted with the passphrase"), "{stdout}");
    assert!(!stdout.contains(PASSPHRASE));

    // Without the passphrase: a clear error that says how to give it.
    let dest = dir.path().join("opened");
    let run = chokepoint()
        .arg("unbundle")
        .arg(&out)
        .arg("-o")
        .arg(&dest)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("is encrypted") && stderr.contains("--passphrase-file"),
        "{stderr}"
    );
    assert!(!dest.exists());

    // A wrong one.
    let wrong = dir.path().join("wrong.txt");
    std::fs::write(&wrong, "guess\n").expect("write");
    let run = chokepoint()
        .arg("unbundle")
        .arg(&out)
        .arg("-o")
        .arg(&dest)
        .arg("--passphrase-file")
        .arg(&wrong)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("wrong passphrase"));
    assert!(!dest.exists());

    // The right one.
    let run = chokepoint()
        .arg("unbundle")
        .arg(&out)
        .arg("-o")
        .arg(&dest)
        .arg("--passphrase-file")
        .arg(&pass)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("match their SHA-256"), "{stdout}");
    assert_eq!(
        load_case(&dest.join("case.ron")).expect("loads"),
        seed_case()
    );

    // The extracted case passes `check --strict`: its evidence is where it should be.
    let run = chokepoint()
        .args(["check", "--strict"])
        .arg(dest.join("case.ron"))
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn cli_refuses_hostile_bundles_and_bad_usage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case_text = std::fs::read(seed_path()).expect("read");
    let bad = dir.path().join("slip.cpbundle");
    std::fs::write(&bad, zip_of(&[("case.ron", &case_text), ("../evil", b"x")])).expect("write");
    let dest = dir.path().join("opened");
    let run = chokepoint()
        .arg("unbundle")
        .arg(&bad)
        .arg("-o")
        .arg(&dest)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("unsafe file name \"../evil\""), "{stderr}");
    assert!(!dest.exists());
    assert!(!dir.path().parent().expect("parent").join("evil").exists());

    // A passphrase is never an argument; missing -o is a usage error.
    for args in [
        vec![
            "bundle",
            "x.ron",
            "-o",
            "y.cpbundle",
            "--passphrase",
            "secret",
        ],
        vec!["bundle", "x.ron"],
        vec!["unbundle", "x.cpbundle"],
    ] {
        let run = chokepoint().args(&args).output().expect("runs");
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&run.stderr).contains("usage: chokepoint"));
    }

    // An empty passphrase file.
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n").expect("write");
    let run = chokepoint()
        .arg("bundle")
        .arg(seed_path())
        .arg("-o")
        .arg(dir.path().join("x.cpbundle"))
        .arg("--passphrase-file")
        .arg(&empty)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("first line of the passphrase file is empty")
    );
}

// ------------------------------------------------------------------------------------------
// Random damage (a small in-process stand-in for the `bundle_open` fuzz target)

/// The seed case's bundle, written once.
fn seed_bundle_bytes() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("seed.cpbundle");
        write_bundle(&seed_path(), &seed_case(), &out, None).expect("bundle");
        std::fs::read(&out).expect("read")
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Flipped bytes and cuts anywhere in a real bundle: never a panic, and a refused bundle
    /// leaves nothing behind; whatever opens is the intact case.
    #[test]
    fn damaged_bundles_are_refused_cleanly(
        flips in proptest::collection::vec(
            (proptest::prelude::any::<proptest::sample::Index>(), 1u8..=255), 0..6),
        cut in proptest::option::of(proptest::prelude::any::<proptest::sample::Index>()),
    ) {
        let mut bytes = seed_bundle_bytes().to_vec();
        for (at, mask) in &flips {
            let i = at.index(bytes.len());
            bytes[i] ^= mask;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let bundle = dir.path().join("damaged.cpbundle");
        std::fs::write(&bundle, &bytes).expect("write");
        let dest = dir.path().join("opened");
        match open_bundle(&bundle, &dest, None) {
            Ok(opened) => proptest::prop_assert_eq!(opened.case, seed_case()),
            Err(err) => {
                proptest::prop_assert!(!dest.exists(), "{}", err);
                proptest::prop_assert_eq!(names_in(dir.path()), ["damaged.cpbundle"]);
            }
        }
    }
}
