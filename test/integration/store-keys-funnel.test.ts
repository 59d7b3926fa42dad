// A store key (POST /v1/keys with store_id) reads its store only: every funnel grouping, range
// and filter answers what an unrestricted key answers for that store, and never a count or a
// name of the other store (the two stores: store-keys-fixture.ts); an unrestricted key still
// sees both. The export and the console: store-keys-funnel-export.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { GROUP_BY } from "../../src/store/stats";
import {
  D1,
  D2,
  figures,
  funnel,
  RANGES,
  seedTwoStores,
  stages,
  type TwoStores,
} from "./store-keys-fixture";

let A: TwoStores["A"];
let B: TwoStores["B"];
let storeKeyA: string;
let openKey: string;
let leaksB: TwoStores["leaksB"];

beforeAll(async () => {
  ({ A, B, storeKeyA, openKey, leaksB } = await seedTwoStores());
});

describe("a store key's funnel", () => {
  it("totals are its store's hand count, and an unrestricted key still sees both stores", async () => {
    const own = await funnel(`from=${D1}&to=${D2}`, storeKeyA);
    expect(own.status).toBe(200);
    expect(stages(own.body.totals)).toEqual([4, 2, 1, 0, 1]);
    expect(own.body.totals.unique_scanners).toBe(4);
    const all = await funnel(`from=${D1}&to=${D2}`, openKey);
    // 4 (A) + 12 (B) + 1 handoff scans; 2 + 4 + 1 landings; 1 + 3 app opens; 1 + 2 conversions.
    expect(stages(all.body.totals)).toEqual([17, 7, 4, 0, 3]);
    // How current the counting is, and what waits, is every store's traffic (when the last
    // batch was counted moves with another store's scans): an unrestricted key's to know only.
    expect(own.body.freshness).toBeNull();
    expect(all.body.freshness?.last_counted_at).toEqual(expect.any(Number));
    const bOnly = await funnel(`from=${D1}&to=${D2}&store_id=${B.store}`, openKey);
    expect(stages(bOnly.body.totals)).toEqual([12, 4, 3, 0, 2]);
  });

  it("every grouping and range answers what an open key answers for store_id=A, and nothing of B", async () => {
    for (const range of RANGES)
      for (const g of GROUP_BY) {
        const q = `${range}&group_by=${g}`;
        const own = await funnel(q, storeKeyA);
        expect(own.status, q).toBe(200);
        expect(leaksB(own.text), q).toEqual([]);
        const ref = await funnel(`${q}&store_id=${A.store}`, openKey);
        expect(own.body.freshness, q).toBeNull();
        expect(figures(own.body), q).toEqual(figures(ref.body));
        // Naming its own store changes nothing.
        expect((await funnel(`${q}&store_id=${A.store}`, storeKeyA)).body, q).toEqual(own.body);
      }
    const byStore = await funnel(`from=${D1}&to=${D2}&group_by=store`, storeKeyA);
    expect(byStore.body.rows.map((r) => r.group)).toEqual([A.store]);
    const byCampaign = await funnel(`from=${D1}&to=${D2}&group_by=campaign`, storeKeyA);
    // The campaign both stores share counts A's 4 scans, not the 9 of the chain.
    expect(byCampaign.body.rows.map((r) => [r.group, r.scanned])).toEqual([[A.spring, 4]]);
    const bySource = await funnel(`from=${D1}&to=${D2}&group_by=source`, storeKeyA);
    expect(bySource.body.rows.map((r) => r.group)).toEqual(["poster"]);
    const byInApp = await funnel(`from=${D1}&to=${D2}&group_by=in_app`, storeKeyA);
    expect(byInApp.body.rows.map((r) => r.group)).not.toContain("wechat");
  });

  it("a query naming another store is refused (403 store_scope), whatever else it asks", async () => {
    for (const g of [undefined, ...GROUP_BY]) {
      const q = `from=${D1}&to=${D2}&store_id=${B.store}${g ? `&group_by=${g}` : ""}`;
      const res = await funnel(q, storeKeyA);
      expect(res.status, q).toBe(403);
      const body = JSON.parse(res.text) as { error: string; details: Record<string, unknown> };
      expect(body.error).toBe("forbidden");
      expect(body.details).toMatchObject({ field: "store_id", reason: "store_scope" });
      expect(leaksB(res.text.replace(B.store, ""))).toEqual([]);
    }
    // A made-up store is refused the same way: the answer tells no real id from a wrong one.
    expect((await funnel("store_id=st_nosuchstore", storeKeyA)).status).toBe(403);
  });

  it("another store's campaign or poster is read within the key's store: nothing of it", async () => {
    for (const g of [undefined, ...GROUP_BY])
      for (const filter of [
        `campaign_id=${B.only}`,
        `poster_id=${B.poster}`,
        `poster_id=${B.poster2}`,
        `campaign_id=${B.only}&poster_id=${B.poster2}`,
        "source=handoff",
        "source=login",
      ]) {
        const q = `from=${D1}&to=${D2}&${filter}${g ? `&group_by=${g}` : ""}`;
        const res = await funnel(q, storeKeyA);
        expect(res.status, q).toBe(200);
        expect(stages(res.body.totals), q).toEqual([0, 0, 0, 0, 0]);
        expect(res.body.totals.unique_scanners, q).toBe(0);
        expect(leaksB(res.text.replace(/(campaign|poster)_id=[^&]*/g, "")), q).toEqual([]);
      }
    // The shared campaign: A's part of it only.
    const spring = await funnel(`from=${D1}&to=${D2}&campaign_id=${A.spring}`, storeKeyA);
    expect(stages(spring.body.totals)).toEqual([4, 2, 1, 0, 1]);
  });
});
