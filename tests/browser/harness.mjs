// Shared by the browser tests and the page benchmark: a real static HTTP server on
// loopback for dist/, and Debian's Chromium driven by playwright-core.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
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

/** Serves `dir` on 127.0.0.1 at a free port; every request is logged in `hits`. */
export async function serve(dir = dist) {
  const hits = [];
  const server = createServer(async (req, res) => {
    hits.push(req.url);
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, hits, close: () => new Promise((ok) => server.close(ok)) };
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

/** Fills the paste box as a paste would: one input event with the whole text. */
export async function paste(page, text) {
  await page.fill("#paste", text);
}
