// The ceiling of the scan benchmarks: what `wrangler dev` itself costs for a landing page.
//
// A scan answers with a ~5 KB HTML page and nine security headers; /healthz with 29 bytes of
// JSON. wrangler's dev proxy runs every text/html response through HTMLRewriter (to inject its
// live-reload script) and both processes move the bigger body, so even a Worker that only
// returns a constant page cannot reach /healthz's throughput. This starts such a Worker: a
// generated module that answers /healthz and /page with bytes and headers captured from the
// real Worker, under its own `wrangler dev`, and measures page ÷ healthz the way scan-wrk does.
// No route code, no KV, no hop: the rest of a scan's gap is ours.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchRetrying } from "./lib.mjs";
import { startWranglerDev } from "./wrangler-dev.mjs";

// Headers that describe the transfer, not the response: the runtime sets them itself.
const TRANSFER = new Set(["content-encoding", "content-length", "transfer-encoding", "date"]);

/**
 * A response of the real Worker as `{body, headers}`, ready to be served again as a constant.
 * @param {string} url
 * @param {Record<string, string>} [headers]
 */
export async function capture(url, headers = {}) {
  const res = await fetchRetrying(url, { headers });
  const body = await res.text();
  const kept = [...res.headers].filter(([k]) => !TRANSFER.has(k));
  return { status: res.status, body, headers: Object.fromEntries(kept) };
}

/**
 * Serve `routes` (path → captured response) from a generated Worker under `wrangler dev`.
 * @param {Record<string, { status: number, body: string, headers: Record<string, string> }>} routes
 * @returns {Promise<{ url: string, pid: number, stop(): Promise<void> }>}
 */
export async function startStaticWorker(routes) {
  const dir = mkdtempSync(join(tmpdir(), "qrbridge-static-"));
  writeFileSync(
    join(dir, "worker.js"),
    `const ROUTES = ${JSON.stringify(routes)};
export default {
  fetch(request) {
    const r = ROUTES[new URL(request.url).pathname];
    return r ? new Response(r.body, { status: r.status, headers: r.headers }) : new Response("not found", { status: 404 });
  },
};
`,
  );
  writeFileSync(
    join(dir, "wrangler.toml"),
    'name = "qrbridge-static"\nmain = "worker.js"\ncompatibility_date = "2026-04-01"\nsend_metrics = false\n',
  );
  const dev = await startWranglerDev(join(dir, "wrangler.toml"));
  return {
    ...dev,
    async stop() {
      await dev.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
