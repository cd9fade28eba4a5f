// Accessibility, in headless Chromium: axe-core (npm) on every route of the app and
// every kind of static page, in light and dark, must report no serious or critical
// violation. axe is injected as a script, which the page's CSP rightly refuses, so
// these contexts bypass the CSP (the CSP itself is tested in page.test.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { serve, launch, paste } from "./harness.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The serious and critical violations axe finds on the page as it is now. */
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0]?.target.join(" ")} — ${v.help}`);
}

for (const colorScheme of ["light", "dark"]) {
  test(`the app's views have no serious accessibility violation (${colorScheme})`, async () => {
    const context = await browser.newContext({ bypassCSP: true, colorScheme });
    const page = await context.newPage();
    const found = {};
    await page.goto(server.url);
    await page.waitForSelector("#paste");
    found.empty = await violations(page);
    await paste(page, "error=invalid_scope&error_description=Invalid+scopes:+openid+offline_access&scope=openid+offline_access");
    await page.waitForSelector('[data-rank="1"]');
    await page.click(".metadata summary");
    await page.click(".probe summary");
    await page.click(".evidence summary");
    found.diagnosis = await violations(page);
    await page.goto(`${server.url}#/kb`);
    await page.waitForSelector("#kb-filter");
    found.index = await violations(page);
    for (const [view, list] of Object.entries(found)) assert.deepEqual(list, [], view);
    await context.close();
  });

  test(`the static pages have no serious accessibility violation (${colorScheme})`, async () => {
    const context = await browser.newContext({ bypassCSP: true, colorScheme });
    const page = await context.newPage();
    const paths = ["kb/", "errors/invalid_scope/", "messages/entra.scope-invalid/", "vendors/keycloak/", "causes/scope.unknown/", "errors/no_such/"];
    for (const path of paths) {
      await page.goto(`${server.url}${path}`);
      // Checked as a reader meets them: with the app in its slot.
      await page.waitForFunction(() => document.querySelector("#app-slot")?.children.length > 0);
      assert.deepEqual(await violations(page), [], path);
    }
    await context.close();
  });
}
