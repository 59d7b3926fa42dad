import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvLine } from "../../src/core/csv";
import {
  daysBetween,
  FUNNEL_HOPS,
  funnelStageOf,
  type KindCounts,
  median,
  parseDay,
  rate,
  stageRates,
  totalCounts,
} from "../../src/core/funnel";
import { backoffSeconds, webhookEventType, webhookPayload } from "../../src/core/webhook-events";

describe("funnel math", () => {
  it("rates divide each kind by its own earlier stage, null when nothing to divide by", () => {
    // 10 scans: 4 saw the landing page, 6 opened the app straight from the code.
    const poster = { scanned: 10, landing: 4, app_open: 8, redeemed: 0, converted: 2 };
    expect(stageRates({ poster })).toEqual({
      landing: 0.4,
      app_open: 0.8, // ÷ scans (÷ landings would read "200%")
      redeemed: null, // posters never redeem: no rate, rather than "0%"
      converted: 0.25, // ÷ app opens
    });
    const handoff = { scanned: 8, landing: 5, app_open: 1, redeemed: 6, converted: 3 };
    expect(stageRates({ handoff })).toEqual({
      landing: 0.625,
      app_open: null, // a handoff's reported app open belongs to no rate
      redeemed: 0.75, // ÷ scans: 1 redeemed straight from the app, with no landing
      converted: 0.5, // ÷ redemptions
    });
    expect(stageRates({})).toEqual({
      landing: null,
      app_open: null,
      redeemed: null,
      converted: null,
    });
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(0, 0)).toBeNull();
  });

  it("a login's hops map to stages: scanned, approved → redeemed, exchanged → converted", () => {
    expect(funnelStageOf("login", "scanned")).toBe("scanned");
    expect(funnelStageOf("login", "approved")).toBe("redeemed");
    expect(funnelStageOf("login", "exchanged")).toBe("converted");
    for (const hop of ["created", "rendered", "denied", "expired", "rejected", "redeemed"]) {
      expect(funnelStageOf("login", hop), hop).toBeNull();
    }
    // A handoff's approval (confirm: "pc") is a step, not its redemption.
    expect(funnelStageOf("handoff", "approved")).toBeNull();
    expect(funnelStageOf("handoff", "redeemed")).toBe("redeemed");
    expect(funnelStageOf("poster", "app_open")).toBe("app_open");
    expect([...FUNNEL_HOPS].sort()).toEqual(
      ["scanned", "landing", "app_open", "redeemed", "converted", "approved", "exchanged"].sort(),
    );
    // Logins have no landing page: approvals divide by scans, exchanges by approvals.
    const login = { scanned: 10, landing: 0, app_open: 0, redeemed: 8, converted: 6 };
    expect(stageRates({ login })).toEqual({
      landing: null,
      app_open: null,
      redeemed: 0.8,
      converted: 0.75,
    });
    const handoff = { scanned: 10, landing: 10, app_open: 0, redeemed: 10, converted: 0 };
    expect(stageRates({ login, handoff }).redeemed).toBe(0.9); // 18 ÷ 20 scans, kind by kind
    expect(stageRates({ login, handoff }).landing).toBe(1); // handoff landings ÷ handoff scans only
  });

  it("handoffs and posters together: redeemed is not divided by the posters' app opens", () => {
    const handoff = { scanned: 400, landing: 390, app_open: 0, redeemed: 400, converted: 0 };
    const poster = { scanned: 100, landing: 100, app_open: 100, redeemed: 0, converted: 10 };
    // Stage by stage across kinds this was redeemed 400 ÷ app_open 100 = "400%".
    expect(stageRates({ handoff, poster })).toEqual({
      landing: 0.98, // 490 ÷ 500
      app_open: 1, // 100 ÷ 100 poster scans
      redeemed: 1, // 400 ÷ 400 handoff scans
      converted: 0.02, // 10 ÷ (100 app opens + 400 redemptions)
    });
    expect(totalCounts({ handoff, poster })).toEqual({
      scanned: 500,
      landing: 490,
      app_open: 100,
      redeemed: 400,
      converted: 10,
    });
  });

  it("no rate exceeds 100% when every kind follows its own stages, however kinds mix", () => {
    // Each kind's counts as the product produces them. Every app open follows a scan, but not
    // always a landing: with the app installed the phone skips the page (the resolve records
    // the scan), so a poster can have more app opens than landings.
    const below = (n: number) => fc.nat({ max: n });
    const poster = fc.nat({ max: 10_000 }).chain((scanned) =>
      fc
        .record({
          scanned: fc.constant(scanned),
          landing: below(scanned),
          app_open: below(scanned),
        })
        .chain((c) => below(c.app_open).map((converted) => ({ ...c, redeemed: 0, converted }))),
    );
    const handoff = fc
      .nat({ max: 10_000 })
      .chain((scanned) =>
        fc.record({
          scanned: fc.constant(scanned),
          landing: below(scanned),
          app_open: below(scanned),
          redeemed: below(scanned),
        }),
      )
      .chain((c) => below(c.redeemed).map((converted) => ({ ...c, converted })));
    const kinds = fc.record(
      { poster, handoff, login: handoff },
      { requiredKeys: [] },
    ) as fc.Arbitrary<KindCounts>;
    fc.assert(
      fc.property(kinds, (byKind) => {
        for (const r of Object.values(stageRates(byKind))) {
          if (r !== null && r > 1) return false;
        }
        return true;
      }),
    );
  });

  it("median of odd, even and empty lists", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([10, 1, 2, 3])).toBe(3); // (2 + 3) / 2 rounds up
    expect(median([4000, 2000])).toBe(3000);
    expect(median([])).toBeNull();
  });

  it("days: real dates only, ranges inclusive", () => {
    expect(parseDay("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    expect(parseDay("2023-02-29")).toBeNull();
    expect(parseDay("2023-2-1")).toBeNull();
    expect(daysBetween("2024-02-28", "2024-03-01")).toEqual([
      "2024-02-28",
      "2024-02-29",
      "2024-03-01",
    ]);
  });
});

describe("csv", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvField("-1+2")).toBe("'-1+2");
    expect(csvField(-5)).toBe("-5");
    expect(csvField(null)).toBe("");
    expect(csvLine(["a", 1, null])).toBe("a,1,\r\n");
  });
});

describe("webhook events", () => {
  it("derives event types from hops; bots and bookkeeping hops are not events", () => {
    expect(webhookEventType("handoff", "scanned", 0)).toBe("handoff.scanned");
    expect(webhookEventType("handoff", "redeemed", 0)).toBe("handoff.redeemed");
    expect(webhookEventType("login", "approved", 0)).toBe("login.approved");
    expect(webhookEventType("login", "exchanged", 0)).toBe("login.exchanged");
    expect(webhookEventType("login", "expired", 0)).toBe("login.expired");
    expect(webhookEventType("login", "rejected", 0)).toBeNull();
    expect(webhookEventType("login", "created", 0)).toBeNull();
    expect(webhookEventType("login", "redeemed", 0)).toBeNull(); // logins never redeem
    expect(webhookEventType("poster", "scanned", 0)).toBe("poster.scanned");
    expect(webhookEventType("poster", "converted", 0)).toBe("conversion");
    expect(webhookEventType("handoff", "app_open", 0)).toBe("app.opened");
    expect(webhookEventType("poster", "scanned", 1)).toBeNull();
    expect(webhookEventType("poster", "landing", 0)).toBeNull();
    expect(webhookEventType("handoff", "rendered", 0)).toBeNull();
  });

  it("payload carries the event id, its time in unix ms (as all JSON times), and never the IP hash", () => {
    const body = webhookPayload(
      {
        event_id: "ev_1",
        at: 1_767_225_600_123,
        kind: "handoff",
        subject_id: "h1",
        hop: "redeemed",
        store_id: null,
        campaign_id: null,
        poster_id: null,
        session_id: null,
        platform: "ios",
        in_app: null,
        country: "JP",
        bot: 0,
        ms_since_created: 900,
        detail: '{"a":1}',
        ...{ ip_hash: "deadbeefdeadbeef" },
      },
      "handoff.redeemed",
    );
    const parsed = JSON.parse(body);
    expect(parsed).toMatchObject({
      id: "ev_1",
      type: "handoff.redeemed",
      created: 1_767_225_600_123,
      data: { at: 1_767_225_600_123 },
    });
    expect(parsed.data.detail).toEqual({ a: 1 });
    expect(body).not.toContain("deadbeef");
  });

  it("backoff doubles and is capped", () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 5, 300))).toEqual([5, 10, 20, 40]);
    expect(backoffSeconds(40, 30, 3600)).toBe(3600);
  });
});
