// Checks every JSON-LD item of a built site against the schema.org vocabulary: each item
// becomes a TypeScript constant typed by Google's schema-dts (`WithContext<NewsArticle>`,
// `WithContext<ClaimReview>`), and the TypeScript compiler rejects any property, type or
// value the vocabulary does not have. Google's required properties are check_site.py's.
//
// usage: node check_jsonld.mjs SITE_DIR...
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";

const here = import.meta.dirname;
const TYPES = ["NewsArticle", "ClaimReview"];

function* pages(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* pages(path);
    else if (entry.name.endsWith(".html")) yield path;
  }
}

function* items(html) {
  for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
    const data = JSON.parse(m[1]);
    yield* Array.isArray(data) ? data : [data];
  }
}

const lines = [`import type { WithContext, ${TYPES.join(", ")} } from "schema-dts";`];
const where = [];
const counts = Object.fromEntries(TYPES.map((t) => [t, 0]));
const problems = [];
for (const site of process.argv.slice(2)) {
  for (const page of pages(site)) {
    for (const item of items(readFileSync(page, "utf8"))) {
      const type = item["@type"];
      if (!TYPES.includes(type)) {
        problems.push(`${relative(site, page)}: unexpected JSON-LD type ${JSON.stringify(type)}`);
        continue;
      }
      counts[type] += 1;
      where.push(relative(site, page));
      lines.push(`export const item${where.length}: WithContext<${type}> = ${JSON.stringify(item)};`);
    }
  }
}
if (counts.NewsArticle === 0) problems.push("no NewsArticle found");

// Beside node_modules, so that `schema-dts` resolves.
const file = join(here, "out", "items.ts");
mkdirSync(join(here, "out"), { recursive: true });
writeFileSync(file, lines.join("\n") + "\n");
const tsc = join(here, "node_modules/.bin/tsc");
const args = ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", file];
try {
  await promisify(execFile)(tsc, args, { cwd: here, maxBuffer: 64 << 20 });
} catch (e) {
  // tsc reports `items.ts(LINE,COL)`: line N + 1 holds item N.
  for (const m of String(e.stdout).matchAll(/items\.ts\((\d+),\d+\): (.*)/g)) {
    problems.push(`${where[Number(m[1]) - 2] ?? "?"}: ${m[2]}`);
  }
  if (!problems.length) problems.push(`tsc failed: ${e.stderr || e.stdout || e}`);
}
for (const p of problems) console.log(`  error: ${p}`);
const summary = TYPES.map((t) => `${counts[t]} ${t}`).join(", ");
console.log(`schema.org vocabulary: ${summary}: ${problems.length ? `${problems.length} errors` : "all valid"}`);
process.exit(problems.length ? 1 : 0);
