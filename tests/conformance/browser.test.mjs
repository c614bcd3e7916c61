// The built example site in Debian's Chromium: axe-core finds no moderate, serious or
// critical violations (light and dark), no console errors, no request leaves the site, search finds
// a briefing by a title word, print hides navigation, CSS + JS stay within budget, and
// Lighthouse scores. Screenshots go to $SHOTS for people to look at.
//
// usage: SITE=dir SHOTS=dir node --test browser.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";
import { chromium } from "playwright-core";

const here = import.meta.dirname;
const site = resolve(process.env.SITE || join(here, "out/example"));
const shots = resolve(process.env.SHOTS || join(here, "out/screenshots"));
const port = Number(process.env.PORT || 21500);
const origin = `http://127.0.0.1:${port}`;
const chrome = process.env.CHROME_PATH || "/usr/bin/chromium";
const chromeFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
// Uncompressed CSS + JS one page may load.
const BUDGET = 30 * 1024;

const PAGES = {
  home: "/",
  briefing: "/2025/03/putin-witkoff-ceasefire/",
  topic: "/topics/ceasefire-talks/",
  entity: "/people/vladimir-putin/",
  search: "/search/",
  // A lead image, its card on other pages, and an author with a photo.
  pictured: "/2025/03/kursk-encirclement-claim/",
  author: "/authors/desk-editor/",
  // The site's second language, under its folder.
  uk_home: "/uk/",
  uk_briefing: "/uk/2025/03/putin-witkoff-ceasefire/",
  uk_topic: "/uk/topics/ceasefire-talks/",
  uk_search: "/uk/search/",
  uk_pictured: "/uk/2025/03/kursk-encirclement-claim/",
  claims: "/claims/",
  day: "/2025/03/14/",
  corrections: "/corrections/",
};

// A word of a briefing's title, per search page, that must find it.
const SEARCH_WORDS = { search: "envoy", uk_search: "посланець" };

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".svg": "image/svg+xml",
};

// A plain static server over the output folder, as a web host would serve it.
function serve() {
  return createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, origin).pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(site, path));
    if (!file.startsWith(site) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(readFileSync(join(site, "404.html")));
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  }).listen(port, "127.0.0.1");
}

let server, browser;
before(async () => {
  mkdirSync(shots, { recursive: true });
  server = serve();
  browser = await chromium.launch({ executablePath: chrome, args: chromeFlags });
});
after(async () => {
  await browser?.close();
  server?.close();
});

// Opens `path` and records console errors, failed and external requests, CSS/JS bytes.
async function open(path, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const log = { errors: [], external: [], failed: [], assetBytes: 0 };
  page.on("console", (m) => m.type() === "error" && log.errors.push(m.text()));
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) log.external.push(r.url());
  });
  page.on("requestfailed", (r) => log.failed.push(r.url()));
  const response = await page.goto(origin + path, { waitUntil: "networkidle" });
  assert.equal(response.status(), 200, `${path} answers 200`);
  log.assetBytes = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      // The theme's own CSS and JS; search (its script and index) has its own budget below.
      .filter((r) => /\.(css|js)$/.test(new URL(r.name).pathname) && !new URL(r.name).pathname.endsWith("/search.js"))
      .reduce((sum, r) => sum + r.decodedBodySize, 0),
  );
  return { context, page, log };
}

async function axe(page) {
  await page.addScriptTag({ path: join(here, "node_modules/axe-core/axe.min.js") });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"] }),
  );
  return result.violations.filter((v) => ["moderate", "serious", "critical"].includes(v.impact));
}

function describe(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)
    .join("\n");
}

for (const [name, path] of Object.entries(PAGES)) {
  test(`${name} page: accessible, no console errors, nothing external, within budget`, async () => {
    for (const colorScheme of ["light", "dark"]) {
      const { context, page, log } = await open(path, { colorScheme, viewport: { width: 1280, height: 900 } });
      const word = SEARCH_WORDS[name];
      if (word) {
        // Opening the search page, its script and the index's meta file included.
        const opened = await page.evaluate(() =>
          performance.getEntriesByType("resource").reduce((sum, r) => sum + r.transferSize, 0) +
          performance.getEntriesByType("navigation")[0].transferSize,
        );
        assert.ok(opened <= 100 * 1024, `${name}: opening it transferred ${opened} bytes`);
        // A word of a briefing's title finds it, in the page's own language.
        await page.fill("#search-input", word);
        await page.waitForSelector("#search-results li a");
        const titles = await page.$$eval("#search-results li a", (as) => as.map((a) => a.textContent.toLowerCase()));
        assert.ok(titles.some((t) => t.includes(word)), `search results: ${titles}`);
      }
      const serious = await axe(page);
      assert.equal(serious.length, 0, `${name} (${colorScheme}):\n${describe(serious)}`);
      assert.deepEqual(log.errors, [], `${name}: console errors`);
      assert.deepEqual(log.external, [], `${name}: requests outside the site`);
      assert.deepEqual(log.failed, [], `${name}: failed requests`);
      assert.ok(log.assetBytes > 0 && log.assetBytes <= BUDGET, `${name}: ${log.assetBytes} bytes of CSS and JS`);
      console.log(`# ${name} (${colorScheme}): 0 moderate, serious or critical axe violations, ${log.assetBytes} bytes of CSS + JS`);
      await context.close();
    }
    for (const width of [390, 1280]) {
      const { context, page } = await open(path, { viewport: { width, height: 900 } });
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      await page.screenshot({ path: join(shots, `${name}-${width}-top.png`) });
      // Nothing may be wider than the screen: a phone reader never scrolls sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px is ${overflow}px too wide`);
      await context.close();
    }
  });
}

// Runs a query on the search page at `path` and returns the result titles and the status.
async function searchFor(page, word) {
  await page.fill("#search-input", word);
  await page.waitForFunction((w) => {
    const url = new URL(location.href);
    return url.searchParams.get("q") === w && document.querySelector("#search-status").textContent !== "";
  }, word);
  await page.waitForTimeout(150);
  return page.$$eval("#search-results li h2 a", (as) => as.map((a) => a.textContent));
}

test("search: a word only in one briefing's body finds that briefing, within budget", async () => {
  const { context, page, log } = await open("/search/");
  const titles = await searchFor(page, "fragments");
  assert.deepEqual(titles, ["Drones shot down over Moscow as truce talks go on"]);
  const excerpt = await page.$eval("#search-results li p:last-child", (p) => p.innerHTML);
  assert.match(excerpt, /<mark>Fragments<\/mark>/i);
  // The excerpt is the briefing's prose: never its boxes' labels or the page's words.
  assert.doesNotMatch(excerpt, /Key facts|Claims in this briefing|Disputed|Sources|Published/);
  const bytes = await page.evaluate(() =>
    performance.getEntriesByType("resource").reduce((sum, r) => sum + r.transferSize, 0),
  );
  assert.ok(bytes <= 300 * 1024, `search transferred ${bytes} bytes`);
  assert.deepEqual(log.errors, []);
  console.log(`# search for one word: ${bytes} bytes transferred in all`);
  await context.close();
});

test("search: a topic filter narrows the results, with counts", async () => {
  const { context, page } = await open("/search/");
  const all = await searchFor(page, "kremlin");
  const box = page.locator("#search-filters fieldset", { hasText: "Topics" }).locator("label", { hasText: "Drone warfare" });
  assert.match(await box.textContent(), /Drone warfare \(1\)/);
  await box.locator("input").check();
  await page.waitForFunction((n) => document.querySelectorAll("#search-results li").length < n, all.length);
  const narrowed = await page.$$eval("#search-results li h2 a", (as) => as.map((a) => a.textContent));
  assert.ok(all.length > 1, `${all}`);
  assert.deepEqual(narrowed, ["Drones shot down over Moscow as truce talks go on"]);
  const serious = await axe(page);
  assert.equal(serious.length, 0, describe(serious));
  await context.close();
});

test("search: ?q= fills the box and runs the query; a Ukrainian page searches the Ukrainian index", async () => {
  const { context, page } = await open("/search/?q=envoy");
  await page.waitForSelector("#search-results li");
  assert.equal(await page.inputValue("#search-input"), "envoy");
  const titles = await page.$$eval("#search-results li h2 a", (as) => as.map((a) => a.textContent));
  assert.ok(titles.some((t) => t.includes("envoy")), `${titles}`);
  await context.close();
  const uk = await open("/uk/search/?q=уламки");
  await uk.page.waitForSelector("#search-results li");
  const href = await uk.page.$eval("#search-results li h2 a", (a) => a.getAttribute("href"));
  assert.equal(href, "../../uk/2025/03/moscow-drone-attack/");
  await uk.context.close();
});

test("search: results show a hostile title and excerpt as text", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // What matters here is how the page shows the result data the index holds: the files
  // of result data are answered with hostile text (plain JSON, as a host that undid the
  // gzip would serve it).
  const hostile = { u: "x/", t: "<img src=x onerror=window.pwned=1>", d: "<b>1</b>",
    x: "a word <script>window.pwned=2</script> <img src=y onerror=window.pwned=3>" };
  await page.route("**/search/index/r/*", (route) =>
    route.fulfill({ contentType: "application/octet-stream", body: JSON.stringify(Array(8).fill(hostile)) }),
  );
  await page.goto(origin + "/search/?q=fragments", { waitUntil: "networkidle" });
  await page.waitForSelector("#search-results li");
  const item = await page.$eval("#search-results li", (li) => ({
    title: li.querySelector("h2 a").textContent,
    images: li.querySelectorAll("img, script, b").length,
    text: li.textContent,
  }));
  assert.equal(item.title, "<img src=x onerror=window.pwned=1>");
  assert.equal(item.images, 0);
  assert.ok(item.text.includes("<script>window.pwned=2</script>"), item.text);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await context.close();
});

// The generated site's base URL has a path (/news/): served from that path, as it would
// be deployed, its search finds briefings and links to them there; a word of a title
// ranks the briefings with it in their titles first.
test("search under a sub-path: results, links and title words first", async () => {
  const sub = process.env.SUBPATH_SITE;
  assert.ok(sub, "SUBPATH_SITE names the generated site");
  const subPort = port + 1;
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith("/news/")) { res.writeHead(404); res.end(); return; }
    path = path.slice("/news".length);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(sub, path));
    if (!file.startsWith(sub) || !existsSync(file) || statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  }).listen(subPort, "127.0.0.1");
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("response", (r) => { if (r.status() >= 400) errors.push(r.url() + " " + r.status()); });
    const base = `http://127.0.0.1:${subPort}/news/`;
    await page.goto(base, { waitUntil: "networkidle" });
    const title = await page.$eval("main h2 a, main h3 a", (a) => a.textContent);
    const word = title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3).sort((a, b) => b.length - a.length)[0];
    await page.goto(base + "search/?q=" + encodeURIComponent(word), { waitUntil: "networkidle" });
    await page.waitForSelector("#search-results li");
    const results = await page.$$eval("#search-results li h2 a", (as) => as.map((a) => ({ title: a.textContent, href: a.href })));
    const holders = results.filter((r) => r.title.toLowerCase().includes(word.toLowerCase()));
    assert.ok(holders.length > 0, `${word}: ${JSON.stringify(results)}`);
    const firstThree = results.slice(0, Math.min(3, holders.length));
    assert.ok(firstThree.every((r) => r.title.toLowerCase().includes(word.toLowerCase())), `${word}: ${JSON.stringify(results)}`);
    assert.ok(results.every((r) => r.href.startsWith(base)), JSON.stringify(results));
    await page.click("#search-results li h2 a");
    await page.waitForLoadState("networkidle");
    assert.equal(await page.$eval("h1", (h) => h.textContent), results[0].title);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    server.close();
  }
});

test("search from file:// says it needs a web server", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("file://" + join(site, "search/index.html"));
  await page.waitForFunction(() => document.querySelector("#search-status").textContent !== "");
  assert.match(await page.textContent("#search-status"), /needs a web server/);
  await context.close();
});

test("dark mode screenshots", async () => {
  for (const name of ["home", "briefing"]) {
    const { context, page } = await open(PAGES[name], { colorScheme: "dark", viewport: { width: 390, height: 900 } });
    await page.screenshot({ path: join(shots, `${name}-390-dark.png`) });
    await context.close();
  }
});

test("narrowest and widest supported screens do not scroll sideways", async () => {
  for (const width of [360, 1440]) {
    for (const path of Object.values(PAGES)) {
      const { context, page } = await open(path, { viewport: { width, height: 800 } });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} at ${width}px is ${overflow}px too wide`);
      await context.close();
    }
  }
});

// The right edge of the page's content column, and of the furthest box among `selector`.
async function reach(page, selector) {
  return page.evaluate((selector) => {
    const right = (e) => e.getBoundingClientRect().right;
    const boxes = [...document.querySelectorAll(selector)];
    return { main: right(document.querySelector("main")), furthest: Math.max(0, ...boxes.map(right)) };
  }, selector);
}

test("at 1280 px briefings and lists use the width; on a phone the key facts come before the body", async () => {
  // Topic pages without a sidebar put their cards in two columns; pages with one, beside it.
  const wide = { briefing: ".briefing-aside", topic: ".month", entity: ".sidebar", author: ".month", claims: ".log", corrections: ".log" };
  for (const [name, selector] of Object.entries(wide)) {
    const { context, page } = await open(PAGES[name], { viewport: { width: 1280, height: 900 } });
    const { main, furthest } = await reach(page, selector);
    assert.ok(main - furthest < 64, `${name}: ${selector} ends ${Math.round(main - furthest)}px short of the column's edge`);
    await context.close();
  }
  const { context, page } = await open(PAGES.briefing, { viewport: { width: 390, height: 900 } });
  const [facts, body] = await page.evaluate(() => [".key-facts", ".briefing-layout > .body"].map((s) => document.querySelector(s).getBoundingClientRect().top));
  assert.ok(facts < body, `key facts at ${facts}px, body at ${body}px`);
  await context.close();
});

test("a briefing prints on A4 without navigation, with its fact box, claims and sources", async () => {
  const { context, page } = await open(PAGES.briefing);
  await page.emulateMedia({ media: "print" });
  const shown = await page.evaluate(() => {
    const visible = (sel) => {
      const el = document.querySelector(sel);
      return !!el && getComputedStyle(el).display !== "none" && el.getBoundingClientRect().height > 0;
    };
    return {
      nav: visible(".site-header nav"),
      skip: visible(".skip-link"),
      factbox: visible(".factbox"),
      claim: visible(".claim"),
      sources: visible(".sources"),
    };
  });
  assert.deepEqual(shown, { nav: false, skip: false, factbox: true, claim: true, sources: true });
  await page.pdf({ path: join(shots, "briefing-print.pdf"), format: "A4" });
  await context.close();
});

test("keyboard focus is visible and the skip link comes first", async () => {
  const { context, page } = await open(PAGES.briefing);
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
      skip: el.classList.contains("skip-link"),
      outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
      onScreen: el.getBoundingClientRect().top >= 0,
    };
  });
  assert.deepEqual(focused, { skip: true, outline: true, onScreen: true });
  await context.close();
});

test("Lighthouse: accessibility, best practices and SEO at least 95, performance at least 90, no layout shift", async () => {
  const cli = join(here, "node_modules/lighthouse/cli/index.js");
  for (const name of ["home", "briefing", "pictured", "uk_briefing"]) {
    const report = join(shots, `lighthouse-${name}.json`);
    // Asynchronously: this process also serves the pages Lighthouse loads.
    await promisify(execFile)(
      process.execPath,
      [
        cli,
        origin + PAGES[name],
        "--quiet",
        "--output=json",
        `--output-path=${report}`,
        "--only-categories=performance,accessibility,best-practices,seo",
        `--chrome-flags=${chromeFlags.join(" ")}`,
      ],
      { env: { ...process.env, CHROME_PATH: chrome }, timeout: 180000 },
    );
    const lhr = JSON.parse(readFileSync(report, "utf8"));
    const scores = Object.fromEntries(
      Object.entries(lhr.categories).map(([k, c]) => [k, Math.round(c.score * 100)]),
    );
    // Pictures carry their size: nothing moves while they load.
    scores.cls = lhr.audits["cumulative-layout-shift"].numericValue;
    console.log(`# Lighthouse ${name}: ${JSON.stringify(scores)}`);
    assert.equal(scores.cls, 0, `${name}: cumulative layout shift ${scores.cls}`);
    writeFileSync(join(shots, `lighthouse-${name}.scores.json`), JSON.stringify(scores));
    const failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative")
      .map((a) => `${a.id}: ${a.title}`);
    const min = { performance: 90, accessibility: 95, "best-practices": 95, seo: 95 };
    for (const [k, floor] of Object.entries(min)) {
      assert.ok(scores[k] >= floor, `${name} ${k} ${scores[k]} < ${floor}; audits below full marks:\n${failing.join("\n")}`);
    }
  }
});
