// Prints every file of the release build (dist/) with its raw and gzip -9 size, the
// first load (index.html and the JS, wasm and CSS it loads: the page's interface)
// against its budget, and what comes after the first paint (the engine's worker,
// with the knowledge base, and the causes' prose). With --enforce (the test command
// passes it) it exits 1 over budget.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, relative, extname } from "node:path";

const BUDGET = 150 * 1024; // gzip bytes, issue 3
const dist = new URL("../dist", import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
})(dist);

const rows = files.sort().map((path) => {
  const body = readFileSync(path);
  return { name: relative(dist, path), raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
});
// The app is the files at the top of dist/; the static knowledge-base pages (one
// directory per kind, plus 404.html) are summed on one line each.
const pageDir = (r) => r.name.includes("/") || r.name === "404.html";
const app = rows.filter((r) => !pageDir(r));
// What index.html itself loads (Trunk writes each file's name into it).
const index = readFileSync(join(dist, "index.html"), "utf8");
const firstLoad = app.filter(
  (r) => r.name === "index.html" || ([".js", ".wasm", ".css"].includes(extname(r.name)) && index.includes(r.name)),
);
// After the first paint: the engine's worker (its loader, JS and wasm) and the prose.
const later = app.filter((r) => r.name.startsWith("oauth-doctor-engine") || r.name === "prose.json");
const sum = (rs, k) => rs.reduce((a, r) => a + r[k], 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const line = (name, raw, gzip) => console.log(`  ${name.padEnd(44)} ${kb(raw).padStart(10)} raw ${kb(gzip).padStart(10)} gzip`);
console.log("release build (dist/):");
for (const r of app) line(r.name, r.raw, r.gzip);
const groups = new Map();
for (const r of rows.filter(pageDir)) {
  const g = r.name.includes("/") ? `${r.name.split("/")[0]}/` : r.name;
  const acc = groups.get(g) ?? { n: 0, raw: 0, gzip: 0 };
  groups.set(g, { n: acc.n + 1, raw: acc.raw + r.raw, gzip: acc.gzip + r.gzip });
}
for (const [g, t] of groups) line(`${g} (${t.n} static page${t.n === 1 ? "" : "s"})`, t.raw, t.gzip);
console.log(`  ${"total".padEnd(44)} ${kb(sum(rows, "raw")).padStart(10)} raw ${kb(sum(rows, "gzip")).padStart(10)} gzip`);
const load = sum(firstLoad, "gzip");
console.log(`first load (HTML + JS + wasm + CSS: ${firstLoad.map((r) => r.name).join(", ")}): ${kb(load)} gzip of a ${kb(BUDGET)} budget`);
console.log(`after the first paint (the engine's worker and the causes' prose): ${kb(sum(later, "gzip"))} gzip`);
if (load > BUDGET) {
  console.log(`OVER BUDGET by ${kb(load - BUDGET)}`);
  if (process.argv.includes("--enforce") || process.env.SIZE_BUDGET === "enforce") process.exit(1);
}
