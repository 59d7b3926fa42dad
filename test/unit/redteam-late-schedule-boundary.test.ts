// A scheduled poster's scans at the exact instants its window opens and closes (the clock passed
// in): a millisecond early is a refused `not_started` scan, the opening instant is live, the last
// millisecond is live, the closing instant is a refused `ended` scan, and the rollups fold each
// refused one under its own reason. A person's scan only: a previewer at the same instants is
// refused as a bot and no refused scan.
import { describe, expect, it } from "vitest";
import { classifyDevice } from "../../src/core/device";
import { rollupDeltas } from "../../src/core/rollup";
import { needsVisit, posterScan, type ScanPosterFacts } from "../../src/core/scan";
import { buildHop } from "../../src/store/hops";

const FROM = Date.UTC(2026, 11, 24, 9, 0, 0);
const UNTIL = Date.UTC(2026, 11, 26, 0, 0, 0);
const POSTER: ScanPosterFacts = {
  id: "7K2M9Q",
  path: "/xmas",
  store_id: "st_1",
  store_name: "Shibuya",
  campaign_id: "cm_xmas",
  status: "active",
  active_from: FROM,
  active_until: UNTIL,
  created_at: FROM - 86_400_000,
};
const PHONE = classifyDevice(
  new Headers({
    "user-agent":
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  }),
);
const SLACK = classifyDevice(new Headers({ "user-agent": "Slackbot-LinkExpanding 1.0" }));

/** The outcome of a scan at `now` that is refused, with its hop as the rollups count it. */
function refusedAt(now: number, device = PHONE) {
  const human = device.isHuman;
  expect(needsVisit(POSTER, human, now)).toBe(false);
  const outcome = posterScan({
    check: { ok: true, id: POSTER.id },
    poster: POSTER,
    now,
    device,
    human,
    link: "https://qr.test/p/7K2M9QQX4AB",
    visit: null,
  });
  const rows = outcome.hops.map((h) => buildHop({ kind: "poster", ...h }, null, now));
  const counts = rollupDeltas(rows)[0]!.counts;
  const refused = Object.keys(counts).filter((k) => k.startsWith("refused:") && !k.includes("@"));
  return { status: outcome.page === "message" ? outcome.status : 200, refused };
}

describe("a scheduled poster at its window's exact instants", () => {
  it("a millisecond before the start is refused as not_started", () => {
    expect(refusedAt(FROM - 1)).toEqual({ status: 410, refused: ["refused:not_started"] });
  });

  it("the start instant and the window's last millisecond are live", () => {
    expect(needsVisit(POSTER, true, FROM)).toBe(true);
    expect(needsVisit(POSTER, true, UNTIL - 1)).toBe(true);
  });

  it("the end instant is refused as ended, and so is every later one", () => {
    expect(refusedAt(UNTIL)).toEqual({ status: 410, refused: ["refused:ended"] });
    expect(refusedAt(UNTIL + 365 * 86_400_000)).toEqual({
      status: 410,
      refused: ["refused:ended"],
    });
  });

  it("a previewer at the same instants is refused but counts no refused scan", () => {
    expect(refusedAt(FROM - 1, SLACK)).toEqual({ status: 410, refused: [] });
    expect(refusedAt(UNTIL, SLACK)).toEqual({ status: 410, refused: [] });
  });

  it("a pause wins over the window: refused as paused even inside it", () => {
    const paused = { ...POSTER, status: "paused" as const };
    const outcome = posterScan({
      check: { ok: true, id: POSTER.id },
      poster: paused,
      now: FROM,
      device: PHONE,
      human: true,
      link: "https://qr.test/p/7K2M9QQX4AB",
      visit: null,
    });
    expect(outcome.hops.map((h) => h.detail)).toEqual([{ reason: "paused" }]);
  });
});
