//! Graph questions about the canvas selection, shown above the flows: with two entities
//! selected, the shortest path, every path up to N hops and their common neighbours; with one,
//! "trace downstream" to every entity the goods can reach. Results are listed; the whole result
//! or one row is highlighted on the canvas. View state only; the numbers come from
//! `analysis::graph`.

use crate::analysis::graph::{CaseGraph, Path, trace_downstream};
use crate::edit::Revision;
use crate::model::{Case, EntityId, ItemRef};
use crate::ui::action::Action;
use egui::{RichText, Ui};
use std::collections::BTreeSet;

/// Most paths listed for "All paths", as dense graphs have astronomically many.
const MAX_PATHS: usize = 200;

/// One line of a result and the items it stands for.
struct Row {
    text: String,
    items: Vec<ItemRef>,
    /// The entity the row is about, which "Select" selects.
    about: Option<ItemRef>,
}

struct Outcome {
    title: String,
    rows: Vec<Row>,
    /// Said when there are no rows.
    empty: String,
}

pub struct AnalysisPanel {
    /// Hop bound for "All paths".
    pub max_hops: usize,
    graph: Option<(Revision, CaseGraph)>,
    /// The last result and the revision it was computed for: it names the case's items as
    /// they were, so it goes once the case changes (an edit, another case).
    outcome: Option<(Revision, Outcome)>,
}

impl Default for AnalysisPanel {
    fn default() -> Self {
        Self {
            max_hops: 4,
            graph: None,
            outcome: None,
        }
    }
}

fn path_items(path: &Path) -> Vec<ItemRef> {
    let mut items: Vec<ItemRef> = path.nodes.iter().cloned().map(ItemRef::Entity).collect();
    items.extend(path.edges.iter().cloned());
    items
}

fn path_text(case: &Case, path: &Path) -> String {
    let names: Vec<String> = path.nodes.iter().map(|n| case.entity_name(n)).collect();
    let hops = path.len();
    format!(
        "{} ({hops} hop{})",
        names.join(" → "),
        if hops == 1 { "" } else { "s" }
    )
}

fn all_items(rows: &[Row]) -> Vec<ItemRef> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for i in rows.iter().flat_map(|r| &r.items) {
        if seen.insert(i.clone()) {
            out.push(i.clone());
        }
    }
    out
}

impl AnalysisPanel {
    fn graph(&mut self, case: &Case, revision: Revision) -> &CaseGraph {
        if self.graph.as_ref().is_some_and(|(r, _)| *r != revision) {
            self.graph = None;
        }
        &self
            .graph
            .get_or_insert_with(|| (revision, CaseGraph::build(case)))
            .1
    }

    /// Draws the section. `selected` is the canvas selection.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        revision: Revision,
        selected: &BTreeSet<ItemRef>,
        actions: &mut Vec<Action>,
    ) {
        let entities: Vec<EntityId> = selected
            .iter()
            .filter_map(|i| match i {
                ItemRef::Entity(e) if case.entities.contains_key(e) => Some(e.clone()),
                _ => None,
            })
            .collect();
        egui::CollapsingHeader::new(RichText::new("Analysis").strong())
            .id_salt("analysis_section")
            .default_open(true)
            .show(ui, |ui| {
                let mut run: Option<Outcome> = None;
                match entities.as_slice() {
                    [one] => {
                        ui.label(format!("Selected: {}", case.entity_name(one)));
                        if ui
                            .button("Trace downstream")
                            .on_hover_text(
                                "Follow shipments, resale and ownership to every entity the goods can reach",
                            )
                            .clicked()
                        {
                            run = Some(Self::downstream(case, one));
                        }
                    }
                    [a, b] => {
                        ui.label(format!(
                            "Selected: {} and {}",
                            case.entity_name(a),
                            case.entity_name(b)
                        ));
                        ui.horizontal_wrapped(|ui| {
                            if ui.button("Shortest path").clicked() {
                                let g = self.graph(case, revision);
                                let path = g.shortest_path(a, b);
                                run = Some(Outcome {
                                    title: "Shortest path".to_owned(),
                                    rows: path
                                        .iter()
                                        .map(|p| Row {
                                            text: path_text(case, p),
                                            items: path_items(p),
                                            about: None,
                                        })
                                        .collect(),
                                    empty: "They are not connected.".to_owned(),
                                });
                            }
                            let label = format!("All paths (≤ {} hops)", self.max_hops);
                            if ui.button(label).clicked() {
                                let max_hops = self.max_hops;
                                let g = self.graph(case, revision);
                                let paths = g.simple_paths(a, b, max_hops, MAX_PATHS);
                                run = Some(Outcome {
                                    title: format!(
                                        "{} path{} of at most {max_hops} hops{}",
                                        paths.len(),
                                        if paths.len() == 1 { "" } else { "s" },
                                        if paths.len() >= MAX_PATHS {
                                            " (the first ones)"
                                        } else {
                                            ""
                                        }
                                    ),
                                    rows: paths
                                        .iter()
                                        .map(|p| Row {
                                            text: path_text(case, p),
                                            items: path_items(p),
                                            about: None,
                                        })
                                        .collect(),
                                    empty: format!("No path of at most {max_hops} hops."),
                                });
                            }
                            let hops_label = ui.label("N");
                            ui.add(egui::DragValue::new(&mut self.max_hops).range(1..=8))
                                .labelled_by(hops_label.id);
                            if ui.button("Common neighbours").clicked() {
                                let g = self.graph(case, revision);
                                run = Some(Self::common(case, g, a, b));
                            }
                        });
                    }
                    [] => {
                        ui.weak("Select one entity on the canvas to trace downstream, or two (Shift+click) for paths and common neighbours.");
                    }
                    _ => {
                        ui.weak(format!(
                            "{} entities selected: select one to trace downstream, or two for paths and common neighbours.",
                            entities.len()
                        ));
                    }
                }
                if let Some(outcome) = run {
                    let items = all_items(&outcome.rows);
                    if !items.is_empty() {
                        actions.push(Action::Highlight(items));
                    }
                    self.outcome = Some((revision, outcome));
                }
                if self.outcome.as_ref().is_some_and(|(r, _)| *r != revision) {
                    self.outcome = None;
                }
                self.outcome_ui(ui, actions);
            });
    }

    fn outcome_ui(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let Some((_, outcome)) = &self.outcome else {
            return;
        };
        let mut clear = false;
        ui.horizontal(|ui| {
            ui.strong(&outcome.title);
            if !outcome.rows.is_empty() && ui.small_button("Highlight all").clicked() {
                actions.push(Action::Highlight(all_items(&outcome.rows)));
            }
            if ui.small_button("Clear").clicked() {
                clear = true;
                actions.push(Action::Highlight(Vec::new()));
            }
        });
        if outcome.rows.is_empty() {
            ui.weak(&outcome.empty);
        }
        egui::ScrollArea::vertical()
            .id_salt("analysis_rows")
            .max_height(160.0)
            .show(ui, |ui| {
                for row in &outcome.rows {
                    ui.horizontal_wrapped(|ui| {
                        if ui
                            .link(&row.text)
                            .on_hover_text("Highlight on the canvas")
                            .clicked()
                        {
                            actions.push(Action::Highlight(row.items.clone()));
                        }
                        if let Some(about) = &row.about
                            && ui.small_button("Select").clicked()
                        {
                            actions.push(Action::Select(about.clone()));
                        }
                    });
                }
            });
        if clear {
            self.outcome = None;
        }
    }

    fn downstream(case: &Case, start: &EntityId) -> Outcome {
        let reach = trace_downstream(case, start);
        let rows = reach
            .iter()
            .map(|r| {
                let mut items = vec![ItemRef::Entity(start.clone())];
                let mut steps = Vec::new();
                for s in &r.path {
                    items.push(ItemRef::Entity(s.to.clone()));
                    items.push(s.via.clone());
                    steps.push(format!("{} {}", s.how.label(), case.entity_name(&s.to)));
                }
                Row {
                    text: format!(
                        "{}{}: {}",
                        case.entity_name(&r.entity),
                        if r.end_user { " (end user)" } else { "" },
                        steps.join(", ")
                    ),
                    items,
                    about: Some(ItemRef::Entity(r.entity.clone())),
                }
            })
            .collect();
        Outcome {
            title: format!(
                "Downstream of {}: {} reachable, {} end users",
                case.entity_name(start),
                reach.len(),
                reach.iter().filter(|r| r.end_user).count()
            ),
            rows,
            empty: "Nothing moves on from here.".to_owned(),
        }
    }

    fn common(case: &Case, g: &CaseGraph, a: &EntityId, b: &EntityId) -> Outcome {
        let rows: Vec<Row> = g
            .common_neighbours(a, b)
            .into_iter()
            .map(|n| {
                let mut items = vec![
                    ItemRef::Entity(n.clone()),
                    ItemRef::Entity(a.clone()),
                    ItemRef::Entity(b.clone()),
                ];
                for (x, y) in [(a, &n), (&n, b)] {
                    items.extend(g.edges_between(x, y).into_iter().map(|e| e.item.clone()));
                }
                Row {
                    text: case.entity_name(&n),
                    items,
                    about: Some(ItemRef::Entity(n)),
                }
            })
            .collect();
        Outcome {
            title: format!(
                "{} common neighbour{}",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            ),
            rows,
            empty: "They have no neighbour in common.".to_owned(),
        }
    }
}
