#!/usr/bin/env bash
# Conformance: builds the example site and a generated 500-briefing site whose base_url has
# a path, then checks them with tools the project did not write:
#   - the Nu HTML Checker (npm vnu-jar): 0 errors on every page of both sites;
#   - check_site.py: every internal link and #fragment resolves, every feed parses with
#     feedparser, every sitemap <loc> maps to a file, NewsArticle JSON-LD is complete, one
#     ClaimReview per claim with Google's required properties;
#   - check_jsonld.mjs: every JSON-LD item type-checks against Google's schema-dts
#     (the schema.org vocabulary) with the TypeScript compiler;
#   - browser.test.mjs in Debian's Chromium: axe-core, console errors, external requests,
#     search, print, focus, CSS + JS budget, Lighthouse; screenshots into out/screenshots.
# Installs what it needs: chromium (apt-get), npm packages, feedparser (pip, local folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/out"
cd "$root"

if ! command -v java >/dev/null; then
  echo "java is required for the Nu HTML Checker" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Debian's chromium is required: apt-get install chromium" >&2
    exit 1
  fi
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
pydeps="$here/.python"
if ! PYTHONPATH="$pydeps" python3 -c "import feedparser" 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$pydeps" -r "$here/requirements.txt"
fi

cargo build --locked --quiet --bin brief --example gen-corpus
brief="$root/target/debug/brief"
rm -rf "$out"
mkdir -p "$out"

echo "== building the example site and a generated 500-briefing site"
port=21500
"$brief" build --output "$out/example" --base-url "http://127.0.0.1:$port/"
"$root/target/debug/examples/gen-corpus" --n 500 --seed 1 --out "$out/corpus" >/dev/null
"$brief" build --root "$out/corpus" --output "$out/generated"
generated_base="https://example.org/news/"
grep -q "base_url: \"$generated_base\"" "$out/corpus/site.yaml"

status=0
echo "== Nu HTML Checker"
vnu="$here/node_modules/vnu-jar/build/dist/vnu.jar"
for site in example generated; do
  pages=$(find "$out/$site" -name '*.html' | wc -l)
  # An edition's unsubscribe link is the newsletter service's merge tag until it sends the
  # email; that one value is not a URL yet.
  if java -jar "$vnu" --errors-only --skip-non-html --filterpattern '.*UNSUB.*' "$out/$site" 2>"$out/vnu-$site.txt"; then
    echo "vnu: $site: $pages pages, 0 errors"
  else
    echo "vnu: $site: $(grep -c 'error:' "$out/vnu-$site.txt") errors in $pages pages:"
    head -40 "$out/vnu-$site.txt"
    status=1
  fi
done

echo "== links, fragments, feeds, sitemap, JSON-LD"
check() { PYTHONPATH="$pydeps" python3 "$here/check_site.py" "$@"; }
check "$out/example" "http://127.0.0.1:$port/" || status=1
check "$out/generated" "$generated_base" || status=1
node "$here/check_jsonld.mjs" "$out/example" "$out/generated" || status=1
# The checkers must catch what they are for: a broken link, a missing fragment, a bad
# feed, a ClaimReview without its rating's name, a property schema.org does not have.
cp -r "$out/example" "$out/broken"
printf '<a href="nowhere/">x</a><a href="#no-such-id">y</a>' >>"$out/broken/about/index.html"
printf 'not a feed' >"$out/broken/atom.xml"
reviewed="$out/broken/2025/03/putin-witkoff-ceasefire/index.html"
sed -i 's/"alternateName":"Disputed"/"alternateName":""/; s/"claimReviewed"/"claimReviewd"/' "$reviewed"
if check "$out/broken" "http://127.0.0.1:$port/" >"$out/broken.txt"; then
  echo "check_site.py passed a site with broken links, a broken feed and a bad ClaimReview" >&2
  status=1
elif [ "$(grep -c '  error:' "$out/broken.txt")" -lt 5 ]; then
  echo "check_site.py missed some of the planted errors:" >&2
  cat "$out/broken.txt" >&2
  status=1
fi
if node "$here/check_jsonld.mjs" "$out/broken" >"$out/broken-jsonld.txt"; then
  echo "check_jsonld.mjs passed a ClaimReview with a misspelled property" >&2
  status=1
fi
rm -rf "$out/broken"

echo "== Chromium: axe-core, console, search, print, focus, budget, Lighthouse"
SITE="$out/example" SUBPATH_SITE="$out/generated" SHOTS="$out/screenshots" PORT=$port CHROME_PATH=/usr/bin/chromium \
  node --test --test-concurrency=1 "$here/browser.test.mjs" || status=1
echo "screenshots and Lighthouse reports: $out/screenshots"
ls "$out/screenshots"

if [ "$status" = 0 ]; then
  echo "conformance: all checks passed"
else
  echo "conformance: FAILED" >&2
fi
exit "$status"
