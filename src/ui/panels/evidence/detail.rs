//! One evidence item: its fields and grades, the claims it supports (and linking it to more),
//! a preview of its file, and its custody log.

use super::EvidencePanel;
use super::file_path;
use super::filters::source_word;
use super::grades::grade_badge_ui;
use super::grades::grade_combo_ui;
use super::grades::kind_combo_ui;
use super::grades::marking_combo_ui;
use super::integrity::IntegrityWatch;
use super::original_name;
use super::value_ui;
use crate::io::evidence::{self as locker, Integrity};
use crate::model::parse::{self, DateOrder};
use crate::model::{Case, ClaimSupport, Evidence, EvidenceId, EvidenceSource, ItemRef, Timestamp};
use crate::ui::action::Action;
use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::Path;

// ---- linking --------------------------------------------------------------------------------

#[derive(Default)]
pub(super) struct LinkForm {
    pub(super) target: Option<ItemRef>,
    pub(super) find: String,
    pub(super) claim: String,
    pub(super) excerpt: String,
    pub(super) locator: String,
}

/// Entities, links and shipments whose label contains `find`, at most `limit`, in id order.
pub(super) fn link_candidates(case: &Case, find: &str, limit: usize) -> Vec<ItemRef> {
    let needle = find.trim().to_lowercase();
    let all = case
        .entities
        .keys()
        .map(|id| ItemRef::Entity(id.clone()))
        .chain(case.links.keys().map(|id| ItemRef::Link(id.clone())))
        .chain(
            case.shipments
                .keys()
                .map(|id| ItemRef::Shipment(id.clone())),
        );
    all.filter(|item| {
        needle.is_empty()
            || case.item_label(item).to_lowercase().contains(&needle)
            || item.to_string().to_lowercase().contains(&needle)
    })
    .take(limit)
    .collect()
}

// ---- preview --------------------------------------------------------------------------------

pub(super) enum Preview {
    Image(egui::TextureHandle),
    Text(String),
    /// No inline preview: why, shown with the metadata.
    None(String),
}

/// Largest file read for an inline preview.
pub(super) const PREVIEW_MAX_BYTES: u64 = 32 << 20;
/// Largest piece of a text file shown.
pub(super) const TEXT_PREVIEW_BYTES: usize = 256 << 10;

pub(super) fn load_preview(ctx: &egui::Context, full: &Path, name: &str) -> Preview {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let size = std::fs::metadata(full).map_or(0, |m| m.len());
    let textual = matches!(
        ext.as_str(),
        "txt" | "md" | "csv" | "tsv" | "json" | "ron" | "xml" | "srt" | "vtt" | "log" | "eml"
    );
    if ext == "png" {
        if size > PREVIEW_MAX_BYTES {
            return Preview::None("the image is too large to preview".to_owned());
        }
        let decoded = crate::io::input::read_bounded(full, PREVIEW_MAX_BYTES, "previews")
            .map_err(|e| e.reason())
            .and_then(|bytes| {
                image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
                    .map_err(|e| e.to_string())
            });
        return match decoded {
            Ok(img) => {
                let rgba = img.to_rgba8();
                let (w, h) = (rgba.width() as usize, rgba.height() as usize);
                if w.saturating_mul(h) > 40_000_000 {
                    return Preview::None("the image is too large to preview".to_owned());
                }
                let color = egui::ColorImage::from_rgba_unmultiplied([w, h], rgba.as_raw());
                Preview::Image(ctx.load_texture(
                    format!("evidence-preview-{}", full.display()),
                    color,
                    egui::TextureOptions::LINEAR,
                ))
            }
            Err(e) => Preview::None(format!("the image could not be decoded: {e}")),
        };
    }
    if textual {
        let read = crate::io::input::open_regular(full)
            .map_err(crate::io::input::InputError::into_io)
            .and_then(|f| {
                use std::io::Read;
                let mut buf = Vec::new();
                f.take(TEXT_PREVIEW_BYTES as u64).read_to_end(&mut buf)?;
                Ok(buf)
            });
        return match read {
            Ok(bytes) => {
                let mut text = String::from_utf8_lossy(&bytes).into_owned();
                if size > TEXT_PREVIEW_BYTES as u64 {
                    text.push_str("\n…");
                }
                Preview::Text(text)
            }
            Err(e) => Preview::None(format!("the file could not be read: {e}")),
        };
    }
    Preview::None(
        "no inline preview for this kind of file (PNG images and text files are shown)".to_owned(),
    )
}

impl EvidencePanel {
    pub(super) fn detail_ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        folder: Option<&Path>,
        integrity: &IntegrityWatch,
        who: &str,
        actions: &mut Vec<Action>,
    ) {
        let Some(draft) = &mut self.draft else {
            return;
        };
        let dark = ui.visuals().dark_mode;
        let ev = &mut draft.edited;
        let mut typing = false;
        let salt = ev.id.as_str().to_owned();
        ui.horizontal_wrapped(|ui| {
            grade_badge_ui(ui, &draft.base);
            ui.heading(&draft.base.title);
        });
        ui.weak(format!("{} · {}", ev.id, source_word(ev)));
        egui::Grid::new("evidence_detail_grid")
            .num_columns(2)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                let l = ui.label("Title").id;
                typing |= ui
                    .add(egui::TextEdit::singleline(&mut ev.title).desired_width(230.0))
                    .labelled_by(l)
                    .has_focus();
                ui.end_row();
                kind_combo_ui(ui, &salt, &mut ev.kind);
                ui.end_row();
                grade_combo_ui(ui, &salt, &mut ev.reliability);
                ui.end_row();
                grade_combo_ui(ui, &salt, &mut ev.credibility);
                ui.end_row();
                marking_combo_ui(ui, &salt, &mut ev.marking);
                ui.end_row();
                let l = ui.label("Source date").id;
                ui.vertical(|ui| {
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut draft.date_text)
                                .hint_text("YYYY-MM-DD (or YYYY-MM, YYYY)")
                                .desired_width(230.0),
                        )
                        .labelled_by(l);
                    typing |= r.has_focus();
                    let text = draft.date_text.trim();
                    if text.is_empty() {
                        ev.date = None;
                    } else {
                        match parse::date(text, DateOrder::Unknown) {
                            Ok(d) => ev.date = Some(d),
                            Err(e) => {
                                // Stored exactly or not at all: the date stays as it was.
                                ev.date.clone_from(&draft.base.date);
                                crate::ui::widgets::refusal_ui(ui, dark, &e.reason);
                            }
                        }
                    }
                });
                ui.end_row();
                ui.label("Captured");
                ui.label(
                    ev.captured
                        .map_or_else(|| "—".to_owned(), |t| t.to_string()),
                );
                ui.end_row();
                match &mut ev.source {
                    EvidenceSource::File {
                        path,
                        sha256,
                        size_bytes,
                        original_name,
                    } => {
                        ui.label("File");
                        value_ui(ui, RichText::new(path.as_str()).monospace());
                        ui.end_row();
                        ui.label("Original name");
                        value_ui(ui, original_name.as_str());
                        ui.end_row();
                        ui.label("Size");
                        ui.label(format!("{size_bytes} bytes"));
                        ui.end_row();
                        ui.label("SHA-256");
                        value_ui(ui, RichText::new(sha256.as_str()).monospace().small());
                        ui.end_row();
                        ui.label("Integrity");
                        match (integrity.status(&draft.base.id), folder) {
                            (_, None) => {
                                value_ui(
                                    ui,
                                    RichText::new("not checked: the case is not saved in a folder")
                                        .color(theme::warning_color(dark)),
                                );
                            }
                            (Some(Integrity::Ok), _) => {
                                ui.colored_label(
                                    theme::claim_color(crate::model::ClaimStatus::Proven, dark),
                                    "✔ matches its SHA-256",
                                );
                            }
                            (Some(s), _) => {
                                value_ui(
                                    ui,
                                    RichText::new(format!(
                                        "⚠ {}: {}",
                                        s.label().to_uppercase(),
                                        s.explain()
                                    ))
                                    .color(theme::error_color(dark))
                                    .strong(),
                                );
                            }
                            (None, _) => {
                                ui.weak("checking…");
                            }
                        }
                        ui.end_row();
                    }
                    EvidenceSource::Reference { citation, archive } => {
                        let l = ui.label("URL or citation").id;
                        typing |= ui
                            .add(
                                egui::TextEdit::multiline(citation)
                                    .desired_rows(2)
                                    .desired_width(230.0),
                            )
                            .labelled_by(l)
                            .has_focus();
                        ui.end_row();
                        let l = ui.label("Archive").id;
                        typing |= ui
                            .add(egui::TextEdit::singleline(archive).desired_width(230.0))
                            .labelled_by(l)
                            .has_focus();
                        ui.end_row();
                    }
                    EvidenceSource::Text(text) => {
                        let l = ui.label("Text").id;
                        typing |= ui
                            .add(
                                egui::TextEdit::multiline(text)
                                    .desired_rows(4)
                                    .desired_width(230.0),
                            )
                            .labelled_by(l)
                            .has_focus();
                        ui.end_row();
                    }
                }
                let l = ui.label("Description").id;
                typing |= ui
                    .add(
                        egui::TextEdit::multiline(&mut ev.description)
                            .desired_rows(2)
                            .desired_width(230.0),
                    )
                    .labelled_by(l)
                    .has_focus();
                ui.end_row();
            });

        // Supported claims.
        ui.add_space(6.0);
        ui.strong(format!("Supports ({})", ev.supports.len()));
        let mut remove = None;
        for (i, s) in ev.supports.iter_mut().enumerate() {
            ui.push_id(("support", i), |ui| {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        match &s.target {
                            Some(t) => {
                                if ui
                                    .link(format!("{}: {}", t.kind_word(), case.item_label(t)))
                                    .clicked()
                                {
                                    actions.push(Action::Open(t.clone()));
                                }
                            }
                            None => {
                                ui.weak("(no item)");
                            }
                        }
                        if ui
                            .small_button("🗑")
                            .on_hover_text("Unlink this claim")
                            .clicked()
                        {
                            remove = Some(i);
                        }
                    });
                    for (label, value, hint) in [
                        ("Claim", &mut s.claim, "e.g. quantity, end user"),
                        ("Excerpt", &mut s.excerpt, "the words that support it"),
                        (
                            "Locator",
                            &mut s.locator,
                            "page, or timestamp such as 00:42",
                        ),
                    ] {
                        ui.horizontal(|ui| {
                            let l = ui.label(label).id;
                            typing |= ui
                                .add(
                                    egui::TextEdit::singleline(value)
                                        .hint_text(hint)
                                        .desired_width(220.0),
                                )
                                .labelled_by(l)
                                .has_focus();
                        });
                    }
                });
            });
        }
        if let Some(i) = remove {
            ev.supports.remove(i);
        }
        link_form_ui(ui, case, &mut self.link, ev, &mut typing);

        if let Some(full) = file_path(ev, folder) {
            ui.add_space(6.0);
            ui.strong("Preview");
            let key = ev
                .stored_file()
                .map_or_else(String::new, |f| f.sha256.to_owned());
            let stale = self
                .preview
                .as_ref()
                .is_none_or(|(id, k, _)| *id != ev.id || *k != key);
            if stale {
                let preview = match &full {
                    Ok(p) if p.is_file() => load_preview(ui.ctx(), p, &original_name(ev)),
                    Ok(_) => Preview::None("the file is missing".to_owned()),
                    Err(e) => Preview::None(e.clone()),
                };
                self.preview = Some((ev.id.clone(), key, preview));
            }
            match self.preview.as_ref().map(|(_, _, p)| p) {
                Some(Preview::Image(tex)) => {
                    ui.add(
                        egui::Image::from_texture(egui::load::SizedTexture::from_handle(tex))
                            .max_size(theme::EVIDENCE_PREVIEW_MAX),
                    );
                }
                Some(Preview::Text(text)) => {
                    egui::ScrollArea::vertical()
                        .id_salt("evidence_text_preview")
                        .max_height(theme::EVIDENCE_TEXT_PREVIEW_HEIGHT)
                        .show(ui, |ui| {
                            ui.add(
                                egui::Label::new(RichText::new(text.as_str()).monospace()).wrap(),
                            );
                        });
                }
                Some(Preview::None(why)) => {
                    ui.weak(why.as_str());
                }
                None => {}
            }
            if let Ok(p) = full
                && p.is_file()
                && ui
                    .button("Open with system viewer")
                    .on_hover_text("Opens the file in the program your system uses for it")
                    .clicked()
            {
                actions.push(Action::OpenExternal(p));
            }
        }

        custody_ui(ui, case, &draft.base.id);

        ui.add_space(8.0);
        let mut removed = false;
        if ui
            .button("🗑 Remove from case")
            .on_hover_text("Removes the item (its file stays in evidence/); logged in the custody log; undoable")
            .clicked()
        {
            actions.push(Action::Apply {
 select: None,
                label: format!("Remove evidence {}", draft.base.title),
                edit: locker::remove_evidence_edit(&draft.base, who, Timestamp::now()),
            });
            removed = true;
        }

        if !removed && draft.edited != draft.base && !typing {
            if draft.edited.title.trim().is_empty() {
                ui.colored_label(theme::error_color(dark), "The title must not be empty");
                return;
            }
            actions.push(Action::Apply {
                select: None,
                label: format!("Edit evidence {}", draft.edited.title),
                edit: locker::change_evidence_edit(
                    &draft.base,
                    draft.edited.clone(),
                    who,
                    Timestamp::now(),
                ),
            });
            // Optimistic: if the edit is refused, the case differs from base and the draft resets.
            draft.base = draft.edited.clone();
        }
    }
}

pub(super) fn link_form_ui(
    ui: &mut Ui,
    case: &Case,
    link: &mut LinkForm,
    ev: &mut Evidence,
    typing: &mut bool,
) {
    egui::CollapsingHeader::new("Link to a claim…")
        .id_salt("evidence_link_form")
        .default_open(ev.supports.is_empty())
        .show(ui, |ui| {
            let l = ui.label("Item").id;
            let shown = link.target.as_ref().map_or_else(
                || "choose an entity, link or shipment".to_owned(),
                |t| case.item_label(t),
            );
            egui::ComboBox::from_id_salt("evidence_link_target")
                .selected_text(shown)
                .width(260.0)
                .show_ui(ui, |ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut link.find).hint_text("type to narrow down"),
                    );
                    for item in link_candidates(case, &link.find, 50) {
                        let text = format!("{}: {}", item.kind_word(), case.item_label(&item));
                        ui.selectable_value(&mut link.target, Some(item), text);
                    }
                })
                .response
                .labelled_by(l);
            for (label, value, hint) in [
                (
                    "Claim",
                    &mut link.claim,
                    "e.g. quantity, end user, ownership %",
                ),
                ("Excerpt", &mut link.excerpt, "quote from the source"),
                (
                    "Locator",
                    &mut link.locator,
                    "page, or timestamp such as 00:42",
                ),
            ] {
                ui.horizontal(|ui| {
                    let l = ui.label(label).id;
                    *typing |= ui
                        .add(
                            egui::TextEdit::singleline(value)
                                .hint_text(hint)
                                .desired_width(220.0),
                        )
                        .labelled_by(l)
                        .has_focus();
                });
            }
            let can = link.target.is_some();
            if ui
                .add_enabled(can, egui::Button::new("Link claim"))
                .clicked()
                && let Some(target) = link.target.clone()
            {
                ev.supports.push(ClaimSupport {
                    target: Some(target),
                    claim: std::mem::take(&mut link.claim).trim().to_owned(),
                    excerpt: std::mem::take(&mut link.excerpt).trim().to_owned(),
                    locator: std::mem::take(&mut link.locator).trim().to_owned(),
                });
            }
        });
}

pub(super) fn custody_ui(ui: &mut Ui, case: &Case, id: &EvidenceId) {
    let entries: Vec<_> = case.custody.iter().filter(|c| &c.evidence == id).collect();
    egui::CollapsingHeader::new(format!("Custody log ({})", entries.len()))
        .id_salt("evidence_custody")
        .show(ui, |ui| {
            for c in entries {
                ui.horizontal_wrapped(|ui| {
                    ui.monospace(c.at.to_string());
                    ui.strong(format!("{:?}", c.action));
                    ui.label(format!("by {}", c.who));
                    if !c.detail.is_empty() {
                        ui.weak(c.detail.as_str());
                    }
                });
                let short = |h: &str| h.chars().take(12).collect::<String>();
                if !c.old_sha256.is_empty() || !c.new_sha256.is_empty() {
                    ui.weak(format!(
                        "   SHA-256 {} → {}",
                        if c.old_sha256.is_empty() {
                            "—".to_owned()
                        } else {
                            short(&c.old_sha256)
                        },
                        if c.new_sha256.is_empty() {
                            "—".to_owned()
                        } else {
                            short(&c.new_sha256)
                        }
                    ));
                }
            }
        });
}
