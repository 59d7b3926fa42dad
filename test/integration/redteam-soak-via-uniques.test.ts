// Red team, from the soak (bench/soak.mjs): the funnel grouped by `via` (how the app was
// reached) answered every way in with the unique scanners of *every* scan of the rows it came
// from — 77 unique scanners under `install_referrer`, where 3 app opens and no scan came that
// way. A way in counts the scanners whose scan came that way (`page`, `app`), and a way an app
// open comes (`direct`, `install_referrer`, …) has no scanners of its own.
import { describe, expect, it } from "vitest";
import { compactRollups } from "../../src/store/rollup-compaction";
import { posterFunnel, reached, waitForFunnel } from "./funnel-helpers";
import { call } from "./helpers";
import { scalar, testEnv } from "./hop-helpers";
import { IPHONE, makePoster, scan } from "./poster-helpers";

const IOS_APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
const sessionOf = (html: string) => /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;

/** The app of the person at `ip` resolves `body` (a link or an install referrer). */
async function resolveFrom(ip: string, body: Record<string, string>) {
  const res = await call("/v1/resolve", {
    method: "POST",
    json: body,
    headers: { "user-agent": IOS_APP, "cf-connecting-ip": ip },
  });
  expect(res.status).toBe(200);
}

describe("redteam soak: unique scanners by way into the app", () => {
  it("3 page scans opened through the install referrer and 2 straight from the QR: 3 under page, 2 under app, none under the ways app opens came", async () => {
    const p = await makePoster();
    for (const ip of ["198.18.9.1", "198.18.9.2", "198.18.9.3"]) {
      const page = await scan(`/p/${p.code}`, IPHONE, { "cf-connecting-ip": ip });
      expect(page.status).toBe(200);
      await resolveFrom(ip, { referrer: `utm_source=qr&qb_ref=S${sessionOf(await page.text())}` });
    }
    for (const ip of ["198.18.9.4", "198.18.9.5"]) await resolveFrom(ip, { url: p.url });
    await waitForFunnel(p.id, reached({ scanned: 5, landing: 3, app_open: 5 }));

    const f = await posterFunnel(p.id, "via");
    const rows = Object.fromEntries(
      f.rows.map((r) => [r.group, [r.scanned, r.app_open, r.unique_scanners]]),
    );
    expect(rows).toEqual({
      page: [3, 0, 3],
      app: [2, 0, 2],
      install_referrer: [0, 3, 0],
      direct: [0, 2, 0],
    });
    expect(f.totals.unique_scanners).toBe(5);

    // Once the day is finished its sketches are compact and folded into its month: the same.
    await compactRollups(testEnv.DB, new Date().toISOString().slice(0, 10));
    const compact =
      "SELECT COUNT(*) FROM hop_rollups WHERE poster_id = ? AND sketch_dims LIKE '%v:page%'";
    expect(await scalar(compact, p.id)).toBe(1);
    // Rows and totals: the answer's freshness is the deployment's, moved by any other test's batch.
    const after = await posterFunnel(p.id, "via");
    expect({ rows: after.rows, totals: after.totals }).toEqual({ rows: f.rows, totals: f.totals });
  });
});
