//! The evidence locker: every evidence item with filters and sorting, adding evidence (a file, a
//! reference or citation that is never fetched, pasted text), grading (Admiralty reliability
//! A–F and credibility 1–6, meanings on hover), handling markings, linking evidence to the
//! claims it supports, previews, the custody log, and integrity flags.
//!
//! Like every panel it reads `&Case` and returns actions; each change is built by
//! `io::evidence` as one edit together with its custody entry. The integrity of evidence files
//! is checked off the UI thread by [`IntegrityWatch`], which the app owns so the status bar can
//! flag problems too.
//!
//! Files: the list and the panel's state here; [`filters`] (filtering and sorting the list),
//! [`add`] (the add form), [`detail`] (one item: its fields, links, preview and custody log),
//! [`grades`] (the grading and marking pickers), [`integrity`] (file checks).

use add::AddForm;
use add::AddMode;
use detail::LinkForm;
use detail::Preview;
use filters::LockerFilters;
use filters::source_word;
use integrity::integrity_banner_ui;
mod add;
mod detail;
mod filters;
mod grades;
mod integrity;

pub use grades::{grade_badge_ui, grade_meaning};
pub use integrity::IntegrityWatch;

use crate::edit::Edit;
use crate::edit::Revision;
use crate::io::evidence::{self as locker};
use crate::model::{Case, Evidence, EvidenceId, ItemRef, Timestamp};
use crate::ui::action::Action;
use crate::ui::theme;
use egui::{Color32, RichText, Ui};
use std::path::{Path, PathBuf};

// ---- the panel ------------------------------------------------------------------------------

struct Draft {
    base: Evidence,
    edited: Evidence,
    /// The source date as typed; applied when it parses.
    date_text: String,
}

/// Locker state between frames (view state, never saved).
#[derive(Default)]
pub struct EvidencePanel {
    filters: LockerFilters,
    show_filters: bool,
    /// Filtered and sorted ids, for the revision, filters and integrity they were made for.
    cache: Option<(Revision, LockerFilters, usize, Vec<EvidenceId>)>,
    adding: Option<AddForm>,
    draft: Option<Draft>,
    link: LinkForm,
    preview: Option<(EvidenceId, String, Preview)>,
    /// The entity, link or shipment selected elsewhere: the default claim target.
    context: Option<ItemRef>,
    /// Do not link new evidence to `context` (the user unticked it).
    skip_link: bool,
}

impl EvidencePanel {
    /// The entity, link or shipment now selected elsewhere (or none): what new evidence is
    /// offered to support. A change of selection offers the new item, ticked again.
    pub fn set_context(&mut self, item: Option<ItemRef>) {
        if self.context != item {
            self.context = item;
            self.skip_link = false;
        }
    }

    /// What new evidence would be linked to now: the selected item, unless unticked.
    pub fn link_target(&self) -> Option<&ItemRef> {
        self.context.as_ref().filter(|_| !self.skip_link)
    }

    /// A change typed but not committed yet, as an edit (before save, undo or closing).
    pub fn take_pending(&mut self, who: &str) -> Option<(String, Edit)> {
        let draft = self.draft.take()?;
        (draft.edited != draft.base).then(|| {
            (
                format!("Edit evidence {}", draft.edited.title),
                locker::change_evidence_edit(&draft.base, draft.edited, who, Timestamp::now()),
            )
        })
    }

    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        revision: Revision,
        selected: Option<&EvidenceId>,
        folder: Option<&Path>,
        integrity: &IntegrityWatch,
        who: &str,
        actions: &mut Vec<Action>,
    ) {
        let dark = ui.visuals().dark_mode;
        integrity_banner_ui(ui, case, integrity, folder, actions);

        ui.horizontal_wrapped(|ui| {
            if ui
                .button("📄 Add file…")
                .on_hover_text("Copy a file into the case's evidence/ folder, with its SHA-256 (or drop files on the window)")
                .clicked()
            {
                actions.push(Action::AttachEvidence {
                    link_to: self.context.clone().filter(|_| !self.skip_link),
                });
            }
            let reference = self.adding.as_ref().is_some_and(|a| a.mode == AddMode::Reference);
            if ui
                .selectable_label(reference, "🔗 Add reference")
                .on_hover_text("A URL or citation, with an optional archive reference; nothing is fetched")
                .clicked()
            {
                self.adding = (!reference).then(|| AddForm::new(AddMode::Reference, case.meta.marking));
            }
            let text = self.adding.as_ref().is_some_and(|a| a.mode == AddMode::Text);
            if ui
                .selectable_label(text, "📝 Add text")
                .on_hover_text("A quote or transcript pasted in")
                .clicked()
            {
                self.adding = (!text).then(|| AddForm::new(AddMode::Text, case.meta.marking));
            }
        });
        if let Some(item) = self.context.as_ref().filter(|i| case.contains(i)) {
            let mut link = !self.skip_link;
            ui.checkbox(
                &mut link,
                format!("New evidence supports {}", case.item_label(item)),
            )
            .on_hover_text("Select an entity, link or shipment first to link new evidence to it");
            self.skip_link = !link;
        }
        if self.adding.is_some() {
            self.add_form_ui(ui, case, who, actions);
        }

        self.filters_ui(ui, integrity);
        let ids = self.filtered(case, revision, integrity);
        ui.weak(format!(
            "{} of {} evidence item(s){}",
            ids.len(),
            case.evidence.len(),
            if self.filters.active() {
                " (filtered)"
            } else {
                ""
            }
        ));
        let row_height = theme::EVIDENCE_ROW_HEIGHT;
        egui::ScrollArea::vertical()
            .id_salt("evidence_list")
            .max_height(theme::EVIDENCE_LIST_HEIGHT)
            .auto_shrink([false, true])
            .show_rows(ui, row_height, ids.len(), |ui, range| {
                for id in &ids[range] {
                    let Some(ev) = case.evidence.get(id) else {
                        continue;
                    };
                    ui.horizontal(|ui| {
                        grade_badge_ui(ui, ev);
                        let status = integrity.status(id);
                        if let Some(s) = status.filter(|s| !s.is_ok()) {
                            ui.colored_label(theme::error_color(dark), format!("⚠ {}", s.label()))
                                .on_hover_text(s.explain());
                        }
                        let is_selected = selected == Some(id);
                        let date = ev
                            .date
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default();
                        let text = format!("{} {}  {date}", source_word(ev), ev.title);
                        let r = ui
                            .add(egui::Button::selectable(is_selected, text).truncate())
                            .on_hover_text(format!(
                                "{} · {} · {}",
                                ev.kind.label(),
                                ev.marking.label(),
                                ev.id
                            ));
                        if r.clicked() {
                            actions.push(Action::Open(ItemRef::Evidence(id.clone())));
                        }
                    });
                }
            });
        ui.separator();

        let Some(ev) = selected.and_then(|id| case.evidence.get(id)) else {
            self.draft = None;
            ui.weak("Select an evidence item to grade it, link it to claims and preview it.");
            return;
        };
        if self.draft.as_ref().is_none_or(|d| d.base != *ev) {
            self.draft = Some(Draft {
                base: ev.clone(),
                edited: ev.clone(),
                date_text: ev
                    .date
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            });
            self.link.target = self.link.target.take().or_else(|| self.context.clone());
        }
        egui::ScrollArea::vertical()
            .id_salt("evidence_detail")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.detail_ui(ui, case, folder, integrity, who, actions);
            });
    }
}

/// A value in a form grid that wraps at the field width instead of widening the panel.
fn value_ui(ui: &mut Ui, text: impl Into<egui::WidgetText>) {
    ui.vertical(|ui| {
        ui.set_max_width(theme::INSPECTOR_FIELD_WIDTH);
        ui.add(egui::Label::new(text).wrap());
    });
}

fn original_name(ev: &Evidence) -> String {
    ev.stored_file().map_or_else(String::new, |f| {
        if f.original_name.is_empty() {
            f.path.to_owned()
        } else {
            f.original_name.to_owned()
        }
    })
}

/// Where a file item's file is, checked to stay inside the case folder; `None` for other items.
fn file_path(ev: &Evidence, folder: Option<&Path>) -> Option<Result<PathBuf, String>> {
    let path = ev.stored_file()?.path;
    Some(match folder {
        None => Err("no preview: the case is not saved in a folder yet".to_owned()),
        Some(dir) => locker::resolve_evidence_path(dir, path).map_err(|e| e.to_string()),
    })
}

/// Colour of the supporting-evidence line in the inspector: none is a warning.
fn support_color(ui: &Ui, any: bool) -> Color32 {
    if any {
        ui.visuals().text_color()
    } else {
        theme::warning_color(ui.visuals().dark_mode)
    }
}

/// The inspector's "Supporting evidence" section for an entity, link or shipment: each item
/// with its grade and claim, the best grade first; a click opens it in the locker.
pub fn supporting_evidence_ui(ui: &mut Ui, case: &Case, item: &ItemRef) -> Option<ItemRef> {
    let found = locker::supporting(case, item);
    let mut clicked = None;
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Supporting evidence ({})", found.len())).strong());
        if let Some(best) = found.first() {
            ui.label("best");
            grade_badge_ui(ui, best);
        }
    });
    if found.is_empty() {
        ui.colored_label(
            support_color(ui, false),
            "Unsupported: no evidence is linked to this item yet (add it in the Evidence tab)",
        );
    }
    for ev in found {
        ui.horizontal_wrapped(|ui| {
            grade_badge_ui(ui, ev);
            if ui.link(ev.title.as_str()).clicked() {
                clicked = Some(ItemRef::Evidence(ev.id.clone()));
            }
            let claims: Vec<&str> = ev
                .supports
                .iter()
                .filter(|s| s.target.as_ref() == Some(item))
                .map(|s| s.claim.as_str())
                .filter(|c| !c.is_empty())
                .collect();
            if !claims.is_empty() {
                ui.weak(claims.join("; "));
            }
        });
    }
    clicked
}
