// The search page of a built site in Chromium over HTTP: what opening it fetches, then for
// each query how long after typing stops (the last input event, or ticking a filter) its
// results show (the results list last changed), and what it fetched. A query "+filter"
// ticks the first value of the first filter over the last query.
//   MODULES=tests/conformance/node_modules node bench/search-browser.mjs URL QUERY...
import { createRequire } from "node:module";
import { resolve } from "node:path";

// playwright-core as the conformance tests install it.
const require = createRequire(resolve(process.env.MODULES || "tests/conformance/node_modules") + "/");
const { chromium } = require("playwright-core");

const [, , url, ...queries] = process.argv;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

const fetched = () =>
  page.evaluate(() => {
    const all = performance.getEntriesByType("resource");
    // Bytes per folder of the index (d, p, r, f, v) or file name.
    const parts = {};
    for (const r of all) {
      const path = new URL(r.name).pathname.split("/").filter(Boolean);
      const key = path.length > 1 && path[path.length - 2].length === 1 ? path[path.length - 2] : path[path.length - 1];
      parts[key] = (parts[key] || 0) + r.transferSize;
    }
    return { bytes: all.reduce((s, r) => s + r.transferSize, 0), requests: all.length, parts };
  });
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

await page.goto(url, { waitUntil: "networkidle" });
const nav = await page.evaluate(() => performance.getEntriesByType("navigation")[0].transferSize);
const opened = await fetched();
console.log(`open: ${kb(opened.bytes + nav)} in ${opened.requests + 1} requests`);

// Times, in the page, of the last input or change and of the last change to the results.
await page.evaluate(() => {
  const typed = () => (window.typedAt = performance.now());
  document.addEventListener("input", typed, true);
  document.addEventListener("change", typed, true);
  new MutationObserver(() => (window.shownAt = performance.now())).observe(
    document.querySelector("#search-results"),
    { childList: true, subtree: true },
  );
});

for (const q of queries) {
  await page.evaluate(() => performance.clearResourceTimings());
  if (q === "+filter") {
    await page.locator("#search-filters input[type=checkbox]").first().check();
  } else {
    await page.fill("#search-input", q);
  }
  await page.waitForFunction(() => window.shownAt > window.typedAt);
  const ms = Math.round(await page.evaluate(() => window.shownAt - window.typedAt));
  // Then the files of the filters' counts: until no request started for 300 ms.
  for (let n = -1; n !== (n = (await fetched()).requests); ) await page.waitForTimeout(300);
  const got = await fetched();
  const status = await page.evaluate(() => document.querySelector("#search-status").textContent);
  const parts = Object.entries(got.parts).map(([k, b]) => `${k} ${kb(b)}`).join(", ");
  console.log(`${JSON.stringify(q)}: ${ms} ms, ${kb(got.bytes)} in ${got.requests} requests (${status}; ${parts})`);
}
if (errors.length) console.log("errors:", errors);
await browser.close();
