//! The table view (Gephi's Data Laboratory, i2's list view): entities, links and shipments as
//! sortable, filterable tables in place of the chart. Rows are virtualised; the selection is
//! the canvas's selection; a double-click edits a cell; the bar above the table sets a country,
//! a tag or a claim status on every selected row as one undoable step; Copy CSV puts the rows
//! on the clipboard.

use crate::edit::{Edit, Item, Revision};
use crate::model::{Case, ClaimStatus, ItemRef, parse};
use crate::ui::action::Action;
use crate::ui::theme;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TableTab {
    #[default]
    Entities,
    Links,
    Shipments,
}

impl TableTab {
    pub const ALL: [TableTab; 3] = [TableTab::Entities, TableTab::Links, TableTab::Shipments];

    fn label(self) -> &'static str {
        match self {
            TableTab::Entities => "Entities",
            TableTab::Links => "Links",
            TableTab::Shipments => "Shipments",
        }
    }

    fn holds(self, item: &ItemRef) -> bool {
        matches!(
            (self, item),
            (TableTab::Entities, ItemRef::Entity(_))
                | (TableTab::Links, ItemRef::Link(_))
                | (TableTab::Shipments, ItemRef::Shipment(_))
        )
    }

    fn columns(self) -> &'static [Col] {
        match self {
            TableTab::Entities => ENTITY_COLUMNS,
            TableTab::Links => LINK_COLUMNS,
            TableTab::Shipments => SHIPMENT_COLUMNS,
        }
    }
}

const ENTITY_COLUMNS: &[Col] = &[
    Col::new("Name", 260.0, Editable::Name),
    Col::new("Kind", 100.0, Editable::No),
    Col::new("Country", 70.0, Editable::Country),
    Col::new("Tags", 180.0, Editable::Tags),
    Col::new("Aliases", 200.0, Editable::No),
    Col::new("Founded", 90.0, Editable::No),
    Col::new("Id", 200.0, Editable::No),
];
const LINK_COLUMNS: &[Col] = &[
    Col::new("From", 220.0, Editable::No),
    Col::new("Link", 200.0, Editable::No),
    Col::new("To", 220.0, Editable::No),
    Col::new("Claim", 120.0, Editable::Claim),
    Col::new("Id", 200.0, Editable::No),
];
const SHIPMENT_COLUMNS: &[Col] = &[
    Col::new("Reference", 160.0, Editable::Reference),
    Col::new("Shipper", 200.0, Editable::No),
    Col::new("Consignee", 200.0, Editable::No),
    Col::new("Route", 130.0, Editable::No),
    Col::new("Date", 90.0, Editable::No),
    Col::new("Quantity", 80.0, Editable::No),
    Col::new("Claim", 120.0, Editable::Claim),
    Col::new("Id", 180.0, Editable::No),
];

/// What a double-click on a cell of the column edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Editable {
    No,
    Name,
    Country,
    Tags,
    Reference,
    Claim,
}

struct Col {
    name: &'static str,
    width: f32,
    edit: Editable,
}

impl Col {
    const fn new(name: &'static str, width: f32, edit: Editable) -> Self {
        Self { name, width, edit }
    }
}

/// One row: the item, each cell's text, and a number to sort by where the column has one.
struct Row {
    item: ItemRef,
    cells: Vec<(String, Option<f64>)>,
}

/// A cell being edited: the row's item, the column, the text typed so far.
struct CellEdit {
    item: ItemRef,
    column: usize,
    text: String,
    error: Option<String>,
}

#[derive(Default)]
pub struct TableView {
    /// Shown in place of the chart.
    pub open: bool,
    pub tab: TableTab,
    pub filter: String,
    /// Sorted by this column, descending when true.
    sort: (usize, bool),
    cache_key: Option<(Revision, TableTab, String, (usize, bool))>,
    rows: Vec<Row>,
    /// The row a Shift+click extends the selection from.
    anchor: Option<ItemRef>,
    editing: Option<CellEdit>,
    bulk_country: String,
    bulk_tag: String,
    bulk_claim: Option<ClaimStatus>,
    bulk_error: Option<String>,
}

impl TableView {
    /// Whether a cell is being edited (for tests).
    pub fn is_editing(&self) -> bool {
        self.editing.is_some()
    }

    /// The items shown, in the order shown (for tests).
    pub fn shown(&self) -> Vec<ItemRef> {
        self.rows.iter().map(|r| r.item.clone()).collect()
    }

    fn refresh(&mut self, case: &Case, revision: Revision) {
        let key = (revision, self.tab, self.filter.clone(), self.sort);
        if self.cache_key.as_ref() == Some(&key) {
            return;
        }
        let q = self.filter.trim().to_lowercase();
        let text = |s: String| (s, None);
        self.rows = match self.tab {
            TableTab::Entities => case
                .entities
                .values()
                .map(|e| Row {
                    item: ItemRef::Entity(e.id.clone()),
                    cells: vec![
                        text(e.name.clone()),
                        text(e.kind.label().to_owned()),
                        text(
                            e.country
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                        ),
                        text(e.tags.join(", ")),
                        text(e.aliases.join(", ")),
                        text(
                            e.start
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                        ),
                        text(e.id.to_string()),
                    ],
                })
                .collect(),
            TableTab::Links => case
                .links
                .values()
                .map(|l| Row {
                    item: ItemRef::Link(l.id.clone()),
                    cells: vec![
                        text(case.entity_name(&l.from)),
                        text(l.kind.summary()),
                        text(case.entity_name(&l.to)),
                        text(l.status.label().to_owned()),
                        text(l.id.to_string()),
                    ],
                })
                .collect(),
            TableTab::Shipments => case
                .shipments
                .values()
                .map(|s| {
                    let party = |p: &Option<crate::model::EntityId>| {
                        p.as_ref()
                            .map(|id| case.entity_name(id))
                            .unwrap_or_default()
                    };
                    let quantity = s.total_quantity();
                    Row {
                        item: ItemRef::Shipment(s.id.clone()),
                        cells: vec![
                            text(s.reference.clone()),
                            text(party(&s.shipper)),
                            text(party(&s.consignee)),
                            text(s.route_summary()),
                            text(s.first_date().map(ToString::to_string).unwrap_or_default()),
                            (
                                if quantity > 0.0 {
                                    format!("{quantity}")
                                } else {
                                    String::new()
                                },
                                Some(quantity),
                            ),
                            text(s.claim.label().to_owned()),
                            text(s.id.to_string()),
                        ],
                    }
                })
                .collect(),
        };
        if !q.is_empty() {
            self.rows
                .retain(|r| r.cells.iter().any(|(t, _)| t.to_lowercase().contains(&q)));
        }
        let (column, descending) = self.sort;
        self.rows.sort_by(|a, b| {
            let (ta, na) = &a.cells[column];
            let (tb, nb) = &b.cells[column];
            let order = match (na, nb) {
                (Some(x), Some(y)) => x.total_cmp(y),
                _ => ta.to_lowercase().cmp(&tb.to_lowercase()),
            };
            if descending { order.reverse() } else { order }
        });
        self.cache_key = Some(key);
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        revision: Revision,
        selected: &BTreeSet<ItemRef>,
        actions: &mut Vec<Action>,
    ) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui
                .button("← Chart")
                .on_hover_text("Back to the chart (Ctrl+Shift+L)")
                .clicked()
            {
                self.open = false;
            }
            ui.separator();
            for tab in TableTab::ALL {
                let n = match tab {
                    TableTab::Entities => case.entities.len(),
                    TableTab::Links => case.links.len(),
                    TableTab::Shipments => case.shipments.len(),
                };
                if ui
                    .selectable_label(self.tab == tab, format!("{} {n}", tab.label()))
                    .clicked()
                    && self.tab != tab
                {
                    self.tab = tab;
                    self.sort = (0, false);
                    self.editing = None;
                }
            }
            ui.separator();
            let l = ui.label("Filter the table").id;
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("any column contains…")
                    .desired_width(220.0),
            )
            .labelled_by(l);
        });
        self.refresh(case, revision);
        let chosen: Vec<ItemRef> = self
            .rows
            .iter()
            .filter(|r| selected.contains(&r.item))
            .map(|r| r.item.clone())
            .collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} shown · {} selected",
                self.rows.len(),
                chosen.len()
            ));
            if ui.button("Select all shown").clicked() {
                actions.push(Action::SelectMany(self.shown()));
            }
            let rows: Vec<&Row> = if chosen.is_empty() {
                self.rows.iter().collect()
            } else {
                self.rows
                    .iter()
                    .filter(|r| selected.contains(&r.item))
                    .collect()
            };
            if ui
                .button("Copy CSV")
                .on_hover_text("The selected rows (or all shown) as CSV, for a spreadsheet")
                .clicked()
            {
                let text = csv_text(self.tab.columns(), &rows);
                ui.ctx().copy_text(text);
                actions.push(Action::Info(format!("Copied {} rows as CSV", rows.len())));
            }
            if !chosen.is_empty() {
                ui.separator();
                self.bulk_ui(ui, case, &chosen, actions);
            }
        });
        if let Some(e) = &self.bulk_error {
            ui.colored_label(theme::error_color(ui.visuals().dark_mode), e.as_str());
        }
        ui.separator();
        self.table_ui(ui, case, selected, actions);
    }

    /// The bar that edits every selected row at once, as one undoable step.
    fn bulk_ui(&mut self, ui: &mut Ui, case: &Case, chosen: &[ItemRef], actions: &mut Vec<Action>) {
        let n = chosen.len();
        match self.tab {
            TableTab::Entities => {
                let l = ui.label("Country").id;
                ui.add(
                    egui::TextEdit::singleline(&mut self.bulk_country)
                        .hint_text("SG, Malaysia …")
                        .desired_width(90.0),
                )
                .labelled_by(l);
                if ui.button(format!("Set on {n}")).clicked() {
                    match parse::country(&self.bulk_country) {
                        Ok(code) => {
                            self.bulk_error = None;
                            let edit =
                                each_entity(case, chosen, |e| e.country = Some(code.clone()));
                            actions
                                .push(apply(format!("Set country {code} on {n} entities"), edit));
                        }
                        Err(e) => self.bulk_error = Some(format!("Country: {e}")),
                    }
                }
                ui.separator();
                let l = ui.label("Tag").id;
                ui.add(
                    egui::TextEdit::singleline(&mut self.bulk_tag)
                        .hint_text("a tag")
                        .desired_width(110.0),
                )
                .labelled_by(l);
                let tag = self.bulk_tag.trim().to_owned();
                if ui
                    .add_enabled(!tag.is_empty(), egui::Button::new(format!("Add to {n}")))
                    .clicked()
                {
                    let edit = each_entity(case, chosen, |e| {
                        if !e.tags.contains(&tag) {
                            e.tags.push(tag.clone());
                        }
                    });
                    actions.push(apply(format!("Tag {n} entities “{tag}”"), edit));
                }
                if ui
                    .add_enabled(
                        !tag.is_empty(),
                        egui::Button::new(format!("Remove from {n}")),
                    )
                    .clicked()
                {
                    let edit = each_entity(case, chosen, |e| e.tags.retain(|t| *t != tag));
                    actions.push(apply(format!("Untag {n} entities “{tag}”"), edit));
                }
            }
            TableTab::Links | TableTab::Shipments => {
                let l = ui.label("Claim").id;
                egui::ComboBox::from_id_salt("bulk_claim")
                    .selected_text(self.bulk_claim.map_or("choose…", ClaimStatus::label))
                    .show_ui(ui, |ui| {
                        for s in ClaimStatus::ALL {
                            ui.selectable_value(&mut self.bulk_claim, Some(s), s.label());
                        }
                    })
                    .response
                    .labelled_by(l);
                if let Some(status) = self.bulk_claim
                    && ui.button(format!("Set on {n}")).clicked()
                {
                    let edit = Edit::Batch(
                        chosen
                            .iter()
                            .filter_map(|item| with_claim(case, item, status))
                            .map(Edit::Replace)
                            .collect(),
                    );
                    let what = if self.tab == TableTab::Links {
                        "links"
                    } else {
                        "shipments"
                    };
                    actions.push(apply(
                        format!("Mark {n} {what} {}", status.label().to_lowercase()),
                        edit,
                    ));
                }
            }
        }
    }

    fn table_ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        selected: &BTreeSet<ItemRef>,
        actions: &mut Vec<Action>,
    ) {
        let columns = self.tab.columns();
        let row_height = theme::LIST_ROW_HEIGHT;
        let mut sort_by = None;
        let mut clicked: Option<(usize, egui::Modifiers)> = None;
        let mut start_edit: Option<(usize, usize)> = None;
        let mut claim_set: Option<(usize, ClaimStatus)> = None;
        let mut commit = false;
        let mut cancel = false;
        let mut builder = TableBuilder::new(ui)
            .id_salt(("table_view", self.tab.label()))
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        for (i, col) in columns.iter().enumerate() {
            let c = Column::initial(col.width).at_least(40.0).clip(true);
            builder = builder.column(if i + 1 == columns.len() {
                c.resizable(false)
            } else {
                c
            });
        }
        let (sorted, descending) = self.sort;
        let rows = &self.rows;
        let editing = &mut self.editing;
        builder
            .header(row_height + 4.0, |mut header| {
                for (i, col) in columns.iter().enumerate() {
                    header.col(|ui| {
                        let arrow = match (i == sorted, descending) {
                            (true, false) => " ⏶",
                            (true, true) => " ⏷",
                            _ => "",
                        };
                        let b = egui::Button::new(
                            RichText::new(format!("{}{arrow}", col.name)).strong(),
                        )
                        .frame(false);
                        if ui.add(b).on_hover_text("Sort by this column").clicked() {
                            sort_by = Some(i);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let index = row.index();
                    let r = &rows[index];
                    row.set_selected(selected.contains(&r.item));
                    // The column under the pointer: what a double-click edits.
                    let mut pointed = None;
                    for (c, col) in columns.iter().enumerate() {
                        let is_editing = editing
                            .as_ref()
                            .is_some_and(|e| e.item == r.item && e.column == c);
                        let (_, cell) = row.col(|ui| {
                            if is_editing && let Some(e) = editing.as_mut() {
                                let field = ui.add(
                                    egui::TextEdit::singleline(&mut e.text)
                                        .desired_width(f32::INFINITY),
                                );
                                if !field.has_focus() && !field.lost_focus() {
                                    field.request_focus();
                                }
                                if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                                    cancel = true;
                                } else if field.lost_focus() {
                                    commit = true;
                                }
                                let hover = match &e.error {
                                    Some(err) => err.clone(),
                                    None => format!(
                                        "Edit the {}: Enter keeps it, Esc cancels",
                                        col.name.to_lowercase()
                                    ),
                                };
                                field.on_hover_text(hover);
                            } else if col.edit == Editable::Claim {
                                let current = claim_of(case, &r.item);
                                let mut value = current;
                                egui::ComboBox::from_id_salt(("claim", index))
                                    .selected_text(value.map_or("", ClaimStatus::label))
                                    .width(ui.available_width() - 8.0)
                                    .show_ui(ui, |ui| {
                                        for s in ClaimStatus::ALL {
                                            ui.selectable_value(&mut value, Some(s), s.label());
                                        }
                                    })
                                    .response
                                    .on_hover_text(format!(
                                        "Claim of row {}: proven, alleged, …",
                                        index + 1
                                    ));
                                if value != current
                                    && let Some(v) = value
                                {
                                    claim_set = Some((index, v));
                                }
                            } else {
                                ui.add(
                                    egui::Label::new(&r.cells[c].0).truncate().selectable(false),
                                );
                            }
                        });
                        if cell.contains_pointer() {
                            pointed = Some(c);
                        }
                    }
                    let response = row.response();
                    if response.double_clicked()
                        && let Some(c) = pointed
                        && !matches!(columns[c].edit, Editable::No | Editable::Claim)
                    {
                        start_edit = Some((index, c));
                    }
                    if response.clicked() {
                        clicked = Some((index, response.ctx.input(|i| i.modifiers)));
                    }
                    if response.double_clicked() && start_edit.is_none() {
                        actions.push(Action::Open(r.item.clone()));
                    }
                });
            });
        if let Some(c) = sort_by {
            self.sort = (c, self.sort.0 == c && !self.sort.1);
        }
        if cancel {
            self.editing = None;
        } else if commit {
            self.commit_edit(case, actions);
        }
        if let Some((index, column)) = start_edit {
            let r = &self.rows[index];
            self.editing = Some(CellEdit {
                item: r.item.clone(),
                column,
                text: r.cells[column].0.clone(),
                error: None,
            });
        }
        if let Some((index, status)) = claim_set
            && let Some(item) = with_claim(case, &self.rows[index].item, status)
        {
            actions.push(apply(
                format!("Mark {}", status.label().to_lowercase()),
                Edit::Replace(item),
            ));
        }
        if let Some((index, modifiers)) = clicked {
            self.click(index, modifiers, selected, actions);
        }
    }

    /// A click on a row: select it alone; Ctrl adds or removes it; Shift selects the range from
    /// the last row clicked.
    fn click(
        &mut self,
        index: usize,
        modifiers: egui::Modifiers,
        selected: &BTreeSet<ItemRef>,
        actions: &mut Vec<Action>,
    ) {
        let item = self.rows[index].item.clone();
        let tab = self.tab;
        let mut chosen: Vec<ItemRef> = selected.iter().filter(|i| tab.holds(i)).cloned().collect();
        if modifiers.shift
            && let Some(from) = self
                .anchor
                .as_ref()
                .and_then(|a| self.rows.iter().position(|r| &r.item == a))
        {
            let (lo, hi) = (from.min(index), from.max(index));
            for r in &self.rows[lo..=hi] {
                if !chosen.contains(&r.item) {
                    chosen.push(r.item.clone());
                }
            }
            actions.push(Action::SelectMany(chosen));
            return;
        }
        if modifiers.command {
            if let Some(at) = chosen.iter().position(|i| *i == item) {
                chosen.remove(at);
            } else {
                chosen.push(item.clone());
            }
            actions.push(Action::SelectMany(chosen));
        } else {
            actions.push(Action::Focus(Some(item.clone())));
            actions.push(Action::SelectMany(vec![item.clone()]));
        }
        self.anchor = Some(item);
    }

    fn commit_edit(&mut self, case: &Case, actions: &mut Vec<Action>) {
        let Some(e) = &mut self.editing else {
            return;
        };
        let column = &self.tab.columns()[e.column];
        let text = e.text.trim().to_owned();
        let result: Result<(String, Item), String> = match (&e.item, column.edit) {
            (ItemRef::Entity(id), edit) => match case.entities.get(id) {
                None => Err("the entity is gone".to_owned()),
                Some(entity) => {
                    let mut entity = entity.clone();
                    let label = match edit {
                        Editable::Name if text.is_empty() => {
                            Err("a name cannot be empty".to_owned())
                        }
                        Editable::Name => {
                            entity.name = text;
                            Ok("Rename")
                        }
                        Editable::Country if text.is_empty() => {
                            entity.country = None;
                            Ok("Clear country")
                        }
                        Editable::Country => parse::country(&text)
                            .map(|c| {
                                entity.country = Some(c);
                                "Set country"
                            })
                            .map_err(|e| e.to_string()),
                        Editable::Tags => {
                            entity.tags = text
                                .split(',')
                                .map(str::trim)
                                .filter(|t| !t.is_empty())
                                .map(str::to_owned)
                                .collect();
                            Ok("Set tags")
                        }
                        _ => Err("this column cannot be edited".to_owned()),
                    };
                    label.map(|l| (l.to_owned(), entity.into()))
                }
            },
            (ItemRef::Shipment(id), Editable::Reference) => match case.shipments.get(id) {
                None => Err("the shipment is gone".to_owned()),
                Some(s) => {
                    let mut s = s.clone();
                    s.reference = text;
                    Ok(("Set reference".to_owned(), s.into()))
                }
            },
            _ => Err("this column cannot be edited".to_owned()),
        };
        match result {
            Ok((label, item)) => {
                actions.push(apply(label, Edit::Replace(item)));
                self.editing = None;
            }
            Err(why) => {
                actions.push(Action::Error(format!("{}: {why}", column.name)));
                e.error = Some(why);
            }
        }
    }
}

fn apply(label: String, edit: Edit) -> Action {
    Action::Apply {
        label,
        edit,
        select: None,
    }
}

/// One step that changes each of these entities.
fn each_entity(case: &Case, items: &[ItemRef], change: impl Fn(&mut crate::model::Entity)) -> Edit {
    Edit::Batch(
        items
            .iter()
            .filter_map(|i| match i {
                ItemRef::Entity(id) => case.entities.get(id),
                _ => None,
            })
            .map(|e| {
                let mut e = e.clone();
                change(&mut e);
                Edit::Replace(e.into())
            })
            .collect(),
    )
}

fn claim_of(case: &Case, item: &ItemRef) -> Option<ClaimStatus> {
    match item {
        ItemRef::Link(id) => case.links.get(id).map(|l| l.status),
        ItemRef::Shipment(id) => case.shipments.get(id).map(|s| s.claim),
        _ => None,
    }
}

/// The link or shipment with its claim status set to `status`.
fn with_claim(case: &Case, item: &ItemRef, status: ClaimStatus) -> Option<Item> {
    match item {
        ItemRef::Link(id) => case.links.get(id).map(|l| {
            let mut l = l.clone();
            l.status = status;
            l.into()
        }),
        ItemRef::Shipment(id) => case.shipments.get(id).map(|s| {
            let mut s = s.clone();
            s.claim = status;
            s.into()
        }),
        _ => None,
    }
}

/// The rows as CSV (RFC 4180), a header first; cells a spreadsheet would run as formulas are
/// defused as in the CSV export.
fn csv_text(columns: &[Col], rows: &[&Row]) -> String {
    use crate::io::export::csv::{neutralise_formula, quote_field};
    let mut out = String::new();
    let header: Vec<String> = columns.iter().map(|c| quote_field(c.name)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for r in rows {
        let line: Vec<String> = r
            .cells
            .iter()
            .map(|(t, _)| quote_field(&neutralise_formula(t)))
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}
