// Prints every file of the release build (dist/) with its raw and gzip -9 size, and
// the first load (HTML + JS + wasm + CSS) against its budget. The budget is not met
// yet (see README.md): the report says so, and exits 1 only when SIZE_BUDGET=enforce.
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
const firstLoad = rows.filter((r) => [".html", ".js", ".wasm", ".css"].includes(extname(r.name)));
const sum = (rs, k) => rs.reduce((a, r) => a + r[k], 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log("release build (dist/):");
for (const r of rows) console.log(`  ${r.name.padEnd(44)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip`);
console.log(`  ${"total".padEnd(44)} ${kb(sum(rows, "raw")).padStart(10)} raw ${kb(sum(rows, "gzip")).padStart(10)} gzip`);
const load = sum(firstLoad, "gzip");
console.log(`first load (HTML + JS + wasm + CSS): ${kb(load)} gzip of a ${kb(BUDGET)} budget`);
if (load > BUDGET) {
  console.log(`OVER BUDGET by ${kb(load - BUDGET)}`);
  if (process.env.SIZE_BUDGET === "enforce") process.exit(1);
}
