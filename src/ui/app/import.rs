//! Importing into the open case from the File menu: CSV with a column-mapping dialog (preview,
//! a first guess from the headers, saved and reused mappings) and `FollowTheMoney` files. The
//! import runs off the UI thread with a progress bar and Cancel, is applied as one undo step,
//! and ends in a summary that lists every automatic merge with its reason (*Keep apart*
//! splits one again, one undo step), the probable duplicates to review (merge them, record
//! them as "possibly the same", or keep them apart), and what was not carried and why.

use super::{ChokepointApp, DialogKind};
use crate::edit::Edit;
use crate::io::import::csv::{CsvMapping, CsvTable, Field, RowKind};
use crate::io::import::{self, ImportError, ImportSummary, PossibleDuplicate};
use crate::layout::Progress;
use crate::model::{EntityId, EntityKind, IdentifierScheme};
use crate::ui::jobs::{Job, Poll};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows shown in the mapping dialog's preview.
const PREVIEW_ROWS: usize = 6;

type ImportResult = Result<(Edit, ImportSummary), ImportError>;

/// Where an import stands.
#[derive(Default)]
pub enum ImportState {
    #[default]
    Idle,
    /// The CSV mapping dialog is open.
    Mapping(Box<MappingDialog>),
    /// Reading in the background.
    Running(Job<ImportResult>),
    /// The summary, with probable duplicates to review.
    Summary(Box<SummaryDialog>),
}

pub struct MappingDialog {
    path: PathBuf,
    bytes: Arc<Vec<u8>>,
    table: CsvTable,
    mapping: CsvMapping,
    /// Text of the mapping file path for "Save mapping" / "Load mapping".
    mapping_path: String,
    message: Option<(bool, String)>,
}

pub struct SummaryDialog {
    title: String,
    summary: ImportSummary,
    /// What the user decided for each probable duplicate, by index.
    decided: Vec<Option<&'static str>>,
    /// What became of each automatic merge the user split again (or why it could not be).
    split: Vec<Option<String>>,
}

/// Which importer a chosen file goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    Csv,
    Ftm,
}

/// The fields a column can be mapped to for the given kind of rows, with "not imported" first.
fn field_choices(rows: RowKind) -> Vec<Option<Field>> {
    let mut out = vec![None];
    match rows {
        RowKind::Shipments => out.extend(Field::shipment_fields().into_iter().map(Some)),
        RowKind::Entities => {
            out.extend(Field::ENTITY_FIELDS.iter().cloned().map(Some));
            out.extend(
                IdentifierScheme::COMMON
                    .iter()
                    .cloned()
                    .map(|s| Some(Field::Identifier(s))),
            );
        }
    }
    out
}

impl ChokepointApp {
    /// Starts an import of `path`: CSV opens the mapping dialog, FtM runs at once.
    pub fn start_import(&mut self, kind: ImportKind, path: PathBuf) {
        let bytes = match import::read_import_file(&path) {
            Ok(b) => Arc::new(b),
            Err(e) => {
                self.import_failed(&path, &e);
                return;
            }
        };
        match kind {
            ImportKind::Csv => match CsvTable::read(&bytes, None) {
                Ok(table) => {
                    let mut mapping = CsvMapping::guess(&table.headers, RowKind::Shipments);
                    mapping.delimiter = Some(table.delimiter);
                    let mapping_path = path.with_extension("mapping.ron").display().to_string();
                    self.importer = ImportState::Mapping(Box::new(MappingDialog {
                        path,
                        bytes,
                        table,
                        mapping,
                        mapping_path,
                        message: None,
                    }));
                }
                Err(e) => self.import_failed(&path, &e),
            },
            ImportKind::Ftm => {
                let case = self.case.clone();
                let label = format!("Import {}", file_name(&path));
                self.run_import(label, move |_| {
                    let (text, _) = crate::io::tabular::decode(&bytes);
                    import::ftm::import(&text, &case)
                });
            }
        }
    }

    fn import_failed(&mut self, path: &Path, e: &ImportError) {
        self.error(format!("Could not import {}: {e}", file_name(path)));
        self.modal = Some(super::Modal::Error {
            title: "Could not import".to_owned(),
            message: format!("{}: {e}\n\nThe case is unchanged.", path.display()),
        });
    }

    fn run_import(
        &mut self,
        label: String,
        work: impl FnOnce(&Progress) -> ImportResult + Send + 'static,
    ) {
        self.importer = ImportState::Running(Job::spawn(label, true, work));
    }

    /// Collects a finished background import and applies it as one undo step.
    pub(super) fn import_step(&mut self, ctx: &egui::Context) {
        let ImportState::Running(job) = &self.importer else {
            return;
        };
        let result = match job.poll(ctx) {
            Poll::Running => return,
            Poll::Done(r) => r,
            Poll::Lost => Err(ImportError::Io(
                "the import stopped unexpectedly".to_owned(),
            )),
        };
        let label = job.name().to_owned();
        self.importer = ImportState::Idle;
        match result {
            Ok((edit, summary)) => {
                let before: std::collections::BTreeSet<EntityId> =
                    self.case.entities.keys().cloned().collect();
                if self.apply_edit(&label, edit) {
                    // What arrived is laid out among what was there, instead of on a grid.
                    let arrived: std::collections::BTreeSet<EntityId> = self
                        .case
                        .entities
                        .keys()
                        .filter(|id| !before.contains(*id))
                        .cloned()
                        .collect();
                    if arrived.len() > 1 {
                        self.canvas.lay_out_arrivals(&self.case, &arrived);
                        self.info(format!(
                            "{label}: done, laying the new entities out (Undo takes the layout \
                             back, then the import)"
                        ));
                    } else {
                        self.info(format!("{label}: done (Undo takes it back)"));
                    }
                    let n = summary.possible_duplicates.len();
                    let merges = summary.merges.len();
                    self.importer = ImportState::Summary(Box::new(SummaryDialog {
                        title: label,
                        summary,
                        decided: vec![None; n],
                        split: vec![None; merges],
                    }));
                }
            }
            Err(ImportError::Cancelled) => self.info(format!("{label}: cancelled")),
            Err(e) => {
                self.error(format!("{label}: {e}"));
                self.modal = Some(super::Modal::Error {
                    title: "Could not import".to_owned(),
                    message: format!("{e}\n\nThe case is unchanged."),
                });
            }
        }
    }

    /// The import dialogs: mapping, progress, summary.
    pub(super) fn import_ui(&mut self, ctx: &egui::Context) {
        match std::mem::take(&mut self.importer) {
            ImportState::Idle => {}
            ImportState::Mapping(mut dialog) => {
                let mut keep = true;
                let mut start = false;
                // A window rather than a modal: the user can look at the case while mapping,
                // and the field lists (popups) stay above it.
                egui::Window::new(format!("Import {}", file_name(&dialog.path)))
                    .id(egui::Id::unique("csv_import"))
                    .collapsible(false)
                    .resizable(true)
                    .default_width((ctx.content_rect().width() - 120.0).clamp(480.0, 1200.0))
                    .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                    .show(ctx, |ui| {
                        mapping_ui(ui, &mut dialog, &mut keep, &mut start);
                    });
                if start {
                    let case = self.case.clone();
                    let d = *dialog;
                    let label = format!("Import {}", file_name(&d.path));
                    let mapping = d.mapping;
                    let bytes = d.bytes;
                    self.run_import(label, move |progress| {
                        let table = CsvTable::read(&bytes, mapping.delimiter)?;
                        import::csv::import(&table, &mapping, &case, progress)
                    });
                } else if keep {
                    self.importer = ImportState::Mapping(dialog);
                }
            }
            ImportState::Running(job) => {
                egui::Modal::new(egui::Id::unique("import_progress")).show(ctx, |ui| {
                    ui.heading(job.name());
                    ui.add(egui::ProgressBar::new(job.progress().fraction()).show_percentage());
                    if ui.button("Cancel").clicked() {
                        job.cancel();
                    }
                });
                self.importer = ImportState::Running(job);
            }
            ImportState::Summary(mut dialog) => {
                let mut keep = true;
                let mut edits: Vec<(String, Edit)> = Vec::new();
                egui::Modal::new(egui::Id::unique("import_summary")).show(ctx, |ui| {
                    ui.set_max_width(640.0);
                    summary_ui(ui, self, &mut dialog, &mut keep, &mut edits);
                });
                for (label, edit) in edits {
                    self.apply_edit(&label, edit);
                }
                if keep {
                    self.importer = ImportState::Summary(dialog);
                }
            }
        }
    }

    /// Asks for a file to import (a file dialog, or a typed path where none is available).
    pub(super) fn import_dialog(&mut self, kind: ImportKind) {
        self.spawn_dialog(match kind {
            ImportKind::Csv => DialogKind::ImportCsv,
            ImportKind::Ftm => DialogKind::ImportFtm,
        });
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn mapping_ui(ui: &mut Ui, d: &mut MappingDialog, keep: &mut bool, start: &mut bool) {
    if crate::io::import::csv::is_trade_statistics(&d.table.headers) {
        // Comtrade's layout is read by its own column names: no mapping to make.
        ui.label(format!(
            "{} rows of trade statistics (UN Comtrade)",
            d.table.row_count()
        ));
        ui.label(
            "Each row is a country's reported trade with a partner (or with all partners) in \
             a commodity over a period: a national total, not a shipment. The rows are kept as \
             trade statistics, shown in the Flows tab beside the case's shipments, and raise no \
             findings.",
        );
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .button(format!("Import {} rows as statistics", d.table.row_count()))
                .clicked()
            {
                *start = true;
                *keep = false;
            }
            if ui.button("Cancel").clicked() {
                *keep = false;
            }
        });
        return;
    }
    ui.label(format!(
        "{} rows · {} · delimiter {}",
        d.table.row_count(),
        d.table.encoding.label(),
        match d.table.delimiter {
            '\t' => "tab".to_owned(),
            c => format!("“{c}”"),
        }
    ));
    ui.horizontal(|ui| {
        ui.label("Each row is");
        let before = d.mapping.rows;
        ui.radio_value(&mut d.mapping.rows, RowKind::Shipments, "a shipment");
        ui.radio_value(&mut d.mapping.rows, RowKind::Entities, "an entity");
        if d.mapping.rows != before {
            let delimiter = d.mapping.delimiter;
            d.mapping = CsvMapping::guess(&d.table.headers, d.mapping.rows);
            d.mapping.delimiter = delimiter;
        }
        ui.separator();
        let l = ui.label("Parties are");
        egui::ComboBox::from_id_salt("import_entity_kind")
            .selected_text(d.mapping.entity_kind.label())
            .show_ui(ui, |ui| {
                for k in EntityKind::ALL {
                    ui.selectable_value(&mut d.mapping.entity_kind, k, k.label());
                }
            })
            .response
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label("Currency when none is given");
        ui.add(egui::TextEdit::singleline(&mut d.mapping.default_currency).desired_width(48.0))
            .labelled_by(l.id);
        ui.checkbox(&mut d.mapping.day_first, "Dates are day first (28/11/2024)");
        let mut comma = d.mapping.decimal_mark == crate::model::parse::DecimalMark::Comma;
        if ui
            .checkbox(&mut comma, "Decimal comma (1.200,50)")
            .changed()
        {
            d.mapping.decimal_mark = if comma {
                crate::model::parse::DecimalMark::Comma
            } else {
                crate::model::parse::DecimalMark::Point
            };
        }
    });
    ui.separator();
    ui.label(
        RichText::new("Map each column to a field; unmapped columns are not imported.").weak(),
    );
    let choices = field_choices(d.mapping.rows);
    egui::ScrollArea::both().max_height(300.0).show(ui, |ui| {
        egui::Grid::new("csv_preview")
            .striped(true)
            .min_col_width(90.0)
            .show(ui, |ui| {
                for h in &d.table.headers {
                    ui.strong(h);
                }
                ui.end_row();
                for h in d.table.headers.clone() {
                    let current = d.mapping.columns.get(&h).cloned();
                    let text = current
                        .as_ref()
                        .map_or_else(|| "—".to_owned(), Field::label);
                    let mut chosen = current.clone();
                    egui::ComboBox::from_id_salt(("map", &h))
                        .selected_text(text)
                        .width(140.0)
                        // Tall enough to list every field without scrolling.
                        .height(560.0)
                        .show_ui(ui, |ui| {
                            for c in &choices {
                                let label = c.as_ref().map_or_else(|| "—".to_owned(), Field::label);
                                ui.selectable_value(&mut chosen, c.clone(), label);
                            }
                        })
                        .response
                        .on_hover_text(format!("Field for column “{h}”"));
                    if chosen != current {
                        match chosen {
                            Some(f) => d.mapping.columns.insert(h.clone(), f),
                            None => d.mapping.columns.remove(&h),
                        };
                    }
                }
                ui.end_row();
                for row in d.table.rows().take(PREVIEW_ROWS) {
                    for i in 0..d.table.headers.len() {
                        let cell = row.get(i).map_or("", String::as_str);
                        ui.label(truncate(cell, 40));
                    }
                    ui.end_row();
                }
            });
    });
    ui.separator();
    ui.horizontal(|ui| {
        let l = ui.label("Mapping file");
        ui.add(egui::TextEdit::singleline(&mut d.mapping_path).desired_width(360.0))
            .labelled_by(l.id);
        if ui.button("Save mapping").clicked() {
            let path = PathBuf::from(d.mapping_path.trim());
            d.message = Some(
                match crate::io::write_atomic(&path, d.mapping.to_ron().as_bytes()) {
                    Ok(()) => (false, format!("Mapping saved to {}", path.display())),
                    Err(e) => (true, format!("Could not save the mapping: {e}")),
                },
            );
        }
        if ui.button("Load mapping").clicked() {
            let path = PathBuf::from(d.mapping_path.trim());
            d.message = Some(match CsvMapping::from_file(&path) {
                Ok(m) => {
                    d.mapping = m;
                    (false, format!("Mapping loaded from {}", path.display()))
                }
                Err(e) => (true, format!("Could not load the mapping: {e}")),
            });
        }
    });
    if let Some((is_error, text)) = &d.message {
        if *is_error {
            ui.colored_label(ui.visuals().error_fg_color, text);
        } else {
            ui.label(text);
        }
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let needed = match d.mapping.rows {
            RowKind::Shipments => d
                .mapping
                .columns
                .values()
                .any(|f| matches!(f, Field::Shipper | Field::Consignee)),
            RowKind::Entities => d.mapping.columns.values().any(|f| *f == Field::Name),
        };
        let import = ui
            .add_enabled(
                needed,
                egui::Button::new(format!("Import {} rows", d.table.row_count())),
            )
            .on_disabled_hover_text(match d.mapping.rows {
                RowKind::Shipments => "Map a column to Shipper or Consignee first",
                RowKind::Entities => "Map a column to Name first",
            });
        if import.clicked() {
            *start = true;
            *keep = false;
        }
        if ui.button("Cancel").clicked() {
            *keep = false;
        }
    });
}

fn truncate(s: &str, max: usize) -> String {
    let one_line = s.replace('\n', " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        one_line.chars().take(max - 1).collect::<String>() + "…"
    }
}

fn summary_ui(
    ui: &mut Ui,
    app: &ChokepointApp,
    d: &mut SummaryDialog,
    keep: &mut bool,
    edits: &mut Vec<(String, Edit)>,
) {
    ui.heading(format!("{}: done", d.title));
    ui.label(d.summary.headline());
    if !d.summary.merges.is_empty() {
        ui.separator();
        ui.strong(format!("Merged automatically ({})", d.summary.merges.len()));
        ui.label(
            RichText::new(
                "Records taken for a party already known, each with the reason. Split makes \
                 them a party of their own again (one undo step).",
            )
            .weak(),
        );
        egui::ScrollArea::vertical()
            .id_salt("import_merges")
            .max_height(200.0)
            .show(ui, |ui| {
                for (i, m) in d.summary.merges.iter().enumerate() {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(m.describe());
                        if let Some(what) = &d.split[i] {
                            ui.label(RichText::new(what.as_str()).weak());
                        } else if ui
                            .button("Split")
                            .on_hover_text("Keep these records apart, as an entity of their own")
                            .clicked()
                        {
                            d.split[i] = Some(match import::split_merge_edit(&app.case, m) {
                                Ok((edit, _)) => {
                                    edits.push((format!("Split from {}", m.into_name), edit));
                                    "split again".to_owned()
                                }
                                Err(why) => why,
                            });
                        }
                    });
                }
            });
    }
    if !d.summary.possible_duplicates.is_empty() {
        ui.separator();
        ui.strong("Probable duplicates");
        ui.label(
            RichText::new(
                "These look like the same party under another spelling. Merge them, record \
                 them as possibly the same, or keep them apart.",
            )
            .weak(),
        );
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .show(ui, |ui| {
                for (i, dup) in d.summary.possible_duplicates.iter().enumerate() {
                    duplicate_row_ui(ui, app, dup, &mut d.decided[i], edits);
                }
            });
    }
    let details = d.summary.details();
    if !details.is_empty() {
        ui.separator();
        egui::CollapsingHeader::new(format!(
            "Not carried or kept elsewhere ({} values not carried, {} records left out)",
            d.summary.not_carried_count(),
            d.summary.skipped.len()
        ))
        .default_open(d.summary.not_carried_count() > 0 || !d.summary.skipped.is_empty())
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("import_details")
                .max_height(200.0)
                .show(ui, |ui| ui.label(details));
        });
    }
    ui.add_space(6.0);
    if ui.button("Close").clicked() {
        *keep = false;
    }
}

fn duplicate_row_ui(
    ui: &mut Ui,
    app: &ChokepointApp,
    dup: &PossibleDuplicate,
    decided: &mut Option<&'static str>,
    edits: &mut Vec<(String, Edit)>,
) {
    let case = &app.case;
    let describe = |id| {
        case.entities.get(id).map_or_else(
            || format!("{id} (gone)"),
            |e| match &e.country {
                Some(c) => format!("{} ({c})", e.name),
                None => e.name.clone(),
            },
        )
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "“{}” ~ “{}” · {}",
            describe(&dup.incoming),
            describe(&dup.existing),
            dup.reason
        ));
        if let Some(what) = decided {
            ui.label(RichText::new(*what).weak());
            return;
        }
        let both =
            case.entities.contains_key(&dup.incoming) && case.entities.contains_key(&dup.existing);
        if ui
            .add_enabled(both, egui::Button::new("Merge"))
            .on_hover_text("Fold the imported entity into the existing one (one undo step)")
            .clicked()
            && let Some(edit) = import::merge_entities_edit(case, &dup.existing, &dup.incoming)
        {
            edits.push((format!("Merge {}", describe(&dup.incoming)), edit));
            *decided = Some("merged");
        }
        if ui
            .add_enabled(both, egui::Button::new("Possibly same"))
            .on_hover_text("Keep both, joined by a “possibly same as” link")
            .clicked()
        {
            edits.push((
                "Mark as possibly the same".to_owned(),
                import::possibly_same_edit(case, &dup.incoming, &dup.existing),
            ));
            *decided = Some("linked as possibly the same");
        }
        if ui.button("Keep apart").clicked() {
            *decided = Some("kept apart");
        }
    });
}
