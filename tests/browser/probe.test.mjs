// The discovery probe in headless Chromium, against a real identity-provider
// stand-in on another loopback origin (harness.mjs: serveMetadata) that serves the
// real fixture documents with and without CORS, slowly, as HTML, oversized,
// redirected and failing. The page must fetch only what the plan derives from the
// typed URL, explain every failure, and feed what it found to the diagnosis.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, serveMetadata, launch, paste, openPage, settled, quiet } from "./harness.mjs";

let server, idp, browser;
before(async () => {
  server = await serve();
  idp = await serveMetadata();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await idp?.close();
  await server?.close();
});

const open = (options) => openPage(browser, server.url, options);

/** Opens the probe panel, types `url`, submits, and waits for the verdict. */
async function probe(page, url) {
  if (!(await page.isVisible("#probe-url"))) await page.click(".probe summary");
  await page.fill("#probe-url", url);
  await page.press("#probe-url", "Enter");
  await page.waitForSelector("[data-probe]", { timeout: 20_000 });
  return page.$$eval(".flight-log li", (lis) =>
    lis.map((li) => ({ kind: li.dataset.step, url: li.querySelector(".step-url").textContent, text: li.textContent })),
  );
}

test("an issuer: each step is logged, and what the server advertises feeds the diagnosis", async () => {
  const { page, context, problems, requests } = await open();
  await quiet(page);
  const loaded = requests.length;
  const secret = "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.";
  await paste(
    page,
    `Authorization: Bearer ${secret}\nhttps://app.example.com/cb?error=invalid_scope&error_description=The+following+scopes+are+invalid:+offline_access&scope=openid+offline_access`,
  );
  idp.hits.length = 0;
  const steps = await probe(page, `${idp.base}/spring`);
  assert.deepEqual(
    steps.map((s) => [s.kind, s.url]),
    [
      ["not-found", `${idp.base}/.well-known/oauth-authorization-server/spring`],
      ["found", `${idp.base}/spring/.well-known/openid-configuration`],
    ],
  );
  assert.match(steps[0].text, /HTTP 404/);
  assert.equal(await page.getAttribute("[data-probe]", "data-probe"), "found");
  assert.equal(await page.getAttribute(".probe [data-offline-access]", "data-offline-access"), "no");
  assert.equal(await page.getAttribute('[data-rank="1"]', "data-cause-tag"), "scope.offline-access-rejected");
  assert.match(await page.textContent('[data-rank="1"]'), /does not advertise offline_access/);

  // Only the derived URLs were fetched: no referrer, no cookie, nothing pasted.
  assert.deepEqual(
    idp.hits.map((h) => h.url),
    ["/.well-known/oauth-authorization-server/spring", "/spring/.well-known/openid-configuration"],
  );
  for (const h of idp.hits) {
    assert.equal(h.referer, null);
    assert.equal(h.cookie, null);
  }
  const sent = requests.slice(loaded);
  assert.ok(sent.every((u) => u.startsWith(idp.base)), sent.join("\n"));
  assert.ok(!sent.some((u) => u.includes("offline_access") || u.includes(secret)), sent.join("\n"));
  assert.deepEqual(problems.filter((p) => !/404|Not Found/.test(p)), []);
  await context.close();
});

test("the page's own thread reaches no other origin: only the engine's worker fetches, what the probe derives", async () => {
  const { page, context, problems } = await open();
  await quiet(page);
  idp.hits.length = 0;
  // The page's CSP (connect-src 'self') stops a fetch from the page itself...
  const fromPage = await page.evaluate(
    (url) => fetch(url).then(() => "fetched", () => "refused"),
    `${idp.base}/realm/.well-known/openid-configuration`,
  );
  assert.equal(fromPage, "refused");
  assert.deepEqual(idp.hits, []);
  assert.ok(problems.some((p) => /Content Security Policy/.test(p)), problems.join("\n"));
  // ...while the probe, run by the worker, reaches the server the person typed.
  const steps = await probe(page, `${idp.base}/realm`);
  assert.ok(steps.some((s) => s.kind === "found"), JSON.stringify(steps));
  assert.ok(idp.hits.length > 0);
  await context.close();
});

test("an MCP server: protected resource metadata first, then the authorization server it names", async () => {
  const { page, context } = await open();
  idp.hits.length = 0;
  const steps = await probe(page, `${idp.base}/mcp`);
  assert.deepEqual(
    steps.map((s) => [s.kind, s.url]),
    [
      ["found", `${idp.base}/.well-known/oauth-protected-resource/mcp`],
      ["not-found", `${idp.base}/.well-known/oauth-authorization-server/realm`],
      ["found", `${idp.base}/realm/.well-known/openid-configuration`],
    ],
  );
  assert.match(steps[0].text, /RFC 9728/);
  assert.match(await page.textContent(".probe .metadata-report"), new RegExp(`${idp.base}/realm`));
  await context.close();
});

test("every failure says what happened and what to do next", async () => {
  const { page, context } = await open();
  const wk = "/.well-known/openid-configuration";
  const cases = [
    ["nocors", "cors", /Access-Control-Allow-Origin/],
    ["html", "html", /HTML page, not JSON/],
    ["badjson", "not-json", /not valid JSON/],
    ["big", "too-large", /larger than 256 KB/],
    ["error", "http-status", /HTTP 500/],
  ];
  for (const [path, kind, words] of cases) {
    const url = `${idp.base}/${path}${wk}`;
    const steps = await probe(page, url);
    assert.equal(steps.length, 1, path);
    assert.equal(steps[0].kind, kind, `${path}: ${steps[0].text}`);
    assert.match(steps[0].text, words, path);
    assert.match(steps[0].text, new RegExp(`curl -sS -i '${url}'`), path);
    assert.equal(await page.getAttribute("[data-probe]", "data-probe"), "not-found", path);
  }
  // Nothing listens on port 9 here: the connection fails, and the page says so
  // rather than blaming CORS.
  const steps = await probe(page, `http://127.0.0.1:9${wk}`);
  assert.equal(steps[0].kind, "unreachable", steps[0].text);
  await context.close();
});

test("the fetch under way is shown as it happens, and a hanging server times out", async () => {
  const { page, context } = await open();
  const url = `${idp.base}/slow/.well-known/openid-configuration`;
  await page.click(".probe summary");
  await page.fill("#probe-url", url);
  await page.press("#probe-url", "Enter");
  await page.waitForSelector('.flight-log li[data-step="pending"]');
  assert.equal(await page.textContent('.flight-log li[data-step="pending"] .step-url'), url);
  assert.equal(await page.textContent("button.probe-go"), "Fetching…");
  await page.waitForSelector("[data-probe]", { timeout: 20_000 });
  assert.equal(await page.$('.flight-log li[data-step="pending"]'), null);
  const text = await page.textContent('.flight-log li[data-step="timeout"]');
  assert.match(text, /aborted/);
  assert.match(text, new RegExp(`curl -sS -i '${url}'`));
  await context.close();
});

test("a redirect is followed and reported", async () => {
  const { page, context } = await open();
  const steps = await probe(page, `${idp.base}/moved/.well-known/openid-configuration`);
  assert.equal(steps[0].kind, "redirect", steps[0].text);
  assert.equal(await page.getAttribute("[data-probe]", "data-probe"), "found");
  assert.match(await page.textContent('.probe [data-problem="redirect"]'), /redirected/);
  await context.close();
});

test("when the browser cannot read it, the way forward is one key away: paste the document", async () => {
  const { page, context, problems } = await open({ permissions: ["clipboard-read", "clipboard-write"] });
  await probe(page, `${idp.base}/nocors/.well-known/openid-configuration`);
  await page.focus(".flight-log button.copy");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".flight-log button.copy")?.textContent === "Copied");
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/nocors\//);
  await page.focus(".flight-log button.paste-instead");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "metadata");
  assert.equal(await page.evaluate(() => document.querySelector("#metadata-panel").open), true);
  // The CORS refusal is the browser's own console error; nothing else.
  assert.deepEqual(problems.filter((p) => !/CORS|Access-Control|Failed to load|ERR_FAILED/.test(p)), []);
  await context.close();
});

test("offline, the probe says so and sends nothing", async () => {
  const { page, context, requests } = await open();
  await quiet(page);
  const loaded = requests.length;
  await context.setOffline(true);
  await page.click(".probe summary");
  await page.fill("#probe-url", `${idp.base}/realm`);
  await page.press("#probe-url", "Enter");
  assert.match(await page.textContent(".probe-error"), /You are offline/);
  assert.deepEqual(requests.slice(loaded), []);
  await context.close();
});

test("input that is not a URL gets a message, not a request", async () => {
  const { page, context, requests } = await open();
  await quiet(page);
  const loaded = requests.length;
  await page.click(".probe summary");
  for (const bad of ["ftp://example.com", "javascript:alert(1)", "   "]) {
    await page.fill("#probe-url", bad);
    await page.press("#probe-url", "Enter");
    await settled(page);
    assert.ok((await page.textContent(".probe-error")).length > 10, bad);
  }
  assert.deepEqual(requests.slice(loaded), []);
  await context.close();
});
