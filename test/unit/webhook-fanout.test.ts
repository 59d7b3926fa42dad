import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { pendingEvents, subscriptionsFrom } from "../../src/store/webhook-fanout";
import { hopRowFixture } from "./hop-fixture";

const row = (over: Partial<HopRow>) => hopRowFixture({ ip_hash: "0123456789abcdef", ...over });

describe("webhook fan-out", () => {
  it("unions the event lists of active endpoints and skips unreadable ones", () => {
    const subs = subscriptionsFrom([
      { events: '["poster.scanned"]' },
      { events: '["conversion","poster.scanned"]' },
      { events: "not json" },
      { events: null },
    ]);
    expect([...subs].sort()).toEqual(["conversion", "poster.scanned"]);
  });

  it("builds no payload when nobody listens", () => {
    expect(pendingEvents([row({})], new Set())).toEqual([]);
  });

  it("keeps only subscribed types, never bots or non-events; * takes every event", () => {
    const rows = [
      row({ event_id: "a", hop: "scanned" }),
      row({ event_id: "b", hop: "landing" }),
      row({ event_id: "c", hop: "scanned", bot: 1 }),
      row({ event_id: "d", hop: "converted" }),
    ];
    expect(pendingEvents(rows, new Set(["conversion"])).map((e) => [e.id, e.type])).toEqual([
      ["d", "conversion"],
    ]);
    const all = pendingEvents(rows, new Set(["*"]));
    expect(all.map((e) => [e.id, e.type])).toEqual([
      ["a", "poster.scanned"],
      ["d", "conversion"],
    ]);
    expect(JSON.parse(all[0]!.payload)).toMatchObject({ id: "a", type: "poster.scanned" });
  });
});
