//! Evidence files beside the case: attaching a file (copied into `evidence/` with its SHA-256),
//! keeping evidence paths inside the case folder, verifying files against their hashes, and
//! building the edits that change evidence together with their custody-log entry.
//!
//! Every change to evidence made here is one `Edit::Batch` of the change and an
//! `Edit::AppendCustody`, so it is one undo step and undo takes back its log line with it (see
//! `edit::custody`). Nothing here touches egui; the CLI, the app and the tests share it.

use crate::edit::{Edit, is_safe_relative_path};
use crate::model::{
    Case, CustodyAction, CustodyEntry, Evidence, EvidenceId, EvidenceKind, EvidenceSource,
    Timestamp,
};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The folder beside the case file that holds attached evidence files.
pub const EVIDENCE_DIR: &str = "evidence";

/// Who the custody log names when the investigator has not set a name in Settings.
pub const UNKNOWN_INVESTIGATOR: &str = "(investigator name not set)";

/// Why an evidence path was refused: it could reach outside the case folder.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("the evidence path is empty")]
    Empty,
    #[error("\"{0}\" is an absolute path: evidence paths must be relative to the case folder")]
    Absolute(String),
    #[error("\"{0}\" climbs out of the case folder with \"..\": refused")]
    ParentDir(String),
    #[error(
        "\"{0}\" is not a plain relative path (no backslashes, drive letters, \".\" or empty parts): refused"
    )]
    Malformed(String),
    #[error(
        "\"{path}\" resolves to {target}, outside the case folder (through a symbolic link): refused"
    )]
    Escapes { path: String, target: String },
}

/// Checks an evidence path as written in the case, without touching the disk.
pub fn check_relative_path(path: &str) -> Result<(), PathError> {
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    let shown = || path.chars().take(200).collect::<String>();
    if path.starts_with('/') || path.starts_with('\\') || Path::new(path).is_absolute() {
        return Err(PathError::Absolute(shown()));
    }
    if path.split(['/', '\\']).any(|part| part == "..") {
        return Err(PathError::ParentDir(shown()));
    }
    if !is_safe_relative_path(path) {
        return Err(PathError::Malformed(shown()));
    }
    Ok(())
}

/// The file an evidence path names, after checking that neither the path nor any symbolic link
/// on the way leads outside `case_dir`. The file itself need not exist (it may be missing).
pub fn resolve_evidence_path(case_dir: &Path, path: &str) -> Result<PathBuf, PathError> {
    check_relative_path(path)?;
    let full = case_dir.join(path);
    let Ok(root) = case_dir.canonicalize() else {
        // No case folder on disk: nothing to follow, and the lexical check passed.
        return Ok(full);
    };
    // The deepest part of the path that exists decides where it really leads.
    let existing = full
        .ancestors()
        .find(|p| p.symlink_metadata().is_ok())
        .unwrap_or(case_dir);
    match existing.canonicalize() {
        Ok(target) if target.starts_with(&root) => Ok(full),
        Ok(target) => Err(PathError::Escapes {
            path: path.to_owned(),
            target: target.display().to_string(),
        }),
        // A dangling symbolic link: where it points is not inside anything we can vouch for.
        Err(_) => Err(PathError::Escapes {
            path: path.to_owned(),
            target: "a missing target".to_owned(),
        }),
    }
}

/// The folder a case file lives in (the current folder for a bare file name).
pub fn case_folder(case_file: &Path) -> PathBuf {
    match case_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// SHA-256 of `bytes`, as 64 lower-case hexadecimal digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// SHA-256 and size of a file, read in blocks so large videos do not fill memory.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = super::input::open_regular(path).map_err(super::input::InputError::into_io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex(&hasher.finalize()), size))
}

/// What checking one evidence file against its recorded hash found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Integrity {
    /// The file is there with the recorded hash.
    Ok,
    /// No file at the recorded path.
    Missing,
    /// The file is there but its content changed since it was attached.
    /// `sha256` is `None` when the size alone showed the change (the file was not read).
    Modified {
        sha256: Option<String>,
        size_bytes: u64,
    },
    /// The recorded path could lead outside the case folder; it was not read.
    UnsafePath(String),
    /// The file is there but could not be read.
    Unreadable(String),
}

impl Integrity {
    pub fn is_ok(&self) -> bool {
        matches!(self, Integrity::Ok)
    }

    /// One word for reports: ok, missing, modified, unsafe path, unreadable.
    pub fn label(&self) -> &'static str {
        match self {
            Integrity::Ok => "ok",
            Integrity::Missing => "missing",
            Integrity::Modified { .. } => "modified",
            Integrity::UnsafePath(_) => "unsafe path",
            Integrity::Unreadable(_) => "unreadable",
        }
    }

    /// A sentence for the user, naming what is wrong.
    pub fn explain(&self) -> String {
        match self {
            Integrity::Ok => "the file matches its recorded SHA-256".to_owned(),
            Integrity::Missing => "the file is missing from the case folder".to_owned(),
            Integrity::Modified {
                sha256: Some(sha256),
                size_bytes,
            } => format!(
                "the file changed since it was attached (now {size_bytes} bytes, SHA-256 {sha256})"
            ),
            Integrity::Modified {
                sha256: None,
                size_bytes,
            } => format!(
                "the file changed since it was attached: it is now {size_bytes} bytes, not the \
                 size recorded (so it was not read to hash it)"
            ),
            Integrity::UnsafePath(m) => m.clone(),
            Integrity::Unreadable(m) => format!("the file cannot be read: {m}"),
        }
    }
}

/// The integrity of one file-backed evidence item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegrityReport {
    pub evidence: EvidenceId,
    pub path: String,
    pub status: Integrity,
}

/// Checks one evidence file under `case_dir` against its recorded hash and size.
pub fn verify_file(case_dir: &Path, path: &str, sha256: &str, size_bytes: u64) -> Integrity {
    let full = match resolve_evidence_path(case_dir, path) {
        Ok(p) => p,
        Err(e) => return Integrity::UnsafePath(e.to_string()),
    };
    match std::fs::metadata(&full) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Integrity::Missing,
        Err(e) => return Integrity::Unreadable(e.to_string()),
        Ok(m) if !m.is_file() => {
            return Integrity::Unreadable("it is not a regular file".to_owned());
        }
        // A different size is a different file: no need to read (a 20 GiB video took 20 s).
        Ok(m) if m.len() != size_bytes => {
            return Integrity::Modified {
                sha256: None,
                size_bytes: m.len(),
            };
        }
        Ok(_) => {}
    }
    match hash_file(&full) {
        Ok((actual, size)) if actual.eq_ignore_ascii_case(sha256) && size == size_bytes => {
            Integrity::Ok
        }
        Ok((actual, size)) => Integrity::Modified {
            sha256: Some(actual),
            size_bytes: size,
        },
        Err(e) => Integrity::Unreadable(e.to_string()),
    }
}

/// Checks every file-backed evidence item of `case` (in id order) against its hash.
pub fn verify_case(case: &Case, case_dir: &Path) -> Vec<IntegrityReport> {
    case.evidence
        .values()
        .filter_map(|ev| {
            let file = ev.stored_file()?;
            Some(IntegrityReport {
                evidence: ev.id.clone(),
                path: file.path.to_owned(),
                status: verify_file(case_dir, file.path, file.sha256, file.size_bytes),
            })
        })
        .collect()
}

/// Why a file could not be attached. Nothing is left behind in `evidence/` when this is
/// returned.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("{0} is not a file")]
    NotAFile(PathBuf),
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{0}")]
    Unsafe(#[from] PathError),
}

fn io_error(path: &Path, e: &std::io::Error) -> AttachError {
    AttachError::Io {
        path: path.to_owned(),
        message: crate::io::describe_io_error(e),
    }
}

/// A file copied into the case's evidence folder, with the evidence item and custody entry
/// that record it. Nothing is in the case until [`Attachment::edit`] is applied.
#[derive(Debug)]
pub struct Attachment {
    /// The new item; the caller may grade it or add claims before applying the edit.
    pub evidence: Evidence,
    pub custody: CustodyEntry,
    /// Where the copy was written.
    pub stored: PathBuf,
}

impl Attachment {
    /// Inserts the evidence and appends its custody entry: one undo step.
    pub fn edit(&self) -> Edit {
        Edit::Batch(vec![
            Edit::Insert(self.evidence.clone().into()),
            Edit::AppendCustody(Box::new(self.custody.clone())),
        ])
    }

    /// Removes the copy again, when the edit was not applied after all.
    pub fn discard(&self) {
        let _ = std::fs::remove_file(&self.stored);
    }
}

/// A guess at the kind of evidence from a file name's extension.
pub fn kind_for_file(name: &str) -> EvidenceKind {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "bmp" | "tif" | "tiff" | "heic" => {
            EvidenceKind::Image
        }
        "mp4" | "mov" | "webm" | "mkv" | "avi" | "m4v" => EvidenceKind::Video,
        "html" | "htm" | "mhtml" | "warc" => EvidenceKind::WebPage,
        _ => EvidenceKind::Document,
    }
}

/// A file name safe to create in `evidence/`: ASCII letters, digits, `-` and `_` with the
/// extension kept, other characters folded to `-`; never empty, never starting with a dot.
fn safe_file_name(original: &str) -> String {
    fn clean(part: &str, max: usize) -> String {
        let mut out = String::new();
        for c in part.chars() {
            let c = if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            };
            if !(c == '-' && (out.is_empty() || out.ends_with('-'))) && out.len() < max {
                out.push(c);
            }
        }
        out.trim_end_matches('-').to_owned()
    }
    let trimmed = original.trim_start_matches('.');
    let (stem, ext) = match trimmed.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext)),
        _ => (trimmed, None),
    };
    let mut name = clean(stem, 80);
    if name.is_empty() {
        name = "file".to_owned();
    }
    if let Some(ext) = ext.map(|e| clean(e, 10)).filter(|e| !e.is_empty()) {
        name = format!("{name}.{}", ext.to_ascii_lowercase());
    }
    name
}

/// The `n`-th candidate name: `name`, then `stem-2.ext`, `stem-3.ext` ...
fn numbered(name: &str, n: u32) -> String {
    if n == 1 {
        return name.to_owned();
    }
    let p = Path::new(name);
    match (p.file_stem(), p.extension()) {
        (Some(stem), Some(ext)) => {
            format!("{}-{n}.{}", stem.to_string_lossy(), ext.to_string_lossy())
        }
        _ => format!("{name}-{n}"),
    }
}

/// Copies `source` into `case_dir/evidence/` under a name not used yet (never overwriting),
/// hashing it as it is copied, and returns the evidence item and the edit that adds it with its
/// custody entry. Nothing is added to the case here: the caller applies `edit`.
pub fn attach_file(
    case: &Case,
    case_dir: &Path,
    source: &Path,
    who: &str,
    now: Timestamp,
) -> Result<Attachment, AttachError> {
    let meta = std::fs::metadata(source).map_err(|e| io_error(source, &e))?;
    if !meta.is_file() {
        return Err(AttachError::NotAFile(source.to_owned()));
    }
    let original_name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = case_dir.join(EVIDENCE_DIR);
    // The evidence folder itself must not be a link to somewhere else.
    resolve_evidence_path(case_dir, EVIDENCE_DIR)?;
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &e))?;
    resolve_evidence_path(case_dir, EVIDENCE_DIR)?;

    // Checked again on the opened file: a pipe swapped in after the check cannot hang us.
    let mut input = super::input::open_regular(source).map_err(|e| match e {
        super::input::InputError::NotRegular { .. } => AttachError::NotAFile(source.to_owned()),
        other => io_error(source, &other.into_io()),
    })?;
    let base = safe_file_name(&original_name);
    let (relative, stored, mut output) = (1..=10_000)
        .find_map(|n| {
            let name = numbered(&base, n);
            let stored = dir.join(&name);
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&stored)
            {
                Ok(f) => Some(Ok((format!("{EVIDENCE_DIR}/{name}"), stored, f))),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
                Err(e) => Some(Err(io_error(&stored, &e))),
            }
        })
        .unwrap_or_else(|| {
            Err(AttachError::Io {
                path: dir.clone(),
                message: "no free file name left for this file".to_owned(),
            })
        })?;

    let copied = copy_hashing(&mut input, &mut output);
    let (sha256, size_bytes) = match copied {
        Ok(x) => x,
        Err(e) => {
            drop(output);
            let _ = std::fs::remove_file(&stored);
            return Err(io_error(&stored, &e));
        }
    };
    drop(output);

    let title = if original_name.is_empty() {
        relative.clone()
    } else {
        original_name.clone()
    };
    let id = EvidenceId(Case::fresh_id(EvidenceId::PREFIX, &title, |id| {
        case.evidence.contains_key(&EvidenceId::from(id))
    }));
    let evidence = Evidence {
        id,
        title,
        kind: kind_for_file(&original_name),
        source: EvidenceSource::File {
            path: relative.clone(),
            sha256: sha256.clone(),
            size_bytes,
            original_name: original_name.clone(),
        },
        captured: Some(now),
        marking: case.meta.marking,
        ..Evidence::default()
    };
    let detail = format!("attached {original_name} ({size_bytes} bytes) as {relative}");
    let custody = custody_entry(
        &evidence.id,
        CustodyAction::Added,
        who,
        now,
        String::new(),
        sha256,
        detail,
    );
    Ok(Attachment {
        evidence,
        custody,
        stored,
    })
}

fn copy_hashing(
    input: &mut impl Read,
    output: &mut std::fs::File,
) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        output.write_all(&buf[..n])?;
        size += n as u64;
    }
    output.flush()?;
    output.sync_all()?;
    Ok((hex(&hasher.finalize()), size))
}

fn custody_entry(
    evidence: &EvidenceId,
    action: CustodyAction,
    who: &str,
    at: Timestamp,
    old_sha256: String,
    new_sha256: String,
    detail: String,
) -> CustodyEntry {
    let who = who.trim();
    CustodyEntry {
        at,
        who: if who.is_empty() {
            UNKNOWN_INVESTIGATOR.to_owned()
        } else {
            who.to_owned()
        },
        action,
        evidence: evidence.clone(),
        old_sha256,
        new_sha256,
        detail,
    }
}

fn file_hash(ev: &Evidence) -> String {
    ev.stored_file()
        .map_or_else(String::new, |f| f.sha256.to_owned())
}

/// A fresh id for a new evidence item titled `title`.
pub fn fresh_evidence_id(case: &Case, title: &str) -> EvidenceId {
    EvidenceId(Case::fresh_id(EvidenceId::PREFIX, title, |id| {
        case.evidence.contains_key(&EvidenceId::from(id))
    }))
}

/// Adds an evidence item (a reference, pasted text, or a file already in place) with its
/// custody entry, as one step.
pub fn add_evidence_edit(evidence: Evidence, who: &str, now: Timestamp) -> Edit {
    let what = match &evidence.source {
        EvidenceSource::File { path, .. } => format!("file {path}"),
        EvidenceSource::Reference { .. } => "reference (not fetched)".to_owned(),
        EvidenceSource::Text(_) => "pasted text".to_owned(),
    };
    let entry = custody_entry(
        &evidence.id,
        CustodyAction::Added,
        who,
        now,
        String::new(),
        file_hash(&evidence),
        format!("added {what}"),
    );
    Edit::Batch(vec![
        Edit::Insert(evidence.into()),
        Edit::AppendCustody(Box::new(entry)),
    ])
}

/// Replaces an evidence item with `new`, logging what changed (and old and new hashes).
pub fn change_evidence_edit(old: &Evidence, new: Evidence, who: &str, now: Timestamp) -> Edit {
    let entry = custody_entry(
        &new.id,
        CustodyAction::Modified,
        who,
        now,
        file_hash(old),
        file_hash(&new),
        describe_change(old, &new),
    );
    Edit::Batch(vec![
        Edit::Replace(new.into()),
        Edit::AppendCustody(Box::new(entry)),
    ])
}

/// Removes an evidence item, logging it with its last hash. Its file stays in `evidence/`.
pub fn remove_evidence_edit(evidence: &Evidence, who: &str, now: Timestamp) -> Edit {
    Edit::Batch(vec![
        Edit::Remove(crate::model::ItemRef::Evidence(evidence.id.clone())),
        Edit::AppendCustody(Box::new(removal_entry(evidence, who, now))),
    ])
}

/// The custody entry that records removing `evidence`, for removals built elsewhere (a
/// selection deleted on the canvas).
pub fn removal_entry(evidence: &Evidence, who: &str, now: Timestamp) -> CustodyEntry {
    custody_entry(
        &evidence.id,
        CustodyAction::Removed,
        who,
        now,
        file_hash(evidence),
        String::new(),
        format!("removed \"{}\"", evidence.title),
    )
}

/// A short account of what changed between two versions of an evidence item.
pub fn describe_change(old: &Evidence, new: &Evidence) -> String {
    let mut parts = Vec::new();
    if old.grade() != new.grade() {
        parts.push(format!("grade {} → {}", old.grade(), new.grade()));
    }
    if old.marking != new.marking {
        parts.push(format!("marking {} → {}", old.marking, new.marking));
    }
    if old.kind != new.kind {
        parts.push(format!("kind {} → {}", old.kind.label(), new.kind.label()));
    }
    if old.title != new.title {
        parts.push("title".to_owned());
    }
    if old.source != new.source {
        parts.push("source".to_owned());
    }
    if old.date != new.date || old.captured != new.captured {
        parts.push("dates".to_owned());
    }
    if old.description != new.description {
        parts.push("description".to_owned());
    }
    if old.supports != new.supports {
        parts.push(format!(
            "supported claims {} → {}",
            old.supports.len(),
            new.supports.len()
        ));
    }
    if parts.is_empty() {
        "no visible change".to_owned()
    } else {
        format!("changed {}", parts.join(", "))
    }
}

/// The evidence items that support claims about `item`, best grade first (then by id).
pub fn supporting<'a>(case: &'a Case, item: &crate::model::ItemRef) -> Vec<&'a Evidence> {
    let mut found: Vec<&Evidence> = case
        .evidence
        .values()
        .filter(|ev| ev.supports.iter().any(|s| s.target.as_ref() == Some(item)))
        .collect();
    found.sort_by(|a, b| grade_rank(a).cmp(&grade_rank(b)).then(a.id.cmp(&b.id)));
    found
}

/// Sort key of a grade: reliability first, then credibility, so "A1" < "B2" < "F6".
pub fn grade_rank(
    ev: &Evidence,
) -> (
    crate::model::SourceReliability,
    crate::model::InfoCredibility,
) {
    (ev.reliability, ev.credibility)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_escape_are_refused_with_reasons() {
        assert!(matches!(check_relative_path(""), Err(PathError::Empty)));
        assert!(matches!(
            check_relative_path("/etc/passwd"),
            Err(PathError::Absolute(_))
        ));
        assert!(matches!(
            check_relative_path("evidence/../../x"),
            Err(PathError::ParentDir(_))
        ));
        assert!(matches!(
            check_relative_path("evidence\\x"),
            Err(PathError::Malformed(_))
        ));
        assert!(check_relative_path("evidence/transcript.txt").is_ok());
    }

    #[test]
    fn safe_names_and_numbering() {
        assert_eq!(safe_file_name("bill of lading.pdf"), "bill-of-lading.pdf");
        assert_eq!(safe_file_name("..secret"), "secret");
        assert_eq!(safe_file_name("苏菂.png"), "file.png");
        assert_eq!(
            safe_file_name("Report (final) v2.PDF"),
            "Report-final-v2.pdf"
        );
        assert_eq!(numbered("a.txt", 1), "a.txt");
        assert_eq!(numbered("a.txt", 3), "a-3.txt");
        assert_eq!(numbered("notes", 2), "notes-2");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
