// A store's time_zone as the API takes and gives it (the days it sets are
// funnel-store-zones.test.ts's): stored canonical, listed, null for the deployment's, and a zone
// the runtime does not know (or one keeping no civil time, `Factory`) is a 400 naming the field,
// on create and on change. On fresh storage, as the other store-zone files: the zones it sets join
// the zones in use.
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./helpers";
import { makeStore, posterKey } from "./poster-helpers";

let writeKey: string;
const stores = { la: "", plain: "" };

beforeAll(async () => {
  writeKey = await posterKey();
  stores.la = (await makeStore("Venice Beach", { time_zone: "America/Los_Angeles" })).id;
  stores.plain = (await makeStore("Online")).id;
});

describe("the store's time zone through the API", () => {
  it("is stored canonical, listed, and null (the deployment's) when not set", async () => {
    const made = await makeStore("Kyoto", { time_zone: "asia/tokyo" });
    const got = await call(`/v1/stores/${made.id}`, { key: writeKey });
    expect(((await got.json()) as { time_zone: string }).time_zone).toBe("Asia/Tokyo");
    const list = await call("/v1/stores?limit=100", { key: writeKey });
    const zones = Object.fromEntries(
      ((await list.json()) as { stores: { id: string; time_zone: string | null }[] }).stores.map(
        (s) => [s.id, s.time_zone],
      ),
    );
    expect([zones[stores.la], zones[stores.plain]]).toEqual(["America/Los_Angeles", null]);
    const cleared = await call(`/v1/stores/${made.id}`, {
      method: "PATCH",
      key: writeKey,
      json: { time_zone: null },
    });
    expect(((await cleared.json()) as { time_zone: unknown }).time_zone).toBeNull();
  });

  it("a zone the runtime does not know is a 400 naming time_zone, on create and on change", async () => {
    const bad: unknown[] = [
      "Mars/Olympus",
      "Asia/Tokio",
      // Zones the runtime knows that keep no civil time.
      "Factory",
      "SystemV/EST5",
      "",
      "../../etc/passwd",
      9,
      "x".repeat(80),
    ];
    for (const time_zone of bad) {
      const created = await call("/v1/stores", {
        method: "POST",
        key: writeKey,
        json: { name: "Nowhere", time_zone },
      });
      const patched = await call(`/v1/stores/${stores.plain}`, {
        method: "PATCH",
        key: writeKey,
        json: { time_zone },
      });
      for (const res of [created, patched]) {
        const body = (await res.json()) as { error: string; message: string };
        expect([res.status, body.error], JSON.stringify(time_zone)).toEqual([
          400,
          "validation_failed",
        ]);
        expect(body.message).toMatch(/^time_zone/);
      }
    }
    const still = await call(`/v1/stores/${stores.plain}`, { key: writeKey });
    expect(((await still.json()) as { time_zone: unknown }).time_zone).toBeNull();
  });
});
