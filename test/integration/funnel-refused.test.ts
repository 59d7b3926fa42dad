// Refused scans, as a marketer reads them through GET /v1/stats/funnel: people who still scan a
// poster that is paused, revoked, not yet started or ended (the 410 page, or `gone` from the
// app's resolve). Each poster counts its own people's refused scans by reason; bots and forged
// codes count in none; no stage moves. Fresh storage (vitest.config.ts): the totals are exact.
import { beforeAll, describe, expect, it } from "vitest";
import type { FunnelFigures, FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { eventually } from "./hop-helpers";
import { makePoster, makeStore, patchPoster, SLACKBOT, scan, waitForHops } from "./poster-helpers";

const APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
const today = () => new Date().toISOString().slice(0, 10);
let key: string;
const ids: Record<"paused" | "revoked" | "scheduled" | "ended" | "live", string> = {
  paused: "",
  revoked: "",
  scheduled: "",
  ended: "",
  live: "",
};
let storeId = "";

async function funnel(query: Record<string, string>): Promise<FunnelResult> {
  const q = new URLSearchParams({ from: today(), to: today(), ...query });
  const res = await call(`/v1/stats/funnel?${q}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FunnelResult;
}

const byGroup = (f: FunnelResult) => new Map(f.rows.map((r) => [r.group, r]));
const stagesOf = (f: FunnelFigures) => [f.scanned, f.landing, f.app_open, f.converted];

/** Person scans of each inactive poster through its page, and one through the app's resolve. */
const PEOPLE = { paused: 3, revoked: 2, scheduled: 1, ended: 2 } as const;
const REFUSED = 3 + 1 + 2 + 1 + 2; // the paused poster's app resolve counts too

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  storeId = (await makeStore("Refused St")).id;
  const make = async (extra: Record<string, unknown> = {}) =>
    makePoster({ store_id: storeId, campaign: "refused-walls", ...extra });
  const posters = {
    paused: await make(),
    revoked: await make(),
    // The poster's own times are the clock here: a start an hour ahead, an end that has passed.
    scheduled: await make({ active_from: Date.now() + 3_600_000 }),
    ended: await make({ active_until: Date.now() + 3_600_000 }),
    live: await make(),
  };
  for (const [name, p] of Object.entries(posters)) ids[name as keyof typeof ids] = p.id;
  expect((await patchPoster(posters.paused.id, { status: "paused" })).status).toBe(200);
  expect((await patchPoster(posters.revoked.id, { status: "revoked" })).status).toBe(200);
  const ended = await patchPoster(posters.ended.id, { active_until: Date.now() });
  expect(ended.status).toBe(200);

  for (const name of ["paused", "revoked", "scheduled", "ended"] as const) {
    const p = posters[name];
    for (let i = 0; i < PEOPLE[name]; i++) expect((await scan(`/p/${p.code}`)).status).toBe(410);
    expect((await scan(`/p/${p.code}`, SLACKBOT)).status).toBe(410);
  }
  const resolved = await call("/v1/resolve", {
    method: "POST",
    json: { url: posters.paused.url },
    headers: { "user-agent": APP },
  });
  expect(resolved.status).toBe(410);
  // A forged code (a real one with its signature changed) names no poster.
  const code = posters.paused.code;
  const forged = code.slice(0, 6) + (code.slice(6) === "0000" ? "0001" : "0000");
  expect((await scan(`/p/${forged}`)).status).toBe(404);
  expect((await scan(`/p/${posters.live.code}`)).status).toBe(200);

  await waitForHops({ hop: "rejected" }, REFUSED + 4 + 1);
  await eventually(async () => {
    const f = await funnel({ store_id: storeId });
    return f.totals.refused >= REFUSED && f.totals.scanned >= 1;
  }, "the refused scans in the funnel");
}, 30_000);

describe("GET /v1/stats/funnel: refused scans", () => {
  it("counts each inactive poster's person scans by reason, bots and forged codes apart", async () => {
    const rows = byGroup(await funnel({ store_id: storeId, group_by: "poster" }));
    const reasons = (id: string) => rows.get(id)?.refused_by_reason;
    expect(reasons(ids.paused)).toEqual({ paused: 4, revoked: 0, not_started: 0, ended: 0 });
    expect(reasons(ids.revoked)).toEqual({ paused: 0, revoked: 2, not_started: 0, ended: 0 });
    expect(reasons(ids.scheduled)).toEqual({ paused: 0, revoked: 0, not_started: 1, ended: 0 });
    expect(reasons(ids.ended)).toEqual({ paused: 0, revoked: 0, not_started: 0, ended: 2 });
    expect(
      [ids.paused, ids.revoked, ids.scheduled, ids.ended].map((id) => rows.get(id)?.refused),
    ).toEqual([4, 2, 1, 2]);
    // A poster only refused still has its row; the live poster refused no one.
    expect(stagesOf(rows.get(ids.paused)!)).toEqual([0, 0, 0, 0]);
    expect(rows.get(ids.live)?.refused).toBe(0);
    expect(stagesOf(rows.get(ids.live)!)).toEqual([1, 1, 0, 0]);
  });

  it("adds up in the store, campaign and whole-bridge totals, and moves no stage or rate", async () => {
    const store = await funnel({ store_id: storeId, group_by: "campaign" });
    expect(store.rows).toHaveLength(1);
    expect(store.rows[0]!.refused).toBe(REFUSED);
    expect(store.totals.refused_by_reason).toEqual({
      paused: 4,
      revoked: 2,
      not_started: 1,
      ended: 2,
    });
    // The day × kind totals also hold the forged code's and the bots' rejections: not refused.
    const all = await funnel({ group_by: "day" });
    expect(all.totals.refused).toBe(REFUSED);
    expect(all.rows.find((r) => r.group === today())?.refused).toBe(REFUSED);
    expect(stagesOf(all.totals)).toEqual([1, 1, 0, 0]);
    expect(all.totals.rates.landing).toBe(1);
    const bySource = byGroup(await funnel({ group_by: "source" }));
    expect(bySource.get("poster")?.refused).toBe(REFUSED);
    const byPlatform = byGroup(await funnel({ group_by: "platform" }));
    expect(byPlatform.get("ios")?.refused).toBe(REFUSED);
  });
});
