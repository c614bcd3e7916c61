#!/usr/bin/env bash
# Rebuilds over a previous output: a build with no change, after one body edit and after
# one title edit, each against a clean build (--clean) in the same run, with the search
# index and without it (BRIEF_BENCH_NO_SEARCH). Medians of RUNS builds.
#   bash bench/incremental.sh [N] [RUNS]
set -euo pipefail
n="${1:-10000}"; runs="${2:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${CORPUS:-$root/bench/out/incremental-$n}"
cd "$root"
cargo build --release --quiet --bin brief --example gen-corpus
brief="$root/target/release/brief"
if [ ! -f "$corpus/site.yaml" ]; then
  "$root/target/release/examples/gen-corpus" --n "$n" --seed 1 --out "$corpus" >/dev/null
fi
file=$(find "$corpus/content" -name '*.md' | LC_ALL=C sort | awk 'NR == 1')
cp "$file" "$corpus/.original.md"

# "seconds kilobytes" of one build with the extra arguments given.
measure() {
  /usr/bin/time -f "%e %M" -o "$corpus/.time" "$brief" build --root "$corpus" "$@" >"$corpus/.out"
  cat "$corpus/.time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for search in with without; do
  if [ "$search" = without ]; then export BRIEF_BENCH_NO_SEARCH=1; else unset BRIEF_BENCH_NO_SEARCH; fi
  measure --clean >/dev/null  # warm-up, and the output the others build over
  declare -A t=(); declare -A m=()
  for run in $(seq "$runs"); do
    read -r a b < <(measure --clean); t[clean]+="$a "; m[clean]+="$b "
    read -r a b < <(measure); t[nothing]+="$a "; m[nothing]+="$b "
    printf '\nAn edit of run %s.\n' "$run" >>"$file"
    read -r a b < <(measure); t[body]+="$a "; m[body]+="$b "
    sed -i "0,/^title: /s//title: Edited $run /" "$file"
    read -r a b < <(measure); t[title]+="$a "; m[title]+="$b "
    cp "$corpus/.original.md" "$file"
    measure >/dev/null
  done
  echo "N=$n briefings, $search the search index, medians of $runs:"
  for case in clean nothing body title; do
    ts=$(echo ${t[$case]} | tr ' ' '\n' | median); ms=$(echo ${m[$case]} | tr ' ' '\n' | median)
    printf '  %-8s %6.2f s  %5d MB\n' "$case" "$ts" "$((ms / 1024))"
  done
  unset t m
done
