//! RON case files: pretty, stable, diff-friendly text; versioned with migrations; saved
//! atomically with a backup of the previous version; loaded with errors that name the file,
//! line and column, never a panic.

use super::migrate;
use crate::edit::check_case;
use crate::model::{Case, FORMAT_VERSION, ItemRef};
use ron::extensions::Extensions;
use std::fmt::{self, Write as _};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Largest case file we open (512 MiB). A 100k-entity case is well under a quarter of this.
pub const MAX_CASE_FILE_BYTES: u64 = 512 << 20;

/// Extension of the backup kept beside a case file when it is overwritten.
pub const BACKUP_SUFFIX: &str = ".bak";

/// What went wrong reading a case, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line and column, when the problem has a place in the text.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

impl ParseError {
    fn at(line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            location: Some((line, column)),
            message: message.into(),
        }
    }

    fn whole(message: impl Into<String>) -> Self {
        Self {
            location: None,
            message: message.into(),
        }
    }
}

/// A failed load: the file and what went wrong in it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub path: PathBuf,
    pub error: ParseError,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.error.location {
            Some((line, col)) => write!(
                f,
                "{}:{line}:{col}: {}",
                self.path.display(),
                self.error.message
            ),
            None => write!(f, "{}: {}", self.path.display(), self.error.message),
        }
    }
}

/// A failed save. The file on disk is as it was before the save began.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("could not write {}: {}", path.display(), describe_io_error(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not encode the case: {0}")]
    Encode(String),
    #[error(
        "{} is open in another Chokepoint window ({owner}): not written. Close it there first, or save under another name",
        path.display()
    )]
    InUse { path: PathBuf, owner: String },
}

impl SaveError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        SaveError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Reads, migrates and validates a case file.
pub fn load_case(path: &Path) -> Result<Case, LoadError> {
    let fail = |error| LoadError {
        path: path.to_owned(),
        error,
    };
    let bytes = read_limited(path).map_err(fail)?;
    parse_case_bytes(&bytes).map_err(fail)
}

fn read_limited(path: &Path) -> Result<Vec<u8>, ParseError> {
    // Only a regular file: a named pipe would hang the load, a device never end.
    let file = super::input::open_regular(path).map_err(|e| ParseError::whole(e.reason()))?;
    let len = file.metadata().map_or(0, |m| m.len());
    if len > MAX_CASE_FILE_BYTES {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // Read at most one byte past the limit, in case the file grows while we read it.
    file.take(MAX_CASE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ParseError::whole(describe_io_error(&e)))?;
    if bytes.len() as u64 > MAX_CASE_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(len: u64) -> ParseError {
    ParseError::whole(format!(
        "the file is {} MiB; Chokepoint opens case files up to {} MiB",
        len >> 20,
        MAX_CASE_FILE_BYTES >> 20
    ))
}

/// Plain words for the I/O errors users meet.
pub fn describe_io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    if e.get_ref().is_some() {
        // Our own errors already say it in words.
        return e.to_string();
    }
    match e.kind() {
        ErrorKind::NotFound => "no such file or folder".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only".to_owned(),
        ErrorKind::StorageFull => "the disk is full".to_owned(),
        ErrorKind::IsADirectory => "that is a folder, not a file".to_owned(),
        _ => e.to_string(),
    }
}

/// Parses a case from raw bytes: UTF-8 (a byte-order mark is allowed), RON, any known version.
pub fn parse_case_bytes(bytes: &[u8]) -> Result<Case, ParseError> {
    if bytes.len() as u64 > MAX_CASE_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let prefix = std::str::from_utf8(valid).unwrap_or("");
        let (line, col) = line_col(prefix, prefix.len());
        ParseError::at(
            line,
            col,
            "the file is not valid UTF-8 text (is it really a .ron case file?)",
        )
    })?;
    parse_case(text)
}

/// Parses a case from text.
pub fn parse_case(text: &str) -> Result<Case, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError::whole("the file is empty"));
    }
    let version = migrate::detect_version(text)?;
    let case = match version {
        v if v == FORMAT_VERSION => ron_options()
            .from_str::<Case>(text)
            .map_err(|e| ron_error(text, &e))?,
        v if v > FORMAT_VERSION => {
            return Err(ParseError::whole(format!(
                "this case was written by a newer Chokepoint (format version {v}; this one reads up to {FORMAT_VERSION}). Update Chokepoint to open it."
            )));
        }
        v => migrate::load_old(text, v)?,
    };
    let errors = check_case(&case);
    if let Some(first) = errors.first() {
        let (line, col) = locate_error(text, first);
        let mut message = first.to_string();
        if errors.len() > 1 {
            let _ = write!(message, " (and {} more problems)", errors.len() - 1);
        }
        return Err(ParseError::at(line, col, message));
    }
    Ok(case)
}

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

pub(crate) fn ron_error(text: &str, e: &ron::error::SpannedError) -> ParseError {
    let line = e.span.start.line.max(1);
    let col = e.span.start.col.max(1);
    if matches!(e.code, ron::Error::Eof) {
        let trimmed = text.trim_end();
        let (end_line, end_col) = line_col(trimmed, trimmed.len());
        return ParseError::at(
            end_line,
            end_col,
            "the file ends too early (is it truncated?)",
        );
    }
    let mut message = e.code.to_string();
    if ends_unclosed(text) {
        message.push_str(": the file ends too early (is it truncated?)");
    }
    ParseError::at(line, col, message)
}

/// Whether the text ends inside a string or with brackets still open: the sign of a file cut
/// short, whatever error the parser met first.
fn ends_unclosed(text: &str) -> bool {
    let mut depth: i64 = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    in_string || depth > 0
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
pub(crate) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Where in the text a validation error belongs: the first mention of the item's id.
fn locate_error(text: &str, error: &crate::edit::ValidationError) -> (usize, usize) {
    use crate::edit::ValidationError as V;
    if let V::SharedId { item, .. } = error {
        // The second item to carry the id is the one at fault: point at its `id:` field.
        let needle = format!("id: \"{}\"", item.id_str());
        let mut at = text
            .match_indices(&needle)
            .map(|(i, _)| i)
            .filter(|&i| i == 0 || !text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
        let first = at.next();
        return at.next().or(first).map_or((1, 1), |i| line_col(text, i));
    }
    let item: Option<&ItemRef> = match error {
        V::SharedId { item, .. }
        | V::DanglingReference { item, .. }
        | V::InvalidField { item, .. }
        | V::StillReferenced { item, .. }
        | V::DuplicateId(item)
        | V::Missing(item) => Some(item),
        V::EmptyRoute(_) | V::TooMany { .. } | V::Dismissal { .. } => None,
    };
    let id = match (error, item) {
        (V::EmptyRoute(id) | V::Dismissal { finding: id, .. }, _) => id.clone(),
        (_, Some(item)) => item.id_str().to_owned(),
        _ => String::new(),
    };
    let needle = format!("\"{id}\"");
    text.find(&needle).map_or((1, 1), |at| line_col(text, at))
}

/// The case as pretty, stable RON text, exactly as `save_case` writes it.
///
/// Large cases are rendered on two threads, still by ron itself: the case without its
/// entities, links and shipments (which ron writes as `entities: [],` ...), and each item of
/// those three lists on its own, indented by the two levels it sits at and spliced into the
/// empty lists. ron escapes every line break inside a string, so each line break in an
/// item's text is structure, and indenting it is exactly what ron does at that depth; a
/// test checks the result against ron's own rendering of the whole case, byte for byte.
pub fn case_to_ron(case: &Case) -> Result<String, SaveError> {
    case_to_ron_at(case, None)
}

/// [`case_to_ron`] with the case's `meta.modified` written as `modified`, for a save that runs
/// beside a working window: the app shares the case with its save job and cannot change it
/// (copying a large case would stall the window). It leaves a core to the window: two
/// threads only where the machine has more than two cores.
pub fn case_to_ron_modified(
    case: &Case,
    modified: crate::model::Timestamp,
) -> Result<String, SaveError> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    render_split(
        case,
        Some(modified),
        cores > 2 && encode_items(case) >= PARALLEL_ENCODE_ITEMS,
    )
}

fn encode_items(case: &Case) -> usize {
    case.entities.len() + case.links.len() + case.shipments.len()
}

fn case_to_ron_at(
    case: &Case,
    modified: Option<crate::model::Timestamp>,
) -> Result<String, SaveError> {
    let threads = if encode_items(case) >= PARALLEL_ENCODE_ITEMS {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        1
    };
    if threads < 2 && modified.is_none() {
        return case_to_ron_whole(case);
    }
    render_split(case, modified, threads >= 2)
}

/// [`case_to_ron`]'s two-thread rendering, whatever the case's size (public for the tests
/// that hold it to ron's own rendering).
#[doc(hidden)]
pub fn case_to_ron_split(case: &Case) -> Result<String, SaveError> {
    render_split(case, None, true)
}

/// The case rendered as its fields and its three big lists apart, then joined: the lists in
/// two halves on two threads when `two_threads`, else one after the other here. `modified`
/// replaces `meta.modified` in the text.
fn render_split(
    case: &Case,
    modified: Option<crate::model::Timestamp>,
    two_threads: bool,
) -> Result<String, SaveError> {
    let mut meta = case.meta.clone();
    if let Some(at) = modified {
        meta.modified = at;
    }
    let skeleton = Case {
        format_version: case.format_version,
        meta,
        entities: std::collections::BTreeMap::new(),
        links: std::collections::BTreeMap::new(),
        shipments: std::collections::BTreeMap::new(),
        evidence: case.evidence.clone(),
        notes: case.notes.clone(),
        groups: case.groups.clone(),
        views: case.views.clone(),
        positions: case.positions.clone(),
        custody: case.custody.clone(),
        dismissals: case.dismissals.clone(),
        statistics: case.statistics.clone(),
        base: case.base.clone(),
    };
    let entities: Vec<&crate::model::Entity> = case.entities.values().collect();
    let links: Vec<&crate::model::Link> = case.links.values().collect();
    let shipments: Vec<&crate::model::Shipment> = case.shipments.values().collect();
    let halves = |n: usize| n / 2;
    let second_half = || -> Result<[String; 3], SaveError> {
        Ok([
            render_items(&entities[halves(entities.len())..])?,
            render_items(&links[halves(links.len())..])?,
            render_items(&shipments[halves(shipments.len())..])?,
        ])
    };
    let first_half = || -> Result<[String; 3], SaveError> {
        Ok([
            render_items(&entities[..halves(entities.len())])?,
            render_items(&links[..halves(links.len())])?,
            render_items(&shipments[..halves(shipments.len())])?,
        ])
    };
    let (skeleton_text, first, second) = if two_threads {
        std::thread::scope(|scope| {
            let second = scope.spawn(second_half);
            let skeleton_text = case_to_ron_whole(&skeleton);
            let first = first_half();
            let second = second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (skeleton_text, first, second)
        })
    } else {
        (case_to_ron_whole(&skeleton), first_half(), second_half())
    };
    let (skeleton_text, first, second) = (skeleton_text?, first?, second?);
    let total = skeleton_text.len()
        + first.iter().map(String::len).sum::<usize>()
        + second.iter().map(String::len).sum::<usize>()
        + 64;
    let mut out = String::with_capacity(total);
    let mut rest = skeleton_text.as_str();
    for (k, field) in ["entities", "links", "shipments"].into_iter().enumerate() {
        // The empty list on a line of its own, two spaces in (a field of the case).
        let empty = format!("  {field}: [],\n");
        let at = if rest.starts_with(&empty) {
            0
        } else {
            rest.find(&format!("\n{empty}"))
                .ok_or_else(|| SaveError::Encode(format!("no place for the {field} in the case")))?
                + 1
        };
        out.push_str(&rest[..at]);
        if first[k].is_empty() && second[k].is_empty() {
            out.push_str(&empty);
        } else {
            out.push_str("  ");
            out.push_str(field);
            out.push_str(": [\n");
            out.push_str(&first[k]);
            out.push_str(&second[k]);
            out.push_str("  ],\n");
        }
        rest = &rest[at + empty.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Cases with at least this many entities, links and shipments are encoded on two threads.
const PARALLEL_ENCODE_ITEMS: usize = 20_000;

fn pretty_config() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .indentor("  ")
        .struct_names(false)
        .extensions(Extensions::IMPLICIT_SOME)
        .separate_tuple_members(false)
}

/// The whole case in one pass of ron's serializer.
pub fn case_to_ron_whole(case: &Case) -> Result<String, SaveError> {
    let mut text =
        String::from("// Chokepoint case file. Plain RON text: readable, diffable, editable.\n");
    text.push_str(
        &ron::ser::to_string_pretty(case, pretty_config())
            .map_err(|e| SaveError::Encode(e.to_string()))?,
    );
    text.push('\n');
    Ok(text)
}

/// Items of a list two levels deep in the case file, each as ron writes it there: indented
/// by four spaces and followed by a comma and a line break.
fn render_items<T: serde::Serialize>(items: &[&T]) -> Result<String, SaveError> {
    // The extension is on by default here, so ron does not repeat its `#![enable(..)]`
    // header before every item.
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    let mut out = String::new();
    let mut item = String::new();
    for value in items {
        item.clear();
        options
            .to_writer_pretty(&mut item, *value, pretty_config())
            .map_err(|e| SaveError::Encode(e.to_string()))?;
        out.push_str("    ");
        let mut lines = item.split('\n');
        if let Some(first) = lines.next() {
            out.push_str(first);
        }
        for line in lines {
            out.push_str("\n    ");
            out.push_str(line);
        }
        out.push_str(",\n");
    }
    Ok(out)
}

/// What a case file on disk looked like when we last read or wrote it, to notice when another
/// program (a second Chokepoint, a sync tool) changed it behind our back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStamp {
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
    /// Hash of the content, to tell a real change from a mere touch.
    pub content_hash: u64,
}

impl FileStamp {
    pub fn of_bytes(bytes: &[u8], meta: &fs::Metadata) -> Self {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            content_hash: hasher.finish(),
        }
    }

    /// The stamp of the file at `path` now, or `None` if it cannot be read.
    pub fn read(path: &Path) -> Option<Self> {
        let meta = fs::metadata(path).ok()?;
        let bytes = read_limited(path).ok()?;
        Some(Self::of_bytes(&bytes, &meta))
    }

    /// Whether the file at `path` still has this content. Cheap when size and time agree.
    pub fn still_matches(&self, path: &Path) -> bool {
        let Ok(meta) = fs::metadata(path) else {
            return false;
        };
        if meta.len() == self.len && meta.modified().ok() == self.modified {
            return true;
        }
        Self::read(path).is_some_and(|now| now.content_hash == self.content_hash)
    }
}

/// Loads a case and returns the stamp of the bytes it was read from.
pub fn load_case_stamped(path: &Path) -> Result<(Case, Option<FileStamp>), LoadError> {
    load_case_with_bytes(path).map(|(case, stamp, _)| (case, stamp))
}

/// Loads a case and returns the stamp and the bytes it was read from (the app keeps them as
/// the base of a later three-way merge, at the cost of the file's size in memory rather than a
/// second copy of the case).
pub fn load_case_with_bytes(path: &Path) -> Result<(Case, Option<FileStamp>, Vec<u8>), LoadError> {
    let fail = |error| LoadError {
        path: path.to_owned(),
        error,
    };
    let bytes = read_limited(path).map_err(fail)?;
    let stamp = fs::metadata(path)
        .ok()
        .map(|meta| FileStamp::of_bytes(&bytes, &meta));
    let case = parse_case_bytes(&bytes).map_err(fail)?;
    Ok((case, stamp, bytes))
}

/// Path of the backup kept beside `path` when it is overwritten.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(BACKUP_SUFFIX);
    path.with_file_name(name)
}

/// Saves atomically: the text goes to a temporary file beside `path`, is flushed and synced,
/// the previous file (if any) is kept as `path.bak`, and the temporary file is renamed over
/// `path`. At every moment `path` holds either the complete old case or the complete new one.
pub fn save_case(path: &Path, case: &Case) -> Result<(), SaveError> {
    let text = case_to_ron(case)?;
    write_atomic(path, text.as_bytes())
}

/// Writes `bytes` to `path` atomically, keeping the previous version as a backup.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_via(&RealDisk, path, bytes, true)
}

/// Where the bytes of a save go. The real disk, or in tests a disk that fails on purpose
/// (full, read-only) to prove a failed save loses nothing.
pub trait Disk {
    /// Creates `path`, writes all of `bytes`, flushes and syncs it to stable storage.
    fn write_synced(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()>;
}

/// The machine's file system.
pub struct RealDisk;

impl Disk for RealDisk {
    fn write_synced(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        write_and_sync(path, bytes)
    }
}

/// A disk that accepts `capacity` bytes of a file and then fails with `error` (e.g.
/// `StorageFull`, `PermissionDenied`), leaving the partial file behind as a real disk would.
pub struct FailingDisk {
    pub capacity: usize,
    pub error: std::io::ErrorKind,
}

impl Disk for FailingDisk {
    fn write_synced(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if self.error == std::io::ErrorKind::PermissionDenied {
            return Err(self.error.into());
        }
        let mut file = fs::File::create(path)?;
        file.write_all(&bytes[..self.capacity.min(bytes.len())])?;
        if self.capacity < bytes.len() {
            return Err(self.error.into());
        }
        file.sync_all()
    }
}

/// Saves a case through `disk`; see [`save_case`].
pub fn save_case_via(disk: &dyn Disk, path: &Path, case: &Case) -> Result<(), SaveError> {
    let text = case_to_ron(case)?;
    write_atomic_via(disk, path, text.as_bytes(), true)
}

/// Writes `bytes` to `path` atomically through `disk`, keeping the previous version as
/// `path.bak` when `backup` is set. A save with a backup (a case) takes the case's lock while
/// it writes (see [`super::lock`]): it waits for another save of the same case, and is refused
/// when another window has the case open.
pub fn write_atomic_via(
    disk: &dyn Disk,
    path: &Path,
    bytes: &[u8],
    backup: bool,
) -> Result<(), SaveError> {
    write_atomic_inner(disk, path, bytes, backup, None)
}

/// Saves the case of a window that holds its lock (see [`super::lock::CaseLock`]).
pub fn write_atomic_locked(
    path: &Path,
    bytes: &[u8],
    lock: &super::lock::CaseLock,
) -> Result<(), SaveError> {
    write_atomic_inner(&RealDisk, path, bytes, true, Some(lock))
}

fn write_atomic_inner(
    disk: &dyn Disk,
    path: &Path,
    bytes: &[u8],
    backup: bool,
    held: Option<&super::lock::CaseLock>,
) -> Result<(), SaveError> {
    use super::lock::{CaseLock, LockError, SAVE_WAIT};
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(SaveError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "the folder does not exist"),
        ));
    }
    let file_name = path
        .file_name()
        .ok_or_else(|| {
            SaveError::io(
                path,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            )
        })?
        .to_string_lossy()
        .into_owned();
    let _lock = match held {
        Some(lock) if lock.covers(path) => None,
        _ if backup => match CaseLock::for_save(path, SAVE_WAIT) {
            Ok(lock) => Some(lock),
            Err(LockError::Held { owner }) => {
                return Err(SaveError::InUse {
                    path: path.to_owned(),
                    owner,
                });
            }
            // No lock to be had here (a read-only folder, a file system without locks): the
            // write itself says what is wrong, or goes ahead with unique temporary names.
            Err(LockError::Unavailable(_)) => None,
        },
        _ => None,
    };
    // Leftovers of saves that were killed (their process is gone) go first.
    super::temp::remove_stale(&dir, &file_name);
    super::temp::remove_stale(&dir, &format!("{file_name}{BACKUP_SUFFIX}"));
    let tmp = super::temp::temp_path(&dir, &file_name, super::temp::FILE_SUFFIX);
    let result = disk.write_synced(&tmp, bytes).and_then(|()| {
        super::temp::finish_permissions(&tmp, path)?;
        if backup && path.exists() {
            keep_backup(path)?;
        }
        fs::rename(&tmp, path)?;
        sync_dir(&dir);
        Ok(())
    });
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        SaveError::io(path, e)
    })
}

/// Writes several derived files (an export) as one: each goes to a temporary file of its own
/// first, and only when every one is written and synced are they renamed into place. A write
/// that fails (a full disk) leaves none of them changed and no temporary behind. No backups.
pub fn write_files_atomic_via(disk: &dyn Disk, files: &[(&Path, &[u8])]) -> Result<(), SaveError> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::with_capacity(files.len());
    let cleanup = |staged: &[(PathBuf, &Path)]| {
        for (tmp, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for (path, bytes) in files {
        let dir = case_dir(path);
        if !dir.is_dir() {
            cleanup(&staged);
            return Err(SaveError::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "the folder does not exist"),
            ));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        super::temp::remove_stale(&dir, &name);
        let tmp = super::temp::temp_path(&dir, &name, super::temp::FILE_SUFFIX);
        let written = disk
            .write_synced(&tmp, bytes)
            .and_then(|()| super::temp::finish_permissions(&tmp, path));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(SaveError::io(path, e));
        }
        staged.push((tmp, path));
    }
    // Renames take no space, so once everything is written they do not fail for want of it.
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(tmp, path) {
            cleanup(&staged[i..]);
            return Err(SaveError::io(path, e));
        }
        sync_dir(&case_dir(path));
    }
    Ok(())
}

/// Creates `tmp` (a new name: never an existing file or a link), owner-only, and writes and
/// syncs `bytes` into it.
fn write_and_sync(tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = super::temp::owner_only_new_file(tmp)?;
    file.write_all(bytes)?;
    file.flush()?;
    file.sync_all()
}

/// Replaces the backup with the current file. A hard link is instant and atomic; where links
/// are not supported the file is copied into a new temporary of this save's own (never one
/// another save could have linked to the case) so the backup is never half-written and the
/// case is never written through a link.
fn keep_backup(path: &Path) -> std::io::Result<()> {
    let backup = backup_path(path);
    let dir = case_dir(path);
    let base = backup
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staged = super::temp::temp_path(&dir, &base, super::temp::FILE_SUFFIX);
    fs::hard_link(path, &staged)
        .or_else(|_| copy_into_new(path, &staged))
        .and_then(|()| fs::rename(&staged, &backup))
        .inspect_err(|_| {
            // Never leave a stray staged copy beside the case after a failed save.
            let _ = fs::remove_file(&staged);
        })
}

fn case_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Copies `from` into the new file `to` (which must not exist), keeping `from`'s permissions.
fn copy_into_new(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut input = super::input::open_regular(from).map_err(super::input::InputError::into_io)?;
    let mut output = super::temp::owner_only_new_file(to)?;
    std::io::copy(&mut input, &mut output)?;
    output.sync_all()?;
    super::temp::finish_permissions(to, from)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    // Makes the rename durable; failure here cannot lose data, so it is not an error.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, EntityKind};

    fn small_case() -> Case {
        let mut case = Case::default();
        case.meta.title = "Test".into();
        let e = Entity::new("e-su-di", EntityKind::Person, "Su Di");
        case.entities.insert(e.id.clone(), e);
        case
    }

    #[test]
    fn round_trip_and_stable_text() {
        let case = small_case();
        let text = case_to_ron(&case).expect("encode");
        let back = parse_case(&text).expect("decode");
        assert_eq!(back, case);
        assert_eq!(
            case_to_ron(&back).expect("encode"),
            text,
            "saving twice gives identical text"
        );
    }

    #[test]
    fn truncated_file_names_line_and_column() {
        let text = case_to_ron(&small_case()).expect("encode");
        let cut = &text[..text.len() / 2];
        let err = parse_case(cut).expect_err("truncated");
        assert!(err.location.is_some());
        assert!(err.message.contains("ends too early"), "{}", err.message);
    }

    #[test]
    fn atomic_save_keeps_backup() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("case.ron");
        let mut case = small_case();
        save_case(&path, &case).expect("first save");
        case.meta.title = "Second".into();
        save_case(&path, &case).expect("second save");
        assert_eq!(load_case(&path).expect("load").meta.title, "Second");
        assert_eq!(
            load_case(&backup_path(&path)).expect("backup").meta.title,
            "Test"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn save_into_missing_folder_fails_cleanly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nope").join("case.ron");
        let err = save_case(&path, &small_case()).expect_err("missing folder");
        assert!(err.to_string().contains("folder does not exist"), "{err}");
    }
}
