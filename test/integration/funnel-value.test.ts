// What conversions were worth (`converted_value`), read through GET /v1/stats/funnel as a shop
// would: conversions in two currencies across posters, stores, campaigns and days, counted
// through the real queue consumer, must sum exactly to the hand sums in every grouping, before
// and after the cron folds the days into month rows.
import { beforeAll, describe, expect, it } from "vitest";
import { compactRollups } from "../../src/store/rollup-compaction";
import type { FunnelResult } from "../../src/store/stats";
import { waitForFunnel } from "./funnel-helpers";
import { call, mintKey } from "./helpers";
import { hopMessages, hopRow, ingestViaQueue, runQueue, scalar, testEnv } from "./hop-helpers";
import { makePoster, scannedSession } from "./poster-helpers";

const START = Date.parse("2025-03-01T09:00:00Z");
const day = (i: number) => new Date(START + i * 86_400_000).toISOString().slice(0, 10);
const POSTERS = {
  VA: { store_id: "st_va", campaign_id: "cm_one", platform: "ios" },
  VB: { store_id: "st_va", campaign_id: "cm_two", platform: "android" },
  VC: { store_id: "st_vc", campaign_id: "cm_one", platform: "android" },
} as const;
type Poster = keyof typeof POSTERS;
let key: string;

function conversion(poster: Poster, dayIndex: number, detail: Record<string, unknown> | null) {
  return hopRow(
    { ...POSTERS[poster], subject_id: poster, poster_id: poster, hop: "converted", detail },
    START + dayIndex * 86_400_000 + Math.floor(Math.random() * 3_600_000),
  );
}

/** [poster, day, value, currency]: what the hand sums below are made of. */
const SALES: [Poster, number, number, string | undefined][] = [
  ["VA", 0, 0.1, "EUR"],
  ["VA", 0, 0.2, "EUR"], // 0.1 + 0.2 is 0.30000000000000004 as doubles: must read 0.3
  ["VA", 1, 12.5, "USD"],
  ["VB", 0, 2.000000004, "EUR"], // more decimals than hundredths: counts 2.00
  ["VB", 2, 19.99, "EUR"],
  ["VC", 1, 0.07, "USD"],
  ["VC", 2, 1_000_000, "EUR"],
  ["VC", 2, 5, undefined], // no currency: summed under XXX
];

async function funnel(query: Record<string, string>): Promise<FunnelResult> {
  const q = new URLSearchParams({ from: day(0), to: day(2), ...query });
  const res = await call(`/v1/stats/funnel?${q}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FunnelResult;
}

const values = (f: FunnelResult) =>
  Object.fromEntries(f.rows.map((r) => [r.group, r.converted_value]));

const BY = {
  poster: {
    VA: { EUR: 0.3, USD: 12.5 },
    VB: { EUR: 21.99 },
    VC: { EUR: 1_000_000, USD: 0.07, XXX: 5 },
  },
  store: {
    st_va: { EUR: 22.29, USD: 12.5 },
    st_vc: { EUR: 1_000_000, USD: 0.07, XXX: 5 },
  },
  campaign: {
    cm_one: { EUR: 1_000_000.3, USD: 12.57, XXX: 5 },
    cm_two: { EUR: 21.99 },
  },
};
const TOTAL = { EUR: 1_000_022.29, USD: 12.57, XXX: 5 };

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  const rows = SALES.map(([p, d, value, currency]) =>
    conversion(p, d, currency ? { value, currency } : { value }),
  );
  // A conversion with no value counts but is worth nothing; a bot's is worth nothing at all.
  rows.push(conversion("VB", 1, null));
  const bot = { ...POSTERS.VA, subject_id: "VA", poster_id: "VA", hop: "converted" as const };
  rows.push(hopRow({ ...bot, bot: true, detail: { value: 500, currency: "EUR" } }, START));
  await ingestViaQueue(rows);
});

describe("converted_value", () => {
  it("sums exactly by poster, store and campaign, and in the totals", async () => {
    for (const group of ["poster", "store", "campaign"] as const) {
      const f = await funnel({ group_by: group });
      expect(values(f)).toEqual(BY[group]);
      expect(f.totals.converted_value).toEqual(TOTAL);
      expect(f.totals.converted).toBe(SALES.length + 1);
    }
  });

  it("sums exactly by day and by platform, {} where nothing was converted", async () => {
    const byDay = await funnel({ group_by: "day", to: day(3) });
    expect(values(byDay)).toEqual({
      [day(0)]: { EUR: 2.3 },
      [day(1)]: { USD: 12.57 },
      [day(2)]: { EUR: 1_000_019.99, XXX: 5 },
      [day(3)]: {},
    });
    const byPlatform = await funnel({ group_by: "platform" });
    expect(values(byPlatform)).toEqual({
      ios: { EUR: 0.3, USD: 12.5 },
      android: { EUR: 1_000_021.99, USD: 0.07, XXX: 5 },
    });
    expect(byPlatform.totals.converted_value).toEqual(TOTAL);
    // A filter reads the same sums: one store's poster rows by day.
    const store = await funnel({ group_by: "day", store_id: "st_va" });
    expect(store.totals.converted_value).toEqual(BY.store.st_va);
  });
});

describe("a conversion counted once", () => {
  // Away from March's posters and days, so the sums above stay as they are.
  const APRIL = Date.parse("2025-04-10T12:00:00Z");
  const april = { from: "2025-04-10", to: "2025-04-10", group_by: "poster" };

  it("adds nothing twice when the same batch is delivered again", async () => {
    const facts = { ...POSTERS.VB, subject_id: "VR", poster_id: "VR", hop: "converted" as const };
    const rows = [hopRow({ ...facts, detail: { value: 7.25, currency: "EUR" } }, APRIL)];
    await runQueue("qrbridge-hops", hopMessages(rows));
    await runQueue("qrbridge-hops", hopMessages(rows, 2));
    const f = await funnel(april);
    expect(f.totals).toMatchObject({ converted: 1, converted_value: { EUR: 7.25 } });
  });

  it("adds a once-only event's value once, however often it is reported", async () => {
    // An app's conversion has a deterministic id (`ev_…`): copies of it in later batches are dropped.
    const now = Date.now();
    const event = {
      ...POSTERS.VA,
      subject_id: "VO",
      poster_id: "VO",
      hop: "converted" as const,
      event_id: `ev_${crypto.randomUUID().replaceAll("-", "")}`,
      detail: { value: 0.1 + 0.2, currency: "EUR" },
    };
    await ingestViaQueue([hopRow(event, now)]);
    await ingestViaQueue([hopRow(event, now)]);
    const today = new Date(now).toISOString().slice(0, 10);
    const f = await funnel({ from: today, to: today, poster_id: "VO", group_by: "poster" });
    expect(f.rows).toHaveLength(1);
    expect(f.rows[0]).toMatchObject({ converted: 1, converted_value: { EUR: 0.3 } });
  });
});

describe("the month fold", () => {
  it("keeps every sum exact, and adds a late conversion of a folded day once", async () => {
    const { folded } = await compactRollups(testEnv.DB, day(2));
    expect(folded).toEqual([day(0), day(1), day(2)]);
    // The whole month is compacted: a month-wide funnel by store reads the month rows.
    const month = { from: "2025-03-01", to: "2025-03-31" };
    expect(
      await scalar(
        `SELECT SUM(json_extract(counts, '$."converted$EUR"')) FROM hop_rollups_month WHERE month = '2025-03'`,
      ),
    ).toBe(100_002_229);
    for (const group of ["poster", "store", "campaign"] as const) {
      const f = await funnel({ ...month, group_by: group });
      expect(values(f)).toEqual(BY[group]);
      expect(f.totals.converted_value).toEqual(TOTAL);
    }
    // A conversion of a folded day arriving late (a replayed dead letter) lands in the month row.
    await ingestViaQueue([conversion("VC", 1, { value: 0.01, currency: "USD" })]);
    const late = await funnel({ ...month, group_by: "store" });
    expect(values(late).st_vc).toEqual({ EUR: 1_000_000, USD: 0.08, XXX: 5 });
    expect((await funnel({ group_by: "day" })).totals.converted_value).toEqual({
      ...TOTAL,
      USD: 12.58,
    });
  });
});

describe("conversions reported through POST /v1/events", () => {
  const APP = { "user-agent": "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0" };
  const post = (path: string, json: unknown, headers: Record<string, string>) =>
    call(path, { method: "POST", json, headers });

  it("add a person's value once per session, a bot's not at all, a server's per order", async () => {
    const p = await makePoster();
    const s = await scannedSession(p.code);
    await post("/v1/resolve", { url: `${p.url}?s=${s}` }, APP);
    // The app reports its conversion three times, with fresh idempotency keys: it counts once.
    for (const order of ["o-1", "o-2", "o-3"]) {
      const json = { session: s, type: "converted", value: 0.1 + 0.2, currency: "EUR" };
      expect((await post("/v1/events", { ...json, idempotency_key: order }, APP)).status).toBe(202);
    }
    // A script resolves the link as curl and reports a big order against its own session.
    const scripted = await post("/v1/resolve", { url: p.url }, { "user-agent": "curl/8.0" });
    const botSession = ((await scripted.json()) as { attribution: { session: string } }).attribution
      .session;
    const fake = { session: botSession, type: "converted", value: 999_999, currency: "EUR" };
    expect((await post("/v1/events", fake, APP)).status).toBe(202);
    // The shop's server reports an order last: once it is counted, the events before it are too.
    const key = await mintKey("secret", ["events:write"]);
    const order = { session: s, type: "converted", value: 19.99, currency: "USD" };
    const server = { authorization: `Bearer ${key}`, "user-agent": "python-requests/2.31" };
    for (const json of [order, order])
      expect((await post("/v1/events", { ...json, idempotency_key: "A-17" }, server)).status).toBe(
        202,
      );
    const f = await waitForFunnel(p.id, (t) => t.converted >= 2);
    expect(f.totals).toMatchObject({ converted: 2, converted_value: { EUR: 0.3, USD: 19.99 } });
  });
});
