//! The evidence locker: every evidence item with filters and sorting, adding evidence (a file, a
//! reference or citation that is never fetched, pasted text), grading (Admiralty reliability
//! A–F and credibility 1–6, meanings on hover), handling markings, linking evidence to the
//! claims it supports, previews, the custody log, and integrity flags.
//!
//! Like every panel it reads `&Case` and returns actions; each change is built by
//! `io::evidence` as one edit together with its custody entry. The integrity of evidence files
//! is checked off the UI thread by [`IntegrityWatch`], which the app owns so the status bar can
//! flag problems too.

use crate::edit::Edit;
use crate::edit::Revision;
use crate::io::evidence::{self as locker, Integrity, IntegrityReport};
use crate::model::parse::{self, DateOrder};
use crate::model::{
    Case, ClaimSupport, Evidence, EvidenceId, EvidenceKind, EvidenceSource, InfoCredibility,
    ItemRef, PartialDate, SourceReliability, Timestamp, Tlp,
};
use crate::ui::action::Action;
use crate::ui::jobs::{Job, Poll};
use crate::ui::theme;
use egui::{Color32, RichText, Ui};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// ---- integrity ------------------------------------------------------------------------------

/// What identifies the files to check: the case folder and each file item's path and hash.
type WatchKey = (Option<PathBuf>, Vec<(EvidenceId, String, String, u64)>);

/// Checks evidence files against their hashes on a background thread whenever the case is
/// opened, its evidence files change, or the user asks; keeps the latest reports.
#[derive(Default)]
pub struct IntegrityWatch {
    key: Option<WatchKey>,
    seen_revision: Option<Revision>,
    reports: BTreeMap<EvidenceId, Integrity>,
    job: Option<(WatchKey, Job<Vec<IntegrityReport>>)>,
    force: bool,
    /// File items that could not be checked because the case has no folder yet.
    pub unchecked: usize,
    /// When the last check finished.
    pub checked_at: Option<Timestamp>,
}

impl IntegrityWatch {
    /// Asks for a fresh check on the next refresh.
    pub fn recheck(&mut self) {
        self.force = true;
    }

    /// Forgets everything (a new case was opened).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Whether a check is running.
    pub fn pending(&self) -> bool {
        self.job.is_some()
    }

    pub fn status(&self, id: &EvidenceId) -> Option<&Integrity> {
        self.reports.get(id)
    }

    /// Evidence items whose files failed the check, in id order.
    pub fn problems(&self) -> Vec<(&EvidenceId, &Integrity)> {
        self.reports.iter().filter(|(_, s)| !s.is_ok()).collect()
    }

    /// Collects a finished check and starts a new one when the files or the folder changed.
    /// Cheap when nothing changed: the case is only looked at when `revision` moves.
    pub fn refresh(
        &mut self,
        ctx: &egui::Context,
        case: &Case,
        folder: Option<&Path>,
        revision: Revision,
    ) {
        if let Some((key, job)) = &self.job {
            match job.poll(ctx) {
                Poll::Done(reports) => {
                    if self.key.as_ref() == Some(key) {
                        self.reports = reports
                            .into_iter()
                            .map(|r| (r.evidence, r.status))
                            .collect();
                        self.checked_at = Some(Timestamp::now());
                    }
                    self.job = None;
                }
                Poll::Running => {}
                Poll::Lost => self.job = None,
            }
        }
        let folder_changed = self.key.as_ref().map(|k| k.0.as_deref()) != Some(folder);
        if self.seen_revision == Some(revision) && !self.force && !folder_changed {
            return;
        }
        self.seen_revision = Some(revision);
        let files: Vec<(EvidenceId, String, String, u64)> = case
            .evidence
            .values()
            .filter_map(|ev| {
                let f = ev.stored_file()?;
                Some((
                    ev.id.clone(),
                    f.path.to_owned(),
                    f.sha256.to_owned(),
                    f.size_bytes,
                ))
            })
            .collect();
        let key = (folder.map(Path::to_owned), files);
        if self.key.as_ref() == Some(&key) && !self.force {
            return;
        }
        self.force = false;
        self.key = Some(key.clone());
        let Some(dir) = folder.map(Path::to_owned) else {
            self.unchecked = key.1.len();
            self.reports.clear();
            return;
        };
        self.unchecked = 0;
        let files = key.1.clone();
        let job = Job::spawn_waking(ctx, "Checking evidence files", false, move |_| {
            files
                .into_iter()
                .map(|(evidence, path, sha256, size)| IntegrityReport {
                    status: locker::verify_file(&dir, &path, &sha256, size),
                    evidence,
                    path,
                })
                .collect()
        });
        self.job = Some((key, job));
    }
}

// ---- grades ---------------------------------------------------------------------------------

/// The compact grade badge ("B2"), coloured by reliability, with both meanings on hover.
pub fn grade_badge_ui(ui: &mut Ui, ev: &Evidence) -> egui::Response {
    let (fill, text) = theme::grade_colors(ev.reliability, ui.visuals().dark_mode);
    ui.label(
        RichText::new(format!(" {} ", ev.grade()))
            .monospace()
            .strong()
            .background_color(fill)
            .color(text),
    )
    .on_hover_text(grade_meaning(ev))
}

/// "B2: source usually reliable; information probably true".
pub fn grade_meaning(ev: &Evidence) -> String {
    format!(
        "{}: source {} ({}); information {} ({})",
        ev.grade(),
        ev.reliability.meaning().to_lowercase(),
        ev.reliability.letter(),
        ev.credibility.meaning().to_lowercase(),
        ev.credibility.digit()
    )
}

/// One of the two Admiralty scales, so one combo box and one label serve both grades.
trait Grade: Copy + PartialEq + 'static {
    /// Every grade, best first.
    const CHOICES: &'static [Self];
    /// The field's label, e.g. "Reliability"; lowercased, it also salts the combo's id.
    const LABEL: &'static str;
    /// A single grade's name on hover, e.g. "Source reliability".
    const NOUN: &'static str;
    /// The whole scale explained, on hover over the combo box.
    const HELP: &'static str;
    /// The grade's letter or digit.
    fn code(self) -> impl std::fmt::Display;
    fn meaning(self) -> &'static str;
}

impl Grade for SourceReliability {
    const CHOICES: &'static [Self] = &SourceReliability::ALL;
    const LABEL: &'static str = "Reliability";
    const NOUN: &'static str = "Source reliability";
    const HELP: &'static str =
        "How reliable the source is (Admiralty system, A best, F cannot be judged)";
    fn code(self) -> impl std::fmt::Display {
        self.letter()
    }
    fn meaning(self) -> &'static str {
        SourceReliability::meaning(self)
    }
}

impl Grade for InfoCredibility {
    const CHOICES: &'static [Self] = &InfoCredibility::ALL;
    const LABEL: &'static str = "Credibility";
    const NOUN: &'static str = "Information credibility";
    const HELP: &'static str =
        "How credible the information is (Admiralty system, 1 best, 6 cannot be judged)";
    fn code(self) -> impl std::fmt::Display {
        self.digit()
    }
    fn meaning(self) -> &'static str {
        InfoCredibility::meaning(self)
    }
}

/// "B — Usually reliable".
fn grade_text<G: Grade>(g: G) -> String {
    format!("{} — {}", g.code(), g.meaning())
}

/// Reliability A–F or credibility 1–6, each choice with its meaning (also on hover).
fn grade_combo_ui<G: Grade>(ui: &mut Ui, salt: &str, value: &mut G) -> bool {
    let before = *value;
    let label = ui.label(G::LABEL).id;
    egui::ComboBox::from_id_salt((G::LABEL.to_lowercase(), salt))
        .selected_text(grade_text(*value))
        .show_ui(ui, |ui| {
            for &g in G::CHOICES {
                ui.selectable_value(value, g, grade_text(g))
                    .on_hover_text(format!("{} {}: {}", G::NOUN, g.code(), g.meaning()));
            }
        })
        .response
        .labelled_by(label)
        .on_hover_text(G::HELP);
    *value != before
}

fn marking_combo_ui(ui: &mut Ui, salt: &str, value: &mut Tlp) -> bool {
    let before = *value;
    let label = ui.label("Marking").id;
    let (fill, text) = theme::tlp_colors(*value);
    egui::ComboBox::from_id_salt(("marking", salt))
        .selected_text(
            RichText::new(value.label())
                .background_color(fill)
                .color(text),
        )
        .show_ui(ui, |ui| {
            for t in Tlp::ALL {
                ui.selectable_value(value, t, t.label())
                    .on_hover_text(t.meaning());
            }
        })
        .response
        .labelled_by(label)
        .on_hover_text(value.meaning());
    *value != before
}

fn kind_combo_ui(ui: &mut Ui, salt: &str, value: &mut EvidenceKind) -> bool {
    let before = *value;
    let label = ui.label("Kind").id;
    egui::ComboBox::from_id_salt(("kind", salt))
        .selected_text(value.label())
        .show_ui(ui, |ui| {
            for k in EvidenceKind::ALL {
                ui.selectable_value(value, k, k.label());
            }
        })
        .response
        .labelled_by(label);
    *value != before
}

// ---- filters and sorting --------------------------------------------------------------------

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Linked {
    #[default]
    All,
    Supporting,
    Unlinked,
}

impl Linked {
    fn label(self) -> &'static str {
        match self {
            Linked::All => "linked or not",
            Linked::Supporting => "linked to a claim",
            Linked::Unlinked => "not linked",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum SortBy {
    #[default]
    Date,
    Captured,
    Grade,
    Title,
    Kind,
}

impl SortBy {
    const ALL: [SortBy; 5] = [
        SortBy::Date,
        SortBy::Captured,
        SortBy::Grade,
        SortBy::Title,
        SortBy::Kind,
    ];

    fn label(self) -> &'static str {
        match self {
            SortBy::Date => "source date",
            SortBy::Captured => "capture time",
            SortBy::Grade => "grade",
            SortBy::Title => "title",
            SortBy::Kind => "kind",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
struct LockerFilters {
    text: String,
    kind: Option<EvidenceKind>,
    reliability: Option<SourceReliability>,
    credibility: Option<InfoCredibility>,
    marking: Option<Tlp>,
    linked: Linked,
    from: String,
    to: String,
    problems_only: bool,
    sort: SortBy,
    descending: bool,
}

impl LockerFilters {
    fn active(&self) -> bool {
        let plain = LockerFilters {
            sort: self.sort,
            descending: self.descending,
            ..LockerFilters::default()
        };
        *self != plain
    }

    fn keeps(&self, ev: &Evidence, range: (Option<i64>, Option<i64>), broken: bool) -> bool {
        if self.problems_only && !broken {
            return false;
        }
        if self.kind.is_some_and(|k| k != ev.kind)
            || self.reliability.is_some_and(|r| r != ev.reliability)
            || self.credibility.is_some_and(|c| c != ev.credibility)
            || self.marking.is_some_and(|m| m != ev.marking)
        {
            return false;
        }
        let linked = ev.supports.iter().any(|s| s.target.is_some());
        match self.linked {
            Linked::Supporting if !linked => return false,
            Linked::Unlinked if linked => return false,
            _ => {}
        }
        if range.0.is_some() || range.1.is_some() {
            let Some(day) = ev.date.as_ref().map(PartialDate::days_since_epoch) else {
                return false;
            };
            if range.0.is_some_and(|f| day < f) || range.1.is_some_and(|t| day > t) {
                return false;
            }
        }
        let needle = self.text.trim().to_lowercase();
        needle.is_empty()
            || ev.title.to_lowercase().contains(&needle)
            || ev.description.to_lowercase().contains(&needle)
            || ev.id.as_str().contains(&needle)
            || match &ev.source {
                EvidenceSource::File {
                    original_name,
                    path,
                    ..
                } => original_name.to_lowercase().contains(&needle) || path.contains(&needle),
                EvidenceSource::Reference { citation, archive } => {
                    citation.to_lowercase().contains(&needle)
                        || archive.to_lowercase().contains(&needle)
                }
                EvidenceSource::Text(t) => t.to_lowercase().contains(&needle),
            }
    }
}

/// The last day a partial date covers, so "2024-11" as an end includes all of November.
fn last_day(date: &PartialDate) -> i64 {
    let next = match (date.month, date.day) {
        (_, Some(_)) => return date.days_since_epoch(),
        (Some(12) | None, None) => PartialDate {
            year: date.year + 1,
            month: Some(1),
            day: Some(1),
        },
        (Some(m), None) => PartialDate {
            year: date.year,
            month: Some(m + 1),
            day: Some(1),
        },
    };
    next.days_since_epoch() - 1
}

fn source_word(ev: &Evidence) -> &'static str {
    match ev.source {
        EvidenceSource::File { .. } => "📄",
        EvidenceSource::Reference { .. } => "🔗",
        EvidenceSource::Text(_) => "📝",
    }
}

// ---- adding ---------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AddMode {
    Reference,
    Text,
}

struct AddForm {
    mode: AddMode,
    title: String,
    kind: EvidenceKind,
    citation: String,
    archive: String,
    text: String,
    date: String,
    reliability: SourceReliability,
    credibility: InfoCredibility,
    marking: Tlp,
    claim: String,
    locator: String,
    error: Option<String>,
}

impl AddForm {
    fn new(mode: AddMode, marking: Tlp) -> Self {
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

// ---- linking --------------------------------------------------------------------------------

#[derive(Default)]
struct LinkForm {
    target: Option<ItemRef>,
    find: String,
    claim: String,
    excerpt: String,
    locator: String,
}

/// Entities, links and shipments whose label contains `find`, at most `limit`, in id order.
fn link_candidates(case: &Case, find: &str, limit: usize) -> Vec<ItemRef> {
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

enum Preview {
    Image(egui::TextureHandle),
    Text(String),
    /// No inline preview: why, shown with the metadata.
    None(String),
}

/// Largest file read for an inline preview.
const PREVIEW_MAX_BYTES: u64 = 32 << 20;
/// Largest piece of a text file shown.
const TEXT_PREVIEW_BYTES: usize = 256 << 10;

fn load_preview(ctx: &egui::Context, full: &Path, name: &str) -> Preview {
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

    fn filtered(
        &mut self,
        case: &Case,
        revision: Revision,
        integrity: &IntegrityWatch,
    ) -> Vec<EvidenceId> {
        let problems = integrity.problems().len();
        if let Some((r, f, p, ids)) = &self.cache
            && *r == revision
            && *f == self.filters
            && *p == problems
        {
            return ids.clone();
        }
        let f = &self.filters;
        let from = parse::date(&f.from, DateOrder::Unknown)
            .ok()
            .map(|d| d.days_since_epoch());
        let to = parse::date(&f.to, DateOrder::Unknown)
            .ok()
            .map(|d| last_day(&d));
        let mut items: Vec<&Evidence> = case
            .evidence
            .values()
            .filter(|ev| {
                let broken = integrity.status(&ev.id).is_some_and(|s| !s.is_ok());
                f.keeps(ev, (from, to), broken)
            })
            .collect();
        match f.sort {
            SortBy::Date => items.sort_by(|a, b| {
                let day = |e: &Evidence| e.date.as_ref().map(PartialDate::days_since_epoch);
                day(a).cmp(&day(b)).then(a.id.cmp(&b.id))
            }),
            SortBy::Captured => {
                items.sort_by(|a, b| a.captured.cmp(&b.captured).then(a.id.cmp(&b.id)));
            }
            SortBy::Grade => items.sort_by(|a, b| {
                locker::grade_rank(a)
                    .cmp(&locker::grade_rank(b))
                    .then(a.id.cmp(&b.id))
            }),
            SortBy::Title => items.sort_by(|a, b| {
                a.title
                    .to_lowercase()
                    .cmp(&b.title.to_lowercase())
                    .then(a.id.cmp(&b.id))
            }),
            SortBy::Kind => items.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.id.cmp(&b.id))),
        }
        if f.descending {
            items.reverse();
        }
        let ids: Vec<EvidenceId> = items.into_iter().map(|e| e.id.clone()).collect();
        self.cache = Some((revision, self.filters.clone(), problems, ids.clone()));
        ids
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

    fn filters_ui(&mut self, ui: &mut Ui, integrity: &IntegrityWatch) {
        let f = &mut self.filters;
        ui.horizontal_wrapped(|ui| {
            let find = ui.label("Find").id;
            ui.add(
                egui::TextEdit::singleline(&mut f.text)
                    .hint_text("title, citation, text")
                    .desired_width(150.0),
            )
            .labelled_by(find);
            let sort = ui.label("Sort by").id;
            egui::ComboBox::from_id_salt("evidence_sort")
                .selected_text(f.sort.label())
                .show_ui(ui, |ui| {
                    for s in SortBy::ALL {
                        ui.selectable_value(&mut f.sort, s, s.label());
                    }
                })
                .response
                .labelled_by(sort);
            let arrow = if f.descending { "⬇" } else { "⬆" };
            if ui
                .small_button(arrow)
                .on_hover_text("Reverse the order")
                .clicked()
            {
                f.descending = !f.descending;
            }
            ui.toggle_value(&mut self.show_filters, "Filters");
        });
        if !self.show_filters {
            return;
        }
        egui::Grid::new("evidence_filters")
            .num_columns(2)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                option_combo_ui(ui, "Kind", &mut f.kind, &EvidenceKind::ALL, |k| {
                    k.label().to_owned()
                });
                ui.end_row();
                option_combo_ui(
                    ui,
                    "Reliability",
                    &mut f.reliability,
                    &SourceReliability::ALL,
                    grade_text,
                );
                ui.end_row();
                option_combo_ui(
                    ui,
                    "Credibility",
                    &mut f.credibility,
                    &InfoCredibility::ALL,
                    grade_text,
                );
                ui.end_row();
                option_combo_ui(ui, "Marking", &mut f.marking, &Tlp::ALL, |t| {
                    t.label().to_owned()
                });
                ui.end_row();
                let linked = ui.label("Claims").id;
                egui::ComboBox::from_id_salt("evidence_linked")
                    .selected_text(f.linked.label())
                    .show_ui(ui, |ui| {
                        for l in [Linked::All, Linked::Supporting, Linked::Unlinked] {
                            ui.selectable_value(&mut f.linked, l, l.label());
                        }
                    })
                    .response
                    .labelled_by(linked);
                ui.end_row();
                let dates = ui.label("Dated").id;
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut f.from)
                            .hint_text("from 2024-11")
                            .desired_width(90.0),
                    )
                    .labelled_by(dates);
                    ui.label("–");
                    ui.add(
                        egui::TextEdit::singleline(&mut f.to)
                            .hint_text("to 2024-12")
                            .desired_width(90.0),
                    )
                    .labelled_by(dates);
                });
                ui.end_row();
                ui.label("Integrity");
                ui.checkbox(
                    &mut f.problems_only,
                    format!("only files with problems ({})", integrity.problems().len()),
                );
                ui.end_row();
            });
        for text in [&f.from, &f.to] {
            if !text.trim().is_empty()
                && let Err(e) = parse::date(text, DateOrder::Unknown)
            {
                crate::ui::widgets::refusal_ui(ui, ui.visuals().dark_mode, &e.reason);
            }
        }
        if ui.small_button("Clear filters").clicked() {
            *f = LockerFilters {
                sort: f.sort,
                descending: f.descending,
                ..LockerFilters::default()
            };
        }
    }

    fn add_form_ui(&mut self, ui: &mut Ui, case: &Case, who: &str, actions: &mut Vec<Action>) {
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

    fn detail_ui(
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

fn option_combo_ui<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    value: &mut Option<T>,
    all: &[T],
    text: impl Fn(T) -> String,
) {
    let l = ui.label(label).id;
    egui::ComboBox::from_id_salt(("evidence_filter", label))
        .selected_text(value.map_or_else(|| "any".to_owned(), &text))
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "any");
            for &v in all {
                ui.selectable_value(value, Some(v), text(v));
            }
        })
        .response
        .labelled_by(l);
}

fn link_form_ui(
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

fn custody_ui(ui: &mut Ui, case: &Case, id: &EvidenceId) {
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

/// Red banner at the top of the locker naming every evidence file that failed its check.
fn integrity_banner_ui(
    ui: &mut Ui,
    case: &Case,
    integrity: &IntegrityWatch,
    folder: Option<&Path>,
    actions: &mut Vec<Action>,
) {
    let dark = ui.visuals().dark_mode;
    let problems = integrity.problems();
    if !problems.is_empty() {
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(2.0, theme::error_color(dark)))
            .show(ui, |ui| {
                ui.colored_label(
                    theme::error_color(dark),
                    RichText::new(format!(
                        "⚠ {} evidence file(s) failed the integrity check",
                        problems.len()
                    ))
                    .strong(),
                );
                for (id, status) in &problems {
                    let path = case
                        .evidence
                        .get(*id)
                        .and_then(Evidence::stored_file)
                        .map_or_else(|| id.to_string(), |f| f.path.to_owned());
                    let r = ui.link(format!("{path}: {} — {}", status.label(), status.explain()));
                    if r.clicked() {
                        actions.push(Action::Open(ItemRef::Evidence((*id).clone())));
                    }
                }
            });
    }
    ui.horizontal_wrapped(|ui| {
        if folder.is_none() && integrity.unchecked > 0 {
            ui.colored_label(
                theme::warning_color(dark),
                format!(
                    "{} evidence file(s) not checked: save the case in a folder",
                    integrity.unchecked
                ),
            );
        } else if integrity.pending() {
            ui.spinner();
            ui.weak("Checking evidence files…");
        } else if let Some(at) = integrity.checked_at {
            let n = case
                .evidence
                .values()
                .filter(|e| e.stored_file().is_some())
                .count();
            let colour = if problems.is_empty() {
                ui.visuals().weak_text_color()
            } else {
                theme::error_color(dark)
            };
            ui.colored_label(colour, format!("{n} file(s) checked at {at}"));
        }
        if ui
            .small_button("Verify files")
            .on_hover_text("Check every evidence file against its recorded SHA-256 again")
            .clicked()
        {
            actions.push(Action::VerifyEvidence);
        }
    });
}

fn build_new_evidence(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str, date: &str, reliability: SourceReliability, linked: bool) -> Evidence {
        Evidence {
            id: EvidenceId::from(id),
            title: id.to_owned(),
            date: Some(date.parse().expect("date")),
            reliability,
            supports: if linked {
                vec![ClaimSupport {
                    target: Some(ItemRef::Entity("e-x".into())),
                    ..ClaimSupport::default()
                }]
            } else {
                Vec::new()
            },
            ..Evidence::default()
        }
    }

    #[test]
    fn filters_keep_what_they_say() {
        let a = ev("ev-a", "2024-11-28", SourceReliability::B, true);
        let b = ev("ev-b", "2024-12", SourceReliability::F, false);
        let any = (None, None);
        let mut f = LockerFilters::default();
        assert!(f.keeps(&a, any, false) && f.keeps(&b, any, false));
        f.reliability = Some(SourceReliability::B);
        assert!(f.keeps(&a, any, false) && !f.keeps(&b, any, false));
        f.reliability = None;
        f.linked = Linked::Unlinked;
        assert!(!f.keeps(&a, any, false) && f.keeps(&b, any, false));
        f.linked = Linked::All;
        f.problems_only = true;
        assert!(f.keeps(&a, any, true) && !f.keeps(&b, any, false));
        f.problems_only = false;
        // "to 2024-11" includes the whole of November, not December.
        let nov: PartialDate = "2024-11".parse().expect("date");
        let range = (None, Some(last_day(&nov)));
        assert!(f.keeps(&a, range, false) && !f.keeps(&b, range, false));
        f.text = "EV-B".into();
        assert!(!f.keeps(&a, any, false) && f.keeps(&b, any, false));
        assert!(f.active());
    }

    #[test]
    fn the_last_day_of_a_partial_date() {
        let day = |s: &str| s.parse::<PartialDate>().expect("date").days_since_epoch();
        let last = |s: &str| last_day(&s.parse().expect("date"));
        assert_eq!(last("2024-02"), day("2024-02-29"));
        assert_eq!(last("2024-12"), day("2024-12-31"));
        assert_eq!(last("2024"), day("2024-12-31"));
        assert_eq!(last("2024-11-28"), day("2024-11-28"));
    }
}
