//! Adding evidence that is not a file: a reference or citation (never fetched) or pasted text.

use super::EvidencePanel;
use super::grades::grade_combo_ui;
use super::grades::kind_combo_ui;
use super::grades::marking_combo_ui;
use crate::io::evidence::{self as locker};
use crate::model::parse::{self, DateOrder};
use crate::model::{
    Case, ClaimSupport, Evidence, EvidenceKind, EvidenceSource, InfoCredibility, ItemRef,
    SourceReliability, Timestamp, Tlp,
};
use crate::ui::action::Action;
use crate::ui::theme;
use egui::Ui;

// ---- adding ---------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AddMode {
    Reference,
    Text,
}

pub(super) struct AddForm {
    pub(super) mode: AddMode,
    pub(super) title: String,
    pub(super) kind: EvidenceKind,
    pub(super) citation: String,
    pub(super) archive: String,
    pub(super) text: String,
    pub(super) date: String,
    pub(super) reliability: SourceReliability,
    pub(super) credibility: InfoCredibility,
    pub(super) marking: Tlp,
    pub(super) claim: String,
    pub(super) locator: String,
    pub(super) error: Option<String>,
}

impl AddForm {
    pub(super) fn new(mode: AddMode, marking: Tlp) -> Self {
        Self {
            mode,
            title: String::new(),
            kind: match mode {
                AddMode::Reference => EvidenceKind::WebPage,
                AddMode::Text => EvidenceKind::Testimony,
            },
            citation: String::new(),
            archive: String::new(),
            text: String::new(),
            date: String::new(),
            reliability: SourceReliability::F,
            credibility: InfoCredibility::CannotBeJudged,
            marking,
            claim: String::new(),
            locator: String::new(),
            error: None,
        }
    }
}

impl EvidencePanel {
    pub(super) fn add_form_ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        who: &str,
        actions: &mut Vec<Action>,
    ) {
        let context = self
            .context
            .clone()
            .filter(|i| !self.skip_link && case.contains(i));
        let Some(form) = &mut self.adding else {
            return;
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong(match form.mode {
                AddMode::Reference => "New reference (never fetched)",
                AddMode::Text => "New pasted text",
            });
            egui::Grid::new("evidence_add_form")
                .num_columns(2)
                .spacing([8.0, 4.0])
                .show(ui, |ui| {
                    let l = ui.label("Title").id;
                    ui.add(egui::TextEdit::singleline(&mut form.title).desired_width(230.0))
                        .labelled_by(l);
                    ui.end_row();
                    match form.mode {
                        AddMode::Reference => {
                            let l = ui.label("URL or citation").id;
                            ui.add(
                                egui::TextEdit::multiline(&mut form.citation)
                                    .desired_rows(2)
                                    .desired_width(230.0),
                            )
                            .labelled_by(l);
                            ui.end_row();
                            let l = ui.label("Archive").id;
                            ui.add(
                                egui::TextEdit::singleline(&mut form.archive)
                                    .hint_text("archive URL or reference (optional)")
                                    .desired_width(230.0),
                            )
                            .labelled_by(l);
                            ui.end_row();
                        }
                        AddMode::Text => {
                            let l = ui.label("Text").id;
                            ui.add(
                                egui::TextEdit::multiline(&mut form.text)
                                    .desired_rows(4)
                                    .desired_width(230.0),
                            )
                            .labelled_by(l);
                            ui.end_row();
                        }
                    }
                    kind_combo_ui(ui, "add", &mut form.kind);
                    ui.end_row();
                    let l = ui.label("Source date").id;
                    ui.add(
                        egui::TextEdit::singleline(&mut form.date)
                            .hint_text("YYYY-MM-DD (or YYYY-MM, YYYY)")
                            .desired_width(230.0),
                    )
                    .labelled_by(l);
                    ui.end_row();
                    grade_combo_ui(ui, "add", &mut form.reliability);
                    ui.end_row();
                    grade_combo_ui(ui, "add", &mut form.credibility);
                    ui.end_row();
                    marking_combo_ui(ui, "add", &mut form.marking);
                    ui.end_row();
                    if context.is_some() {
                        {
                            let l = ui.label("Claim").id;
                            ui.add(
                                egui::TextEdit::singleline(&mut form.claim)
                                    .hint_text("e.g. end user, quantity")
                                    .desired_width(230.0),
                            )
                            .labelled_by(l);
                            ui.end_row();
                            let l = ui.label("Locator").id;
                            ui.add(
                                egui::TextEdit::singleline(&mut form.locator)
                                    .hint_text("page, or timestamp such as 00:42")
                                    .desired_width(230.0),
                            )
                            .labelled_by(l);
                            ui.end_row();
                        }
                    }
                });
            if let Some(e) = &form.error {
                ui.colored_label(theme::error_color(ui.visuals().dark_mode), e.as_str());
            }
            ui.horizontal(|ui| {
                if ui.button("Add to locker").clicked() {
                    match build_new_evidence(case, form, context.as_ref()) {
                        Ok(ev) => {
                            let id = ev.id.clone();
                            actions.push(Action::Apply {
                                select: None,
                                label: format!("Add evidence {}", ev.title),
                                edit: locker::add_evidence_edit(ev, who, Timestamp::now()),
                            });
                            actions.push(Action::Open(ItemRef::Evidence(id)));
                            close = true;
                        }
                        Err(e) => form.error = Some(e),
                    }
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.adding = None;
        }
    }
}

pub(super) fn build_new_evidence(
    case: &Case,
    form: &AddForm,
    context: Option<&ItemRef>,
) -> Result<Evidence, String> {
    let date = if form.date.trim().is_empty() {
        None
    } else {
        Some(parse::date(&form.date, DateOrder::Unknown).map_err(|e| format!("Source date: {e}"))?)
    };
    let source = match form.mode {
        AddMode::Reference => {
            if form.citation.trim().is_empty() {
                return Err("Give the URL or citation".to_owned());
            }
            EvidenceSource::Reference {
                citation: form.citation.trim().to_owned(),
                archive: form.archive.trim().to_owned(),
            }
        }
        AddMode::Text => {
            if form.text.trim().is_empty() {
                return Err("Paste the text".to_owned());
            }
            EvidenceSource::Text(form.text.clone())
        }
    };
    let title = if form.title.trim().is_empty() {
        let from = match &source {
            EvidenceSource::Reference { citation, .. } => citation.as_str(),
            EvidenceSource::Text(t) => t.as_str(),
            EvidenceSource::File { .. } => "",
        };
        from.chars().take(60).collect::<String>().trim().to_owned()
    } else {
        form.title.trim().to_owned()
    };
    let supports = match context {
        Some(item) if case.contains(item) => vec![ClaimSupport {
            target: Some(item.clone()),
            claim: form.claim.trim().to_owned(),
            excerpt: String::new(),
            locator: form.locator.trim().to_owned(),
        }],
        _ => Vec::new(),
    };
    Ok(Evidence {
        id: locker::fresh_evidence_id(case, &title),
        title,
        kind: form.kind,
        source,
        date,
        captured: Some(Timestamp::now()),
        reliability: form.reliability,
        credibility: form.credibility,
        marking: form.marking,
        description: String::new(),
        supports,
    })
}
