// The writer's edit loop in a real browser: open a served briefing, edit its file, see the
// page reload with the new text; break the file, see the error overlay; fix it, see it go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "../..");
const brief = process.env.BRIEF_BIN || join(root, "target/debug/brief");
const browserPath = process.env.CHROME_PATH || "/usr/bin/chromium";

function startServer(site) {
  const child = spawn(brief, ["serve", "--port", String(21000 + (process.pid % 2000)), "--root", site], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error("brief serve did not start: " + out)), 20000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        ok({ child, url: m[1] });
      }
    });
    child.on("exit", (code) => fail(new Error(`brief serve exited with ${code}: ${out}`)));
  });
}

// A copy of the newsroom fixture served by `brief serve`, and a headless Chromium.
async function openSite(prepare = () => {}) {
  const site = mkdtempSync(join(tmpdir(), "brief-e2e-"));
  cpSync(join(root, "tests/fixtures/newsroom"), site, { recursive: true });
  prepare(site);
  const { child, url } = await startServer(site);
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  return { site, child, url, browser };
}

async function eventually(check, what, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e; // the page may be mid-reload
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? ": " + last : ""}`);
}

test("edit, break and fix a briefing while the page is open", async () => {
  const { site, child, url, browser } = await openSite();
  const file = join(site, "content/r2.md");
  const original = readFileSync(file, "utf8");
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url + "2025/01/r2/");
    assert.match(await page.textContent("h1"), /R2 twin/);
    await page.waitForTimeout(300); // let the live-reload stream connect

    writeFileSync(file, original.replace("Twin body.", "Twin body, edited in the browser test."));
    await eventually(
      async () => (await page.textContent("main")).includes("edited in the browser test"),
      "the page to reload with the edit",
    );

    writeFileSync(file, "---\ntitle: broken\n");
    await eventually(async () => (await page.locator("#__brief-overlay").count()) === 1, "the error overlay");
    const overlay = await page.textContent("#__brief-overlay");
    assert.match(overlay, /content\/r2\.md:1:1/);
    assert.match(overlay, /the front matter is never closed/);
    assert.match(await page.textContent("h1"), /R2 twin/, "the last good page stays");

    writeFileSync(file, original.replace("Twin body.", "Fixed again."));
    await eventually(
      async () =>
        (await page.locator("#__brief-overlay").count()) === 0 &&
        (await page.textContent("main")).includes("Fixed again."),
      "the overlay to go and the fix to show",
    );
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    child.kill();
    rmSync(site, { recursive: true, force: true });
  }
});

test("warnings show at the foot of the page without blocking it", async () => {
  const { site, child, url, browser } = await openSite();
  const intro = join(site, "content/topics/elections.md");
  try {
    const page = await browser.newPage();
    await page.goto(url + "2025/01/r2/");
    await page.waitForTimeout(300); // let the live-reload stream connect
    assert.equal(await page.locator("#__brief-warnings-bar").count(), 0);

    mkdirSync(join(site, "content/topics"), { recursive: true });
    writeFileSync(intro, "---\ntitle: Elections\n---\nComing up.\n");
    await eventually(async () => (await page.locator("#__brief-warnings-bar").count()) === 1, "the warnings bar");
    const bar = await page.textContent("#__brief-warnings-bar");
    assert.match(bar, /content\/topics\/elections\.md/);
    assert.match(bar, /no briefing uses the topic `elections` yet/);
    assert.equal(await page.locator("#__brief-overlay").count(), 0, "warnings never block the page");
    await page.click("h1", { trial: true }); // nothing covers the page
    assert.match(await page.textContent("h1"), /R2 twin/);
    await page.click("#__brief-warnings-bar button");
    assert.equal(await page.locator("#__brief-warnings-bar").count(), 0, "the bar closes");

    rmSync(intro);
    await eventually(async () => {
      await page.reload();
      return (await page.locator("#__brief-warnings-bar").count()) === 0;
    }, "the warning to go once the intro is removed");
  } finally {
    await browser.close();
    child.kill();
    rmSync(site, { recursive: true, force: true });
  }
});

test("a later page of a list that an edit changes reloads too", async () => {
  // Two briefings per page: the home page's second page shows R3 and R4.
  const { site, child, url, browser } = await openSite((dir) =>
    writeFileSync(join(dir, "site.yaml"), readFileSync(join(dir, "site.yaml"), "utf8") + "paginate: 2\n"),
  );
  const file = join(site, "content/r4.md");
  try {
    const page = await browser.newPage();
    await page.goto(url + "page/2/");
    assert.match(await page.textContent("main"), /R4 linker/);
    // Pages rendered after the reload are announced by path: the stream is read here too.
    const abort = new AbortController();
    const stream = await fetch(url + "__brief/live", { signal: abort.signal });
    let events = "";
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of stream.body) events += decoder.decode(chunk);
      } catch {
        // aborted at the end of the test
      }
    })();
    await page.waitForTimeout(300); // let the live-reload streams connect

    writeFileSync(file, readFileSync(file, "utf8").replace("R4 linker", "R4 renamed in the browser test"));
    await eventually(
      async () => (await page.textContent("main")).includes("R4 renamed in the browser test"),
      "the second page to reload with the new title",
    );
    await eventually(
      async () => /event: ?changed\n(data: ?.*\n)*data: ?\/page\/2\/\n/.test(events),
      "the second page announced as changed after the reload",
    );
    abort.abort();
    await reading;
  } finally {
    await browser.close();
    child.kill();
    rmSync(site, { recursive: true, force: true });
  }
});

test("search works in the preview and follows an edit", async () => {
  const { site, child, url, browser } = await openSite();
  const file = join(site, "content/r2.md");
  try {
    const page = await browser.newPage();
    const titles = async (word) => {
      await page.goto(url + "search/?q=" + word);
      await page.waitForFunction(() => document.querySelector("#search-status").textContent !== "");
      return page.$$eval("#search-results li h2 a", (as) => as.map((a) => a.textContent));
    };
    await eventually(async () => (await titles("twin")).includes("R2 twin"), "a body word to be found");
    assert.deepEqual(await titles("quetzalcoatl"), []);
    writeFileSync(file, readFileSync(file, "utf8").replace("Twin body.", "Twin body about quetzalcoatl."));
    await eventually(async () => (await titles("quetzalcoatl")).includes("R2 twin"), "the index to follow the edit");
  } finally {
    await browser.close();
    child.kill();
    rmSync(site, { recursive: true, force: true });
  }
});
