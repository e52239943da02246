//! Label placement for pictures of a case, without egui: node names, link and shipment
//! labels, group and note titles placed so that no label overlaps another or covers a node.
//!
//! Labels are placed one at a time, most important first (what is highlighted or flagged, then
//! well-connected entities, then link and shipment labels), each at the first free candidate
//! position: for a node, below it, then above, right, left and the four diagonals; for an edge,
//! at points along its curve. A name that fits nowhere in full is tried wrapped to two lines,
//! then shortened with an ellipsis (the whole name is kept in [`PlacedLabel::full`] for a
//! tooltip); a label that fits nowhere even then is dropped, so a crowded picture loses its
//! least important labels first rather than stacking them. Labels never leave the picture's
//! frame, so a picture never spills past its edge.
//!
//! Text boxes are estimated from the font size as the legibility yardstick estimates them
//! (0.56 em a Latin glyph, 1 em a CJK one; the box from 0.78 em above the baseline to 0.22 em
//! below), so what this module avoids is exactly what [`super::legibility`] counts.

use crate::model::CanvasPoint;
use std::collections::HashMap;

/// An axis-aligned box in canvas units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    /// Whether the two boxes overlap by more than `pad` on both axes.
    pub fn overlaps(&self, o: &Rect, pad: f32) -> bool {
        self.x0 < o.x1 - pad && o.x0 < self.x1 - pad && self.y0 < o.y1 - pad && o.y0 < self.y1 - pad
    }

    /// The box grown by `by` on every side.
    #[must_use]
    pub fn grown(&self, by: f32) -> Rect {
        Rect {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }

    /// Whether `o` lies wholly inside this box.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }

    /// Whether the box meets the disc of radius `r` around `c`.
    pub fn meets_disc(&self, c: CanvasPoint, r: f32) -> bool {
        let dx = c.x - c.x.clamp(self.x0, self.x1);
        let dy = c.y - c.y.clamp(self.y0, self.y1);
        dx * dx + dy * dy < r * r
    }
}

/// A round obstacle: a node's shape (by its outer radius) or a badge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Disc {
    pub c: CanvasPoint,
    pub r: f32,
}

/// Width of `ch` at font size `size`, as the legibility yardstick estimates it.
pub fn glyph_width(ch: char, size: f32) -> f32 {
    let o = u32::from(ch);
    if (0x2E80..=0x9FFF).contains(&o)
        || (0xAC00..=0xD7AF).contains(&o)
        || (0xFF00..=0xFFEF).contains(&o)
    {
        size
    } else {
        0.56 * size
    }
}

/// Estimated width of `text` at font size `size`.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.trim().chars().map(|c| glyph_width(c, size)).sum()
}

/// The box of one line of text centred on `x` with its baseline at `baseline`.
pub fn line_box(text: &str, size: f32, x: f32, baseline: f32) -> Rect {
    let w = text_width(text, size);
    Rect {
        x0: x - w / 2.0,
        y0: baseline - 0.78 * size,
        x1: x + w / 2.0,
        y1: baseline + 0.22 * size,
    }
}

/// One line of a placed label: its text, centred on `x`, baseline at `baseline`.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelLine {
    pub text: String,
    pub x: f32,
    pub baseline: f32,
    pub rect: Rect,
}

/// A label as placed: one or two lines, the font size, and the whole text (for a tooltip when
/// the lines shorten it).
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    pub lines: Vec<LabelLine>,
    pub size: f32,
    pub full: String,
    /// The lines shorten the text (an ellipsis), so a tooltip should show [`Self::full`].
    pub shortened: bool,
}

/// `text` shortened to `max` characters with an ellipsis (unchanged when it is short enough).
pub fn ellipsis(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
        t = t.trim_end().to_owned();
        t.push('…');
        t
    }
}

/// `text` split into two lines at the space nearest its middle, when it has one.
fn two_lines(text: &str) -> Option<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mid = chars.len() / 2;
    let split = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(mid))?;
    let first: String = chars[..split].iter().collect();
    let second: String = chars[split + 1..].iter().collect();
    (!first.trim().is_empty() && !second.trim().is_empty())
        .then(|| (first.trim().to_owned(), second.trim().to_owned()))
}

/// The forms a label may take, longest first: whole, on two lines, then shorter and shorter
/// with an ellipsis (never below eight characters: a stub that says nothing is dropped).
fn variants(text: &str, longest: usize) -> Vec<Vec<String>> {
    let mut out = vec![vec![ellipsis(text, longest)]];
    let n = text.chars().count();
    if n > 16
        && let Some((a, b)) = two_lines(&ellipsis(text, longest.saturating_mul(2)))
    {
        out.push(vec![ellipsis(&a, longest), ellipsis(&b, longest)]);
    }
    for max in [28, 18, 12, 8] {
        if n > max && max < longest {
            out.push(vec![ellipsis(text, max)]);
        }
    }
    out
}

/// Side of a uniform grid cell for the spatial index, in canvas units.
const CELL: f32 = 96.0;
/// Clearance kept between a label and anything it must not touch.
const CLEAR: f32 = 2.0;

/// Measures the width of a line of text at a font size.
pub type Measure = std::rc::Rc<dyn Fn(&str, f32) -> f32>;

/// How a placer measures text: by default as the legibility yardstick estimates it (a box of
/// one em per line, lines 1.15 em apart, no padding); a screen that draws with real fonts
/// gives its own measure, the height of its text rows and the padding of the box drawn
/// behind each label.
#[derive(Clone)]
pub struct TextMetrics {
    /// Width of a line of text at a size, or `None` for [`text_width`].
    pub measure: Option<Measure>,
    /// Height of a line's box, in em.
    pub line_em: f32,
    /// Space kept on the left and right of each line (the drawn background box).
    pub pad_x: f32,
}

impl Default for TextMetrics {
    fn default() -> Self {
        Self {
            measure: None,
            line_em: 1.0,
            pad_x: 0.0,
        }
    }
}

impl TextMetrics {
    fn width(&self, text: &str, size: f32) -> f32 {
        self.measure
            .as_ref()
            .map_or_else(|| text_width(text, size), |m| m(text, size))
    }
}

/// Places labels one at a time among nodes, badges and the labels already placed.
pub struct LabelPlacer {
    metrics: TextMetrics,
    frame: Rect,
    discs: Vec<Disc>,
    rects: Vec<Rect>,
    disc_cells: HashMap<(i32, i32), Vec<usize>>,
    rect_cells: HashMap<(i32, i32), Vec<usize>>,
    /// Labels that fitted nowhere and were left out.
    pub dropped: usize,
    /// Labels drawn shortened with an ellipsis.
    pub shortened: usize,
}

fn cells(r: &Rect) -> impl Iterator<Item = (i32, i32)> {
    let (cx0, cy0) = ((r.x0 / CELL).floor() as i32, (r.y0 / CELL).floor() as i32);
    let (cx1, cy1) = ((r.x1 / CELL).floor() as i32, (r.y1 / CELL).floor() as i32);
    // A degenerate, huge box would enumerate too many cells; the grid caps it.
    let (cx1, cy1) = (cx1.min(cx0 + 512), cy1.min(cy0 + 512));
    (cx0..=cx1).flat_map(move |x| (cy0..=cy1).map(move |y| (x, y)))
}

impl LabelPlacer {
    /// A placer for a picture framed by `frame`, with `discs` (nodes, badges) to keep clear of.
    pub fn new(frame: Rect, discs: Vec<Disc>) -> Self {
        let mut disc_cells: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
        for (i, d) in discs.iter().enumerate() {
            let bounds = Rect {
                x0: d.c.x - d.r,
                y0: d.c.y - d.r,
                x1: d.c.x + d.r,
                y1: d.c.y + d.r,
            };
            for cell in cells(&bounds) {
                disc_cells.entry(cell).or_default().push(i);
            }
        }
        Self {
            metrics: TextMetrics::default(),
            frame,
            discs,
            rects: Vec::new(),
            disc_cells,
            rect_cells: HashMap::new(),
            dropped: 0,
            shortened: 0,
        }
    }

    /// The same placer measuring text by `metrics`.
    #[must_use]
    pub fn with_metrics(mut self, metrics: TextMetrics) -> Self {
        self.metrics = metrics;
        self
    }

    /// Width of a line of `text` at `size`, as this placer measures it.
    pub fn text_width(&self, text: &str, size: f32) -> f32 {
        self.metrics.width(text, size)
    }

    /// Whether a label box may go at `r`: inside the frame, clear of every disc and label.
    pub fn is_free(&self, r: &Rect) -> bool {
        if !self.frame.contains(r) {
            return false;
        }
        let g = r.grown(CLEAR);
        for cell in cells(&g) {
            if let Some(ds) = self.disc_cells.get(&cell)
                && ds
                    .iter()
                    .any(|&i| g.meets_disc(self.discs[i].c, self.discs[i].r))
            {
                return false;
            }
            if let Some(rs) = self.rect_cells.get(&cell)
                && rs.iter().any(|&i| g.overlaps(&self.rects[i], 0.0))
            {
                return false;
            }
        }
        true
    }

    /// Reserves `r` (a box drawn at a fixed place, such as the handling marking).
    pub fn reserve(&mut self, r: Rect) {
        let i = self.rects.len();
        for cell in cells(&r) {
            self.rect_cells.entry(cell).or_default().push(i);
        }
        self.rects.push(r);
    }

    /// Lines of `lines` stacked from `top` down, centred on `x`.
    fn stack(&self, lines: &[String], size: f32, x: f32, top: f32) -> Vec<LabelLine> {
        let m = &self.metrics;
        let step = size * (m.line_em + 0.15);
        lines
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let baseline = top + 0.78 * size * m.line_em + k as f32 * step;
                let rect = if m.measure.is_none() && m.line_em == 1.0 && m.pad_x == 0.0 {
                    line_box(t, size, x, baseline)
                } else {
                    let w = m.width(t, size);
                    Rect {
                        x0: x - w / 2.0 - m.pad_x,
                        y0: baseline - 0.78 * size * m.line_em,
                        x1: x + w / 2.0 + m.pad_x,
                        y1: baseline + 0.22 * size * m.line_em,
                    }
                };
                LabelLine {
                    text: t.clone(),
                    x,
                    baseline,
                    rect,
                }
            })
            .collect()
    }

    /// Tries every form of `text` at every place `at` proposes (the top-left corner of the
    /// label's box given its width and height) and keeps the first that is free. `forced`
    /// keeps the first form at the first place when nothing is free (a group's title).
    fn place_with(
        &mut self,
        text: &str,
        size: f32,
        longest: usize,
        forced: bool,
        at: &dyn Fn(f32, f32) -> Vec<CanvasPoint>,
    ) -> Option<PlacedLabel> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let forms = variants(text, longest);
        let mut first: Option<Vec<LabelLine>> = None;
        for (n, form) in forms.iter().enumerate() {
            let m = &self.metrics;
            let w = form
                .iter()
                .map(|l| m.width(l, size) + 2.0 * m.pad_x)
                .fold(0.0, f32::max);
            let h = size * (m.line_em + (m.line_em + 0.15) * (form.len() as f32 - 1.0));
            for corner in at(w, h) {
                let lines = self.stack(form, size, corner.x + w / 2.0, corner.y);
                if first.is_none() {
                    first = Some(lines.clone());
                }
                if lines.iter().all(|l| self.is_free(&l.rect)) {
                    return Some(self.commit(lines, size, text, n > 0 && form.concat() != text));
                }
            }
        }
        if forced && let Some(lines) = first {
            return Some(self.commit(lines, size, text, false));
        }
        self.dropped += 1;
        None
    }

    fn commit(&mut self, lines: Vec<LabelLine>, size: f32, full: &str, short: bool) -> PlacedLabel {
        for l in &lines {
            self.reserve(l.rect);
        }
        let shortened = short || lines.iter().any(|l| l.text.ends_with('…'));
        if shortened {
            self.shortened += 1;
        }
        PlacedLabel {
            lines,
            size,
            full: full.to_owned(),
            shortened,
        }
    }

    /// The name of the node at `c` of radius `r`: below it, above, right, left, then the
    /// diagonals.
    pub fn node_label(
        &mut self,
        c: CanvasPoint,
        r: f32,
        text: &str,
        size: f32,
    ) -> Option<PlacedLabel> {
        let gap = 4.0;
        self.place_with(text, size, 40, false, &|w, h| {
            let (cx, cy) = (c.x - w / 2.0, c.y - h / 2.0);
            let p = |x, y| CanvasPoint { x, y };
            let (below, above) = (c.y + r + gap, c.y - r - gap - h);
            let (right, left) = (c.x + r + gap, c.x - r - gap - w);
            let (dr, dl) = (c.x + r * 0.6, c.x - r * 0.6 - w);
            vec![
                p(cx, below),
                p(cx, above),
                p(right, cy),
                p(left, cy),
                p(dr, below),
                p(dl, below),
                p(dr, above),
                p(dl, above),
                p(cx, below + h + gap),
                p(cx, above - h - gap),
            ]
        })
    }

    /// A label along an edge: centred on the first free point of `along` (points on its curve,
    /// best first).
    pub fn edge_label(
        &mut self,
        along: &[CanvasPoint],
        text: &str,
        size: f32,
    ) -> Option<PlacedLabel> {
        self.place_with(text, size, 40, false, &|w, h| {
            along
                .iter()
                .map(|p| CanvasPoint {
                    x: p.x - w / 2.0,
                    y: p.y - h / 2.0,
                })
                .collect()
        })
    }

    /// A title at one of `corners` (top-left corners of its box, best first); kept at the first
    /// when none is free, since a group without its title would say less than an overlap.
    pub fn title(&mut self, corners: &[CanvasPoint], text: &str, size: f32) -> Option<PlacedLabel> {
        self.place_with(text, size, 40, true, &|_, _| corners.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f32, y: f32) -> CanvasPoint {
        CanvasPoint { x, y }
    }

    fn frame() -> Rect {
        Rect {
            x0: -1000.0,
            y0: -1000.0,
            x1: 1000.0,
            y1: 1000.0,
        }
    }

    #[test]
    fn crowded_names_move_aside_shorten_or_drop_but_never_overlap() {
        // A row of nodes closer together than their names are wide.
        let nodes: Vec<Disc> = (0..12)
            .map(|i| Disc {
                c: p(i as f32 * 60.0, 0.0),
                r: 22.0,
            })
            .collect();
        let mut placer = LabelPlacer::new(frame(), nodes.clone());
        let mut placed = Vec::new();
        for d in &nodes {
            if let Some(l) = placer.node_label(d.c, d.r, "Lumen Strait Trading Pte Ltd", 13.0) {
                placed.push(l);
            }
        }
        let boxes: Vec<Rect> = placed
            .iter()
            .flat_map(|l| l.lines.iter().map(|x| x.rect))
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b, 0.0), "{a:?} {b:?}");
            }
            for d in &nodes {
                assert!(!a.meets_disc(d.c, d.r), "{a:?} on {d:?}");
            }
        }
        assert!(
            placed.len() >= 6,
            "most names still shown: {}",
            placed.len()
        );
        assert_eq!(placed.len() + placer.dropped, nodes.len());
    }

    #[test]
    fn a_lone_name_sits_below_its_node_whole() {
        let mut placer = LabelPlacer::new(
            frame(),
            vec![Disc {
                c: p(0.0, 0.0),
                r: 22.0,
            }],
        );
        let l = placer
            .node_label(p(0.0, 0.0), 22.0, "Su Di", 13.0)
            .expect("placed");
        assert_eq!(l.lines.len(), 1);
        assert_eq!(l.lines[0].text, "Su Di");
        assert!(l.lines[0].rect.y0 > 22.0);
        assert!(!l.shortened);
    }

    #[test]
    fn labels_stay_inside_the_frame() {
        let small = Rect {
            x0: -40.0,
            y0: -40.0,
            x1: 40.0,
            y1: 60.0,
        };
        let mut placer = LabelPlacer::new(
            small,
            vec![Disc {
                c: p(0.0, 0.0),
                r: 22.0,
            }],
        );
        let l = placer.node_label(p(0.0, 0.0), 22.0, "A very long company name indeed", 13.0);
        let l = l.expect("a shortened name fits");
        assert!(l.lines.iter().all(|x| small.contains(&x.rect)));
        assert!(l.shortened, "{:?}", l.lines);
    }

    #[test]
    fn ellipsis_keeps_short_text_and_marks_a_cut() {
        assert_eq!(ellipsis("Su Di", 8), "Su Di");
        assert_eq!(ellipsis("Orchid Bay Logistics", 8), "Orchid…");
        assert_eq!(
            two_lines("Orchid Bay Logistics"),
            Some(("Orchid Bay".into(), "Logistics".into()))
        );
        assert_eq!(two_lines("苏菂"), None);
    }
}
