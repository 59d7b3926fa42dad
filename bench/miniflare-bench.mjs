// The bench Worker (bench/budget-worker.ts) in workerd through Miniflare, driven straight from
// Node: no `wrangler dev`, so no dev proxy in front of it. Its bindings are read from
// wrangler.toml (wrangler's own converter), so a binding added there is in the bench too; the
// bundle is built as `npm run deploy` builds it (minified, slim builds aliased, production build).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { ADMIN_KEY, applyMigrations, loadMiniflare } from "./lib.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ORIGIN = "https://qr.bench";
export { ADMIN_KEY };

/** The host of the bench's webhook receiver: its calls never leave the machine. */
export const RECEIVER_HOST = "hooks.bench";

/** The variables of a production deploy (`npm run deploy` sets QB_ENV=production). */
const VARS = {
  QB_ENV: "production",
  QB_ADMIN_KEY: ADMIN_KEY,
  QB_SIGNING_KEYS: "B1:bench-signing-key-0123456789abcdef",
  QB_IP_SALT: "bench-salt",
  // BENCH_TIME_ZONE=Asia/Tokyo measures a deployment with a reporting time zone (hop days by Intl).
  ...(process.env.BENCH_TIME_ZONE ? { QB_REPORTING_TIME_ZONE: process.env.BENCH_TIME_ZONE } : {}),
};

/**
 * The slim builds, as wrangler.toml's [alias] (the bare specifiers exactly: not `zod/v4` nor the
 * library's `dist/index.mjs`, which the slim builds import): zod without its locales,
 * zod-to-openapi without its generators.
 */
const slimBuilds = {
  name: "slim-builds",
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, () => ({ path: `${ROOT}src/vendor/zod-slim.js` }));
    b.onResolve({ filter: /^@asteasolutions\/zod-to-openapi$/ }, () => ({
      path: `${ROOT}src/vendor/zod-to-openapi-slim.js`,
    }));
  },
};

/** The bench Worker bundled as `wrangler deploy` bundles src/index.ts (see wrangler.toml). */
async function bundle() {
  for (const script of ["build-client.mjs", "build-fonts.mjs", "build-lazy-modules.mjs"]) {
    const built = spawnSync(process.execPath, [`${ROOT}scripts/${script}`, "--quiet"]);
    if (built.status !== 0) throw new Error(`${script} failed: ${built.stderr}`);
  }
  const out = await build({
    entryPoints: [`${ROOT}bench/budget-worker.ts`],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    external: ["cloudflare:*"],
    plugins: [slimBuilds],
    // As wrangler.toml's [define]: the kits stay out of the bundle (no path measured needs them).
    define: { QB_PRODUCTION_BUILD: "true", QB_SEPARATE_KITS: "true" },
    minify: true,
    keepNames: false,
    write: false,
    logLevel: "warning",
  });
  // The upload's modules: the bundle, and every kit it imports on first use under these names
  // (src/routes/lazy-modules.ts), as `wrangler deploy` uploads them. A kit left out makes its
  // path measure a failed import and its fallback (a Japanese page measured as English).
  const modulesRoot = `${ROOT}bench/.upload`;
  const kits = readdirSync(`${ROOT}src/generated`).filter((name) => name.endsWith("-kit.js"));
  return {
    modulesRoot,
    modules: [
      { type: "ESModule", path: `${modulesRoot}/index.js`, contents: out.outputFiles[0].text },
      ...kits.map((name) => ({
        type: "ESModule",
        path: `${modulesRoot}/generated/${name}`,
        contents: readFileSync(`${ROOT}src/generated/${name}`, "utf8"),
      })),
    ],
  };
}

/**
 * Start the bench Worker with fresh local state and the migrations applied.
 * @param {{ meter?: boolean, consumers?: boolean, batchTimeout?: number, workerdPath?: string }} [opts]
 *   meter: wrap the bindings (default true); consumers: run the queue consumers (default true);
 *   batchTimeout: seconds a consumer waits to fill a batch (default: wrangler.toml's);
 *   workerdPath: the workerd to run (Miniflare reads MINIFLARE_WORKERD_PATH when it starts it).
 */
export async function startBenchWorker({
  meter = true,
  consumers = true,
  batchTimeout,
  workerdPath,
} = {}) {
  const persist = mkdtempSync(join(tmpdir(), "qrbridge-budget-"));
  applyMigrations(persist);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(`${ROOT}wrangler.toml`);
  const queueConsumers = {};
  for (const [queue, options] of Object.entries(consumers ? workerOptions.queueConsumers : {})) {
    queueConsumers[queue] =
      batchTimeout === undefined ? options : { ...options, maxBatchTimeout: batchTimeout };
  }
  // The Worker's outbound fetches: webhook deliveries to RECEIVER_HOST are answered 204 here,
  // each kept (its signature headers) for the path that checks them; anything else goes out.
  const received = [];
  const outboundService = (request) => {
    if (new URL(request.url).hostname !== RECEIVER_HOST) return fetch(request);
    received.push({
      event: request.headers.get("qb-event"),
      signatures: (request.headers.get("webhook-signature") ?? "").split(" ").filter(Boolean)
        .length,
    });
    return new Response(null, { status: 204 });
  };
  const Miniflare = await loadMiniflare();
  const before = process.env.MINIFLARE_WORKERD_PATH;
  if (workerdPath) process.env.MINIFLARE_WORKERD_PATH = workerdPath;
  const mf = new Miniflare({
    ...workerOptions,
    ...(await bundle()),
    bindings: { ...workerOptions.bindings, ...VARS, BENCH_METER: meter ? "on" : "off" },
    queueConsumers,
    outboundService,
    d1Persist: join(persist, "v3", "d1"),
  });
  try {
    await mf.ready;
  } finally {
    if (before === undefined) delete process.env.MINIFLARE_WORKERD_PATH;
    else process.env.MINIFLARE_WORKERD_PATH = before;
  }
  /**
   * dispatchFetch, sent again once when the connection closed before any answer: workerd may
   * close a pooled keep-alive connection just as it is reused (seen under valgrind's slowness).
   */
  async function dispatch(url, init) {
    try {
      return await mf.dispatchFetch(url, init);
    } catch (err) {
      if (err?.cause?.code !== "UND_ERR_SOCKET" || err.cause.socket?.bytesRead !== 0) throw err;
      return mf.dispatchFetch(url, init);
    }
  }
  /** Send a request to the Worker; `json` sets a JSON body, `key` a bearer key. */
  async function send(path, { json, key, headers = {}, method } = {}) {
    const h = { ...headers };
    if (key) h.authorization = `Bearer ${key}`;
    if (json !== undefined) h["content-type"] = "application/json";
    const url = /^https?:/i.test(path) ? path : `${ORIGIN}${path}`;
    const init = {
      method: method ?? (json === undefined ? "GET" : "POST"),
      headers: h,
      body: json === undefined ? undefined : JSON.stringify(json),
    };
    const res = await dispatch(url, init);
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  }
  return {
    send,
    /** The webhook deliveries the receiver took, oldest first: `{ event, signatures }`. */
    received,
    async stop() {
      await mf.dispose();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}
