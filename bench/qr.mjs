/**
 * QR render benchmark, timed in a real Worker (workerd via Miniflare), never in vitest (its
 * transform pipeline ran qrcode ~20× slower than workerd itself).
 *
 * bench/qr-worker.ts is bundled with esbuild and loaded into Miniflare; each endpoint runs an
 * operation n times in-isolate and is timed from Node. The /noop request of the same round is
 * subtracted, so per-op times exclude the request round trip. Targets (DESIGN.md):
 * SVG ≤ 1.2× QRCode.create, PNG ≤ 1 ms.
 *
 * Run: `node bench/qr.mjs` (env QR_BENCH_ROUNDS, QR_BENCH_N to override).
 */
import { pathToFileURL } from "node:url";
import { bundleForWorkerd, loadMiniflare } from "./lib.mjs";

const OPS = ["noop", "create", "svg", "png", "verify"];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms) => (ms < 0.1 ? ms.toFixed(3) : ms.toFixed(2));

/**
 * Run the QR benchmark and print its lines.
 *
 * Returns the printed lines (an array of strings) with a `metrics` property:
 * `{ createMs, svgMs, pngMs, svgRatio, svgOk, pngOk, rounds, n }` (per-op medians, ms).
 *
 * @example
 * import { runQrBench } from "./qr.mjs";
 * const lines = await runQrBench({ rounds: 5, log: () => {} });
 * console.log(lines.join("\n"), lines.metrics.svgRatio);
 */
export async function runQrBench({
  rounds = Number(process.env.QR_BENCH_ROUNDS) || 7,
  n = Number(process.env.QR_BENCH_N) || 2000,
  log = console.log,
} = {}) {
  const Miniflare = await loadMiniflare();
  const mf = new Miniflare({
    workers: [
      {
        name: "qr-bench",
        modules: true,
        script: await bundleForWorkerd("bench/qr-worker.ts"),
        compatibilityDate: "2026-04-01",
      },
    ],
  });
  try {
    const call = async (op, count) => {
      const t0 = performance.now();
      const res = await mf.dispatchFetch(`http://bench.local/${op}?n=${count}`);
      const body = await res.json();
      const ms = performance.now() - t0;
      if (!res.ok || body.n !== count || !(body.sink > 0)) throw new Error(`/${op} failed`);
      return ms;
    };
    for (const op of OPS) await call(op, Math.min(n, 500)); // warm up the JIT
    const perOp = { create: [], svg: [], png: [], verify: [] };
    for (let r = 0; r < rounds; r++) {
      const t = {};
      for (const op of OPS) t[op] = await call(op, n);
      for (const op of Object.keys(perOp)) perOp[op].push(Math.max(0, t[op] - t.noop) / n);
    }
    const createMs = median(perOp.create);
    const svgMs = median(perOp.svg);
    const pngMs = median(perOp.png);
    const verifyMs = median(perOp.verify);
    const svgRatio = svgMs / createMs;
    const metrics = {
      createMs,
      svgMs,
      pngMs,
      verifyMs,
      verifyPerSecond: 1000 / verifyMs,
      svgRatio,
      svgOk: svgRatio <= 1.2,
      pngOk: pngMs <= 1,
      rounds,
      n,
    };
    const lines = [
      `qr: svg/create ratio ${svgRatio.toFixed(2)} (create ${fmt(createMs)} ms, svg ${fmt(svgMs)} ms) target ≤ 1.20 ${metrics.svgOk ? "ok" : "MISSED"}`,
      `qr: png ${fmt(pngMs)} ms per op (png/create ${(pngMs / createMs).toFixed(2)}) target ≤ 1 ms ${metrics.pngOk ? "ok" : "MISSED"}`,
      `token: verify ${Math.round(1000 / verifyMs)} ops/s per isolate (${fmt(verifyMs)} ms per verify; one HMAC-SHA256)`,
      `qr: median of ${rounds} rounds × ${n} ops in workerd (Miniflare), /noop round trip subtracted`,
    ];
    for (const line of lines) log(line);
    return Object.assign(lines, { metrics });
  } finally {
    await mf.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runQrBench().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
