//! Analysis: pure functions over `&Case`. Graph measures (petgraph), flows, the red-flag rules
//! engine and offline name screening. Nothing here draws or touches files the user did not name.
//!
//! - [`graph`]: `CaseGraph::build(&case)` (cache it by history revision), then paths,
//!   components, degree / betweenness / `PageRank`, common neighbours; `trace_downstream`.
//! - [`flows`]: quantities and values by route (origin → transit → destination) and by party,
//!   each currency and unit kept apart; monthly totals for the timeline.
//! - [`rules`]: `RuleSet::builtin()` (+ `extend_from_file` for a user's rules) and
//!   `evaluate(&case, &rules, &today)` → findings with explanations, items and evidence.
//! - [`screening`]: `ScreeningList::demo()` / `from_file(csv)`, `screen(&case, &list,
//!   threshold)` → hits, `screening_findings` turns them into findings.
//! - [`names`]: the name normalisation and similarity screening rests on.
//! - [`timeline`]: dated shipments, payments and events in lanes (by route or party), goods
//!   per month, and what was active in a time window (the canvas hides the rest).

pub mod flows;
pub mod graph;
pub mod names;
pub mod rules;
pub mod screening;
pub mod timeline;
pub mod view_window;

pub use graph::{CaseGraph, Centrality, Path, Reach, ranked, trace_downstream};
pub use rules::{Finding, RuleSet, Severity, evaluate};
pub use screening::{ScreeningHit, ScreeningList, screen, screening_findings};

/// Rule findings and screening findings together, most severe first (rule findings before
/// screening findings of the same severity), as the findings panel and `chokepoint findings`
/// show them, as of `today`.
pub fn all_findings(
    case: &crate::model::Case,
    rules: &RuleSet,
    hits: &[ScreeningHit],
    today: &crate::model::PartialDate,
) -> Vec<Finding> {
    let mut out = evaluate(case, rules, today);
    out.extend(screening_findings(case, hits));
    // Stable sort: within a severity, rule order and then screening order are kept.
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// Screening hits of `case` against `lists` at `threshold`, and every finding (rules and
/// screening together, see [`all_findings`]): the one computation behind the app's Findings
/// tab, `chokepoint findings` and the findings count of `chokepoint check`.
pub fn findings_and_hits<'a>(
    case: &crate::model::Case,
    rules: &RuleSet,
    lists: impl IntoIterator<Item = &'a ScreeningList>,
    threshold: f64,
    today: &crate::model::PartialDate,
) -> (Vec<Finding>, Vec<ScreeningHit>) {
    let hits: Vec<ScreeningHit> = lists
        .into_iter()
        .flat_map(|list| screen(case, list, threshold))
        .collect();
    (all_findings(case, rules, &hits, today), hits)
}

/// How many findings are open (not dismissed): the number on the app's Findings tab.
pub fn open_count(findings: &[Finding]) -> usize {
    findings.iter().filter(|f| f.dismissed.is_none()).count()
}
