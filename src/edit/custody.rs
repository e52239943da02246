//! The custody log: an append-only record, in the case, of who added, changed or removed
//! evidence, when, and with which file hashes.
//!
//! Entries are only ever appended, by `Edit::AppendCustody`, and always in the same `Batch` as
//! the evidence change they record (see `io::evidence`), so one undo step takes back the change
//! and its log line together: the log describes the case as it stands, never a change that was
//! undone. The inverse, `Edit::RetractCustody`, removes only the newest entry and only when it
//! is exactly the entry named, so nothing but undo can shorten the log, and only at its end.

use super::validate::{MAX_TEXT_LEN, ValidationError};
use super::{Edit, EditError};
use crate::model::{Case, CustodyEntry, ItemRef, is_valid_id};

/// Most custody entries in one case, as for any other kind of item.
const MAX_CUSTODY_ENTRIES: usize = super::validate::MAX_ITEMS_PER_KIND;

/// Checks one custody entry on its own: a well-formed evidence id, hashes of 64 hex digits or
/// none, and text within limits. The evidence need not exist any more: removals are logged.
pub fn check_custody_entry(entry: &CustodyEntry) -> Result<(), Vec<ValidationError>> {
    let item = ItemRef::Evidence(entry.evidence.clone());
    let mut errors = Vec::new();
    let mut invalid = |field: &str, message: String| {
        errors.push(ValidationError::InvalidField {
            item: item.clone(),
            field: format!("custody entry {field}"),
            message,
        });
    };
    if !is_valid_id(entry.evidence.as_str()) {
        invalid("evidence id", "is not a valid id".to_owned());
    }
    for (field, hash) in [
        ("old sha256", &entry.old_sha256),
        ("new sha256", &entry.new_sha256),
    ] {
        if !hash.is_empty() && !is_sha256_hex(hash) {
            invalid(field, "must be 64 hexadecimal digits".to_owned());
        }
    }
    for (field, text) in [("who", &entry.who), ("detail", &entry.detail)] {
        if text.len() > MAX_TEXT_LEN {
            invalid(
                field,
                format!(
                    "is too long ({} bytes; the limit is {MAX_TEXT_LEN})",
                    text.len()
                ),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether `text` is a SHA-256 digest written as 64 hexadecimal digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Case {
    pub(super) fn append_custody(&mut self, entry: CustodyEntry) -> Result<Edit, EditError> {
        check_custody_entry(&entry).map_err(EditError)?;
        if self.custody.len() >= MAX_CUSTODY_ENTRIES {
            return Err(EditError(vec![ValidationError::TooMany {
                what: "custody entries",
                count: self.custody.len() + 1,
                limit: MAX_CUSTODY_ENTRIES,
            }]));
        }
        self.custody.push(entry.clone());
        Ok(Edit::RetractCustody(Box::new(entry)))
    }

    pub(super) fn retract_custody(&mut self, entry: CustodyEntry) -> Result<Edit, EditError> {
        if self.custody.last() != Some(&entry) {
            return Err(EditError(vec![ValidationError::InvalidField {
                item: ItemRef::Evidence(entry.evidence.clone()),
                field: "custody log".to_owned(),
                message: "is append-only: only the newest entry can be taken back, by undo"
                    .to_owned(),
            }]));
        }
        self.custody.pop();
        Ok(Edit::AppendCustody(Box::new(entry)))
    }
}
