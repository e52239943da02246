//! Every file Chokepoint reads from outside comes in through here: case files, imports,
//! mappings, screening lists, rules, passphrase files, bundles and evidence.
//!
//! - Only regular files are opened. A named pipe would block the reader forever, a device
//!   such as `/dev/zero` never ends, and a folder is no input at all: each is refused with a
//!   sentence saying what it is. The check is made on the path, and again on the opened file
//!   (which is opened without blocking, so a pipe swapped in between cannot hang us).
//! - [`read_bounded`] stops at its limit whatever the file claims its size to be (files in
//!   `/proc` report 0 bytes, a file may grow while it is read).
//! - [`same_file`] tells whether two paths name one file (device and inode on Unix), so a
//!   command never writes its output over its own input.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: {}", path.display(), crate::io::describe_io_error(source))]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: it is {kind}, not a regular file: refused", path.display())]
    NotRegular {
        path: std::path::PathBuf,
        kind: &'static str,
    },
    #[error("{}: the file has more than {limit} bytes; {what} may have at most {limit}", path.display())]
    TooLarge {
        path: std::path::PathBuf,
        limit: u64,
        what: &'static str,
    },
}

impl InputError {
    /// The reason alone, without the path (for errors that name the file themselves).
    pub fn reason(&self) -> String {
        match self {
            InputError::Io { source, .. } => crate::io::describe_io_error(source),
            InputError::NotRegular { kind, .. } => {
                format!("it is {kind}, not a regular file: refused")
            }
            InputError::TooLarge { limit, what, .. } => {
                format!("the file has more than {limit} bytes; {what} may have at most {limit}")
            }
        }
    }

    /// As an I/O error, for callers whose errors carry one.
    pub fn into_io(self) -> io::Error {
        match self {
            InputError::Io { source, .. } => source,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.reason()),
        }
    }
}

/// What a file that is not a regular file is, in words.
fn kind_of(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Opens `path` for reading if it is a regular file (a symbolic link to one is fine).
pub fn open_regular(path: &Path) -> Result<File, InputError> {
    let fail = |source| InputError::Io {
        path: path.to_owned(),
        source,
    };
    let refuse = |kind| InputError::NotRegular {
        path: path.to_owned(),
        kind,
    };
    // First on the path: opening some devices has effects of its own.
    let meta = std::fs::metadata(path).map_err(fail)?;
    if let Some(kind) = kind_of(&meta) {
        return Err(refuse(kind));
    }
    let file = open_nonblocking(path).map_err(fail)?;
    // Then on what was opened, in case the path changed in between.
    let meta = file.metadata().map_err(fail)?;
    if let Some(kind) = kind_of(&meta) {
        return Err(refuse(kind));
    }
    Ok(file)
}

/// Opens for reading without waiting for a writer, should the path be a pipe by now (for a
/// regular file the flag changes nothing).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Reads all of a regular file of at most `limit` bytes; `what` names the kind of file in the
/// error (e.g. "case files", "screening lists"). Never reads more than `limit + 1` bytes.
pub fn read_bounded(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, InputError> {
    let file = open_regular(path)?;
    let too_large = || InputError::TooLarge {
        path: path.to_owned(),
        limit,
        what,
    };
    let claimed = file.metadata().map_or(0, |m| m.len());
    if claimed > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(claimed).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Io {
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read_bounded`], as UTF-8 text (a byte-order mark is dropped).
pub fn read_bounded_text(
    path: &Path,
    limit: u64,
    what: &'static str,
) -> Result<String, InputError> {
    let bytes = read_bounded(path, limit, what)?;
    let mut text = String::from_utf8(bytes).map_err(|_| InputError::Io {
        path: path.to_owned(),
        source: io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8 text"),
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Whether `a` and `b` name the same existing file: the same device and inode on Unix
/// (however each is spelled: relative, through links, hard links), the same canonical path
/// elsewhere. False when either does not exist.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_up_to_their_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "\u{feff}hello").expect("write");
        assert_eq!(
            read_bounded_text(&path, 100, "tests").expect("read"),
            "hello"
        );
        let err = read_bounded(&path, 4, "test files").expect_err("too large");
        assert!(
            err.to_string().contains("test files may have at most 4"),
            "{err}"
        );
        let err = read_bounded(dir.path(), 100, "tests").expect_err("a folder");
        assert!(err.to_string().contains("it is a folder"), "{err}");
    }

    /// `/dev/zero` never ends and claims no size: it is refused before a byte is read.
    #[cfg(unix)]
    #[test]
    fn devices_are_refused() {
        let err = read_bounded(Path::new("/dev/zero"), 1 << 20, "tests").expect_err("device");
        assert!(err.to_string().contains("it is a device"), "{err}");
    }

    #[test]
    fn same_file_sees_through_spellings_and_links() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.ron");
        std::fs::write(&a, "x").expect("write");
        let spelled = dir.path().join(".").join("a.ron");
        assert!(same_file(&a, &spelled));
        let hard = dir.path().join("b.ron");
        std::fs::hard_link(&a, &hard).expect("link");
        assert!(same_file(&a, &hard));
        #[cfg(unix)]
        {
            let soft = dir.path().join("c.ron");
            std::os::unix::fs::symlink(&a, &soft).expect("symlink");
            assert!(same_file(&soft, &a));
        }
        let other = dir.path().join("d.ron");
        std::fs::write(&other, "x").expect("write");
        assert!(!same_file(&a, &other));
        assert!(!same_file(&a, &dir.path().join("missing.ron")));
    }
}
