// Benchmark harness: runs the real Worker under `wrangler dev` (workerd + local D1/KV/DO/Queues)
// on a free port with a throw-away state directory, and drives load from this Node process.
// Results are printed as ratios against a baseline measured in the same run: these machines
// are shared and noisy, so absolute numbers mean little.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { build } from "esbuild";
import { startWranglerDev } from "./wrangler-dev.mjs";
import { runWrk, useWrk } from "./wrk.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export const ADMIN_KEY = "qb_admin_bench_key_0123456789abcdef";
const BASE_VARS = {
  QB_ENV: "development",
  QB_ADMIN_KEY: ADMIN_KEY,
  QB_SIGNING_KEYS: "B1:bench-signing-key-0123456789abcdef",
  QB_IP_SALT: "bench-salt",
};

/**
 * Apply the D1 migrations to local state under `persistTo` (as `wrangler dev --persist-to`
 * and Miniflare's `d1Persist: <persistTo>/v3/d1` read it).
 * @param {string} persistTo
 * @param {string} [config]
 */
export function applyMigrations(persistTo, config = "wrangler.toml") {
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" };
  const args = ["wrangler", "d1", "migrations", "apply", "DB", "--local"];
  args.push("--persist-to", persistTo, "-c", config);
  const mig = spawnSync("npx", args, { env, encoding: "utf8" });
  if (mig.status !== 0) throw new Error(`migrations failed: ${mig.stderr || mig.stdout}`);
}

/** The Miniflare that `wrangler dev` itself runs (v4); the top-level copy as a fallback. */
export async function loadMiniflare() {
  try {
    const require = createRequire(pathToFileURL(`${ROOT}node_modules/wrangler/package.json`));
    return (await import(pathToFileURL(require.resolve("miniflare")).href)).Miniflare;
  } catch {
    return (await import("miniflare")).Miniflare;
  }
}

/** The Worker's lazily imported modules (src/routes/lazy-modules.ts), bundled in from source. */
const inlineLazyModules = {
  name: "inline-lazy-modules",
  setup(b) {
    b.onLoad({ filter: /src[\\/]routes[\\/]lazy-modules\.ts$/ }, async (args) => {
      const code = (await import("node:fs")).readFileSync(args.path, "utf8");
      return {
        loader: "ts",
        contents: code
          .replace("import(/* @vite-ignore */ PRINT_KIT)", 'import("../print-kit")')
          .replace("import(/* @vite-ignore */ BROWSER_KIT)", 'import("../browser-kit")'),
      };
    });
  },
};

/**
 * Bundle a bench worker (TypeScript, imports from src/) for workerd with esbuild.
 * @param {string} entry path relative to the repository root, e.g. "bench/qr-worker.ts"
 * @returns {Promise<string>} the ES module's source
 */
export async function bundleForWorkerd(entry) {
  const bundle = await build({
    entryPoints: [`${ROOT}${entry}`],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    external: ["cloudflare:*"], // the runtime's own modules
    plugins: [inlineLazyModules],
    write: false,
    logLevel: "warning",
  });
  return bundle.outputFiles[0].text;
}

/**
 * Start `wrangler dev` with fresh local state and migrations applied.
 * @param {{ vars?: Record<string,string>, config?: string }} [opts]
 * @returns {Promise<{ url: string, persistTo: string, stop: () => Promise<void>, d1: (sql: string) => any[] }>}
 */
export async function startWorker(opts = {}) {
  const persistTo = mkdtempSync(join(tmpdir(), "qrbridge-bench-"));
  const config = opts.config ?? "wrangler.toml";
  applyMigrations(persistTo, config);
  const vars = { ...BASE_VARS, ...(opts.vars ?? {}) };
  const args = ["--persist-to", persistTo];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const dev = await startWranglerDev(config, args);
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" };
  return {
    ...dev,
    persistTo,
    /** Run SQL against the local D1 of this worker (after it has flushed). */
    d1(sql) {
      const r = spawnSync(
        "npx",
        [
          "wrangler",
          "d1",
          "execute",
          "DB",
          "--local",
          "--persist-to",
          persistTo,
          "-c",
          config,
          "--json",
          "--command",
          sql,
        ],
        { env, encoding: "utf8" },
      );
      if (r.status !== 0) throw new Error(r.stderr || r.stdout);
      return JSON.parse(r.stdout)[0].results;
    },
    async stop() {
      await dev.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/**
 * Drive load: with wrk when it is installed (see bench/wrk.mjs for why), else autocannon.
 * `requests` may rotate through several paths.
 * @returns {Promise<{ rps: number, p50: number, p99: number, total: number, non2xx: number, errors: number, clientMs: number, tool: string }>}
 */
export async function load(
  url,
  { connections = 16, duration = 5, requests, method = "GET", headers } = {},
) {
  if (useWrk()) return runWrk(url, { connections, duration, requests, method, headers });
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url,
    connections,
    duration,
    requests,
    method,
    headers,
    pipelining: 1,
  });
  const used = process.cpuUsage(cpu);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    clientMs: (used.user + used.system) / 1000 / Math.max(1, result.requests.total),
    tool: "autocannon",
  };
}

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The phone a scan comes from in the benches (iOS Safari): a person, not a bot. */
export const PHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

/** Call the API with a key; the parsed JSON answer, or an error naming the status. */
export async function api(url, key, method, path, body) {
  const res = await fetchRetrying(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * `fetch`, tried again (up to 3 times) when the connection fails before any answer: after a
 * load phase the dev proxy may close a pooled keep-alive connection just as it is reused.
 */
export async function fetchRetrying(url, init, attempts = 3) {
  for (let i = 1; ; i++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (i >= attempts || err?.cause?.code !== "UND_ERR_SOCKET") throw err;
      await new Promise((r) => setTimeout(r, 50 * i));
    }
  }
}

/** Mint an API key through the admin key. */
export async function mintKey(url, body) {
  const res = await fetch(`${url}/v1/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`mint failed ${res.status}: ${await res.text()}`);
  return (await res.json()).key;
}

export const fmt = (x, d = 2) => Number(x).toFixed(d);

/**
 * Interleaved rounds of /healthz and a route (health, route, health, route…) so drift on a shared
 * machine hits both alike, after an unmeasured warm-up of each (`warmup` seconds): a fresh
 * workerd runs its JIT, its local D1 and its queue broker cold, and the first tens of thousands
 * of requests cost it more than later ones. Returns each round's ratio and their median (the
 * figure the targets are read against: one disturbed round does not move it), the mean
 * throughputs, the worst p99s and the route's totals, warm-up included (its requests are served
 * and logged too).
 */
export async function compareWithHealthz(
  url,
  requests,
  { connections = 16, duration = 4, rounds = 5, warmup = 3 } = {},
) {
  const warm = [];
  if (warmup > 0) {
    await load(`${url}/healthz`, { connections, duration: warmup });
    warm.push(await load(url, { connections, duration: warmup, requests }));
  }
  const health = [];
  const route = [];
  for (let round = 0; round < rounds; round++) {
    health.push(await load(`${url}/healthz`, { connections, duration }));
    route.push(await load(url, { connections, duration, requests }));
  }
  return {
    ...summarizeRounds(health, route),
    healthP99: Math.max(...health.map((r) => r.p99)),
    routeP99: Math.max(...route.map((r) => r.p99)),
    /** Load phases of the route (rounds and warm-up): each may end with requests in flight. */
    phases: rounds + warm.length,
    total: sum([...warm, ...route], (r) => r.total),
    non2xx: sum([...warm, ...route], (r) => r.non2xx + r.errors),
  };
}

/**
 * What interleaved rounds of /healthz and a route say: each round's ratio (their spread shows
 * how noisy the machine was) and their median, the mean throughputs, and the client line.
 * @example ratioWithRange(summarizeRounds(health, route)) // "0.78 (median of 5 rounds, …)"
 */
export function summarizeRounds(health, route) {
  const ratios = route.map((r, i) => r.rps / health[i].rps);
  return {
    ratios,
    medianRatio: median(ratios),
    healthRps: sum(health, (r) => r.rps) / health.length,
    routeRps: sum(route, (r) => r.rps) / route.length,
    /** "wrk, client CPU 0.05 / 0.07 ms per request (/healthz / route)". */
    client: clientLine([...health, ...route], health, route),
  };
}

/**
 * Which load generator ran and what it spent per request, for the bench lines.
 * @example clientLine(all, health, route) // "load wrk, client CPU 0.05 / 0.07 ms per request (/healthz / route)"
 */
export function clientLine(all, health, route) {
  const per = (rs) =>
    sum(rs, (r) => r.clientMs * r.total) /
    Math.max(
      1,
      sum(rs, (r) => r.total),
    );
  return `load ${all[0]?.tool ?? "?"}, client CPU ${fmt(per(health))} / ${fmt(per(route))} ms per request (/healthz / route)`;
}
/** The sum of f over results. */
const sum = (rs, f) => rs.reduce((a, r) => a + f(r), 0);

/** "0.78 (median of 5 rounds, 0.68–0.85; mean throughputs 0.77)": the median round ratio, the range, and the ratio of the mean throughputs. */
export function ratioWithRange(cmp) {
  const lo = Math.min(...cmp.ratios);
  const hi = Math.max(...cmp.ratios);
  return `${fmt(cmp.medianRatio)} (median of ${cmp.ratios.length} rounds, ${fmt(lo)}–${fmt(hi)}; mean throughputs ${fmt(cmp.routeRps / cmp.healthRps)})`;
}
