// A change to a poster or its store drops the scan path's cache entries, and the next scan in
// this location reads D1 (docs/stats.md: a store's zone change "applies to hops recorded from
// then on"; docs/posters.md: a pause or revoke). A scan already reading the cache when the change
// came must not put the old entry back afterwards: into this isolate's memory (its KV read
// answered after the drop), or into KV (its write landed after the drop), where it stayed up to
// 5 minutes — a store's hops on the old zone's days, a revoked poster still opening the app.
// A scan in another isolate can race the same way; a poster's change drops its entry again a few
// seconds later for it.
// (A store's change does so through a delayed queue message: poster-cache-store-race.test.ts.)
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { loadScanPoster, posterCacheKey, REDROP_AFTER_MS } from "../../src/store/poster-cache";
import { updatePoster } from "../../src/store/posters";
import { updateStore } from "../../src/store/stores";
import { heldKv } from "./poster-cache-helpers";
import { env, makePoster, makeStore } from "./poster-helpers";

async function tokyoPoster() {
  const store = (await makeStore("Shinjuku", { time_zone: "Asia/Tokyo" })).id;
  const poster = await makePoster({ store_id: store });
  return { store, id: poster.id };
}

describe("a scan racing a store's zone change", () => {
  it("does not keep the old entry in memory when its KV read answers after the change", async () => {
    const { store, id } = await tokyoPoster();
    // KV holds the poster (a scan before), as on a busy day.
    const warm = createExecutionContext();
    expect((await loadScanPoster(env, warm, id))?.time_zone).toBe("Asia/Tokyo");
    await waitOnExecutionContext(warm);
    const { kv, reached, release } = heldKv(env.CACHE, "get");
    const racing = { DB: env.DB, CACHE: kv };
    const ctx = createExecutionContext();
    const scan = loadScanPoster(racing, ctx, id);
    await reached; // it has read the Tokyo entry
    await updateStore(racing, store, { time_zone: "America/Los_Angeles" });
    release();
    // Begun before the change, that scan may take either zone; every scan after it, the new one.
    await scan;
    await waitOnExecutionContext(ctx);
    const next = createExecutionContext();
    expect((await loadScanPoster(racing, next, id))?.time_zone).toBe("America/Los_Angeles");
    await waitOnExecutionContext(next);
  });

  it("does not leave the old entry in KV when its write lands after the change", async () => {
    const { store, id } = await tokyoPoster();
    const { kv, reached, deleted, release } = heldKv(env.CACHE, "put");
    const racing = { DB: env.DB, CACHE: kv };
    const ctx = createExecutionContext();
    // A miss: read from D1 (Tokyo), written back to KV in waitUntil, the write slow to land.
    expect((await loadScanPoster(racing, ctx, id))?.time_zone).toBe("Asia/Tokyo");
    await reached;
    const change = updateStore(racing, store, { time_zone: "America/Los_Angeles" });
    await deleted; // the change dropped the entry; the scan's write lands after that
    release();
    await change;
    await waitOnExecutionContext(ctx);
    const entry = await env.CACHE.get<{ p: { time_zone: string } | null }>(
      posterCacheKey(id),
      "json",
    );
    expect(entry?.p?.time_zone ?? "dropped").not.toBe("Asia/Tokyo");
  });
});

const entryOf = (id: string) =>
  env.CACHE.get<{ p: { status: string } | null }>(posterCacheKey(id), "json");

describe("a scan in another isolate racing a revoke", () => {
  it("its old entry, written after the revoke dropped it, is dropped again seconds later", async () => {
    const poster = await makePoster();
    // Another isolate: its own memory (another namespace object), the same KV; its write held.
    const { kv, reached, release } = heldKv(env.CACHE, "put");
    const other = { DB: env.DB, CACHE: kv };
    const scanCtx = createExecutionContext();
    expect((await loadScanPoster(other, scanCtx, poster.id))?.status).toBe("active");
    await reached; // it read D1 before the revoke; its write of the active poster is on its way
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      const changeCtx = createExecutionContext();
      const out = await updatePoster(
        env,
        poster.id,
        poster.version,
        { status: "revoked" },
        undefined,
        changeCtx,
      );
      expect(out === "conflict" || out === "no_store" ? out : out.status).toBe("revoked");
      release();
      await waitOnExecutionContext(scanCtx);
      // Its write landed after the revoke's delete: without a second drop, 300 s of "active".
      expect((await entryOf(poster.id))?.p?.status).toBe("active");
      await vi.advanceTimersByTimeAsync(REDROP_AFTER_MS);
      await waitOnExecutionContext(changeCtx);
      expect(await entryOf(poster.id)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
    const next = createExecutionContext();
    expect((await loadScanPoster(env, next, poster.id))?.status).toBe("revoked");
    await waitOnExecutionContext(next);
  });
});
