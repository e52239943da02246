//! The application: document, view state, the per-frame loop and every command.
//!
//! Each frame: collect background results (file dialogs, loads), turn shortcuts into commands,
//! draw panels (which only return actions), then apply the actions through the edit path.

use super::action::Action;
use super::canvas::Canvas;
use super::commands::{Scope, UiCommand};
use super::fonts;
use super::jobs::{Job, JobStatus};
use super::palette::CommandPalette;
use super::panels::analysis::AnalysisPanel;
use super::panels::evidence::{EvidencePanel, IntegrityWatch};
use super::panels::findings::FindingsPanel;
use super::panels::flows::FlowsPanel;
use super::panels::inspector::Inspector;
use super::panels::list::{ItemList, ListTab};
use super::panels::timeline::TimelinePanel;
use super::panels::views::ViewsPanel;
use super::present::Presenter;
use super::theme::{self, ThemeChoice};
use crate::edit::{Edit, History, references_to};
use crate::io::{FileStamp, LoadError};
use crate::model::{
    Case, Entity, EntityKind, ItemRef, Leg, Link, LinkKind, Place, Shipment, Timestamp,
};
use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Preferences, kept in eframe storage (not in the case).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    pub recent: Vec<PathBuf>,
    /// A font file chosen by the user for CJK names, when the system has none we find.
    pub cjk_font: Option<PathBuf>,
    /// The investigator's name, for the custody log and new notes.
    pub investigator: String,
    /// Seconds between autosaves of unsaved changes to a recovery file; 0 turns autosave off.
    pub autosave_seconds: u64,
    /// Hide the list and the inspector so the graph has the whole window (F11).
    pub canvas_only: bool,
    /// The interface zoom before a presentation that has not ended yet; put back at start-up
    /// if the app was closed while presenting, so the projector scale never sticks.
    pub zoom_before_presenting: Option<f32>,
    /// Screen names against the demonstration list that ships with the app.
    pub screening_demo: bool,
    /// Screening-list files the user added in the Findings tab.
    pub screening_lists: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::default(),
            recent: Vec::new(),
            cjk_font: None,
            investigator: String::new(),
            autosave_seconds: DEFAULT_AUTOSAVE_SECONDS,
            canvas_only: false,
            zoom_before_presenting: None,
            screening_demo: true,
            screening_lists: Vec::new(),
        }
    }
}

/// Draws a side panel's contents in exactly the width the user gave the panel: what is wider
/// (a long name, a message) is wrapped or clipped, never allowed to widen the panel, which
/// egui would then keep, covering the canvas and its toolbar.
fn keep_width_ui<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    let rect = ui.available_rect_before_wrap();
    let mut inner = ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(*ui.layout()));
    inner.shrink_clip_rect(rect);
    let result = add(&mut inner);
    ui.advance_cursor_after_rect(rect);
    result
}

/// Autosave interval for new installations.
pub const DEFAULT_AUTOSAVE_SECONDS: u64 = 60;

mod briefing;
mod bundle;
mod dialogs;
mod dispatch;
mod document;
mod evidence;
mod import;
mod merge;
mod modals;

use dialogs::DialogKind;

pub use import::ImportKind;

const SETTINGS_KEY: &str = "chokepoint-settings";
const MAX_RECENT: usize = 10;

/// What the app opens with.
pub struct Startup {
    pub case: Case,
    /// Where the case lives; `None` for the bundled sample or a new case.
    pub path: Option<PathBuf>,
    /// A message for the status bar.
    pub message: Option<String>,
    /// Why the requested file could not be opened, shown as an error.
    pub error: Option<String>,
    /// Take a screenshot after a few frames, save it here and exit.
    pub screenshot: Option<PathBuf>,
    /// A theme for this run only (e.g. for screenshots), not saved in preferences.
    pub theme: Option<ThemeChoice>,
    /// The id of an entity, link or shipment to select at start.
    pub select: Option<String>,
    /// What the case file looked like when it was read, to notice changes by other programs.
    pub stamp: Option<FileStamp>,
    /// Hide the side panels for this run only (screenshots of the graph).
    pub canvas_only: bool,
    /// Open with this tab of the right panel showing (the inspector by default).
    pub tab: Option<RightTab>,
    /// Open the timeline below the canvas.
    pub timeline: bool,
    /// Show on the canvas only what was active in this window.
    pub window: Option<crate::analysis::timeline::TimeWindow>,
    /// Start presenting the case's saved views (screenshots of presentation mode).
    pub present: bool,
    /// A CSV or FtM file given on the command line: import it into the case at start.
    pub import: Option<(ImportKind, PathBuf)>,
    /// A case bundle given on the command line: ask where to unpack it at start.
    pub bundle: Option<PathBuf>,
    /// Open the command palette at start with this text typed (`--palette`, for screenshots).
    pub palette: Option<String>,
}

impl Startup {
    /// Opening `case` with nothing else asked for: no file behind it, no message, default view.
    pub fn for_case(case: Case) -> Self {
        Self {
            case,
            path: None,
            message: None,
            error: None,
            screenshot: None,
            theme: None,
            select: None,
            stamp: None,
            canvas_only: false,
            tab: None,
            timeline: false,
            window: None,
            present: false,
            import: None,
            bundle: None,
            palette: None,
        }
    }
}

/// What the panel on the right shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RightTab {
    Inspector,
    Findings,
    Flows,
    Views,
    Evidence,
}

/// Actions held while the user decides about saving: those that would discard unsaved
/// changes, and those that need the case in a file first (evidence files and bundles live
/// beside it).
#[derive(Clone, Debug, PartialEq)]
enum Guarded {
    New,
    OpenDialog,
    OpenPath(PathBuf),
    Quit,
    /// *Add file…* evidence, linked to the item if any.
    AttachEvidence(Option<ItemRef>),
    ExportBundle,
}

enum Modal {
    ConfirmDiscard(Guarded),
    PathPrompt {
        kind: DialogKind,
        text: String,
        error: Option<String>,
    },
    ConfirmDelete {
        targets: Vec<ItemRef>,
        links: usize,
    },
    Error {
        title: String,
        message: String,
    },
    Settings {
        font_text: String,
        font_error: Option<String>,
    },
    Shortcuts,
    /// The case file changed on disk since it was opened or saved.
    Conflict {
        path: PathBuf,
    },
    /// A recovery file from a session that did not end cleanly.
    Restore {
        recovery: PathBuf,
        saved: String,
    },
    /// The case has no file yet and `action` needs one: save it, then go on.
    SaveFirst {
        action: Guarded,
        why: String,
    },
}

type LoadResult = Result<(Case, Option<FileStamp>, Vec<u8>), LoadError>;

/// A job the user can stop from the status bar.
impl Guarded {
    /// Whether it ends the open case (and so waits for a save being written).
    fn replaces_case(&self) -> bool {
        matches!(
            self,
            Guarded::New | Guarded::OpenDialog | Guarded::OpenPath(_) | Guarded::Quit
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunningJob {
    Opening,
    Layout,
}

/// What to do after a dialog button was pressed, run once the dialog is closed.
type FollowUp = Box<dyn FnOnce(&mut ChokepointApp, &egui::Context)>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum StatusKind {
    Info,
    Error,
}

/// A status-bar message, with when it was said: it goes once the case changes again (it
/// spoke of the case before that), an information after a minute, an error also when the
/// dialog that reported it closes.
struct Status {
    message: String,
    kind: StatusKind,
    revision: crate::edit::Revision,
    at: Instant,
}

/// How long an information stays in the status bar while nothing else happens.
const STATUS_INFO_LIFETIME: Duration = Duration::from_mins(1);

struct ScreenshotJob {
    path: PathBuf,
    requested: bool,
    done: Arc<Mutex<Option<Result<(), String>>>>,
}

/// Frames rendered before the screenshot is taken, so fonts and layout have settled.
const SCREENSHOT_AFTER_FRAMES: u64 = 8;

pub struct ChokepointApp {
    /// The open case. Shared with background jobs that read it (saving, autosave), never
    /// changed in place while they do: `Arc::make_mut` copies it then.
    pub case: Arc<Case>,
    pub history: History,
    pub path: Option<PathBuf>,
    pub selection: Option<ItemRef>,
    pub settings: Settings,
    list: ItemList,
    inspector: Inspector,
    pub canvas: Canvas,
    findings: FindingsPanel,
    evidence: EvidencePanel,
    /// Integrity of evidence files, checked off the UI thread.
    pub integrity: IntegrityWatch,
    /// The item that files picked in the attach dialog will support.
    attach_target: Option<ItemRef>,
    /// A CSV or FtM import in progress (mapping, running, summary).
    importer: import::ImportState,
    /// The review of a colleague's copy being merged in.
    merge_review: Option<Box<merge::MergeReview>>,
    /// Writing or opening a case bundle.
    bundle_prompt: Option<Box<bundle::BundlePrompt>>,
    flows: FlowsPanel,
    analysis: AnalysisPanel,
    /// The timeline below the canvas (view state: its window lives in the canvas filters).
    pub timeline: TimelinePanel,
    views: ViewsPanel,
    /// Presentation mode, while presenting.
    pub presenter: Option<Presenter>,
    /// Start presenting once the first frame has laid out the canvas.
    present_pending: bool,
    pub right_tab: RightTab,
    status: Option<Status>,
    last_saved: Option<Instant>,
    modal: Option<Modal>,
    palette: CommandPalette,
    /// The system's file chooser, while it is open.
    dialog: Option<(DialogKind, Job<Option<PathBuf>>)>,
    /// A case file being read.
    loading: Option<(PathBuf, Job<LoadResult>)>,
    /// The case being written (see `document`).
    saving: Option<document::SaveJob>,
    /// The lock on the case file while this window has it open (see `io::lock`); shared with
    /// a save being written.
    case_lock: Option<Arc<crate::io::lock::CaseLock>>,
    /// Set when another window has the case open: who, in words. Save refuses to write over
    /// the file; Save as… writes elsewhere.
    read_only: Option<String>,
    /// The file as last read or written, for conflict detection and three-way merge.
    disk_stamp: Option<FileStamp>,
    disk_base: Option<document::DiskBase>,
    last_autosave: Instant,
    /// The revision last written to the recovery file (None: nothing written for this case).
    autosaved_revision: Option<crate::edit::Revision>,
    autosave_job: Option<Job<Result<(), String>>>,
    after_save: Option<Guarded>,
    font_notice: Option<String>,
    font_family: Option<String>,
    screenshot: Option<ScreenshotJob>,
    close_confirmed: bool,
    frames: u64,
    title_shown: String,
    theme_applied: Option<ThemeChoice>,
    theme_override: Option<ThemeChoice>,
    canvas_only_override: bool,
    /// The window's context, for work that ends outside a frame (a save waited for).
    ctx: egui::Context,
}

impl ChokepointApp {
    /// Builds the app. `discover_fonts` looks for a CJK font on the system (off in UI tests
    /// that do not render).
    pub fn new(
        ctx: &egui::Context,
        startup: Startup,
        settings: Settings,
        discover_fonts: bool,
    ) -> Self {
        let history = History::default();
        let status = match (startup.error, startup.message) {
            (Some(e), _) => Some((e, StatusKind::Error)),
            (None, Some(m)) => Some((m, StatusKind::Info)),
            (None, None) => None,
        }
        .map(|(message, kind)| Status {
            message,
            kind,
            revision: history.revision(),
            at: Instant::now(),
        });
        let mut app = Self {
            case: Arc::new(startup.case.clone()),
            history,
            path: startup.path,
            selection: None,
            settings,
            list: ItemList::default(),
            inspector: Inspector::default(),
            canvas: Canvas::default(),
            findings: FindingsPanel::default(),
            evidence: EvidencePanel::default(),
            integrity: IntegrityWatch::default(),
            attach_target: None,
            importer: import::ImportState::default(),
            merge_review: None,
            bundle_prompt: None,
            flows: FlowsPanel::default(),
            analysis: AnalysisPanel::default(),
            timeline: TimelinePanel::new(startup.timeline),
            views: ViewsPanel::default(),
            presenter: None,
            present_pending: startup.present,
            right_tab: startup.tab.unwrap_or(RightTab::Inspector),
            status,
            last_saved: None,
            modal: None,
            palette: CommandPalette::default(),
            dialog: None,
            loading: None,
            saving: None,
            case_lock: None,
            read_only: None,
            disk_base: startup
                .stamp
                .as_ref()
                .map(|_| document::DiskBase::Case(Arc::new(startup.case.clone()))),
            disk_stamp: startup.stamp,
            last_autosave: Instant::now(),
            autosaved_revision: None,
            autosave_job: None,
            after_save: None,
            font_notice: None,
            font_family: None,
            screenshot: startup.screenshot.map(|path| ScreenshotJob {
                path,
                requested: false,
                done: Arc::new(Mutex::new(None)),
            }),
            close_confirmed: false,
            frames: 0,
            title_shown: String::new(),
            theme_applied: None,
            theme_override: startup.theme,
            canvas_only_override: startup.canvas_only,
            ctx: ctx.clone(),
        };
        if let Some(p) = app.path.clone() {
            app.claim_case_file();
            app.remember_recent(&p);
            // A case file opened at start-up, as by File ▸ Open.
            let placed = app.place_unplaced_entities();
            if !placed.is_empty() {
                app.info(format!("Opened {}{placed}", p.display()));
            }
        }
        if !app.settings.screening_demo || !app.settings.screening_lists.is_empty() {
            let files = app.settings.screening_lists.clone();
            app.findings.set_lists(app.settings.screening_demo, &files);
        }
        app.canvas.filters.time_window = startup.window;
        if let Some(id) = startup.select {
            app.open_view_with_id(&id);
            let found = app.find_item(&id);
            app.select(found);
        }
        if let Some((kind, path)) = startup.import {
            app.start_import(kind, path);
        }
        if let Some(path) = startup.bundle {
            app.start_bundle_open(path);
        }
        if let Some(query) = startup.palette {
            app.palette.open_with(query);
        }
        app.offer_recovery();
        app.recover_presentation_zoom(ctx);
        if discover_fonts {
            app.load_fonts(ctx);
        }
        egui_extras_style(ctx);
        app
    }

    /// Builds the app inside eframe, with preferences from its storage.
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        let settings = cc
            .storage
            .and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY))
            .unwrap_or_default();
        Self::new(&cc.egui_ctx, startup, settings, true)
    }

    fn load_fonts(&mut self, ctx: &egui::Context) {
        match fonts::find_cjk_font(self.settings.cjk_font.as_deref()) {
            Some(font) => {
                fonts::install_cjk_font(ctx, &font);
                self.font_family = Some(format!("{} ({})", font.family, font.path.display()));
                self.font_notice = None;
            }
            None => {
                self.font_notice = Some(
                    "No font for Chinese/Japanese/Korean names was found: choose one in Settings… (e.g. install fonts-noto-cjk)".to_owned(),
                );
            }
        }
    }

    /// The entity, link, shipment, evidence item or note with this id, if any.
    pub fn find_item(&self, id: &str) -> Option<ItemRef> {
        self.case
            .id_in_use(id)
            .filter(|item| !matches!(item, ItemRef::Group(_) | ItemRef::View(_)))
    }

    /// The message in the status bar, if any (for tests and the screenshot tool).
    pub fn status_message(&self) -> Option<&str> {
        self.shown_status().map(|s| s.message.as_str())
    }

    /// The status message still worth showing (see [`Status`]).
    fn shown_status(&self) -> Option<&Status> {
        self.status.as_ref().filter(|s| {
            s.revision == self.history.revision()
                && (s.kind == StatusKind::Error || s.at.elapsed() < STATUS_INFO_LIFETIME)
        })
    }

    fn set_status(&mut self, message: String, kind: StatusKind) {
        self.status = Some(Status {
            message,
            kind,
            revision: self.history.revision(),
            at: Instant::now(),
        });
    }

    fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    fn info(&mut self, message: impl Into<String>) {
        self.set_status(message.into(), StatusKind::Info);
    }

    fn error(&mut self, message: impl Into<String>) {
        self.set_status(message.into(), StatusKind::Error);
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }

    /// Applies one undoable edit, reporting refusal in the status bar.
    pub fn apply_edit(&mut self, label: &str, edit: Edit) -> bool {
        match self
            .history
            .apply(Arc::make_mut(&mut self.case), label, edit)
        {
            Ok(()) => true,
            Err(e) => {
                self.error(format!("{label}: {e}"));
                false
            }
        }
    }

    /// Commits what the user was typing in the inspector, so no keystroke is lost.
    fn commit_pending(&mut self) {
        if let Some((label, edit)) = self.inspector.take_pending() {
            self.apply_edit(&label, edit);
        }
        if let Some((label, edit)) = self.evidence.take_pending(&self.settings.investigator) {
            self.apply_edit(&label, edit);
        }
    }

    /// Selects one item everywhere: list, inspector and canvas (which centres it if off screen).
    fn select(&mut self, item: Option<ItemRef>) {
        self.canvas.select_only(item.as_ref());
        if let Some(i) = &item {
            self.canvas.reveal_later(i.clone());
        }
        self.focus(item);
    }

    /// Selects and highlights `items` on the canvas (the first centred, shown in the inspector).
    fn show_items(&mut self, items: Vec<ItemRef>) {
        let first = items.first().cloned();
        self.canvas.selected = items.iter().cloned().collect();
        self.canvas.highlighted = items.into_iter().collect();
        self.canvas.primary = first.clone();
        if let Some(item) = &first {
            self.canvas.reveal_later(item.clone());
        }
        self.focus(first);
    }

    /// Shows `item` in the inspector and the list, leaving the canvas's multiple selection be.
    fn focus(&mut self, item: Option<ItemRef>) {
        if self.selection != item {
            self.commit_pending();
            if let Some(i) = &item {
                self.list.tab = match i {
                    ItemRef::Link(_) => ListTab::Links,
                    ItemRef::Shipment(_) => ListTab::Shipments,
                    _ => ListTab::Entities,
                };
                if matches!(i, ItemRef::Evidence(_)) {
                    self.right_tab = RightTab::Evidence;
                }
            }
            // New evidence supports what the user has in view, never an item selected before.
            self.evidence.set_context(match &item {
                Some(i @ (ItemRef::Entity(_) | ItemRef::Link(_) | ItemRef::Shipment(_))) => {
                    Some(i.clone())
                }
                _ => None,
            });
            self.selection = item;
        }
    }

    // ---- commands ---------------------------------------------------------------------------

    pub fn undo(&mut self) {
        self.commit_pending();
        match self.history.undo(Arc::make_mut(&mut self.case)) {
            Ok(Some(label)) => self.info(format!("Undid: {label}")),
            Ok(None) => self.info("Nothing to undo"),
            Err(e) => self.error(format!("Undo failed: {e}")),
        }
    }

    pub fn redo(&mut self) {
        self.commit_pending();
        match self.history.redo(Arc::make_mut(&mut self.case)) {
            Ok(Some(label)) => self.info(format!("Redid: {label}")),
            Ok(None) => self.info("Nothing to redo"),
            Err(e) => self.error(format!("Redo failed: {e}")),
        }
    }

    fn guard(&mut self, ctx: &egui::Context, action: Guarded) {
        self.commit_pending();
        // (Asked once the save has ended: it may leave nothing to ask about.)
        let Some(action) = self.after_running_save(action) else {
            return;
        };
        if self.is_dirty() {
            self.modal = Some(Modal::ConfirmDiscard(action));
        } else {
            self.perform(ctx, action);
        }
    }

    /// An action that ends the open case waits for a save being written (the file belongs to
    /// this case); handed back when nothing is being saved or the action can go on now.
    fn after_running_save(&mut self, action: Guarded) -> Option<Guarded> {
        match &mut self.saving {
            Some(running) if action.replaces_case() => {
                running.then_once_saved(action);
                self.info("Saving… then going on");
                None
            }
            _ => Some(action),
        }
    }

    fn perform(&mut self, ctx: &egui::Context, action: Guarded) {
        let Some(action) = self.after_running_save(action) else {
            return;
        };
        match action {
            Guarded::New => {
                self.replace_case(Case::new_untitled(Timestamp::now()), None);
                self.info("New case");
            }
            Guarded::OpenDialog => self.spawn_dialog(DialogKind::Open),
            Guarded::OpenPath(path) => self.start_loading(ctx, path),
            Guarded::Quit => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Guarded::AttachEvidence(target) => self.attach_evidence_dialog(target),
            Guarded::ExportBundle => self.export_bundle_dialog(),
        }
    }

    /// Asks to save a case that has no file yet, then goes on with `action`.
    fn save_first(&mut self, action: Guarded, why: &str) {
        self.modal = Some(Modal::SaveFirst {
            action,
            why: why.to_owned(),
        });
    }

    /// Adds a screening list file to the Findings tab and remembers it in the preferences.
    pub fn add_screening_list(&mut self, path: &Path) {
        match self.findings.add_list(path) {
            Ok(entries) => {
                let (demo, files) = self.findings.lists();
                self.settings.screening_demo = demo;
                self.settings.screening_lists = files;
                self.info(format!(
                    "Screening against {} ({entries} entries)",
                    path.display()
                ));
            }
            Err(e) => {
                self.error(format!("Could not use the screening list: {e}"));
                self.modal = Some(Modal::Error {
                    title: "Could not use the screening list".to_owned(),
                    message: e,
                });
            }
        }
    }

    fn add_entity(&mut self) {
        self.commit_pending();
        let name = "New entity";
        let id = self.case.fresh_entity_id(name);
        let entity = Entity::new(id.clone(), EntityKind::Company, name);
        // Placed where the user is looking, on a free spot, so it stays where it appears.
        let centre = crate::model::CanvasPoint {
            x: self.canvas.center.x,
            y: self.canvas.center.y,
        };
        let edit = crate::layout::picture::with_places_for_new_entities(
            &self.case,
            Edit::Insert(entity.into()),
            Some(centre),
        );
        if self.apply_edit("Add entity", edit) {
            self.select(Some(ItemRef::Entity(id)));
            self.right_tab = RightTab::Inspector;
            self.inspector.focus_name = true;
            self.info("Added an entity: type its name");
        }
    }

    fn add_link(&mut self) {
        self.commit_pending();
        let from = match &self.selection {
            Some(ItemRef::Entity(id)) => Some(id.clone()),
            _ => self.case.entities.keys().next().cloned(),
        };
        let Some(from) = from else {
            self.error("Add an entity first: a link connects two entities");
            return;
        };
        let to = self
            .case
            .entities
            .keys()
            .find(|k| **k != from)
            .cloned()
            .unwrap_or_else(|| from.clone());
        let id = self.case.fresh_link_id(&format!("{from} {to}"));
        let link = Link::new(id.clone(), LinkKind::Associate, from, to);
        if self.apply_edit("Add link", Edit::Insert(link.into())) {
            self.select(Some(ItemRef::Link(id)));
            self.info("Added a link: choose its kind and ends in the inspector");
        }
    }

    fn add_shipment(&mut self) {
        self.commit_pending();
        let reference = format!("Shipment {}", self.case.shipments.len() + 1);
        let id = self.case.fresh_shipment_id(&reference);
        let unknown = Place {
            name: "Unknown".to_owned(),
            ..Place::default()
        };
        let shipment = Shipment {
            id: id.clone(),
            reference,
            shipper: match &self.selection {
                Some(ItemRef::Entity(e)) => Some(e.clone()),
                _ => None,
            },
            legs: vec![Leg {
                from: unknown.clone(),
                to: unknown,
                ..Leg::default()
            }],
            ..Shipment::default()
        };
        if self.apply_edit("Add shipment", Edit::Insert(shipment.into())) {
            self.select(Some(ItemRef::Shipment(id)));
            self.info("Added a shipment: fill in its parties, route and goods in the inspector");
        }
    }

    /// Deletes items after checking what depends on them: links go along (with a
    /// confirmation), anything else that names a deleted entity must be changed first.
    fn request_delete(&mut self, targets: Vec<ItemRef>) {
        self.commit_pending();
        let removing: std::collections::BTreeSet<&ItemRef> = targets.iter().collect();
        let mut blocking: Vec<(ItemRef, ItemRef)> = Vec::new();
        let mut links = std::collections::BTreeSet::new();
        for target in targets.iter().filter(|t| matches!(t, ItemRef::Entity(_))) {
            for by in references_to(&self.case, target) {
                match &by {
                    ItemRef::Link(_) => {
                        if !removing.contains(&by) {
                            links.insert(by);
                        }
                    }
                    ItemRef::Group(_) => {}
                    _ if removing.contains(&by) => {}
                    _ => blocking.push((target.clone(), by)),
                }
            }
        }
        // Links that go along must not be needed by anything that stays (evidence citing them).
        for link in &links {
            for by in references_to(&self.case, link) {
                if !removing.contains(&by) {
                    blocking.push((link.clone(), by));
                }
            }
        }
        if !blocking.is_empty() {
            let names: Vec<String> = blocking
                .iter()
                .take(8)
                .map(|(t, r)| {
                    format!(
                        "• {} is named by {}: {}",
                        self.case.item_label(t),
                        r.kind_word(),
                        self.case.item_label(r)
                    )
                })
                .collect();
            self.modal = Some(Modal::Error {
                title: "Cannot delete yet".to_owned(),
                message: format!(
                    "{} reference(s) still need the items you are deleting:\n{}\n\nChange or \
                     delete those first.",
                    blocking.len(),
                    names.join("\n")
                ),
            });
            return;
        }
        if !links.is_empty() {
            self.modal = Some(Modal::ConfirmDelete {
                targets,
                links: links.len(),
            });
            return;
        }
        self.delete(&targets);
    }

    fn delete(&mut self, targets: &[ItemRef]) {
        let label = match targets {
            [one] => format!("Delete {}", self.case.item_label(one)),
            many => format!("Delete {} items", many.len()),
        };
        let edit = self.with_evidence_custody(Edit::remove_many(&self.case, targets), targets);
        if self.apply_edit(&label, edit) {
            if self.selection.as_ref().is_some_and(|s| targets.contains(s)) {
                self.selection = None;
            }
            self.canvas.selected.retain(|s| !targets.contains(s));
            self.info(format!("{label} (Ctrl+Z to undo)"));
        }
    }

    // ---- per-frame ----------------------------------------------------------------------------

    /// Every background job, looked at in one place before anything is drawn: a finished
    /// one is applied first, so panels draw the case as it now is.
    fn poll_jobs(&mut self, ctx: &egui::Context) {
        if let Some((kind, job)) = &self.dialog {
            let (kind, quick) = (*kind, job.elapsed() < Duration::from_millis(700));
            if let Some(end) = job.ended(ctx) {
                self.dialog = None;
                // A chooser that died answered nothing, at once: as a missing one.
                let quick = quick || end.is_none();
                self.dialog_done(ctx, kind, end.flatten(), quick);
            }
        }
        if let Some((path, job)) = &self.loading
            && let Some(end) = job.ended(ctx)
        {
            let path = path.clone();
            self.loading = None;
            match end {
                Some(Ok((case, stamp, bytes))) => {
                    self.finish_open(&path, case, stamp, Some(bytes));
                }
                Some(Err(e)) => {
                    self.error(format!("Could not open: {e}"));
                    self.modal = Some(Modal::Error {
                        title: "Could not open the case".to_owned(),
                        message: format!("{e}\n\nThe case you had open is unchanged."),
                    });
                }
                None => {
                    self.error("Opening stopped unexpectedly; the open case is unchanged");
                }
            }
        }
        self.save_step();
        self.import_step(ctx);
        self.evidence_step(ctx);
    }

    /// The jobs the status bar shows, each with what cancels it (file choosers show
    /// themselves).
    fn running_jobs(&self) -> Vec<(JobStatus, Option<RunningJob>)> {
        let mut jobs = Vec::new();
        if let Some((_, job)) = &self.loading {
            jobs.push((job.status(), Some(RunningJob::Opening)));
        }
        if let Some(status) = self.save_status() {
            jobs.push((status, None));
        }
        if let Some(job) = &self.autosave_job {
            jobs.push((job.status(), None));
        }
        if let Some(status) = self.canvas.layout_status() {
            jobs.push((status, Some(RunningJob::Layout)));
        }
        jobs
    }

    fn cancel_job(&mut self, which: RunningJob) {
        match which {
            RunningJob::Opening => {
                if let Some((path, _)) = self.loading.take() {
                    // Its thread ends on its own; what it read is dropped.
                    self.info(format!("Stopped opening {}", path.display()));
                }
            }
            RunningJob::Layout => self.canvas.cancel_layout(),
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        let Some(path) = dropped.first().cloned() else {
            return;
        };
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
            || bundle::is_bundle(&path)
        {
            self.guard(ctx, Guarded::OpenPath(path));
        } else {
            // Any other file becomes evidence, copied beside the case and hashed.
            self.attach_dropped(&dropped);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let name = self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
            || "not saved yet".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        let title = format!(
            "{}{} — {name}{} — Chokepoint",
            if self.is_dirty() { "● " } else { "" },
            self.case.meta.title,
            if self.read_only.is_some() {
                " (read-only)"
            } else {
                ""
            }
        );
        if title != self.title_shown {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_shown = title;
        }
    }

    /// The window title as it is now (for tests).
    pub fn window_title(&self) -> &str {
        &self.title_shown
    }

    fn screenshot_step(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.screenshot else {
            return;
        };
        ctx.request_repaint();
        if !job.requested
            && self.frames >= SCREENSHOT_AFTER_FRAMES
            && !self.present_pending
            && self.presenter.as_ref().is_none_or(|p| !p.is_moving())
        {
            job.requested = true;
            let path = job.path.clone();
            let done = Arc::clone(&job.done);
            ctx.request_screenshot(move |image| {
                let result = write_png(&path, &image);
                if let Ok(mut slot) = done.lock() {
                    *slot = Some(result);
                }
            });
        }
        let finished = job.done.lock().ok().and_then(|mut s| s.take());
        if let Some(result) = finished {
            match result {
                Ok(()) => eprintln!("screenshot saved to {}", job.path.display()),
                Err(e) => eprintln!("screenshot failed: {e}"),
            }
            self.close_confirmed = true;
            self.stop_presenting(ctx);
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Draws one frame. Public so UI tests can drive the real app.
    pub fn frame_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.frames += 1;
        let theme = self.theme_override.unwrap_or(self.settings.theme);
        if self.theme_applied != Some(theme) {
            ctx.set_theme(theme.preference());
            self.theme_applied = Some(theme);
        }
        self.poll_jobs(&ctx);
        // Presenting never changes the case: files dropped on the window are ignored meanwhile.
        if self.presenter.is_none() {
            self.handle_dropped_files(&ctx);
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_confirmed {
            self.commit_pending();
            if let Some(running) = &mut self.saving {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                running.then_once_saved(Guarded::Quit);
                self.info("Closing once the case is saved…");
            } else if self.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.modal = Some(Modal::ConfirmDiscard(Guarded::Quit));
            }
        }
        if self.presentation_frame_ui(ui) {
            self.autosave_step(&ctx);
            self.update_title(&ctx);
            self.screenshot_step(&ctx);
            return;
        }
        let mut commands = if self.modal.is_none() && !self.palette.open {
            UiCommand::pressed(&ctx, Scope::App)
        } else {
            Vec::new()
        };

        egui::Panel::top("menu_bar").show(ui, |ui| self.menu_bar_ui(ui, &mut commands));
        // Everything panels, canvas and dialogs ask for this frame, applied by `drain` at the
        // end of the frame.
        let mut actions: Vec<Action> = Vec::new();
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));

        let revision = self.history.revision();
        let side_panels = !(self.settings.canvas_only || self.canvas_only_override);
        if side_panels {
            egui::Panel::left("item_list")
                .resizable(true)
                .default_size(theme::LIST_PANEL_WIDTH)
                .min_size(220.0)
                .show(ui, |ui| {
                    keep_width_ui(ui, |ui| {
                        self.list.ui(
                            ui,
                            &self.case,
                            revision,
                            self.selection.as_ref(),
                            &mut actions,
                        );
                    });
                });
        }
        if side_panels {
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(theme::INSPECTOR_PANEL_WIDTH)
                .min_size(280.0)
                .show(ui, |ui| {
                    keep_width_ui(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.selectable_value(
                                &mut self.right_tab,
                                RightTab::Inspector,
                                "Inspector",
                            );
                            let findings = match self.findings.open_count(revision) {
                                Some(n) => format!("Findings ({n})"),
                                None => "Findings".to_owned(),
                            };
                            ui.selectable_value(&mut self.right_tab, RightTab::Findings, findings);
                            ui.selectable_value(&mut self.right_tab, RightTab::Flows, "Flows");
                            ui.selectable_value(&mut self.right_tab, RightTab::Views, "Views");
                            let evidence = match self.integrity.problems().len() {
                                0 => "Evidence".to_owned(),
                                n => format!("Evidence ⚠{n}"),
                            };
                            ui.selectable_value(&mut self.right_tab, RightTab::Evidence, evidence);
                        });
                        ui.separator();
                        match self.right_tab {
                            RightTab::Inspector => self.inspector.ui(
                                ui,
                                &self.case,
                                revision,
                                self.selection.as_ref(),
                                &mut actions,
                            ),
                            RightTab::Findings => self.findings.ui(
                                ui,
                                &self.case,
                                revision,
                                &self.settings.investigator,
                                &mut actions,
                            ),
                            RightTab::Flows => {
                                self.analysis.ui(
                                    ui,
                                    &self.case,
                                    revision,
                                    &self.canvas.selected,
                                    &mut actions,
                                );
                                ui.separator();
                                self.flows.ui(ui, &self.case, revision, &mut actions);
                            }
                            RightTab::Views => {
                                self.views.ui(ui, &self.case, &self.canvas, &mut actions);
                            }
                            RightTab::Evidence => {
                                let selected = match &self.selection {
                                    Some(ItemRef::Evidence(id)) => Some(id),
                                    _ => None,
                                };
                                let folder = self.case_folder();
                                self.evidence.ui(
                                    ui,
                                    &self.case,
                                    revision,
                                    selected,
                                    folder.as_deref(),
                                    &self.integrity,
                                    &self.settings.investigator,
                                    &mut actions,
                                );
                            }
                        }
                    });
                });
        }
        if self.timeline.open {
            egui::Panel::bottom("timeline")
                .resizable(true)
                .default_size(theme::TIMELINE_PANEL_HEIGHT)
                .min_size(140.0)
                .show(ui, |ui| {
                    self.timeline.ui(
                        ui,
                        &self.case,
                        revision,
                        self.canvas.filters.time_window,
                        self.selection.as_ref(),
                        &mut actions,
                    );
                });
        }
        let keys = self.modal.is_none() && !self.palette.open;
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                self.canvas.ui(ui, &self.case, revision, keys, &mut actions);
            });

        self.modal_ui(&ctx);
        let mut palette = std::mem::take(&mut self.palette);
        if let Some(command) = palette.ui(&ctx, |c| self.command_enabled(c)) {
            commands.push(command);
        }
        self.palette = palette;
        self.import_ui(&ctx);
        self.merge_review_ui(&ctx);
        self.bundle_ui(&ctx);
        Self::file_hover_ui(&ctx);

        // Keys, menus and the palette last, as before the queue: a key pressed in the frame a
        // panel asked for something acts on what the panel did.
        actions.extend(commands.into_iter().map(Action::Command));
        self.drain(&ctx, actions);
        self.autosave_step(&ctx);
        self.update_title(&ctx);
        self.screenshot_step(&ctx);
    }

    fn menu_bar_ui(&mut self, ui: &mut Ui, commands: &mut Vec<UiCommand>) {
        let ctx = ui.ctx().clone();
        // One menu item from the command table: its label (Undo and Redo name what they
        // undo), its shortcut, enabled as the command is.
        let item = |app: &Self, ui: &mut Ui, commands: &mut Vec<UiCommand>, c: UiCommand| {
            let label = match (c, app.history.undo_label(), app.history.redo_label()) {
                (UiCommand::Undo, Some(l), _) => format!("Undo {l}"),
                (UiCommand::Redo, _, Some(l)) => format!("Redo {l}"),
                _ => c.label().to_owned(),
            };
            let mut button = egui::Button::new(label);
            if c.shortcut().is_some() {
                // (An empty shortcut text would still join the item's accessible label.)
                button = button.shortcut_text(c.shortcut_text(&ctx));
            }
            if ui.add_enabled(app.command_enabled(c), button).clicked() {
                commands.push(c);
            }
        };
        let items = |app: &Self, ui: &mut Ui, commands: &mut Vec<UiCommand>, cs: &[UiCommand]| {
            for c in cs {
                item(app, ui, commands, *c);
            }
        };
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                use UiCommand as C;
                items(self, ui, commands, &[C::New, C::Open, C::OpenByPath]);
                ui.menu_button("Open recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.weak("No recent cases");
                    }
                    let mut open = None;
                    for p in &self.settings.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            open = Some(p.clone());
                        }
                    }
                    if let Some(p) = open {
                        self.guard(&ctx, Guarded::OpenPath(p));
                    }
                });
                ui.separator();
                items(self, ui, commands, &[C::Save, C::SaveAs, C::ExportReport]);
                ui.separator();
                let imports = [C::ImportCsv, C::ImportFtm, C::Merge, C::ExportBundle];
                items(self, ui, commands, &imports);
                ui.separator();
                item(self, ui, commands, C::Settings);
                ui.separator();
                item(self, ui, commands, C::Quit);
            });
            ui.menu_button("Edit", |ui| {
                use UiCommand as C;
                items(self, ui, commands, &[C::Undo, C::Redo]);
                ui.separator();
                let add = [C::AddEntity, C::AddLink, C::AddShipment, C::DeleteSelection];
                items(self, ui, commands, &add);
                ui.separator();
                items(self, ui, commands, &[C::FindInList, C::FindOnCanvas]);
            });
            ui.menu_button("View", |ui| {
                use UiCommand as C;
                for choice in ThemeChoice::ALL {
                    if ui
                        .radio_value(&mut self.settings.theme, choice, choice.label())
                        .clicked()
                    {
                        self.theme_override = None;
                    }
                }
                ui.separator();
                let view = [C::ToggleTheme, C::CanvasOnly, C::Timeline, C::Present];
                items(self, ui, commands, &view);
                item(self, ui, commands, C::CaseDetails);
            });
            ui.menu_button("Help", |ui| {
                use UiCommand as C;
                items(self, ui, commands, &[C::CommandPalette, C::Shortcuts]);
            });
        });
    }

    fn status_bar_ui(&mut self, ui: &mut Ui) {
        let dark = ui.visuals().dark_mode;
        ui.horizontal(|ui| {
            let (bg, fg) = theme::tlp_colors(self.case.meta.marking);
            ui.label(
                RichText::new(format!(" {} ", self.case.meta.marking.label()))
                    .background_color(bg)
                    .color(fg)
                    .strong(),
            )
            .on_hover_text(self.case.meta.marking.meaning());
            ui.separator();
            ui.label(self.case.counts().to_string());
            ui.separator();
            self.evidence_status_ui(ui);
            let jobs = self.running_jobs();
            let mut cancel = None;
            for (status, which) in &jobs {
                if let Some(which) = job_ui(ui, status, *which) {
                    cancel = Some(which);
                }
            }
            if let Some(which) = cancel {
                self.cancel_job(which);
            }
            if self.loading.is_some() || self.is_saving() {
                // The job says what happens to the case.
            } else if self.is_dirty() {
                ui.colored_label(theme::warning_color(dark), "● Unsaved changes");
            } else if let Some(at) = self.last_saved {
                ui.label(format!("Saved {} ago", human_duration(at.elapsed())));
            } else {
                ui.label("No unsaved changes");
            }
            if let Some(Status { message, kind, .. }) = self.shown_status() {
                ui.separator();
                let color = match kind {
                    StatusKind::Error => theme::error_color(dark),
                    StatusKind::Info => ui.visuals().text_color(),
                };
                ui.add(egui::Label::new(RichText::new(message).color(color)).truncate());
            }
            if let Some(notice) = &self.font_notice {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.colored_label(theme::warning_color(dark), format!("⚠ {notice}"));
                });
            }
        });
    }

    fn file_hover_ui(ctx: &egui::Context) {
        let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
        if !hovering {
            return;
        }
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("file_drop"),
        ));
        let rect = ctx.content_rect();
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "Drop a .ron case file to open it, or other files to add them as evidence",
            egui::FontId::proportional(24.0),
            egui::Color32::WHITE,
        );
    }
}

/// One running job in the status bar: a spinner or its progress, its name, and Cancel where
/// stopping it is safe. Returns the job to cancel when Cancel was clicked.
fn job_ui(ui: &mut Ui, status: &JobStatus, which: Option<RunningJob>) -> Option<RunningJob> {
    ui.separator();
    match status.fraction {
        Some(f) => {
            ui.add(
                egui::ProgressBar::new(f)
                    .desired_width(80.0)
                    .show_percentage(),
            );
        }
        None => {
            ui.spinner();
        }
    }
    let mut text = format!("{}…", status.name);
    if status.elapsed >= Duration::from_secs(2) {
        text = format!("{text} {}", human_duration(status.elapsed));
    }
    ui.label(text);
    let which = which.filter(|_| status.cancellable)?;
    ui.small_button("Cancel")
        .on_hover_text(format!("Stop: {}; the case is not changed", status.name))
        .clicked()
        .then_some(which)
}

fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min", s / 60)
    } else {
        format!("{} h", s / 3600)
    }
}

fn expand_home(path: &str) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(path)
}

fn write_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let [w, h] = image.size;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(egui::Color32::to_array)
        .collect();
    writer.write_image_data(&bytes).map_err(|e| e.to_string())
}

/// Spacing a touch roomier than egui's default, for long forms.
fn egui_extras_style(ctx: &egui::Context) {
    ctx.global_style_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 5.0);
        style.spacing.button_padding = egui::vec2(6.0, 3.0);
    });
}

impl eframe::App for ChokepointApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // Screenshot runs leave the user's preferences as they were.
        if self.screenshot.is_none() {
            eframe::set_value(storage, SETTINGS_KEY, &self.settings);
        }
    }

    fn persist_egui_memory(&self) -> bool {
        self.screenshot.is_none()
    }

    fn on_exit(&mut self) {
        // A save still being written is finished, never cut off.
        let unsaved = self.is_saving() && !self.wait_for_save();
        // A clean exit: the user saved or chose to discard, so nothing is left to recover.
        if !unsaved {
            self.remove_recovery_file();
        }
    }
}
