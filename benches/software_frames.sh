#!/usr/bin/env bash
# Frame times of the real app under software rendering (Mesa llvmpipe in Xvfb, through the
# shared xrun.sh), for generated cases of 10 000 and 100 000 entities, fitted in view with the
# pointer moving over the chart: the first full picture (seconds from start until the far-out
# view is drawn as its picture) and the frame times after it (min / median / max of the
# intervals between frames), once with the automatic drawing (one picture far out on a
# software renderer) and once with every line drawn every frame.
#
# usage: benches/software_frames.sh [SECONDS_PER_RUN] (default 40; the 100 000-entity run
# with every line drawn takes minutes a frame: it is measured only with FULL=1)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
xrun="$here/../shared/tools/xrun.sh"
secs="${1:-40}"
target="${CARGO_TARGET_DIR:-$here/target}"
cargo build --release --quiet
app="$target/release/chokepoint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for n in 10000 100000; do
  "$app" generate --entities "$n" --seed 1 -o "$work/case$n.ron" >/dev/null
  for mode in auto detailed; do
    if [ "$n" = 100000 ] && [ "$mode" = detailed ] && [ -z "${FULL:-}" ]; then
      continue
    fi
    log="$work/frames-$n-$mode.txt"
    ( sleep 5
      # Keep the pointer moving over the chart: every frame hit-tests what is under it.
      for i in $(seq 1 400); do
        DISPLAY=:77 xdotool mousemove $((500 + (i % 40) * 10)) $((400 + (i % 25) * 8)) 2>/dev/null || true
        sleep 0.1
      done ) &
    mover=$!
    CHOKEPOINT_FRAME_LOG="$log" XRUN_DISPLAY=77 XRUN_SIZE=1600x1000x24 timeout "$secs" \
      "$xrun" "$app" --size 1600x1000 --canvas-only --drawing "$mode" "$work/case$n.ron" \
      >/dev/null 2>&1 || true
    kill "$mover" 2>/dev/null || true
    python3 - "$log" "$n" "$mode" <<'PY'
import statistics, sys
path, n, mode = sys.argv[1:]
rows = [tuple(map(float, l.split())) for l in open(path) if l.strip()]
if len(rows) < 3:
    print(f"{n} {mode}: {len(rows)} frames in the run (too slow to measure)")
    sys.exit()
first = next((t for t, pic in rows if pic == 1), None)
start = next(i for i, (t, pic) in enumerate(rows) if pic == 1) if first is not None else len(rows) // 2
times = [b[0] - a[0] for a, b in zip(rows[start:], rows[start + 1:])]
if not times:
    print(f"{n} {mode}: first picture {first}; no frames after it")
    sys.exit()
label = f"first picture {first / 1000:.1f} s" if first is not None else "no picture (every line drawn)"
print(f"{n} {mode}: {label}; frames after it: {len(times)}, "
      f"min {min(times):.0f} ms, median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
PY
  done
done
