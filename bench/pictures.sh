#!/usr/bin/env bash
# Pictures: what resizing costs a build, and what the cache saves. Generates a corpus of N
# briefings whose first K have a 2400x1600 JPEG lead image (three copies each), then
# times, in one run: builds without pictures (the same corpus, K=0), builds with an empty
# cache (every copy made), and builds with the cache the previous build left (no copy
# made). Prints the median of RUNS builds of each, and the copies each build made.
#   bash bench/pictures.sh [N] [K] [RUNS]
set -euo pipefail
n="${1:-500}"; k="${2:-50}"; runs="${3:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/out/pictures"
cd "$root"
cargo build --release --quiet --bin brief --example gen-corpus
brief="$root/target/release/brief"
gen="$root/target/release/examples/gen-corpus"
rm -rf "$out"; mkdir -p "$out"
"$gen" --n "$n" --seed 1 --out "$out/plain" >/dev/null
"$gen" --n "$n" --seed 1 --out "$out/pictured" --pictures "$k" >/dev/null

# Seconds of one build of site $1 (after running $2 to prepare it); its summary to stderr.
time_build() {
  eval "$2"
  local start end
  start=$(date +%s.%N)
  "$brief" build --root "$1" --output "$1/public" | tail -1 >&2
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

plain=(); cold=(); warm=()
"$brief" build --root "$out/pictured" --output "$out/pictured/public" >/dev/null  # warm-up
for _ in $(seq "$runs"); do
  plain+=("$(time_build "$out/plain" true)")
  cold+=("$(time_build "$out/pictured" "rm -rf '$out/pictured/.brief-cache'")")
  warm+=("$(time_build "$out/pictured" true)")
done
p=$(printf '%s\n' "${plain[@]}" | median)
c=$(printf '%s\n' "${cold[@]}" | median)
w=$(printf '%s\n' "${warm[@]}" | median)
echo "N=$n briefings, K=$k lead images (2400x1600 JPEG), medians of $runs builds:"
printf '  without pictures:         %.2f s\n' "$p"
printf '  pictures, empty cache:    %.2f s (%.2fx)\n' "$c" "$(echo "$c / $p" | bc -l)"
printf '  pictures, cache from the previous build: %.2f s (%.2fx)\n' "$w" "$(echo "$w / $p" | bc -l)"
