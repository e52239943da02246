//! The case report and the pictures: `chokepoint report` writes one self-contained HTML file
//! (every saved view as an inline picture with its caption, the tables, the evidence, the
//! marking, nothing external); `chokepoint export --format svg|png` draws the whole case or a
//! view.

use chokepoint::io::export::svg;
use chokepoint::io::report::{self, ReportOptions};
use chokepoint::model::{Case, EntityKind, Timestamp};
use std::process::Command;

fn seed() -> Case {
    chokepoint::seed_case().expect("seed case")
}

fn report_of(case: &Case) -> String {
    report::write(
        case,
        &ReportOptions {
            generated: Timestamp::now(),
            ..ReportOptions::default()
        },
    )
}

/// Every text node of the document, joined.
fn all_text(doc: &roxmltree::Document) -> String {
    doc.descendants()
        .filter(roxmltree::Node::is_text)
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_report_holds_every_view_the_tables_and_the_marking_and_nothing_external() {
    let case = seed();
    assert!(case.views.len() >= 4);
    let html = report_of(&case);
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .expect("the report is well-formed");
    let text = all_text(&doc);

    // The marking, at the top and the foot.
    let markings = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("marking"))
        .count();
    assert_eq!(markings, 2);
    assert!(text.contains("TLP:GREEN"));
    assert!(text.contains(&case.meta.title));

    // Every view: a figure with an inline picture, its name and caption.
    for v in &case.views {
        let figure = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(&format!("view-{}", v.id)))
            .unwrap_or_else(|| panic!("a figure for view {}", v.name));
        assert!(figure.descendants().any(|n| n.has_tag_name("svg")));
        let caption: String = figure
            .descendants()
            .filter(roxmltree::Node::is_text)
            .filter_map(|n| n.text())
            .collect();
        assert!(caption.contains(&v.name), "{caption}");
        assert!(caption.contains(&v.caption));
    }

    // The tables: one row per entity, per shipment, per evidence item.
    let rows = |class: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("table") && n.attribute("class") == Some(class))
            .unwrap_or_else(|| panic!("a {class} table"))
            .descendants()
            .filter(|n| n.has_tag_name("tr"))
            .count()
            - 1
    };
    assert_eq!(rows("entities"), case.entities.len());
    assert_eq!(rows("shipments"), case.shipments.len());
    assert_eq!(rows("evidence"), case.evidence.len());
    for e in case.evidence.values() {
        assert!(text.contains(&e.grade()), "grade of {}", e.title);
    }
    assert!(
        doc.descendants()
            .any(|n| n.attribute("id") == Some("findings"))
    );

    // Self-contained: no scripts, no external addresses, no file references.
    let lower = html.to_lowercase();
    for forbidden in [
        "http://", "https://", "file:", "<script", "src=", "@import", "url(http",
    ] {
        assert!(
            !lower.contains(forbidden),
            "the report contains {forbidden}"
        );
    }
    for n in doc.descendants() {
        for a in n.attributes() {
            if a.name() == "href" {
                assert!(a.value().starts_with('#'), "href {}", a.value());
            }
        }
    }
}

#[test]
fn text_from_the_case_is_escaped_and_urls_are_defanged() {
    let mut case = seed();
    case.meta.title = "<script>alert('x')</script> & Co".to_owned();
    case.meta.summary = "See https://evil.example/x and file:///etc/passwd".to_owned();
    let html = report_of(&case);
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("hxxps://evil[.]example/x"));
    assert!(!html.to_lowercase().contains("https://"));
    roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .expect("still well-formed");
}

#[test]
fn the_svg_of_the_case_parses_and_names_every_entity() {
    let case = seed();
    let picture = svg::write(&case);
    let doc = roxmltree::Document::parse(&picture).expect("well-formed SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let text = all_text(&doc);
    for e in case.entities.values() {
        assert!(text.contains(&e.name), "{} is labelled", e.name);
    }
    assert!(text.contains("TLP:GREEN"));
}

#[test]
fn the_svg_of_a_view_shows_its_frame_and_hides_its_hidden_kinds() {
    let case = seed();
    let view = case
        .views
        .iter()
        .find(|v| !v.hidden_kinds.is_empty())
        .expect("a seed view that hides some kinds");
    let picture = svg::write_view(&case, view);
    let doc = roxmltree::Document::parse(&picture).expect("well-formed SVG");
    let root = doc.root_element();
    let frame = view.camera.frame();
    let viewbox: Vec<f32> = root
        .attribute("viewBox")
        .expect("viewBox")
        .split(' ')
        .map(|v| v.parse().expect("number"))
        .collect();
    // The view's frame, whole, with the legend's band below it: the picture keeps the view's
    // shape, a little wider to make room for the band.
    let [x, y, w, h] = [viewbox[0], viewbox[1], viewbox[2], viewbox[3]];
    assert!((y - frame.min_y).abs() < 0.1, "{viewbox:?} {frame:?}");
    assert!(
        x <= frame.min_x && x + w >= frame.max_x,
        "{viewbox:?} {frame:?}"
    );
    assert!(y + h > frame.max_y, "{viewbox:?} {frame:?}");
    assert!(
        (w / h - frame.width() / frame.height()).abs() < 0.01,
        "{viewbox:?} {frame:?}"
    );
    let text = all_text(&doc);
    for e in case.entities.values() {
        let p = case.positions[&e.id];
        let inside = frame.contains(p.x, p.y);
        if view.hidden_kinds.contains(&e.kind) {
            assert!(!text.contains(&e.name), "{} is hidden", e.name);
        } else if inside && e.kind != EntityKind::Event {
            assert!(text.contains(&e.name), "{} is in the frame", e.name);
        }
    }
    // Highlighted items are marked.
    assert!(!view.highlighted.is_empty());
    assert!(picture.contains(svg::HIGHLIGHT_COLOR));
}

#[test]
fn the_cli_writes_a_report_an_svg_and_a_4k_png_of_a_view() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case_path = dir.path().join("seed.ron");
    chokepoint::io::save_case(&case_path, &seed()).expect("save");
    let bin = env!("CARGO_BIN_EXE_chokepoint");

    let html = dir.path().join("report.html");
    let status = Command::new(bin)
        .args(["report", case_path.to_str().expect("path"), "-o"])
        .arg(&html)
        .status()
        .expect("run");
    assert!(status.success());
    assert!(
        std::fs::read_to_string(&html)
            .expect("report")
            .contains("TLP:GREEN")
    );

    let out = dir.path().join("routes.svg");
    let status = Command::new(bin)
        .args([
            "export",
            "--format",
            "svg",
            "--view",
            "sourcing through malaysia and singapore",
        ])
        .arg(&case_path)
        .arg("-o")
        .arg(&out)
        .status()
        .expect("run");
    assert!(status.success());
    roxmltree::Document::parse(&std::fs::read_to_string(&out).expect("svg")).expect("parses");

    let png_path = dir.path().join("claim.png");
    let status = Command::new(bin)
        .args([
            "export",
            "--format",
            "png",
            "--view",
            "The claim",
            "--width",
            "3840",
        ])
        .arg(&case_path)
        .arg("-o")
        .arg(&png_path)
        .status()
        .expect("run");
    assert!(status.success());
    let bytes = std::fs::read(&png_path).expect("png");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    assert_eq!((info.width, info.height), (3840, 2160));

    let missing = Command::new(bin)
        .args(["export", "--format", "png", "--view", "No such view"])
        .arg(&case_path)
        .arg("-o")
        .arg(dir.path().join("x.png"))
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("The claim"));
}

/// The picture of the whole chart carries a legend of what it shows, in a band of its own
/// below the chart; so does a saved view's picture, which keeps the view's shape.
#[test]
fn pictures_have_a_legend_of_what_they_show() {
    let case = seed();
    let picture = svg::write(&case);
    let doc = roxmltree::Document::parse(&picture).expect("well-formed SVG");
    let legend = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("legend"))
        .expect("a legend");
    let texts: Vec<&str> = legend
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    let kinds: std::collections::BTreeSet<&str> =
        case.entities.values().map(|e| e.kind.label()).collect();
    for k in &kinds {
        assert!(texts.contains(k), "{k} is in the legend: {texts:?}");
    }
    assert!(texts.contains(&"Shipment: wider for more goods"));
    assert!(texts.iter().any(|t| t.ends_with(": dashed")), "{texts:?}");
    // Below every node: the band is the legend's own.
    let legend_top = legend
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.attribute("y")?.parse::<f32>().ok())
        .fold(f32::INFINITY, f32::min);
    assert!(case.positions.values().all(|p| p.y + 22.0 < legend_top));
    // A saved view's picture has its legend too, in a band below the view, and keeps the
    // view's shape (a 16:9 view is a 16:9 slide); no legend entry covers a node or a label.
    for view in &case.views {
        let options = svg::SvgOptions {
            view: Some(view),
            ..svg::SvgOptions::default()
        };
        let picture = svg::write_view(&case, view);
        assert!(picture.contains("class=\"legend\""), "{}", view.name);
        let (w, h) = svg::picture_size(&case, &options);
        let frame = view.camera.frame();
        #[allow(clippy::cast_precision_loss)]
        let aspect = w as f32 / h as f32;
        assert!(
            (aspect - frame.width() / frame.height()).abs() < 0.01,
            "{}: {w}×{h} against the view's {}×{}",
            view.name,
            frame.width(),
            frame.height()
        );
        let m = svg::legibility(&case, &options);
        assert_eq!(m.label_overlaps, 0, "{}: {m}", view.name);
        assert_eq!(m.label_on_node, 0, "{}: {m}", view.name);
    }
}

/// A saved view records the link-kind, claim and value filters it was saved with, and its
/// picture honours them, as the canvas does when the view is shown.
#[test]
fn a_views_claim_filter_holds_in_its_picture() {
    let case = seed();
    let mut view = case.views.first().expect("a view").clone();
    let shipments_drawn = |picture: &str| {
        let from = picture
            .find("<g class=\"shipments\"")
            .expect("the shipments layer");
        let to = from + picture[from..].find("</g>").expect("its end");
        picture[from..to].matches("<path").count()
    };
    assert!(shipments_drawn(&svg::write_view(&case, &view)) > 0);
    // The seed's shipments are alleged.
    view.hidden_claims = vec![chokepoint::model::ClaimStatus::Alleged];
    assert_eq!(shipments_drawn(&svg::write_view(&case, &view)), 0);
    // Saved and read back, the view keeps its filters.
    let mut with_view = case.clone();
    with_view.views[0] = view.clone();
    view.min_usd = Some(1_000_000);
    with_view.views[0].min_usd = Some(1_000_000);
    let text = chokepoint::io::case_to_ron(&with_view).expect("encodes");
    let back = chokepoint::io::parse_case(&text).expect("parses");
    assert_eq!(back.views[0], view);
}
