//! Filtering and sorting the locker: by text, kind, grade, marking, date range, whether linked,
//! and integrity problems.

use super::EvidencePanel;
use super::grades::grade_text;
use super::grades::option_combo_ui;
use super::integrity::IntegrityWatch;
use crate::edit::Revision;
use crate::io::evidence::{self as locker};
use crate::model::parse::{self, DateOrder};
use crate::model::{
    Case, Evidence, EvidenceId, EvidenceKind, EvidenceSource, InfoCredibility, PartialDate,
    SourceReliability, Tlp,
};
use egui::Ui;

// ---- filters and sorting --------------------------------------------------------------------

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Linked {
    #[default]
    All,
    Supporting,
    Unlinked,
}

impl Linked {
    pub(super) fn label(self) -> &'static str {
        match self {
            Linked::All => "linked or not",
            Linked::Supporting => "linked to a claim",
            Linked::Unlinked => "not linked",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum SortBy {
    #[default]
    Date,
    Captured,
    Grade,
    Title,
    Kind,
}

impl SortBy {
    pub(super) const ALL: [SortBy; 5] = [
        SortBy::Date,
        SortBy::Captured,
        SortBy::Grade,
        SortBy::Title,
        SortBy::Kind,
    ];

    pub(super) fn label(self) -> &'static str {
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
pub(super) struct LockerFilters {
    pub(super) text: String,
    pub(super) kind: Option<EvidenceKind>,
    pub(super) reliability: Option<SourceReliability>,
    pub(super) credibility: Option<InfoCredibility>,
    pub(super) marking: Option<Tlp>,
    pub(super) linked: Linked,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) problems_only: bool,
    pub(super) sort: SortBy,
    pub(super) descending: bool,
}

impl LockerFilters {
    pub(super) fn active(&self) -> bool {
        let plain = LockerFilters {
            sort: self.sort,
            descending: self.descending,
            ..LockerFilters::default()
        };
        *self != plain
    }

    pub(super) fn keeps(
        &self,
        ev: &Evidence,
        range: (Option<i64>, Option<i64>),
        broken: bool,
    ) -> bool {
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
pub(super) fn last_day(date: &PartialDate) -> i64 {
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

pub(super) fn source_word(ev: &Evidence) -> &'static str {
    match ev.source {
        EvidenceSource::File { .. } => "📄",
        EvidenceSource::Reference { .. } => "🔗",
        EvidenceSource::Text(_) => "📝",
    }
}

impl EvidencePanel {
    pub(super) fn filtered(
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

    pub(super) fn filters_ui(&mut self, ui: &mut Ui, integrity: &IntegrityWatch) {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClaimSupport, ItemRef};

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
