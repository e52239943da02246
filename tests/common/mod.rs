//! Pieces the UI tests share: an app harness that runs in real frame time, and waiting for
//! background work (layouts, findings, autosaves) to land.

#![allow(dead_code)] // each test file uses what it needs

use chokepoint::model::Case;
use chokepoint::ui::{ChokepointApp, Settings, Startup};
use egui_kittest::Harness;

/// The real app on `case`, 1500×950 points, stepping 1/60 s per frame: two clicks make a
/// double-click and animations take as many frames as they would for a user.
pub fn realtime_harness(case: Case) -> Harness<'static, ChokepointApp> {
    Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(400)
        .allow_missing_glyphs()
        .build_eframe(|cc| {
            ChokepointApp::new(
                &cc.egui_ctx,
                Startup::for_case(case),
                Settings::default(),
                false,
            )
        })
}

/// Steps frames (sleeping a little between them, so worker threads can finish) until `done`
/// holds; false if it still does not after about four seconds.
pub fn step_until(
    h: &mut Harness<'static, ChokepointApp>,
    done: impl Fn(&Harness<'static, ChokepointApp>) -> bool,
) -> bool {
    for _ in 0..400 {
        h.step();
        if done(h) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    false
}
