// Shared by the browser tests and the page benchmark: a real static HTTP server on
// loopback for dist/, and Debian's Chromium driven by playwright-core.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";
import { chromium } from "playwright-core";

export const root = resolve(new URL("../..", import.meta.url).pathname);
export const dist = join(root, "dist");

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/**
 * Serves `dir` on 127.0.0.1 at a free port under the path `prefix`, as a plain
 * static host does: a directory serves its index.html, a missing file gets the
 * site's 404.html with status 404. Every request is logged in `hits`.
 */
export async function serve(dir = dist, prefix = "/") {
  const hits = [];
  const server = createServer(async (req, res) => {
    hits.push(req.url);
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const notFound = async () => {
      try {
        const body = await readFile(join(dir, "404.html"));
        res.writeHead(404, { "content-type": types[".html"] }).end(body);
      } catch {
        res.writeHead(404).end("not found");
      }
    };
    if (!pathname.startsWith(prefix)) return notFound();
    let file = normalize(join(dir, pathname.slice(prefix.length)));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) {
        // As static hosts do: /errors/x redirects to /errors/x/ so relative links work.
        if (!pathname.endsWith("/")) {
          res.writeHead(301, { location: `${pathname}/` }).end();
          return;
        }
        file = join(file, "index.html");
      }
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      await notFound();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    hits,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Starts headless Debian Chromium with the flags this closed network needs
 * (playwright gives every launch a fresh, empty profile). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Waits until no part of the page awaits an answer from the engine (its worker):
 * the diagnosis, the index's filter and the metadata check mark themselves
 * `aria-busy="true"` from the question to the answer. */
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

/** Waits until the page's engine has started and has taken (or failed to fetch)
 * the causes' prose (`<html data-engine data-prose>`), then until the network is
 * idle: after this the page requests nothing by itself. */
export async function quiet(page) {
  await page.waitForFunction(() => document.documentElement.dataset.prose !== undefined, null, { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
}

/** Fills the paste box as a paste would: one input event with the whole text; then
 * waits for its diagnosis. */
export async function paste(page, text) {
  await page.fill("#paste", text);
  await settled(page);
}

/** Pastes `text` into the paste box as a clipboard paste does: a `paste` event
 * carrying the text (the browser inserts it unless the page takes it over). */
export async function clipboardPaste(page, text) {
  await page.focus("#paste");
  await page.evaluate((t) => {
    const area = document.querySelector("#paste");
    const data = new DataTransfer();
    data.setData("text/plain", t);
    const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
    if (area.dispatchEvent(event)) {
      // Not taken over: insert it as the browser would.
      area.setRangeText(t, area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }, text);
  await settled(page);
}

/** A page on `url` in a fresh context (or in `existing`), with console errors,
 * page errors and requests recorded. */
export async function openPage(browser, url, options = {}, existing = null) {
  const context = existing ?? (await browser.newContext(options));
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector("#paste");
  return { page, context, problems, requests };
}

export function fixture(name) {
  return readFileSync(join(root, "../shared/fixtures/discovery", name), "utf8");
}

/**
 * A second loopback server, on another origin, that plays the identity provider
 * for the discovery probe: the real documents of ../shared/fixtures/discovery/
 * (their issuer rewritten to this server), served with and without CORS, slowly,
 * as HTML, as broken JSON, oversized, redirected and failing. Every request is
 * logged in `hits` with its headers.
 */
export async function serveMetadata() {
  const hits = [];
  let base = "";
  const cors = { "access-control-allow-origin": "*" };
  const json = { "content-type": "application/json", ...cors };
  const keycloak = () =>
    fixture("keycloak-realm-oidc.json").replaceAll(
      "https://identity.mafiasi.de/auth/realms/simple_openid_test",
      `${base}/realm`,
    );
  const spring = () => fixture("spring-authorization-server-oidc.json").replaceAll("http://localhost:9010", `${base}/spring`);
  const routes = {
    "/realm/.well-known/openid-configuration": (res) => res.writeHead(200, json).end(keycloak()),
    "/spring/.well-known/openid-configuration": (res) => res.writeHead(200, json).end(spring()),
    "/.well-known/oauth-protected-resource/mcp": (res) =>
      res.writeHead(200, json).end(
        JSON.stringify({
          resource: `${base}/mcp`,
          authorization_servers: [`${base}/realm`],
          scopes_supported: ["mcp:tools"],
          bearer_methods_supported: ["header"],
        }),
      ),
    "/nocors/.well-known/openid-configuration": (res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(keycloak()),
    "/slow/.well-known/openid-configuration": (res) => {
      res.writeHead(200, json);
      res.write("{");
      const t = setTimeout(() => res.end(`"issuer":"${base}/slow"}`), 30_000);
      res.on("close", () => clearTimeout(t));
    },
    "/html/.well-known/openid-configuration": (res) =>
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...cors }).end("<!doctype html><title>Sign in</title><h1>Sign in</h1>"),
    "/badjson/.well-known/openid-configuration": (res) => res.writeHead(200, json).end(`{"issuer": "${base}/badjson",`),
    "/big/.well-known/openid-configuration": (res) => {
      // Chunked, with no Content-Length: only reading tells the size.
      res.writeHead(200, json);
      const chunk = `{"filler":"${"x".repeat(64 * 1024)}"}`;
      let sent = 0;
      const more = () => {
        while (sent < 64 && !res.destroyed) {
          sent++;
          if (!res.write(chunk)) return res.once("drain", more);
        }
        res.end();
      };
      more();
    },
    "/error/.well-known/openid-configuration": (res) => res.writeHead(500, json).end('{"error":"server_error"}'),
    "/moved/.well-known/openid-configuration": (res) =>
      res.writeHead(302, { location: `${base}/realm/.well-known/openid-configuration`, ...cors }).end(),
  };
  const server = createServer((req, res) => {
    hits.push({ url: req.url, referer: req.headers.referer ?? null, cookie: req.headers.cookie ?? null });
    const route = routes[new URL(req.url, "http://x").pathname];
    if (route) route(res);
    else res.writeHead(404, { "content-type": "text/plain", ...cors }).end("not found");
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise((ok) => server.close(ok));
    },
  };
}
