#!/usr/bin/env bash
# Links in one file: `brief build --no-cache` of a site whose one briefing holds N `story:` links, one
# per line, for N = 10,000, 20,000 and 70,000, then 20,000 on a single line, against the
# same file with 20,000 plain links. Each is built RUNS times without the build cache;
# prints the median wall time of each. Loading should grow with the file, not its square.
#   bash bench/links.sh [RUNS]
set -euo pipefail
runs="${1:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
site="$root/bench/out/links"
cd "$root"
cargo build --release --quiet --bin brief
brief="$root/target/release/brief"
rm -rf "$site" && mkdir -p "$site/content"
printf 'title: Links\nbase_url: https://example.org/\n' > "$site/site.yaml"
printf -- '---\ntitle: Other\ndate: 2025-01-01\n---\nText.\n' > "$site/content/other.md"

# Writes the briefing: $1 links made from the text $2, separated by $3.
many() {
  { printf -- '---\ntitle: Many\ndate: 2025-01-02\n---\n'
    awk -v n="$1" -v text="$2" -v sep="$3" 'BEGIN { for (i = 0; i < n; i++) printf "%s%s", text, sep }'
    printf '\n'; } > "$site/content/many.md"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# The median seconds of RUNS builds of the site as it is.
seconds() {
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e" -o "$site/.time" "$brief" build --no-cache --root "$site" >/dev/null
    cat "$site/.time"
  done | median
}

story='See [the other briefing, as it reported](story:other) with a few more words.'
plain='See [the other briefing, as it reported](https://example.org/x) with a few more words.'
for n in 10000 20000 70000; do
  many "$n" "$story" '\n'
  echo "$n story: links, one per line ($(du -h "$site/content/many.md" | cut -f1)): $(seconds) s"
done
many 20000 "$story" ' '
echo "20000 story: links on one line: $(seconds) s"
many 20000 "$plain" '\n'
echo "20000 plain links, one per line: $(seconds) s"
