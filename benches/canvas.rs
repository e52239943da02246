//! Canvas frame cost: CPU time to run one egui frame of the canvas (hit testing, culling, level
//! of detail, painting) and tessellate its shapes, on generated cases of 1k, 10k and 100k
//! entities, fully zoomed out (the whole case fitted) and zoomed in (100 %) on its middle.
//! The scene is built once (it is cached on the case revision); this measures steady frames.
//! The `_hover` variants rest the mouse over the canvas, so each frame also hit-tests the nodes,
//! links and routes under it (what every frame costs while the user moves the mouse).
//!
//! `scene_build/N` is what the canvas redoes after every edit: the scene (nodes, edges, routes,
//! groups, the spatial index) built from the case.
//!
//! Run with `cargo bench --bench canvas`. Targets on 2 cores: 10k nodes + 20k edges within
//! 8 ms a frame, 100k + 200k within 50 ms.

#![allow(clippy::unwrap_used)]

use chokepoint::edit::{History, Revision};
use chokepoint::io::generate::generate_case;
use chokepoint::model::Case;
use chokepoint::ui::canvas::Canvas;
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, vec2};
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
/// Where the mouse rests in the hover variants: over the drawing, off the middle.
const POINTER: Option<Pos2> = Some(Pos2::new(700.0, 450.0));

fn raw_input(pointer: Option<Pos2>) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 1000.0))),
        events: pointer.map(egui::Event::PointerMoved).into_iter().collect(),
        ..RawInput::default()
    }
}

/// One frame: run the canvas UI and tessellate what it painted. With a `pointer`, the mouse
/// rests over the canvas there, so the frame also hit-tests what lies under it (hover).
fn frame(
    ctx: &egui::Context,
    canvas: &mut Canvas,
    (case, revision): (&Case, Revision),
    pointer: Option<Pos2>,
) -> usize {
    let mut actions = Vec::new();
    let output = ctx.run_ui(raw_input(pointer), |ui| {
        canvas.ui(ui, case, revision, false, &mut actions);
    });
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    primitives.len()
}

fn canvas_frames(c: &mut Criterion) {
    // The app's allocator settings (see `chokepoint::alloc`), so frames cost what they do there.
    chokepoint::alloc::tune();
    let mut group = c.benchmark_group("canvas_frame");
    for n in SIZES {
        let case = generate_case(n, 1).unwrap();
        // The case as opened in the app: its own identity, unchanged while measured.
        let revision = History::default().revision();
        eprintln!("{n} entities: {}", case.counts());
        if n >= 100_000 {
            group
                .sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .measurement_time(Duration::from_secs(8));
        } else {
            group
                .sample_size(30)
                .measurement_time(Duration::from_secs(4));
        }
        for (zoomed_in, pointer) in [
            (false, None),
            (true, None),
            (false, POINTER),
            (true, POINTER),
        ] {
            let ctx = egui::Context::default();
            let mut canvas = Canvas::default();
            // Two frames: the first builds the scene and fits the case into view.
            frame(&ctx, &mut canvas, (&case, revision), None);
            frame(&ctx, &mut canvas, (&case, revision), None);
            if zoomed_in {
                canvas.zoom = 1.0;
            }
            let label = match (zoomed_in, pointer.is_some()) {
                (false, false) => "zoomed_out",
                (true, false) => "zoomed_in",
                (false, true) => "zoomed_out_hover",
                (true, true) => "zoomed_in_hover",
            };
            group.bench_function(BenchmarkId::new(label, n), |b| {
                b.iter(|| black_box(frame(&ctx, &mut canvas, (&case, revision), pointer)));
            });
        }
        // Far out with the picture kept while the camera is still (what Automatic picks for a
        // large case on a graphics card): frames once the picture is made, with and without the
        // pointer over it.
        let lines = case.links.len() + case.shipments.len();
        let pictured = lines >= chokepoint::ui::canvas::raster::STILL_PICTURE_LINES;
        for pointer in [None, POINTER].into_iter().filter(|_| pictured) {
            let ctx = egui::Context::default();
            let mut canvas = Canvas::default();
            canvas.far_drawing = chokepoint::ui::canvas::raster::FarDrawing::WhenStill;
            let started = std::time::Instant::now();
            while !canvas.far_view_is_picture() && started.elapsed() < Duration::from_mins(1) {
                frame(&ctx, &mut canvas, (&case, revision), None);
                std::thread::sleep(Duration::from_millis(5));
            }
            assert!(canvas.far_view_is_picture(), "no picture after a minute");
            eprintln!("{n}: picture made in {:.2?}", started.elapsed());
            let label = if pointer.is_some() {
                "picture_hover"
            } else {
                "picture"
            };
            group.bench_function(BenchmarkId::new(label, n), |b| {
                b.iter(|| black_box(frame(&ctx, &mut canvas, (&case, revision), pointer)));
            });
        }
    }
    group.finish();
}

fn scene_build(c: &mut Criterion) {
    chokepoint::alloc::tune();
    let mut group = c.benchmark_group("scene_build");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(8));
    for n in SIZES {
        let case = generate_case(n, 1).unwrap();
        let filters = chokepoint::ui::canvas::scene::Filters::default();
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| black_box(chokepoint::ui::canvas::scene::Scene::build(&case, &filters)));
        });
    }
    group.finish();
}

criterion_group!(benches, canvas_frames, scene_build);
criterion_main!(benches);
