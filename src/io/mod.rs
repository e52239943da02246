//! Reading and writing case files, and generating synthetic cases.

pub mod case_file;
pub mod generate;
mod migrate;

pub use case_file::{
    LoadError, MAX_CASE_FILE_BYTES, ParseError, SaveError, backup_path, case_to_ron,
    describe_io_error, load_case, parse_case, parse_case_bytes, save_case, write_atomic,
};
