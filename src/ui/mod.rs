//! The eframe application: menus and shortcuts, the item list, the inspector, dialogs, themes
//! and fonts. Panels read `&Case` and return actions; the app applies them through the edit
//! path at the end of the frame.

pub mod action;
pub mod app;
pub mod canvas;
pub mod commands;
pub mod fonts;
pub mod jobs;
pub mod palette;
pub mod panels;
pub mod present;
pub mod theme;
pub mod widgets;

pub use app::{
    ChokepointApp, ImportKind, RecentInfo, RightTab, Sample, Settings, StartPage, Startup,
};
