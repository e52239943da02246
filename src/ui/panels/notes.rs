//! Markdown notes in the inspector: the notes on the selected item (or on the whole case, or
//! the selected note itself), rendered as `CommonMark` with `egui_commonmark`. An `@` followed by
//! an entity's name or alias (`@Su Di`) becomes a link that selects the entity. A note is edited
//! as plain text and saved as one undoable edit.

use crate::edit::Revision;
use crate::edit::{Edit, Item};
use crate::model::{Case, EntityId, ItemRef, Note, NoteId, Timestamp};
use crate::ui::action::Action;
use egui::{RichText, Ui};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

/// Which notes to show.
pub enum NotesOf<'a> {
    /// Notes on the whole case (no subject).
    Case,
    /// Notes about one item.
    Item(&'a ItemRef),
    /// One note, selected on its own (e.g. a sticky note).
    Note(&'a NoteId),
}

/// Rendering cache and the note being edited (view state, never saved).
#[derive(Default)]
pub struct NotesState {
    cache: CommonMarkCache,
    /// Per note: the revision and text it was made from, the text with mentions linked, and
    /// the entities mentioned.
    linked: std::collections::HashMap<NoteId, Linked>,
    /// The note being edited, with its title and text as typed.
    editing: Option<(NoteId, String, String)>,
}

/// A note's text with its mentions linked, cached.
type Linked = (Revision, String, String, Vec<EntityId>);

/// Prefix of the link targets that mentions are rendered with; clicks on them are caught by
/// link hooks and never opened.
const MENTION_LINK: &str = "#chokepoint-mention-";

/// Rewrites `@Name` mentions of entities as Markdown links, returning the new text and the
/// entities mentioned (in order of first mention). The longest name or alias that follows an
/// `@` wins; the match must end at a word boundary.
pub fn link_mentions(body: &str, case: &Case) -> (String, Vec<EntityId>) {
    if !body.contains('@') {
        return (body.to_owned(), Vec::new());
    }
    let names: Vec<(String, &EntityId)> = case
        .entities
        .values()
        .flat_map(|e| {
            std::iter::once(&e.name)
                .chain(&e.aliases)
                .filter(|n| !n.trim().is_empty())
                .map(move |n| (n.to_lowercase(), &e.id))
        })
        .collect();
    let mut out = String::with_capacity(body.len() + 32);
    let mut mentioned: Vec<EntityId> = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let lower = after.to_lowercase();
        // Lower-casing can change byte lengths outside ASCII; only accept matches where it did
        // not, so the slice below stays on the original text.
        let best = names
            .iter()
            .filter(|(n, _)| {
                lower.starts_with(n.as_str())
                    && after.is_char_boundary(n.len())
                    && after[..n.len()].to_lowercase() == *n
                    && after[n.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
            })
            .max_by_key(|(n, _)| n.len());
        if let Some((n, id)) = best {
            use std::fmt::Write as _;
            let shown = &after[..n.len()];
            let _ = write!(out, "[@{shown}]({MENTION_LINK}{id})");
            if !mentioned.contains(id) {
                mentioned.push((*id).clone());
            }
            rest = &after[n.len()..];
        } else {
            out.push('@');
            rest = after;
        }
    }
    out.push_str(rest);
    (out, mentioned)
}

/// The notes section: each note rendered, with its mentions as links, an edit button, and a
/// button to add a note here.
pub fn notes_ui(
    ui: &mut Ui,
    case: &Case,
    revision: Revision,
    of: &NotesOf,
    author: &str,
    state: &mut NotesState,
    actions: &mut Vec<Action>,
) {
    let about = match of {
        NotesOf::Item(item) => Some((*item).clone()),
        NotesOf::Case | NotesOf::Note(_) => None,
    };
    let mut notes: Vec<&Note> = case
        .notes
        .values()
        .filter(|n| match of {
            NotesOf::Case => n.about.is_none(),
            NotesOf::Item(item) => n.about.as_ref() == Some(*item),
            NotesOf::Note(id) => &n.id == *id,
        })
        .collect();
    notes.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
    if !matches!(of, NotesOf::Note(_)) {
        ui.add_space(8.0);
        ui.label(RichText::new(format!("Notes ({})", notes.len())).strong());
    }
    for note in notes {
        ui.push_id(("note", note.id.as_str()), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                note_ui(ui, case, revision, note, state, actions);
            });
        });
    }
    if !matches!(of, NotesOf::Note(_))
        && ui
            .small_button("+ Note")
            .on_hover_text("A Markdown note here; write @Name to mention an entity")
            .clicked()
    {
        let now = Timestamp::now();
        let id = NoteId(Case::fresh_id(NoteId::PREFIX, "note", |id| {
            case.notes.contains_key(&NoteId::from(id))
        }));
        let note = Note {
            id: id.clone(),
            title: "Note".to_owned(),
            body: String::new(),
            about,
            author: author.trim().to_owned(),
            created: now,
            modified: now,
            canvas: None,
        };
        actions.push(Action::ApplyField {
            label: "Add note".to_owned(),
            edit: Edit::Insert(Item::from(note)),
        });
        state.editing = Some((id, "Note".to_owned(), String::new()));
    }
}

fn note_ui(
    ui: &mut Ui,
    case: &Case,
    revision: Revision,
    note: &Note,
    state: &mut NotesState,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.strong(note.title.as_str());
        let by = if note.author.is_empty() {
            String::new()
        } else {
            format!("{} · ", note.author)
        };
        ui.weak(format!("{by}{}", note.modified));
    });
    let editing = state
        .editing
        .as_ref()
        .is_some_and(|(id, _, _)| *id == note.id);
    if editing {
        let mut save = false;
        let mut cancel = false;
        if let Some((_, title, text)) = &mut state.editing {
            ui.horizontal(|ui| {
                let label = ui.label("Note title").id;
                ui.text_edit_singleline(title).labelled_by(label);
            });
            let label = ui.label("Note text (Markdown)").id;
            ui.add(
                egui::TextEdit::multiline(text)
                    .desired_rows(6)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label);
            ui.horizontal(|ui| {
                save = ui.button("Save note").clicked();
                cancel = ui.button("Cancel").clicked();
            });
        }
        if save && let Some((_, title, text)) = state.editing.take() {
            let mut changed = note.clone();
            changed.title = title;
            changed.body = text;
            changed.modified = Timestamp::now();
            actions.push(Action::ApplyField {
                label: format!("Edit note {}", note.title),
                edit: Edit::Replace(Item::from(changed)),
            });
        } else if cancel {
            state.editing = None;
        }
        return;
    }
    // Finding mentions looks at every entity name: once per note and revision, not per frame.
    let fresh = state
        .linked
        .get(&note.id)
        .is_some_and(|(r, body, _, _)| *r == revision && *body == note.body);
    if !fresh {
        let (text, ids) = link_mentions(&note.body, case);
        state
            .linked
            .insert(note.id.clone(), (revision, note.body.clone(), text, ids));
    }
    let (text, mentioned) = match state.linked.get(&note.id) {
        Some((_, _, text, ids)) => (text.clone(), ids.clone()),
        None => (note.body.clone(), Vec::new()),
    };
    for id in &mentioned {
        let hook = format!("{MENTION_LINK}{id}");
        if state.cache.get_link_hook(&hook).is_none() {
            state.cache.add_link_hook(hook);
        }
    }
    if text.trim().is_empty() {
        ui.weak("(empty)");
    } else {
        CommonMarkViewer::new().show(ui, &mut state.cache, &text);
    }
    for id in mentioned {
        if state.cache.get_link_hook(&format!("{MENTION_LINK}{id}")) == Some(true) {
            actions.push(Action::Select(ItemRef::Entity(id)));
        }
    }
    if ui.small_button("Edit note").clicked() {
        state.editing = Some((note.id.clone(), note.title.clone(), note.body.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, EntityKind};

    #[test]
    fn mentions_become_links_to_entities() {
        let mut case = Case::default();
        let mut su = Entity::new(EntityId::from("e-su-di"), EntityKind::Person, "Su Di");
        su.aliases.push("苏菂".into());
        case.entities.insert(su.id.clone(), su);
        let kun = Entity::new(EntityId::from("e-kln"), EntityKind::Company, "Kun Lun Nest");
        case.entities.insert(kun.id.clone(), kun);
        let (text, ids) = link_mentions(
            "Ask @su di and @苏菂 about @Kun Lun Nest's racks; mail me@example.org.",
            &case,
        );
        assert_eq!(
            text,
            "Ask [@su di](#chokepoint-mention-e-su-di) and [@苏菂](#chokepoint-mention-e-su-di) \
             about [@Kun Lun Nest](#chokepoint-mention-e-kln)'s racks; mail me@example.org."
        );
        assert_eq!(ids, [EntityId::from("e-su-di"), EntityId::from("e-kln")]);
        assert_eq!(
            link_mentions("no mentions", &case).1,
            Vec::<EntityId>::new()
        );
    }
}
