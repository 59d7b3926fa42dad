// Worker for the floor of bench/scan-wrk.mjs: the real Worker (every route, queue consumer,
// Durable Object, D1, KV) plus `GET /page/:code`, which answers with that poster's landing page
// as a constant (rendered once by the real route) and records the hops a person's scan records
// (`personScanHops`, with a session id as a scan mints), through the real writer: outbox,
// `HOPS` queue, consumer, D1 with its trigger. No routing through Hono, no code check, no KV
// read, no signed session, no rendering: what is left is the dev proxy, the page's bytes and
// the logging, the least any logged scan can cost here.
import { createBridge } from "../src/bridge";
import { optionsFromEnv } from "../src/config";
import { newSessionId } from "../src/core/attribution";
import { classifyDevice } from "../src/core/device";
import { verifyPosterCode } from "../src/core/token";
import type { Env } from "../src/env";
import { personScanHops, posterHopFields } from "../src/routes/scan-poster";
import { recordHop } from "../src/store/hops";
import { loadScanPoster } from "../src/store/poster-cache";

export { HandoffObject } from "../src/store/handoff-object";

const bridge = createBridge((env) => optionsFromEnv(env));

interface Constant {
  body: string;
  headers: [string, string][];
  facts: ReturnType<typeof posterHopFields>;
}
const pages = new Map<string, Promise<Constant>>();

/** The real landing page of `code` and its poster's hop fields, read once per code. */
async function constantPage(request: Request, code: string, env: Env, ctx: ExecutionContext) {
  const { keyring } = await bridge.config(env);
  const check = await verifyPosterCode(keyring, code);
  const poster = check.ok ? await loadScanPoster(env, ctx, check.id) : null;
  if (!poster) throw new Error(`no poster ${code}`);
  const url = new URL(`/p/${code}`, request.url);
  const res = await bridge.fetch(new Request(url, { headers: request.headers }), env, ctx);
  const headers = [...res.headers].filter(([k]) => k !== "content-length");
  return { body: await res.text(), headers, facts: posterHopFields(poster) };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (!path.startsWith("/page/")) return bridge.fetch(request, env, ctx);
    const code = path.slice("/page/".length);
    let page = pages.get(code);
    if (!page) {
      page = constantPage(request, code, env, ctx);
      pages.set(code, page);
    }
    const { body, headers, facts } = await page;
    const scope = { env, ctx, config: await bridge.config(env), request };
    const info = classifyDevice(request.headers);
    const device = { platform: info.platform, in_app: info.inAppBrowser, bot: false };
    const scan = { ...device, bot: false, via: "page" } as const;
    const session = newSessionId(facts.poster_id, scan, Date.now());
    for (const input of personScanHops({ ...facts, ...device }, info, session, false)) {
      recordHop(scope, { kind: "poster", ...input });
    }
    return new Response(body, { headers });
  },
  queue: bridge.queue,
  scheduled: bridge.scheduled,
} satisfies ExportedHandler<Env>;
