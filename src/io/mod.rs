//! Reading and writing case files, exporting cases for other tools, and generating synthetic
//! cases.

pub mod bundle;
pub mod case_file;
pub mod evidence;
pub mod export;
pub mod generate;
pub mod import;
pub mod input;
pub mod lists;
pub mod lock;
mod migrate;
pub mod report;
pub mod tabular;
pub mod temp;

pub use case_file::{
    Disk, FailingDisk, FileStamp, LoadError, MAX_CASE_FILE_BYTES, ParseError, RealDisk, SaveError,
    backup_path, case_to_ron, case_to_ron_modified, describe_io_error, load_case,
    load_case_stamped, load_case_with_bytes, parse_case, parse_case_bytes, save_case,
    save_case_via, write_atomic, write_atomic_locked, write_atomic_via, write_files_atomic_via,
};
