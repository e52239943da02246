//! Case bundles: one file (`.cpbundle`, a zip) that carries a case and its evidence files to a
//! colleague, optionally encrypted with a passphrase (age, scrypt).
//!
//! A bundle holds `case.ron`, a small `manifest.ron` and the case's evidence files under
//! `evidence/`, exactly where the case expects them beside it. Writing is atomic (a temporary
//! file renamed into place) and refuses to leave evidence behind: every file the case names must
//! be there and match its SHA-256. Opening treats the file as hostile: entry names are checked
//! before anything is written (no `..`, absolute paths, drive letters, backslashes, links or
//! other special entries, duplicates, or names outside `case.ron`, `manifest.ron` and
//! `evidence/`), sizes are counted on the bytes actually decompressed (entry count, total size
//! and compression ratio, against zip bombs), the case must load, and every evidence file must
//! match its hash. Everything is extracted into a temporary folder beside the destination and
//! renamed into place only when all of it checked out, so a failed open leaves nothing behind.
//!
//! Nothing here touches egui; the CLI, the app and the tests share it.

use super::case_file::{MAX_CASE_FILE_BYTES, ParseError, case_to_ron, describe_io_error};
use super::evidence::{EVIDENCE_DIR, case_folder, check_relative_path, verify_file};
use crate::model::{Case, StoredFile, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The extension of bundle files.
pub const BUNDLE_EXTENSION: &str = "cpbundle";

/// The bundle layout this Chokepoint writes (the `format_version` of `manifest.ron`).
pub const BUNDLE_FORMAT_VERSION: u32 = 1;

/// Most files a bundle may hold (the case, the manifest and the evidence files).
pub const MAX_BUNDLE_ENTRIES: usize = 10_000;

/// Most bytes a bundle may unpack to, all files together (2 GiB).
pub const MAX_BUNDLE_UNPACKED_BYTES: u64 = 2 << 30;

/// Most a bundle may expand relative to its own size once past [`RATIO_FREE_BYTES`]: real
/// evidence (PDF, images, video, text) compresses far less; a zip bomb far more.
pub const MAX_COMPRESSION_RATIO: u64 = 100;

/// Unpacked bytes allowed whatever the ratio, so small bundles of very compressible text open.
pub const RATIO_FREE_BYTES: u64 = 16 << 20;

/// The case inside a bundle.
pub const CASE_ENTRY: &str = "case.ron";

/// The manifest inside a bundle.
pub const MANIFEST_ENTRY: &str = "manifest.ron";

/// Largest manifest we read.
const MAX_MANIFEST_BYTES: u64 = 64 << 10;

/// Most scrypt work an encrypted bundle may ask of us to try a passphrase: `N = 2^22`, 4 GiB
/// of memory and several seconds (the cap of the reference age implementation).
///
/// Not age's default, which is four steps above what scrypt costs on this machine *at the
/// moment the bundle is opened*, timed from a single sample of a few milliseconds: while the
/// machine is busy (a build, a backup, a video call) that sample can take many times as long,
/// and a bundle written a minute earlier on the same machine was refused as asking too much.
/// Our own bundles ask for about a second of the writer's time (`N = 2^18` to `2^20` where
/// this was measured), below this cap.
pub const MAX_SCRYPT_LOG_N: u8 = 22;

/// How an age-encrypted file starts (binary and ASCII-armoured forms).
const AGE_MAGIC: &[u8] = b"age-encryption.org/";
const AGE_ARMOR_MAGIC: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// How a zip file starts: a local file header, or the end record of an empty archive.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";

/// Why a bundle could not be written or opened. Every message names the file and says what to
/// do about it where there is something to do.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("could not {action} {}: {}", path.display(), describe_io_error(source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{} cannot be bundled: {} evidence file(s) are missing or not as recorded (no bundle was written):\n{}",
        case.display(), problems.len(), bullet_list(problems)
    )]
    EvidenceProblems {
        case: PathBuf,
        problems: Vec<String>,
    },
    #[error(
        "{} would be {} MiB unpacked; a bundle holds at most {} MiB (no bundle was written)",
        case.display(), bytes >> 20, MAX_BUNDLE_UNPACKED_BYTES >> 20
    )]
    CaseTooLarge { case: PathBuf, bytes: u64 },
    #[error(
        "{} has {files} evidence files; a bundle holds at most {} (no bundle was written)",
        case.display(), MAX_BUNDLE_ENTRIES - 2
    )]
    CaseTooManyFiles { case: PathBuf, files: usize },
    #[error("the bundle would overwrite its own case file {}: choose another name", path.display())]
    WouldOverwriteCase { path: PathBuf },
    #[error("the bundle would overwrite the evidence file {} it holds: choose another name", path.display())]
    WouldOverwriteEvidence { path: PathBuf },
    #[error("the passphrase is empty: choose a passphrase, or bundle without encryption")]
    EmptyPassphrase,
    #[error("could not encode the case: {0}")]
    Encode(String),
    #[error("{} is empty: it is not a Chokepoint bundle", bundle.display())]
    EmptyFile { bundle: PathBuf },
    #[error(
        "{} is not a Chokepoint bundle (neither a zip file nor an encrypted bundle)",
        bundle.display()
    )]
    NotABundle { bundle: PathBuf },
    #[error(
        "{} is damaged or incomplete (was it cut short while copying?): {reason}",
        bundle.display()
    )]
    Damaged { bundle: PathBuf, reason: String },
    #[error("{} is encrypted: give its passphrase to open it", bundle.display())]
    NeedsPassphrase { bundle: PathBuf },
    #[error(
        "wrong passphrase for {} (or its encryption header is damaged): nothing was extracted",
        bundle.display()
    )]
    WrongPassphrase { bundle: PathBuf },
    #[error("{} cannot be decrypted: {reason}", bundle.display())]
    Encryption { bundle: PathBuf, reason: String },
    #[error("{} holds an unsafe file name \"{name}\": {reason}; refused, nothing was extracted", bundle.display())]
    UnsafePath {
        bundle: PathBuf,
        name: String,
        reason: String,
    },
    #[error(
        "{} holds \"{name}\", which is {kind}, not a regular file; refused, nothing was extracted",
        bundle.display()
    )]
    NotARegularFile {
        bundle: PathBuf,
        name: String,
        kind: &'static str,
    },
    #[error(
        "{} holds \"{name}\", which has no place in a bundle (only case.ron, manifest.ron and evidence/); refused, nothing was extracted",
        bundle.display()
    )]
    UnexpectedEntry { bundle: PathBuf, name: String },
    #[error("{} holds \"{name}\" more than once; refused, nothing was extracted", bundle.display())]
    DuplicateEntry { bundle: PathBuf, name: String },
    #[error(
        "{} lists two files under the same name in its zip directory; refused, nothing was extracted",
        bundle.display()
    )]
    DuplicateNames { bundle: PathBuf },
    #[error(
        "{} holds \"{name}\" stored with {method}, which Chokepoint does not read (only stored and deflate); refused",
        bundle.display()
    )]
    UnsupportedEntry {
        bundle: PathBuf,
        name: String,
        method: String,
    },
    #[error(
        "{} holds {count} files; a bundle may hold at most {}; refused, nothing was extracted",
        bundle.display(), MAX_BUNDLE_ENTRIES
    )]
    TooManyEntries { bundle: PathBuf, count: usize },
    #[error(
        "{} unpacks to more than {} MiB, the most a bundle may hold; refused, nothing was extracted",
        bundle.display(), MAX_BUNDLE_UNPACKED_BYTES >> 20
    )]
    TooLarge { bundle: PathBuf },
    #[error(
        "{} expands to more than {} times its own size (a zip bomb?); refused, nothing was extracted",
        bundle.display(), MAX_COMPRESSION_RATIO
    )]
    CompressionRatio { bundle: PathBuf },
    #[error("{} holds no case.ron: it is not a Chokepoint bundle", bundle.display())]
    MissingCase { bundle: PathBuf },
    #[error("case.ron in {}{}: {}; nothing was extracted", bundle.display(), location(error), error.message)]
    InvalidCase { bundle: PathBuf, error: ParseError },
    #[error("manifest.ron in {}: {reason}; nothing was extracted", bundle.display())]
    InvalidManifest { bundle: PathBuf, reason: String },
    #[error(
        "{}: {} evidence file(s) do not match the case (altered, missing or damaged); nothing was extracted:\n{}",
        bundle.display(), problems.len(), bullet_list(problems)
    )]
    EvidenceMismatch {
        bundle: PathBuf,
        problems: Vec<String>,
    },
    #[error(
        "{} already exists and is not an empty folder: choose a new folder to open the bundle into",
        dest.display()
    )]
    DestinationNotEmpty { dest: PathBuf },
    #[error("cannot open the bundle into {}: its parent folder does not exist", dest.display())]
    DestinationParentMissing { dest: PathBuf },
}

fn bullet_list(lines: &[String]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = write!(out, "  {line}");
    }
    out
}

fn location(error: &ParseError) -> String {
    error
        .location
        .map_or_else(String::new, |(line, col)| format!(":{line}:{col}"))
}

/// The small description stored in every bundle as `manifest.ron`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BundleManifest {
    /// The bundle layout ([`BUNDLE_FORMAT_VERSION`]).
    pub format_version: u32,
    /// When the bundle was written.
    pub created: Timestamp,
    /// The Chokepoint version that wrote it.
    pub written_by: String,
    /// The case's title, for a glance without opening it.
    pub case_title: String,
    /// Evidence files in the bundle and their total size.
    pub evidence_files: usize,
    pub evidence_bytes: u64,
}

/// What [`write_bundle`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleSummary {
    /// The bundle file.
    pub path: PathBuf,
    /// Size of the bundle file.
    pub bundle_bytes: u64,
    /// Evidence files in it and their total size (uncompressed).
    pub evidence_files: usize,
    pub evidence_bytes: u64,
    /// Whether it is encrypted with a passphrase.
    pub encrypted: bool,
}

/// What [`open_bundle`] extracted.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenedBundle {
    /// The extracted `case.ron`; its evidence files are in `evidence/` beside it.
    pub case_path: PathBuf,
    /// The folder everything was extracted into.
    pub dest_dir: PathBuf,
    /// The case, loaded and validated.
    pub case: Case,
    /// The bundle's manifest (`None` for a bundle without one).
    pub manifest: Option<BundleManifest>,
    /// Evidence files extracted and checked against the case, and their total size.
    pub evidence_files: usize,
    pub evidence_bytes: u64,
    /// Files under `evidence/` that no evidence item of the case names: extracted, not checked.
    pub unreferenced_files: Vec<String>,
    /// Whether the bundle was encrypted.
    pub encrypted: bool,
}

// ------------------------------------------------------------------------------------------
// Writing

/// One evidence file to bundle: its path in the case (and the bundle) and what it must hash to.
struct BundledFile {
    path: String,
    sha256: String,
    size_bytes: u64,
}

/// The evidence files of `case` (each path once, in path order), or every problem that keeps
/// them out of a bundle: a path outside `evidence/`, a file missing, unreadable or changed.
fn files_to_bundle(case: &Case, case_dir: &Path) -> Result<Vec<BundledFile>, Vec<String>> {
    let mut by_path: BTreeMap<&str, (&str, u64)> = BTreeMap::new();
    let mut problems = Vec::new();
    for ev in case.evidence.values() {
        let Some(StoredFile {
            path,
            sha256,
            size_bytes,
            ..
        }) = ev.stored_file()
        else {
            continue;
        };
        if let Err(e) = check_relative_path(path) {
            problems.push(format!("{path} (evidence {}): {e}", ev.id));
            continue;
        }
        if !path.starts_with(&format!("{EVIDENCE_DIR}/")) {
            problems.push(format!(
                "{path} (evidence {}): not in the case's {EVIDENCE_DIR}/ folder; a bundle carries only that folder (move the file into {EVIDENCE_DIR}/ and update the item)",
                ev.id
            ));
            continue;
        }
        match by_path.get(path) {
            Some((other_sha, other_size))
                if !other_sha.eq_ignore_ascii_case(sha256) || *other_size != size_bytes =>
            {
                problems.push(format!(
                    "{path} (evidence {}): another evidence item names the same file with a different SHA-256 or size",
                    ev.id
                ));
            }
            Some(_) => {}
            None => {
                by_path.insert(path, (sha256, size_bytes));
            }
        }
    }
    // Names the reader would refuse are refused here already, so a bundle we write opens.
    let mut lowercase: BTreeMap<String, &str> = BTreeMap::new();
    for path in by_path.keys() {
        if path.chars().any(char::is_control) {
            problems.push(format!(
                "{path}: the file name contains a control character; rename the file"
            ));
        }
        if let Some(other) = lowercase.insert(path.to_lowercase(), path) {
            problems.push(format!(
                "{path}: differs from {other} only in upper and lower case, so the two would overwrite each other on Windows and macOS; rename one"
            ));
        }
    }
    let mut files = Vec::with_capacity(by_path.len());
    for (path, (sha256, size_bytes)) in by_path {
        let status = verify_file(case_dir, path, sha256, size_bytes);
        if status.is_ok() {
            files.push(BundledFile {
                path: path.to_owned(),
                sha256: sha256.to_owned(),
                size_bytes,
            });
        } else {
            problems.push(format!(
                "{}: {}: {}",
                case_dir.join(path).display(),
                status.label(),
                status.explain()
            ));
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// Writes `case` and every evidence file it names (found beside `case_path`, in `evidence/`)
/// into one bundle file at `out`, encrypted with `passphrase` when one is given.
///
/// Every evidence file must be present and match its recorded SHA-256, or nothing is written
/// and the error lists them all. The bundle appears at `out` only when complete (written to a
/// temporary file beside it, synced, renamed); a bundle already at `out` is replaced.
pub fn write_bundle(
    case_path: &Path,
    case: &Case,
    out: &Path,
    passphrase: Option<&str>,
) -> Result<BundleSummary, BundleError> {
    if passphrase.is_some_and(str::is_empty) {
        return Err(BundleError::EmptyPassphrase);
    }
    if super::input::same_file(case_path, out) {
        return Err(BundleError::WouldOverwriteCase {
            path: out.to_owned(),
        });
    }
    let case_dir = case_folder(case_path);
    let files =
        files_to_bundle(case, &case_dir).map_err(|problems| BundleError::EvidenceProblems {
            case: case_path.to_owned(),
            problems,
        })?;
    if let Some(f) = files
        .iter()
        .find(|f| super::input::same_file(&case_dir.join(&f.path), out))
    {
        return Err(BundleError::WouldOverwriteEvidence {
            path: case_dir.join(&f.path),
        });
    }
    if files.len() + 2 > MAX_BUNDLE_ENTRIES {
        return Err(BundleError::CaseTooManyFiles {
            case: case_path.to_owned(),
            files: files.len(),
        });
    }
    let text = case_to_ron(case).map_err(|e| BundleError::Encode(e.to_string()))?;
    let evidence_bytes: u64 = files.iter().map(|f| f.size_bytes).sum();
    let manifest = BundleManifest {
        format_version: BUNDLE_FORMAT_VERSION,
        created: Timestamp::now(),
        written_by: format!("Chokepoint {}", env!("CARGO_PKG_VERSION")),
        case_title: case.meta.title.clone(),
        evidence_files: files.len(),
        evidence_bytes,
    };
    let manifest_text = ron::ser::to_string_pretty(&manifest, ron::ser::PrettyConfig::new())
        .map_err(|e| BundleError::Encode(e.to_string()))?;
    let unpacked = evidence_bytes + text.len() as u64 + manifest_text.len() as u64;
    if unpacked > MAX_BUNDLE_UNPACKED_BYTES {
        return Err(BundleError::CaseTooLarge {
            case: case_path.to_owned(),
            bytes: unpacked,
        });
    }

    let dir = case_folder(out);
    if !dir.is_dir() {
        return Err(BundleError::Io {
            action: "write",
            path: out.to_owned(),
            source: io::Error::new(io::ErrorKind::NotFound, "the folder does not exist"),
        });
    }
    let file_name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| BundleError::Io {
            action: "write",
            path: out.to_owned(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "not a file name"),
        })?;
    // Leftovers of bundles whose writer was killed go first; ours is new and owner-only.
    super::temp::remove_stale(&dir, &file_name);
    let (tmp_path, tmp_file) =
        super::temp::create_file(&dir, &file_name).map_err(|source| BundleError::Io {
            action: "write",
            path: out.to_owned(),
            source,
        })?;
    drop(tmp_file);
    let tmp = TempPath::new(tmp_path);
    let contents = BundleContents {
        case_path,
        case_dir: &case_dir,
        case_text: &text,
        manifest_text: &manifest_text,
        files: &files,
        out,
    };

    // Deflate first; a bundle that would trip the reader's ratio limit (legitimately very
    // compressible evidence) is written again with its files stored as they are.
    let mut bundle_bytes = write_bundle_file(&tmp.path, &contents, passphrase, true)?;
    if unpacked > ratio_allowance(bundle_bytes) {
        bundle_bytes = write_bundle_file(&tmp.path, &contents, passphrase, false)?;
    }
    super::temp::finish_permissions(&tmp.path, out)
        .and_then(|()| fs::rename(&tmp.path, out))
        .map_err(|e| BundleError::Io {
            action: "write",
            path: out.to_owned(),
            source: e,
        })?;
    tmp.disarm();
    sync_dir(&dir);
    Ok(BundleSummary {
        path: out.to_owned(),
        bundle_bytes,
        evidence_files: files.len(),
        evidence_bytes,
        encrypted: passphrase.is_some(),
    })
}

struct BundleContents<'a> {
    case_path: &'a Path,
    case_dir: &'a Path,
    case_text: &'a str,
    manifest_text: &'a str,
    files: &'a [BundledFile],
    /// Named in errors: the temporary file is an implementation detail.
    out: &'a Path,
}

/// Writes the whole bundle to `tmp` (replacing it) and returns its size.
fn write_bundle_file(
    tmp: &Path,
    contents: &BundleContents<'_>,
    passphrase: Option<&str>,
    deflate: bool,
) -> Result<u64, BundleError> {
    let write_error = |source: io::Error| BundleError::Io {
        action: "write",
        path: contents.out.to_owned(),
        source,
    };
    // The temporary is ours (created new and owner-only); a second attempt starts it again.
    let file = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(tmp)
        .map_err(write_error)?;
    let sink = BufWriter::with_capacity(1 << 16, file);
    let sink = match passphrase {
        Some(passphrase) => {
            let encryptor = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(
                passphrase.to_owned(),
            ));
            let writer = encryptor.wrap_output(sink).map_err(write_error)?;
            let writer = write_zip(writer, contents, deflate)?;
            writer.finish().map_err(write_error)?
        }
        None => write_zip(sink, contents, deflate)?,
    };
    let file = sink.into_inner().map_err(|e| write_error(e.into_error()))?;
    file.sync_all().map_err(write_error)?;
    let len = file.metadata().map_err(write_error)?.len();
    Ok(len)
}

/// Streams the zip into `sink` and hands `sink` back when the zip is complete.
fn write_zip<W: Write>(
    sink: W,
    contents: &BundleContents<'_>,
    deflate: bool,
) -> Result<W, BundleError> {
    use zip::write::SimpleFileOptions;
    let out = contents.out;
    let zip_error = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(source) => BundleError::Io {
            action: "write",
            path: out.to_owned(),
            source,
        },
        other => BundleError::Io {
            action: "write",
            path: out.to_owned(),
            source: io::Error::other(other.to_string()),
        },
    };
    let write_error = |source: io::Error| BundleError::Io {
        action: "write",
        path: out.to_owned(),
        source,
    };
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new_stream(sink);

    zip.start_file(CASE_ENTRY, options).map_err(zip_error)?;
    zip.write_all(contents.case_text.as_bytes())
        .map_err(write_error)?;
    zip.start_file(MANIFEST_ENTRY, options).map_err(zip_error)?;
    zip.write_all(contents.manifest_text.as_bytes())
        .map_err(write_error)?;

    let mut changed = Vec::new();
    for f in contents.files {
        let source = contents.case_dir.join(&f.path);
        let read_error = |e: io::Error| BundleError::Io {
            action: "read",
            path: source.clone(),
            source: e,
        };
        let input = super::input::open_regular(&source).map_err(|e| read_error(e.into_io()))?;
        zip.start_file(f.path.as_str(), options)
            .map_err(zip_error)?;
        // Hash what actually goes into the bundle: the file may change after it was verified.
        let mut hashing = HashingReader::new(input.take(f.size_bytes + 1));
        io::copy(&mut hashing, &mut zip).map_err(|e| {
            if hashing.read_failed {
                read_error(e)
            } else {
                write_error(e)
            }
        })?;
        let (sha256, size) = hashing.finish();
        if size != f.size_bytes || !sha256.eq_ignore_ascii_case(&f.sha256) {
            changed.push(format!(
                "{}: changed while the bundle was being written",
                source.display()
            ));
        }
    }
    if !changed.is_empty() {
        return Err(BundleError::EvidenceProblems {
            case: contents.case_path.to_owned(),
            problems: changed,
        });
    }
    let stream = zip.finish().map_err(zip_error)?;
    Ok(stream.into_inner())
}

/// Reads through to `inner`, hashing and counting the bytes, and remembers whether an error
/// came from reading (rather than from where the bytes were written).
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    size: u64,
    read_failed: bool,
}

impl<R: Read> HashingReader<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            size: 0,
            read_failed: false,
        }
    }

    fn finish(self) -> (String, u64) {
        let digest = self.hasher.finalize();
        let mut hex = String::with_capacity(64);
        for b in digest {
            let _ = write!(hex, "{b:02x}");
        }
        (hex, self.size)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self
            .inner
            .read(buf)
            .inspect_err(|_| self.read_failed = true)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// Removes a temporary file or folder when dropped, unless disarmed once it was renamed into
/// place: every early return leaves nothing behind.
struct TempPath {
    path: PathBuf,
    armed: bool,
}

impl TempPath {
    fn new(path: PathBuf) -> Self {
        Self { path, armed: true }
    }

    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        match fs::symlink_metadata(&self.path) {
            Ok(m) if m.is_dir() => {
                let _ = fs::remove_dir_all(&self.path);
            }
            Ok(_) => {
                let _ = fs::remove_file(&self.path);
            }
            Err(_) => {}
        }
    }
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

// ------------------------------------------------------------------------------------------
// Opening

/// How many unpacked bytes a bundle of `bundle_bytes` may produce before it counts as a bomb.
fn ratio_allowance(bundle_bytes: u64) -> u64 {
    bundle_bytes
        .saturating_mul(MAX_COMPRESSION_RATIO)
        .max(RATIO_FREE_BYTES)
}

/// Extracts the bundle at `bundle` into `dest_dir` (which must not exist, or be an empty
/// folder), decrypting it with `passphrase` if it is encrypted, and checks it: safe names
/// only, limits on count, size and compression ratio, a case that loads, and evidence files
/// that match their SHA-256. On any error nothing is left in `dest_dir`'s place.
pub fn open_bundle(
    bundle: &Path,
    dest_dir: &Path,
    passphrase: Option<&str>,
) -> Result<OpenedBundle, BundleError> {
    let passphrase = passphrase.filter(|p| !p.is_empty());
    let dest_existed = check_destination(dest_dir)?;
    let read_error = |source: io::Error| BundleError::Io {
        action: "read",
        path: bundle.to_owned(),
        source,
    };
    // A regular file only: a named pipe would hang the reader, a device never end.
    let file = super::input::open_regular(bundle).map_err(|e| read_error(e.into_io()))?;
    let meta = file.metadata().map_err(read_error)?;
    let bundle_bytes = meta.len();
    let mut input = BufReader::with_capacity(1 << 16, file);
    let mut head = Vec::with_capacity(64);
    (&mut input)
        .take(64)
        .read_to_end(&mut head)
        .map_err(read_error)?;
    input.rewind().map_err(read_error)?;

    let ctx = Extraction {
        bundle,
        dest_dir,
        dest_existed,
        budget: ratio_allowance(bundle_bytes).min(MAX_BUNDLE_UNPACKED_BYTES),
    };
    if head.is_empty() {
        return Err(BundleError::EmptyFile {
            bundle: bundle.to_owned(),
        });
    }
    if head.starts_with(AGE_ARMOR_MAGIC) {
        return Err(BundleError::Encryption {
            bundle: bundle.to_owned(),
            reason: "it is an ASCII-armoured age file; Chokepoint reads the binary form it writes"
                .to_owned(),
        });
    }
    if head.starts_with(AGE_MAGIC) {
        let Some(passphrase) = passphrase else {
            return Err(BundleError::NeedsPassphrase {
                bundle: bundle.to_owned(),
            });
        };
        let reader = decrypt(bundle, input, passphrase)?;
        let mut opened = ctx.extract(reader)?;
        opened.encrypted = true;
        return Ok(opened);
    }
    if head.starts_with(ZIP_MAGIC) || head.starts_with(ZIP_EMPTY_MAGIC) {
        return ctx.extract(input);
    }
    Err(BundleError::NotABundle {
        bundle: bundle.to_owned(),
    })
}

/// Whether `dest` already exists (as an empty folder); an error if it cannot be used.
fn check_destination(dest: &Path) -> Result<bool, BundleError> {
    match fs::symlink_metadata(dest) {
        Ok(m) if m.is_dir() => {
            let mut entries = fs::read_dir(dest).map_err(|e| BundleError::Io {
                action: "read",
                path: dest.to_owned(),
                source: e,
            })?;
            if entries.next().is_some() {
                return Err(BundleError::DestinationNotEmpty {
                    dest: dest.to_owned(),
                });
            }
            Ok(true)
        }
        Ok(_) => Err(BundleError::DestinationNotEmpty {
            dest: dest.to_owned(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if case_folder(dest).is_dir() {
                Ok(false)
            } else {
                Err(BundleError::DestinationParentMissing {
                    dest: dest.to_owned(),
                })
            }
        }
        Err(e) => Err(BundleError::Io {
            action: "read",
            path: dest.to_owned(),
            source: e,
        }),
    }
}

/// The decrypted bundle, or why it cannot be decrypted.
fn decrypt<R: io::BufRead + Seek>(
    bundle: &Path,
    input: R,
    passphrase: &str,
) -> Result<age::stream::StreamReader<R>, BundleError> {
    use age::DecryptError as E;
    let fail = |e: E| match e {
        E::DecryptionFailed | E::KeyDecryptionFailed | E::NoMatchingKeys => {
            BundleError::WrongPassphrase {
                bundle: bundle.to_owned(),
            }
        }
        E::ExcessiveWork { .. } => BundleError::Encryption {
            bundle: bundle.to_owned(),
            reason: "its passphrase protection asks for far more work than Chokepoint allows \
                     (a hostile or unusual file)"
                .to_owned(),
        },
        E::InvalidHeader | E::InvalidMac | E::UnknownFormat => BundleError::Damaged {
            bundle: bundle.to_owned(),
            reason: "its encryption header is damaged or of an unknown version".to_owned(),
        },
        E::Io(e) => BundleError::Damaged {
            bundle: bundle.to_owned(),
            reason: describe_io_error(&e),
        },
    };
    let decryptor = age::Decryptor::new_buffered(input).map_err(fail)?;
    if !decryptor.is_scrypt() {
        return Err(BundleError::Encryption {
            bundle: bundle.to_owned(),
            reason: "it is encrypted to a key, not a passphrase; decrypt it with age first"
                .to_owned(),
        });
    }
    let mut identity =
        age::scrypt::Identity::new(age::secrecy::SecretString::from(passphrase.to_owned()));
    identity.set_max_work_factor(MAX_SCRYPT_LOG_N);
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(fail)
}

/// One bundle being opened.
struct Extraction<'a> {
    bundle: &'a Path,
    dest_dir: &'a Path,
    dest_existed: bool,
    /// Most unpacked bytes allowed: the total limit or the ratio limit, whichever is lower.
    budget: u64,
}

/// What an entry is, once its name was checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryRole {
    Case,
    Manifest,
    Evidence,
    Folder,
}

impl Extraction<'_> {
    fn damaged(&self, reason: impl Into<String>) -> BundleError {
        BundleError::Damaged {
            bundle: self.bundle.to_owned(),
            reason: reason.into(),
        }
    }

    fn zip_error(&self, e: zip::result::ZipError) -> BundleError {
        match e {
            zip::result::ZipError::Io(e) => self.damaged(describe_read_error(&e)),
            other => self.damaged(other.to_string()),
        }
    }

    fn extract<R: Read + Seek>(&self, reader: R) -> Result<OpenedBundle, BundleError> {
        let mut archive = zip::ZipArchive::new(reader).map_err(|e| self.zip_error(e))?;
        let roles = self.check_entries(&archive)?;

        let write_error = |path: &Path, source: io::Error| BundleError::Io {
            action: "write",
            path: path.to_owned(),
            source,
        };
        let tmp_dir = self.create_temp_dir()?;
        let tmp = TempPath::new(tmp_dir.clone());

        let mut used = 0u64;
        let mut case_bytes = None;
        let mut manifest_bytes = None;
        let mut hashes: BTreeMap<String, (String, u64)> = BTreeMap::new();
        for (index, (name, role)) in roles.iter().enumerate() {
            let target = tmp_dir.join(name.trim_end_matches('/'));
            if *role == EntryRole::Folder {
                fs::create_dir_all(&target).map_err(|e| write_error(&target, e))?;
                continue;
            }
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
            }
            let entry = archive.by_index(index).map_err(|e| self.zip_error(e))?;
            let keep_limit = match role {
                EntryRole::Case => Some(MAX_CASE_FILE_BYTES),
                EntryRole::Manifest => Some(MAX_MANIFEST_BYTES),
                EntryRole::Evidence | EntryRole::Folder => None,
            };
            let (sha256, size, kept) =
                self.copy_entry(entry, &target, name, &mut used, keep_limit)?;
            match role {
                EntryRole::Case => case_bytes = kept,
                EntryRole::Manifest => manifest_bytes = kept,
                EntryRole::Evidence => {
                    hashes.insert(name.clone(), (sha256, size));
                }
                EntryRole::Folder => {}
            }
        }

        let Some(case_bytes) = case_bytes else {
            return Err(BundleError::MissingCase {
                bundle: self.bundle.to_owned(),
            });
        };
        let manifest = manifest_bytes
            .map(|bytes| self.parse_manifest(&bytes))
            .transpose()?;
        let case = super::case_file::parse_case_bytes(&case_bytes).map_err(|error| {
            BundleError::InvalidCase {
                bundle: self.bundle.to_owned(),
                error,
            }
        })?;
        let (evidence_files, evidence_bytes, unreferenced_files) =
            self.check_evidence(&case, &hashes)?;

        if self.dest_existed {
            // Empty, as checked at the start; a folder that filled up since stays as it is.
            fs::remove_dir(self.dest_dir).map_err(|_| BundleError::DestinationNotEmpty {
                dest: self.dest_dir.to_owned(),
            })?;
        }
        fs::rename(&tmp_dir, self.dest_dir).map_err(|e| write_error(self.dest_dir, e))?;
        tmp.disarm();
        sync_dir(&case_folder(self.dest_dir));
        Ok(OpenedBundle {
            case_path: self.dest_dir.join(CASE_ENTRY),
            dest_dir: self.dest_dir.to_owned(),
            case,
            manifest,
            evidence_files,
            evidence_bytes,
            unreferenced_files,
            encrypted: false,
        })
    }

    /// Checks every entry's name and kind before anything is written; returns the names in
    /// archive order with what each one is.
    fn check_entries<R: Read + Seek>(
        &self,
        archive: &zip::ZipArchive<R>,
    ) -> Result<Vec<(String, EntryRole)>, BundleError> {
        let count = archive.len();
        if count > MAX_BUNDLE_ENTRIES {
            return Err(BundleError::TooManyEntries {
                bundle: self.bundle.to_owned(),
                count,
            });
        }
        if archive.has_duplicate_names() {
            return Err(BundleError::DuplicateNames {
                bundle: self.bundle.to_owned(),
            });
        }
        let mut roles = Vec::with_capacity(count);
        // Lower-cased, so two names that differ only in case cannot overwrite each other on
        // Windows or macOS.
        let mut seen: HashSet<String> = HashSet::with_capacity(count);
        let mut files_seen: BTreeSet<String> = BTreeSet::new();
        for index in 0..count {
            let entry = archive
                .by_index_data(index)
                .map_err(|e| self.zip_error(e))?;
            let raw = entry.name_raw();
            let name = std::str::from_utf8(raw)
                .map_err(|_| {
                    self.unsafe_path(&String::from_utf8_lossy(raw), "the name is not valid UTF-8")
                })?
                .to_owned();
            let role = self.check_name(&name)?;
            // The zip crate's own check, as a second opinion on the same name.
            if entry.enclosed_name().is_none() {
                return Err(self.unsafe_path(&name, "it could reach outside the folder"));
            }
            if entry.is_symlink() {
                return Err(self.not_regular(&name, "a symbolic link"));
            }
            if let Some(mode) = entry.unix_mode() {
                let kind = match mode & 0o170_000 {
                    0 | 0o100_000 => None,
                    0o040_000 => (role != EntryRole::Folder).then_some("a folder"),
                    0o120_000 => Some("a symbolic link"),
                    0o010_000 => Some("a named pipe"),
                    0o020_000 | 0o060_000 => Some("a device"),
                    0o140_000 => Some("a socket"),
                    _ => Some("a special file"),
                };
                if let Some(kind) = kind {
                    return Err(self.not_regular(&name, kind));
                }
            }
            if role == EntryRole::Folder && entry.is_dir() {
                // A plain folder entry (as `zip -r` writes): nothing to read.
            } else if role == EntryRole::Folder || entry.is_dir() {
                return Err(self.not_regular(&name, "a folder"));
            } else {
                match entry.compression() {
                    zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated => {}
                    other => {
                        return Err(BundleError::UnsupportedEntry {
                            bundle: self.bundle.to_owned(),
                            name: shown_name(&name),
                            method: format!("{other:?}"),
                        });
                    }
                }
            }
            let key = name.trim_end_matches('/').to_lowercase();
            if !seen.insert(key.clone()) {
                return Err(BundleError::DuplicateEntry {
                    bundle: self.bundle.to_owned(),
                    name: shown_name(&name),
                });
            }
            if role != EntryRole::Folder {
                files_seen.insert(key);
            }
            roles.push((name, role));
        }
        // A file may not also be a folder on the way to another file ("evidence/a" and
        // "evidence/a/b"): one of them could not be created.
        for (name, _) in &roles {
            let lower = name.to_lowercase();
            let mut prefix = String::new();
            for part in lower.trim_end_matches('/').split('/') {
                if !prefix.is_empty() && files_seen.contains(&prefix) {
                    return Err(BundleError::DuplicateEntry {
                        bundle: self.bundle.to_owned(),
                        name: shown_name(name),
                    });
                }
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
            }
        }
        Ok(roles)
    }

    fn unsafe_path(&self, name: &str, reason: impl Into<String>) -> BundleError {
        BundleError::UnsafePath {
            bundle: self.bundle.to_owned(),
            name: shown_name(name),
            reason: reason.into(),
        }
    }

    fn not_regular(&self, name: &str, kind: &'static str) -> BundleError {
        BundleError::NotARegularFile {
            bundle: self.bundle.to_owned(),
            name: shown_name(name),
            kind,
        }
    }

    /// What the entry `name` is, or why it may not be extracted.
    fn check_name(&self, name: &str) -> Result<EntryRole, BundleError> {
        let (path, folder) = match name.strip_suffix('/') {
            Some(stripped) => (stripped, true),
            None => (name, false),
        };
        // The evidence rules (no absolute paths, "..", backslashes, drive letters, "." or
        // empty parts) apply to every name in a bundle.
        check_relative_path(path).map_err(|e| self.unsafe_path(name, path_reason(&e)))?;
        if let Some(c) = path.chars().find(|c| c.is_control()) {
            return Err(self.unsafe_path(
                name,
                format!("it contains the control character U+{:04X}", u32::from(c)),
            ));
        }
        if cfg!(windows)
            && let Some(part) = path.split('/').find(|p| is_windows_reserved(p))
        {
            return Err(self.unsafe_path(
                name,
                format!(
                    "\"{part}\" is a reserved device name or ends in a dot or space on Windows"
                ),
            ));
        }
        let role = match path {
            CASE_ENTRY if !folder => EntryRole::Case,
            MANIFEST_ENTRY if !folder => EntryRole::Manifest,
            p if p == EVIDENCE_DIR && folder => EntryRole::Folder,
            p if p.starts_with(&format!("{EVIDENCE_DIR}/")) => {
                if folder {
                    EntryRole::Folder
                } else {
                    EntryRole::Evidence
                }
            }
            _ => {
                return Err(BundleError::UnexpectedEntry {
                    bundle: self.bundle.to_owned(),
                    name: shown_name(name),
                });
            }
        };
        Ok(role)
    }

    /// Creates a fresh folder beside the destination to extract into (never one that was
    /// already there, which is not ours to fill or remove), readable by its owner only: what
    /// is unpacked (decrypted, for an encrypted bundle) is never readable by others, on the way
    /// or after. Leftovers of unpacking that was killed are removed first.
    fn create_temp_dir(&self) -> Result<PathBuf, BundleError> {
        let parent = case_folder(self.dest_dir);
        let name = self
            .dest_dir
            .file_name()
            .map_or_else(|| "bundle".to_owned(), |n| n.to_string_lossy().into_owned());
        super::temp::remove_stale(&parent, &name);
        super::temp::create_dir(&parent, &name, super::temp::UNBUNDLE_SUFFIX).map_err(|source| {
            BundleError::Io {
                action: "write",
                path: self.dest_dir.to_owned(),
                source,
            }
        })
    }

    /// Copies one entry to `target` (a new file), counting its bytes against the budget and
    /// hashing them; keeps the bytes in memory too when `keep_limit` is set (case, manifest).
    fn copy_entry<R: Read>(
        &self,
        entry: zip::read::ZipFile<'_, R>,
        target: &Path,
        name: &str,
        used: &mut u64,
        keep_limit: Option<u64>,
    ) -> Result<(String, u64, Option<Vec<u8>>), BundleError> {
        let write_error = |source: io::Error| BundleError::Io {
            action: "write",
            path: self.dest_dir.join(name),
            source,
        };
        let declared = entry.size();
        let left = self.budget - *used;
        let mut limited = HashingReader::new(entry.take(left + 1));
        let file = super::temp::owner_only_new_file(target).map_err(write_error)?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        let mut kept = keep_limit.map(|_| Vec::new());
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match limited.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(self.damaged(format!("{name}: {}", describe_read_error(&e))));
                }
            };
            if limited.size > left {
                return Err(self.over_budget());
            }
            if let (Some(kept), Some(limit)) = (kept.as_mut(), keep_limit) {
                if kept.len() as u64 + n as u64 > limit {
                    return Err(match name {
                        CASE_ENTRY => BundleError::InvalidCase {
                            bundle: self.bundle.to_owned(),
                            error: ParseError {
                                location: None,
                                message: format!(
                                    "the case is larger than the {} MiB Chokepoint opens",
                                    MAX_CASE_FILE_BYTES >> 20
                                ),
                            },
                        },
                        _ => BundleError::InvalidManifest {
                            bundle: self.bundle.to_owned(),
                            reason: "it is far larger than a manifest can be".to_owned(),
                        },
                    });
                }
                kept.extend_from_slice(&buf[..n]);
            }
            out.write_all(&buf[..n]).map_err(write_error)?;
        }
        let file = out.into_inner().map_err(|e| write_error(e.into_error()))?;
        file.sync_all().map_err(write_error)?;
        *used += limited.size;
        if limited.size != declared {
            return Err(self.damaged(format!(
                "{name}: {} bytes, but the zip directory says {declared}",
                limited.size
            )));
        }
        let (sha256, size) = limited.finish();
        Ok((sha256, size, kept))
    }

    fn over_budget(&self) -> BundleError {
        if self.budget >= MAX_BUNDLE_UNPACKED_BYTES {
            BundleError::TooLarge {
                bundle: self.bundle.to_owned(),
            }
        } else {
            BundleError::CompressionRatio {
                bundle: self.bundle.to_owned(),
            }
        }
    }

    fn parse_manifest(&self, bytes: &[u8]) -> Result<BundleManifest, BundleError> {
        let invalid = |reason: String| BundleError::InvalidManifest {
            bundle: self.bundle.to_owned(),
            reason,
        };
        let text = std::str::from_utf8(bytes).map_err(|_| invalid("not UTF-8 text".into()))?;
        let manifest: BundleManifest = ron::from_str(text).map_err(|e| invalid(format!("{e}")))?;
        if manifest.format_version > BUNDLE_FORMAT_VERSION {
            return Err(invalid(format!(
                "the bundle was written by a newer Chokepoint (bundle format {}; this one reads up to {BUNDLE_FORMAT_VERSION}). Update Chokepoint to open it",
                manifest.format_version
            )));
        }
        Ok(manifest)
    }

    /// Compares the extracted evidence with what the case records: every file the case names
    /// must be in the bundle with its SHA-256 and size.
    fn check_evidence(
        &self,
        case: &Case,
        hashes: &BTreeMap<String, (String, u64)>,
    ) -> Result<(usize, u64, Vec<String>), BundleError> {
        let mut problems = Vec::new();
        let mut referenced: BTreeSet<&str> = BTreeSet::new();
        for ev in case.evidence.values() {
            let Some(StoredFile {
                path,
                sha256,
                size_bytes,
                ..
            }) = ev.stored_file()
            else {
                continue;
            };
            referenced.insert(path);
            match hashes.get(path) {
                None => problems.push(format!(
                    "{path} (evidence {}): missing from the bundle",
                    ev.id
                )),
                Some((actual, size))
                    if !actual.eq_ignore_ascii_case(sha256) || *size != size_bytes =>
                {
                    problems.push(format!(
                        "{path} (evidence {}): altered: {size} bytes with SHA-256 {actual}, but the case records {size_bytes} bytes with SHA-256 {sha256}",
                        ev.id
                    ));
                }
                Some(_) => {}
            }
        }
        if !problems.is_empty() {
            problems.sort();
            problems.dedup();
            return Err(BundleError::EvidenceMismatch {
                bundle: self.bundle.to_owned(),
                problems,
            });
        }
        let mut files = 0;
        let mut bytes = 0;
        let mut unreferenced = Vec::new();
        for (path, (_, size)) in hashes {
            if referenced.contains(path.as_str()) {
                files += 1;
                bytes += size;
            } else {
                unreferenced.push(path.clone());
            }
        }
        Ok((files, bytes, unreferenced))
    }
}

/// A name from a bundle as it may be shown to the user: control characters (which could move
/// the cursor or recolour a terminal) written as escapes, and at most 200 characters.
fn shown_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().take(200) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Plain words for an error met while reading a bundle's contents.
fn describe_read_error(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        "the file ends too early".to_owned()
    } else {
        describe_io_error(e)
    }
}

/// Why a name was refused, in words that fit a bundle (the error names the entry already).
fn path_reason(e: &super::evidence::PathError) -> &'static str {
    use super::evidence::PathError as P;
    match e {
        P::Empty => "the name is empty",
        P::Absolute(_) => "it is an absolute path",
        P::ParentDir(_) => "it climbs out of the folder with \"..\"",
        P::Malformed(_) | P::Escapes { .. } => {
            "it is not a plain relative path (backslashes, drive letters, \".\" and empty parts are not allowed)"
        }
    }
}

/// Names Windows will not create as files: devices (CON, NUL, COM1 ...) and names ending in a
/// dot or space.
fn is_windows_reserved(part: &str) -> bool {
    const DEVICES: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    let stem = part.split('.').next().unwrap_or(part).trim_end();
    part.ends_with('.')
        || part.ends_with(' ')
        || part.contains(['<', '>', '"', '|', '?', '*'])
        || DEVICES.iter().any(|d| d.eq_ignore_ascii_case(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_reserved_names() {
        assert!(is_windows_reserved("CON"));
        assert!(is_windows_reserved("nul.txt"));
        assert!(is_windows_reserved("a."));
        assert!(is_windows_reserved("a "));
        assert!(!is_windows_reserved("console.txt"));
        assert!(!is_windows_reserved("bill-of-lading.pdf"));
    }

    #[test]
    fn names_are_shown_without_control_characters() {
        assert_eq!(shown_name("evidence/a.txt"), "evidence/a.txt");
        assert_eq!(shown_name("a\u{1b}[31mb\0"), "a\\u{1b}[31mb\\u{0}");
        assert_eq!(shown_name(&"x".repeat(500)).len(), 200);
    }

    #[test]
    fn ratio_allowance_has_a_floor() {
        assert_eq!(ratio_allowance(0), RATIO_FREE_BYTES);
        assert_eq!(ratio_allowance(1 << 30), (1 << 30) * MAX_COMPRESSION_RATIO);
        assert_eq!(ratio_allowance(u64::MAX), u64::MAX);
    }
}
