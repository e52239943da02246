//! Reading what screening and the red-flag rules take from files: screening lists (the
//! Consolidated Screening List's CSV, or any CSV with a name column) and users' rule files.
//!
//! `analysis` works on what is in memory; reading and decoding files is io's, here, so the
//! layers only ever call down (see the README's architecture section).

use crate::analysis::rules::{MAX_RULES_FILE_BYTES, RuleSet, RulesError};
use crate::analysis::screening::{
    DEMO_LIST_CSV, ListEntry, MAX_LIST_BYTES, ScreeningError, ScreeningList,
};

/// The `;`-separated values of a cell, trimmed, without empty ones or repeats.
fn split_list(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in cell.split(';').map(str::trim).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    }
    out
}

fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| header.iter().position(|h| h == n))
}

impl ScreeningList {
    /// The demonstration list shipped in `assets/screening/`.
    pub fn demo() -> Result<Self, ScreeningError> {
        Self::from_csv(DEMO_LIST_CSV, "Demonstration list")
    }

    /// Reads a list file (see `from_csv`).
    pub fn from_file(path: &std::path::Path) -> Result<Self, ScreeningError> {
        let origin = path.display().to_string();
        let err = |message: String| ScreeningError {
            origin: origin.clone(),
            message,
        };
        let bytes = super::input::read_bounded(path, MAX_LIST_BYTES as u64, "screening lists")
            .map_err(|e| err(e.reason()))?;
        let (text, _) = super::tabular::decode(&bytes);
        let label = path
            .file_name()
            .map_or_else(|| origin.clone(), |n| n.to_string_lossy().into_owned());
        Self::from_csv(&text, &label).map_err(|e| err(e.message))
    }

    /// Reads a CSV with a header row: the Consolidated Screening List's columns (`name`,
    /// `alt_names`, `source`, `_id`, `entity_number`, `type`, `programs`, `addresses`,
    /// `remarks`), or any file with a `name` column and optionally an alias column (`alt_names`,
    /// `aliases` or `alias`, `;`-separated) and a `source` or `list` column. Rows without a name
    /// are skipped; the source defaults to `label`.
    pub fn from_csv(text: &str, label: &str) -> Result<Self, ScreeningError> {
        let err = |message: String| ScreeningError {
            origin: label.to_owned(),
            message,
        };
        if text.len() > MAX_LIST_BYTES {
            return Err(err(format!(
                "the list is larger than {MAX_LIST_BYTES} bytes"
            )));
        }
        let mut rows = super::tabular::Records::new(text, ',');
        let header: Vec<String> = rows
            .next()
            .ok_or_else(|| err("the file is empty".to_owned()))?
            .map_err(|e| err(e.to_string()))?
            .fields
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let name_col = find_column(&header, &["name", "full_name", "entity_name", "names"])
            .or_else(|| {
                header
                    .iter()
                    .position(|h| h.contains("name") && !h.contains("alt") && !h.contains("alias"))
            })
            .ok_or_else(|| {
                err(format!(
                    "no name column (expected a column called \"name\"; found {})",
                    header.join(", ")
                ))
            })?;
        let alias_col = find_column(
            &header,
            &[
                "alt_names",
                "aliases",
                "alias",
                "alt_name",
                "alternate_names",
                "aka",
            ],
        );
        let source_col = find_column(&header, &["source", "list", "source_list"]);
        let id_col = find_column(&header, &["_id", "id", "entity_number", "uid"]);
        let number_col = find_column(&header, &["entity_number"]);
        let type_col = find_column(&header, &["type", "entity_type"]);
        let programs_col = find_column(&header, &["programs", "program"]);
        let addresses_col = find_column(&header, &["addresses", "address"]);
        let remarks_col = find_column(&header, &["remarks", "notes"]);
        let birth_col = find_column(
            &header,
            &[
                "dates_of_birth",
                "date_of_birth",
                "birth_date",
                "birthdate",
                "dob",
            ],
        );
        let country_cols: Vec<usize> = [
            "nationalities",
            "nationality",
            "citizenships",
            "citizenship",
            "countries",
            "country",
        ]
        .iter()
        .filter_map(|n| header.iter().position(|h| h == n))
        .collect();
        let ids_col = find_column(&header, &["ids", "identifiers", "id_numbers"]);

        let mut entries = Vec::new();
        for (i, row) in rows.enumerate() {
            let row = row.map_err(|e| err(e.to_string()))?.fields;
            let cell = |col: Option<usize>| {
                col.and_then(|c| row.get(c))
                    .map_or_else(String::new, |s| s.trim().to_owned())
            };
            let name = cell(Some(name_col));
            if name.is_empty() {
                continue;
            }
            let mut aliases: Vec<String> = cell(alias_col)
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty() && *a != name)
                .map(str::to_owned)
                .collect();
            aliases.dedup();
            let source = cell(source_col);
            let id = cell(id_col);
            let id = if id.is_empty() { cell(number_col) } else { id };
            entries.push(ListEntry {
                id: if id.is_empty() {
                    format!("row-{}", i + 2)
                } else {
                    id
                },
                name,
                aliases,
                source: if source.is_empty() {
                    label.to_owned()
                } else {
                    source
                },
                entity_type: cell(type_col),
                programs: cell(programs_col),
                addresses: cell(addresses_col),
                remarks: cell(remarks_col),
                dates_of_birth: split_list(&cell(birth_col)),
                countries: country_cols
                    .iter()
                    .flat_map(|&c| split_list(&cell(Some(c))))
                    .collect(),
                identifiers: split_list(&cell(ids_col)),
            });
        }
        if entries.is_empty() {
            return Err(err("the list has no entries with a name".to_owned()));
        }
        Ok(Self::from_entries(label, entries))
    }
}

impl RuleSet {
    /// Reads a user's rules file and adds it to the set.
    pub fn extend_from_file(&mut self, path: &std::path::Path) -> Result<(), RulesError> {
        let origin = path.display().to_string();
        let text = super::input::read_bounded_text(path, MAX_RULES_FILE_BYTES, "rules files")
            .map_err(|e| RulesError {
                origin: origin.clone(),
                message: e.reason(),
            })?;
        self.extend_from_ron(&text, &origin)
    }
}
