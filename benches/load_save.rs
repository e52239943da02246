//! Case file speed: parse (text → validated case), encode (case → text), a full atomic save
//! (encode, write, sync, keep a backup, rename) and a full load (read, parse, validate), for
//! generated cases of 1 000, 10 000 and 100 000 entities.
//!
//! Run with `cargo bench --bench load_save`. Targets (issue 20): a 100k-entity case loads in
//! under 1 s with peak memory under 2.5× the file, and saves in under 1 s.

#![allow(clippy::unwrap_used)]

use chokepoint::io::generate::generate_case;
use chokepoint::io::{case_to_ron, load_case, parse_case, save_case};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn load_save(c: &mut Criterion) {
    // Saves go to the target folder, on the same disk as real work, not to a RAM-backed /tmp.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut group = c.benchmark_group("case_file");
    for n in SIZES {
        let case = generate_case(n, 1).unwrap();
        let text = case_to_ron(&case).unwrap();
        eprintln!(
            "{n} entities: {}; file {:.2} MB",
            case.counts(),
            text.len() as f64 / 1e6
        );
        // Parse as a freshly started app opening the file would: without the generated case
        // still filling the heap. The parsed case is then the one encoded and saved.
        drop(case);
        if n >= 100_000 {
            group
                .sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(10));
        } else if n >= 10_000 {
            group
                .sample_size(20)
                .sampling_mode(SamplingMode::Auto)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(5));
        } else {
            group
                .sample_size(50)
                .sampling_mode(SamplingMode::Auto)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(3));
        }
        group.throughput(Throughput::Bytes(text.len() as u64));

        // Dropping a parsed case is not part of loading one.
        group.bench_with_input(BenchmarkId::new("parse", n), &text, |b, text| {
            b.iter_with_large_drop(|| parse_case(black_box(text)).unwrap());
        });
        let case = parse_case(&text).unwrap();
        drop(text);
        group.bench_with_input(BenchmarkId::new("encode", n), &case, |b, case| {
            b.iter(|| case_to_ron(black_box(case)).unwrap());
        });
        // What the app adds when it opens a file (off the UI thread, in the opening job): the
        // fingerprints of every item that a colleague's merge uses as the common ancestor.
        group.bench_with_input(
            BenchmarkId::new("base_fingerprints", n),
            &case,
            |b, case| {
                b.iter(|| chokepoint::edit::fingerprints(black_box(case)));
            },
        );
        let path = dir.path().join(format!("case-{n}.ron"));
        group.bench_with_input(BenchmarkId::new("save", n), &case, |b, case| {
            b.iter(|| save_case(&path, black_box(case)).unwrap());
        });
        // Load = read the file saved above + parse + validate.
        drop(case);
        group.bench_with_input(BenchmarkId::new("load", n), &path, |b, path| {
            b.iter_with_large_drop(|| load_case(black_box(path)).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, load_save);
criterion_main!(benches);
