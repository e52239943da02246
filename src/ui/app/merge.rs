//! *File ▸ Merge a colleague's copy…*: the review window for bringing another copy of the case
//! into the open one. It lists what their copy adds, what only mine holds (kept), each item both
//! changed with keep-mine / take-theirs per field, and entities that are the same party under
//! another id; *Merge* applies it all as one undo step.

use super::{ChokepointApp, DialogKind};
use crate::io::import::copies::{CopyMerge, count_by_kind};
use egui::{RichText, Ui};
use std::path::PathBuf;

pub struct MergeReview {
    path: PathBuf,
    plan: CopyMerge,
    error: Option<String>,
}

impl ChokepointApp {
    /// Loads their copy and opens the review window.
    pub fn start_merge_review(&mut self, path: PathBuf) {
        match crate::io::load_case(&path) {
            Ok(theirs) => {
                let plan = CopyMerge::plan(&self.case, &theirs);
                self.merge_review = Some(Box::new(MergeReview {
                    path,
                    plan,
                    error: None,
                }));
            }
            Err(e) => {
                self.error(format!("Could not read their copy: {e}"));
                self.modal = Some(super::Modal::Error {
                    title: "Could not read their copy".to_owned(),
                    message: format!("{e}\n\nThe open case is unchanged."),
                });
            }
        }
    }

    pub(super) fn merge_dialog(&mut self) {
        self.spawn_dialog(DialogKind::MergeCopy);
    }

    pub(super) fn merge_review_ui(&mut self, ctx: &egui::Context) {
        let Some(mut review) = self.merge_review.take() else {
            return;
        };
        let mut keep = true;
        let mut apply = false;
        let name = review
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        egui::Window::new(format!("Merge “{name}” into this case"))
            .id(egui::Id::unique("merge_review"))
            .collapsible(false)
            .resizable(true)
            .default_width(760.0)
            .default_height(560.0)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                review_ui(ui, &mut review, &mut keep, &mut apply);
            });
        if apply {
            match review.plan.edit(&self.case) {
                Ok((edit, _)) => {
                    if self.apply_edit(&format!("Merge {name}"), edit) {
                        let (fields, theirs) = review.plan.field_counts();
                        self.info(format!(
                            "Merged {name}: added {} items ({} left out), {} changed only in \
                             theirs taken, {} deleted as in theirs, {theirs} of {fields} \
                             conflicting fields taken from theirs (Undo takes it back)",
                            review.plan.added.len() - review.plan.left_out.len(),
                            review.plan.left_out.len(),
                            review.plan.taken.len(),
                            review.plan.deleted_by_them.len(),
                        ));
                        keep = false;
                    } else {
                        review.error = Some("The merge was refused; see the status bar.".into());
                    }
                }
                Err(e) => review.error = Some(e.to_string()),
            }
        }
        if keep {
            self.merge_review = Some(review);
        }
    }
}

fn review_ui(ui: &mut Ui, r: &mut MergeReview, keep: &mut bool, apply: &mut bool) {
    let (fields, _) = r.plan.field_counts();
    ui.label(format!(
        "Their copy adds {}. Only yours has {} (kept). {} items changed on both sides ({} \
         fields).",
        count_by_kind(&r.plan.added),
        count_by_kind(&r.plan.only_mine),
        r.plan.conflicts.len(),
        fields
    ));
    if r.plan.has_base() {
        ui.label(format!(
            "Their copy says which version it was opened from: {} changed only there are \
             taken, {} they deleted are deleted here, {} you deleted stay deleted.",
            count_by_kind(&r.plan.taken),
            count_by_kind(&r.plan.deleted_by_them),
            count_by_kind(&r.plan.deleted_by_me),
        ));
    } else {
        ui.weak(
            "Their copy does not say which version it came from (an older file): every item \
             both copies hold differently is listed below, and nothing of yours is deleted.",
        );
    }
    egui::ScrollArea::vertical()
        .max_height(ui.available_height() - 60.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::CollapsingHeader::new(format!("Added from their copy ({})", r.plan.added.len()))
                .default_open(r.plan.added.len() <= 12)
                .show(ui, |ui| {
                    if !r.plan.has_base() {
                        ui.weak(
                            "Untick what you deleted on purpose: without a common ancestor a \
                             merge cannot tell their additions from your deletions.",
                        );
                    }
                    let mut toggled = None;
                    for (item, label) in &r.plan.added {
                        let mut include = !r.plan.left_out.contains(item);
                        if ui
                            .checkbox(&mut include, format!("{} · {label}", item.kind_word()))
                            .changed()
                        {
                            toggled = Some((item.clone(), include));
                        }
                    }
                    if let Some((item, include)) = toggled {
                        r.plan.set_included(&item, include);
                    }
                });
            for (title, list) in [
                ("Changed only in their copy, taken", &r.plan.taken),
                (
                    "Deleted in their copy, deleted here",
                    &r.plan.deleted_by_them,
                ),
                (
                    "Deleted in your copy, not brought back",
                    &r.plan.deleted_by_me,
                ),
            ] {
                if !list.is_empty() {
                    egui::CollapsingHeader::new(format!("{title} ({})", list.len())).show(
                        ui,
                        |ui| {
                            for (item, label) in list {
                                ui.label(format!("{} · {label}", item.kind_word()));
                            }
                        },
                    );
                }
            }
            egui::CollapsingHeader::new(format!(
                "Only in your copy, kept ({})",
                r.plan.only_mine.len()
            ))
            .show(ui, |ui| {
                for (item, label) in &r.plan.only_mine {
                    ui.label(format!("{} · {label}", item.kind_word()));
                }
            });
            if !r.plan.identity.is_empty() {
                ui.separator();
                ui.strong("The same party under another id");
                for m in &mut r.plan.identity {
                    ui.checkbox(
                        &mut m.merge,
                        format!(
                            "Merge their {} into your {} ({})",
                            m.theirs, m.mine, m.reason
                        ),
                    );
                }
            }
            ui.separator();
            if r.plan.conflicts.is_empty() {
                ui.label("Nothing was changed on both sides.");
            } else {
                ui.horizontal(|ui| {
                    ui.strong("Changed on both sides");
                    if ui.button("Keep all mine").clicked() {
                        r.plan.prefer(false);
                    }
                    if ui.button("Take all theirs").clicked() {
                        r.plan.prefer(true);
                    }
                });
            }
            for (i, c) in r.plan.conflicts.iter_mut().enumerate() {
                ui.add_space(4.0);
                ui.label(RichText::new(format!("{} · {}", c.item.kind_word(), c.label)).strong());
                egui::Grid::new(("merge_fields", i))
                    .num_columns(4)
                    .striped(true)
                    .show(ui, |ui| {
                        ui.weak("Field");
                        ui.weak("Yours");
                        ui.weak("Theirs");
                        ui.weak("Keep");
                        ui.end_row();
                        for f in &mut c.fields {
                            ui.label(&f.field);
                            ui.add(egui::Label::new(shorten(&f.mine)).wrap())
                                .on_hover_text(&f.mine);
                            ui.add(egui::Label::new(shorten(&f.theirs)).wrap())
                                .on_hover_text(&f.theirs);
                            ui.horizontal(|ui| {
                                ui.radio_value(&mut f.take_theirs, false, "Yours");
                                ui.radio_value(&mut f.take_theirs, true, "Theirs");
                            });
                            ui.end_row();
                        }
                    });
            }
        });
    if let Some(e) = &r.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    ui.separator();
    ui.horizontal(|ui| {
        if ui.button("Merge").clicked() {
            *apply = true;
        }
        if ui.button("Cancel").clicked() {
            *keep = false;
        }
        ui.weak(
            "Fields you want to word differently can be edited in the inspector after the merge.",
        );
    });
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 120 {
        s.chars().take(119).collect::<String>() + "…"
    } else {
        s.to_owned()
    }
}
