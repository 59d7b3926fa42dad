// Which rejected hops a rollup row counts as refused scans (`refused:<reason>`): a person's scan
// of a poster that exists but is inactive, never a bot's, a forged code's or a handoff's.
import { describe, expect, it } from "vitest";
import { rollupDeltas, totalDeltas } from "../../src/core/rollup";
import { hopRowFixture } from "./hop-fixture";

const rejected = (detail: Record<string, unknown>, over = {}) =>
  hopRowFixture({ hop: "rejected", detail: JSON.stringify(detail), ...over });
const refusedKeys = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([k]) => k.startsWith("refused:")));

describe("refused scans in the rollups", () => {
  it("counts a person's scan of an inactive poster by reason, with its platform", () => {
    const [delta] = rollupDeltas([
      rejected({ reason: "paused" }),
      rejected({ reason: "paused", via: "app" }),
      rejected({ reason: "ended" }, { platform: "android", in_app: "line" }),
    ]);
    expect(refusedKeys(delta!.counts)).toEqual({
      "refused:paused": 2,
      "refused:paused@p:ios": 2,
      "refused:paused@i:": 2,
      "refused:ended": 1,
      "refused:ended@p:android": 1,
      "refused:ended@i:line": 1,
    });
    expect(delta!.counts.rejected).toBe(3);
  });

  it("leaves out bots, forged codes, unknown posters and other reasons", () => {
    const deltas = rollupDeltas([
      rejected({ reason: "revoked" }, { bot: 1 }),
      rejected({ reason: "bad_signature" }, { poster_id: null, subject_id: "invalid" }),
      rejected({ reason: "unknown" }, { poster_id: null }),
      rejected({ reason: "paused" }, { poster_id: null, kind: "handoff" }),
      rejected({ reason: "expired" }, { kind: "handoff", poster_id: null }),
      rejected({ reason: 7 }),
      hopRowFixture({ hop: "rejected", detail: "{not json" }),
    ]);
    for (const d of [...deltas, ...totalDeltas(deltas)]) expect(refusedKeys(d.counts)).toEqual({});
  });

  it("keeps them in the day × kind totals", () => {
    const deltas = rollupDeltas([
      rejected({ reason: "not_started" }, { poster_id: "A" }),
      rejected({ reason: "not_started" }, { poster_id: "B" }),
    ]);
    const [total] = totalDeltas(deltas);
    expect(total!.counts["refused:not_started"]).toBe(2);
  });
});
