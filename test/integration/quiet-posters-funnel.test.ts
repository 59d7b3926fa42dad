// Posters gone quiet (GET /v1/stats/quiet-posters): seeded through the real queue consumer, read
// at a fixed clock. A poster scanned daily then silent 8 days is listed with its baseline scans
// and last day; one silent 6 days, a paused, ended or not yet started one, one never scanned and
// one kept "alive" by bots alone are checked one by one; a store key and its console session see
// their store only; a reporting time zone moves "today"; bad parameters are 400s naming them;
// rows read follow posters × days, never scans. Fresh storage ("*funnel*" in vitest.config.ts).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import type { QuietPoster } from "../../src/store/quiet-posters";
import { count, metered } from "./budget-helpers";
import { consoleCall, session } from "./console-helpers";
import { atClock, call, mintKey, mintStoreKey } from "./helpers";
import { hopRow, ingestViaQueue, scalar, testEnv } from "./hop-helpers";
import { makePoster, makeStore, patchPoster } from "./poster-helpers";
import { recordInZone, scanAt } from "./time-zone-helpers";

const DAY = 86_400_000;
/** "Now" for every read: noon UTC of 2026-03-20; the quiet week is 03-14…03-20. */
const NOW = Date.parse("2026-03-20T12:00:00Z");
const noon = (day: string) => Date.parse(`${day}T12:00:00Z`);
/** Every day from `from` to `to`, inclusive. */
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = noon(from); t <= noon(to); t += DAY)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

interface Answer {
  time_zone: string;
  today: string;
  quiet_from: string;
  baseline_from: string;
  baseline_to: string;
  count: number;
  more: boolean;
  posters: QuietPoster[];
}

let key: string;
let store: string;
let other: string;
const P: Record<string, string> = {};

/** One person's scan of `poster` per day, on each of `on`. */
const daily = (poster: string, storeId: string, on: string[], extra = {}) =>
  on.map((d, i) =>
    hopRow(
      { hop: "scanned", subject_id: poster, poster_id: poster, store_id: storeId, ...extra },
      noon(d) + i,
      `10.7.${i}.1`,
    ),
  );

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  store = (await makeStore("Quiet street")).id;
  other = (await makeStore("Other street")).id;
  const made = async (name: string, s = store, body = {}) => {
    const p = await makePoster({ name, store_id: s, campaign: "Spring walls", ...body });
    P[name] = p.id;
    return p;
  };
  for (const name of ["gone", "six", "paused", "never", "bots", "ended", "later"]) await made(name);
  await made("elsewhere", other);
  const rows = [
    ...daily(P.gone!, store, days("2026-02-14", "2026-03-12")), // 27 days, last 03-12
    ...daily(P.gone!, store, ["2026-03-12"]), // a second scan on its last day
    ...daily(P.six!, store, days("2026-02-14", "2026-03-14")), // last 03-14: 6 quiet days
    ...daily(P.paused!, store, days("2026-02-20", "2026-03-05")),
    ...daily(P.bots!, store, days("2026-03-01", "2026-03-10")),
    // The quiet week holds only a link previewer's fetches and a refused scan of this poster.
    ...daily(P.bots!, store, days("2026-03-14", "2026-03-20"), { bot: true }),
    ...daily(P.bots!, store, ["2026-03-16"], { hop: "rejected", detail: { reason: "paused" } }),
    ...daily(P.ended!, store, days("2026-03-01", "2026-03-05")),
    ...daily(P.later!, store, days("2026-03-01", "2026-03-05")),
    ...daily(P.elsewhere!, other, days("2026-03-01", "2026-03-02")),
    // Before the baseline: not a loss this question sees.
    ...daily(P.never!, store, ["2026-01-10"]),
  ];
  await ingestViaQueue(rows);
  expect((await patchPoster(P.paused!, { status: "paused" })).status).toBe(200);
  expect((await patchPoster(P.ended!, { active_until: NOW - DAY })).status).toBe(200);
  expect((await patchPoster(P.later!, { active_from: NOW + DAY })).status).toBe(200);
});

async function quiet(query: string, as = key): Promise<Answer> {
  const res = await atClock(NOW, () => call(`/v1/stats/quiet-posters?${query}`, { key: as }));
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Answer;
}

const ids = (a: Answer) => a.posters.map((p) => p.poster_id);

describe("posters gone quiet", () => {
  it("lists the poster silent 8 days with its baseline scans and last day, and only it", async () => {
    const a = await quiet(`store_id=${store}`);
    expect([a.time_zone, a.today, a.quiet_from, a.baseline_from, a.baseline_to]).toEqual([
      "UTC",
      "2026-03-20",
      "2026-03-14",
      "2026-02-14",
      "2026-03-13",
    ]);
    // Silent 6 days, paused, ended, not started, never scanned in the baseline: none of them.
    expect(ids(a).sort()).toEqual([P.bots!, P.gone!].sort());
    const gone = a.posters.find((p) => p.poster_id === P.gone)!;
    expect(gone).toMatchObject({
      name: "gone",
      store_id: store,
      store_name: "Quiet street",
      campaign_name: "Spring walls",
      baseline_scans: 28,
      last_scanned_day: "2026-03-12",
      quiet_days: 8,
    });
    expect(gone.campaign_id).toMatch(/^cp_/);
    expect(a.count).toBe(2);
    expect(a.more).toBe(false);
  });

  it("bots and refused scans never keep a poster alive", async () => {
    // Its quiet week has rollup rows, none with a counted scan.
    const week = await testEnv.DB.prepare(
      "SELECT counts FROM hop_rollups WHERE poster_id = ?1 AND day >= '2026-03-14'",
    )
      .bind(P.bots!)
      .all<{ counts: string }>();
    const counts = week.results.map((r) => JSON.parse(r.counts) as Record<string, number>);
    expect(counts).toHaveLength(7);
    expect(counts.every((c) => c["bot.scanned"] && !c.scanned)).toBe(true);
    expect(counts.some((c) => c["refused:paused"] === 1)).toBe(true);
    const a = await quiet(`store_id=${store}`);
    expect(a.posters.find((p) => p.poster_id === P.bots)).toMatchObject({
      baseline_scans: 10,
      last_scanned_day: "2026-03-10",
    });
  });

  it("a shorter quiet window lets the 6-day poster in; a longer one lets the 8-day one out", async () => {
    expect(ids(await quiet(`store_id=${store}&days=6`))).toContain(P.six);
    expect(ids(await quiet(`store_id=${store}&days=9`))).not.toContain(P.gone);
    // A baseline that ends before its scans began has nothing to lose.
    const short = await quiet(`store_id=${store}&days=7&baseline=1`);
    expect(ids(short)).toEqual([]);
    expect(short.count).toBe(0);
  });

  it("orders by newest silence or biggest loss, and caps with count and more", async () => {
    expect(ids(await quiet(`store_id=${store}`))).toEqual([P.gone, P.bots]);
    expect(ids(await quiet(`store_id=${store}&sort=loss`))).toEqual([P.gone, P.bots]);
    const byLoss = await quiet(`store_id=${store}&days=6&sort=loss`);
    expect(ids(byLoss)).toEqual([P.six, P.gone, P.bots]); // 29 > 28 > 10
    const newest = await quiet(`store_id=${store}&days=6`);
    expect(ids(newest)).toEqual([P.six, P.gone, P.bots]); // 03-14, 03-12, 03-10
    const capped = await quiet(`store_id=${store}&limit=1`);
    expect([ids(capped), capped.count, capped.more]).toEqual([[P.gone], 2, true]);
  });

  it("a store key and its console session see only their store's", async () => {
    const open = await quiet("");
    expect(ids(open)).toEqual(expect.arrayContaining([P.gone, P.elsewhere]));
    const storeKey = await mintStoreKey(store);
    const held = await quiet("", storeKey);
    expect(ids(held)).toContain(P.gone);
    expect(ids(held)).not.toContain(P.elsewhere);
    expect(JSON.stringify(held)).not.toContain("Other street");
    const refused = await call(`/v1/stats/quiet-posters?store_id=${other}`, { key: storeKey });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { details: { reason: string } }).details.reason).toBe(
      "store_scope",
    );
    const s = await session(storeKey);
    const res = await atClock(NOW, () => consoleCall(s, "GET", "/v1/stats/quiet-posters"));
    expect(res.status).toBe(200);
    const viaConsole = (await res.json()) as Answer;
    expect(ids(viaConsole)).toEqual(ids(held));
  });

  it("needs stats:read", async () => {
    expect((await call("/v1/stats/quiet-posters")).status).toBe(401);
    const posters = await mintKey("secret", ["posters:write"]);
    expect((await call("/v1/stats/quiet-posters", { key: posters })).status).toBe(403);
  });

  it("bad parameters are 400s naming them", async () => {
    const cases: [string, string][] = [
      ["days=0", "days"],
      ["days=seven", "days"],
      ["days=91", "days"],
      ["baseline=0", "baseline"],
      ["baseline=366", "baseline"],
      ["days=90&baseline=300", "baseline"],
      ["sort=oldest", "sort"],
      ["limit=0", "limit"],
      ["limit=501", "limit"],
    ];
    for (const [query, field] of cases) {
      const res = await call(`/v1/stats/quiet-posters?${query}`, { key });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("validation_failed");
      expect(body.message.startsWith(field), `${query}: ${body.message}`).toBe(true);
    }
  });
});

describe("rows read", () => {
  const read = async (query: string) => {
    const [answer, counts] = await atClock(NOW, () =>
      metered(`/v1/stats/quiet-posters?${query}`, { headers: { authorization: `Bearer ${key}` } }),
    );
    expect(answer.status, answer.body).toBe(200);
    return { body: JSON.parse(answer.body) as Answer, rows: count(counts, "d1.rows_read") };
  };

  it("follow posters × days, never scans", async () => {
    await read(""); // the key's lookup is cached from here on
    const before = await read("");
    // Every rollup day row of the 35 days (all kinds) is read once and once more through the
    // GROUP BY's sorter (D1 counts both); then at most 4 per poster: its group through the sort
    // and the count, and for a quiet one its poster, store and campaign rows.
    const [dayRows, posters] = await Promise.all([
      scalar<number>(
        "SELECT COUNT(*) FROM hop_rollups WHERE day BETWEEN '2026-02-14' AND '2026-03-20'",
      ),
      scalar<number>(
        "SELECT COUNT(DISTINCT poster_id) FROM hop_rollups WHERE day BETWEEN '2026-02-14' AND '2026-03-20'",
      ),
    ]);
    expect(before.rows).toBeGreaterThanOrEqual(dayRows);
    expect(before.rows).toBeLessThanOrEqual(2 * dayRows + 4 * posters);
    // 200 more scans on days already rolled up: the same rows, the same reads.
    await ingestViaQueue(
      Array.from({ length: 200 }, (_, i) =>
        hopRow(
          { hop: "scanned", subject_id: P.gone!, poster_id: P.gone!, store_id: store },
          noon("2026-03-01") + i,
          `10.8.${i}.1`,
        ),
      ),
    );
    const after = await read("");
    expect(after.body.posters.find((p) => p.poster_id === P.gone)?.baseline_scans).toBe(228);
    expect(after.rows).toBe(before.rows);
  });
});

describe("in a reporting time zone", () => {
  it("Tokyo's today decides the quiet window", async () => {
    const tokyo = (await makeStore("Tokyo quiet")).id;
    const poster = (await makePoster({ name: "Shinjuku", store_id: tokyo })).id;
    // 23:30 JST on 03-14 (14:30 UTC): a Tokyo day 03-14 scan, and one on 03-01.
    await recordInZone("Asia/Tokyo", [
      scanAt(poster, Date.parse("2026-03-01T03:00:00Z"), tokyo),
      scanAt(poster, Date.parse("2026-03-14T14:30:00Z"), tokyo),
    ]);
    const bridge = createBridge((e) => ({ ...optionsFromEnv(e), reportingTimeZone: "Asia/Tokyo" }));
    // 16:00 UTC on 03-20 is 01:00 on 03-21 in Tokyo: the quiet week is 03-15…03-21 there, so
    // the 03-14 scan is before it (in UTC days it would be inside 03-14…03-20).
    const at = Date.parse("2026-03-20T16:00:00Z");
    const res = await atClock(at, async () => {
      const ctx = createExecutionContext();
      const r = await bridge.fetch(
        new Request(`https://qr.test/v1/stats/quiet-posters?store_id=${tokyo}`, {
          headers: { authorization: `Bearer ${key}` },
        }),
        testEnv as Env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return r;
    });
    expect(res.status).toBe(200);
    const a = (await res.json()) as Answer;
    expect([a.time_zone, a.today, a.quiet_from]).toEqual([
      "Asia/Tokyo",
      "2026-03-21",
      "2026-03-15",
    ]);
    expect(a.posters).toEqual([
      expect.objectContaining({
        poster_id: poster,
        baseline_scans: 2,
        last_scanned_day: "2026-03-14",
        quiet_days: 7,
      }),
    ]);
    // The same scans and the same instant read in UTC: today is 03-20, the 03-14 scan is inside.
    expect(ids(await atClock(at, () => quiet(`store_id=${tokyo}`)))).toEqual([]);
  });
});
