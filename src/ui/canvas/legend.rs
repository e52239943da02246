//! The chart's legend, in the canvas's bottom-left corner: the shapes and colours of the kinds
//! of entity on the chart, the line styles of claims, shipment routes (width, waypoints,
//! bundles) and the marks on nodes. Only what the chart shows is listed. *Show ▸ Legend*
//! hides it; its header folds it.

use super::Canvas;
use super::draw::{paint_shape, stroke_polyline};
use crate::model::{ClaimStatus, EntityKind};
use crate::ui::theme;
use egui::{Pos2, Rect, Sense, Stroke, Ui, Vec2, pos2, vec2};
use std::collections::BTreeSet;

/// Width of the swatch column, in points.
const SWATCH: f32 = 34.0;

impl Canvas {
    /// Draws the legend over the canvas area `rect`.
    pub(super) fn legend_ui(&mut self, ui: &Ui, rect: Rect) {
        if !self.show_legend || self.scene.nodes.is_empty() || rect.height() < 240.0 {
            return;
        }
        let dark = ui.visuals().dark_mode;
        // What the chart shows changes only with the scene: looked up once per scene (a pass
        // over every node, line and route, milliseconds a frame on a large case).
        let generation = self.scene_generation;
        let shown = match self.legend_shown.take() {
            Some((g, shown)) if g == generation => shown,
            _ => Shown::of(&self.scene),
        };
        let area = egui::Area::new(egui::Id::unique("chart_legend"))
            .order(egui::Order::Middle)
            .pivot(egui::Align2::LEFT_BOTTOM)
            .fixed_pos(rect.left_bottom() + vec2(8.0, -8.0))
            .constrain_to(rect);
        // Unfolded where there is room for it beside the chart, until the user decides.
        let roomy = rect.width() >= 1000.0 && rect.height() >= 760.0;
        let mut open = self.legend_open.unwrap_or(roomy);
        let mut toggled = false;
        let (expanded, decided) = (&mut open, &mut toggled);
        area.show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style())
                .fill(ui.visuals().panel_fill.gamma_multiply(0.94))
                .show(ui, |ui| {
                    ui.set_max_width(230.0);
                    let header = if *expanded {
                        "Legend ⏷"
                    } else {
                        "Legend ⏵"
                    };
                    if ui
                        .add(egui::Button::new(egui::RichText::new(header).strong()).frame(false))
                        .on_hover_text("Fold or unfold the legend (Show ▸ Legend hides it)")
                        .clicked()
                    {
                        *expanded = !*expanded;
                        *decided = true;
                    }
                    if !*expanded {
                        return;
                    }
                    let outline = Stroke::new(1.0, theme::canvas_background(dark));
                    egui::Grid::new("legend kinds")
                        .num_columns(2)
                        .spacing([6.0, 2.0])
                        .show(ui, |ui| {
                            for (n, kind) in shown.kinds.iter().enumerate() {
                                row(ui, kind.label(), |p, c| {
                                    let fill = theme::entity_color(*kind, dark);
                                    let shape = theme::entity_shape(*kind);
                                    paint_shape(p, shape, c + vec2(-8.0, 0.0), 5.5, fill, outline);
                                });
                                if n % 2 == 1 {
                                    ui.end_row();
                                }
                            }
                        });
                    ui.separator();
                    let edge = theme::edge_color(dark);
                    for (status, text) in [
                        (ClaimStatus::Proven, "Proven or corroborated: solid"),
                        (ClaimStatus::Alleged, "Alleged or reported: dashed"),
                        (ClaimStatus::Disputed, "Disputed or refuted: dotted"),
                    ] {
                        if shown.claims.iter().any(|c| same_line(*c, status)) {
                            row(ui, text, |p, c| line(p, c, Stroke::new(1.5, edge), status));
                        }
                    }
                    if shown.link_bundles {
                        row(ui, "Several links of one kind: one wider line", |p, c| {
                            let width = crate::layout::links::bundle_width(4);
                            line(p, c, Stroke::new(width, edge), ClaimStatus::Proven);
                        });
                    }
                    if shown.routes {
                        let route = theme::route_color(dark);
                        row(ui, "Shipment: wider for more goods", |p, c| {
                            line(p, c, Stroke::new(4.0, route), ClaimStatus::Proven);
                        });
                        if shown.waypoints {
                            row(ui, "Place passed with no entity", |p, c| {
                                let r = Rect::from_center_size(c, vec2(26.0, 11.0));
                                p.rect_filled(r, 5.5, route);
                                p.text(
                                    c,
                                    egui::Align2::CENTER_CENTER,
                                    "via",
                                    egui::FontId::proportional(8.5),
                                    theme::label_background(dark),
                                );
                            });
                        }
                        if shown.bundles {
                            row(ui, "“n shipments”: one line for several", |p, c| {
                                line(p, c, Stroke::new(6.0, route), ClaimStatus::Proven);
                            });
                        }
                    }
                    if shown.flags || shown.unsupported {
                        ui.separator();
                    }
                    if shown.flags {
                        row(ui, "Listed or flagged (red badge)", |p, c| {
                            let r = Rect::from_center_size(c, vec2(24.0, 10.0));
                            p.rect_filled(r, 5.0, theme::flag_badge_color(dark));
                        });
                    }
                    if shown.unsupported {
                        row(ui, "No evidence yet (dashed ring)", |p, c| {
                            let ring = Stroke::new(1.5, theme::unsupported_outline(dark));
                            let pts: Vec<Pos2> = (0..=24)
                                .map(|k| {
                                    #[allow(clippy::cast_precision_loss)]
                                    let a = std::f32::consts::TAU * k as f32 / 24.0;
                                    c + vec2(a.cos(), a.sin()) * 7.0
                                })
                                .collect();
                            p.extend(egui::Shape::dashed_line(&pts, ring, 3.0, 2.0));
                        });
                    }
                });
        });
        if toggled {
            self.legend_open = Some(open);
        }
        self.legend_shown = Some((generation, shown));
    }
}

/// What the legend lists: what the chart shows.
#[derive(Debug, Default)]
pub(super) struct Shown {
    kinds: BTreeSet<EntityKind>,
    claims: BTreeSet<ClaimStatus>,
    routes: bool,
    waypoints: bool,
    bundles: bool,
    link_bundles: bool,
    flags: bool,
    unsupported: bool,
}

impl Shown {
    fn of(scene: &super::scene::Scene) -> Self {
        Shown {
            kinds: scene
                .nodes
                .iter()
                .filter(|n| n.members.is_empty())
                .map(|n| n.kind)
                .collect(),
            claims: scene
                .edges
                .iter()
                .map(|e| e.status)
                .chain(scene.routes.iter().map(|r| r.status))
                .collect(),
            routes: !scene.routes.is_empty(),
            waypoints: scene
                .routes
                .iter()
                .any(|r| r.vias.iter().any(|v| !v.is_empty())),
            bundles: scene.routes.iter().any(|r| r.shipments.len() > 1),
            link_bundles: scene.edges.iter().any(|e| e.links.len() > 1),
            flags: scene
                .nodes
                .iter()
                .any(|n| !n.flags.is_empty() || !n.former_flags.is_empty()),
            unsupported: scene.nodes.iter().any(|n| {
                matches!(&n.item, crate::model::ItemRef::Entity(id) if !scene.supported.contains(id))
            }),
        }
    }
}

/// Whether `a` is drawn with the same line as `b`.
fn same_line(a: ClaimStatus, b: ClaimStatus) -> bool {
    let style = |c: ClaimStatus| match c {
        ClaimStatus::Proven | ClaimStatus::Corroborated => 0,
        ClaimStatus::Alleged | ClaimStatus::Reported => 1,
        ClaimStatus::Disputed | ClaimStatus::Refuted => 2,
    };
    style(a) == style(b)
}

/// A sample line across the swatch, drawn as the canvas draws a claim of `status`.
fn line(painter: &egui::Painter, c: Pos2, stroke: Stroke, status: ClaimStatus) {
    let half = SWATCH / 2.0 - 3.0;
    stroke_polyline(
        painter,
        &[pos2(c.x - half, c.y), pos2(c.x + half, c.y)],
        stroke,
        status,
        true,
    );
}

/// One entry: a swatch painted by `swatch` around its centre, then the text.
fn row(ui: &mut Ui, text: &str, swatch: impl FnOnce(&egui::Painter, Pos2)) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(Vec2::new(SWATCH, 16.0), Sense::hover());
        swatch(ui.painter(), rect.center());
        ui.label(
            egui::RichText::new(text)
                .small()
                .color(ui.visuals().text_color()),
        );
    });
}
