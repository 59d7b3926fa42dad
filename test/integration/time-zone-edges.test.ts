import { beforeAll, describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import type { FunnelResult } from "../../src/store/stats";
import { mintKey } from "./helpers";
import { recordInZone, scanAt, zoned } from "./time-zone-helpers";

const APIA = "Pacific/Apia";
// Samoa crossed the date line at the end of 2011-12-29 (−10): its clocks went from 23:59:59 of
// the 29th to 00:00 of the 31st (+14). 2011-12-30 never happened there.
const APIA_29 = Date.parse("2011-12-30T09:30:00Z"); // 23:30 of the 29th (−10)
const APIA_31 = Date.parse("2011-12-30T10:30:00Z"); // 00:30 of the 31st (+14), an hour later

let key: string;
beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  await recordInZone(APIA, [scanAt("tz_apia", APIA_29), scanAt("tz_apia", APIA_31)]);
});

async function exportRows(zone: string, query: string): Promise<HopRow[]> {
  const res = await zoned(zone)(`/v1/hops?${query}`, key);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("x-next-cursor")).toBeNull();
  const text = new TextDecoder().decode(await res.arrayBuffer());
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HopRow);
}

describe("the export's days at the edges", () => {
  it("the last day a date names (9999-12-31): an empty export in every zone, not a 500", async () => {
    for (const zone of ["UTC", "Asia/Tokyo", "America/Los_Angeles"]) {
      const res = await zoned(zone)("/v1/hops?from=9999-12-31&to=9999-12-31", key);
      expect(res.status, `${zone}: ${await res.clone().text()}`).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
      expect(res.headers.get("x-next-cursor")).toBeNull();
    }
  });
});

describe("a day the zone skipped (Samoa, 2011-12-30)", () => {
  it("the funnel shows it empty between its neighbours, each scan on the day its clocks showed", async () => {
    const res = await zoned(APIA)(
      "/v1/stats/funnel?from=2011-12-29&to=2011-12-31&group_by=day&poster_id=tz_apia",
      key,
    );
    const f = (await res.json()) as FunnelResult;
    expect(Object.fromEntries(f.rows.map((r) => [r.group, r.scanned]))).toEqual({
      "2011-12-29": 1,
      "2011-12-30": 0,
      "2011-12-31": 1,
    });
  });

  it("its export is empty, and a range across it gives both neighbours' rows once", async () => {
    expect(await exportRows(APIA, "from=2011-12-30&to=2011-12-30&poster_id=tz_apia")).toEqual([]);
    const rows = await exportRows(APIA, "from=2011-12-29&to=2011-12-31&poster_id=tz_apia");
    expect(rows.map((r) => [r.at, r.day])).toEqual([
      [APIA_29, "2011-12-29"],
      [APIA_31, "2011-12-31"],
    ]);
    expect(
      (await exportRows(APIA, "from=2011-12-31&to=2011-12-31&poster_id=tz_apia")).map((r) => r.at),
    ).toEqual([APIA_31]);
  });
});
