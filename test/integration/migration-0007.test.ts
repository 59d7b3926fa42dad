// Migration 0007 on data written by earlier versions: this file puts its database back in the
// shape 0006 left (raw hops in D1, counted by a trigger into hop_daily / hop_daily_uniques),
// writes hops that way, runs 0007 again, and reads the funnel through the API. (Each test file
// has a database of its own.)
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config";
import { addDelay, histogramMedian } from "../../src/core/delay-histogram";
import { runMaintenance } from "../../src/store/maintenance";
import type { FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { archivedHops, fakeIpHash, scalar, testEnv } from "./hop-helpers";

const migrations = (env as unknown as { TEST_MIGRATIONS: { name: string; queries: string[] }[] })
  .TEST_MIGRATIONS;
const queriesOf = (prefix: string) => migrations.find((m) => m.name.startsWith(prefix))!.queries;
const DAY = "2025-05-05";
const t = Date.parse(`${DAY}T10:00:00Z`);

async function run(queries: string[]) {
  const db = testEnv.DB;
  await db.batch(queries.map((q) => db.prepare(q)));
}

/** A hop row as the earlier writer inserted it. */
function legacy(n: number, hop: string, extra: Record<string, unknown> = {}) {
  const row = {
    event_id: `legacy-${n}`,
    at: t + n * 1000,
    day: DAY,
    kind: "poster",
    subject_id: "LP1",
    hop,
    store_id: "st_old",
    poster_id: "LP1",
    session_id: `s${n}`,
    platform: "ios",
    in_app: null,
    ip_hash: null,
    bot: 0,
    detail: null,
    ...extra,
  };
  const columns = Object.keys(row);
  return testEnv.DB.prepare(
    `INSERT INTO hops (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  ).bind(...Object.values(row));
}

let key: string;
beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  // Back to the schema of 0006.
  await run([
    ...["hop_rollups", "hop_rollups_total", "hop_rollups_month", "hop_compacted", "hop_batches"]
      .concat(["hop_objects", "hop_raw_pending", "hop_salts", "hop_once_weeks"])
      .concat(["hop_once_0", "hop_once_1", "hop_once_2"])
      .map((table) => `DROP TABLE ${table}`),
    "ALTER TABLE legacy_hops RENAME TO hops",
    ...queriesOf("0002").filter((q) => /CREATE INDEX hops_(subject|day_hop) /.test(q)),
    ...queriesOf("0004").filter((q) => /CREATE (TABLE hop_daily|INDEX hops_session)/.test(q)),
    ...queriesOf("0006").filter((q) => q.includes("CREATE TRIGGER")),
  ]);
  // Two people scan on iOS (one of them in WeChat), both land, one opens the app 2 s later
  // and converts; a bot previews.
  const ip1 = fakeIpHash("203.0.113.1");
  const ip2 = fakeIpHash("203.0.113.2");
  await testEnv.DB.batch([
    legacy(1, "scanned", { ip_hash: ip1, detail: '{"via":"page"}' }),
    legacy(2, "scanned", { ip_hash: ip2, in_app: "wechat", detail: '{"via":"page"}' }),
    legacy(3, "landing", { session_id: "s1" }),
    legacy(4, "landing", { session_id: "s2", in_app: "wechat" }),
    legacy(3, "app_open", { event_id: "ev_legacy_open", at: t + 1000 + 2000, session_id: "s1" }),
    legacy(5, "converted", { event_id: "ev_legacy_conv", session_id: "s1" }),
    legacy(6, "previewed", { bot: 1, session_id: null, platform: "other" }),
  ]);
  expect(await scalar("SELECT SUM(count) FROM hop_daily")).toBe(7);
  await run(queriesOf("0007"));
  // And the later migration that adds columns to the tables 0007 made (compact sketches).
  await run(queriesOf("0012"));
});

async function funnel(query: string): Promise<FunnelResult> {
  const res = await call(`/v1/stats/funnel?from=${DAY}&to=${DAY}&${query}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FunnelResult;
}

describe("migration 0007 on data of earlier versions", () => {
  it("rebuilds the rollups, sketches and delays from what was there", async () => {
    const byStore = await funnel("group_by=store");
    expect(
      byStore.rows.map((r) => [r.group, r.scanned, r.landing, r.app_open, r.converted]),
    ).toEqual([["st_old", 2, 2, 1, 1]]);
    expect(byStore.totals.unique_scanners).toBe(2);
    const median = byStore.totals.median_scan_to_app_open_ms!;
    // The app opened 2 s after the landing scan: the median of a histogram holding that delay.
    expect(median).toBe(histogramMedian(addDelay({}, 2000)));
    const byInApp = Object.fromEntries(
      (await funnel("group_by=in_app")).rows.map((r) => [r.group, r]),
    );
    expect([byInApp.wechat!.scanned, byInApp.wechat!.unique_scanners]).toEqual([1, 1]);
    expect((await funnel("group_by=day")).rows[0]!.scanned).toBe(2);
    expect(
      await scalar(
        "SELECT (SELECT COUNT(*) FROM hop_once_0) + (SELECT COUNT(*) FROM hop_once_1) + (SELECT COUNT(*) FROM hop_once_2)",
      ),
    ).toBe(2);
  });

  it("keeps counted app events counted once, and moves the raw hops to R2", async () => {
    const e = testEnv as unknown as Record<string, string>;
    const config = await resolveConfig({
      adminKey: e.QB_ADMIN_KEY,
      signingKeys: e.QB_SIGNING_KEYS,
      hopRetentionDays: 3650,
    });
    const report = await runMaintenance(testEnv, config, t + 2 * 86_400_000);
    expect(report.legacyMoved).toBe(7);
    expect(await scalar("SELECT COUNT(*) FROM legacy_hops")).toBe(0);
    expect(await archivedHops({ day: DAY })).toHaveLength(7);
    expect((await funnel("group_by=store")).totals.scanned).toBe(2);
  });
});
