//! The start page: what the app shows when it starts with no file and has opened cases before.
//! Recent cases (title, marking, size and when each was last saved, read off the UI thread),
//! New, Open…, Import…, the two sample cases, and the investigator's name.
//!
//! Behind the page is a new untitled case, so whatever the user does from the menus instead
//! (an import, an entity) lands in a case of its own, never in a sample.

use super::{ChokepointApp, Guarded, ImportKind};
use crate::model::{Case, Timestamp, Tlp};
use crate::ui::commands::UiCommand;
use crate::ui::jobs::{Job, Poll};
use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

/// Largest recent file whose title and counts the start page reads (larger ones show their
/// size and date only: reading them would take seconds).
const MAX_SUMMARY_BYTES: u64 = 64 << 20;

/// One of the cases built into the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sample {
    /// The Su Di / Kun Lun Nest videos (the seed case).
    Seed,
    /// Strait Networks, the fictional training case.
    Training,
}

impl Sample {
    pub const ALL: [Sample; 2] = [Sample::Seed, Sample::Training];

    pub fn label(self) -> &'static str {
        match self {
            Sample::Seed => "Hopper GPUs in Guangdong (seed case)",
            Sample::Training => "Strait Networks (training case)",
        }
    }

    pub fn about(self) -> &'static str {
        match self {
            Sample::Seed => {
                "A real, open-source story: H100/H200 accelerators shown in China; everything alleged"
            }
            Sample::Training => {
                "Fictional: GPU servers via Singapore, Malaysia and Hong Kong; practise grading evidence"
            }
        }
    }

    pub fn case(self) -> Result<Case, String> {
        match self {
            Sample::Seed => crate::seed_case(),
            Sample::Training => crate::training_case(),
        }
        .map_err(|e| e.message)
    }
}

/// What the start page knows of a recent case.
#[derive(Clone, Debug, PartialEq)]
pub enum RecentInfo {
    Reading,
    Case {
        title: String,
        marking: Tlp,
        counts: String,
        saved: Option<Timestamp>,
    },
    /// Too large to read for the page: its size and date only.
    Large {
        bytes: u64,
        saved: Option<Timestamp>,
    },
    Missing,
    Unreadable(String),
}

impl RecentInfo {
    /// Reads what the page shows of the case file at `path` (a worker thread's work).
    pub fn read(path: &Path) -> Self {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return RecentInfo::Missing,
            Err(e) => return RecentInfo::Unreadable(e.to_string()),
        };
        let saved = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_secs()).ok())
            .map(Timestamp::from_unix);
        if super::bundle::is_bundle(path) {
            return RecentInfo::Large {
                bytes: meta.len(),
                saved,
            };
        }
        if meta.len() > MAX_SUMMARY_BYTES {
            return RecentInfo::Large {
                bytes: meta.len(),
                saved,
            };
        }
        match crate::io::load_case(path) {
            Ok(case) => RecentInfo::Case {
                title: case.meta.title.clone(),
                marking: case.meta.marking,
                counts: short_counts(&case),
                saved,
            },
            Err(e) => RecentInfo::Unreadable(e.to_string()),
        }
    }
}

fn short_counts(case: &Case) -> String {
    let c = case.counts();
    format!(
        "{} entities · {} shipments · {} evidence",
        c.entities, c.shipments, c.evidence
    )
}

/// A date and time as the page shows it: `2026-12-03 14:05 UTC`.
fn when(t: Timestamp) -> String {
    let s = t.to_string();
    format!("{} {} UTC", &s[..10], &s[11..16])
}

/// What the user chose on the page.
#[derive(Debug, PartialEq)]
pub enum StartChoice {
    Open(PathBuf),
    Forget(PathBuf),
    Command(UiCommand),
    Import(ImportKind),
    Sample(Sample),
}

pub struct StartPage {
    recent: Vec<(PathBuf, RecentInfo)>,
    reading: Option<Job<Vec<RecentInfo>>>,
}

impl StartPage {
    /// The page for these recent files; their summaries are read on a worker thread.
    pub fn new(ctx: &egui::Context, recent: &[PathBuf]) -> Self {
        let paths = recent.to_vec();
        let reading = Job::spawn_waking(ctx, "Reading recent cases", false, move |_| {
            paths.iter().map(|p| RecentInfo::read(p)).collect()
        });
        Self {
            recent: recent
                .iter()
                .map(|p| (p.clone(), RecentInfo::Reading))
                .collect(),
            reading: Some(reading),
        }
    }

    /// Takes the summaries once they are read.
    fn poll(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.reading else {
            return;
        };
        match job.poll(ctx) {
            Poll::Running => {}
            Poll::Done(infos) => {
                for ((_, slot), info) in self.recent.iter_mut().zip(infos) {
                    *slot = info;
                }
                self.reading = None;
            }
            Poll::Lost => {
                for (_, slot) in &mut self.recent {
                    *slot = RecentInfo::Unreadable("could not be read".to_owned());
                }
                self.reading = None;
            }
        }
    }

    /// What the page shows of each recent case (for tests).
    pub fn recent(&self) -> &[(PathBuf, RecentInfo)] {
        &self.recent
    }

    fn ui(&mut self, ui: &mut Ui, investigator: &mut String) -> Option<StartChoice> {
        self.poll(ui.ctx());
        let mut choice = None;
        let dark = ui.visuals().dark_mode;
        egui::ScrollArea::vertical().show(ui, |ui| {
            let width = ui.available_width().min(980.0);
            let margin = ((ui.available_width() - width) / 2.0).max(0.0);
            ui.horizontal(|ui| {
                ui.add_space(margin);
                ui.vertical(|ui| {
                    ui.set_width(width);
                    ui.add_space(24.0);
                    ui.heading(RichText::new("Chokepoint").size(30.0).strong());
                    ui.label("Trace how controlled AI hardware reaches restricted end users.");
                    ui.add_space(16.0);
                    ui.columns(2, |cols| {
                        cols[0].heading("Recent cases");
                        cols[0].add_space(4.0);
                        for (path, info) in &self.recent {
                            if let Some(c) = recent_card_ui(&mut cols[0], path, info, dark) {
                                choice = Some(c);
                            }
                        }
                        // (Top-down, not justified: wrapped text is not spread to the edge.)
                        let layout = egui::Layout::top_down(egui::Align::Min);
                        if let Some(c) = cols[1]
                            .with_layout(layout, |ui| actions_ui(ui, investigator))
                            .inner
                        {
                            choice = Some(c);
                        }
                    });
                });
            });
        });
        choice
    }
}

fn recent_card_ui(ui: &mut Ui, path: &Path, info: &RecentInfo, dark: bool) -> Option<StartChoice> {
    let mut choice = None;
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        match info {
            RecentInfo::Missing | RecentInfo::Unreadable(_) => {
                ui.label(RichText::new(&file).strong());
                let why = match info {
                    RecentInfo::Unreadable(e) => format!("Cannot be read: {e}"),
                    _ => "File not found: moved, renamed or deleted".to_owned(),
                };
                ui.colored_label(theme::error_color(dark), why);
                ui.horizontal(|ui| {
                    if ui.button("Remove from the list").clicked() {
                        choice = Some(StartChoice::Forget(path.to_owned()));
                    }
                    if matches!(info, RecentInfo::Unreadable(_))
                        && ui.button("Try to open").clicked()
                    {
                        choice = Some(StartChoice::Open(path.to_owned()));
                    }
                });
            }
            _ => {
                let title = match info {
                    RecentInfo::Case { title, .. } => title.clone(),
                    _ => file.clone(),
                };
                let open = ui
                    .add(egui::Button::new(RichText::new(title).strong().size(15.0)).frame(false))
                    .on_hover_text(format!("Open {}", path.display()));
                if open.clicked() {
                    choice = Some(StartChoice::Open(path.to_owned()));
                }
                ui.horizontal_wrapped(|ui| match info {
                    RecentInfo::Case {
                        marking,
                        counts,
                        saved,
                        ..
                    } => {
                        let (bg, fg) = theme::tlp_colors(*marking);
                        ui.label(
                            RichText::new(format!(" {} ", marking.label()))
                                .background_color(bg)
                                .color(fg)
                                .small(),
                        )
                        .on_hover_text(marking.meaning());
                        ui.weak(counts);
                        if let Some(t) = saved {
                            ui.weak(format!("· saved {}", when(*t)));
                        }
                    }
                    RecentInfo::Large { bytes, saved } => {
                        ui.weak(format!("{:.1} MB", *bytes as f64 / 1e6));
                        if let Some(t) = saved {
                            ui.weak(format!("· saved {}", when(*t)));
                        }
                    }
                    _ => {
                        ui.spinner();
                        ui.weak("Reading…");
                    }
                });
                ui.weak(RichText::new(path.display().to_string()).small());
            }
        }
    });
    choice
}

fn actions_ui(ui: &mut Ui, investigator: &mut String) -> Option<StartChoice> {
    let mut choice = None;
    let wide = egui::vec2(ui.available_width().min(320.0), 28.0);
    ui.heading("Start");
    ui.add_space(4.0);
    for (label, c) in [
        ("New case", StartChoice::Command(UiCommand::New)),
        ("Open a case file…", StartChoice::Command(UiCommand::Open)),
        (
            "Import CSV (trade data, parties)…",
            StartChoice::Import(ImportKind::Csv),
        ),
        (
            "Import FollowTheMoney (Aleph, OpenSanctions)…",
            StartChoice::Import(ImportKind::Ftm),
        ),
    ] {
        if ui.add(egui::Button::new(label).min_size(wide)).clicked() {
            choice = Some(c);
        }
    }
    ui.add_space(16.0);
    ui.heading("Sample cases");
    for sample in Sample::ALL {
        if ui
            .add(egui::Button::new(sample.label()).min_size(wide))
            .on_hover_text(sample.about())
            .clicked()
        {
            choice = Some(StartChoice::Sample(sample));
        }
        ui.weak(sample.about());
        ui.add_space(4.0);
    }
    ui.add_space(16.0);
    let l = ui.label(RichText::new("Your name").strong()).id;
    ui.add(
        egui::TextEdit::singleline(investigator)
            .hint_text("as it should appear in the custody log")
            .desired_width(wide.x),
    )
    .labelled_by(l);
    ui.weak("Recorded with the evidence you add and the notes you write; change it in Settings.");
    choice
}

impl ChokepointApp {
    /// Shows the start page instead of the chart (an untitled case behind it).
    pub(super) fn show_start_page(&mut self) {
        self.replace_case(Case::new_untitled(Timestamp::now()), None);
        // (What the status bar said was about the case the page replaces.)
        if self
            .status
            .as_ref()
            .is_some_and(|s| s.kind == super::StatusKind::Info)
        {
            self.status = None;
        }
        self.start_page = Some(StartPage::new(&self.ctx, &self.settings.recent));
    }

    /// Whether the start page is showing (for tests).
    pub fn start_page(&self) -> Option<&StartPage> {
        self.start_page.as_ref()
    }

    /// The start page in the middle of the window; its choice is acted on at once.
    pub(super) fn start_page_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let Some(page) = &mut self.start_page else {
            return;
        };
        let Some(choice) = page.ui(ui, &mut self.settings.investigator) else {
            return;
        };
        match choice {
            StartChoice::Open(path) => self.guard(&ctx, Guarded::OpenPath(path)),
            StartChoice::Forget(path) => {
                self.settings.recent.retain(|p| p != &path);
                if let Some(page) = &mut self.start_page {
                    page.recent.retain(|(p, _)| p != &path);
                }
            }
            StartChoice::Command(c) => self.run_command(&ctx, c),
            StartChoice::Import(kind) => {
                self.start_page = None;
                self.import_dialog(kind);
            }
            StartChoice::Sample(sample) => self.guard(&ctx, Guarded::OpenSample(sample)),
        }
    }

    /// Opens a sample case in place of the open one, with no file behind it.
    pub(super) fn open_sample(&mut self, sample: Sample) {
        match sample.case() {
            Ok(case) => {
                self.replace_case(case, None);
                self.info(format!(
                    "Opened the sample case {}: use Save as… to keep your changes",
                    sample.label()
                ));
            }
            Err(e) => self.error(format!("The sample case could not be read: {e}")),
        }
    }
}
