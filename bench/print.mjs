/**
 * Print kit benchmark, timed in a real Worker (workerd via Miniflare): the CPU a batch of
 * poster cards costs as SVG sheets and as one PDF, per poster, against the request round trip
 * of the same round (subtracted). Median of 5 rounds.
 *
 * Run: `node scripts/build-fonts.mjs && node bench/print.mjs`.
 */
import { pathToFileURL } from "node:url";
import { bundleForWorkerd, fmt, loadMiniflare, median } from "./lib.mjs";

export async function run() {
  const Miniflare = await loadMiniflare();
  const mf = new Miniflare({
    modules: true,
    script: await bundleForWorkerd("bench/print-worker.ts"),
    compatibilityDate: "2026-04-01",
    // The glyph packs, as the Worker reads them (scripts/build-fonts.mjs builds them).
    assets: {
      directory: "build/assets",
      binding: "PRINT_FONTS",
      routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
    },
  });
  try {
    const time = async (op, n) => {
      const t0 = performance.now();
      const [path, query = ""] = op.split("?");
      const res = await mf.dispatchFetch(`http://bench.local/${path}?n=${n}&${query}`);
      const body = await res.json();
      if (!res.ok || body.n !== n) throw new Error(`/${op} failed`);
      return { ms: performance.now() - t0, bytes: body.bytes };
    };
    const lines = [];
    const cases = [
      [12, ""],
      [120, ""],
      [1200, ""],
      [12, "?styled=1"],
      [120, "?styled=1"],
    ];
    for (const [n, styled] of cases) {
      const ops = { svg: `svg${styled}`, pdf: `pdf${styled}` };
      for (const op of ["noop", ops.svg, ops.pdf]) await time(op, n); // warm up
      const runs = { svg: [], pdf: [] };
      const bytes = {};
      for (let round = 0; round < 5; round++) {
        const base = (await time("noop", n)).ms;
        for (const op of ["svg", "pdf"]) {
          const r = await time(ops[op], n);
          runs[op].push(r.ms - base);
          bytes[op] = r.bytes;
        }
      }
      const [svg, pdf] = [median(runs.svg), median(runs.pdf)];
      const what = styled ? "styled posters (dots, colours, logo)" : "posters";
      lines.push(
        `print: ${n} ${what} — PDF ${fmt(pdf, 1)} ms (${fmt(pdf / n, 3)} ms per poster, ${Math.round(bytes.pdf / 1024)} KiB); SVG sheets ${fmt(svg, 1)} ms (${Math.round(bytes.svg / 1024)} KiB); PDF ÷ SVG ${fmt(pdf / svg)}`,
      );
    }
    lines.push("print: median of 5 rounds in workerd (Miniflare), request round trip subtracted");
    return lines;
  } finally {
    await mf.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
