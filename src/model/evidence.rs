//! Evidence items, their grades, and the claims they support; the custody log.

use super::common::{PartialDate, Timestamp, Tlp};
use super::ids::{EvidenceId, ItemRef};
use serde::{Deserialize, Serialize};

/// What sort of source an evidence item is.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum EvidenceKind {
    #[default]
    Document,
    WebPage,
    SocialMediaPost,
    Video,
    Image,
    /// Bill of lading, invoice, customs declaration.
    TradeRecord,
    CorporateRegistryExtract,
    Testimony,
    PressReport,
    /// Official statement, indictment, court filing.
    OfficialStatement,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 10] = [
        EvidenceKind::Document,
        EvidenceKind::WebPage,
        EvidenceKind::SocialMediaPost,
        EvidenceKind::Video,
        EvidenceKind::Image,
        EvidenceKind::TradeRecord,
        EvidenceKind::CorporateRegistryExtract,
        EvidenceKind::Testimony,
        EvidenceKind::PressReport,
        EvidenceKind::OfficialStatement,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::Document => "Document",
            EvidenceKind::WebPage => "Web page",
            EvidenceKind::SocialMediaPost => "Social media post",
            EvidenceKind::Video => "Video",
            EvidenceKind::Image => "Image",
            EvidenceKind::TradeRecord => "Trade record",
            EvidenceKind::CorporateRegistryExtract => "Corporate registry extract",
            EvidenceKind::Testimony => "Testimony / interview",
            EvidenceKind::PressReport => "Press report",
            EvidenceKind::OfficialStatement => "Official statement / indictment",
        }
    }
}

/// Admiralty-system source reliability, A (completely reliable) to F (cannot be judged).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum SourceReliability {
    A,
    B,
    C,
    D,
    E,
    #[default]
    F,
}

impl SourceReliability {
    pub const ALL: [SourceReliability; 6] = [
        SourceReliability::A,
        SourceReliability::B,
        SourceReliability::C,
        SourceReliability::D,
        SourceReliability::E,
        SourceReliability::F,
    ];

    pub fn letter(self) -> char {
        match self {
            SourceReliability::A => 'A',
            SourceReliability::B => 'B',
            SourceReliability::C => 'C',
            SourceReliability::D => 'D',
            SourceReliability::E => 'E',
            SourceReliability::F => 'F',
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            SourceReliability::A => "Completely reliable",
            SourceReliability::B => "Usually reliable",
            SourceReliability::C => "Fairly reliable",
            SourceReliability::D => "Not usually reliable",
            SourceReliability::E => "Unreliable",
            SourceReliability::F => "Reliability cannot be judged",
        }
    }
}

/// Admiralty-system information credibility, 1 (confirmed) to 6 (cannot be judged).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum InfoCredibility {
    Confirmed,
    ProbablyTrue,
    PossiblyTrue,
    DoubtfullyTrue,
    Improbable,
    #[default]
    CannotBeJudged,
}

impl InfoCredibility {
    pub const ALL: [InfoCredibility; 6] = [
        InfoCredibility::Confirmed,
        InfoCredibility::ProbablyTrue,
        InfoCredibility::PossiblyTrue,
        InfoCredibility::DoubtfullyTrue,
        InfoCredibility::Improbable,
        InfoCredibility::CannotBeJudged,
    ];

    pub fn digit(self) -> u8 {
        match self {
            InfoCredibility::Confirmed => 1,
            InfoCredibility::ProbablyTrue => 2,
            InfoCredibility::PossiblyTrue => 3,
            InfoCredibility::DoubtfullyTrue => 4,
            InfoCredibility::Improbable => 5,
            InfoCredibility::CannotBeJudged => 6,
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            InfoCredibility::Confirmed => "Confirmed by other sources",
            InfoCredibility::ProbablyTrue => "Probably true",
            InfoCredibility::PossiblyTrue => "Possibly true",
            InfoCredibility::DoubtfullyTrue => "Doubtful",
            InfoCredibility::Improbable => "Improbable",
            InfoCredibility::CannotBeJudged => "Truth cannot be judged",
        }
    }
}

/// Where the evidence lives. Nothing is ever fetched: a URL is a citation, not a download.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EvidenceSource {
    /// A file copied into the case's `evidence/` folder.
    File {
        /// Path relative to the case file's folder, e.g. `evidence/bl-0042.pdf`.
        path: String,
        sha256: String,
        size_bytes: u64,
        original_name: String,
    },
    /// A URL or bibliographic citation, with an optional archive reference.
    Reference { citation: String, archive: String },
    /// A quote or transcript pasted in.
    Text(String),
}

impl Default for EvidenceSource {
    fn default() -> Self {
        EvidenceSource::Reference {
            citation: String::new(),
            archive: String::new(),
        }
    }
}

/// A statement that an evidence item supports a claim about an item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClaimSupport {
    pub target: Option<ItemRef>,
    /// The specific claim, e.g. "quantity", "suspected end user", "ownership percent".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub claim: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub excerpt: String,
    /// Page, paragraph or timestamp (e.g. "00:42").
    #[serde(skip_serializing_if = "String::is_empty")]
    pub locator: String,
}

/// A piece of evidence with its grade and handling marking.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Evidence {
    pub id: EvidenceId,
    pub title: String,
    pub kind: EvidenceKind,
    pub source: EvidenceSource,
    /// When the source was published or the event it records happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// When the investigator captured it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<Timestamp>,
    pub reliability: SourceReliability,
    pub credibility: InfoCredibility,
    pub marking: Tlp,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supports: Vec<ClaimSupport>,
}

impl Evidence {
    /// The combined Admiralty grade, e.g. "B2".
    pub fn grade(&self) -> String {
        format!("{}{}", self.reliability.letter(), self.credibility.digit())
    }

    /// The stored file of a file-backed item ([`EvidenceSource::File`]), borrowed; `None` for a
    /// reference or pasted text.
    pub fn stored_file(&self) -> Option<StoredFile<'_>> {
        match &self.source {
            EvidenceSource::File {
                path,
                sha256,
                size_bytes,
                original_name,
            } => Some(StoredFile {
                path,
                sha256,
                size_bytes: *size_bytes,
                original_name,
            }),
            EvidenceSource::Reference { .. } | EvidenceSource::Text(_) => None,
        }
    }
}

/// A borrowed view of an [`EvidenceSource::File`], from [`Evidence::stored_file`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredFile<'a> {
    /// Path relative to the case file's folder, e.g. `evidence/bl-0042.pdf`.
    pub path: &'a str,
    /// The SHA-256 recorded when the file was attached, in hexadecimal.
    pub sha256: &'a str,
    pub size_bytes: u64,
    /// The file's name before it was copied in; may be empty.
    pub original_name: &'a str,
}

/// What happened to an evidence item, for the custody log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustodyAction {
    #[default]
    Added,
    Modified,
    Removed,
    Verified,
}

/// One line of the append-only custody log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CustodyEntry {
    pub at: Timestamp,
    pub who: String,
    pub action: CustodyAction,
    pub evidence: EvidenceId,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub old_sha256: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub new_sha256: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl From<String> for EvidenceId {
    fn from(s: String) -> Self {
        EvidenceId(s)
    }
}
