//! The world map behind the geographic layout: the Natural Earth 1:110m country outlines
//! (public domain, via the `world-atlas` npm package, ISC; see `assets/world/README.md`),
//! embedded in the binary and decoded on first use, a projection to canvas units, and one
//! representative point per country code.
//!
//! Projection: equirectangular (plate carrée), [`CANVAS_UNITS_PER_DEGREE`] canvas units per
//! degree, longitude 0 / latitude 0 at the canvas origin, north up (canvas y grows downwards).
//! The world spans x −1800..1800 and y −900..900. Simple, exact to invert, and good enough
//! for placing parties on a map; nothing here measures distances.

use crate::model::countries::find_country;
use crate::model::{CanvasPoint, CountryCode};
use std::sync::OnceLock;

/// Scale of the projection.
pub const CANVAS_UNITS_PER_DEGREE: f32 = 10.0;

/// Top edge of the holding area: nodes with no known location are set out in rows from
/// here, centred under the map (below Antarctica, which ends at y = 900).
pub const HOLDING_AREA_TOP: f32 = 90.0 * CANVAS_UNITS_PER_DEGREE + 200.0;

/// The holding area's rows are centred on this x: under the middle of the map (longitude 0).
pub const HOLDING_AREA_CENTRE_X: f32 = 0.0;

/// Caption for the holding area, for the canvas to draw above it.
pub const HOLDING_AREA_LABEL: &str = "No known country";

/// Where [`HOLDING_AREA_LABEL`] is anchored (the middle of the caption's bottom edge): over
/// the centre of the holding area's rows, on the area's top edge.
pub fn holding_area_caption_anchor() -> CanvasPoint {
    CanvasPoint {
        x: HOLDING_AREA_CENTRE_X,
        y: HOLDING_AREA_TOP,
    }
}

/// The embedded `TopoJSON` (world-atlas 2.0.2, `countries-110m.json`).
const WORLD_TOPOJSON: &str = include_str!("../../assets/world/countries-110m.json");

/// Canvas position of a point given in degrees.
pub fn canvas_from_lon_lat(lon: f32, lat: f32) -> CanvasPoint {
    CanvasPoint {
        x: lon * CANVAS_UNITS_PER_DEGREE,
        y: -lat * CANVAS_UNITS_PER_DEGREE,
    }
}

/// Inverse of [`canvas_from_lon_lat`]: `(longitude, latitude)` in degrees.
pub fn lon_lat_from_canvas(p: CanvasPoint) -> (f32, f32) {
    (
        p.x / CANVAS_UNITS_PER_DEGREE,
        -p.y / CANVAS_UNITS_PER_DEGREE,
    )
}

/// Top-left and bottom-right corners of the map in canvas units.
pub fn world_bounds() -> (CanvasPoint, CanvasPoint) {
    (
        canvas_from_lon_lat(-180.0, 90.0),
        canvas_from_lon_lat(180.0, -90.0),
    )
}

/// Country borders and coastlines as polylines in canvas units, each shared border once.
/// Decoded from the embedded data on first call; later calls are free.
pub fn world_outline() -> &'static [Vec<CanvasPoint>] {
    static OUTLINE: OnceLock<Vec<Vec<CanvasPoint>>> = OnceLock::new();
    OUTLINE.get_or_init(|| {
        // The data is compiled in and checked by tests, so failure is not expected; an empty
        // map is still a better outcome than a crash.
        decode_topology(WORLD_TOPOJSON)
            .map(|arcs| {
                arcs.iter()
                    .flat_map(|arc| split_at_antimeridian(arc))
                    .map(|line| {
                        line.iter()
                            .map(|&(lon, lat)| canvas_from_lon_lat(lon, lat))
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Representative `(longitude, latitude)` of a country or territory by ISO 3166-1 alpha-2
/// code (and XK for Kosovo): the capital or main city for small ones, a visual centre for
/// large ones (so the US is not placed in the sea by its overseas parts).
pub fn country_anchor(code: &CountryCode) -> Option<(f32, f32)> {
    find_country(code).map(|c| (c.lon, c.lat))
}

/// English short name of a country code, e.g. "Singapore" for SG.
pub fn country_name(code: &CountryCode) -> Option<&'static str> {
    find_country(code).map(|c| c.name)
}

#[derive(serde::Deserialize)]
struct Topology {
    #[serde(default)]
    transform: Option<Transform>,
    arcs: Vec<Vec<[f64; 2]>>,
}

#[derive(serde::Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

/// The arcs of a `TopoJSON` topology as `(lon, lat)` polylines. Quantized topologies store each
/// arc as a first position then deltas, in grid units that `transform` maps to degrees.
fn decode_topology(json: &str) -> Result<Vec<Vec<(f32, f32)>>, serde_json::Error> {
    let topology: Topology = serde_json::from_str(json)?;
    Ok(topology
        .arcs
        .iter()
        .map(|arc| match &topology.transform {
            Some(t) => {
                let (mut x, mut y) = (0.0f64, 0.0f64);
                arc.iter()
                    .map(|[dx, dy]| {
                        x += dx;
                        y += dy;
                        (
                            (x * t.scale[0] + t.translate[0]) as f32,
                            (y * t.scale[1] + t.translate[1]) as f32,
                        )
                    })
                    .collect()
            }
            None => arc.iter().map(|[x, y]| (*x as f32, *y as f32)).collect(),
        })
        .collect())
}

/// Splits a polyline where it jumps across the ±180° meridian, so no line crosses the map.
fn split_at_antimeridian(line: &[(f32, f32)]) -> Vec<Vec<(f32, f32)>> {
    let mut out: Vec<Vec<(f32, f32)>> = vec![Vec::new()];
    for &p in line {
        if let Some(&(last_lon, _)) = out.last().and_then(|l| l.last())
            && (p.0 - last_lon).abs() > 180.0
        {
            out.push(Vec::new());
        }
        if let Some(current) = out.last_mut() {
            current.push(p);
        }
    }
    out.retain(|l| l.len() >= 2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::countries::COUNTRIES;

    fn code(s: &str) -> CountryCode {
        s.parse().expect("code")
    }

    #[test]
    fn table_is_sorted_complete_and_in_range() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].alpha2 < w[1].alpha2));
        // 249 ISO 3166-1 codes plus XK.
        assert_eq!(COUNTRIES.len(), 250);
        for c in COUNTRIES {
            assert!(c.alpha2.len() == 2 && c.alpha3.len() == 3 && !c.name.is_empty());
            assert!(
                (-180.0..=180.0).contains(&c.lon) && (-90.0..=90.0).contains(&c.lat),
                "{}",
                c.alpha2
            );
        }
        for c in ["SG", "HK", "MO", "BH", "MT", "LI", "VA", "TW", "AE", "XK"] {
            assert!(country_anchor(&code(c)).is_some(), "{c}");
        }
        assert_eq!(country_anchor(&code("ZZ")), None);
        assert_eq!(country_name(&code("sg")), Some("Singapore"));
    }

    #[test]
    fn large_countries_anchor_at_home() {
        let near = |c: &str, lon: f32, lat: f32, tolerance: f32| {
            let (x, y) = country_anchor(&code(c)).expect("known");
            assert!(
                (x - lon).abs() < tolerance && (y - lat).abs() < tolerance,
                "{c}: {x},{y}"
            );
        };
        near("US", -98.0, 39.0, 8.0);
        near("FR", 2.5, 46.5, 3.0);
        near("NO", 10.0, 60.0, 4.0);
        near("SG", 103.8, 1.35, 0.2);
        near("RU", 90.0, 60.0, 15.0);
    }

    #[test]
    fn projection_round_trips_and_spans_the_world() {
        let p = canvas_from_lon_lat(103.8, 1.35);
        assert!((p.x - 1038.0).abs() < 0.01 && (p.y + 13.5).abs() < 0.01);
        let (lon, lat) = lon_lat_from_canvas(p);
        assert!((lon - 103.8).abs() < 1e-4 && (lat - 1.35).abs() < 1e-4);
        let (min, max) = world_bounds();
        assert_eq!((max.x - min.x, max.y - min.y), (3600.0, 1800.0));
        assert!(HOLDING_AREA_TOP > max.y);
    }

    #[test]
    fn outline_decodes_inside_the_map() {
        let outline = world_outline();
        assert!(outline.len() >= 500, "{} polylines", outline.len());
        let points: usize = outline.iter().map(Vec::len).sum();
        assert!(points > 5_000);
        let (min, max) = world_bounds();
        for line in outline {
            for p in line {
                assert!(p.x >= min.x - 0.01 && p.x <= max.x + 0.01);
                assert!(p.y >= min.y - 0.01 && p.y <= max.y + 0.01);
            }
            // No segment jumps across the map.
            for w in line.windows(2) {
                assert!((w[0].x - w[1].x).abs() < 1800.0);
            }
        }
    }

    /// Anchors of countries drawn at 110 m lie inside their own outline; a few capitals on
    /// islands the 110 m data leaves out lie just off it.
    #[test]
    fn anchors_lie_in_their_country() {
        let topo: serde_json::Value = serde_json::from_str(WORLD_TOPOJSON).expect("json");
        let arcs = decode_topology(WORLD_TOPOJSON).expect("arcs");
        let ring = |indices: &serde_json::Value| -> Vec<(f32, f32)> {
            let mut out: Vec<(f32, f32)> = Vec::new();
            for i in indices
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(serde_json::Value::as_i64)
            {
                let arc: Vec<(f32, f32)> = if i >= 0 {
                    arcs[i as usize].clone()
                } else {
                    arcs[(!i) as usize].iter().rev().copied().collect()
                };
                let skip = usize::from(!out.is_empty());
                out.extend(arc.into_iter().skip(skip));
            }
            out
        };
        let inside = |(x, y): (f32, f32), rings: &[Vec<(f32, f32)>]| {
            let mut hit = false;
            for r in rings {
                for k in 0..r.len() {
                    let (x1, y1) = r[k];
                    let (x2, y2) = r[(k + 1) % r.len()];
                    if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                        hit = !hit;
                    }
                }
            }
            hit
        };
        let mut checked = 0;
        let geometries = topo["objects"]["countries"]["geometries"]
            .as_array()
            .expect("geometries");
        for g in geometries {
            let Some(id) = g["id"].as_str().and_then(|s| s.parse::<u16>().ok()) else {
                continue;
            };
            let Some(row) = COUNTRIES.iter().find(|r| r.numeric == id) else {
                continue;
            };
            let polygons: Vec<&serde_json::Value> = if g["type"] == "MultiPolygon" {
                g["arcs"].as_array().into_iter().flatten().collect()
            } else {
                vec![&g["arcs"]]
            };
            let rings: Vec<Vec<(f32, f32)>> = polygons
                .iter()
                .flat_map(|p| p.as_array().into_iter().flatten())
                .map(ring)
                .collect();
            let off_outline = ["BS", "FK", "NC", "VU"];
            if off_outline.contains(&row.alpha2) {
                let near = rings
                    .iter()
                    .flatten()
                    .any(|&(x, y)| (x - row.lon).hypot(y - row.lat) < 2.0);
                assert!(near, "{} far from its islands", row.alpha2);
            } else {
                assert!(
                    inside((row.lon, row.lat), &rings),
                    "{} anchor outside its outline",
                    row.alpha2
                );
            }
            checked += 1;
        }
        assert!(checked > 170, "{checked}");
    }
}
