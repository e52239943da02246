//! Panels read the case and return actions; they never change it themselves.

pub mod analysis;
pub mod evidence;
pub mod findings;
pub mod flows;
pub mod flows_chart;
pub mod inspector;
pub mod list;
pub mod notes;
pub mod table;
pub mod timeline;
pub mod views;
