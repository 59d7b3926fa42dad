import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env as testEnv } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { parseKeyring, signPosterCode } from "../../src/core/token";
import worker from "../../src/index";
import { MEMORY_TTL_MS } from "../../src/store/poster-cache";
import { BASE, call } from "./helpers";
import {
  env,
  IPHONE,
  makePoster,
  makeStore,
  patchPoster,
  posterKey,
  SLACKBOT,
  scan,
  waitForHops,
} from "./poster-helpers";

const SIGNING_KEYS = (testEnv as unknown as { QB_SIGNING_KEYS: string }).QB_SIGNING_KEYS;

/**
 * The Worker with spies on its bindings: every method call on DB, CACHE and HANDOFF is logged,
 * and hops are captured instead of queued. This is how "no storage read" is proven.
 */
function spied() {
  const calls: string[] = [];
  const hops: { row: { hop: string; subject_id: string; bot: number; detail: string | null } }[] =
    [];
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(t, prop) {
        const v = Reflect.get(t, prop);
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(prop)}`);
          return (v as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  const base = testEnv as unknown as Record<string, object>;
  const bindings = {
    ...base,
    DB: wrap("DB", base.DB!),
    CACHE: wrap("CACHE", base.CACHE!),
    HANDOFF: wrap("HANDOFF", base.HANDOFF!),
    HOPS: {
      // A request sends its hops as one `{t: "hops", rows}` message; keep one entry per row.
      send: async (body: { rows: (typeof hops)[number]["row"][] }) =>
        void hops.push(...body.rows.map((row) => ({ row }))),
    },
  };
  async function fetch(path: string, ua = IPHONE): Promise<Response> {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}${path}`, { headers: { "user-agent": ua } }),
      bindings as never,
      ctx,
    );
    await res.text();
    await waitOnExecutionContext(ctx);
    return res;
  }
  return { fetch, calls, hops };
}

describe("GET /p/:code", () => {
  it("serves the landing page with a signed session and records scanned + landing, attributed", async () => {
    const store = await makeStore("Shibuya <Main>");
    const p = await makePoster({ store_id: store.id, campaign: "Scan campaign", path: "/menu" });
    const res = await scan(`/p/${p.code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("Shibuya &lt;Main&gt;");
    expect(html).not.toContain("Shibuya <Main>");
    const s = /[?&]s=([0-9A-Z]{42})/.exec(html)?.[1];
    expect(s).toBeDefined();
    const hops = await waitForHops({ poster_id: p.id }, 2);
    expect(hops.map((h) => h.hop).sort()).toEqual(["landing", "scanned"]);
    for (const h of hops) {
      expect(h).toMatchObject({
        kind: "poster",
        subject_id: p.id,
        store_id: store.id,
        campaign_id: p.campaign_id,
        platform: "ios",
        bot: 0,
      });
      // The session id is the poster id plus 14 random characters.
      expect(h.session_id).toBe(s!.slice(0, 20));
      expect(h.session_id!.startsWith(p.id)).toBe(true);
    }
  });

  it("matches any case, with or without the dash, and folds the /P/ prefix", async () => {
    const p = await makePoster();
    const dashed = `${p.code.slice(0, 5).toLowerCase()}-${p.code.slice(5).toLowerCase()}`;
    for (const path of [
      `/p/${dashed}`,
      `/P/${p.code}`,
      `/p/${p.code.toLowerCase()}`,
      `/P/${p.display_code}`,
    ]) {
      const res = await scan(path);
      expect(res.status, path).toBe(200);
      // The app links carry the canonical uppercase link.
      expect(await res.text()).toContain(`HTTPS://QR.TEST/P/${p.code}`);
    }
  });

  it("answers a forged code with a 404 page without any KV or D1 read", async () => {
    const p = await makePoster();
    const forged = p.code.slice(0, 6) + (p.code.slice(6) === "0000" ? "0001" : "0000");
    const w = spied();
    for (const code of [forged, "AAAAAAAAAA", "short", "not*base32!"]) {
      const res = await w.fetch(`/p/${code}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
    expect(w.calls).toEqual([]);
    expect(w.hops.map((h) => [h.row.hop, h.row.subject_id])).toEqual(
      Array(4).fill(["rejected", "invalid"]),
    );
    // The spies do see storage when the code is real (KV read, then D1 on a cold cache).
    const real = await w.fetch(`/p/${p.code}`);
    expect(real.status).toBe(200);
    expect(w.calls).toContain("CACHE.get");
  });

  it("reads a warm poster from memory, then KV, never D1; a valid code of no poster is a 404", async () => {
    const p = await makePoster();
    const w = spied();
    await w.fetch(`/p/${p.code}`); // miss: D1, then KV put in waitUntil
    expect(w.calls).toEqual(expect.arrayContaining(["CACHE.get", "DB.prepare", "CACHE.put"]));
    w.calls.length = 0;
    expect((await w.fetch(`/p/${p.code}`)).status).toBe(200);
    expect(w.calls).toEqual([]); // remembered by this isolate
    // Once the isolate's memory of it has expired, KV answers.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + MEMORY_TTL_MS + 1 });
    try {
      expect((await w.fetch(`/p/${p.code}`)).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    expect(w.calls).toEqual(["CACHE.get"]);
    const ring = await parseKeyring(SIGNING_KEYS);
    const orphan = await signPosterCode(ring, "000000");
    expect((await scan(`/p/${orphan.code}`)).status).toBe(404);
  });

  it("still accepts codes signed with an older key of the ring", async () => {
    const p = await makePoster();
    const older = await parseKeyring(SIGNING_KEYS.split(",")[0]!);
    const { code } = await signPosterCode(older, p.id);
    expect(code).not.toBe(p.code);
    expect((await scan(`/p/${code}`)).status).toBe(200);
  });

  it("shows bots, prefetches and HEAD the page without a session and counts them as previewed", async () => {
    const p = await makePoster();
    const bot = await scan(`/p/${p.code}`, SLACKBOT);
    expect(bot.status).toBe(200);
    expect(await bot.text()).not.toMatch(/[?&]s=/);
    const prefetch = await scan(`/p/${p.code}`, IPHONE, { "sec-purpose": "prefetch" });
    expect(prefetch.status).toBe(200);
    expect(await prefetch.text()).not.toMatch(/[?&]s=/);
    const head = await call(`/p/${p.code}`, { method: "HEAD", headers: { "user-agent": IPHONE } });
    expect(head.status).toBe(200);
    const hops = await waitForHops({ poster_id: p.id }, 3);
    expect(hops.map((h) => [h.hop, h.bot])).toEqual([
      ["previewed", 1],
      ["previewed", 1],
      ["previewed", 1],
    ]);
  });

  it("keeps the session of an app link opened in the browser (no second scan, no second landing)", async () => {
    const p = await makePoster();
    const first = await (await scan(`/p/${p.code}`)).text();
    const s = /[?&]s=([0-9A-Z]{42})/.exec(first)![1]!;
    const again = await scan(`/p/${p.code}?s=${s}`);
    expect(await again.text()).toContain(`s=${s}`);
    // The app opens at last: once its hop is there, so is anything the second visit recorded.
    const opened = await call("/v1/resolve", {
      method: "POST",
      json: { url: `${p.url}?s=${s}` },
      headers: { "user-agent": "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0" },
    });
    expect(opened.status).toBe(200);
    const hops = await waitForHops({ poster_id: p.id }, 3);
    expect(hops.map((h) => h.hop).sort()).toEqual(["app_open", "landing", "scanned"]);
    expect(new Set(hops.map((h) => h.session_id)).size).toBe(1);
  });
});

describe("pause, revoke and windows take effect on the next scan", () => {
  const cached = (id: string) => env.CACHE.get(`poster:${id}`);

  it("pause → 410 naming the store; resume → 200; revoke → 410 for good (cache dropped each time)", async () => {
    const store = await makeStore("Ginza");
    const p = await makePoster({ store_id: store.id });
    expect((await scan(`/p/${p.code}`)).status).toBe(200);
    await expect.poll(() => cached(p.id)).not.toBeNull();

    expect((await patchPoster(p.id, { status: "paused" })).status).toBe(200);
    expect(await cached(p.id)).toBeNull();
    const paused = await scan(`/p/${p.code}`);
    expect(paused.status).toBe(410);
    expect(await paused.text()).toContain("Ginza");

    expect((await patchPoster(p.id, { status: "active" })).status).toBe(200);
    expect((await scan(`/p/${p.code}`)).status).toBe(200);
    // Let that scan's cache write land first (a write racing a delete is the documented caveat).
    await expect.poll(() => cached(p.id)).not.toBeNull();
    expect((await patchPoster(p.id, { status: "revoked" })).status).toBe(200);
    expect(await cached(p.id)).toBeNull();
    expect((await scan(`/p/${p.code}`)).status).toBe(410);
    // Revoked is final (pause is the reversible stop); other fields may still change.
    expect((await patchPoster(p.id, { status: "active" })).status).toBe(409);
    expect((await patchPoster(p.id, { name: "Archived" })).status).toBe(200);
    expect((await scan(`/p/${p.code}`)).status).toBe(410);
    const rejected = await waitForHops({ poster_id: p.id, hop: "rejected" }, 3);
    expect(rejected.map((h) => h.detail?.reason)).toEqual(["paused", "revoked", "revoked"]);
    expect(rejected.every((h) => h.store_id === store.id)).toBe(true);
  });

  it("a deleted poster's code answers 410 naming the store, from a warm cache too", async () => {
    const store = await makeStore("Deleted store");
    const p = await makePoster({ store_id: store.id });
    expect((await scan(`/p/${p.code}`)).status).toBe(200);
    await expect.poll(() => cached(p.id)).not.toBeNull();
    await call(`/v1/posters/${p.id}`, { method: "DELETE", key: await posterKey() });
    expect(await cached(p.id)).toBeNull();
    const gone = await scan(`/p/${p.code}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("Deleted store");
  });

  it("a store rename reaches the cached poster's page", async () => {
    const store = await makeStore("Old name");
    const p = await makePoster({ store_id: store.id });
    expect(await (await scan(`/p/${p.code}`)).text()).toContain("Old name");
    await expect.poll(() => cached(p.id)).not.toBeNull();
    await call(`/v1/stores/${store.id}`, {
      method: "PATCH",
      key: await posterKey(),
      json: { name: "New name" },
    });
    expect(await cached(p.id)).toBeNull();
    expect(await (await scan(`/p/${p.code}`)).text()).toContain("New name");
  });

  it("before active_from and from active_until on, the poster is a 410", async () => {
    const now = Date.now();
    const future = await makePoster({ active_from: now + 3_600_000 });
    expect((await scan(`/p/${future.code}`)).status).toBe(410);
    const live = await makePoster({ active_from: now - 1000, active_until: now + 3_600_000 });
    expect((await scan(`/p/${live.code}`)).status).toBe(200);
    // Move the end into the past: the next scan is refused.
    const ended = await patchPoster(live.id, { active_from: null, active_until: Date.now() });
    expect(ended.status).toBe(200);
    expect((await scan(`/p/${live.code}`)).status).toBe(410);
    const hops = [
      ...(await waitForHops({ poster_id: future.id, hop: "rejected" }, 1)),
      ...(await waitForHops({ poster_id: live.id, hop: "rejected" }, 1)),
    ];
    expect(hops.map((h) => h.detail?.reason).sort()).toEqual(["ended", "not_started"]);
  });
});
