//! Copy and paste on the canvas: Ctrl+C puts the selected entities, the links among them and
//! their places on the clipboard as RON; Ctrl+V pastes them with fresh ids beside the pointer,
//! one undo step; text from elsewhere is refused politely.

use super::{CLIP_MARKER, Canvas};
use crate::edit::Edit;
use crate::model::{CanvasPoint, Case, Entity, EntityId, ItemRef, Link, NodePosition};
use crate::ui::action::Action;
use egui::{Pos2, Vec2, vec2};
use std::collections::{BTreeSet, HashMap, HashSet};

impl Canvas {
    pub(super) fn copy_selection(&self, case: &Case) -> Option<String> {
        let ids: BTreeSet<&EntityId> = self
            .selected
            .iter()
            .filter_map(|i| match i {
                ItemRef::Entity(id) => Some(id),
                _ => None,
            })
            .collect();
        if ids.is_empty() {
            return None;
        }
        let clip = Clip {
            entities: ids
                .iter()
                .filter_map(|id| case.entities.get(*id).cloned())
                .collect(),
            links: case
                .links
                .values()
                .filter(|l| ids.contains(&l.from) && ids.contains(&l.to))
                .cloned()
                .collect(),
            positions: ids
                .iter()
                .filter_map(|id| {
                    let i = self.scene.node_of(id)?;
                    let p = self.scene.nodes[i].pos;
                    Some(((*id).clone(), CanvasPoint { x: p.x, y: p.y }))
                })
                .collect(),
        };
        let body = ron::ser::to_string_pretty(&clip, ron::ser::PrettyConfig::default()).ok()?;
        Some(format!("{CLIP_MARKER}{body}"))
    }

    pub(super) fn paste(&mut self, case: &Case, text: &str, at: Pos2, actions: &mut Vec<Action>) {
        let Some(body) = text.strip_prefix(CLIP_MARKER) else {
            actions.push(Action::Info(
                "The clipboard holds no Chokepoint entities to paste".into(),
            ));
            return;
        };
        let clip: Clip = match ron::from_str(body) {
            Ok(c) => c,
            Err(e) => {
                actions.push(Action::Error(format!("Cannot paste: {e}")));
                return;
            }
        };
        match build_paste(case, clip, at) {
            Ok((edit, pasted)) => {
                let count = pasted.len();
                self.selected = pasted.into_iter().map(ItemRef::Entity).collect();
                self.primary = self.selected.first().cloned();
                // No `select`: the app would make the primary the only selection, and all the
                // pasted entities stay selected (a drag moves them together). The inspector
                // shows the primary once the edit is in.
                actions.push(Action::Apply {
                    label: format!("Paste {count} entities"),
                    edit,
                    select: None,
                });
                actions.push(Action::Focus(self.primary.clone()));
            }
            Err(e) => actions.push(Action::Error(format!("Cannot paste: {e}"))),
        }
    }
}

/// What Ctrl+C puts on the clipboard: entities, the links among them, and their places.
#[derive(serde::Serialize, serde::Deserialize)]
struct Clip {
    entities: Vec<Entity>,
    links: Vec<Link>,
    positions: Vec<(EntityId, CanvasPoint)>,
}

/// Pasted entities get fresh ids (links follow them), placed around `at`; one undo step.
fn build_paste(case: &Case, clip: Clip, at: Pos2) -> Result<(Edit, Vec<EntityId>), String> {
    if clip.entities.is_empty() {
        return Err("nothing to paste".into());
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut renamed: HashMap<EntityId, EntityId> = HashMap::new();
    let mut edits = Vec::new();
    // One allocator for the whole paste: many copies of one name stay linear.
    let mut fresh_ids = crate::model::FreshIds::default();
    for mut e in clip.entities {
        let fresh = fresh_ids.fresh("e", &e.name, |s| {
            taken.contains(s) || case.entities.contains_key(&EntityId::new(s))
        });
        taken.insert(fresh.clone());
        let new_id = EntityId::new(fresh);
        renamed.insert(e.id.clone(), new_id.clone());
        e.id = new_id;
        edits.push(Edit::Insert(e.into()));
    }
    let mut link_taken: HashSet<String> = HashSet::new();
    for mut l in clip.links {
        let (Some(from), Some(to)) = (renamed.get(&l.from), renamed.get(&l.to)) else {
            continue;
        };
        l.from = from.clone();
        l.to = to.clone();
        let fresh = fresh_ids.fresh("l", &format!("{} {}", l.from, l.to), |s| {
            link_taken.contains(s) || case.links.contains_key(&crate::model::LinkId::new(s))
        });
        link_taken.insert(fresh.clone());
        l.id = crate::model::LinkId::new(fresh);
        edits.push(Edit::Insert(l.into()));
    }
    // Keep the copied arrangement, centred on the paste point.
    let n = clip.positions.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let centre = clip
        .positions
        .iter()
        .fold(Vec2::ZERO, |acc, (_, p)| acc + vec2(p.x, p.y))
        / n as f32;
    let positions: Vec<(EntityId, Option<NodePosition>)> = clip
        .positions
        .iter()
        .filter_map(|(id, p)| {
            let new = renamed.get(id)?;
            Some((
                new.clone(),
                Some(NodePosition {
                    x: at.x + p.x - centre.x,
                    y: at.y + p.y - centre.y,
                    pinned: false,
                }),
            ))
        })
        .collect();
    edits.push(Edit::SetPositions(positions));
    let mut pasted: Vec<EntityId> = renamed.into_values().collect();
    pasted.sort();
    // Entities the clipboard holds no place for get one around the paste point.
    let edit = crate::layout::picture::with_places_for_new_entities(
        case,
        Edit::Batch(edits),
        Some(CanvasPoint { x: at.x, y: at.y }),
    );
    Ok((edit, pasted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::canvas::scene::{Filters, Scene};

    #[test]
    fn paste_gives_fresh_ids_and_keeps_links_between_copies() {
        let mut case = crate::seed_case().expect("seed");
        let link = case.links.values().next().expect("a link").clone();
        let mut canvas = Canvas {
            scene: Scene::build(&case, &Filters::default()),
            selected: [
                ItemRef::Entity(link.from.clone()),
                ItemRef::Entity(link.to.clone()),
            ]
            .into(),
            ..Canvas::default()
        };
        let text = canvas.copy_selection(&case).expect("copied");
        let mut actions = Vec::new();
        canvas.paste(&case, &text, egui::pos2(5000.0, 5000.0), &mut actions);
        let Some(Action::Apply { edit, .. }) = actions
            .into_iter()
            .find(|a| matches!(a, Action::Apply { .. }))
        else {
            panic!("expected an edit");
        };
        let entities = case.entities.len();
        let links = case.links.len();
        case.apply(edit).expect("paste applies");
        assert_eq!(case.entities.len(), entities + 2);
        assert!(case.links.len() > links);
        assert!(crate::edit::check_case(&case).is_empty());
    }

    #[test]
    fn foreign_clipboard_text_is_refused_politely() {
        let case = crate::seed_case().expect("seed");
        let mut canvas = Canvas::default();
        let mut actions = Vec::new();
        canvas.paste(&case, "hello", Pos2::ZERO, &mut actions);
        assert!(matches!(actions.as_slice(), [Action::Info(_)]));
    }
}
