// The built site opened from disk, as the README's first step does: every internal link lands
// on a page, never on the browser's listing of a folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "../..");
const brief = process.env.BRIEF_BIN || join(root, "target/debug/brief");
const browserPath = process.env.CHROME_PATH || "/usr/bin/chromium";

// The example site, two briefings a page so that pagination links exist too.
function buildExample() {
  const site = mkdtempSync(join(tmpdir(), "brief-file-"));
  for (const part of ["content", "static", "templates", "site.yaml"]) {
    cpSync(join(root, part), join(site, part), { recursive: true });
  }
  const config = join(site, "site.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace(/^paginate: .*$/m, "paginate: 2"));
  const run = spawnSync(brief, ["build", "--root", site], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return site;
}

function htmlFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith(".html"))
    .map((f) => join(dir, f));
}

async function withBrowser(work) {
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
  });
  try {
    await work(await browser.newPage());
  } finally {
    await browser.close();
  }
}

// Clicks every link of the open page without leaving it, and returns where each would go.
function followedLinks(page) {
  return page.evaluate(() => {
    const went = [];
    const record = (e) => {
      const a = e.target.closest("a[href]");
      if (a) went.push(a.href);
      e.preventDefault();
    };
    window.addEventListener("click", record);
    for (const a of document.querySelectorAll("a[href]")) a.click();
    window.removeEventListener("click", record);
    return went;
  });
}

test("every internal link of every page opened from disk lands on a file", async () => {
  const site = buildExample();
  const output = join(site, "public");
  try {
    await withBrowser(async (page) => {
      let checked = 0;
      for (const file of htmlFiles(output)) {
        // Redirects are followed in the next test; the 404 page is served by a host at any
        // missing address, so its links start from the site's root.
        if (file === join(output, "404.html")) continue;
        if (readFileSync(file, "utf8").includes('http-equiv="refresh"')) continue;
        // A day's edition is an email: its links are absolute, for a mail client.
        if (file.endsWith("email.html")) continue;
        await page.goto(pathToFileURL(file).href);
        for (const href of await followedLinks(page)) {
          if (!href.startsWith("file:")) continue;
          const target = fileURLToPath(href.split("#")[0]);
          const from = relative(output, file);
          assert.ok(!target.endsWith("/"), `${from} links to the folder ${href}`);
          assert.ok(existsSync(target), `${from} links to ${href}, which is not in the output`);
          checked++;
        }
      }
      assert.ok(checked > 1000, `only ${checked} links were followed`);
    });
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
});

test("menus, cards, topics, pagination, languages and old addresses open their pages from disk", async () => {
  const site = buildExample();
  const output = join(site, "public");
  const home = pathToFileURL(join(output, "index.html")).href;
  // Clicks the first link the selector finds on the home page and checks the page it opens.
  const landsOn = async (page, selector) => {
    await page.goto(home);
    const link = page.locator(selector).first();
    const folder = new URL(await link.getAttribute("href"), home);
    const expected = new URL("index.html", folder).href;
    await Promise.all([page.waitForURL(expected, { timeout: 5000 }), link.click()]);
    assert.equal(await page.locator("main#main").count(), 1, `${selector} opens a page`);
  };
  try {
    await withBrowser(async (page) => {
      for (const selector of [
        ".site-header nav a[href$='topics/']",
        ".site-title",
        ".card-title a",
        ".tags a",
        ".byline a.author",
        ".pagination a",
        ".languages a[lang='uk']",
      ]) {
        await landsOn(page, selector);
      }
      // An address a briefing used to have redirects to the page itself, not to its folder.
      await page.goto(pathToFileURL(join(output, "2025/03/witkoff-moscow-meeting/index.html")).href);
      await page.waitForURL(pathToFileURL(join(output, "2025/03/putin-witkoff-ceasefire/index.html")).href);
      assert.equal(await page.locator("main#main").count(), 1);
    });
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
});
