//! Frame times while a case is saved (issue 15): the real app in an `egui_kittest` harness on a
//! generated case, Ctrl+S pressed as a user does, then frames stepped until the save has
//! ended. What is measured per save is the UI thread's work only (no GPU: kittest does not
//! render), which is what used to freeze: the old save encoded and wrote the file inside the
//! Ctrl+S frame.
//!
//! - `save_frames/ctrl_s_frame/N`: the frame that handles Ctrl+S (the snapshot is taken there).
//! - `save_frames/longest_frame/N`: the longest frame drawn while the file is written.
//! - `save_frames/edit_frame/N`: the frame after an edit (no save), for comparison.
//! - `save_frames/save_call/N`: `ChokepointApp::save`, the work Ctrl+S does inside its frame.
//! - `save_frames/key_frame/N`: a frame that handles a key bound to nothing, for comparison
//!   with the Ctrl+S frame (any input makes the canvas look at the pointer and the keys).
//! - `save_frames/idle_frame/N`: a frame with nothing running, for comparison.
//! - `save_frames/blocking_save/N`: what the Ctrl+S frame cost before: clone, encode, write,
//!   clone again.
//!
//! Run with `cargo bench --bench save_frames`.

#![allow(clippy::unwrap_used)]

use chokepoint::io::generate::generate_case;
use chokepoint::io::save_case;
use chokepoint::ui::{ChokepointApp, Settings, Startup};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use egui_kittest::Harness;
use std::path::Path;
use std::time::{Duration, Instant};

const SIZES: [usize; 2] = [10_000, 100_000];

fn harness(case: chokepoint::model::Case, path: &Path) -> Harness<'static, ChokepointApp> {
    let startup = Startup {
        path: Some(path.to_owned()),
        ..Startup::for_case(case)
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_step_dt(1.0 / 60.0)
        .allow_missing_glyphs()
        .build_eframe(move |cc| ChokepointApp::new(&cc.egui_ctx, startup, settings(), false));
    // Let the first frames build the scene, the list and the findings.
    for _ in 0..10 {
        h.step();
    }
    h
}

/// Autosave off: its writes (every minute while there are unsaved changes) would land in
/// some samples and not others; what is measured is the save.
fn settings() -> Settings {
    Settings {
        autosave_seconds: 0,
        ..Settings::default()
    }
}

/// Makes the case dirty (a save of a clean case still writes; this is what a user saves).
fn touch(h: &mut Harness<'static, ChokepointApp>, round: u64) {
    let id = h.state().case.entities.keys().next().unwrap().clone();
    let mut entity = h.state().case.entities[&id].clone();
    entity.notes = format!("round {round}");
    assert!(
        h.state_mut()
            .apply_edit("Touch", chokepoint::edit::Edit::Replace(entity.into()))
    );
}

fn timed_step(h: &mut Harness<'static, ChokepointApp>) -> Duration {
    let start = Instant::now();
    h.step();
    start.elapsed()
}

/// One save through Ctrl+S: the Ctrl+S frame's time and the longest frame while it ran.
fn one_save(h: &mut Harness<'static, ChokepointApp>, round: u64) -> (Duration, Duration, usize) {
    touch(h, round);
    // The frames after an edit rebuild what depends on the case (the canvas scene, the
    // list): that is the edit's cost (`edit_frame`), not the save's.
    for _ in 0..3 {
        h.step();
    }
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    let ctrl_s = timed_step(h);
    assert!(h.state().is_saving(), "the save runs in the background");
    let mut longest = Duration::ZERO;
    let mut frames = 0;
    while h.state().is_saving() {
        longest = longest.max(timed_step(h));
        frames += 1;
    }
    assert!(!h.state().history.is_dirty(), "saved");
    (ctrl_s, longest, frames)
}

fn save_frames(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut group = c.benchmark_group("save_frames");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(5));
    for n in SIZES {
        let case = generate_case(n, 1).unwrap();
        let path = dir.path().join(format!("case-{n}.ron"));
        let mut h = harness(case, &path);
        let mut round = 0;
        let (_, _, frames) = one_save(&mut h, round);
        eprintln!("{n} entities: {frames} frames drawn during one save");

        group.bench_function(BenchmarkId::new("ctrl_s_frame", n), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        round += 1;
                        one_save(&mut h, round).0
                    })
                    .sum()
            });
        });
        group.bench_function(BenchmarkId::new("longest_frame", n), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        round += 1;
                        one_save(&mut h, round).1
                    })
                    .sum()
            });
        });
        group.bench_function(BenchmarkId::new("edit_frame", n), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        round += 1;
                        touch(&mut h, round);
                        let t = timed_step(&mut h);
                        h.step();
                        t
                    })
                    .sum()
            });
        });
        group.bench_function(BenchmarkId::new("save_call", n), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    round += 1;
                    touch(&mut h, round);
                    for _ in 0..3 {
                        h.step();
                    }
                    let start = Instant::now();
                    assert!(h.state_mut().save());
                    total += start.elapsed();
                    while h.state().is_saving() {
                        h.step();
                    }
                }
                total
            });
        });
        group.bench_function(BenchmarkId::new("key_frame", n), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        h.key_press(egui::Key::F20);
                        timed_step(&mut h)
                    })
                    .sum()
            });
        });
        group.bench_function(BenchmarkId::new("idle_frame", n), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| timed_step(&mut h)).sum());
        });
        let case = h.state().case.clone();
        let old = dir.path().join(format!("blocking-{n}.ron"));
        group.bench_function(BenchmarkId::new("blocking_save", n), |b| {
            b.iter(|| {
                // As the old save did: a copy to write, then a copy as the merge base.
                let snapshot = case.clone();
                save_case(&old, &snapshot).unwrap();
                std::hint::black_box(snapshot.clone());
            });
        });
    }
    group.finish();
}

criterion_group!(benches, save_frames);
criterion_main!(benches);
