//! Adding and deleting items from the Edit menu and its shortcuts: a new entity where the user
//! is looking, a link from the selection, a shipment, and deletion that checks what depends on
//! the deleted items first.

use super::{ChokepointApp, Modal};
use crate::edit::{Edit, references_to};
use crate::model::{ItemRef, Leg, Link, LinkKind, Place, Shipment};

impl ChokepointApp {
    /// Opens the new-entity form in the middle of the chart (showing the chart if the table
    /// was in its place): the entity is added when its name is given.
    pub(super) fn add_entity(&mut self) {
        self.commit_pending();
        self.table.open = false;
        self.canvas.open_new_entity(None);
        self.info("New entity: type its name (and country), Enter adds it");
    }

    pub(super) fn add_link(&mut self) {
        self.commit_pending();
        let from = match &self.selection {
            Some(ItemRef::Entity(id)) => Some(id.clone()),
            _ => self.case.entities.keys().next().cloned(),
        };
        let Some(from) = from else {
            self.error("Add an entity first: a link connects two entities");
            return;
        };
        let to = self
            .case
            .entities
            .keys()
            .find(|k| **k != from)
            .cloned()
            .unwrap_or_else(|| from.clone());
        let id = self.case.fresh_link_id(&format!("{from} {to}"));
        let link = Link::new(id.clone(), LinkKind::Associate, from, to);
        if self.apply_edit("Add link", Edit::Insert(link.into())) {
            self.select(Some(ItemRef::Link(id)));
            self.info("Added a link: choose its kind and ends in the inspector");
        }
    }

    pub(super) fn add_shipment(&mut self) {
        self.commit_pending();
        let reference = format!("Shipment {}", self.case.shipments.len() + 1);
        let id = self.case.fresh_shipment_id(&reference);
        let unknown = Place {
            name: "Unknown".to_owned(),
            ..Place::default()
        };
        let shipment = Shipment {
            id: id.clone(),
            reference,
            shipper: match &self.selection {
                Some(ItemRef::Entity(e)) => Some(e.clone()),
                _ => None,
            },
            legs: vec![Leg {
                from: unknown.clone(),
                to: unknown,
                ..Leg::default()
            }],
            ..Shipment::default()
        };
        if self.apply_edit("Add shipment", Edit::Insert(shipment.into())) {
            self.select(Some(ItemRef::Shipment(id)));
            self.show_tab(super::RightTab::Inspector);
            self.inspector.focus_first = true;
            self.info("Added a shipment: fill in its parties, route and goods in the inspector");
        }
    }

    /// Deletes items after checking what depends on them: links go along (with a
    /// confirmation), anything else that names a deleted entity must be changed first.
    pub(super) fn request_delete(&mut self, targets: Vec<ItemRef>) {
        self.commit_pending();
        let removing: std::collections::BTreeSet<&ItemRef> = targets.iter().collect();
        let mut blocking: Vec<(ItemRef, ItemRef)> = Vec::new();
        let mut links = std::collections::BTreeSet::new();
        for target in targets.iter().filter(|t| matches!(t, ItemRef::Entity(_))) {
            for by in references_to(&self.case, target) {
                match &by {
                    ItemRef::Link(_) => {
                        if !removing.contains(&by) {
                            links.insert(by);
                        }
                    }
                    ItemRef::Group(_) => {}
                    _ if removing.contains(&by) => {}
                    _ => blocking.push((target.clone(), by)),
                }
            }
        }
        // Links that go along must not be needed by anything that stays (evidence citing them).
        for link in &links {
            for by in references_to(&self.case, link) {
                if !removing.contains(&by) {
                    blocking.push((link.clone(), by));
                }
            }
        }
        if !blocking.is_empty() {
            let names: Vec<String> = blocking
                .iter()
                .take(8)
                .map(|(t, r)| {
                    format!(
                        "• {} is named by {}: {}",
                        self.case.item_label(t),
                        r.kind_word(),
                        self.case.item_label(r)
                    )
                })
                .collect();
            self.modal = Some(Modal::Error {
                title: "Cannot delete yet".to_owned(),
                message: format!(
                    "{} reference(s) still need the items you are deleting:\n{}\n\nChange or \
                     delete those first.",
                    blocking.len(),
                    names.join("\n")
                ),
            });
            return;
        }
        if !links.is_empty() {
            self.modal = Some(Modal::ConfirmDelete {
                targets,
                links: links.len(),
            });
            return;
        }
        self.delete(&targets);
    }

    pub(super) fn delete(&mut self, targets: &[ItemRef]) {
        let label = match targets {
            [one] => format!("Delete {}", self.case.item_label(one)),
            many => format!("Delete {} items", many.len()),
        };
        let edit = self.with_evidence_custody(Edit::remove_many(&self.case, targets), targets);
        if self.apply_edit(&label, edit) {
            if self.selection.as_ref().is_some_and(|s| targets.contains(s)) {
                self.selection = None;
            }
            self.canvas.selected.retain(|s| !targets.contains(s));
            self.info(format!("{label} (Ctrl+Z to undo)"));
        }
    }
}
