//! SVG pictures of a case: the whole graph, or one saved view (its frame, filters and
//! highlights), drawn as the canvas draws it: entities shaped and coloured by kind with their
//! names, links as labelled edges (arrows where directed, parallel links fanned out), shipments
//! as routed arrows through their stops, as wide as their quantity or value, alleged claims
//! dashed and disputed ones dotted, groups as titled boxes, sticky notes. No egui here: the
//! same picture goes into the case report and, rasterised, into PNG slides. A collapsed group
//! is one node standing for its members, as on the canvas.

use super::xml_escape;
use crate::layout::labels::{Disc, LabelPlacer, PlacedLabel, Rect};
use crate::layout::legibility::Scene;
use crate::model::{
    CanvasPoint, Case, ClaimStatus, EntityId, EntityKind, FrameRect, ItemRef, SavedView, Tlp,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

/// The palette of exported pictures: the canvas's light theme (`layout::palette`, which the
/// canvas draws with too).
mod palette {
    use crate::layout::palette as shared;
    pub const BACKGROUND: &str = shared::CANVAS_BACKGROUND.light;
    pub const EDGE: &str = shared::EDGE.light;
    pub const ROUTE: &str = shared::ROUTE.light;
    pub const HIGHLIGHT: &str = shared::HIGHLIGHT.light;
    pub const LABEL_TEXT: &str = shared::LABEL_TEXT.light;
    /// The halo behind a label is the background it stands on.
    pub const LABEL_HALO: &str = shared::CANVAS_BACKGROUND.light;
    pub const NODE_OUTLINE: &str = "#ffffff";
    pub const FLAG: &str = shared::FLAG.light;
    pub const GROUP_FILL: &str = shared::GROUP_FILL.light;
    pub const GROUP_STROKE: &str = shared::GROUP_STROKE.light;
    pub const NOTE_FILL: &str = shared::NOTE_FILL.light;
    pub const NOTE_TEXT: &str = shared::NOTE_TEXT.light;
    /// Font stack: system sans-serif faces, then CJK faces for names in Chinese script.
    pub const FONT: &str = "'Noto Sans', 'DejaVu Sans', Helvetica, Arial, 'Noto Sans CJK SC', \
                            'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif";
}

/// The colour that marks a view's highlighted items.
pub const HIGHLIGHT_COLOR: &str = palette::HIGHLIGHT;

/// Radius of an entity node, in canvas units (as on the canvas).
const NODE_RADIUS: f32 = 22.0;
/// Size of a sticky note (as on the canvas).
const NOTE_SIZE: (f32, f32) = (170.0, 96.0);
/// Default width of a picture, in pixels.
pub const DEFAULT_WIDTH_PX: u32 = 1600;
/// Largest picture we draw (8K wide).
pub const MAX_WIDTH_PX: u32 = 7680;

/// The colour of an entity kind in exported pictures (the canvas's light theme).
pub fn kind_color(kind: EntityKind) -> &'static str {
    crate::layout::palette::entity(kind).light
}

/// Background and text colour of a handling-marking badge.
pub fn tlp_colors(tlp: Tlp) -> (&'static str, &'static str) {
    crate::layout::palette::tlp(tlp)
}

/// The saved view named `name` (or with that id), ignoring case.
pub fn find_view<'a>(case: &'a Case, name: &str) -> Option<&'a SavedView> {
    let name = name.trim();
    case.views
        .iter()
        .find(|v| v.name == name || v.id.as_str() == name)
        .or_else(|| {
            case.views
                .iter()
                .find(|v| v.name.to_lowercase() == name.to_lowercase())
        })
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct P {
    x: f32,
    y: f32,
}

impl P {
    fn sub(self, o: P) -> P {
        P {
            x: self.x - o.x,
            y: self.y - o.y,
        }
    }
    fn add(self, o: P) -> P {
        P {
            x: self.x + o.x,
            y: self.y + o.y,
        }
    }
    fn scale(self, k: f32) -> P {
        P {
            x: self.x * k,
            y: self.y * k,
        }
    }
    fn len(self) -> f32 {
        self.x.hypot(self.y)
    }
    fn unit(self) -> P {
        let l = self.len();
        if l > 1e-6 {
            self.scale(1.0 / l)
        } else {
            P { x: 1.0, y: 0.0 }
        }
    }
    fn normal(self) -> P {
        P {
            x: -self.y,
            y: self.x,
        }
    }
}

fn dash(status: ClaimStatus, width: f32) -> String {
    match status {
        ClaimStatus::Alleged => format!(
            " stroke-dasharray=\"{} {}\"",
            fmt(9.0 * width.max(1.0) / 1.6),
            fmt(5.0 * width.max(1.0) / 1.6)
        ),
        ClaimStatus::Disputed | ClaimStatus::Refuted => format!(
            " stroke-dasharray=\"{} {}\"",
            fmt(2.5 * width.max(1.0) / 1.6),
            fmt(4.0 * width.max(1.0) / 1.6)
        ),
        _ => String::new(),
    }
}

/// A number with at most two decimals, no trailing zeros.
fn fmt(v: f32) -> String {
    if !v.is_finite() {
        return "0".to_owned();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// What to draw and how large.
#[derive(Clone, Copy, Debug)]
pub struct SvgOptions<'a> {
    /// A saved view: its frame, filters and highlights; `None` draws the whole case.
    pub view: Option<&'a SavedView>,
    /// Width of the picture in pixels; the height follows the frame.
    pub width_px: u32,
    /// Draw the case's handling marking in the top-left corner.
    pub marking: bool,
    /// Draw a legend of the shapes, colours and line styles shown, in a band below the chart
    /// (pictures of the whole chart only: a view's picture keeps the view's frame).
    pub legend: bool,
}

impl Default for SvgOptions<'_> {
    fn default() -> Self {
        Self {
            view: None,
            width_px: DEFAULT_WIDTH_PX,
            marking: true,
            legend: true,
        }
    }
}

/// The picture of the whole case at the default width, with its marking.
pub fn write(case: &Case) -> String {
    write_with(case, &SvgOptions::default())
}

/// The picture of one saved view at the default width, with the case's marking.
pub fn write_view(case: &Case, view: &SavedView) -> String {
    write_with(
        case,
        &SvgOptions {
            view: Some(view),
            ..SvgOptions::default()
        },
    )
}

/// Width and height in pixels of the picture `options` asks for.
pub fn picture_size(case: &Case, options: &SvgOptions) -> (u32, u32) {
    let frame = frame_of(case, options, &positions(case));
    let w = options.width_px.clamp(16, MAX_WIDTH_PX);
    let h = (w as f32 * frame.height() / frame.width().max(1e-3)).round() as u32;
    (w, h.clamp(16, MAX_WIDTH_PX * 2))
}

fn positions(case: &Case) -> HashMap<&EntityId, P> {
    let mut at: HashMap<&EntityId, P> = crate::layout::picture::unplaced_positions(case)
        .into_iter()
        .map(|(id, p)| (id, P { x: p.x, y: p.y }))
        .collect();
    for (id, p) in &case.positions {
        if p.x.is_finite() && p.y.is_finite() && case.entities.contains_key(id) {
            at.insert(id, P { x: p.x, y: p.y });
        }
    }
    at
}

fn frame_of(case: &Case, options: &SvgOptions, at: &HashMap<&EntityId, P>) -> FrameRect {
    let mut f = chart_frame(case, options, at);
    if let Some(band) = view_legend_band(case, options, &f) {
        // A view keeps its shape: the band goes below the camera's frame and the frame
        // widens to keep the view's aspect, so the chart is drawn a little smaller, whole.
        let (w, h) = (f.width(), f.height());
        let widen = (h + band) * w / h.max(1e-3) - w;
        f.min_x -= widen / 2.0;
        f.max_x += widen / 2.0;
        f.max_y += band;
        return f;
    }
    if options.view.is_none() && shows_legend(case, options) {
        // A band below the chart for the legend, so it covers nothing drawn.
        let px = options.width_px.clamp(16, MAX_WIDTH_PX) as f32;
        let unit = f.width() / px;
        let rows = legend_layout(&legend_items(case, options), f.width(), unit).1;
        if rows > 0 {
            f.max_y += (rows as f32 * LEGEND_ROW + LEGEND_MARGIN) * unit;
        }
    }
    f
}

/// The frame of the chart itself: the view's camera, or everything drawn.
fn chart_frame(case: &Case, options: &SvgOptions, at: &HashMap<&EntityId, P>) -> FrameRect {
    if let Some(v) = options.view {
        return v.camera.frame();
    }
    let mut f = FrameRect {
        min_x: f32::INFINITY,
        min_y: f32::INFINITY,
        max_x: f32::NEG_INFINITY,
        max_y: f32::NEG_INFINITY,
    };
    let mut add = |x0: f32, y0: f32, x1: f32, y1: f32| {
        f.min_x = f.min_x.min(x0);
        f.min_y = f.min_y.min(y0);
        f.max_x = f.max_x.max(x1);
        f.max_y = f.max_y.max(y1);
    };
    for p in at.values() {
        // Room for the name below a node, which may be much wider than the node.
        add(
            p.x - NODE_RADIUS - 150.0,
            p.y - NODE_RADIUS - 40.0,
            p.x + NODE_RADIUS + 150.0,
            p.y + NODE_RADIUS + 50.0,
        );
    }
    for n in case.notes.values() {
        if let Some(p) = n.canvas
            && p.x.is_finite()
            && p.y.is_finite()
        {
            add(p.x, p.y, p.x + NOTE_SIZE.0, p.y + NOTE_SIZE.1);
        }
    }
    if !f.min_x.is_finite() {
        return FrameRect {
            min_x: -400.0,
            min_y: -225.0,
            max_x: 400.0,
            max_y: 225.0,
        };
    }
    if options.marking {
        // A band above everything for the marking, so it covers no node: the marking is
        // 30 px high at any picture width (see `marking_box`).
        let px = options.width_px.clamp(16, MAX_WIDTH_PX) as f32;
        f.min_y -= 32.0 * f.width() / px;
    }
    f
}

struct Node {
    pos: P,
    kind: EntityKind,
    label: String,
    flags: usize,
    marked: bool,
    /// Links and shipment hops at this node: well-connected entities keep their names first.
    degree: usize,
}

/// A label waiting for its place: what it says, in what colour, where it may go.
enum Want {
    Node { at: P, r: f32 },
    Edge { along: Vec<CanvasPoint> },
}

struct LabelRequest {
    /// Lower places first.
    rank: (u8, std::cmp::Reverse<usize>),
    want: Want,
    text: String,
    size: f32,
    color: &'static str,
}

fn cp(p: P) -> CanvasPoint {
    CanvasPoint { x: p.x, y: p.y }
}

/// `p` as the SVG writes it (two decimals), so the measured geometry is the drawn one.
fn written(p: P) -> CanvasPoint {
    let r = |v: f32| fmt(v).parse::<f32>().unwrap_or(v);
    CanvasPoint {
        x: r(p.x),
        y: r(p.y),
    }
}

/// The point at `t` of the quadratic curve from `a` through `c` to `b`.
fn quad_at(a: P, c: P, b: P, t: f32) -> CanvasPoint {
    let u = 1.0 - t;
    cp(a.scale(u * u).add(c.scale(2.0 * u * t)).add(b.scale(t * t)))
}

/// Points along a quadratic curve where its label may sit, the middle first.
fn along_quad(a: P, c: P, b: P) -> Vec<CanvasPoint> {
    [0.5, 0.38, 0.62, 0.28, 0.72]
        .into_iter()
        .map(|t| quad_at(a, c, b, t))
        .collect()
}

/// Outer radius of a node shape of `kind` (the diamond reaches further than the rest).
fn shape_radius(kind: EntityKind) -> f32 {
    use EntityKind as K;
    match kind {
        K::Address | K::Facility | K::Jurisdiction | K::Event => NODE_RADIUS * 1.1,
        K::Company | K::Organization | K::Account | K::Website => NODE_RADIUS * 0.9,
        K::Person | K::Product | K::Vessel | K::Aircraft => NODE_RADIUS,
    }
}

/// Radius of the ring around a highlighted node.
const RING_RADIUS: f32 = NODE_RADIUS + 7.0;

/// The picture `options` asks for, as an SVG document.
pub fn write_with(case: &Case, options: &SvgOptions) -> String {
    picture(case, options).0
}

/// The legibility figures of the picture `options` asks for, measured from the geometry the
/// SVG is drawn from (the same figures `legibility.py` reads from the SVG).
pub fn legibility(case: &Case, options: &SvgOptions) -> crate::layout::legibility::Legibility {
    crate::layout::legibility::measure(&picture(case, options).1)
}

/// The picture `options` asks for, as an SVG document, with its geometry: the node shapes,
/// the edges as drawn and every text box, for the legibility measure.
#[allow(clippy::too_many_lines)] // one pass over the picture's layers, in drawing order
pub fn picture(case: &Case, options: &SvgOptions) -> (String, Scene) {
    let at = positions(case);
    let frame = frame_of(case, options, &at);
    let (width_px, height_px) = picture_size(case, options);
    // Pixels per canvas unit, so text and lines stay legible in a zoomed-out picture.
    let px = width_px as f32 / frame.width().max(1e-3);
    let unit = 1.0 / px;
    let label_size = 13.0_f32.max(11.0 * unit);
    let edge_label_size = 11.0_f32.max(9.0 * unit);
    let hidden_kinds: BTreeSet<EntityKind> = options
        .view
        .map(|v| v.hidden_kinds.iter().copied().collect())
        .unwrap_or_default();
    let hidden_tags: BTreeSet<&str> = options
        .view
        .map(|v| v.hidden_tags.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let marked: BTreeSet<&ItemRef> = options
        .view
        .map(|v| v.highlighted.iter().collect())
        .unwrap_or_default();
    // What the view's time window leaves out.
    let inactive = options
        .view
        .and_then(crate::analysis::view_window::window_of)
        .map(|w| crate::analysis::timeline::inactive_in(case, w))
        .unwrap_or_default();
    let pad = 200.0;
    let near = |p: P| {
        p.x >= frame.min_x - pad
            && p.x <= frame.max_x + pad
            && p.y >= frame.min_y - pad
            && p.y <= frame.max_y + pad
    };
    let mut scene = Scene::default();

    let mut nodes: BTreeMap<&EntityId, Node> = BTreeMap::new();
    // A view's legend band lies over the canvas below the view: what stands there is out of
    // the view and not drawn.
    let band_top = options
        .view
        .filter(|_| shows_legend(case, options))
        .and_then(|_| legend_top(case, options, &frame, unit))
        .unwrap_or(f32::INFINITY);
    // The flag badge counts flags in force: an ended listing is not a live warning.
    let today = crate::model::PartialDate::today();
    for e in case.entities.values() {
        if hidden_kinds.contains(&e.kind)
            || e.tags.iter().any(|t| hidden_tags.contains(t.as_str()))
            || inactive.entities.contains(&e.id)
        {
            continue;
        }
        let Some(&pos) = at.get(&e.id) else { continue };
        if pos.y + RING_RADIUS > band_top {
            continue;
        }
        nodes.insert(
            &e.id,
            Node {
                pos,
                kind: e.kind,
                label: e.name.clone(),
                flags: e.flags.iter().filter(|f| !f.ended(&today)).count(),
                marked: marked.contains(&ItemRef::Entity(e.id.clone())),
                degree: 0,
            },
        );
    }
    // A collapsed group stands in for its shown members, as on the canvas: one node at their
    // centre, under its first member's key; the others point to it.
    let mut alias: HashMap<&EntityId, &EntityId> = HashMap::new();
    for g in case.groups.values().filter(|g| g.collapsed) {
        let members: Vec<&EntityId> = g
            .members
            .iter()
            .filter(|m| nodes.contains_key(m) && !alias.contains_key(m))
            .collect();
        let Some(&first) = members.first() else {
            continue;
        };
        let n = members.len() as f32;
        let (sx, sy) = members.iter().fold((0.0, 0.0), |(x, y), m| {
            (x + nodes[*m].pos.x, y + nodes[*m].pos.y)
        });
        let any_marked = marked.contains(&ItemRef::Group(g.id.clone()))
            || members.iter().any(|m| nodes[*m].marked);
        for m in &members {
            nodes.remove(*m);
            alias.insert(*m, first);
        }
        nodes.insert(
            first,
            Node {
                pos: P {
                    x: sx / n,
                    y: sy / n,
                },
                kind: EntityKind::Organization,
                label: format!("{} ({})", g.title, members.len()),
                flags: 0,
                marked: any_marked,
                degree: 0,
            },
        );
    }
    // Links at each drawn node: well-connected entities keep their names first.
    let mut degree: HashMap<EntityId, usize> = HashMap::new();
    for l in case.links.values() {
        for end in [&l.from, &l.to] {
            let drawn = alias.get(end).copied().unwrap_or(end);
            *degree.entry(drawn.clone()).or_default() += 1;
        }
    }
    for (id, n) in &mut nodes {
        n.degree = degree.get(*id).copied().unwrap_or(0);
    }
    // The node drawn for an entity: its own, or its collapsed group's.
    let node_of = |id: &EntityId| -> Option<&EntityId> {
        alias
            .get(id)
            .copied()
            .or_else(|| nodes.get_key_value(id).map(|(k, _)| *k))
    };
    // What labels keep clear of: node shapes, highlight rings and flag badges.
    let mut discs = Vec::new();
    for n in nodes.values().filter(|n| near(n.pos)) {
        let r = if n.marked {
            RING_RADIUS + 2.5
        } else {
            shape_radius(n.kind)
        };
        discs.push(Disc { c: cp(n.pos), r });
        scene.nodes.push(Disc {
            c: cp(n.pos),
            r: shape_radius(n.kind),
        });
        if n.marked {
            scene.nodes.push(Disc {
                c: cp(n.pos),
                r: RING_RADIUS,
            });
        }
        if n.flags > 0 {
            discs.push(Disc {
                c: cp(badge_at(n.pos)),
                r: 9.0,
            });
        }
    }
    let mut placer = LabelPlacer::new(
        Rect {
            x0: frame.min_x,
            y0: frame.min_y,
            x1: frame.max_x,
            y1: frame.max_y,
        },
        discs,
    );
    let mut placed: Vec<(PlacedLabel, &'static str, &'static str)> = Vec::new();
    if shows_legend(case, options)
        && let Some(top) = legend_top(case, options, &frame, unit)
    {
        // The legend's band is its own: no chart label goes there.
        placer.reserve(Rect {
            x0: frame.min_x,
            y0: top,
            x1: frame.max_x,
            y1: frame.max_y,
        });
    }
    let marking = options.marking.then(|| marking_box(case, &frame, unit));
    if let Some(m) = &marking {
        placer.reserve(m.rect.grown(2.0));
        scene.labels.push((m.text_box, m.label.to_owned()));
        let (w, h) = (m.rect.x1 - m.rect.x0, m.rect.y1 - m.rect.y0);
        // The yardstick reads a square-ish box this size as a node.
        if (16.0..=80.0).contains(&w) && (16.0..=80.0).contains(&h) {
            scene.nodes.push(Disc {
                c: CanvasPoint {
                    x: m.rect.x0 + w / 2.0,
                    y: m.rect.y0 + h / 2.0,
                },
                r: w.max(h) / 2.0,
            });
        }
    }
    let shown_notes: Vec<(&crate::model::Note, P)> = case
        .notes
        .values()
        .filter_map(|n| n.canvas.map(|p| (n, P { x: p.x, y: p.y })))
        .filter(|(_, p)| p.x.is_finite() && p.y.is_finite() && near(*p))
        .collect();
    for (_, p) in &shown_notes {
        placer.reserve(Rect {
            x0: p.x,
            y0: p.y,
            x1: p.x + NOTE_SIZE.0,
            y1: p.y + NOTE_SIZE.1,
        });
    }

    let mut out = String::with_capacity(4096 + nodes.len() * 300);
    let title = options.view.map_or_else(
        || case.meta.title.clone(),
        |v| format!("{}: {}", case.meta.title, v.name),
    );
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width_px}\" height=\"{height_px}\" \
         viewBox=\"{} {} {} {}\" font-family=\"{}\" role=\"img\">",
        fmt(frame.min_x),
        fmt(frame.min_y),
        fmt(frame.width()),
        fmt(frame.height()),
        palette::FONT
    );
    let _ = writeln!(out, "<title>{}</title>", xml_escape(&title));
    let arrow = |id: &str, color: &str| {
        format!(
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"5\" \
             markerHeight=\"5\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" \
             fill=\"{color}\"/></marker>"
        )
    };
    let _ = writeln!(
        out,
        "<defs>{}{}{}</defs>",
        arrow("cp-arrow-edge", palette::EDGE),
        arrow("cp-arrow-route", palette::ROUTE),
        arrow("cp-arrow-mark", palette::HIGHLIGHT)
    );
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
        fmt(frame.min_x),
        fmt(frame.min_y),
        fmt(frame.width()),
        fmt(frame.height()),
        palette::BACKGROUND
    );

    // Groups (open ones) as titled boxes behind everything; titles are placed first.
    for g in case.groups.values().filter(|g| !g.collapsed) {
        let members: Vec<P> = g
            .members
            .iter()
            .filter(|m| !alias.contains_key(m))
            .filter_map(|m| nodes.get(m).map(|n| n.pos))
            .collect();
        if members.is_empty() {
            continue;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        );
        for p in &members {
            x0 = x0.min(p.x - NODE_RADIUS - 28.0);
            y0 = y0.min(p.y - NODE_RADIUS - 40.0);
            x1 = x1.max(p.x + NODE_RADIUS + 28.0);
            y1 = y1.max(p.y + NODE_RADIUS + 40.0);
        }
        let _ = writeln!(
            out,
            "<g class=\"group\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" \
             fill=\"{}\" fill-opacity=\"0.07\" stroke=\"{}\" stroke-width=\"{}\"/></g>",
            fmt(x0),
            fmt(y0),
            fmt(x1 - x0),
            fmt(y1 - y0),
            palette::GROUP_FILL,
            palette::GROUP_STROKE,
            fmt(1.2_f32.max(unit)),
        );
        let w = crate::layout::labels::text_width(&g.title, label_size);
        let corners = [
            CanvasPoint {
                x: x0 + 8.0,
                y: y0 + 4.0,
            },
            CanvasPoint {
                x: x1 - 8.0 - w,
                y: y0 + 4.0,
            },
            CanvasPoint {
                x: x0 + 8.0,
                y: y0 - 4.0 - label_size,
            },
            CanvasPoint {
                x: x0 + 8.0,
                y: y1 - 4.0 - label_size,
            },
        ];
        if let Some(l) = placer.title(&corners, &g.title, label_size) {
            placed.push((l, palette::GROUP_STROKE, "group-title"));
        }
    }

    let mut wants: Vec<LabelRequest> = Vec::new();
    // Links: parallel ones of one kind bundled, the lines between one pair fanned out, each
    // bent around the nodes in its way (as the canvas draws them).
    let obstacles = crate::layout::links::Obstacles::new(
        nodes
            .values()
            .map(|n| Disc {
                c: cp(n.pos),
                r: if n.marked {
                    RING_RADIUS
                } else {
                    shape_radius(n.kind)
                },
            })
            .collect(),
    );
    let shown_links = case.links.values().filter(|l| {
        !inactive.links.contains(&l.id) && options.view.is_none_or(|v| v.shows_link(l))
    });
    out.push_str("<g class=\"links\" fill=\"none\">\n");
    for line in crate::layout::links::bundle_links(shown_links, node_of, true) {
        {
            let (from, to) = (line.from, line.to);
            let (a, b) = (nodes[from].pos, nodes[to].pos);
            if !near(a) && !near(b) {
                continue;
            }
            let is_marked = line
                .links
                .iter()
                .any(|l| marked.contains(&ItemRef::Link(l.id.clone())));
            let color = if is_marked {
                palette::HIGHLIGHT
            } else {
                palette::EDGE
            };
            let width = if is_marked {
                line.width() + 1.4
            } else {
                line.width().max(unit)
            };
            let directed = line.directed();
            let (d, along) = if from == to {
                let r = NODE_RADIUS * (1.6 + line.nth as f32 * 0.5);
                let p = |x: f32, y: f32| written(P { x, y });
                let (s, c1, c2, e) = (
                    p(a.x - 8.0, a.y - NODE_RADIUS),
                    p(a.x - r, a.y - NODE_RADIUS - 2.0 * r),
                    p(a.x + r, a.y - NODE_RADIUS - 2.0 * r),
                    p(a.x + 8.0, a.y - NODE_RADIUS),
                );
                scene
                    .edges
                    .push(crate::layout::legibility::cubic_points(s, c1, c2, e));
                (
                    format!(
                        "M{},{} C{},{} {},{} {},{}",
                        fmt(s.x),
                        fmt(s.y),
                        fmt(c1.x),
                        fmt(c1.y),
                        fmt(c2.x),
                        fmt(c2.y),
                        fmt(e.x),
                        fmt(e.y)
                    ),
                    vec![p(a.x, a.y - NODE_RADIUS - 1.5 * r)],
                )
            } else {
                let bend = obstacles.clear_bend(cp(a), cp(b), line.bend, line.bend != 0.0);
                let dir = b.sub(a).unit();
                let ctrl = a.add(b).scale(0.5).add(dir.normal().scale(bend * 2.0));
                let start = a.add(ctrl.sub(a).unit().scale(NODE_RADIUS + 2.0));
                let end = b.sub(b.sub(ctrl).unit().scale(NODE_RADIUS + 4.0));
                scene.edges.push(crate::layout::legibility::quad_points(
                    written(start),
                    written(ctrl),
                    written(end),
                ));
                (
                    format!(
                        "M{},{} Q{},{} {},{}",
                        fmt(start.x),
                        fmt(start.y),
                        fmt(ctrl.x),
                        fmt(ctrl.y),
                        fmt(end.x),
                        fmt(end.y)
                    ),
                    along_quad(start, ctrl, end),
                )
            };
            let marker = if directed {
                if is_marked {
                    " marker-end=\"url(#cp-arrow-mark)\""
                } else {
                    " marker-end=\"url(#cp-arrow-edge)\""
                }
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "<path d=\"{d}\" stroke=\"{color}\" stroke-width=\"{}\"{}{marker}/>",
                fmt(width),
                dash(line.claim(), width)
            );
            wants.push(LabelRequest {
                rank: (if is_marked { 1 } else { 5 }, std::cmp::Reverse(0)),
                want: Want::Edge { along },
                text: line.label(),
                size: edge_label_size,
                color,
            });
        }
    }
    out.push_str("</g>\n");

    // Shipments: routed arrows through their stops, bundled along shared routes, with the
    // places passed that have no node as waypoints on their hop.
    out.push_str("<g class=\"shipments\" fill=\"none\">\n");
    let mut per_first_hop: BTreeMap<(&EntityId, &EntityId), usize> = BTreeMap::new();
    let active = case
        .shipments
        .values()
        .filter(|s| !inactive.shipments.contains(&s.id))
        .filter(|s| options.view.is_none_or(|v| v.shows_shipment(s)));
    for bundle in crate::layout::routes::bundle_routes(case, active, node_of, true) {
        let stops = &bundle.route.stops;
        let key = if stops[0] <= stops[1] {
            (stops[0], stops[1])
        } else {
            (stops[1], stops[0])
        };
        let nth = per_first_hop.entry(key).or_default();
        let bend =
            crate::layout::links::ROUTE_BEND + *nth as f32 * crate::layout::links::ROUTE_BEND_STEP;
        *nth += 1;
        if !stops.iter().any(|id| near(nodes[id].pos)) {
            continue;
        }
        let is_marked = bundle
            .shipments
            .iter()
            .any(|s| marked.contains(&ItemRef::Shipment(s.id.clone())));
        let color = if is_marked {
            palette::HIGHLIGHT
        } else {
            palette::ROUTE
        };
        let marker = if is_marked {
            "cp-arrow-mark"
        } else {
            "cp-arrow-route"
        };
        let claim = bundle.claim();
        let width = bundle.width().max(1.5 * unit) + if is_marked { 2.0 } else { 0.0 };
        let _ = write!(
            out,
            "<g class=\"shipment\" stroke=\"{color}\" stroke-opacity=\"0.85\" stroke-width=\"{}\"{}>",
            fmt(width),
            dash(claim, width)
        );
        let references: Vec<&str> = bundle
            .shipments
            .iter()
            .map(|s| s.reference.as_str())
            .collect();
        let _ = write!(out, "<title>{}</title>", xml_escape(&references.join(", ")));
        // Label places along every hop, the longest hop's first.
        let mut hops: Vec<(f32, Vec<CanvasPoint>)> = Vec::new();
        for (w, vias) in stops.windows(2).zip(&bundle.route.vias) {
            let (a, b) = (nodes[w[0]].pos, nodes[w[1]].pos);
            let dir = b.sub(a).unit();
            let hop_bend = obstacles.clear_bend(cp(a), cp(b), bend, true);
            let ctrl = a.add(b).scale(0.5).add(dir.normal().scale(2.0 * hop_bend));
            let start = a.add(ctrl.sub(a).unit().scale(NODE_RADIUS + 3.0));
            let end = b.sub(b.sub(ctrl).unit().scale(NODE_RADIUS + 6.0));
            let _ = write!(
                out,
                "<path d=\"M{},{} Q{},{} {},{}\" marker-end=\"url(#{marker})\"/>",
                fmt(start.x),
                fmt(start.y),
                fmt(ctrl.x),
                fmt(ctrl.y),
                fmt(end.x),
                fmt(end.y)
            );
            scene.edges.push(crate::layout::legibility::quad_points(
                written(start),
                written(ctrl),
                written(end),
            ));
            for (k, via) in vias.iter().enumerate() {
                let t = (k + 1) as f32 / (vias.len() + 1) as f32;
                wants.push(LabelRequest {
                    rank: (if is_marked { 1 } else { 4 }, std::cmp::Reverse(usize::MAX)),
                    want: Want::Edge {
                        along: [0.0, -0.1, 0.1, -0.2, 0.2]
                            .into_iter()
                            .map(|d| quad_at(start, ctrl, end, (t + d).clamp(0.05, 0.95)))
                            .collect(),
                    },
                    text: format!("via {}", via.label),
                    size: edge_label_size,
                    color,
                });
            }
            hops.push((b.sub(a).len(), along_quad(start, ctrl, end)));
        }
        out.push_str("</g>\n");
        hops.sort_by(|x, y| y.0.total_cmp(&x.0));
        wants.push(LabelRequest {
            rank: (if is_marked { 1 } else { 4 }, std::cmp::Reverse(0)),
            want: Want::Edge {
                along: hops.into_iter().flat_map(|(_, a)| a).collect(),
            },
            text: bundle.label(case),
            size: edge_label_size,
            color,
        });
    }
    out.push_str("</g>\n");

    // Nodes with their names.
    out.push_str("<g class=\"entities\">\n");
    for n in nodes.values() {
        if !near(n.pos) {
            continue;
        }
        let fill = kind_color(n.kind);
        let outline_w = 1.5_f32.max(unit);
        if n.marked {
            let _ = writeln!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-opacity=\"0.8\"/>",
                fmt(n.pos.x),
                fmt(n.pos.y),
                fmt(RING_RADIUS),
                palette::HIGHLIGHT,
                fmt(5.0_f32.max(2.0 * unit))
            );
        }
        let _ = writeln!(
            out,
            "{}",
            node_shape(n.kind, n.pos, fill, palette::NODE_OUTLINE, outline_w)
        );
        if n.flags > 0 {
            let c = badge_at(n.pos);
            let _ = writeln!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"8\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" \
                 font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#ffffff\">{}</text>",
                fmt(c.x),
                fmt(c.y),
                palette::FLAG,
                fmt(c.x),
                fmt(c.y + 4.0),
                n.flags
            );
        }
        let first = if n.marked {
            0
        } else if n.flags > 0 {
            2
        } else {
            3
        };
        wants.push(LabelRequest {
            rank: (first, std::cmp::Reverse(n.degree)),
            want: Want::Node {
                at: n.pos,
                r: if n.marked {
                    RING_RADIUS + 2.5
                } else {
                    shape_radius(n.kind)
                },
            },
            text: n.label.clone(),
            size: label_size,
            color: palette::LABEL_TEXT,
        });
    }
    out.push_str("</g>\n");

    // Sticky notes.
    for (note, p) in &shown_notes {
        let title = truncate(&note.title, 26);
        let _ = writeln!(
            out,
            "<g class=\"note\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"bold\" fill=\"{}\">{}</text></g>",
            fmt(p.x),
            fmt(p.y),
            fmt(NOTE_SIZE.0),
            fmt(NOTE_SIZE.1),
            palette::NOTE_FILL,
            fmt(p.x + 6.0),
            fmt(p.y + 18.0),
            palette::NOTE_TEXT,
            xml_escape(&title)
        );
        let w = crate::layout::labels::text_width(&title, 12.0);
        scene.labels.push((
            Rect {
                x0: p.x + 6.0,
                y0: p.y + 18.0 - 0.78 * 12.0,
                x1: p.x + 6.0 + w,
                y1: p.y + 18.0 + 0.22 * 12.0,
            },
            title,
        ));
    }

    // Labels last, so no line crosses a name: most important first, each where it fits.
    wants.sort_by_key(|w| w.rank);
    for w in wants {
        let l = match &w.want {
            Want::Node { at, r } => placer.node_label(cp(*at), *r, &w.text, w.size),
            Want::Edge { along } => placer.edge_label(along, &w.text, w.size),
        };
        if let Some(l) = l {
            placed.push((l, w.color, "label"));
        }
    }
    out.push_str("<g class=\"labels\" text-anchor=\"middle\">\n");
    for (l, color, class) in &placed {
        write_label(&mut out, l, color, class, unit);
        for line in &l.lines {
            scene.labels.push((line.rect, line.text.clone()));
        }
    }
    out.push_str("</g>\n");

    if let Some(m) = &marking {
        let (bg, fg) = tlp_colors(case.meta.marking);
        let _ = writeln!(
            out,
            "<g class=\"marking\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{bg}\" stroke=\"#000000\" stroke-width=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" fill=\"{fg}\">{}</text></g>",
            fmt(m.rect.x0),
            fmt(m.rect.y0),
            fmt(m.rect.x1 - m.rect.x0),
            fmt(m.rect.y1 - m.rect.y0),
            fmt(unit),
            fmt(m.text_box.x0),
            fmt(m.baseline),
            fmt(m.size),
            xml_escape(m.label)
        );
    }
    if shows_legend(case, options) {
        write_legend(&mut out, &mut scene, case, options, &frame, unit);
    }
    out.push_str("</svg>\n");
    scene.dropped = placer.dropped;
    scene.shortened = placer.shortened;
    (out, scene)
}

/// Whether the picture gets a legend band below the chart: pictures of the whole chart do, and
/// pictures of a saved view when the band takes at most a quarter of the picture's height (the
/// view keeps its aspect: a 16:9 view makes a 16:9 picture for the projector).
fn shows_legend(case: &Case, options: &SvgOptions) -> bool {
    match options.view {
        None => options.legend,
        Some(v) => view_legend_band(case, options, &v.camera.frame()).is_some(),
    }
}

/// For a saved view's picture with a legend: the band's height in canvas units, for the
/// camera's frame `chart`, such that the picture keeps the view's aspect and the band its
/// height in pixels. None for the whole chart, or when the band would not fit.
fn view_legend_band(case: &Case, options: &SvgOptions, chart: &FrameRect) -> Option<f32> {
    options.view?;
    if !options.legend {
        return None;
    }
    let px = options.width_px.clamp(16, MAX_WIDTH_PX) as f32;
    let (w, h) = (chart.width().max(1e-3), chart.height().max(1e-3));
    let height_px = px * h / w;
    // Rows depend only on the picture's width in pixels.
    let rows = legend_layout(&legend_items(case, options), px, 1.0).1;
    if rows == 0 {
        return None;
    }
    let band_px = rows as f32 * LEGEND_ROW + LEGEND_MARGIN;
    if band_px > height_px * 0.25 {
        return None;
    }
    // The chart keeps `height_px - band_px` pixels for its `h` canvas units.
    Some(band_px * h / (height_px - band_px))
}

/// Height of a legend row and the band's margin, in pixels of the picture.
const LEGEND_ROW: f32 = 22.0;
const LEGEND_MARGIN: f32 = 14.0;
/// Font size of the legend, in pixels.
const LEGEND_FONT: f32 = 12.0;

/// One entry of a picture's legend.
#[derive(Clone, Copy, Debug, PartialEq)]
enum LegendItem {
    Kind(EntityKind),
    /// A line style, drawn as `status` draws it.
    Line(ClaimStatus, &'static str),
    Route,
    /// Several links of one kind drawn as one line.
    Bundle,
    Flag,
}

impl LegendItem {
    fn text(self) -> &'static str {
        match self {
            LegendItem::Kind(k) => k.label(),
            LegendItem::Line(_, text) => text,
            LegendItem::Route => "Shipment: wider for more goods",
            LegendItem::Bundle => "Several links of one kind: one wider line",
            LegendItem::Flag => "Listed or flagged",
        }
    }
}

/// What the picture shows, for its legend: the kinds of entity drawn, the line styles of the
/// claims drawn, shipments and flags.
fn legend_items(case: &Case, options: &SvgOptions) -> Vec<LegendItem> {
    let hidden: BTreeSet<EntityKind> = options
        .view
        .map(|v| v.hidden_kinds.iter().copied().collect())
        .unwrap_or_default();
    let kinds: BTreeSet<EntityKind> = case
        .entities
        .values()
        .map(|e| e.kind)
        .filter(|k| !hidden.contains(k))
        .collect();
    let mut items: Vec<LegendItem> = kinds.into_iter().map(LegendItem::Kind).collect();
    let statuses: BTreeSet<ClaimStatus> = case
        .links
        .values()
        .map(|l| l.status)
        .chain(case.shipments.values().map(|s| s.claim))
        .collect();
    let style = |s: &ClaimStatus| match s {
        ClaimStatus::Alleged => 1,
        ClaimStatus::Disputed | ClaimStatus::Refuted => 2,
        _ => 0,
    };
    for (k, status, text) in [
        (
            0,
            ClaimStatus::Proven,
            "Proven, corroborated or reported: solid",
        ),
        (1, ClaimStatus::Alleged, "Alleged: dashed"),
        (2, ClaimStatus::Disputed, "Disputed or refuted: dotted"),
    ] {
        if statuses.iter().any(|s| style(s) == k) {
            items.push(LegendItem::Line(status, text));
        }
    }
    let node_of = |id: &EntityId| case.entities.get_key_value(id).map(|(k, _)| k);
    if crate::layout::links::bundle_links(case.links.values(), node_of, true)
        .iter()
        .any(|line| line.links.len() > 1)
    {
        items.push(LegendItem::Bundle);
    }
    if !case.shipments.is_empty() {
        items.push(LegendItem::Route);
    }
    let today = crate::model::PartialDate::today();
    if case
        .entities
        .values()
        .any(|e| e.flags.iter().any(|f| !f.ended(&today)))
    {
        items.push(LegendItem::Flag);
    }
    items
}

/// Where each legend item goes: its x offset from the band's left edge and its row, packed left
/// to right within `width` (canvas units; `unit` canvas units a pixel); and the number of rows.
fn legend_layout(items: &[LegendItem], width: f32, unit: f32) -> (Vec<(f32, usize)>, usize) {
    let size = LEGEND_FONT * unit;
    let swatch = 30.0 * unit;
    let gap = 2.0 * size;
    let usable = width - 16.0 * unit;
    let (mut x, mut row) = (0.0_f32, 0);
    let mut at = Vec::with_capacity(items.len());
    for item in items {
        let w = swatch + crate::layout::labels::text_width(item.text(), size) * 1.1;
        if x > 0.0 && x + w > usable {
            x = 0.0;
            row += 1;
        }
        at.push((x, row));
        x += w + gap;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    (at, rows)
}

/// Where the legend's band starts in a picture `frame` that includes it; `None` when there is
/// nothing to list.
fn legend_top(case: &Case, options: &SvgOptions, frame: &FrameRect, unit: f32) -> Option<f32> {
    let rows = legend_layout(&legend_items(case, options), frame.width(), unit).1;
    (rows > 0).then_some(frame.max_y - (rows as f32 * LEGEND_ROW + LEGEND_MARGIN) * unit)
}

/// The legend, in the band below the chart: each item's swatch (filled shapes and plain
/// lines, no strokes a reader could take for the chart's own edges) and its name.
fn write_legend(
    out: &mut String,
    scene: &mut Scene,
    case: &Case,
    options: &SvgOptions,
    frame: &FrameRect,
    unit: f32,
) {
    let items = legend_items(case, options);
    let (at, _) = legend_layout(&items, frame.width(), unit);
    let Some(top) = legend_top(case, options, frame, unit) else {
        return;
    };
    let size = LEGEND_FONT * unit;
    let left = frame.min_x + 8.0 * unit;
    // An opaque band, so nothing of the canvas below a view's frame shows through.
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
        fmt(frame.min_x),
        fmt(top),
        fmt(frame.width()),
        fmt(frame.max_y - top),
        palette::BACKGROUND
    );
    let _ = writeln!(
        out,
        "<g class=\"legend\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
        fmt(frame.min_x),
        fmt(top + 2.0 * unit),
        fmt(frame.max_x),
        fmt(top + 2.0 * unit),
        palette::GROUP_STROKE,
        fmt(unit)
    );
    for (item, (x, row)) in items.iter().zip(at) {
        let cy = top + (LEGEND_MARGIN * 0.5 + LEGEND_ROW * (row as f32 + 0.5)) * unit;
        let sx = left + x;
        let c = P {
            x: sx + 10.0 * unit,
            y: cy,
        };
        match item {
            LegendItem::Kind(kind) => {
                let _ = writeln!(
                    out,
                    "{}",
                    swatch_path(*kind, c, 6.5 * unit, kind_color(*kind))
                );
            }
            LegendItem::Line(status, _) => {
                let _ = writeln!(
                    out,
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}/>",
                    fmt(sx),
                    fmt(cy),
                    fmt(sx + 22.0 * unit),
                    fmt(cy),
                    palette::EDGE,
                    fmt(1.6 * unit),
                    dash(*status, 1.6 * unit)
                );
            }
            LegendItem::Route => {
                let _ = writeln!(
                    out,
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\" stroke-linecap=\"round\"/>",
                    fmt(sx),
                    fmt(cy),
                    fmt(sx + 22.0 * unit),
                    fmt(cy),
                    palette::ROUTE,
                    fmt(4.0 * unit)
                );
            }
            LegendItem::Bundle => {
                let _ = writeln!(
                    out,
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
                    fmt(sx),
                    fmt(cy),
                    fmt(sx + 22.0 * unit),
                    fmt(cy),
                    palette::EDGE,
                    fmt(crate::layout::links::bundle_width(4) * unit)
                );
            }
            LegendItem::Flag => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\" fill-opacity=\"1\"/>",
                    fmt(sx),
                    fmt(cy - 5.0 * unit),
                    fmt(22.0 * unit),
                    fmt(10.0 * unit),
                    fmt(5.0 * unit),
                    palette::FLAG
                );
            }
        }
        let tx = sx + 30.0 * unit;
        let baseline = cy + 0.35 * size;
        let text = item.text();
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"start\">{}</text>",
            fmt(tx),
            fmt(baseline),
            fmt(size),
            palette::LABEL_TEXT,
            xml_escape(text)
        );
        let w = crate::layout::labels::text_width(text, size);
        scene.labels.push((
            Rect {
                x0: tx,
                y0: baseline - 0.78 * size,
                x1: tx + w,
                y1: baseline + 0.22 * size,
            },
            text.to_owned(),
        ));
    }
    out.push_str("</g>\n");
}

/// A small filled shape of `kind` (as the chart draws it) for the legend: a path without a
/// stroke.
fn swatch_path(kind: EntityKind, c: P, r: f32, fill: &str) -> String {
    use EntityKind as K;
    let corners: Vec<P> = match kind {
        K::Person => (0..20)
            .map(|i| {
                let a = std::f32::consts::TAU * i as f32 / 20.0;
                P {
                    x: c.x + r * a.cos(),
                    y: c.y + r * a.sin(),
                }
            })
            .collect(),
        K::Company | K::Organization | K::Account | K::Website => {
            let s = r * 0.9;
            vec![
                P {
                    x: c.x - s,
                    y: c.y - s,
                },
                P {
                    x: c.x + s,
                    y: c.y - s,
                },
                P {
                    x: c.x + s,
                    y: c.y + s,
                },
                P {
                    x: c.x - s,
                    y: c.y + s,
                },
            ]
        }
        K::Product | K::Vessel | K::Aircraft => (0..6)
            .map(|i| {
                let a = std::f32::consts::FRAC_PI_3 * i as f32;
                P {
                    x: c.x + r * a.cos(),
                    y: c.y + r * a.sin(),
                }
            })
            .collect(),
        K::Address | K::Facility | K::Jurisdiction | K::Event => {
            let r = r * 1.1;
            vec![
                P { x: c.x, y: c.y - r },
                P { x: c.x + r, y: c.y },
                P { x: c.x, y: c.y + r },
                P { x: c.x - r, y: c.y },
            ]
        }
    };
    let d: Vec<String> = corners
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{}{},{}",
                if i == 0 { "M" } else { "L" },
                fmt(p.x),
                fmt(p.y)
            )
        })
        .collect();
    format!(
        "<path d=\"{} Z\" fill=\"{fill}\" stroke=\"none\"/>",
        d.join(" ")
    )
}

/// Where a node's flag badge sits: on its top-right shoulder.
fn badge_at(pos: P) -> P {
    pos.add(P {
        x: NODE_RADIUS * 0.8,
        y: -NODE_RADIUS * 0.8,
    })
}

/// The handling marking in the picture's top-left corner.
struct Marking {
    label: &'static str,
    rect: Rect,
    text_box: Rect,
    baseline: f32,
    size: f32,
}

fn marking_box(case: &Case, frame: &FrameRect, unit: f32) -> Marking {
    let size = 13.0 * unit;
    let label = case.meta.marking.label();
    let w = (label.chars().count() as f32 * 0.72 + 1.2) * size;
    let (x, y) = (frame.min_x + 8.0 * unit, frame.min_y + 8.0 * unit);
    let (tx, baseline) = (x + 0.6 * size, y + size * 1.15);
    let tw = crate::layout::labels::text_width(label, size);
    Marking {
        label,
        rect: Rect {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + size * 1.6,
        },
        text_box: Rect {
            x0: tx,
            y0: baseline - 0.78 * size,
            x1: tx + tw,
            y1: baseline + 0.22 * size,
        },
        baseline,
        size,
    }
}

/// A placed label, line by line, with a halo in the background colour so it reads over lines;
/// a shortened one carries its whole text as a tooltip.
fn write_label(out: &mut String, l: &PlacedLabel, color: &str, class: &str, unit: f32) {
    let _ = write!(out, "<g class=\"{class}\">");
    if l.shortened {
        let _ = write!(out, "<title>{}</title>", xml_escape(&l.full));
    }
    for line in &l.lines {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" fill=\"{color}\" stroke=\"{}\" stroke-width=\"{}\" \
             stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>",
            fmt(line.x),
            fmt(line.baseline),
            fmt(l.size),
            palette::LABEL_HALO,
            fmt((l.size * 0.25).max(2.0 * unit)),
            xml_escape(&line.text)
        );
    }
    out.push_str("</g>\n");
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// The outline of a node of `kind`: circle (people), rounded square (companies, organisations,
/// accounts, websites), hexagon (products, vessels, aircraft), diamond (places and events).
fn node_shape(kind: EntityKind, c: P, fill: &str, stroke: &str, width: f32) -> String {
    use EntityKind as K;
    let r = NODE_RADIUS;
    let style = format!(
        "fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"",
        fmt(width)
    );
    match kind {
        K::Person => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {style}/>",
            fmt(c.x),
            fmt(c.y),
            fmt(r)
        ),
        K::Company | K::Organization | K::Account | K::Website => {
            let s = r * 0.9;
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {style}/>",
                fmt(c.x - s),
                fmt(c.y - s),
                fmt(2.0 * s),
                fmt(2.0 * s),
                fmt(r * 0.3)
            )
        }
        K::Product | K::Vessel | K::Aircraft => {
            let pts: Vec<String> = (0..6)
                .map(|i| {
                    let a = std::f32::consts::FRAC_PI_3 * i as f32;
                    format!("{},{}", fmt(c.x + r * a.cos()), fmt(c.y + r * a.sin()))
                })
                .collect();
            format!("<polygon points=\"{}\" {style}/>", pts.join(" "))
        }
        K::Address | K::Facility | K::Jurisdiction | K::Event => {
            let r = r * 1.1;
            format!(
                "<polygon points=\"{},{} {},{} {},{} {},{}\" {style}/>",
                fmt(c.x),
                fmt(c.y - r),
                fmt(c.x + r),
                fmt(c.y),
                fmt(c.x),
                fmt(c.y + r),
                fmt(c.x - r),
                fmt(c.y)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(fmt(1.0), "1");
        assert_eq!(fmt(1.256), "1.26");
        assert_eq!(fmt(-0.001), "0");
        assert_eq!(fmt(f32::NAN), "0");
    }

    #[test]
    fn a_collapsed_group_is_one_node_for_its_members() {
        let mut case = crate::seed_case().expect("seed");
        let group = case
            .groups
            .values_mut()
            .find(|g| g.title == "Hardware shown in the videos")
            .expect("the seed's hardware group");
        group.collapsed = true;
        let members = group.members.len();
        let svg = write(&case);
        assert!(svg.contains(&format!("Hardware shown in the videos ({members})")));
        assert!(!svg.contains(">NVIDIA H100<"));
        assert!(svg.contains(">Su Di<"));
    }

    #[test]
    fn parallel_links_are_one_line_and_the_legend_says_so() {
        let mut case = crate::seed_case().expect("seed");
        let legend = "Several links of one kind: one wider line";
        assert!(!write(&case).contains(legend));
        let first = case
            .links
            .values()
            .find(|l| l.from != l.to)
            .expect("a link")
            .clone();
        let mut twin = first.clone();
        twin.id = "l-twin".into();
        case.links.insert(twin.id.clone(), twin);
        let svg = write(&case);
        assert!(svg.contains(legend));
        assert!(
            svg.contains(&format!(">2 × {}<", first.kind.tag().label()))
                || svg.contains(">2 payments")
        );
    }

    #[test]
    fn an_empty_case_is_a_valid_picture() {
        let svg = write(&Case::default());
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
