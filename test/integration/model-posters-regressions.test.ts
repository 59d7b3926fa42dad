// Regressions the model test of posters (model-posters.test.ts) found, each as the shortest
// sequence that shows it: a store's rename or time zone change dropped the scan cache entries of
// its live posters only, while a deleted poster's printed code keeps answering, naming the store
// and filing its `rejected` hops on the store's days.
import { describe, expect, it } from "vitest";
import { zonedDay } from "../../src/core/time-zone";
import { atClock, call, hopCapturingWorker } from "./helpers";
import { seedPosters } from "./poster-drop-helpers";
import { env, IPHONE, makePoster, makeStore, posterKey, scan } from "./poster-helpers";

const scanOf = (code: string) =>
  new Request(`https://qr.test/p/${code}`, { headers: { "user-agent": IPHONE } });

describe("a deleted poster's code after its store changes", () => {
  it("its 410 page names the store's new name at the next scan", async () => {
    const store = await makeStore("Kept Name Before");
    const p = await makePoster({ store_id: store.id });
    const key = await posterKey();
    expect((await call(`/v1/posters/${p.id}`, { method: "DELETE", key })).status).toBe(200);
    // The scan reads the deleted poster into the caches.
    const before = await scan(`/p/${p.code}`);
    expect(before.status).toBe(410);
    expect(await before.text()).toContain("Kept Name Before");
    const json = { name: "Renamed After" };
    expect((await call(`/v1/stores/${store.id}`, { method: "PATCH", key, json })).status).toBe(200);
    const after = await scan(`/p/${p.code}`);
    expect(after.status).toBe(410);
    const html = await after.text();
    expect(html).toContain("Renamed After");
    expect(html).not.toContain("Kept Name Before");
  });

  it("its rejected hops are filed on the store's new zone's day from the change on", async () => {
    // 20:00 UTC: already the next day in Tokyo.
    const at = Date.UTC(2027, 2, 1, 20);
    expect(zonedDay(at, "Asia/Tokyo")).not.toBe(zonedDay(at, "UTC"));
    const store = await makeStore("Zone Shop");
    const p = await makePoster({ store_id: store.id });
    const key = await posterKey();
    expect((await call(`/v1/posters/${p.id}`, { method: "DELETE", key })).status).toBe(200);
    const w = hopCapturingWorker();
    const patch = new Request(`https://qr.test/v1/stores/${store.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ time_zone: "Asia/Tokyo" }),
    });
    const days = await atClock(at, async () => {
      expect((await w.send(scanOf(p.code))).status).toBe(410);
      expect((await w.send(patch)).status).toBe(200);
      expect((await w.send(scanOf(p.code))).status).toBe(410);
      return w.rows.filter((r) => r.subject_id === p.id).map((r) => [r.hop, r.day]);
    });
    expect(days).toEqual([
      ["rejected", "2027-03-01"],
      ["rejected", "2027-03-02"],
    ]);
  });

  it("live posters come first among the 500 a rename drops at once, however many are deleted", async () => {
    const store = await makeStore("Busy Before");
    const tag = `rg${crypto.randomUUID().slice(0, 6)}`;
    const gone = await seedPosters(store.id, tag, 500);
    await env.DB.prepare(
      `UPDATE posters SET status = 'revoked', deleted_at = updated_at, created_at = created_at - 86400000
       WHERE id >= ?1 AND id < ?1 || 'z'`,
    )
      .bind(tag)
      .run();
    expect(gone).toHaveLength(500);
    // Made a day after the 500 deleted ones: last in the store's index order.
    const live = await makePoster({ store_id: store.id });
    expect(await (await scan(`/p/${live.code}`)).text()).toContain("Busy Before");
    const key = await posterKey();
    const json = { name: "Busy After" };
    expect((await call(`/v1/stores/${store.id}`, { method: "PATCH", key, json })).status).toBe(200);
    expect(await (await scan(`/p/${live.code}`)).text()).toContain("Busy After");
  }, 60_000);
});
