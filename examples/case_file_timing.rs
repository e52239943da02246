//! Times one load and one save of a case file, as the app does them, for profiling and for
//! peak-memory figures (`/usr/bin/time -v`, or the process's own high-water mark printed
//! here). `--only load` or `--only save` (save encodes the loaded case and writes it with
//! `save_case`, backup and all).
//!
//! `cargo run --release --example case_file_timing -- case.ron [--save out.ron] [--only load]`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chokepoint::io::{case_to_ron, load_case, save_case};
use std::time::Instant;

fn main() {
    chokepoint::alloc::tune();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().expect("a case file");
    let mut out = None;
    let mut only = None;
    let mut it = args.iter().skip(1);
    while let Some(arg) = it.next() {
        let v = it.next().expect("every option takes a value");
        match arg.as_str() {
            "--save" => out = Some(v.clone()),
            "--only" => only = Some(v.clone()),
            other => panic!("unknown option {other}"),
        }
    }
    let t = Instant::now();
    let case = load_case(std::path::Path::new(path)).expect("loads");
    let load = t.elapsed().as_secs_f64();
    let hwm_load = high_water_mib();
    println!(
        "load {load:.3} s, peak {hwm_load:.0} MiB ({})",
        case.counts()
    );
    let t = Instant::now();
    let problems = chokepoint::edit::check_case(&case).len();
    println!(
        "of which validation (check_case, again): {:.3} s, {problems} problems",
        t.elapsed().as_secs_f64()
    );
    if only.as_deref() == Some("load") {
        return;
    }
    let t = Instant::now();
    let text = case_to_ron(&case).expect("encodes");
    let encode = t.elapsed().as_secs_f64();
    drop(text);
    let t = Instant::now();
    let whole = chokepoint::io::case_file::case_to_ron_whole(&case).expect("encodes");
    println!(
        "encode in one pass of ron, one thread: {:.3} s",
        t.elapsed().as_secs_f64()
    );
    drop(whole);
    if let Some(out) = out {
        let t = Instant::now();
        save_case(std::path::Path::new(&out), &case).expect("saves");
        let save = t.elapsed().as_secs_f64();
        println!(
            "encode {encode:.3} s, save {save:.3} s, peak {:.0} MiB",
            high_water_mib()
        );
    } else {
        println!("encode {encode:.3} s");
    }
}

/// The process's peak resident memory so far (`VmHWM`), MiB.
fn high_water_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
