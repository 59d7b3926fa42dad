// Red team of store time zones, quiet posters: a Tokyo store's poster scanned this morning in
// Tokyo (already "tomorrow" in UTC) is alive, in the deployment-wide list as in its store's. The
// list read rollups up to the deployment's today only, so a scan filed under a store's local
// day ahead of it did not count and the poster was listed as gone quiet while people scanned it.
// Fresh storage ("*funnel*" in vitest.config.ts): the zones in use are this file's stores'.
import { beforeAll, describe, expect, it } from "vitest";
import type { QuietPoster } from "../../src/store/quiet-posters";
import { atClock, call, mintKey, mintStoreKey } from "./helpers";
import { makePoster, makeStore } from "./poster-helpers";
import { recordInZone, scanAt } from "./time-zone-helpers";

const TOKYO = "Asia/Tokyo";
const Z = (iso: string) => Date.parse(iso);
/** 16:30 UTC of Mar 20: 01:30 of Mar 21 in Tokyo. */
const NOW = Z("2026-03-20T16:30:00Z");

interface Answer {
  time_zone: string;
  today: string;
  posters: QuietPoster[];
}

let key: string;
let store: string;
let alive: string;
let quiet: string;
let campaign: string;

async function quietList(query: string, k = key): Promise<Answer> {
  const res = await atClock(NOW, () => call(`/v1/stats/quiet-posters?${query}`, { key: k }));
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Answer;
}

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  store = (await makeStore("Ginza", { time_zone: TOKYO })).id;
  const a = await makePoster({ store_id: store, campaign: "Spring" });
  alive = a.id;
  campaign = (a as unknown as { campaign_id: string }).campaign_id;
  quiet = (await makePoster({ store_id: store, campaign: "Spring" })).id;
  const scans = [];
  // Noon in Tokyo (03:00 UTC) every day of Mar 1 to Mar 10: the baseline of both.
  for (let d = 1; d <= 10; d++) {
    const at = Z(`2026-03-${String(d).padStart(2, "0")}T03:00:00Z`);
    for (const p of [alive, quiet])
      scans.push({ ...scanAt(p, at, store), campaign_id: campaign, time_zone: TOKYO });
  }
  // This morning in Tokyo (Mar 21, 01:00 JST = 16:00 UTC of Mar 20): only `alive` is scanned.
  scans.push({
    ...scanAt(alive, Z("2026-03-20T16:00:00Z"), store),
    campaign_id: campaign,
    time_zone: TOKYO,
  });
  await recordInZone("UTC", scans);
});

describe("a poster scanned this morning in its store's zone, ahead of the deployment's", () => {
  it("is not listed as quiet in the store's own list (its today is Mar 21)", async () => {
    const a = await quietList(`store_id=${store}&days=7`);
    expect([a.time_zone, a.today]).toEqual([TOKYO, "2026-03-21"]);
    expect(a.posters.map((p) => p.poster_id)).toEqual([quiet]);
  });

  it("is not listed as quiet in the deployment-wide list either (its today is UTC's Mar 20)", async () => {
    const a = await quietList("days=7");
    expect([a.time_zone, a.today]).toEqual(["UTC", "2026-03-20"]);
    expect(a.posters.map((p) => p.poster_id)).toEqual([quiet]);
  });

  it("is not listed for its campaign (the deployment's days) nor for its store's key", async () => {
    const byCampaign = await quietList(`campaign_id=${campaign}&days=7`);
    expect(byCampaign.posters.map((p) => p.poster_id)).toEqual([quiet]);
    const storeKey = await mintStoreKey(store);
    const held = await quietList("days=7", storeKey);
    expect(held.posters.map((p) => p.poster_id)).toEqual([quiet]);
  });
});
