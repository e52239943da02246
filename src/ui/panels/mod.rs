//! Panels read the case and return actions; they never change it themselves.

pub mod findings;
pub mod flows;
pub mod inspector;
pub mod list;
