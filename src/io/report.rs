//! The case report: one self-contained HTML file to leave behind after a briefing. Title,
//! handling marking (on every printed page), summary, each saved view as an inline SVG picture
//! with its caption, tables of entities and shipments, the evidence with grades and citations,
//! and the red-flag findings. No external resources: styles and pictures are inline, nothing
//! is fetched, and every text from the case is escaped. URLs in citations are shown defanged
//! (`hxxps://example[.]org`), so opening or clicking in the report never contacts a site.
//!
//! The document is well-formed XML as well as HTML, so tests (and other tools) can parse it.

use super::export::svg;
use super::export::xml_escape;
use crate::analysis::{Finding, RuleSet, ScreeningList};
use crate::model::{Case, EvidenceSource, PartialDate, SavedView, Shipment, Timestamp};
use std::fmt::Write;

/// What goes into a report besides the case.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// When the report was made, printed in its header (now, by default).
    pub generated: Timestamp,
    /// Evaluate the red-flag rules and screen against the demonstration list.
    pub findings: bool,
    /// Width of the view pictures, in pixels.
    pub picture_width: u32,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            generated: Timestamp::now(),
            findings: true,
            picture_width: 1200,
        }
    }
}

/// Styles: screen and print (A4, the marking repeated at the top of every page).
const STYLE: &str = "
:root { --ink: #0f172a; --muted: #475569; --line: #cbd5e1; --soft: #f1f5f9; }
* { box-sizing: border-box; }
body { font-family: 'Noto Sans', 'DejaVu Sans', Helvetica, Arial, 'Noto Sans CJK SC', sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 0 24px 48px; line-height: 1.45; }
.marking { text-align: center; font-weight: bold; padding: 6px 8px; margin: 0 -24px 16px;
  border-bottom: 1px solid #000; letter-spacing: 0.04em; }
.marking small { font-weight: normal; letter-spacing: 0; }
h1 { font-size: 1.9em; margin: 0.4em 0 0.1em; }
h2 { font-size: 1.35em; border-bottom: 2px solid var(--ink); padding-bottom: 3px; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.3em; }
.meta { color: var(--muted); margin: 0 0 1em; }
.summary { font-size: 1.05em; white-space: pre-wrap; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; padding: 0; list-style: none; }
.counts li { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; }
nav ol { columns: 2; }
figure { margin: 1.2em 0 2em; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; display: block; }
figcaption { margin-top: 6px; }
figcaption b { display: block; font-size: 1.1em; }
table { border-collapse: collapse; width: 100%; font-size: 0.88em; margin: 0.5em 0 1em; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--soft); }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
table.evidence td:nth-child(2) { width: 20%; }
table.evidence td:nth-child(5), table.evidence td:nth-child(6) { width: 26%; }
table.evidence tr { break-inside: auto; page-break-inside: auto; }
.kind { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.grade { font-weight: bold; font-family: monospace; font-size: 1.1em; }
.sev-critical { color: #b91c1c; font-weight: bold; }
.sev-high { color: #c2410c; font-weight: bold; }
.sev-medium { color: #a16207; }
.dismissed { color: var(--muted); }
.muted { color: var(--muted); }
footer { margin-top: 3em; color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--line); padding-top: 6px; }
@page { size: A4; margin: 11mm 12mm 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .marking { margin: 0 0 12px; }
  h2 { break-after: avoid; page-break-after: avoid; }
  nav { display: none; }
  figure svg { max-height: 150mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

/// Escapes text for HTML and defangs URLs and file references in it.
fn text(s: &str) -> String {
    xml_escape(&defang(s))
}

/// `https://a.b/c` → `hxxps://a[.]b/c`, `file:` → `file[:]`, a scheme-relative `//a.b/c` →
/// `[//]a[.]b/c`, a bare `www.a.b` → `www[.]a[.]b`: shown, never followed.
pub fn defang(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let lower = s.to_ascii_lowercase();
    // The host: dots become [.] up to the first slash or space.
    let host = |out: &mut String, i: usize| {
        let host_end = s[i..]
            .find(|c: char| c == '/' || c.is_whitespace())
            .map_or(s.len(), |e| i + e);
        out.push_str(&s[i..host_end].replace('.', "[.]"));
        host_end
    };
    let mut i = 0;
    while i < s.len() {
        let rest = &lower[i..];
        // Where a link could start: the beginning, or after a space or punctuation (not in
        // the middle of a word, a path or a scheme).
        let boundary = s[..i]
            .chars()
            .next_back()
            .is_none_or(|p| !(p.is_alphanumeric() || matches!(p, ':' | '/' | '.' | '-' | '_')));
        if boundary
            && rest.starts_with("//")
            && rest[2..].chars().next().is_some_and(char::is_alphanumeric)
        {
            out.push_str("[//]");
            i = host(&mut out, i + 2);
            continue;
        }
        if boundary && rest.starts_with("www.") {
            i = host(&mut out, i);
            continue;
        }
        let scheme = ["https://", "http://", "ftp://"]
            .into_iter()
            .find(|p| rest.starts_with(p));
        if let Some(p) = scheme {
            out.push_str(match p {
                "https://" => "hxxps://",
                "http://" => "hxxp://",
                _ => "fxp://",
            });
            i = host(&mut out, i + p.len());
            continue;
        }
        if rest.starts_with("file:") {
            out.push_str("file[:]");
            i += "file:".len();
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// An inline picture for the report: the SVG without its namespace declaration (HTML knows
/// inline SVG), so the report names no external address at all.
fn inline_svg(case: &Case, view: Option<&SavedView>, width: u32) -> String {
    let options = svg::SvgOptions {
        view,
        width_px: width,
        marking: false,
        legend: true,
    };
    svg::write_with(case, &options).replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

fn entity_cell(case: &Case, id: Option<&crate::model::EntityId>) -> String {
    id.map_or_else(String::new, |id| text(&case.entity_name(id)))
}

fn route_text(s: &Shipment) -> String {
    let mut places: Vec<String> = Vec::new();
    for leg in &s.legs {
        for p in [&leg.from, &leg.to] {
            let label = p.label();
            if places.last() != Some(&label) {
                places.push(label);
            }
        }
    }
    places.join(" → ")
}

fn goods_text(case: &Case, s: &Shipment) -> String {
    s.goods_summary(|p| case.entities.get(p).map(|e| e.name.clone()))
}

fn value_text(s: &Shipment) -> String {
    let mut by_currency: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
    for g in &s.goods {
        if let Some(v) = &g.value {
            *by_currency.entry(v.currency.as_str()).or_default() += v.amount;
        }
    }
    by_currency
        .into_iter()
        .map(|(c, a)| format!("{c} {}", crate::model::format_amount(a)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn findings_of(case: &Case, today: &PartialDate) -> Result<(Vec<Finding>, String), String> {
    let rules = RuleSet::builtin().map_err(|e| e.to_string())?;
    let list = ScreeningList::demo().map_err(|e| e.to_string())?;
    let hits = crate::analysis::screen(case, &list, crate::analysis::screening::DEFAULT_THRESHOLD);
    Ok((
        crate::analysis::all_findings(case, &rules, &hits, today),
        list.label.clone(),
    ))
}

/// The report on `case`, as one HTML document.
pub fn write(case: &Case, options: &ReportOptions) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = if case.meta.title.trim().is_empty() {
        "Untitled case"
    } else {
        case.meta.title.as_str()
    };
    let (bg, fg) = svg::tlp_colors(case.meta.marking);
    let marking = format!(
        "<div class=\"marking\" style=\"background:{bg};color:{fg}\">{} <small>· {}</small></div>",
        text(case.meta.marking.label()),
        text(case.meta.marking.meaning())
    );
    // The marking on every printed page, in the page's top and bottom margins (browsers that
    // draw page margin boxes); it also heads and ends the document for the others.
    let page_marking = format!(
        "{}  ·  {}",
        case.meta.marking.label(),
        case.meta.marking.meaning()
    )
    .replace(['\\', '"', '<', '&'], "");
    let page_style = format!(
        "@page {{ @top-center {{ content: \"{page_marking}\"; background: {bg}; color: {fg}; \
         font: bold 8pt sans-serif; width: 100%; }} \
         @bottom-center {{ content: \"{page_marking}\"; background: {bg}; color: {fg}; \
         font: bold 8pt sans-serif; width: 100%; }} \
         @bottom-right {{ content: counter(page) \" / \" counter(pages); font: 8pt sans-serif; }} }}"
    );
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{} · {}</title>\n<style>{STYLE}\n{}</style>\n</head>\n<body>",
        text(case.meta.marking.label()),
        text(title),
        // Raw text in a style element: the marking's own words, with nothing that could end
        // the string or the element (quotes, backslashes, `<` and `&` are dropped above).
        page_style
    );
    out.push_str(&marking);
    out.push('\n');
    let _ = writeln!(out, "<header><h1>{}</h1>", text(title));
    let mut meta = vec![format!("Case {}", text(&case.meta.id))];
    if !case.meta.authors.is_empty() {
        meta.push(format!("by {}", text(&case.meta.authors.join(", "))));
    }
    meta.push(format!(
        "last changed {}",
        text(&case.meta.modified.to_string())
    ));
    meta.push(format!(
        "report made {}",
        text(&options.generated.to_string())
    ));
    let _ = writeln!(out, "<p class=\"meta\">{}</p></header>", meta.join(" · "));

    // Contents.
    out.push_str("<nav><ol>");
    out.push_str("<li><a href=\"#summary\">Summary</a></li>");
    out.push_str("<li><a href=\"#views\">Views</a></li>");
    out.push_str("<li><a href=\"#entities\">Entities</a></li>");
    out.push_str("<li><a href=\"#shipments\">Shipments</a></li>");
    out.push_str("<li><a href=\"#evidence\">Evidence</a></li>");
    if options.findings {
        out.push_str("<li><a href=\"#findings\">Findings</a></li>");
    }
    out.push_str("</ol></nav>\n");

    // Summary.
    out.push_str("<section id=\"summary\"><h2>Summary</h2>\n");
    if case.meta.summary.trim().is_empty() {
        out.push_str("<p class=\"muted\">No summary written.</p>\n");
    } else {
        let _ = writeln!(out, "<p class=\"summary\">{}</p>", text(&case.meta.summary));
    }
    let c = case.counts();
    let _ = writeln!(
        out,
        "<ul class=\"counts\"><li>{} entities</li><li>{} links</li><li>{} shipments</li>\
         <li>{} evidence items</li><li>{} saved views</li></ul>",
        c.entities,
        c.links,
        c.shipments,
        c.evidence,
        case.views.len()
    );
    out.push_str("</section>\n");

    // Views.
    out.push_str("<section id=\"views\"><h2>Views</h2>\n");
    if case.views.is_empty() {
        out.push_str("<p class=\"muted\">The case has no saved views; the whole case:</p>\n");
        let _ = writeln!(
            out,
            "<figure>{}<figcaption><b>The whole case</b></figcaption></figure>",
            inline_svg(case, None, options.picture_width)
        );
    }
    for (i, v) in case.views.iter().enumerate() {
        let _ = writeln!(
            out,
            "<figure id=\"view-{}\" class=\"view\">{}<figcaption><b>{}. {}</b>{}</figcaption></figure>",
            text(v.id.as_str()),
            inline_svg(case, Some(v), options.picture_width),
            i + 1,
            text(&v.name),
            if v.caption.is_empty() {
                String::new()
            } else {
                format!("<span>{}</span>", text(&v.caption))
            }
        );
    }
    out.push_str("</section>\n");

    // Listings are judged as of the day the report is made (an ended one is "formerly").
    let today = options.generated.date();
    entities_ui(&mut out, case, &today);
    shipments_table(&mut out, case);
    evidence_table(&mut out, case);
    if options.findings {
        findings_section(&mut out, case, &today);
    }

    let _ = writeln!(
        out,
        "<footer>Made with Chokepoint from case {} ({}). {}</footer>",
        text(&case.meta.id),
        text(&c.to_string()),
        text(case.meta.marking.meaning())
    );
    out.push_str(&marking);
    out.push_str("\n</body>\n</html>\n");
    out
}

fn entities_ui(out: &mut String, case: &Case, today: &PartialDate) {
    out.push_str("<section id=\"entities\"><h2>Entities</h2>\n");
    out.push_str(
        "<table class=\"entities\"><thead><tr><th>Name</th><th>Kind</th><th>Country</th>\
         <th>Also known as</th><th>Identifiers</th><th>Red flags</th></tr></thead><tbody>\n",
    );
    let mut entities: Vec<_> = case.entities.values().collect();
    entities.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    for e in entities {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><span class=\"kind\" style=\"background:{}\"></span>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(&e.name),
            svg::kind_color(e.kind),
            text(e.kind.label()),
            e.country
                .as_ref()
                .map(|c| text(c.as_str()))
                .unwrap_or_default(),
            text(&e.aliases.join(", ")),
            text(&crate::io::export::identifiers_text(e)),
            text(&crate::io::export::flags_text_on(e, Some(today)))
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn shipments_table(out: &mut String, case: &Case) {
    out.push_str("<section id=\"shipments\"><h2>Shipments</h2>\n");
    if case.shipments.is_empty() {
        out.push_str("<p class=\"muted\">No shipments.</p></section>\n");
        return;
    }
    out.push_str(
        "<table class=\"shipments\"><thead><tr><th>Reference</th><th>Date</th><th>Shipper</th>\
         <th>Consignee</th><th>Suspected end user</th><th>Route</th><th>Goods</th><th>Value</th>\
         <th>Claim</th></tr></thead><tbody>\n",
    );
    let mut shipments: Vec<&Shipment> = case.shipments.values().collect();
    shipments.sort_by_key(|s| (s.first_date().map(ToString::to_string), s.id.clone()));
    for s in shipments {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td></tr>",
            text(&s.reference),
            s.first_date()
                .map(|d| text(&d.to_string()))
                .unwrap_or_default(),
            entity_cell(case, s.shipper.as_ref()),
            entity_cell(case, s.consignee.as_ref()),
            entity_cell(case, s.suspected_end_user.as_ref()),
            text(&route_text(s)),
            text(&goods_text(case, s)),
            text(&value_text(s)),
            text(s.claim.label())
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn evidence_table(out: &mut String, case: &Case) {
    out.push_str("<section id=\"evidence\"><h2>Evidence</h2>\n");
    if case.evidence.is_empty() {
        out.push_str("<p class=\"muted\">No evidence recorded.</p></section>\n");
        return;
    }
    out.push_str(
        "<p class=\"muted\">Grades: source reliability A (completely reliable) to F (cannot be \
         judged), information credibility 1 (confirmed) to 6 (cannot be judged).</p>\n\
         <table class=\"evidence\"><thead><tr><th>Grade</th><th>Evidence</th><th>Kind</th>\
         <th>Date</th><th>Source / citation</th><th>Supports</th><th>Marking</th></tr></thead><tbody>\n",
    );
    for e in case.evidence.values() {
        let source = match &e.source {
            EvidenceSource::File {
                path,
                sha256,
                original_name,
                ..
            } => {
                let short: String = sha256.chars().take(16).collect();
                format!(
                    "{} (file {}, SHA-256 {short}…)",
                    if original_name.is_empty() {
                        path
                    } else {
                        original_name
                    },
                    path
                )
            }
            EvidenceSource::Reference { citation, archive } => {
                if archive.is_empty() {
                    citation.clone()
                } else {
                    format!("{citation} (archived: {archive})")
                }
            }
            EvidenceSource::Text(t) => format!("“{}”", t.chars().take(300).collect::<String>()),
        };
        let supports: Vec<String> = e
            .supports
            .iter()
            .map(|s| {
                let target = s
                    .target
                    .as_ref()
                    .map_or_else(|| "the case".to_owned(), |t| case.item_label(t));
                let mut line = if s.claim.is_empty() {
                    target
                } else {
                    format!("{target}: {}", s.claim)
                };
                if !s.locator.is_empty() {
                    let _ = write!(line, " ({})", s.locator);
                }
                line
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td class=\"grade\" title=\"{}; {}\">{}</td><td><b>{}</b>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(e.reliability.meaning()),
            text(e.credibility.meaning()),
            text(&e.grade()),
            text(&e.title),
            if e.description.is_empty() {
                String::new()
            } else {
                format!("<br/><span class=\"muted\">{}</span>", text(&e.description))
            },
            text(e.kind.label()),
            e.date
                .as_ref()
                .map(|d| text(&d.to_string()))
                .unwrap_or_default(),
            text(&source),
            supports
                .iter()
                .map(|s| text(s))
                .collect::<Vec<_>>()
                .join("<br/>"),
            text(e.marking.label())
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn findings_section(out: &mut String, case: &Case, today: &PartialDate) {
    out.push_str("<section id=\"findings\"><h2>Findings</h2>\n");
    let (found, list) = match findings_of(case, today) {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(
                out,
                "<p class=\"muted\">Findings could not be computed: {}</p></section>",
                text(&e)
            );
            return;
        }
    };
    if found.is_empty() {
        out.push_str("<p class=\"muted\">No red flags found.</p></section>\n");
        return;
    }
    let open = found.iter().filter(|f| f.dismissed.is_none()).count();
    let _ = writeln!(
        out,
        "<p>{} findings: {open} open, {} dismissed. Red-flag rules of this Chokepoint build; \
         names screened against {}.</p>",
        found.len(),
        found.len() - open,
        text(&list)
    );
    out.push_str(
        "<table class=\"findings\"><thead><tr><th>Severity</th><th>Finding</th>\
         <th>Items</th><th>Evidence</th></tr></thead><tbody>\n",
    );
    for f in &found {
        let items: Vec<String> = f.items.iter().map(|i| case.item_label(i)).collect();
        let evidence: Vec<String> = f
            .evidence
            .iter()
            .map(|id| {
                case.evidence.get(id).map_or_else(
                    || id.to_string(),
                    |e| format!("{} [{}]", e.title, e.grade()),
                )
            })
            .collect();
        let severity = f.severity.label();
        let dismissed = f.dismissed.as_ref().map_or_else(String::new, |r| {
            format!("<br/><i>Dismissed: {}</i>", text(r))
        });
        let _ = writeln!(
            out,
            "<tr{}><td class=\"sev-{}\">{}</td><td><b>{}</b><br/>{}{dismissed}</td><td>{}</td><td>{}</td></tr>",
            if f.dismissed.is_some() {
                " class=\"dismissed\""
            } else {
                ""
            },
            text(&severity.to_lowercase()),
            text(severity),
            text(&f.title),
            text(&f.explanation),
            text(&items.join("; ")),
            text(&evidence.join("; "))
        );
    }
    out.push_str("</tbody></table></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_defanged() {
        assert_eq!(
            defang("see https://www.example.org/a.b and file:///etc"),
            "see hxxps://www[.]example[.]org/a.b and file[:]///etc"
        );
        assert_eq!(defang("苏菂 HTTP://x.cn"), "苏菂 hxxp://x[.]cn");
    }

    /// Scheme-relative links and bare `www.` hosts were left as they were.
    #[test]
    fn scheme_relative_and_www_links_are_defanged() {
        assert_eq!(
            defang("mirror at //evil.example/x and (www.example.org/a.b)"),
            "mirror at [//]evil[.]example/x and (www[.]example[.]org/a.b)"
        );
        assert_eq!(defang("//host/x"), "[//]host/x");
        assert_eq!(defang("WWW.Host.cn"), "WWW[.]Host[.]cn");
        // Not links: paths, words, ratings.
        assert_eq!(defang("a/b//c and TLP//AMBER"), "a/b//c and TLP//AMBER");
        assert_eq!(defang("awww.x"), "awww.x");
        assert_eq!(defang("file:///etc"), "file[:]///etc");
    }
}
