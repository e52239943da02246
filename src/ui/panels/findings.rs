//! The findings panel: red-flag rule hits and screening hits, most severe first, each with its
//! explanation in plain words, the items it rests on (click to show them on the canvas) and the
//! evidence behind them. A finding can be dismissed with a reason, saved in the case through the
//! edit path, and restored. Findings are computed off the UI thread and cached per revision.

use crate::analysis::{self, Finding, RuleSet, ScreeningHit, ScreeningList, Severity};
use crate::edit::Edit;
use crate::edit::Revision;
use crate::model::{Case, Dismissal, Timestamp};
use crate::ui::action::Action;
use crate::ui::jobs::{Job, Poll};
use crate::ui::theme;
use egui::{Color32, RichText, Ui};
use std::collections::HashMap;
use std::sync::Arc;

/// What a background evaluation sends back: findings and the screening hits among them.
type Evaluation = (Vec<Finding>, Vec<ScreeningHit>);

/// Rules and the screening lists, loaded once and shared with worker threads.
struct Inputs {
    rules: RuleSet,
    lists: Vec<Arc<ScreeningList>>,
}

/// A screening list the user added from a file.
struct UserList {
    path: std::path::PathBuf,
    /// The list, or why it could not be read.
    list: Result<Arc<ScreeningList>, String>,
}

#[derive(Default)]
pub struct FindingsPanel {
    inputs: Option<Result<Arc<Inputs>, String>>,
    findings: Option<(Revision, Vec<Finding>)>,
    /// Screening hits of the same evaluation, by finding key, to offer their flags.
    hits: HashMap<String, ScreeningHit>,
    job: Option<(Revision, Job<Evaluation>)>,
    show_dismissed: bool,
    /// The finding being dismissed and the reason typed so far.
    dismissing: Option<(String, String)>,
    /// Screen against the demonstration list that ships with the app.
    use_demo: Option<bool>,
    /// Lists the user added (CSL CSV or any CSV with name and alias columns).
    user_lists: Vec<UserList>,
}

fn severity_color(severity: Severity, dark: bool) -> Color32 {
    match severity {
        Severity::Critical | Severity::High => theme::error_color(dark),
        Severity::Medium => theme::warning_color(dark),
        Severity::Low | Severity::Info => theme::edge_color(dark),
    }
}

impl FindingsPanel {
    /// Number of findings not dismissed, once computed for `revision`.
    pub fn open_count(&self, revision: Revision) -> Option<usize> {
        self.findings
            .as_ref()
            .filter(|(r, _)| *r == revision)
            .map(|(_, f)| analysis::open_count(f))
    }

    fn inputs(&mut self) -> Result<Arc<Inputs>, String> {
        let use_demo = self.use_demo.unwrap_or(true);
        let user: Vec<Arc<ScreeningList>> = self
            .user_lists
            .iter()
            .filter_map(|u| u.list.as_ref().ok())
            .cloned()
            .collect();
        self.inputs
            .get_or_insert_with(|| {
                let rules = RuleSet::builtin().map_err(|e| format!("built-in rules: {e}"))?;
                // The demonstration list ships with the app; a failure to read it leaves
                // screening out rather than the rules.
                let mut lists: Vec<Arc<ScreeningList>> = if use_demo {
                    ScreeningList::demo()
                        .ok()
                        .map(Arc::new)
                        .into_iter()
                        .collect()
                } else {
                    Vec::new()
                };
                lists.extend(user);
                Ok(Arc::new(Inputs { rules, lists }))
            })
            .clone()
    }

    /// Sets the lists to screen against (from the preferences at start, or the user's
    /// choices): the demonstration list or not, and list files. Unreadable files are kept
    /// and shown with the reason, so the user sees what is missing.
    pub fn set_lists(&mut self, demo: bool, files: &[std::path::PathBuf]) {
        self.use_demo = Some(demo);
        self.user_lists = files
            .iter()
            .map(|path| UserList {
                path: path.clone(),
                list: ScreeningList::from_file(path)
                    .map(Arc::new)
                    .map_err(|e| e.to_string()),
            })
            .collect();
        self.invalidate();
    }

    /// Adds a list file; an unreadable one is an error for the caller to show, and not kept.
    pub fn add_list(&mut self, path: &std::path::Path) -> Result<usize, String> {
        if self.user_lists.iter().any(|u| u.path == path) {
            return Err(format!("{} is already in use", path.display()));
        }
        let list = ScreeningList::from_file(path).map_err(|e| e.to_string())?;
        let entries = list.entries.len();
        self.user_lists.push(UserList {
            path: path.to_owned(),
            list: Ok(Arc::new(list)),
        });
        self.invalidate();
        Ok(entries)
    }

    /// The demonstration list's use and the list files, for the preferences.
    pub fn lists(&self) -> (bool, Vec<std::path::PathBuf>) {
        (
            self.use_demo.unwrap_or(true),
            self.user_lists.iter().map(|u| u.path.clone()).collect(),
        )
    }

    /// Forgets computed findings so they are computed again with the current lists.
    fn invalidate(&mut self) {
        self.inputs = None;
        self.findings = None;
        self.job = None;
        self.hits.clear();
    }

    /// Starts computing findings for `revision` unless they are current or on their way.
    fn refresh(&mut self, ctx: &egui::Context, case: &Arc<Case>, revision: Revision) {
        if let Some((r, job)) = &self.job {
            match job.poll(ctx) {
                Poll::Done((findings, hits)) => {
                    self.findings = Some((*r, findings));
                    self.hits = hits.into_iter().map(|h| (h.finding_key(), h)).collect();
                    self.job = None;
                }
                Poll::Running => {}
                Poll::Lost => self.job = None,
            }
        }
        let current = self.findings.as_ref().is_some_and(|(r, _)| *r == revision);
        let pending = self.job.as_ref().is_some_and(|(r, _)| *r == revision);
        if current || pending {
            return;
        }
        let Ok(inputs) = self.inputs() else {
            return;
        };
        // Shared with the job, not copied: the case is copied only if it is edited meanwhile.
        let case = Arc::clone(case);
        let job = Job::spawn_waking(ctx, "Findings", false, move |_| {
            analysis::findings_and_hits(
                &case,
                &inputs.rules,
                inputs.lists.iter().map(AsRef::as_ref),
                analysis::screening::DEFAULT_THRESHOLD,
                &crate::model::PartialDate::today(),
            )
        });
        self.job = Some((revision, job));
    }

    #[allow(clippy::too_many_lines)]
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        case: &Arc<Case>,
        revision: Revision,
        investigator: &str,
        actions: &mut Vec<Action>,
    ) {
        self.refresh(ui.ctx(), case, revision);
        let dark = ui.visuals().dark_mode;
        if let Some(Err(e)) = &self.inputs {
            ui.colored_label(theme::error_color(dark), e);
        }
        ui.horizontal(|ui| {
            ui.heading("Findings");
            if self.job.is_some() {
                ui.spinner();
            }
        });
        ui.weak("Red-flag rules (assets/rules.ron) and name screening against these lists:");
        self.lists_ui(ui, actions);
        let Self {
            findings,
            hits,
            dismissing,
            show_dismissed,
            ..
        } = self;
        let Some((computed_for, findings)) = findings else {
            ui.label("Checking the case…");
            return;
        };
        if *computed_for != revision {
            ui.weak("Updating for the latest changes…");
        }
        let dismissed = findings.iter().filter(|f| f.dismissed.is_some()).count();
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} open, {dismissed} dismissed",
                findings.len() - dismissed
            ));
            ui.checkbox(show_dismissed, "Show dismissed");
        });
        ui.separator();
        if findings.is_empty() {
            ui.label("No red flags found in this case.");
            return;
        }
        let context = FindingContext {
            case,
            hits,
            investigator,
            dark,
        };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for f in findings.iter() {
                    if f.dismissed.is_some() && !*show_dismissed {
                        continue;
                    }
                    finding_ui(ui, &context, f, dismissing, actions);
                    ui.separator();
                }
            });
    }
}

impl FindingsPanel {
    /// The screening lists in use, with controls to add and remove them.
    fn lists_ui(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let dark = ui.visuals().dark_mode;
        let mut changed = false;
        let mut demo = self.use_demo.unwrap_or(true);
        if ui
            .checkbox(&mut demo, "Demonstration list (ships with the app)")
            .changed()
        {
            self.use_demo = Some(demo);
            changed = true;
        }
        let mut remove = None;
        for (i, u) in self.user_lists.iter().enumerate() {
            ui.horizontal(|ui| {
                let name = u.path.file_name().map_or_else(
                    || u.path.display().to_string(),
                    |n| n.to_string_lossy().into(),
                );
                match &u.list {
                    Ok(list) => {
                        ui.label(format!("{name} · {} entries", list.entries.len()))
                            .on_hover_text(u.path.display().to_string());
                    }
                    Err(e) => {
                        ui.colored_label(theme::error_color(dark), format!("{name}: {e}"));
                    }
                }
                if ui
                    .small_button("Remove")
                    .on_hover_text("Stop screening against this list")
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.user_lists.remove(i);
            changed = true;
        }
        if ui
            .button("Add screening list…")
            .on_hover_text(
                "A US Consolidated Screening List CSV, or any CSV with name and alias columns; \
                 read from disk, never downloaded",
            )
            .clicked()
        {
            actions.push(Action::ChooseScreeningList);
        }
        if changed {
            self.invalidate();
            let (demo, files) = self.lists();
            actions.push(Action::ScreeningLists { demo, files });
        }
    }
}

/// What every finding row reads.
struct FindingContext<'a> {
    case: &'a Case,
    hits: &'a HashMap<String, ScreeningHit>,
    investigator: &'a str,
    dark: bool,
}

fn finding_ui(
    ui: &mut Ui,
    context: &FindingContext<'_>,
    f: &Finding,
    dismissing: &mut Option<(String, String)>,
    actions: &mut Vec<Action>,
) {
    let FindingContext {
        case,
        hits,
        investigator,
        dark,
    } = *context;
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(f.severity.label())
                .strong()
                .color(severity_color(f.severity, dark)),
        );
        let title = RichText::new(&f.title).strong();
        ui.label(if f.dismissed.is_some() {
            title.strikethrough()
        } else {
            title
        });
    });
    ui.label(&f.explanation);
    ui.horizontal_wrapped(|ui| {
        ui.weak("Involves:");
        for item in &f.items {
            if case.contains(item)
                && ui
                    .link(case.item_label(item))
                    .on_hover_text("Show on the canvas")
                    .clicked()
            {
                actions.push(Action::Show(vec![item.clone()]));
            }
        }
        if f.items.len() > 1 && ui.small_button("Show all").clicked() {
            actions.push(Action::Show(f.items.clone()));
        }
    });
    if f.evidence.is_empty() {
        ui.weak("No evidence linked to these items yet.");
    } else {
        ui.horizontal_wrapped(|ui| {
            ui.weak("Evidence:");
            for ev in &f.evidence {
                if let Some(e) = case.evidence.get(ev) {
                    ui.label(format!(
                        "{} ({}{})",
                        e.title,
                        e.reliability.letter(),
                        e.credibility.digit()
                    ));
                }
            }
        });
    }
    if let Some(hit) = hits.get(&f.key)
        && let Some(entity) = case.entities.get(&hit.entity)
    {
        let flag = hit.to_flag();
        let flagged = entity.flags.iter().any(|x| x.detail == flag.detail);
        if flagged {
            ui.weak(format!(
                "{} carries the Listed flag for this entry.",
                entity.name
            ));
        } else if ui
            .small_button("Flag as listed")
            .on_hover_text(format!(
                "Adds the flag \u{201c}{}\u{201d} to {}",
                flag.detail, entity.name
            ))
            .clicked()
        {
            let mut changed = entity.clone();
            changed.flags.push(flag);
            actions.push(Action::Apply {
                select: None,
                label: format!("Flag {} as listed", entity.name),
                edit: Edit::Replace(changed.into()),
            });
        }
    }
    match (&f.dismissed, &mut *dismissing) {
        (Some(reason), _) => {
            ui.horizontal_wrapped(|ui| {
                ui.weak(format!("Dismissed: {reason}"));
                if ui.small_button("Restore").clicked() {
                    actions.push(Action::Apply {
                        select: None,
                        label: format!("Restore finding {}", f.title),
                        edit: Edit::SetDismissal {
                            finding: f.key.clone(),
                            dismissal: None,
                        },
                    });
                }
            });
        }
        (None, Some((key, reason))) if *key == f.key => {
            let mut done = false;
            ui.horizontal(|ui| {
                let field = egui::TextEdit::singleline(reason)
                    .hint_text("Why this does not apply")
                    .desired_width(220.0);
                let label = ui.label("Reason");
                let response = ui.add(field).labelled_by(label.id);
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let ok = !reason.trim().is_empty();
                if (ui.add_enabled(ok, egui::Button::new("Dismiss")).clicked() || enter) && ok {
                    actions.push(Action::Apply {
                        select: None,
                        label: format!("Dismiss finding {}", f.title),
                        edit: Edit::SetDismissal {
                            finding: f.key.clone(),
                            dismissal: Some(Box::new(Dismissal {
                                finding: f.key.clone(),
                                reason: reason.trim().to_owned(),
                                author: investigator.to_owned(),
                                at: Some(Timestamp::now()),
                            })),
                        },
                    });
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
            if done {
                *dismissing = None;
            }
        }
        (None, _) => {
            if ui
                .small_button("Dismiss…")
                .on_hover_text("Record why this finding does not apply; it is saved in the case")
                .clicked()
            {
                *dismissing = Some((f.key.clone(), String::new()));
            }
        }
    }
}
