#!/usr/bin/env bash
# Search: what the search index adds to a build. Generates a corpus of N briefings, then
# builds it RUNS times with the index and RUNS times without (`search: false` in site.yaml),
# alternating, after a warm-up, each cold: into an empty output folder with an empty build
# cache. Then RUNS one-briefing body edits, each rebuilt over the previous output, with the
# index and without, alternating. Prints the medians of wall time and peak memory (RSS),
# and the index's size.
#   bash bench/search.sh [N] [RUNS]
set -euo pipefail
n="${1:-10000}"; runs="${2:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${CORPUS:-$root/bench/out/search-$n}"
cd "$root"
cargo build --release --quiet --bin brief --example gen-corpus
brief="$root/target/release/brief"
if [ ! -f "$corpus/site.yaml" ]; then
  "$root/target/release/examples/gen-corpus" --n "$n" --seed 1 --out "$corpus" >/dev/null
fi

# Turns the site's search on ("with") or off ("without").
search() {
  sed -i '/^search:/d' "$corpus/site.yaml"
  [ "$1" = without ] && echo "search: false" >> "$corpus/site.yaml"
  return 0
}
# "seconds kilobytes" of one build; $1 is "with" or "without".
measure() {
  rm -rf "$corpus/public" "$corpus/.brief-cache"
  search "$1"
  /usr/bin/time -f "%e %M" -o "$corpus/.time" \
    "$brief" build --root "$corpus" --output "$corpus/public" >/dev/null
  cat "$corpus/.time"
}
# "seconds kilobytes" of a rebuild after appending a sentence to one briefing; $1 as above.
edit_file="$corpus/content/briefings/b000042.md"
edit() {
  search "$1"
  # A build of the same kind first, so the edit is all that changed since.
  "$brief" build --root "$corpus" --output "$corpus/public" >/dev/null
  echo "An added sentence about the talks, number $RANDOM." >> "$edit_file"
  /usr/bin/time -f "%e %M" -o "$corpus/.time" \
    "$brief" build --root "$corpus" --output "$corpus/public" >/dev/null
  cat "$corpus/.time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure with >/dev/null  # warm-up
with_t=(); with_m=(); without_t=(); without_m=()
for _ in $(seq "$runs"); do
  read -r t m < <(measure without); without_t+=("$t"); without_m+=("$m")
  read -r t m < <(measure with); with_t+=("$t"); with_m+=("$m")
done
wt=$(printf '%s\n' "${with_t[@]}" | median); wm=$(printf '%s\n' "${with_m[@]}" | median)
ot=$(printf '%s\n' "${without_t[@]}" | median); om=$(printf '%s\n' "${without_m[@]}" | median)
echo "N=$n briefings, medians of $runs builds each:"
printf '  without the index: %.2f s, %d MB peak\n' "$ot" "$((om / 1024))"
printf '  with the index:    %.2f s, %d MB peak\n' "$wt" "$((wm / 1024))"
printf '  ratio: time %.2f, memory %.2f\n' "$(echo "$wt / $ot" | bc -l)" "$(echo "$wm / $om" | bc -l)"
printf '  index: %s in %s files\n' "$(du -sh "$corpus/public/search/index" | cut -f1)" "$(find "$corpus/public/search/index" -type f | wc -l)"

cp "$edit_file" "$corpus/.original"
edit_wt=(); edit_ot=()
for _ in $(seq "$runs"); do
  read -r t _ < <(edit without); edit_ot+=("$t")
  read -r t _ < <(edit with); edit_wt+=("$t")
done
cp "$corpus/.original" "$edit_file"
ewt=$(printf '%s\n' "${edit_wt[@]}" | median); eot=$(printf '%s\n' "${edit_ot[@]}" | median)
printf '  one body edit, rebuilt: %.2f s with the index, %.2f s without\n' "$ewt" "$eot"
