// Worker for the floor of bench/scan-wrk.mjs: the real Worker (every route, queue consumer,
// Durable Object, D1, KV) plus `GET /page/:code`, which answers with that poster's landing page
// as a constant (rendered once by the real route) and records the two hops a person's scan
// records, through the real writer: outbox, `HOPS` queue, consumer, D1 with its trigger.
// No routing through Hono, no code check, no KV read, no session, no rendering: what is left is
// the dev proxy, the page's bytes and the logging, the least any logged scan can cost here.
import { createBridge } from "../src/bridge";
import { optionsFromEnv, resolveConfig } from "../src/config";
import { classifyDevice } from "../src/core/device";
import { verifyPosterCode } from "../src/core/token";
import type { Env } from "../src/env";
import { posterHopFields } from "../src/routes/scan-poster";
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
let config: ReturnType<typeof resolveConfig> | null = null;
/** The bridge's configuration, resolved once per isolate (as the bridge itself does). */
function configOf(env: Env) {
  config ??= resolveConfig(optionsFromEnv(env));
  return config;
}

/** The real landing page of `code` and its poster's hop fields, read once per code. */
async function constantPage(request: Request, code: string, env: Env, ctx: ExecutionContext) {
  const { keyring } = await configOf(env);
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
    const scope = {
      env,
      ctx,
      config: await configOf(env),
      request,
    };
    const info = classifyDevice(request.headers);
    const hop = {
      kind: "poster" as const,
      ...facts,
      platform: info.platform,
      in_app: info.inAppBrowser,
    };
    const detail = { via: "page", browser: info.browser, os: info.os };
    recordHop(scope, { ...hop, hop: "scanned", detail });
    recordHop(scope, { ...hop, hop: "landing" });
    return new Response(body, { headers });
  },
  queue: bridge.queue,
  scheduled: bridge.scheduled,
} satisfies ExportedHandler<Env>;
