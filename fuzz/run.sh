#!/usr/bin/env bash
# Fuzzes brief's content pipeline with cargo-fuzz (libFuzzer).
#   bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# Seeds come from the example site and the test fixtures; what the fuzzer finds is kept in
# fuzz/corpus/ and crashes in fuzz/artifacts/ (both ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front_matter markdown site)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# cargo-fuzz passes a nightly-only sanitizer flag; stable accepts it with this switch.
export RUSTC_BOOTSTRAP=1
# One worker thread: the fuzzer itself is single-threaded.
export RAYON_NUM_THREADS=1

files=$(find content tests/fixtures -name '*.md' -not -path '*/node_modules/*' | sort)
seed() { # target, file -> a seed with the target's selector byte
  local dir="fuzz/seeds/$1"
  mkdir -p "$dir"
  case $1 in
    front_matter) { printf '\x03'; cat "$2"; } >"$dir/$(basename "$2")" ;;
    markdown) awk 'f>=2{print} /^---/{f++}' "$2" >"$dir/$(basename "$2")" ;;
    site) : ;;
  esac
}
rm -rf fuzz/seeds
for t in "${targets[@]}"; do
  for f in $files; do seed "$t" "$f"; done
done
if [[ " ${targets[*]} " == *" site "* ]]; then
  # A site seed: the example's briefings, NUL-separated, each with a briefing selector.
  mkdir -p fuzz/seeds/site
  for f in content/briefings/*.md; do printf '\x04'; cat "$f"; printf '\x00'; done \
    >fuzz/seeds/site/example
  { printf '\x00'; cat content/topics/*.md; printf '\x00\x04'; cat content/briefings/moscow-drone-attack.md; } \
    >fuzz/seeds/site/topic-and-briefing
fi

status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "== $t: $seconds s"
  # A crash stops this target only; the others still run.
  cargo fuzz run -O "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 ||
    { status=1; echo "== $t: found a crash (see fuzz/artifacts/$t/)"; }
done
exit $status
