//! The application: document, view state, the per-frame loop and every command.
//!
//! Each frame: collect background results (file dialogs, loads), turn shortcuts into commands,
//! draw panels (which only return actions), then apply the actions through the edit path.

use super::canvas::Canvas;
use super::fonts;
use super::jobs::Job;
use super::palette::CommandPalette;
use super::panels::analysis::AnalysisPanel;
use super::panels::evidence::{EvidencePanel, IntegrityWatch};
use super::panels::findings::FindingsPanel;
use super::panels::flows::FlowsPanel;
use super::panels::inspector::Inspector;
use super::panels::list::{ItemList, ListTab};
use super::panels::table::TableView;
use super::panels::timeline::TimelinePanel;
use super::panels::views::ViewsPanel;
use super::present::Presenter;
use super::theme::ThemeChoice;
use crate::edit::{Edit, History};
use crate::io::{FileStamp, LoadError};
use crate::model::{Case, ItemRef, Timestamp};
use egui::Ui;
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
    /// How the far-out canvas is drawn (software rendering).
    pub drawing: crate::ui::theme::DrawingChoice,
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
            drawing: crate::ui::theme::DrawingChoice::default(),
            screening_lists: Vec::new(),
        }
    }
}

/// Autosave interval for new installations.
pub const DEFAULT_AUTOSAVE_SECONDS: u64 = 60;

mod briefing;
mod bundle;
mod dialogs;
mod dispatch;
mod document;
mod evidence;
mod frame;
mod import;
mod items;
mod jobs;
mod menus;
mod merge;
mod modals;
mod start;
mod status_bar;

use dialogs::DialogKind;

pub use import::ImportKind;
pub use start::{RecentInfo, Sample, StartPage};

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
    /// How the far-out canvas is drawn, for this run only (`--drawing`, for measurements).
    pub drawing: Option<crate::ui::theme::DrawingChoice>,
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
    /// No file was asked for: show the start page when cases were opened before (the case
    /// given stays open otherwise, and a first run asks for the investigator's name).
    pub start_page: bool,
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
            drawing: None,
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
            start_page: false,
        }
    }
}

/// Whether the side panels are unfolded: the user's choice, else (None) unfolded when the
/// window is at least [`crate::ui::theme::PANELS_FOLD_BELOW`] wide.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PanelsShown {
    pub list: Option<bool>,
    pub right: Option<bool>,
}

impl PanelsShown {
    /// (list, right panel) unfolded in a window `width` points wide.
    pub fn at(self, width: f32) -> (bool, bool) {
        let roomy = width >= crate::ui::theme::PANELS_FOLD_BELOW;
        (self.list.unwrap_or(roomy), self.right.unwrap_or(roomy))
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
    OpenSample(Sample),
    /// Back to the start page (a new untitled case behind it).
    StartPage,
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
    /// The first start: who the investigator is, for the custody log and notes.
    Welcome {
        name: String,
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
            Guarded::New
                | Guarded::OpenDialog
                | Guarded::OpenPath(_)
                | Guarded::OpenSample(_)
                | Guarded::StartPage
                | Guarded::Quit
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunningJob {
    Opening,
    Layout,
}

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
    /// `CHOKEPOINT_FRAME_LOG=FILE`: every frame's time since start (ms) and whether the
    /// far-out picture was drawn, one line each, repainting continuously (for measuring frame
    /// times under software rendering: `benches/software_frames.sh`).
    frame_log: Option<(std::fs::File, Instant)>,
    title_shown: String,
    theme_applied: Option<ThemeChoice>,
    theme_override: Option<ThemeChoice>,
    drawing_override: Option<crate::ui::theme::DrawingChoice>,
    /// The renderer's name when it is software (a CPU adapter: llvmpipe, lavapipe, WARP),
    /// found on the first frame; None on a GPU or before.
    pub software_renderer: Option<String>,
    renderer_checked: bool,
    canvas_only_override: bool,
    /// The table view, in place of the chart while open.
    pub table: TableView,
    /// The side panels the user unfolded or folded (None: as the window's width suggests).
    pub panels: PanelsShown,
    /// The start page, while it shows instead of the chart.
    start_page: Option<StartPage>,
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
            frame_log: std::env::var_os("CHOKEPOINT_FRAME_LOG")
                .and_then(|path| std::fs::File::create(path).ok())
                .map(|file| (file, Instant::now())),
            title_shown: String::new(),
            theme_applied: None,
            theme_override: startup.theme,
            drawing_override: startup.drawing,
            software_renderer: None,
            renderer_checked: false,
            canvas_only_override: startup.canvas_only,
            start_page: None,
            table: TableView::default(),
            panels: PanelsShown {
                list: None,
                right: startup.tab.map(|_| true),
            },
            ctx: ctx.clone(),
        };
        if let Some(p) = app.path.clone() {
            // A case file opened at start-up, as by File ▸ Open: it remembers what its items
            // were when opened, for a colleague's three-way merge of the copy saved from it.
            let case = Arc::make_mut(&mut app.case);
            case.base = crate::edit::fingerprints(case);
            app.claim_case_file();
            app.remember_recent(&p);
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
        if startup.start_page {
            if !app.settings.recent.is_empty() {
                app.show_start_page();
            } else if app.settings.investigator.trim().is_empty()
                && app.modal.is_none()
                && app.screenshot.is_none()
            {
                app.modal = Some(Modal::Welcome {
                    name: String::new(),
                });
            }
        }
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
                    self.show_tab(RightTab::Evidence);
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
            Guarded::OpenSample(sample) => self.open_sample(sample),
            Guarded::StartPage => self.show_start_page(),
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
}

fn expand_home(path: &str) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(path)
}

/// Spacing a touch roomier than egui's default, for long forms.
fn egui_extras_style(ctx: &egui::Context) {
    ctx.global_style_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 5.0);
        style.spacing.button_padding = egui::vec2(6.0, 3.0);
    });
}

impl eframe::App for ChokepointApp {
    fn ui(&mut self, ui: &mut Ui, frame: &mut eframe::Frame) {
        if !self.renderer_checked {
            self.renderer_checked = true;
            self.software_renderer = frame.wgpu_render_state().and_then(|state| {
                let info = state.adapter.get_info();
                (info.device_type == eframe::wgpu::DeviceType::Cpu).then_some(info.name)
            });
        }
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
