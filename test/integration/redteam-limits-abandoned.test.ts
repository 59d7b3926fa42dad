// Red team, requests that end badly beside a busy isolate's scans. A request's hops leave in its
// own `waitUntil` (store/hops.ts): a client that hangs up before reading the page, a request
// that fails (a binding throwing), and the scans around them must neither lose nor double a
// hop — one odd request must not take other people's hops with it.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import worker from "../../src/index";
import { BASE, call } from "./helpers";
import { IPHONE, makePoster, posterKey } from "./poster-helpers";

describe("redteam: scans beside abandoned and failing requests", () => {
  it("40 concurrent person scans, half hung up unread, beside failing requests: each scan's two hops once", async () => {
    const poster = await makePoster({ path: "/rt-limits-abandoned" });
    const coldPoster = await makePoster({ path: "/rt-limits-cold" });
    const rows: HopRow[] = [];
    const base = env as unknown as Record<string, unknown>;
    const good = {
      ...base,
      HOPS: { send: async (body: { rows: HopRow[] }) => void rows.push(...body.rows) },
    };
    // The same isolate, another request's bindings: every D1 call throws.
    const broken = {
      ...good,
      DB: new Proxy(base.DB as object, {
        get: () => () => {
          throw new Error("D1 unavailable");
        },
      }),
    };
    const scan = (code: string, i: number) =>
      new Request(`${BASE}/p/${code}`, {
        headers: { "user-agent": IPHONE, "cf-connecting-ip": `203.0.113.${i}` },
      });
    const run = async (request: Request, bindings: object, hangUp: boolean) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(request, bindings as never, ctx);
      if (hangUp) await res.body?.cancel();
      else await res.arrayBuffer();
      await waitOnExecutionContext(ctx);
      return res.status;
    };
    const key = await posterKey();
    const statuses = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => run(scan(poster.code, i + 1), good, i % 2 === 1)),
      // A scan of a poster no cache holds, its database failing; an API call the same.
      run(scan(coldPoster.code, 99), broken, false),
      run(
        new Request(`${BASE}/v1/posters/${poster.id}`, {
          headers: { authorization: `Bearer ${key}` },
        }),
        broken,
        true,
      ),
    ]);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses[40]).toBeGreaterThanOrEqual(500);
    const mine = rows.filter((r) => r.subject_id === poster.id);
    expect(new Set(mine.map((r) => r.event_id)).size).toBe(mine.length);
    expect(mine.filter((r) => r.hop === "scanned")).toHaveLength(40);
    expect(mine.filter((r) => r.hop === "landing")).toHaveLength(40);
    // Each scan's pair left together and carries its own session.
    expect(new Set(mine.map((r) => r.session_id)).size).toBe(40);
    // The poster is still there for the others (the failing requests changed nothing).
    expect((await call(`/v1/posters/${poster.id}`, { key })).status).toBe(200);
  });
});
