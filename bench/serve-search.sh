#!/usr/bin/env bash
# The preview with and without search: for each kind of edit, save-to-served latency
# (`examples/serve-latency.rs`) on the same generated corpus with search on and with
# `search: false`, alternating kind by kind, and how long after each save the served search
# index had followed.
#   bash bench/serve-search.sh [N] [EDITS] [KINDS...]   (default: 10000 20, every kind)
set -euo pipefail
n="${1:-10000}"; edits="${2:-20}"; shift $(( $# > 2 ? 2 : $# ))
kinds=("$@"); [ ${#kinds[@]} -eq 0 ] && kinds=(body title topics people link date new)
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --release --quiet --bin brief --example gen-corpus --example serve-latency
on="$root/bench/out/serve-search-$n/on"; off="$root/bench/out/serve-search-$n/off"
for dir in "$on" "$off"; do
  if [ ! -f "$dir/site.yaml" ]; then
    "$root/target/release/examples/gen-corpus" --n "$n" --seed 1 --out "$dir" >/dev/null
  fi
done
grep -q '^search: false' "$off/site.yaml" || echo "search: false" >> "$off/site.yaml"
for kind in "${kinds[@]}"; do
  for dir in "$on" "$off"; do
    echo "== search $(basename "$dir"), $kind"
    "$root/target/release/examples/serve-latency" --root "$dir" --edits "$edits" --kind "$kind"
  done
done
