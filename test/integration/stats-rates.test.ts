// The funnel's rates when handoffs, posters and QR logins share a range: each kind divides by
// a stage it passes through, so no rate exceeds 100 %.
import { beforeAll, describe, expect, it } from "vitest";
import type { FunnelFigures, FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { hopRow, ingestViaQueue } from "./hop-helpers";

// Handoffs and posters in one range, shaped like the product writes them: handoffs go
// scanned → landing → redeemed (one straight from the app, with no landing) and never
// app_open; posters go scanned → landing → app_open → converted and never redeem.
// Days of their own, so other test files' hops never mix in.
describe("rates, handoffs and posters in one range", () => {
  const DAY = "2021-03-01";
  const t0 = Date.parse(`${DAY}T08:00:00Z`);
  const DAY_MS = 86_400_000;
  const P = { kind: "poster" as const, subject_id: "FRP1", poster_id: "FRP1", store_id: "st_fr" };
  const handoff = (id: string) => ({ kind: "handoff" as const, subject_id: id });

  async function seed() {
    const rows = await Promise.all([
      // 4 handoffs: all scanned and redeemed, 3 through the landing page, 1 converts.
      ...["fr-h1", "fr-h2", "fr-h3"].flatMap((id, i) => [
        hopRow({ ...handoff(id), hop: "scanned", platform: "ios" }, t0 + i * 10, `198.51.100.${i}`),
        hopRow({ ...handoff(id), hop: "landing", platform: "ios" }, t0 + i * 10 + 1),
        hopRow({ ...handoff(id), hop: "redeemed", platform: "ios" }, t0 + i * 10 + 2),
      ]),
      hopRow({ ...handoff("fr-h4"), hop: "scanned", platform: "android" }, t0 + 50, "198.51.100.4"),
      hopRow({ ...handoff("fr-h4"), hop: "redeemed", platform: "android" }, t0 + 51),
      hopRow({ ...handoff("fr-h1"), hop: "converted", platform: "ios" }, t0 + 60),
      // 1 poster: 2 scans and landings, 1 app open, 1 conversion.
      hopRow({ ...P, hop: "scanned", session_id: "fr-s1", platform: "ios" }, t0 + 100, "192.0.2.1"),
      hopRow({ ...P, hop: "scanned", session_id: "fr-s2", platform: "ios" }, t0 + 110, "192.0.2.2"),
      hopRow({ ...P, hop: "landing", session_id: "fr-s1", platform: "ios" }, t0 + 101),
      hopRow({ ...P, hop: "landing", session_id: "fr-s2", platform: "ios" }, t0 + 111),
      hopRow({ ...P, hop: "app_open", session_id: "fr-s1", platform: "ios" }, t0 + 2000),
      hopRow({ ...P, hop: "converted", session_id: "fr-s1", platform: "ios" }, t0 + 9000),
      // The next day, 2 QR logins: both scanned, one approved and exchanged.
      hopRow({ kind: "login", subject_id: "fr-l1", hop: "scanned" }, t0 + DAY_MS),
      hopRow({ kind: "login", subject_id: "fr-l1", hop: "approved" }, t0 + DAY_MS + 10),
      hopRow({ kind: "login", subject_id: "fr-l1", hop: "exchanged" }, t0 + DAY_MS + 20),
      hopRow({ kind: "login", subject_id: "fr-l2", hop: "scanned" }, t0 + DAY_MS + 30),
    ]);
    await ingestViaQueue(rows);
  }

  type Figures = FunnelFigures;
  type Funnel = FunnelResult;

  let key: string;
  async function funnel(query: string): Promise<Funnel> {
    const res = await call(`/v1/stats/funnel?from=${DAY}&to=${DAY}&${query}`, { key });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Funnel;
  }
  const counts = (f: Figures) => [f.scanned, f.landing, f.app_open, f.redeemed, f.converted];
  const rateValues = (f: Figures) => Object.values(f.rates).filter((r) => r !== null);

  beforeAll(async () => {
    key = await mintKey("secret", ["stats:read"]);
    await seed();
  });

  describe("funnel rates with handoffs and posters together", () => {
    it("each rate divides by a stage the same kind passes through", async () => {
      const f = await funnel("group_by=source");
      // scanned 4 + 2, landing 3 + 2, app_open 0 + 1, redeemed 4 + 0, converted 1 + 1.
      expect(counts(f.totals)).toEqual([6, 5, 1, 4, 2]);
      expect(f.totals.rates).toEqual({
        landing: 0.8333, // 5 ÷ 6 scans
        app_open: 0.5, // 1 ÷ 2 poster scans (was 1 ÷ 5 landings: handoff landings never open the app)
        redeemed: 1, // 4 ÷ 4 handoff scans (was 4 ÷ 1 app open: "400%")
        converted: 0.4, // (1 + 1) ÷ (1 poster app open + 4 handoff redemptions)
      });
      const by = Object.fromEntries(f.rows.map((r) => [r.group, r]));
      expect(by.handoff!.rates).toEqual({
        landing: 0.75,
        app_open: null,
        redeemed: 1,
        converted: 0.25,
      });
      expect(by.poster!.rates).toEqual({ landing: 1, app_open: 0.5, redeemed: null, converted: 1 });
    });

    it("counts a QR login's approval as its redemption, its exchange as its conversion", async () => {
      const res = await call("/v1/stats/funnel?from=2021-03-02&to=2021-03-02&group_by=source", {
        key,
      });
      const f = (await res.json()) as Funnel;
      expect(f.rows.map((r) => r.group)).toEqual(["login"]);
      expect(counts(f.rows[0]!)).toEqual([2, 0, 0, 1, 1]);
      expect(f.rows[0]!.rates).toEqual({
        landing: null,
        app_open: null,
        redeemed: 0.5,
        converted: 1,
      });
    });

    it("no rate exceeds 100% in any grouping", async () => {
      for (const group of ["day", "source", "platform", "store"]) {
        const f = await funnel(`group_by=${group}`);
        for (const figures of [f.totals, ...f.rows]) {
          for (const r of rateValues(figures))
            expect(r, `${group}: ${JSON.stringify(figures)}`).toBeLessThanOrEqual(1);
        }
      }
    });
  });
});
