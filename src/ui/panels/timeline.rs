//! The timeline panel below the canvas: dated shipments, payments and events in lanes (by route
//! or by party) on a time axis, with goods per month as bars above. Dragging across either
//! chart, or typing dates, sets the canvas's time window; the "As of" slider shows the network
//! at a date; clicking an item selects it, clicking a bar shows that month's shipments.
//!
//! View state only: the window lives in the canvas filters, nothing here is saved or undone.
//! Lanes, bars and what a window leaves out come from `analysis::timeline`.

use crate::analysis::timeline::{
    self, LaneBy, Measure, MonthBar, Span, TimeWindow, Timeline, day_label,
};
use crate::edit::Revision;
use crate::model::{Case, ItemRef, PartialDate, format_amount};
use crate::ui::action::Action;
use crate::ui::theme;
use egui::{Rect, RichText, Sense, Ui};
use egui_plot::{Bar, BarChart, GridMark, Plot, PlotResponse, VLine};

/// Derived data, rebuilt when the case or the choices change.
struct Cache {
    key: (Revision, LaneBy, Measure, Option<String>),
    timeline: Timeline,
    units: Vec<String>,
    unit: Option<String>,
    bars: Vec<MonthBar>,
}

/// What the canvas leaves out for the current window: counted in the summary line, faded in
/// the lanes.
struct Hidden {
    key: (Revision, TimeWindow),
    out: timeline::Inactive,
}

/// Most items given their own clickable, accessible widget in one frame.
const MAX_ITEM_WIDGETS: usize = 1_500;
/// Most lanes of trade statistics drawn (the rest are counted above them).
const MAX_STATISTICS_LANES: usize = 6;

/// Most lanes drawn: a large case by party has thousands, more than anyone can read.
const MAX_LANES: usize = 200;
/// Lane labels longer than this are cut, so both charts keep one left margin.
const MAX_LANE_LABEL_CHARS: usize = 24;

#[derive(Default)]
pub struct TimelinePanel {
    /// Whether the panel is shown (View ▸ Timeline, Ctrl+T).
    pub open: bool,
    pub lane_by: LaneBy,
    pub measure: Measure,
    /// The unit or currency of the bars; the case's most used one when `None`.
    pub unit: Option<String>,
    cache: Option<Cache>,
    hidden: Option<Hidden>,
    /// Where a drag across a chart started and where it is now (days).
    brush: Option<(f64, f64)>,
    from_text: String,
    to_text: String,
    as_of_day: i64,
    /// The window the date fields were last filled from, when they still show it.
    synced_window: Option<TimeWindow>,
    synced: bool,
    date_error: Option<String>,
}

/// Reads a date field: the first or the last day it covers.
fn parse_day(text: &str, last: bool) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date = crate::model::parse::date(text, crate::model::parse::DateOrder::Unknown)
        .map_err(|e| e.reason)?;
    Ok(Some(if last {
        timeline::last_day(&date)
    } else {
        date.days_since_epoch()
    }))
}

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LANE_LABEL_CHARS {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(MAX_LANE_LABEL_CHARS - 1).collect();
        format!("{cut}…")
    }
}

/// The x range of the charts: the items' days with a margin either side.
fn x_range(range: Span) -> (f64, f64) {
    let (a, b) = (range.start_day as f64, (range.end_day + 1) as f64);
    let margin = ((b - a) * 0.04).max(10.0);
    (a - margin, b + margin)
}

/// Month marks for the time axis (every month, or every quarter or year when crowded).
fn month_marks(input: &egui_plot::GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let days = hi - lo;
    if days < 120.0 {
        // A short period: weekly marks, labelled with the day.
        let first = (lo / 7.0).ceil() as i64 * 7;
        // At most 18 weeks fit in 120 days.
        return (0..18)
            .map(|k| first + 7 * k)
            .filter(|d| (*d as f64) <= hi)
            .map(|d| GridMark {
                value: d as f64,
                step_size: 7.0,
            })
            .collect();
    }
    let step_months: u8 = if days > 3.0 * 365.0 {
        12
    } else if days > 400.0 {
        3
    } else {
        1
    };
    let start = timeline::date_of_day(lo.floor() as i64);
    let (mut year, mut month) = (start.year, start.month.unwrap_or(1));
    let mut out = Vec::new();
    for _ in 0..240 {
        let day = PartialDate::ymd(year, month, 1).days_since_epoch() as f64;
        if day > hi {
            break;
        }
        if day >= lo && (month - 1) % step_months == 0 {
            out.push(GridMark {
                value: day,
                step_size: 30.0 * f64::from(step_months),
            });
        }
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    out
}

fn month_label(mark: GridMark) -> String {
    let d = timeline::date_of_day(mark.value.round() as i64);
    if mark.step_size < 28.0 {
        return d.to_string();
    }
    format!("{}-{:02}", d.year, d.month.unwrap_or(1))
}

impl TimelinePanel {
    /// A timeline, shown or not.
    pub fn new(open: bool) -> Self {
        Self {
            open,
            ..Self::default()
        }
    }

    /// Draws the panel. `window` is the canvas's time window, `selected` the selected item.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        revision: Revision,
        window: Option<TimeWindow>,
        selected: Option<&ItemRef>,
        actions: &mut Vec<Action>,
    ) {
        self.refresh(case, revision);
        self.sync_fields(window);
        let Some(cache) = self.cache.take() else {
            return;
        };
        self.controls_ui(ui, &cache, window, actions);
        self.summary_ui(ui, case, revision, &cache, window);
        // Trade statistics widen the axis to their periods.
        let range = case
            .statistics
            .iter()
            .map(|f| Span::of_date(&f.period))
            .chain(cache.timeline.range)
            .reduce(|a, b| Span::new(a.start_day.min(b.start_day), a.end_day.max(b.end_day)));
        if let Some(range) = range {
            let x = x_range(range);
            // With nothing to chart (no goods, or only events), the lanes carry the time axis.
            if !cache.bars.is_empty() {
                self.bars_ui(ui, &cache, x, window, actions);
            }
            if !case.statistics.is_empty() {
                self.statistics_ui(ui, case, x, window);
            }
            self.lanes_ui(ui, &cache, x, window, selected, actions);
        } else {
            ui.weak("Nothing in this case has a date yet: give shipment legs, payments or events a date to see them here.");
        }
        self.cache = Some(cache);
    }

    fn refresh(&mut self, case: &Case, revision: Revision) {
        let key = (revision, self.lane_by, self.measure, self.unit.clone());
        if self.cache.as_ref().is_some_and(|c| c.key == key) {
            return;
        }
        let units = timeline::units(case, self.measure);
        let unit = self
            .unit
            .clone()
            .filter(|u| units.contains(u))
            .or_else(|| units.first().cloned());
        let bars = unit
            .as_deref()
            .map(|u| timeline::monthly(case, self.measure, u))
            .unwrap_or_default();
        self.cache = Some(Cache {
            key,
            timeline: timeline::build(case, self.lane_by),
            units,
            unit,
            bars,
        });
    }

    /// Fills the date fields and the slider from a window set elsewhere (a drag, the canvas).
    fn sync_fields(&mut self, window: Option<TimeWindow>) {
        if self.synced && self.synced_window == window {
            return;
        }
        self.synced = true;
        self.synced_window = window;
        self.date_error = None;
        match window {
            None => {
                self.from_text.clear();
                self.to_text.clear();
            }
            Some(w) => {
                self.from_text = if w.is_as_of() {
                    String::new()
                } else {
                    day_label(w.span.start_day)
                };
                self.to_text = if w.is_open_ended() {
                    String::new()
                } else {
                    day_label(w.span.end_day)
                };
                if w.is_as_of() {
                    self.as_of_day = w.span.end_day;
                }
            }
        }
    }

    fn controls_ui(
        &mut self,
        ui: &mut Ui,
        cache: &Cache,
        window: Option<TimeWindow>,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.strong("Timeline");
            ui.separator();
            ui.label("Lanes");
            for by in LaneBy::ALL {
                ui.selectable_value(&mut self.lane_by, by, by.label());
            }
            ui.separator();
            let bars_label = ui.label("Bars");
            for m in Measure::ALL {
                ui.selectable_value(&mut self.measure, m, m.label());
            }
            if cache.units.len() > 1 {
                let current = cache.unit.clone().unwrap_or_default();
                egui::ComboBox::from_id_salt("timeline_unit")
                    .selected_text(if current.is_empty() {
                        "(no unit)".to_owned()
                    } else {
                        current.clone()
                    })
                    .show_ui(ui, |ui| {
                        for u in &cache.units {
                            let text = if u.is_empty() { "(no unit)" } else { u };
                            if ui.selectable_label(*u == current, text).clicked() {
                                self.unit = Some(u.clone());
                            }
                        }
                    })
                    .response
                    .labelled_by(bars_label.id);
            } else if let Some(u) = cache.unit.as_ref().filter(|u| !u.is_empty()) {
                ui.weak(u);
            }
            ui.separator();
            let from_label = ui.label("From");
            let from = ui
                .add(
                    egui::TextEdit::singleline(&mut self.from_text)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(theme::TIMELINE_DATE_FIELD_WIDTH),
                )
                .labelled_by(from_label.id);
            let to_label = ui.label("To");
            let to = ui
                .add(
                    egui::TextEdit::singleline(&mut self.to_text)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(theme::TIMELINE_DATE_FIELD_WIDTH),
                )
                .labelled_by(to_label.id);
            let enter = (from.lost_focus() || to.lost_focus())
                && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui
                .button("Apply")
                .on_hover_text("Show on the canvas only what was active between these dates")
                .clicked()
                || enter
            {
                self.apply_fields(actions);
            }
            if let Some(range) = cache.timeline.range {
                ui.separator();
                if self.as_of_day < range.start_day || self.as_of_day > range.end_day {
                    self.as_of_day = range.end_day;
                }
                let slider =
                    egui::Slider::new(&mut self.as_of_day, range.start_day..=range.end_day)
                        .text("As of")
                        .custom_formatter(|v, _| day_label(v.round() as i64))
                        .custom_parser(|s| parse_day(s, true).ok().flatten().map(|d| d as f64));
                if ui
                    .add(slider)
                    .on_hover_text("Show the network as it stood on this date")
                    .changed()
                {
                    actions.push(Action::TimeWindow(Some(TimeWindow::as_of(self.as_of_day))));
                }
            }
            if ui
                .add_enabled(window.is_some(), egui::Button::new("All time"))
                .on_hover_text("Show everything on the canvas again")
                .clicked()
            {
                actions.push(Action::TimeWindow(None));
            }
        });
    }

    fn apply_fields(&mut self, actions: &mut Vec<Action>) {
        let from = parse_day(&self.from_text, false);
        let to = parse_day(&self.to_text, true);
        let (from, to) = match (from, to) {
            (Ok(f), Ok(t)) => (f, t),
            (Err(e), _) | (_, Err(e)) => {
                self.date_error = Some(e);
                return;
            }
        };
        self.date_error = None;
        let window = match (from, to) {
            (None, None) => None,
            (None, Some(t)) => Some(TimeWindow::as_of(t)),
            (Some(f), None) => Some(TimeWindow::starting(f)),
            (Some(f), Some(t)) => Some(TimeWindow::between(f, t)),
        };
        // Let the fields be refilled from the window the canvas takes.
        self.synced = false;
        actions.push(Action::TimeWindow(window));
    }

    fn summary_ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        revision: Revision,
        cache: &Cache,
        window: Option<TimeWindow>,
    ) {
        ui.horizontal_wrapped(|ui| {
            if let Some(e) = &self.date_error {
                ui.colored_label(theme::error_color(ui.visuals().dark_mode), e);
                return;
            }
            match window {
                None => {
                    ui.weak("Canvas shows all time. Drag across the chart to show a period.");
                }
                Some(w) => {
                    let key = (revision, w);
                    if self.hidden.as_ref().is_none_or(|h| h.key != key) {
                        self.hidden = Some(Hidden {
                            key,
                            out: timeline::inactive_in(case, w),
                        });
                    }
                    if let Some(h) = &self.hidden {
                        ui.label(
                            RichText::new(format!(
                                "Canvas shows {}: {} shipments and {} entities not active then hidden.",
                                w.label(),
                                h.out.shipments.len(),
                                h.out.entities.len()
                            ))
                            .strong(),
                        );
                    }
                }
            }
            if cache.timeline.undated > 0 {
                ui.weak(format!("{} undated not shown.", cache.timeline.undated));
            }
        });
    }

    /// A plot with the panel's fixed x range and no pan or zoom: dragging brushes instead.
    fn plot(id: &str) -> Plot<'_> {
        Plot::new(id)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .show_grid([true, false])
            .y_axis_min_width(theme::TIMELINE_LABEL_WIDTH)
            .x_grid_spacer(|input| month_marks(&input))
            .x_axis_formatter(|mark, _| month_label(mark))
            .label_formatter(|_| None)
    }

    /// The window and the brush in progress, shaded.
    /// A plot of lanes: lane `i` at y = −i, named on the y axis by `labels`.
    fn lane_plot(id: &str, labels: Vec<String>) -> Plot<'_> {
        let lanes = labels.len().max(1);
        Self::plot(id)
            .y_grid_spacer(move |_| {
                (0..lanes)
                    .map(|i| GridMark {
                        value: -(i as f64),
                        step_size: 1.0,
                    })
                    .collect()
            })
            .y_axis_formatter(move |mark, _| {
                let i = (-mark.value).round();
                if i < 0.0 {
                    return String::new();
                }
                labels.get(i as usize).cloned().unwrap_or_default()
            })
    }

    fn window_items(
        &self,
        plot_ui: &mut egui_plot::PlotUi<'_>,
        window: Option<TimeWindow>,
        x: (f64, f64),
        dark: bool,
    ) {
        let fill = theme::timeline_window_fill(dark);
        if let Some((a, b)) = self.brush {
            plot_ui.span(egui_plot::Span::new("", a.min(b)..=a.max(b)).fill(fill));
        } else if let Some(w) = window {
            let a = (w.span.start_day as f64).max(x.0);
            let b = ((w.span.end_day + 1) as f64).min(x.1);
            if a < b {
                plot_ui.span(egui_plot::Span::new("", a..=b).fill(fill));
            }
            if w.is_as_of() {
                plot_ui.vline(
                    VLine::new("", b)
                        .color(theme::selection_color(dark))
                        .width(1.5),
                );
            }
        }
    }

    /// Dragging across a chart sets the window when the drag ends.
    fn brush_step(&mut self, resp: &PlotResponse<()>, actions: &mut Vec<Action>) {
        let r = &resp.response;
        let x_at = |p: egui::Pos2| resp.transform.value_from_position(p).x;
        if r.drag_started()
            && let Some(p) = r.interact_pointer_pos()
        {
            let x = x_at(p);
            self.brush = Some((x, x));
        }
        if r.dragged()
            && let (Some(p), Some((a, _))) = (r.interact_pointer_pos(), self.brush)
        {
            self.brush = Some((a, x_at(p)));
        }
        if r.drag_stopped()
            && let Some((a, b)) = self.brush.take()
        {
            let (a, b) = (a.min(b).floor() as i64, a.max(b).floor() as i64);
            if b > a {
                self.synced = false;
                actions.push(Action::TimeWindow(Some(TimeWindow::between(a, b))));
            }
        }
    }

    fn bars_ui(
        &mut self,
        ui: &mut Ui,
        cache: &Cache,
        x: (f64, f64),
        window: Option<TimeWindow>,
        actions: &mut Vec<Action>,
    ) {
        let dark = ui.visuals().dark_mode;
        let max = cache.bars.iter().map(|b| b.amount).fold(0.0, f64::max);
        let bars: Vec<Bar> = cache
            .bars
            .iter()
            .map(|b| {
                let (a, e) = (b.span.start_day as f64, (b.span.end_day + 1) as f64);
                Bar::new(f64::midpoint(a, e), b.amount)
                    .width((e - a) * 0.85)
                    .fill(theme::timeline_bar_color(dark))
                    .name(format!(
                        "{}: {}",
                        month_label(GridMark {
                            value: a,
                            step_size: 30.0
                        }),
                        format_amount(b.amount)
                    ))
            })
            .collect();
        let what = match (self.measure, cache.unit.as_deref()) {
            (m, Some(u)) if !u.is_empty() => format!("{} ({u})", m.label()),
            (m, _) => m.label().to_owned(),
        };
        let resp = Self::plot("timeline_bars")
            .height(theme::TIMELINE_BARS_HEIGHT)
            .show_axes([true, true])
            .y_axis_formatter(|mark, _| format_amount(mark.value))
            .y_axis_label(what)
            .show(ui, |plot_ui| {
                plot_ui.set_plot_bounds_x(x.0..=x.1);
                plot_ui.set_plot_bounds_y(0.0..=(max * 1.15).max(1.0));
                self.window_items(plot_ui, window, x, dark);
                plot_ui.bar_chart(BarChart::new("goods", bars).allow_hover(false));
            });
        if resp.response.clicked()
            && let Some(p) = resp.response.interact_pointer_pos()
        {
            let day = resp.transform.value_from_position(p).x.floor() as i64;
            if let Some(bar) = cache
                .bars
                .iter()
                .find(|b| b.span.start_day <= day && day <= b.span.end_day)
            {
                actions.push(Action::Show(
                    bar.shipments
                        .iter()
                        .cloned()
                        .map(ItemRef::Shipment)
                        .collect(),
                ));
            }
        }
        self.brush_step(&resp, actions);
    }

    fn lanes_ui(
        &mut self,
        ui: &mut Ui,
        cache: &Cache,
        x: (f64, f64),
        window: Option<TimeWindow>,
        selected: Option<&ItemRef>,
        actions: &mut Vec<Action>,
    ) {
        let t = &cache.timeline;
        let shown = &t.lanes[..t.lanes.len().min(MAX_LANES)];
        if shown.len() < t.lanes.len() {
            ui.weak(format!(
                "Showing the first {MAX_LANES} of {} lanes (the earliest).",
                t.lanes.len()
            ));
        }
        let lanes = shown.len().max(1);
        let dark = ui.visuals().dark_mode;
        let height = (lanes as f32 + 0.5) * theme::TIMELINE_LANE_HEIGHT;
        let labels: Vec<String> = shown.iter().map(|l| short(&l.label)).collect();
        // The summary line above has just brought this up to date for the window.
        let hidden = self.hidden.take();
        let inactive = hidden
            .as_ref()
            .filter(|h| window == Some(h.key.1))
            .map(|h| &h.out);
        egui::ScrollArea::vertical()
            .id_salt("timeline_lanes_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let plot_height = height.max(ui.available_height());
                let resp = Self::lane_plot("timeline_lanes", labels)
                    .height(plot_height)
                    .show_axes([cache.bars.is_empty(), true])
                    .show(ui, |plot_ui| {
                        plot_ui.set_plot_bounds_x(x.0..=x.1);
                        plot_ui.set_plot_bounds_y(-(lanes as f64) + 0.4..=0.6);
                        self.window_items(plot_ui, window, x, dark);
                    });
                self.brush_step(&resp, actions);
                let frame = *resp.transform.frame();
                let clip = frame.intersect(ui.clip_rect());
                let painter = ui.painter_at(clip);
                let mut widgets = 0;
                for (li, lane) in shown.iter().enumerate() {
                    let y = resp.transform.position_from_point_y(-(li as f64));
                    if y < clip.top() - theme::TIMELINE_LANE_HEIGHT
                        || y > clip.bottom() + theme::TIMELINE_LANE_HEIGHT
                    {
                        continue;
                    }
                    for &ii in &lane.items {
                        let Some(item) = t.items.get(ii) else {
                            continue;
                        };
                        let x0 = resp
                            .transform
                            .position_from_point_x(item.span.start_day as f64);
                        let x1 = resp
                            .transform
                            .position_from_point_x((item.span.end_day + 1) as f64);
                        let (mut a, mut b) = (x0.min(x1), x0.max(x1));
                        let min_half = theme::TIMELINE_ITEM_MIN_HALF_WIDTH;
                        if b - a < 2.0 * min_half {
                            let c = f32::midpoint(a, b);
                            (a, b) = (c - min_half, c + min_half);
                        }
                        let h = theme::TIMELINE_ITEM_HALF_HEIGHT;
                        let rect = Rect::from_x_y_ranges(a..=b, (y - h)..=(y + h));
                        if !rect.intersects(clip) {
                            continue;
                        }
                        let is_selected = selected == Some(&item.item);
                        let out = inactive.as_ref().is_some_and(|o| match &item.item {
                            ItemRef::Shipment(s) => o.shipments.contains(s),
                            ItemRef::Link(l) => o.links.contains(l),
                            ItemRef::Entity(e) => o.entities.contains(e),
                            _ => false,
                        });
                        let mut color = theme::timeline_item_color(item.kind, dark);
                        if out {
                            color = color.gamma_multiply(0.3);
                        }
                        painter.rect_filled(rect, 3.0, color);
                        if is_selected {
                            painter.rect_stroke(
                                rect.expand(2.0),
                                4.0,
                                egui::Stroke::new(2.0, theme::selection_color(dark)),
                                egui::StrokeKind::Outside,
                            );
                        }
                        if widgets >= MAX_ITEM_WIDGETS {
                            continue;
                        }
                        widgets += 1;
                        let dates = if item.span.start_day == item.span.end_day {
                            day_label(item.span.start_day)
                        } else {
                            format!(
                                "{} – {}",
                                day_label(item.span.start_day),
                                day_label(item.span.end_day)
                            )
                        };
                        let label = format!("{} {} ({dates})", item.kind.label(), item.label);
                        let id = ui.scope_id().with(("timeline_item", li, ii));
                        let response = ui
                            .interact(rect.intersect(clip), id, Sense::click())
                            .on_hover_text(format!("{label}\n{}", lane.label));
                        response.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::Role::Button,
                                true,
                                is_selected,
                                label.clone(),
                            )
                        });
                        if response.clicked() {
                            actions.push(Action::Open(item.item.clone()));
                        }
                    }
                }
            });
        self.hidden = hidden;
    }

    /// Trade statistics as spans over their periods, one lane per reporter, partner and
    /// direction, each labelled with its value: beside the shipments on the same axis, and
    /// apart from them (national totals are not shipments).
    fn statistics_ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        x: (f64, f64),
        window: Option<TimeWindow>,
    ) {
        let key =
            |f: &crate::model::TradeFlow| (f.reporter.clone(), f.partner.clone(), f.direction);
        let mut lanes: Vec<_> = case.statistics.iter().map(key).collect();
        lanes.sort();
        lanes.dedup();
        let shown = lanes.len().min(MAX_STATISTICS_LANES);
        let labels: Vec<String> = lanes[..shown]
            .iter()
            .map(|(r, p, d)| {
                let partner = p
                    .as_ref()
                    .map_or_else(|| "all partners".to_owned(), ToString::to_string);
                format!("{r} {} {partner}", d.arrow())
            })
            .collect();
        ui.label(
            RichText::new(if shown < lanes.len() {
                format!(
                    "Trade statistics (UN Comtrade; the first {shown} of {} lanes)",
                    lanes.len()
                )
            } else {
                "Trade statistics (UN Comtrade): national totals, not shipments".to_owned()
            })
            .weak(),
        );
        let dark = ui.visuals().dark_mode;
        let height = (shown as f32 + 0.5) * theme::TIMELINE_LANE_HEIGHT;
        let resp = Self::lane_plot("timeline_statistics", labels.clone())
            .height(height)
            .show_axes([false, true])
            .show(ui, |plot_ui| {
                plot_ui.set_plot_bounds_x(x.0..=x.1);
                plot_ui.set_plot_bounds_y(-(shown as f64) + 0.4..=0.6);
                self.window_items(plot_ui, window, x, dark);
            });
        let frame = *resp.transform.frame();
        let clip = frame.intersect(ui.clip_rect());
        let painter = ui.painter_at(clip);
        for f in &case.statistics {
            let Some(li) = lanes[..shown].iter().position(|k| *k == key(f)) else {
                continue;
            };
            let span = Span::of_date(&f.period);
            let y = resp.transform.position_from_point_y(-(li as f64));
            let x0 = resp.transform.position_from_point_x(span.start_day as f64);
            let x1 = resp
                .transform
                .position_from_point_x((span.end_day + 1) as f64);
            let h = theme::TIMELINE_ITEM_HALF_HEIGHT;
            let rect = Rect::from_x_y_ranges(x0.min(x1)..=x0.max(x1), (y - h)..=(y + h));
            if !rect.intersects(clip) {
                continue;
            }
            let color = theme::timeline_bar_color(dark).gamma_multiply(0.6);
            painter.rect_filled(rect, 2.0, color);
            let value = f
                .value
                .as_ref()
                .map_or_else(|| "—".to_owned(), |m| format!("{} {}", f.commodity, m));
            let galley = painter.layout_no_wrap(
                value.clone(),
                egui::FontId::proportional(11.0),
                ui.visuals().strong_text_color(),
            );
            if galley.size().x + 6.0 < rect.width() {
                painter.galley(
                    rect.left_center() + egui::vec2(3.0, -galley.size().y / 2.0),
                    galley,
                    ui.visuals().strong_text_color(),
                );
            }
            let label = format!("{} {} ({}): {value}", labels[li], f.period, f.description);
            ui.interact(
                rect.intersect(clip),
                ui.scope_id().with(("stat", li, span.start_day)),
                Sense::hover(),
            )
            .on_hover_text(label.clone())
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
        }
    }
}
