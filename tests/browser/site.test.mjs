// The docs-site face in headless Chromium, with the release build served under a
// sub-path (/tools/oauth-doctor/) by a plain static server: the app and every
// static knowledge-base page load directly and after a reload, every permalink
// resolves, every internal link lands on a page, and a diagnosis links each cause
// to its entry.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { serve, launch, paste, openPage, dist, settled } from "./harness.mjs";

const prefix = "/tools/oauth-doctor/";
let server, browser;
before(async () => {
  server = await serve(dist, prefix);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Every static page of the build, as its URL path relative to the site root. */
function staticPages() {
  const out = [];
  (function walk(dir) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === "index.html" && dir !== dist) out.push(`${relative(dist, dir)}/`);
    }
  })(dist);
  return out.sort();
}

test("from a diagnosis under a sub-path, each cause links to its entry, which survives a reload", async () => {
  const { page, context, problems } = await open();
  await paste(page, "error=invalid_scope error_description='The following scopes are invalid: offline_access'");
  const href = await page.getAttribute('[data-rank="1"] a.entry-link', "href");
  assert.match(href, /^messages\/[a-z0-9.-]+\/$/);
  const tag = await page.getAttribute('[data-rank="1"]', "data-cause-tag");
  // Entry pages open beside the diagnosis, which stays as it was.
  const [entry] = await Promise.all([context.waitForEvent("page"), page.click('[data-rank="1"] a.entry-link')]);
  await entry.waitForSelector("article.entry");
  assert.equal(entry.url(), `${server.url}${href}`);
  const fix = await entry.textContent(`article.entry [data-cause-tag="${tag}"] .fix`);
  assert.ok(fix.length > 20, fix);
  await entry.reload();
  assert.equal(await entry.textContent(`article.entry [data-cause-tag="${tag}"] .fix`), fix);
  assert.equal(await page.getAttribute('[data-rank="1"]', "data-cause-tag"), tag);
  // The error code links to its page; the index to everything.
  const [code] = await Promise.all([context.waitForEvent("page"), page.click("a.error-code-link")]);
  await code.waitForSelector('article.entry[data-entry="code.invalid_scope"]');
  assert.equal(code.url(), `${server.url}errors/invalid_scope/`);
  await code.click('nav a[href$="kb/"]');
  await code.waitForSelector("#codes");
  assert.equal(code.url(), `${server.url}kb/`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("every permalink resolves, and every link on every page lands on a page", async () => {
  const pages = staticPages();
  assert.ok(pages.length > 600, `only ${pages.length} pages`);
  const exists = new Set(pages.map((p) => `${server.url}${p}`));
  exists.add(server.url);
  const broken = [];
  for (const p of pages) {
    const url = `${server.url}${p}`;
    const res = await fetch(url);
    if (res.status !== 200) {
      broken.push(`${url}: HTTP ${res.status}`);
      continue;
    }
    const html = await res.text();
    for (const [, href] of html.matchAll(/href="([^"]+)"/g)) {
      if (/^(https?:|data:|#)/.test(href)) continue;
      const target = new URL(href.replaceAll("&amp;", "&"), url).href;
      if (!target.endsWith(".css") && !exists.has(target)) broken.push(`${url} -> ${href}`);
    }
  }
  assert.deepEqual(broken.slice(0, 20), []);
});

test("each kind of page loads directly and after a reload, styled, under its CSP, with no console error", async () => {
  const { page, context, problems } = await open();
  const samples = ["kb/", "errors/invalid_scope/", "messages/keycloak.invalid-scopes/", "vendors/entra/", "causes/scope.offline-access-rejected/"];
  for (const path of samples) {
    const res = await page.goto(`${server.url}${path}`);
    assert.equal(res.status(), 200, path);
    await page.reload();
    assert.ok((await page.textContent("h1")).length > 3, path);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, "rgba(0, 0, 0, 0)", `${path}: unstyled`);
  }
  // Deep links that do not exist get the site's 404 page, not a blank one.
  const res = await page.goto(`${server.url}errors/no_such_code/`);
  assert.equal(res.status(), 404);
  assert.match(await page.textContent("h1"), /No such page/);
  assert.deepEqual(problems.filter((p) => !/404/.test(p)), []);
  await context.close();
});

test("the app itself loads under the sub-path and after a reload", async () => {
  const { page, context, problems } = await open();
  await page.reload();
  await page.waitForSelector("#paste");
  await paste(page, '{"error":"invalid_scope","error_description":"Invalid scopes: openid application:salesforce"}');
  assert.equal(await page.getAttribute("[data-error-code]", "data-error-code"), "invalid_scope");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the index, filtered as you type: words and whole error messages find their entries", async () => {
  const { page, context, problems } = await open();
  await paste(page, "error=invalid_scope&error_description=Invalid+scopes:+openid+offline_access");
  await page.click('header nav a[href="#/kb"]');
  await page.waitForSelector("#kb-filter");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "kb-filter");
  const all = Number(await page.getAttribute(".kb-count", "data-count"));
  assert.ok(all > 600, `${all}`);
  await page.fill("#kb-filter", "invalid_target");
  await settled(page);
  await page.waitForFunction((all) => Number(document.querySelector(".kb-count").dataset.count) < all, all);
  assert.ok(await page.$('.by-words li[data-entry="code.invalid_target"] a[href="errors/invalid_target/"]'));
  await page.fill("#kb-filter", "Invalid scopes: openid offline_access");
  await settled(page);
  await page.waitForSelector('.by-message li[data-entry="keycloak.invalid-scopes"]');
  // A direct link to the index works, and so does a reload of it.
  await page.reload();
  await page.waitForSelector("#kb-filter");
  // Back to the diagnosis: the view, not a new page.
  await page.click('header nav a[href="#"]');
  await page.waitForSelector("#paste", { state: "visible" });
  await page.click('header nav a[href="#/kb"]');
  await page.fill("#kb-filter", "hydra");
  await settled(page);
  await Promise.all([page.waitForNavigation(), page.click('.vendors a[href="vendors/hydra/"]')]);
  assert.equal(page.url(), `${server.url}vendors/hydra/`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("switching to the index and back keeps the paste and its diagnosis", async () => {
  const { page, context } = await open();
  await paste(page, "error=invalid_scope&error_description=Invalid+scopes:+openid+offline_access");
  const tag = await page.getAttribute('[data-rank="1"]', "data-cause-tag");
  await page.click('header nav a[href="#/kb"]');
  await page.waitForSelector("#kb-filter");
  assert.equal(await page.isVisible("#paste"), false);
  await page.goBack();
  await page.waitForSelector("#paste", { state: "visible" });
  assert.match(await page.inputValue("#paste"), /offline_access/);
  assert.equal(await page.getAttribute('[data-rank="1"]', "data-cause-tag"), tag);
  await context.close();
});

test("without JavaScript, every kind of page still gives its answer", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}errors/invalid_scope/`);
  assert.match(await page.textContent("article.entry"), /Fix:/);
  await page.goto(`${server.url}kb/`);
  assert.ok((await page.$$("#codes + ul li")).length > 50);
  assert.equal(await page.$("#kb-filter"), null);
  await context.close();
});

test("when the app loads on a static page it takes over its slot", async () => {
  const { page, context, problems } = await open();
  // The index page gets its filter.
  await page.goto(`${server.url}kb/`);
  await page.waitForSelector("#kb-filter");
  await page.fill("#kb-filter", "invalid_target");
  await settled(page);
  const href = await page.getAttribute('.by-words li[data-entry="code.invalid_target"] a', "href");
  assert.equal(new URL(href, page.url()).href, `${server.url}errors/invalid_target/`);
  // An entry page gets a paste box that diagnoses in place, with links from there.
  await page.goto(`${server.url}messages/keycloak.invalid-scopes/`);
  await page.waitForSelector(".inline-diagnose");
  await page.click(".inline-diagnose summary");
  await paste(page, '{"error":"invalid_scope","error_description":"Invalid scopes: openid offline_access"}');
  await page.waitForSelector('[data-rank="1"] a.entry-link');
  // The causes' words come from the site root under the sub-path, two levels up.
  await page.locator('[data-rank="1"] .fix').waitFor();
  const entry = await page.getAttribute('[data-rank="1"] a.entry-link', "href");
  const res = await page.request.get(new URL(entry, page.url()).href);
  assert.equal(res.status(), 200, entry);
  assert.deepEqual(problems, []);
  await context.close();
});

function open(options) {
  return openPage(browser, server.url, options);
}
