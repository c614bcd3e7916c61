#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests, the browser tests of the
# preview server in Debian's Chromium, driven by playwright-core (never a downloaded browser),
# then the conformance checks of the built site.
set -euo pipefail
cd "$(dirname "$0")/.."

# `brief deploy` is tested against a real S3 server on loopback: s3s-fs, built once into
# target/tools (its newest release needs a newer Rust than this project's).
s3s="$PWD/target/tools/bin/s3s-fs"
if [ ! -x "$s3s" ]; then
  echo "installing s3s-fs for the deploy tests"
  cargo install --quiet --locked --root target/tools s3s-fs@0.14.1 --features binary
fi
S3S_FS="$s3s" cargo test --locked

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "the browser tests need Chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
if ! command -v npm >/dev/null; then
  echo "the browser tests need Node.js and npm" >&2
  exit 1
fi
(cd tests/e2e && npm ci --no-audit --no-fund --silent)
cargo build --locked --quiet
(cd tests/e2e && CHROME_PATH="$(command -v chromium)" node --test)

# Conformance: the example site and a generated site checked by outside tools (Nu HTML
# Checker, feedparser, axe-core, Lighthouse) and this project's link checker.
bash tests/conformance/run.sh
