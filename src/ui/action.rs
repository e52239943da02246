//! The one queue of the frame: panels, the canvas, menus, keys, the palette and dialogs push an
//! [`Action`] instead of changing the case or the app; `ChokepointApp::drain` applies them
//! once, at the end of the frame, in the order they were asked for (as the egui demo app does).
//! Document edits go through `History::apply` there and nowhere else in the UI.

use super::commands::UiCommand;
use crate::analysis::timeline::TimeWindow;
use crate::edit::Edit;
use crate::model::{ItemRef, ViewId};
use std::path::PathBuf;

/// Something the user asked for this frame.
#[must_use]
pub enum Action {
    /// A command of the table (a menu item, a shortcut, the palette, a panel's button).
    Command(UiCommand),
    /// One undoable edit; when it applies, `select` is selected.
    Apply {
        label: String,
        edit: Edit,
        select: Option<ItemRef>,
    },
    /// The inspector's edit of its draft: a refusal is also shown at the field.
    ApplyField {
        label: String,
        edit: Edit,
    },
    /// Select one item everywhere (list, inspector, canvas).
    Select(ItemRef),
    /// Make these items the selection (the table's rows; the canvas shows the same), the
    /// inspector left as it is.
    SelectMany(Vec<ItemRef>),
    /// Show an item's details: evidence in the locker, anything else in the inspector.
    Open(ItemRef),
    /// Show an item in the inspector and list, leaving the canvas's selection be (None: the
    /// case details).
    Focus(Option<ItemRef>),
    /// Open the inspector on an item.
    Inspect(ItemRef),
    /// Select and highlight these items on the canvas.
    Show(Vec<ItemRef>),
    /// Highlight these items on the canvas (the first brought into view).
    Highlight(Vec<ItemRef>),
    /// Delete these items (asks when links would go along).
    Delete(Vec<ItemRef>),
    Info(String),
    Error(String),
    /// Show only what was active in this period on the canvas (None: all time).
    TimeWindow(Option<TimeWindow>),
    /// Ask for a screening list file.
    ChooseScreeningList,
    /// The screening lists in use changed (the demonstration list on or off, the user's files).
    ScreeningLists {
        demo: bool,
        files: Vec<PathBuf>,
    },
    /// Ask for files to attach as evidence, linked to `link_to`.
    AttachEvidence {
        link_to: Option<ItemRef>,
    },
    /// Open an evidence file in the system's viewer.
    OpenExternal(PathBuf),
    /// Check the evidence files against their hashes again.
    VerifyEvidence,
    /// Save the canvas as a new view.
    CaptureView,
    /// Save the canvas over this view.
    UpdateView(ViewId),
    /// Show this view on the canvas.
    ShowView(ViewId),
    /// Present the saved views from this slide.
    PresentFrom(usize),
    /// Export this view as a picture (asks where).
    ExportViewImage(ViewId),
}

impl Action {
    /// A plain undoable edit.
    pub fn apply(label: impl Into<String>, edit: Edit) -> Self {
        Action::Apply {
            label: label.into(),
            edit,
            select: None,
        }
    }
}
