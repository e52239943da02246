//! Screening on names no one here chose: part of OpenSanctions' public candidate-generation
//! benchmark (yente, MIT licence, `tests/fixtures/screening_benchmark/`). The UN-listed people,
//! as listed, are the screening list; the same people with the typos, reshuffles and spelling
//! variants of real data must each find their own entry (recall), and 10 000 synthetic people
//! on no list must find none (false hits per 1 000).
//!
//! Figures at the default threshold, printed by `cargo test --test screening_benchmark --
//! --nocapture`, are in the README's screening section.

#![allow(clippy::unwrap_used)]

use chokepoint::analysis::screening::{DEFAULT_THRESHOLD, ListEntry, PartyFacts, ScreeningList};
use chokepoint::io::tabular::Records;
use chokepoint::model::parse::{self, DateOrder};
use std::path::Path;

struct Person {
    name: String,
    birth: String,
    nationality: String,
}

fn read(file: &str) -> Vec<Person> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/screening_benchmark")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rows = Records::new(&text, ',');
    let header = rows.next().unwrap().unwrap().fields;
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (name, birth, nationality) = (col("full_name"), col("date_of_birth"), col("nationality"));
    rows.map(|r| {
        let f = r.unwrap().fields;
        Person {
            name: f[name].clone(),
            birth: f[birth].clone(),
            nationality: f[nationality].clone(),
        }
    })
    .collect()
}

fn facts(p: &Person) -> PartyFacts {
    PartyFacts {
        births: parse::date(&p.birth, DateOrder::Unknown)
            .ok()
            .into_iter()
            .collect(),
        countries: parse::country(&p.nationality).ok().into_iter().collect(),
        identifiers: Vec::new(),
    }
}

fn list(listed: &[Person]) -> ScreeningList {
    let entries = listed
        .iter()
        .enumerate()
        .map(|(i, p)| ListEntry {
            id: format!("un-{i}"),
            name: p.name.clone(),
            source: "UN (benchmark)".to_owned(),
            dates_of_birth: vec![p.birth.clone()]
                .into_iter()
                .filter(|b| !b.is_empty())
                .collect(),
            countries: vec![p.nationality.clone()]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect(),
            ..ListEntry::default()
        })
        .collect();
    ScreeningList::from_entries("UN benchmark", entries)
}

/// (recall over `rows`, misses shown for the report).
fn recall(
    list: &ScreeningList,
    treated: &[Person],
    rows: &[usize],
    with_facts: bool,
) -> (f64, Vec<String>) {
    let mut found = 0;
    let mut misses = Vec::new();
    for &i in rows {
        let p = &treated[i];
        let f = if with_facts {
            facts(p)
        } else {
            PartyFacts::default()
        };
        let hits = list.screen_party(&p.name, &f, DEFAULT_THRESHOLD);
        if hits.iter().any(|(e, _, _)| *e == i) {
            found += 1;
        } else {
            let (score, via) = list.score_party_against(&p.name, &f, i);
            misses.push(format!("{score:.3} {} ~ {via}", p.name));
        }
    }
    (f64::from(found) / rows.len() as f64, misses)
}

#[test]
fn recall_and_false_hits_on_the_opensanctions_benchmark() {
    let listed = read("positives_un_untreated.csv");
    let treated = read("positives_un_treated.csv");
    let negatives = read("negatives_global.csv");
    assert_eq!(listed.len(), treated.len());
    assert!(listed.len() >= 300 && negatives.len() >= 10_000);
    let list = list(&listed);

    let all: Vec<usize> = (0..treated.len()).collect();
    let changed: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| treated[i].name != listed[i].name)
        .collect();
    let (with_facts, misses) = recall(&list, &treated, &all, true);
    let (names_only, _) = recall(&list, &treated, &all, false);
    let (changed_recall, _) = recall(&list, &treated, &changed, true);

    let mut false_hits = 0;
    let mut false_hits_names_only = 0;
    let mut shown = Vec::new();
    for p in &negatives {
        let hits = list.screen_party(&p.name, &facts(p), DEFAULT_THRESHOLD);
        if let Some((e, via, s)) = hits.first() {
            false_hits += 1;
            shown.push(format!("{s:.3} {} ~ {via} (entry {e})", p.name));
        }
        if !list
            .screen_party(&p.name, &PartyFacts::default(), DEFAULT_THRESHOLD)
            .is_empty()
        {
            false_hits_names_only += 1;
        }
    }
    let per_1000 = 1000.0 * f64::from(false_hits) / negatives.len() as f64;
    let per_1000_names = 1000.0 * f64::from(false_hits_names_only) / negatives.len() as f64;
    // How the figures move with the threshold: each positive's score against its own entry
    // (the index finds exactly those at the default threshold), each negative's best score.
    let own: Vec<f64> = all
        .iter()
        .map(|&i| {
            list.score_party_against(&treated[i].name, &facts(&treated[i]), i)
                .0
        })
        .collect();
    let found_at_default = own.iter().filter(|&&s| s >= DEFAULT_THRESHOLD).count();
    assert_eq!(
        found_at_default as f64 / all.len() as f64,
        with_facts,
        "the index and the pairwise score disagree"
    );
    let floor = 0.75;
    let best: Vec<f64> = negatives
        .iter()
        .map(|p| {
            list.screen_party(&p.name, &facts(p), floor)
                .first()
                .map_or(0.0, |h| h.2)
        })
        .collect();
    println!("threshold  recall  false hits per 1000");
    for t in [0.80, 0.85, DEFAULT_THRESHOLD, 0.90, 0.95] {
        let r = own.iter().filter(|&&s| s >= t).count() as f64 / own.len() as f64;
        let f = 1000.0 * best.iter().filter(|&&s| s >= t).count() as f64 / best.len() as f64;
        println!("{t:>9.2}  {r:.3}   {f:.2}");
    }
    println!("misses:\n{}", misses.join("\n"));
    println!("false hits:\n{}", shown.join("\n"));
    println!(
        "benchmark at threshold {DEFAULT_THRESHOLD}: {} listed, {} treated ({} with a changed \
         name), {} negatives\n  with dates of birth and nationalities: recall {with_facts:.3} \
         (changed names {changed_recall:.3}), false hits {per_1000:.2} per 1000\n  names \
         alone: recall {names_only:.3}, false hits {per_1000_names:.2} per 1000",
        listed.len(),
        treated.len(),
        changed.len(),
        negatives.len()
    );
    assert!(with_facts >= 0.97, "recall {with_facts:.3}");
    assert!(per_1000 <= 1.0, "{per_1000:.2} false hits per 1000");
    assert!(
        per_1000_names <= 1.0,
        "{per_1000_names:.2} false hits per 1000 by name alone"
    );
}
