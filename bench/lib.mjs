// Benchmark harness: runs the real Worker under `wrangler dev` (workerd + local D1/KV/DO/Queues)
// on a free port with a throw-away state directory (the handoff, poster and client benches and
// the browser tests), or a bench worker in workerd through Miniflare (qr, print).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { encode } from "fast-png";
import { fetchRetrying } from "./fetch-retrying.mjs";
import { startWranglerDev } from "./wrangler-dev.mjs";

export { fetchRetrying };

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

/**
 * A hop-store bench worker in workerd (Miniflare, no dev proxy) on freshly migrated local D1
 * and R2 under a throw-away directory: what bench/store.mjs and bench/spool.mjs drive. `call`
 * sends to one of the worker's paths (POST unless told) and answers its JSON; `stop` disposes
 * and deletes it all.
 * @param {string} entry the bench worker, e.g. "bench/store-worker.ts"
 * @param {string} name names the state directory (`qrbridge-<name>-…`)
 */
export async function startHopStoreWorker(entry, name) {
  const Miniflare = await loadMiniflare();
  const persistTo = mkdtempSync(join(tmpdir(), `qrbridge-${name}-`));
  applyMigrations(persistTo);
  const mf = new Miniflare({
    modules: true,
    script: await bundleForWorkerd(entry),
    compatibilityDate: "2026-04-01",
    d1Databases: { DB: "00000000-0000-0000-0000-000000000000" },
    d1Persist: join(persistTo, "v3/d1"),
    r2Buckets: ["HOP_ARCHIVE"],
    r2Persist: join(persistTo, "v3/r2"),
    kvNamespaces: ["CACHE"],
    durableObjects: { HANDOFF: "HandoffObject" },
    bindings: {
      QB_ENV: "development",
      QB_ADMIN_KEY: ADMIN_KEY,
      QB_SIGNING_KEYS: BASE_VARS.QB_SIGNING_KEYS,
    },
  });
  return {
    persistTo,
    /** @param {string} path @param {string} [method] */
    async call(path, method = "POST") {
      const res = await mf.dispatchFetch(`http://bench.local${path}`, { method });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    async stop() {
      await mf.dispose();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

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
    // QB_SEPARATE_KITS undefined: the print and browser kits are bundled in from source. Folding
    // the test drops the other branch's import by name, which Miniflare refuses to load.
    define: { QB_SEPARATE_KITS: "undefined" },
    minifySyntax: true,
    write: false,
    logLevel: "warning",
  });
  return bundle.outputFiles[0].text;
}

/**
 * Start `wrangler dev` with fresh local state and migrations applied.
 * `port` and `args` (e.g. `--test-scheduled`, `--inspector-port`) reach `wrangler dev` as given.
 * @param {{ vars?: Record<string,string>, config?: string, port?: number, args?: string[] }} [opts]
 * @returns {Promise<{ url: string, persistTo: string, stop: () => Promise<void>, d1: (sql: string) => any[] }>}
 */
export async function startWorker(opts = {}) {
  const persistTo = mkdtempSync(join(tmpdir(), "qrbridge-bench-"));
  const config = opts.config ?? "wrangler.toml";
  applyMigrations(persistTo, config);
  const vars = { ...BASE_VARS, ...(opts.vars ?? {}) };
  const args = ["--persist-to", persistTo];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  args.push(...(opts.args ?? []));
  const dev = await startWranglerDev(config, args, opts.port);
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

/** Mint an API key through the admin key. */
export async function mintKey(url, body) {
  const res = await fetchRetrying(`${url}/v1/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`mint failed ${res.status}: ${await res.text()}`);
  return (await res.json()).key;
}

export const fmt = (x, d = 2) => Number(x).toFixed(d);

/**
 * An RGBA PNG of `w` × `h` whose pixel (x, y) is `paint(x, y)`: a logo to upload.
 *
 * @example
 * logoPng(64, 64, () => [0, 0, 0, 255]) // a black square, as a Buffer
 */
export const logoPng = (w, h, paint) => {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(paint(x, y), (y * w + x) * 4);
  return Buffer.from(encode({ width: w, height: h, data, channels: 4, depth: 8 }));
};
