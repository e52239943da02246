//! A Sankey-style chart of the flows: origin country → transit → destination country, one
//! ribbon per route, as thick as the quantity (in one unit) or the value (in one currency) it
//! carried, coloured by destination. Clicking a ribbon shows its shipments on the canvas.
//! Drawn with the painter; colours and sizes from the theme. Numbers come from
//! `analysis::flows::by_route`; units and currencies are never added together.

use crate::analysis::flows::RouteFlow;
use crate::analysis::timeline::{self, Measure};
use crate::edit::Revision;
use crate::model::{Case, ItemRef, format_amount};
use crate::ui::action::Action;
use crate::ui::theme;
use egui::{Color32, FontId, Mesh, Pos2, Rect, Sense, Ui, pos2, vec2};
use std::collections::BTreeMap;

/// Ribbon samples per segment.
const STEPS: usize = 24;
/// Width of a node bar, the gap between stacked nodes, and room for labels at either side.
const NODE_WIDTH: f32 = 10.0;
const NODE_GAP: f32 = 8.0;
const SIDE_LABEL_WIDTH: f32 = 44.0;

#[derive(Default)]
pub struct FlowsChart {
    pub measure: Measure,
    /// Unit or currency shown; the case's most used when `None`.
    pub unit: Option<String>,
    units: Option<(Revision, Measure, Vec<String>)>,
}

/// One column's nodes: label → (total, top offset assigned later).
struct Column {
    order: Vec<String>,
    totals: BTreeMap<String, f64>,
}

impl Column {
    fn new(keys: impl Iterator<Item = (String, f64)>) -> Self {
        let mut totals: BTreeMap<String, f64> = BTreeMap::new();
        for (k, v) in keys {
            *totals.entry(k).or_default() += v;
        }
        let mut order: Vec<String> = totals.keys().cloned().collect();
        order.sort_by(|a, b| {
            totals[b]
                .partial_cmp(&totals[a])
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.cmp(b))
        });
        Self { order, totals }
    }
}

/// The three stops of a route as chart labels.
fn stops(flow: &RouteFlow) -> [String; 3] {
    let show =
        |c: &Option<crate::model::CountryCode>| c.as_ref().map_or("?", |c| c.as_str()).to_owned();
    let transit = if flow.route.transit.is_empty() {
        "direct".to_owned()
    } else {
        flow.route
            .transit
            .iter()
            .map(crate::model::CountryCode::as_str)
            .collect::<Vec<_>>()
            .join(" → ")
    };
    [
        show(&flow.route.origin),
        transit,
        show(&flow.route.destination),
    ]
}

fn smoothstep(s: f32) -> f32 {
    s * s * (3.0 - 2.0 * s)
}

impl FlowsChart {
    /// Draws the chart for `routes` (as the flows table has them).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        revision: Revision,
        routes: &[RouteFlow],
        actions: &mut Vec<Action>,
    ) {
        if self
            .units
            .as_ref()
            .is_none_or(|(r, m, _)| *r != revision || *m != self.measure)
        {
            self.units = Some((revision, self.measure, timeline::units(case, self.measure)));
        }
        let units = self.units.as_ref().map(|u| u.2.clone()).unwrap_or_default();
        let unit = self
            .unit
            .clone()
            .filter(|u| units.contains(u))
            .or_else(|| units.first().cloned());
        ui.horizontal(|ui| {
            let label = ui.label("Chart");
            for m in Measure::ALL {
                ui.selectable_value(&mut self.measure, m, m.label());
            }
            if units.len() > 1 {
                let current = unit.clone().unwrap_or_default();
                egui::ComboBox::from_id_salt("flows_chart_unit")
                    .selected_text(if current.is_empty() {
                        "(no unit)"
                    } else {
                        &current
                    })
                    .show_ui(ui, |ui| {
                        for u in &units {
                            let text = if u.is_empty() { "(no unit)" } else { u };
                            if ui.selectable_label(*u == current, text).clicked() {
                                self.unit = Some(u.clone());
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            } else if let Some(u) = unit.as_ref().filter(|u| !u.is_empty()) {
                ui.weak(u);
            }
        });
        let Some(unit) = unit else {
            ui.weak("No shipment states a quantity or value to chart.");
            return;
        };
        let amount = |f: &RouteFlow| {
            let map = match self.measure {
                Measure::Quantity => &f.totals.quantity,
                Measure::Value => &f.totals.value,
            };
            map.get(&unit).copied().unwrap_or(0.0)
        };
        let flows: Vec<(&RouteFlow, [String; 3], f64)> = routes
            .iter()
            .map(|f| (f, stops(f), amount(f)))
            .filter(|(_, _, a)| *a > 0.0)
            .collect();
        if flows.is_empty() {
            ui.weak(format!(
                "No shipment states a {} in {unit}.",
                self.measure.label().to_lowercase()
            ));
            return;
        }
        Self::draw_ui(ui, &flows, actions);
        ui.weak("Origin → transit → destination; ribbons as wide as what they carried, coloured by destination. Click one to show its shipments.");
    }

    fn draw_ui(ui: &mut Ui, flows: &[(&RouteFlow, [String; 3], f64)], actions: &mut Vec<Action>) {
        let dark = ui.visuals().dark_mode;
        let (rect, response) = ui.allocate_exact_size(
            vec2(ui.available_width(), theme::FLOWS_CHART_HEIGHT),
            Sense::click(),
        );
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Image,
                true,
                "Flows chart: origin, transit, destination",
            )
        });
        let painter = ui.painter_at(rect);
        let columns: Vec<Column> = (0..3)
            .map(|c| Column::new(flows.iter().map(|(_, s, a)| (s[c].clone(), *a))))
            .collect();
        let total: f64 = flows.iter().map(|(_, _, a)| *a).sum();
        let most_nodes = columns.iter().map(|c| c.order.len()).max().unwrap_or(1);
        let usable = (rect.height() - NODE_GAP * (most_nodes as f32 - 1.0)).max(20.0);
        let scale = f64::from(usable) / total;
        let xs = [
            rect.left() + SIDE_LABEL_WIDTH,
            rect.center().x - NODE_WIDTH / 2.0,
            rect.right() - SIDE_LABEL_WIDTH - NODE_WIDTH,
        ];
        // Node rectangles, stacked from the top in each column.
        let mut node_rects: Vec<BTreeMap<&str, Rect>> = Vec::new();
        for (c, col) in columns.iter().enumerate() {
            let mut y = rect.top();
            let mut map = BTreeMap::new();
            for key in &col.order {
                let h = (col.totals[key] * scale) as f32;
                map.insert(
                    key.as_str(),
                    Rect::from_min_size(pos2(xs[c], y), vec2(NODE_WIDTH, h.max(1.0))),
                );
                y += h + NODE_GAP;
            }
            node_rects.push(map);
        }
        // Destinations get the series colours, biggest first.
        let colour_of: BTreeMap<&str, Color32> = columns[2]
            .order
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), theme::chart_series_color(i, dark)))
            .collect();
        // Ribbons: each takes the next slice of its nodes, in route order.
        let mut used: Vec<BTreeMap<&str, f32>> = vec![BTreeMap::new(); 3];
        let pointer = response.hover_pos();
        let mut hovered: Option<usize> = None;
        let mut ribbons: Vec<(Vec<[Pos2; 2]>, Color32)> = Vec::new();
        let mut grips: Vec<Rect> = Vec::new();
        for (i, (_, s, a)) in flows.iter().enumerate() {
            let h = (*a * scale) as f32;
            let mut tops = [0.0_f32; 3];
            for c in 0..3 {
                let r = node_rects[c][s[c].as_str()];
                let off = used[c].entry(s[c].as_str()).or_default();
                tops[c] = r.top() + *off;
                *off += h;
            }
            let colour = colour_of
                .get(s[2].as_str())
                .copied()
                .unwrap_or(Color32::GRAY);
            let mut edge: Vec<[Pos2; 2]> = Vec::new();
            for seg in 0..2 {
                let (x0, x1) = (xs[seg] + NODE_WIDTH, xs[seg + 1]);
                for k in 0..=STEPS {
                    let t = k as f32 / STEPS as f32;
                    let x = x0 + (x1 - x0) * t;
                    let y = tops[seg] + (tops[seg + 1] - tops[seg]) * smoothstep(t);
                    edge.push([pos2(x, y), pos2(x, y + h.max(1.0))]);
                }
                if let Some(p) = pointer
                    && p.x >= x0
                    && p.x <= x1
                {
                    let t = (p.x - x0) / (x1 - x0);
                    let y = tops[seg] + (tops[seg + 1] - tops[seg]) * smoothstep(t);
                    if p.y >= y && p.y <= y + h.max(2.0) {
                        hovered = Some(i);
                    }
                }
            }
            ribbons.push((edge, colour));
            // Where the ribbon passes its transit stop: a labelled, clickable handle, so screen
            // readers (and tests) find each route.
            grips.push(Rect::from_min_size(
                pos2(xs[1], tops[1]),
                vec2(NODE_WIDTH, h.max(4.0)),
            ));
        }
        for (i, (edge, colour)) in ribbons.iter().enumerate() {
            let alpha = if hovered == Some(i) { 0.85 } else { 0.45 };
            let fill = colour.gamma_multiply(alpha);
            let mut mesh = Mesh::default();
            for pair in edge.windows(2) {
                let base = mesh.vertices.len() as u32;
                mesh.colored_vertex(pair[0][0], fill);
                mesh.colored_vertex(pair[0][1], fill);
                mesh.colored_vertex(pair[1][0], fill);
                mesh.colored_vertex(pair[1][1], fill);
                mesh.add_triangle(base, base + 1, base + 2);
                mesh.add_triangle(base + 1, base + 3, base + 2);
            }
            painter.add(mesh);
        }
        let text = theme::label_text(dark);
        let font = FontId::proportional(theme::CANVAS_EDGE_LABEL_SIZE);
        for (c, map) in node_rects.iter().enumerate() {
            for (key, r) in map {
                painter.rect_filled(*r, 2.0, text.gamma_multiply(0.7));
                let (pos, align) = match c {
                    0 => (
                        pos2(r.left() - 4.0, r.center().y),
                        egui::Align2::RIGHT_CENTER,
                    ),
                    _ => (
                        pos2(r.right() + 4.0, r.center().y),
                        egui::Align2::LEFT_CENTER,
                    ),
                };
                painter.text(pos, align, *key, font.clone(), text);
            }
        }
        let mut clicked = None;
        for (i, (grip, (flow, _, a))) in grips.iter().zip(flows).enumerate() {
            let label = format!(
                "Route {}: {} ({} shipments)",
                flow.route.label(),
                format_amount(*a),
                flow.totals.shipments.len()
            );
            let r = ui
                .interact(
                    *grip,
                    ui.scope_id().with(("flow_ribbon", i)),
                    Sense::click(),
                )
                .on_hover_text(&label);
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label.clone()));
            if r.hovered() {
                hovered = Some(i);
            }
            if r.clicked() {
                clicked = Some(i);
            }
        }
        if let Some(i) = clicked.or(hovered.filter(|_| response.clicked()))
            && let Some((flow, _, _)) = flows.get(i)
        {
            actions.push(Action::Show(
                flow.totals
                    .shipments
                    .iter()
                    .cloned()
                    .map(ItemRef::Shipment)
                    .collect(),
            ));
        }
        if let Some(i) = hovered
            && let Some((flow, _, a)) = flows.get(i)
        {
            let tip = format!(
                "{}: {} ({} shipments)",
                flow.route.label(),
                format_amount(*a),
                flow.totals.shipments.len()
            );
            response.clone().on_hover_text_at_pointer(tip);
        }
    }
}
