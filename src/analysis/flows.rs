//! Flows: declared quantities and values of shipments aggregated by route (origin → transit →
//! destination country), by party (shipper, consignee) and by month. Each currency and each unit
//! is summed on its own: nothing is converted, so no exchange rate is invented.

use crate::model::{
    Case, CountryCode, EntityId, PartialDate, Shipment, ShipmentId, ShipmentStatus, TradeDirection,
    TradeFlow,
};
use std::collections::BTreeMap;

/// Which shipments to count.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowFilter {
    /// Only shipments whose first date is on or after this (undated ones are then left out).
    pub from: Option<PartialDate>,
    /// Only shipments whose first date is on or before this.
    pub to: Option<PartialDate>,
    /// Only shipments with one of these statuses; empty for all.
    pub statuses: Vec<ShipmentStatus>,
}

impl FlowFilter {
    pub fn passes(&self, s: &Shipment) -> bool {
        if !self.statuses.is_empty() && !self.statuses.contains(&s.status) {
            return false;
        }
        if self.from.is_none() && self.to.is_none() {
            return true;
        }
        let Some(day) = s.first_date().map(PartialDate::days_since_epoch) else {
            return false;
        };
        self.from
            .as_ref()
            .is_none_or(|f| day >= f.days_since_epoch())
            && self.to.as_ref().is_none_or(|t| day <= last_day(t))
    }
}

/// Last day (since the epoch) a partial date covers: 2024-05 runs to 31 May.
fn last_day(d: &PartialDate) -> i64 {
    match (d.month, d.day) {
        (_, Some(_)) => d.days_since_epoch(),
        (Some(m), None) => {
            let next = if m == 12 {
                PartialDate::ymd(d.year + 1, 1, 1)
            } else {
                PartialDate::ymd(d.year, m + 1, 1)
            };
            next.days_since_epoch() - 1
        }
        (None, _) => PartialDate::ymd(d.year + 1, 1, 1).days_since_epoch() - 1,
    }
}

/// Summed goods of a set of shipments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    /// The shipments counted, in id order.
    pub shipments: Vec<ShipmentId>,
    /// Quantity by unit ("pcs", "units" ...; "" when the line gives none).
    pub quantity: BTreeMap<String, f64>,
    /// Value by currency code.
    pub value: BTreeMap<String, f64>,
}

impl Totals {
    fn add(&mut self, s: &Shipment) {
        if self.shipments.last() != Some(&s.id) {
            self.shipments.push(s.id.clone());
        }
        for g in &s.goods {
            if let Some(q) = g.quantity {
                *self.quantity.entry(g.unit.trim().to_owned()).or_default() += q;
            }
            if let Some(v) = &g.value {
                *self
                    .value
                    .entry(v.currency.trim().to_uppercase())
                    .or_default() += v.amount;
            }
        }
    }

    fn finish(&mut self) {
        self.shipments.sort();
        self.shipments.dedup();
    }
}

/// A route as countries: where the goods left, where they passed, where they ended.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route {
    pub origin: Option<CountryCode>,
    pub transit: Vec<CountryCode>,
    pub destination: Option<CountryCode>,
}

impl Route {
    /// The route of a shipment; consecutive stops in one country count once.
    pub fn of(s: &Shipment) -> Self {
        let mut stops: Vec<&CountryCode> = Vec::new();
        for leg in &s.legs {
            for place in [&leg.from, &leg.to] {
                if let Some(c) = &place.country
                    && stops.last() != Some(&c)
                {
                    stops.push(c);
                }
            }
        }
        match stops.as_slice() {
            [] => Self::default(),
            [only] => Self {
                origin: Some((*only).clone()),
                transit: Vec::new(),
                destination: Some((*only).clone()),
            },
            [first, middle @ .., last] => Self {
                origin: Some((*first).clone()),
                transit: middle.iter().map(|c| (*c).clone()).collect(),
                destination: Some((*last).clone()),
            },
        }
    }

    /// "US → SG → HK"; "?" for an unknown end.
    pub fn label(&self) -> String {
        let show = |c: &Option<CountryCode>| c.as_ref().map_or("?", CountryCode::as_str).to_owned();
        let mut parts = vec![show(&self.origin)];
        parts.extend(self.transit.iter().map(|c| c.as_str().to_owned()));
        parts.push(show(&self.destination));
        parts.join(" → ")
    }
}

/// Goods along one route.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteFlow {
    pub route: Route,
    pub totals: Totals,
}

/// Goods by route, in route order (origin, transit, destination).
pub fn by_route(case: &Case, filter: &FlowFilter) -> Vec<RouteFlow> {
    let mut map: BTreeMap<Route, Totals> = BTreeMap::new();
    for s in case.shipments.values().filter(|s| filter.passes(s)) {
        map.entry(Route::of(s)).or_default().add(s);
    }
    map.into_iter()
        .map(|(route, mut totals)| {
            totals.finish();
            RouteFlow { route, totals }
        })
        .collect()
}

/// A party's side of a shipment, for flows by party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartySide {
    Shipper,
    Consignee,
}

/// Goods a party sent or received.
#[derive(Clone, Debug, PartialEq)]
pub struct PartyFlow {
    pub entity: EntityId,
    pub side: PartySide,
    pub totals: Totals,
}

/// Goods by shipper and by consignee, in (side, entity id) order.
pub fn by_party(case: &Case, filter: &FlowFilter) -> Vec<PartyFlow> {
    let mut map: BTreeMap<(PartySide, EntityId), Totals> = BTreeMap::new();
    for s in case.shipments.values().filter(|s| filter.passes(s)) {
        for (side, party) in [
            (PartySide::Shipper, &s.shipper),
            (PartySide::Consignee, &s.consignee),
        ] {
            if let Some(p) = party {
                map.entry((side, p.clone())).or_default().add(s);
            }
        }
    }
    map.into_iter()
        .map(|((side, entity), mut totals)| {
            totals.finish();
            PartyFlow {
                entity,
                side,
                totals,
            }
        })
        .collect()
}

/// Goods whose shipment started in one month.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthFlow {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    pub totals: Totals,
}

/// Goods by the month of each shipment's first date (undated shipments and those dated only
/// to a year are left out), in time order.
pub fn by_month(case: &Case, filter: &FlowFilter) -> Vec<MonthFlow> {
    let mut map: BTreeMap<(i32, u8), Totals> = BTreeMap::new();
    for s in case.shipments.values().filter(|s| filter.passes(s)) {
        if let Some(PartialDate {
            year,
            month: Some(month),
            ..
        }) = s.first_date()
        {
            map.entry((*year, *month)).or_default().add(s);
        }
    }
    map.into_iter()
        .map(|((year, month), mut totals)| {
            totals.finish();
            MonthFlow {
                year,
                month,
                totals,
            }
        })
        .collect()
}

/// A row of trade statistics with what the case says beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct StatisticsRow {
    /// Its index in the case's statistics.
    pub index: usize,
    /// This row's value as a share of its reporter's total over all partners (the "World"
    /// row of the same flow, commodity and period), when the file has that total.
    pub share_of_total: Option<f64>,
    /// The case's shipments on the same lane (from the reporter to the partner for an
    /// export, the other way for an import), in the same period, of goods whose HS code
    /// falls under the row's commodity code, and their value in US dollars (the currency
    /// Comtrade reports in; shipments valued in other currencies are counted, not summed).
    pub shipments: Vec<ShipmentId>,
    pub shipments_usd: f64,
}

/// Whether `date` falls in `period` (a year, or a month).
fn in_period(date: &PartialDate, period: &PartialDate) -> bool {
    date.year == period.year && (period.month.is_none() || date.month == period.month)
}

/// The case's trade statistics, each with its share of the reporter's total and the case's
/// shipments that fall under it. "World" totals come first in their group and are never
/// added to the rows per partner.
pub fn statistics(case: &Case) -> Vec<StatisticsRow> {
    let group = |f: &TradeFlow| {
        (
            f.commodity.clone(),
            f.period.clone(),
            f.reporter.clone(),
            f.direction,
        )
    };
    // Each group's total over all partners, looked up once per row.
    let mut totals = BTreeMap::new();
    for t in case.statistics.iter().filter(|t| t.is_world_total()) {
        totals
            .entry(group(t))
            .or_insert(t.value.as_ref().map(|m| m.amount));
    }
    let mut rows: Vec<StatisticsRow> = case
        .statistics
        .iter()
        .enumerate()
        .map(|(index, flow)| {
            let total = totals.get(&group(flow)).copied().flatten();
            let share_of_total = match (total, &flow.value) {
                (Some(t), Some(v)) if t > 0.0 && !flow.is_world_total() => Some(v.amount / t),
                _ => None,
            };
            let (from, to) = match flow.direction {
                TradeDirection::Export | TradeDirection::ReExport => {
                    (Some(&flow.reporter), flow.partner.as_ref())
                }
                TradeDirection::Import | TradeDirection::ReImport => {
                    (flow.partner.as_ref(), Some(&flow.reporter))
                }
            };
            let code: String = flow
                .commodity
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let mut shipments = Vec::new();
            let mut shipments_usd = 0.0;
            for s in case.shipments.values() {
                let start = s.legs.first().and_then(|l| l.from.country.as_ref());
                let end = s.legs.last().and_then(|l| l.to.country.as_ref());
                let lane =
                    from.is_none_or(|c| start == Some(c)) && to.is_none_or(|c| end == Some(c));
                let when = s.first_date().is_some_and(|d| in_period(d, &flow.period));
                let goods: Vec<_> = s
                    .goods
                    .iter()
                    .filter(|g| {
                        let hs: String = g.hs_code.chars().filter(char::is_ascii_digit).collect();
                        !code.is_empty()
                            && hs.len() >= 4
                            && (hs.starts_with(&code) || code.starts_with(&hs))
                    })
                    .collect();
                if lane && when && !goods.is_empty() {
                    shipments.push(s.id.clone());
                    shipments_usd += goods
                        .iter()
                        .filter_map(|g| g.value.as_ref())
                        .filter(|m| m.currency == "USD")
                        .map(|m| m.amount)
                        .sum::<f64>();
                }
            }
            StatisticsRow {
                index,
                share_of_total,
                shipments,
                shipments_usd,
            }
        })
        .collect();
    let flow = |r: &StatisticsRow| &case.statistics[r.index];
    rows.sort_by(|a, b| {
        let (fa, fb) = (flow(a), flow(b));
        group(fa)
            .cmp(&group(fb))
            .then_with(|| fb.is_world_total().cmp(&fa.is_world_total()))
            .then_with(|| {
                let v = |f: &TradeFlow| f.value.as_ref().map_or(0.0, |m| m.amount);
                v(fb).total_cmp(&v(fa))
            })
    });
    rows
}
