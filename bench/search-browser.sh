#!/usr/bin/env bash
# Search in Chromium over HTTP on a built site: serves OUTPUT (a built site's folder) with
# Python's HTTP server and runs bench/search-browser.mjs with QUERIES (default: a rare word,
# a word in every briefing, two words, and a filter over them, for the generated corpus).
#   bash bench/search-browser.sh OUTPUT [QUERY...]
set -euo pipefail
out="$1"; shift
queries=("$@"); [ ${#queries[@]} -eq 0 ] && queries=(1013 troops "troops border" +filter)
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -d "$root/tests/conformance/node_modules/playwright-core" ] || (cd "$root/tests/conformance" && npm ci --silent)
port=$((8600 + RANDOM % 200))
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
MODULES="$root/tests/conformance/node_modules" node "$root/bench/search-browser.mjs" \
  "http://127.0.0.1:$port/search/" "${queries[@]}"
