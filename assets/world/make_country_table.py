#!/usr/bin/env python3
"""Writes src/model/country_table.rs: the one country table of the app. Per ISO 3166-1 country: its
alpha-2, alpha-3 and numeric codes, its names (short, ISO and official), and a representative
point for the map and the geographic layout.

Run once from the repository root (output is committed, the build does not run this):

    python3 assets/world/make_country_table.py > src/model/country_table.rs

Sources, all on a stock Debian/Ubuntu machine and all public domain or freely licensed:
- /usr/share/iso-codes/json/iso_3166-1.json (iso-codes, LGPL data): codes, numeric codes, names;
- /usr/share/zoneinfo/zone.tab (tz database, public domain): the principal city of each country's
  first time zone, which for single-zone countries is the capital or main commercial city;
- OVERRIDES below, hand-checked: visual centres for large or multi-zone countries (so the US node
  does not sit in New York nor France in the Indian Ocean), and capitals where the tz city is
  not one.

With --check, also reports anchors that fall outside their own country's polygon in
assets/world/countries-110m.json (small islands missing at 110 m are expected there).
"""

import json
import sys

ISO = "/usr/share/iso-codes/json/iso_3166-1.json"
ZONES = "/usr/share/zoneinfo/zone.tab"
TOPO = "assets/world/countries-110m.json"

# (lon, lat), hand-checked against the 110 m outline.
OVERRIDES = {
    "AQ": (0.0, -82.0),  # interior of Antarctica
    "AR": (-64.0, -34.0),  # central Argentina, between Buenos Aires and Córdoba
    "AU": (134.0, -25.0),  # centre of Australia
    "BR": (-51.0, -11.0),  # centre of Brazil
    "BV": (3.4, -54.4),  # Bouvet Island (no time zone)
    "CA": (-105.0, 56.0),  # centre of Canada
    "CD": (23.5, -2.5),  # centre of the DR Congo
    "CL": (-70.65, -33.45),  # Santiago
    "CN": (104.0, 34.0),  # centre of China
    "EC": (-78.5, -0.2),  # Quito
    "FM": (158.2, 6.9),  # Palikir, Pohnpei
    "GL": (-41.0, 72.0),  # interior of Greenland
    "HM": (73.5, -53.1),  # Heard Island (no time zone)
    "ID": (106.85, -6.2),  # Jakarta
    "IN": (78.5, 22.0),  # centre of India
    "KZ": (67.0, 48.0),  # centre of Kazakhstan
    "MX": (-99.13, 19.43),  # Mexico City
    "MY": (101.69, 3.14),  # Kuala Lumpur
    "NO": (10.75, 59.91),  # Oslo
    "NZ": (174.78, -41.29),  # Wellington
    "PS": (35.2, 31.9),  # Ramallah
    "RU": (95.0, 62.0),  # centre of Russia
    "UA": (30.52, 50.45),  # Kyiv
    "US": (-98.5, 39.5),  # centre of the contiguous United States
    "UZ": (69.28, 41.31),  # Tashkent
    "XK": (21.17, 42.67),  # Kosovo (user-assigned code), Pristina
    # tz cities that are not the capital, or coastal points that the 110 m outline cuts off.
    "AE": (54.37, 24.45),  # Abu Dhabi
    "CH": (7.45, 46.95),  # Bern
    "CM": (11.52, 3.87),  # Yaoundé
    "DK": (9.3, 56.0),  # Jutland, so it lands on the 110 m outline
    "EG": (31.24, 30.04),  # Cairo
    "FR": (2.35, 46.6),  # centre of metropolitan France
    "GB": (-1.5, 52.5),  # centre of England
    "LK": (80.7, 7.9),  # centre of Sri Lanka
    "MA": (-6.84, 34.02),  # Rabat
    "NG": (7.49, 9.06),  # Abuja
    "PK": (73.05, 33.69),  # Islamabad
    "SA": (46.72, 24.69),  # Riyadh
    "TR": (32.85, 39.93),  # Ankara
    "TZ": (35.74, -6.17),  # Dodoma
    "VN": (105.85, 21.03),  # Hanoi
    "ZA": (25.0, -29.0),  # centre of South Africa
    "BZ": (-88.7, 17.2),  # inland of Belize City
    "CG": (15.2, -0.8),  # centre of the Republic of the Congo (Brazzaville is on the border river)
    "CY": (33.0, 34.9),  # south of the Nicosia line
    "DJ": (42.6, 11.7),  # inland of Djibouti city
    "DZ": (3.0, 28.0),  # centre of Algeria
    "EH": (-11.5, 26.0),  # inside the 110 m Western Sahara polygon
    "GN": (-10.9, 10.4),  # centre of Guinea
    "GQ": (10.3, 1.6),  # mainland Equatorial Guinea (Malabo is on Bioko, absent at 110 m)
    "IL": (34.85, 32.0),  # Tel Aviv area
    "LY": (17.5, 27.0),  # centre of Libya
    "SL": (-11.8, 8.6),  # centre of Sierra Leone
    "UY": (-56.0, -33.0),  # centre of Uruguay
    "YE": (44.2, 15.35),  # Sana'a
}
# Kosovo: a user-assigned code (XK, XKX) in use by the EU, the IMF and most data publishers.
EXTRA = {"XK": ("XKX", None, "Kosovo", "Kosovo", "Republic of Kosovo")}


def parse_iso6709(s):
    """zone.tab coordinates: ±DDMM[SS]±DDDMM[SS] → (lon, lat)."""
    split = max(s.rfind("+"), s.rfind("-"))
    lat_s, lon_s = s[:split], s[split:]

    def part(v, deg_digits):
        sign = -1.0 if v[0] == "-" else 1.0
        v = v[1:]
        d = int(v[:deg_digits])
        m = int(v[deg_digits : deg_digits + 2])
        sec = int(v[deg_digits + 2 :] or 0)
        return sign * (d + m / 60 + sec / 3600)

    return part(lon_s, 3), part(lat_s, 2)


def load():
    iso = json.load(open(ISO))["3166-1"]
    zones = {}
    for line in open(ZONES):
        if line.startswith("#"):
            continue
        code, coords, *_ = line.rstrip("\n").split("\t")
        zones.setdefault(code, parse_iso6709(coords))
    rows = []
    for c in iso:
        code = c["alpha_2"]
        name = c.get("common_name", c["name"])
        lonlat = OVERRIDES.get(code) or zones.get(code)
        if lonlat is None:
            sys.exit(f"no anchor for {code}")
        rows.append(
            (
                code,
                c["alpha_3"],
                int(c["numeric"]),
                name,
                c["name"],
                c.get("official_name", c["name"]),
                lonlat,
            )
        )
    for code, (alpha3, numeric, name, iso_name, official) in EXTRA.items():
        rows.append((code, alpha3, numeric or 0, name, iso_name, official, OVERRIDES[code]))
    rows.sort()
    return rows


def rings(topo):
    """Country polygons from TopoJSON: {numeric id: [ring of (lon, lat)]}."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx):
        out = []
        for i in idx:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    result = {}
    for g in topo["objects"]["countries"]["geometries"]:
        if "id" not in g:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        result[int(g["id"])] = [ring(r) for p in polys for r in p]
    return result


def inside(pt, rs):
    x, y = pt
    hit = False
    for r in rs:
        for (x1, y1), (x2, y2) in zip(r, r[1:] + r[:1]):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                hit = not hit
    return hit


def main():
    rows = load()
    if "--check" in sys.argv:
        polys = rings(json.load(open(TOPO)))
        for code, _, numeric, name, _, _, lonlat in rows:
            if numeric in polys and not inside(lonlat, polys[numeric]):
                print(f"outside: {code} {name} {lonlat}")
        return
    print("//! The countries and territories of ISO 3166-1 (plus XK, Kosovo): codes, English names and a")
    print("//! representative point each. Generated by `assets/world/make_country_table.py` from the")
    print("//! iso-codes data and the tz database; edit that script, not this file. The one country table")
    print("//! of the app: `model::countries` looks codes and names up in it for typed-value parsing, and")
    print("//! the map and the geographic layout take their anchors from it.")
    print("//! Small countries are placed at their capital or main city; large ones at a visual centre, so")
    print("//! no anchor lands in the sea because of overseas territories.")
    print()
    print("/// One country or territory.")
    print("#[derive(Clone, Copy, Debug, PartialEq)]")
    print("pub struct Country {")
    print("    /// ISO 3166-1 alpha-2, upper case (`SG`).")
    print("    pub alpha2: &'static str,")
    print("    /// ISO 3166-1 alpha-3 (`SGP`).")
    print("    pub alpha3: &'static str,")
    print("    /// ISO 3166-1 numeric, the same as UN M49 for countries (`702`); 0 if none.")
    print("    pub numeric: u16,")
    print("    /// English short name as commonly written (`South Korea`).")
    print("    pub name: &'static str,")
    print("    /// The name ISO 3166 gives (`Korea, Republic of`).")
    print("    pub iso_name: &'static str,")
    print("    /// The official name (`Republic of Korea`).")
    print("    pub official_name: &'static str,")
    print("    pub lon: f32,")
    print("    pub lat: f32,")
    print("}")
    print()
    print("#[allow(clippy::too_many_arguments)]")
    print("const fn c(")
    print("    alpha2: &'static str,")
    print("    alpha3: &'static str,")
    print("    numeric: u16,")
    print("    name: &'static str,")
    print("    iso_name: &'static str,")
    print("    official_name: &'static str,")
    print("    lon: f32,")
    print("    lat: f32,")
    print(") -> Country {")
    print("    Country { alpha2, alpha3, numeric, name, iso_name, official_name, lon, lat }")
    print("}")
    print()
    print("/// Every country, sorted by alpha-2 code.")
    print("#[rustfmt::skip]")
    print("#[allow(clippy::approx_constant)] // Kuala Lumpur's latitude is 3.14, not pi.")
    print("pub const COUNTRIES: &[Country] = &[")
    esc = lambda t: t.replace("\\", "\\\\").replace('"', '\\"')
    for code, alpha3, numeric, name, iso_name, official, (lon, lat) in rows:
        print(
            f'    c("{code}", "{alpha3}", {numeric}, "{esc(name)}", "{esc(iso_name)}", '
            f'"{esc(official)}", {lon:.2f}, {lat:.2f}),'
        )
    print("];")


if __name__ == "__main__":
    main()
