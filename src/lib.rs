//! Chokepoint: an offline investigation workbench for tracing how export-controlled AI hardware
//! reaches restricted end users.
//!
//! - [`model`]: the case, plain data.
//! - [`analysis`]: graph measures, flows, red flags and name screening.
//! - [`layout`]: automatic layouts for the canvas.
//! - [`edit`]: the one path for every change, with validation and undo.
//! - [`io`]: RON case files (versioned, atomic), and the synthetic case generator.
//! - [`ui`]: the eframe application.
//! - [`alloc`]: the process's memory allocator settings.

pub mod alloc;
pub mod analysis;
pub mod cli;
pub mod edit;
pub mod io;
pub mod layout;
pub mod model;
pub mod ui;

/// The seed case (the Su Di / Kun Lun Nest videos), built into the binary so
/// `cargo run --release` opens it from any working directory.
pub const SEED_CASE_RON: &str = include_str!("../sample_cases/seed_kunlun_nest.ron");

/// File name under which the seed case is shipped in `sample_cases/`.
pub const SEED_CASE_FILE: &str = "seed_kunlun_nest.ron";

/// The fictional training case (Strait Networks), built into the binary for the start page.
pub const TRAINING_CASE_RON: &str = include_str!("../sample_cases/training_strait_networks.ron");

/// The bundled training case.
pub fn training_case() -> Result<model::Case, io::ParseError> {
    io::parse_case(TRAINING_CASE_RON)
}

/// The bundled seed case.
pub fn seed_case() -> Result<model::Case, io::ParseError> {
    io::parse_case(SEED_CASE_RON)
}
