// `npm run bench -- render`: page render throughput against hono/html, hono/jsx and
// preact-render-to-string (same page, same run, outputs checked equal first), and
// bytes on the wire per update for the demo component. Writes bench-results/render.json.
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";

async function load(entry, out) {
  await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", packages: "external", outfile: out, logLevel: "warning" });
  return import(pathToFileURL(out).href + `?t=${Date.now()}`);
}

/** Insignificant differences: entity spelling (&#39; vs &#x27;, escaped or bare > and ") after decoding, and void-tag slashes. */
function normalise(s) {
  return s
    .replace(/&(#39|#x27|quot|gt|#96|amp|lt);/g, (_m, e) => ({ "#39": "'", "#x27": "'", quot: '"', gt: ">", "#96": "`", amp: "&", lt: "<" })[e])
    .replace(/\s*\/>/g, ">");
}

export default async function run() {
  mkdirSync("bench-results/.build", { recursive: true });
  const pages = await load("bench/render/pages.ts", "bench-results/.build/render-pages.mjs");
  const wire = await load("bench/render/wire.ts", "bench-results/.build/render-wire.mjs");
  const data = pages.makeData();

  const impls = { "stratus html": pages.stratus, "hono/html": pages.honoHtml, "hono/jsx": pages.honoJsx, "preact-render-to-string": pages.preact };
  const reference = normalise(pages.stratus(data));
  for (const [name, fn] of Object.entries(impls)) {
    const out = normalise(fn(data));
    if (out !== reference) {
      let i = 0;
      while (out[i] === reference[i]) i++;
      throw new Error(`${name} renders a different page at ${i}: ${JSON.stringify(out.slice(i - 40, i + 60))} vs ${JSON.stringify(reference.slice(i - 40, i + 60))}`);
    }
  }
  console.log(`outputs match (${reference.length} chars after normalising entity spelling and void-tag slashes)`);

  const bench = new Bench({ time: 2000, warmupTime: 500 });
  for (const [name, fn] of Object.entries(impls)) bench.add(name, () => fn(data));
  bench.add("stratus renderTree (statics/dynamics)", () => pages.stratusTree(data));
  await bench.run();

  const hz = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.throughput?.mean ?? t.result.hz]));
  const base = hz["stratus html"];
  const rows = bench.tasks.map((t) => ({
    name: t.name,
    "ops/s": Math.round(hz[t.name]),
    "stratus html ×": +(base / hz[t.name]).toFixed(2),
  }));
  console.table(rows);
  const ratios = { vsHonoHtml: +(base / hz["hono/html"]).toFixed(2), vsHonoJsx: +(base / hz["hono/jsx"]).toFixed(2), vsPreact: +(base / hz["preact-render-to-string"]).toFixed(2) };
  console.log(`stratus html vs hono/html: ${ratios.vsHonoHtml}× (target ≥ 1.0), vs hono/jsx: ${ratios.vsHonoJsx}× (target ≥ 5), vs preact-render-to-string: ${ratios.vsPreact}×`);

  const bytes = wire.measure();
  console.table(bytes);

  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/render.json", JSON.stringify({ date: new Date().toISOString(), node: process.version, opsPerSecond: hz, ratios, wire: bytes }, null, 2));
  console.log("wrote bench-results/render.json");
}
