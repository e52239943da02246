//! The timeline: the dated activity of a case (shipments, payments, events) as items on a
//! time axis, grouped in lanes by route or by party; goods per month as bars; and what was
//! active in a window of time, which the canvas hides the rest by.
//!
//! Time is counted in whole days since 1970-01-01 (`PartialDate::days_since_epoch`). A partial
//! date covers every day it names: `2024-05` runs from 1 to 31 May, `2024` the whole year.
//! Nothing here draws; `ui::panels::timeline` shows it.

use super::flows::{self, FlowFilter, Route};
use crate::model::{
    Case, EntityId, EntityKind, ItemRef, Link, LinkId, LinkKind, PartialDate, Shipment, ShipmentId,
};
use std::collections::{BTreeMap, BTreeSet};

/// Day numbers standing for "no bound": far beyond any real date, yet safe to add to.
const OPEN_START: i64 = -10_000_000;
const OPEN_END: i64 = 10_000_000;

/// An inclusive range of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start_day: i64,
    pub end_day: i64,
}

impl Span {
    /// The span from `a` to `b`, whichever comes first.
    pub fn new(a: i64, b: i64) -> Self {
        Self {
            start_day: a.min(b),
            end_day: a.max(b),
        }
    }

    /// Every day a partial date covers.
    pub fn of_date(d: &PartialDate) -> Self {
        Self::new(d.days_since_epoch(), last_day(d))
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.start_day <= other.end_day && other.start_day <= self.end_day
    }

    fn union(self, other: Span) -> Span {
        Span::new(
            self.start_day.min(other.start_day),
            self.end_day.max(other.end_day),
        )
    }
}

/// The time the canvas shows: a brushed range, or everything up to an "as of" date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeWindow {
    pub span: Span,
}

impl TimeWindow {
    /// From day `a` to day `b`, inclusive, in either order.
    pub fn between(a: i64, b: i64) -> Self {
        Self {
            span: Span::new(a, b),
        }
    }

    /// Everything that had happened by the end of `day`: the network as of that date.
    pub fn as_of(day: i64) -> Self {
        Self::between(OPEN_START, day)
    }

    /// Everything from the start of `day` on.
    pub fn starting(day: i64) -> Self {
        Self::between(day, OPEN_END)
    }

    /// True for an "as of" window (no start).
    pub fn is_as_of(&self) -> bool {
        self.span.start_day <= OPEN_START
    }

    /// True for a window with no end ("from a date on").
    pub fn is_open_ended(&self) -> bool {
        self.span.end_day >= OPEN_END
    }

    pub fn overlaps(&self, span: &Span) -> bool {
        self.span.overlaps(span)
    }

    /// "2024-03-01 – 2024-05-31", or "as of 2024-05-31".
    pub fn label(&self) -> String {
        if self.is_as_of() {
            format!("as of {}", day_label(self.span.end_day))
        } else if self.is_open_ended() {
            format!("from {}", day_label(self.span.start_day))
        } else {
            format!(
                "{} – {}",
                day_label(self.span.start_day),
                day_label(self.span.end_day)
            )
        }
    }
}

/// Last day a partial date covers: 2024-05 runs to 31 May, 2024 to 31 December.
pub fn last_day(d: &PartialDate) -> i64 {
    match (d.month, d.day) {
        (_, Some(_)) => d.days_since_epoch(),
        (Some(m), None) => {
            let next = if m >= 12 {
                PartialDate::ymd(d.year + 1, 1, 1)
            } else {
                PartialDate::ymd(d.year, m + 1, 1)
            };
            next.days_since_epoch() - 1
        }
        (None, _) => PartialDate::ymd(d.year + 1, 1, 1).days_since_epoch() - 1,
    }
}

/// The calendar date of a day number (proleptic Gregorian).
pub fn date_of_day(day: i64) -> PartialDate {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    PartialDate::ymd(
        i32::try_from(y).unwrap_or(if y < 0 { i32::MIN } else { i32::MAX }),
        u8::try_from(m).unwrap_or(1),
        u8::try_from(d).unwrap_or(1),
    )
}

/// "2024-05-03" for a day number.
pub fn day_label(day: i64) -> String {
    date_of_day(day).to_string()
}

/// Days a shipment covers: from its earliest leg date to its latest. `None` when undated.
pub fn shipment_span(s: &Shipment) -> Option<Span> {
    s.legs
        .iter()
        .flat_map(|l| [l.departed.as_ref(), l.arrived.as_ref()])
        .flatten()
        .map(Span::of_date)
        .reduce(Span::union)
}

/// Days a link holds: a payment's date; otherwise from its start to its end, open on a side
/// that is not given. `None` when the link has no date at all.
pub fn link_span(link: &Link) -> Option<Span> {
    if let LinkKind::Payment { date, .. } = &link.kind {
        return date.as_ref().map(Span::of_date);
    }
    open_span(link.start.as_ref(), link.end.as_ref())
}

/// From the first day of `start` to the last of `end`; an unknown side stays open.
fn open_span(start: Option<&PartialDate>, end: Option<&PartialDate>) -> Option<Span> {
    if start.is_none() && end.is_none() {
        return None;
    }
    Some(Span::new(
        start.map_or(OPEN_START, PartialDate::days_since_epoch),
        end.map_or(OPEN_END, last_day),
    ))
}

/// Days an event entity covers: its start date (through its end date when given).
fn event_span(start: Option<&PartialDate>, end: Option<&PartialDate>) -> Option<Span> {
    let start = start?;
    let s = Span::of_date(start);
    Some(end.map_or(s, |e| s.union(Span::of_date(e))))
}

/// What a timeline item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    Shipment,
    Payment,
    Event,
}

impl ItemKind {
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Shipment => "Shipment",
            ItemKind::Payment => "Payment",
            ItemKind::Event => "Event",
        }
    }
}

/// One dated item on the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineItem {
    pub item: ItemRef,
    pub kind: ItemKind,
    /// Short text: a shipment's reference, a payment's parties, an event's name.
    pub label: String,
    pub span: Span,
}

/// How items are grouped into lanes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LaneBy {
    /// Shipments by route (origin → transit → destination); payments and events in lanes of
    /// their own.
    #[default]
    Route,
    /// Shipments in their shipper's and consignee's lanes, payments in the payer's and the
    /// payee's; events in a lane of their own.
    Party,
}

impl LaneBy {
    pub const ALL: [LaneBy; 2] = [LaneBy::Route, LaneBy::Party];

    pub fn label(self) -> &'static str {
        match self {
            LaneBy::Route => "By route",
            LaneBy::Party => "By party",
        }
    }
}

/// A row of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub label: String,
    /// Indices into `Timeline::items`, in time order.
    pub items: Vec<usize>,
}

/// Dated items in lanes, ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    /// Every dated item once, in time order (then by item).
    pub items: Vec<TimelineItem>,
    /// Lanes in order of their first item (then by label).
    pub lanes: Vec<Lane>,
    /// Shipments, payments and events with no date, left off the axis.
    pub undated: usize,
    /// From the first item's first day to the last item's last day.
    pub range: Option<Span>,
}

/// Where an item goes: a named lane key, ordered for stable output.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum LaneKey {
    Route(Route),
    Party(EntityId),
    NoParty,
    Payments,
    Events,
}

impl LaneKey {
    fn label(&self, case: &Case) -> String {
        match self {
            LaneKey::Route(r) => r.label(),
            LaneKey::Party(id) => case.entity_name(id),
            LaneKey::NoParty => "Unknown party".to_owned(),
            LaneKey::Payments => "Payments".to_owned(),
            LaneKey::Events => "Events".to_owned(),
        }
    }
}

/// The case's dated shipments, payments and events, in lanes.
pub fn build(case: &Case, by: LaneBy) -> Timeline {
    let mut timeline = Timeline::default();
    let mut keyed: Vec<(TimelineItem, Vec<LaneKey>)> = Vec::new();
    for s in case.shipments.values() {
        let Some(span) = shipment_span(s) else {
            timeline.undated += 1;
            continue;
        };
        let lanes = match by {
            LaneBy::Route => vec![LaneKey::Route(Route::of(s))],
            LaneBy::Party => party_lanes([s.shipper.as_ref(), s.consignee.as_ref()]),
        };
        let label = if s.reference.is_empty() {
            s.id.as_str().to_owned()
        } else {
            s.reference.clone()
        };
        keyed.push((
            TimelineItem {
                item: ItemRef::Shipment(s.id.clone()),
                kind: ItemKind::Shipment,
                label,
                span,
            },
            lanes,
        ));
    }
    for link in case.links.values() {
        let LinkKind::Payment { amount, date } = &link.kind else {
            continue;
        };
        let Some(span) = date.as_ref().map(Span::of_date) else {
            timeline.undated += 1;
            continue;
        };
        let lanes = match by {
            LaneBy::Route => vec![LaneKey::Payments],
            LaneBy::Party => party_lanes([Some(&link.from), Some(&link.to)]),
        };
        let mut label = format!(
            "{} → {}",
            case.entity_name(&link.from),
            case.entity_name(&link.to)
        );
        if let Some(m) = amount {
            label = format!("{label} · {m}");
        }
        keyed.push((
            TimelineItem {
                item: ItemRef::Link(link.id.clone()),
                kind: ItemKind::Payment,
                label,
                span,
            },
            lanes,
        ));
    }
    for e in case
        .entities
        .values()
        .filter(|e| e.kind == EntityKind::Event)
    {
        let Some(span) = event_span(e.start.as_ref(), e.end.as_ref()) else {
            timeline.undated += 1;
            continue;
        };
        keyed.push((
            TimelineItem {
                item: ItemRef::Entity(e.id.clone()),
                kind: ItemKind::Event,
                label: e.name.clone(),
                span,
            },
            vec![LaneKey::Events],
        ));
    }
    keyed.sort_by(|a, b| {
        (a.0.span, &a.0.item)
            .partial_cmp(&(b.0.span, &b.0.item))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut lanes: BTreeMap<LaneKey, Vec<usize>> = BTreeMap::new();
    for (i, (item, keys)) in keyed.into_iter().enumerate() {
        for key in keys {
            let list = lanes.entry(key).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
        timeline.range = Some(timeline.range.map_or(item.span, |r| r.union(item.span)));
        timeline.items.push(item);
    }
    let mut lanes: Vec<Lane> = lanes
        .into_iter()
        .map(|(key, items)| Lane {
            label: key.label(case),
            items,
        })
        .collect();
    // Items are in time order, so a lane's first index is its earliest item.
    lanes.sort_by(|a, b| {
        a.items
            .first()
            .cmp(&b.items.first())
            .then_with(|| a.label.cmp(&b.label))
    });
    timeline.lanes = lanes;
    timeline
}

fn party_lanes<'a>(parties: impl IntoIterator<Item = Option<&'a EntityId>>) -> Vec<LaneKey> {
    let mut keys: Vec<LaneKey> = Vec::new();
    for p in parties {
        let key = p.map_or(LaneKey::NoParty, |id| LaneKey::Party(id.clone()));
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// What the bars measure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Measure {
    #[default]
    Quantity,
    Value,
}

impl Measure {
    pub const ALL: [Measure; 2] = [Measure::Quantity, Measure::Value];

    pub fn label(self) -> &'static str {
        match self {
            Measure::Quantity => "Quantity",
            Measure::Value => "Value",
        }
    }
}

/// Goods of the shipments that started in one month.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthBar {
    /// The whole month.
    pub span: Span,
    pub amount: f64,
    pub shipments: Vec<ShipmentId>,
}

/// The units (for quantity) or currencies (for value) the case's goods are given in, the most
/// used first (by number of shipments, then by name). Units are never added together.
pub fn units(case: &Case, measure: Measure) -> Vec<String> {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for s in case.shipments.values() {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for g in &s.goods {
            let unit = match measure {
                Measure::Quantity => g.quantity.map(|_| g.unit.trim().to_owned()),
                Measure::Value => g.value.as_ref().map(|v| v.currency.trim().to_uppercase()),
            };
            if let Some(u) = unit {
                seen.insert(u);
            }
        }
        for u in seen {
            *count.entry(u).or_default() += 1;
        }
    }
    let mut out: Vec<(String, usize)> = count.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.into_iter().map(|(u, _)| u).collect()
}

/// Quantity in `unit` (or value in currency `unit`) of the shipments that started in each
/// month, in time order; months with none of it are left out.
pub fn monthly(case: &Case, measure: Measure, unit: &str) -> Vec<MonthBar> {
    flows::by_month(case, &FlowFilter::default())
        .into_iter()
        .filter_map(|m| {
            let map = match measure {
                Measure::Quantity => &m.totals.quantity,
                Measure::Value => &m.totals.value,
            };
            let amount = *map.get(unit)?;
            let month = PartialDate {
                year: m.year,
                month: Some(m.month),
                day: None,
            };
            Some(MonthBar {
                span: Span::of_date(&month),
                amount,
                shipments: m.totals.shipments,
            })
        })
        .collect()
}

/// What the canvas leaves out for a time window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inactive {
    /// Dated shipments wholly outside the window.
    pub shipments: BTreeSet<ShipmentId>,
    /// Dated links (payments, or links with a start or end) wholly outside the window.
    pub links: BTreeSet<LinkId>,
    /// Entities whose own dates (incorporation to dissolution, an event's date) miss the
    /// window, and entities whose dated activity all lies outside it while nothing undated
    /// involves them.
    pub entities: BTreeSet<EntityId>,
}

/// Which of an entity's activities fall in the window.
#[derive(Clone, Copy, Default)]
struct Involvement {
    inside: bool,
    outside: bool,
}

fn note<'a>(
    involved: &mut BTreeMap<&'a EntityId, Involvement>,
    ids: Vec<&'a EntityId>,
    inside: Option<bool>,
) {
    for id in ids {
        let inv = involved.entry(id).or_default();
        match inside {
            // Undated: it may be active any time.
            None | Some(true) => inv.inside = true,
            Some(false) => inv.outside = true,
        }
    }
}

/// What was not active in `window`. Undated shipments and payments count as active (their time
/// is unknown, so they are never hidden), and so do entities they involve; an entity with no
/// dated activity at all (an address, a person known only by links) stays.
pub fn inactive_in(case: &Case, window: TimeWindow) -> Inactive {
    let mut out = Inactive::default();
    let mut involved: BTreeMap<&EntityId, Involvement> = BTreeMap::new();
    for s in case.shipments.values() {
        let inside = shipment_span(s).map(|span| window.overlaps(&span));
        if inside == Some(false) {
            out.shipments.insert(s.id.clone());
        }
        let mut ids: Vec<&EntityId> = s.parties().into_iter().map(|(_, id)| id).collect();
        ids.extend(
            s.legs
                .iter()
                .flat_map(|l| [l.from.entity.as_ref(), l.to.entity.as_ref()])
                .flatten(),
        );
        ids.extend(s.goods.iter().filter_map(|g| g.product.as_ref()));
        note(&mut involved, ids, inside);
    }
    for link in case.links.values() {
        let span = link_span(link);
        let inside = span.map(|span| window.overlaps(&span));
        if inside == Some(false) {
            out.links.insert(link.id.clone());
        }
        // Undated links other than payments are structure, not activity: they keep no one.
        let is_payment = matches!(link.kind, LinkKind::Payment { .. });
        if span.is_some() || is_payment {
            note(&mut involved, vec![&link.from, &link.to], inside);
        }
    }
    for (id, inv) in involved {
        if inv.outside && !inv.inside {
            out.entities.insert(id.clone());
        }
    }
    for e in case.entities.values() {
        let own = if e.kind == EntityKind::Event {
            event_span(e.start.as_ref(), e.end.as_ref())
        } else {
            open_span(e.start.as_ref(), e.end.as_ref())
        };
        if own.is_some_and(|span| !window.overlaps(&span)) {
            out.entities.insert(e.id.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, GoodsLine, Leg, Money, Place};

    fn day(s: &str) -> i64 {
        s.parse::<PartialDate>().expect(s).days_since_epoch()
    }

    fn entity(id: &str, kind: EntityKind) -> Entity {
        Entity {
            id: EntityId::from(id.to_owned()),
            kind,
            name: id.to_owned(),
            ..Entity::default()
        }
    }

    fn shipment(id: &str, from: &str, to: &str, departed: Option<&str>, qty: f64) -> Shipment {
        Shipment {
            id: ShipmentId::from(id.to_owned()),
            reference: id.to_uppercase(),
            shipper: Some(EntityId::from(from.to_owned())),
            consignee: Some(EntityId::from(to.to_owned())),
            legs: vec![Leg {
                from: Place {
                    name: "Port A".into(),
                    country: Some("US".parse().expect("country")),
                    entity: None,
                },
                to: Place {
                    name: "Port B".into(),
                    country: Some("SG".parse().expect("country")),
                    entity: None,
                },
                departed: departed.map(|d| d.parse().expect("date")),
                ..Leg::default()
            }],
            goods: vec![GoodsLine {
                quantity: Some(qty),
                unit: "pcs".into(),
                value: Some(Money {
                    amount: qty * 1000.0,
                    currency: "USD".into(),
                }),
                ..GoodsLine::default()
            }],
            ..Shipment::default()
        }
    }

    /// a ships to b in March 2024, b ships to c in July 2024, d pays a in January 2024; an
    /// undated shipment from e to a; an event in May; f formed in 2025.
    fn case() -> Case {
        let mut case = Case::default();
        for id in ["a", "b", "c", "d", "e"] {
            let e = entity(id, EntityKind::Organization);
            case.entities.insert(e.id.clone(), e);
        }
        let mut f = entity("f", EntityKind::Organization);
        f.start = Some("2025".parse().expect("date"));
        case.entities.insert(f.id.clone(), f);
        let mut ev = entity("ev", EntityKind::Event);
        ev.start = Some("2024-05-20".parse().expect("date"));
        case.entities.insert(ev.id.clone(), ev);
        for s in [
            shipment("s1", "a", "b", Some("2024-03-10"), 100.0),
            shipment("s2", "b", "c", Some("2024-07"), 40.0),
            shipment("s3", "e", "a", None, 5.0),
        ] {
            case.shipments.insert(s.id.clone(), s);
        }
        let pay = Link::new(
            LinkId::from("l-pay".to_owned()),
            LinkKind::Payment {
                amount: None,
                date: Some("2024-01-15".parse().expect("date")),
            },
            EntityId::from("d".to_owned()),
            EntityId::from("a".to_owned()),
        );
        case.links.insert(pay.id.clone(), pay);
        case
    }

    #[test]
    fn partial_dates_cover_their_whole_month_or_year() {
        let may = Span::of_date(&"2024-05".parse().expect("date"));
        assert_eq!(may.start_day, day("2024-05-01"));
        assert_eq!(may.end_day, day("2024-05-31"));
        let year = Span::of_date(&"2023".parse().expect("date"));
        assert_eq!(year.end_day, day("2023-12-31"));
        let dec = Span::of_date(&"2023-12".parse().expect("date"));
        assert_eq!(dec.end_day, day("2023-12-31"));
        for d in ["1970-01-01", "2024-02-29", "2000-12-31", "1969-07-20"] {
            assert_eq!(day_label(day(d)), d);
        }
    }

    #[test]
    fn lanes_by_route_and_by_party() {
        let case = case();
        let t = build(&case, LaneBy::Route);
        // s1, s2, the payment and the event are dated; s3 is not.
        assert_eq!(t.items.len(), 4);
        assert_eq!(t.undated, 1);
        let order: Vec<String> = t.items.iter().map(|i| i.label.clone()).collect();
        assert_eq!(order, ["d → a", "S1", "ev", "S2"]);
        let lanes: Vec<&str> = t.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(lanes, ["Payments", "US → SG", "Events"]);
        assert_eq!(t.lanes[1].items, [1, 3]);
        let range = t.range.expect("range");
        assert_eq!(range.start_day, day("2024-01-15"));
        assert_eq!(range.end_day, day("2024-07-31"));

        let t = build(&case, LaneBy::Party);
        let lanes: Vec<&str> = t.lanes.iter().map(|l| l.label.as_str()).collect();
        // a is in the payment (first item) and s1; b in s1 and s2; c in s2 only.
        assert_eq!(lanes, ["a", "d", "b", "Events", "c"]);
        let b = t.lanes.iter().find(|l| l.label == "b").expect("lane b");
        assert_eq!(b.items, [1, 3]);
    }

    #[test]
    fn monthly_bars_keep_units_apart() {
        let case = case();
        assert_eq!(units(&case, Measure::Quantity), ["pcs"]);
        assert_eq!(units(&case, Measure::Value), ["USD"]);
        let bars = monthly(&case, Measure::Quantity, "pcs");
        assert_eq!(bars.len(), 2);
        assert_eq!(bars[0].amount, 100.0);
        assert_eq!(bars[0].span.start_day, day("2024-03-01"));
        assert_eq!(bars[1].amount, 40.0);
        assert_eq!(bars[1].span.end_day, day("2024-07-31"));
        assert_eq!(monthly(&case, Measure::Value, "USD")[1].amount, 40_000.0);
        assert!(monthly(&case, Measure::Value, "EUR").is_empty());
    }

    #[test]
    fn a_window_leaves_out_what_was_not_active() {
        let case = case();
        let id = |s: &str| EntityId::from(s.to_owned());
        // March to May 2024: s1 and the event are in; s2 and the payment are out.
        let w = TimeWindow::between(day("2024-03-01"), day("2024-05-31"));
        let out = inactive_in(&case, w);
        assert_eq!(
            out.shipments,
            BTreeSet::from([ShipmentId::from("s2".to_owned())])
        );
        assert_eq!(
            out.links,
            BTreeSet::from([LinkId::from("l-pay".to_owned())])
        );
        // c only received s2; d only paid in January; f was formed in 2025. a and b have s1;
        // e has only an undated shipment, so it stays.
        assert_eq!(out.entities, BTreeSet::from([id("c"), id("d"), id("f")]));

        // As of February 2024: only the payment had happened.
        let out = inactive_in(&case, TimeWindow::as_of(day("2024-02-29")));
        assert!(out.links.is_empty());
        assert_eq!(out.shipments.len(), 2);
        assert!(out.entities.contains(&id("ev")));
        assert!(out.entities.contains(&id("b")));
        assert!(!out.entities.contains(&id("a")), "a was paid in January");
        assert!(!out.entities.contains(&id("e")), "undated shipments stay");

        // A window over everything hides nothing but the company formed later.
        let out = inactive_in(
            &case,
            TimeWindow::between(day("2020-01-01"), day("2024-12-31")),
        );
        assert!(out.shipments.is_empty() && out.links.is_empty());
        assert_eq!(out.entities, BTreeSet::from([id("f")]));
    }

    #[test]
    fn window_labels() {
        let w = TimeWindow::between(day("2024-05-31"), day("2024-03-01"));
        assert_eq!(w.label(), "2024-03-01 – 2024-05-31");
        assert!(!w.is_as_of());
        let w = TimeWindow::as_of(day("2024-02-29"));
        assert!(w.is_as_of());
        assert_eq!(w.label(), "as of 2024-02-29");
        let w = TimeWindow::starting(day("2024-03-01"));
        assert!(w.is_open_ended());
        assert_eq!(w.label(), "from 2024-03-01");
    }

    #[test]
    fn the_training_case_has_a_timeline() {
        let case = crate::io::load_case(std::path::Path::new(
            "sample_cases/training_strait_networks.ron",
        ))
        .expect("training case");
        let t = build(&case, LaneBy::Route);
        assert!(
            t.items
                .iter()
                .filter(|i| i.kind == ItemKind::Shipment)
                .count()
                >= 10
        );
        assert!(t.lanes.len() >= 2);
        let seed = crate::seed_case().expect("seed case");
        let t = build(&seed, LaneBy::Route);
        assert!(t.items.iter().any(|i| i.kind == ItemKind::Event));
    }
}
