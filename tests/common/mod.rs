//! Pieces the UI tests share: an app harness that runs in real frame time, and waiting for
//! background work (layouts, findings, autosaves) to land.

#![allow(dead_code)] // each test file uses what it needs

use chokepoint::model::Case;
use chokepoint::ui::{ChokepointApp, Settings, Startup};
use egui_kittest::Harness;

/// The `chokepoint` binary this test run built, ready for arguments: the CLI as a user runs it.
pub fn chokepoint() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_chokepoint"))
}

/// The one way UI tests build the real app in a harness: what it opens ([`Startup`]), with
/// which [`Settings`], on how large a screen and how frames are stepped.
///
/// By default: 1500×950 points, stepping 1/60 s per frame (two clicks make a double-click and
/// animations take as many frames as they would for a user), up to 400 frames per `run()`,
/// missing glyphs allowed and no system font discovery.
pub struct AppHarness {
    startup: Startup,
    settings: Settings,
    size: egui::Vec2,
    realtime: bool,
    discover_fonts: bool,
}

impl AppHarness {
    /// The app started as `startup` says (a file, a theme, a time window, ...).
    pub fn new(startup: Startup) -> Self {
        Self {
            startup,
            settings: Settings::default(),
            size: egui::vec2(1500.0, 950.0),
            realtime: true,
            discover_fonts: false,
        }
    }

    /// The app on `case`, with nothing else chosen.
    pub fn on(case: Case) -> Self {
        Self::new(Startup::for_case(case))
    }

    /// A screen of `width`×`height` points.
    pub fn size(mut self, width: f32, height: f32) -> Self {
        self.size = egui::vec2(width, height);
        self
    }

    /// The app with these settings (an investigator's name, a theme ...).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// kittest's own stepping (1/4 s per frame, at most 4 frames per `run()`): a `run()` that
    /// needs more frames than a settled UI would fails the test.
    pub fn few_steps(mut self) -> Self {
        self.realtime = false;
        self
    }

    /// The app discovers and installs a system CJK font, as it does for a user; glyphs must
    /// then be present unless this machine has no such font (the app shows a notice then).
    pub fn system_fonts(mut self) -> Self {
        self.discover_fonts = true;
        self
    }

    pub fn build(self) -> Harness<'static, ChokepointApp> {
        let Self {
            startup,
            settings,
            size,
            realtime,
            discover_fonts,
        } = self;
        let mut builder = Harness::builder().with_size(size);
        if realtime {
            builder = builder.with_step_dt(1.0 / 60.0).with_max_steps(400);
        }
        if !discover_fonts || chokepoint::ui::fonts::find_cjk_font(None).is_none() {
            builder = builder.allow_missing_glyphs();
        }
        builder.build_eframe(move |cc| {
            ChokepointApp::new(&cc.egui_ctx, startup, settings, discover_fonts)
        })
    }
}

/// The real app on `case` as [`AppHarness`] builds it by default.
pub fn realtime_harness(case: Case) -> Harness<'static, ChokepointApp> {
    AppHarness::on(case).build()
}

/// [`realtime_harness`] started as `startup` says (a file, a theme, a time window, ...).
pub fn realtime_harness_with(startup: Startup) -> Harness<'static, ChokepointApp> {
    AppHarness::new(startup).build()
}

/// How long [`step_until`] waits for background work. Generous on purpose: a passing test
/// stops waiting as soon as the work lands, and on a busy CI machine (two cores, a build
/// beside the tests) a worker thread can take many times its usual time. A bundle's
/// passphrase alone is scrypt, which `age` tunes to about a second of this machine's time from
/// a one-millisecond sample and which is memory-hard (up to a gigabyte); writing the bundle
/// then waits for the disk (fsync) while the build beside it writes too.
pub const WAIT_LIMIT: std::time::Duration = std::time::Duration::from_mins(1);

/// Steps frames (sleeping a little between them, so worker threads can finish) until `done`
/// holds; false if it still does not after [`WAIT_LIMIT`] of wall-clock time.
pub fn step_until(
    h: &mut Harness<'static, ChokepointApp>,
    done: impl Fn(&Harness<'static, ChokepointApp>) -> bool,
) -> bool {
    step_until_within(h, WAIT_LIMIT, done)
}

/// [`step_until`] with its own limit, for waits that are expected to time out in some
/// environments (a desktop file chooser answering instead of the app's path prompt).
///
/// The limit is wall-clock time, not a number of frames: how many frames fit in the time a
/// worker thread needs depends on the machine's load, which a frame count would turn into a
/// flaky test.
pub fn step_until_within(
    h: &mut Harness<'static, ChokepointApp>,
    limit: std::time::Duration,
    done: impl Fn(&Harness<'static, ChokepointApp>) -> bool,
) -> bool {
    let deadline = std::time::Instant::now() + limit;
    loop {
        h.step();
        if done(h) {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Whether this run is CI (`.ci/run` exports `CI=1`): there, a test that needs a peer tool
/// (Python with networkx, igraph, followthemoney ...) must run, never skip.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The Python interpreter, when it can import every one of `modules`; `None` (after saying why
/// on stderr, so a skipped check is visible) when it cannot, outside CI. In CI a missing peer
/// is a failure: `.ci/run` installs them.
pub fn peer_python(modules: &[&str]) -> Option<std::path::PathBuf> {
    let python =
        std::path::PathBuf::from(std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into()));
    let probe = std::process::Command::new(&python)
        .arg("-c")
        .arg(format!("import {}", modules.join(", ")))
        .output();
    let missing = match probe {
        Ok(out) if out.status.success() => return Some(python),
        Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        Err(e) => format!("{}: {e}", python.display()),
    };
    let message = format!(
        "peer check needs Python with {} (pip install {}): {missing}",
        modules.join(", "),
        modules.join(" ")
    );
    assert!(!in_ci(), "{message}");
    eprintln!("SKIPPED: {message}");
    None
}

/// Graphviz's `dot` program, when it runs; `None` (after saying why on stderr) when it does
/// not, outside CI. In CI a missing Graphviz is a failure: `.ci/run` installs it.
pub fn peer_graphviz() -> Option<std::path::PathBuf> {
    let dot =
        std::path::PathBuf::from(std::env::var_os("GRAPHVIZ_DOT").unwrap_or_else(|| "dot".into()));
    match std::process::Command::new(&dot).arg("-V").output() {
        Ok(out) if out.status.success() => Some(dot),
        other => {
            let why = match other {
                Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
                Err(e) => format!("{}: {e}", dot.display()),
            };
            let message = format!("peer check needs Graphviz (apt-get install graphviz): {why}");
            assert!(!in_ci(), "{message}");
            eprintln!("SKIPPED: {message}");
            None
        }
    }
}

/// Names a new entity in the new-entity form that Ctrl+E, *+ Entity*, a double-click on the
/// chart or the palette opened: the name typed into the focused field, Enter adds it. Returns
/// the new entity's id (it is selected).
pub fn name_new_entity(
    h: &mut Harness<'static, ChokepointApp>,
    name: &str,
) -> chokepoint::model::EntityId {
    h.run();
    assert!(
        h.state().canvas.new_entity_open(),
        "the new-entity form is open"
    );
    h.event(egui::Event::Text(name.to_owned()));
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    match h.state().selection.clone() {
        Some(chokepoint::model::ItemRef::Entity(id)) => id,
        other => panic!("the new entity is selected, got {other:?}"),
    }
}
