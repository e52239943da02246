//! Grades (Admiralty source reliability A–F, information credibility 1–6, meanings on hover),
//! handling markings and kinds: their badges and pickers.

use crate::model::{Evidence, EvidenceKind, InfoCredibility, SourceReliability, Tlp};
use crate::ui::theme;
use egui::{RichText, Ui};

// ---- grades ---------------------------------------------------------------------------------

/// The compact grade badge ("B2"), coloured by reliability, with both meanings on hover.
pub fn grade_badge_ui(ui: &mut Ui, ev: &Evidence) -> egui::Response {
    let (fill, text) = theme::grade_colors(ev.reliability, ui.visuals().dark_mode);
    ui.label(
        RichText::new(format!(" {} ", ev.grade()))
            .monospace()
            .strong()
            .background_color(fill)
            .color(text),
    )
    .on_hover_text(grade_meaning(ev))
}

/// "B2: source usually reliable; information probably true".
pub fn grade_meaning(ev: &Evidence) -> String {
    format!(
        "{}: source {} ({}); information {} ({})",
        ev.grade(),
        ev.reliability.meaning().to_lowercase(),
        ev.reliability.letter(),
        ev.credibility.meaning().to_lowercase(),
        ev.credibility.digit()
    )
}

/// One of the two Admiralty scales, so one combo box and one label serve both grades.
pub(super) trait Grade: Copy + PartialEq + 'static {
    /// Every grade, best first.
    const CHOICES: &'static [Self];
    /// The field's label, e.g. "Reliability"; lowercased, it also salts the combo's id.
    const LABEL: &'static str;
    /// A single grade's name on hover, e.g. "Source reliability".
    const NOUN: &'static str;
    /// The whole scale explained, on hover over the combo box.
    const HELP: &'static str;
    /// The grade's letter or digit.
    fn code(self) -> impl std::fmt::Display;
    fn meaning(self) -> &'static str;
}

impl Grade for SourceReliability {
    const CHOICES: &'static [Self] = &SourceReliability::ALL;
    const LABEL: &'static str = "Reliability";
    const NOUN: &'static str = "Source reliability";
    const HELP: &'static str =
        "How reliable the source is (Admiralty system, A best, F cannot be judged)";
    fn code(self) -> impl std::fmt::Display {
        self.letter()
    }
    fn meaning(self) -> &'static str {
        SourceReliability::meaning(self)
    }
}

impl Grade for InfoCredibility {
    const CHOICES: &'static [Self] = &InfoCredibility::ALL;
    const LABEL: &'static str = "Credibility";
    const NOUN: &'static str = "Information credibility";
    const HELP: &'static str =
        "How credible the information is (Admiralty system, 1 best, 6 cannot be judged)";
    fn code(self) -> impl std::fmt::Display {
        self.digit()
    }
    fn meaning(self) -> &'static str {
        InfoCredibility::meaning(self)
    }
}

/// "B — Usually reliable".
pub(super) fn grade_text<G: Grade>(g: G) -> String {
    format!("{} — {}", g.code(), g.meaning())
}

/// Reliability A–F or credibility 1–6, each choice with its meaning (also on hover).
pub(super) fn grade_combo_ui<G: Grade>(ui: &mut Ui, salt: &str, value: &mut G) -> bool {
    let before = *value;
    let label = ui.label(G::LABEL).id;
    egui::ComboBox::from_id_salt((G::LABEL.to_lowercase(), salt))
        .selected_text(grade_text(*value))
        .show_ui(ui, |ui| {
            for &g in G::CHOICES {
                ui.selectable_value(value, g, grade_text(g))
                    .on_hover_text(format!("{} {}: {}", G::NOUN, g.code(), g.meaning()));
            }
        })
        .response
        .labelled_by(label)
        .on_hover_text(G::HELP);
    *value != before
}

pub(super) fn marking_combo_ui(ui: &mut Ui, salt: &str, value: &mut Tlp) -> bool {
    let before = *value;
    let label = ui.label("Marking").id;
    let (fill, text) = theme::tlp_colors(*value);
    egui::ComboBox::from_id_salt(("marking", salt))
        .selected_text(
            RichText::new(value.label())
                .background_color(fill)
                .color(text),
        )
        .show_ui(ui, |ui| {
            for t in Tlp::ALL {
                ui.selectable_value(value, t, t.label())
                    .on_hover_text(t.meaning());
            }
        })
        .response
        .labelled_by(label)
        .on_hover_text(value.meaning());
    *value != before
}

pub(super) fn kind_combo_ui(ui: &mut Ui, salt: &str, value: &mut EvidenceKind) -> bool {
    let before = *value;
    let label = ui.label("Kind").id;
    egui::ComboBox::from_id_salt(("kind", salt))
        .selected_text(value.label())
        .show_ui(ui, |ui| {
            for k in EvidenceKind::ALL {
                ui.selectable_value(value, k, k.label());
            }
        })
        .response
        .labelled_by(label);
    *value != before
}

pub(super) fn option_combo_ui<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    value: &mut Option<T>,
    all: &[T],
    text: impl Fn(T) -> String,
) {
    let l = ui.label(label).id;
    egui::ComboBox::from_id_salt(("evidence_filter", label))
        .selected_text(value.map_or_else(|| "any".to_owned(), &text))
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "any");
            for &v in all {
                ui.selectable_value(value, Some(v), text(v));
            }
        })
        .response
        .labelled_by(l);
}
