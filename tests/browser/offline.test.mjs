// Offline, in headless Chromium: after one visit the service worker has cached the
// app shell, so with the browser context offline the page reloads and diagnoses,
// the examples and the knowledge-base index work, and the probe says it is offline.
// A new deploy (a changed sw.js) replaces the cache. The build is served from a
// copy of dist/ so that the test can deploy over it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, launch, paste, openPage, dist, settled } from "./harness.mjs";

let server, browser, site;
before(async () => {
  site = mkdtempSync(join(tmpdir(), "oauth-doctor-site-"));
  cpSync(dist, site, { recursive: true });
  server = await serve(site, "/oauth-doctor/");
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(site, { recursive: true, force: true });
});

const version = () => readFileSync(join(site, "sw.js"), "utf8").match(/const VERSION = "([0-9a-f]+)"/)[1];
const cacheNames = (page) => page.evaluate(() => caches.keys());

/** Loads the page once and waits until the service worker controls it. */
async function install(context) {
  const { page, problems } = await openPage(browser, server.url, {}, context);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return { page, problems };
}

test("after one visit, the page works with the network off", async () => {
  const context = await browser.newContext();
  const { page, problems } = await install(context);
  assert.deepEqual(await cacheNames(page), [`oauth-doctor-${version()}`]);
  // A knowledge-base page visited while online is kept for later.
  await page.goto(`${server.url}errors/invalid_scope/`);
  await page.goto(server.url);
  await page.waitForSelector("#paste");

  await context.setOffline(true);
  // Really offline: what the worker does not serve fails.
  const reached = await page.evaluate((u) => fetch(u, { cache: "no-store" }).then(() => true, () => false), `${server.url}sw.js?nocache`);
  assert.equal(reached, false);
  await page.reload();
  await page.waitForSelector("#paste");
  await paste(page, "error=invalid_scope error_description='The following scopes are invalid: offline_access'");
  assert.equal(await page.getAttribute("[data-error-code]", "data-error-code"), "invalid_scope");
  assert.ok(await page.getAttribute('[data-rank="1"]', "data-cause-tag"));
  // The causes' words (prose.json) come from the worker's cache too.
  await page.locator('[data-rank="1"] .fix').waitFor();
  // The examples and the index are all in the wasm.
  await page.click("button.example");
  await page.waitForSelector('[data-rank="1"]');
  await page.goto(`${server.url}#/kb`);
  await page.fill("#kb-filter", "invalid_target");
  await settled(page);
  await page.waitForSelector('.by-words li[data-entry="code.invalid_target"]');
  // Static pages: the precached index, and the entry visited before.
  await page.goto(`${server.url}kb/`);
  assert.match(await page.textContent("h1"), /knowledge base/i);
  await page.goto(`${server.url}errors/invalid_scope/`);
  await page.waitForSelector('article.entry[data-entry="code.invalid_scope"]');
  // The probe, the one network feature, says so.
  await page.goto(server.url);
  await page.click(".probe summary");
  await page.fill("#probe-url", "https://accounts.google.com");
  await page.press("#probe-url", "Enter");
  assert.match(await page.textContent(".probe-error"), /You are offline/);
  assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await context.close();
});

test("a new deploy replaces the cache", async () => {
  const context = await browser.newContext();
  const { page } = await install(context);
  const before = version();
  assert.deepEqual(await cacheNames(page), [`oauth-doctor-${before}`]);
  // Deploy: a new build has new hashed names, so a new sw.js.
  const next = "0123456789abcdef";
  writeFileSync(join(site, "sw.js"), readFileSync(join(site, "sw.js"), "utf8").replace(before, next));
  try {
    await page.reload();
    await page.waitForFunction(async (v) => (await caches.keys()).join() === `oauth-doctor-${v}`, next, {
      timeout: 15_000,
    });
  } finally {
    writeFileSync(join(site, "sw.js"), readFileSync(join(site, "sw.js"), "utf8").replace(next, before));
  }
  await context.close();
});
