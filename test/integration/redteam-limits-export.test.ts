// Red team, the raw export's calls per invocation. A quiet deployment archives an object every few
// seconds (one per queue batch and hour) with a row or two in it; a page bounded by rows alone
// then read one R2 object per row: 10,000 reads for `GET /v1/hops?limit=10000` and 100,000 for
// the dashboard's CSV, past the calls one invocation may make (1,000 on most plans, 10,000 on
// Workers Paid), so the download broke part-way every time. Each page now reads at most
// MAX_EXPORT_OBJECTS objects, and the cursor still gives every row exactly once.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import type { Env } from "../../src/env";
import { exportResponse } from "../../src/routes/hops-export";
import { DASHBOARD_CSV_ROWS, MAX_EXPORT_OBJECTS } from "../../src/routes/response-limits";
import { archiveKey, putArchiveObject, toNdjson } from "../../src/store/hop-archive";
import { call, mintKey } from "./helpers";
import { hopRow, testEnv } from "./hop-helpers";

// On fresh storage (vitest.config.ts): its ~950 archive objects would slow every other file that
// reads the whole archive (test/integration/hop-helpers.ts archivedHops).
const DAY = "2023-02-14";
const START = Date.parse(`${DAY}T00:00:00Z`);
const OBJECTS = 2 * MAX_EXPORT_OBJECTS + 150;
const PENDING = 30;

/**
 * `OBJECTS` archive objects of one row each, one every 5 s as a quiet day's consumer writes
 * them; the last `PENDING` still in D1 (R2 refused their write and the cron has not run yet).
 */
async function seedQuietDay(): Promise<HopRow[]> {
  const rows = Array.from({ length: OBJECTS }, (_, i) =>
    hopRow({ hop: "scanned", store_id: "st_rt_limits_export" }, START + i * 5_000),
  );
  const statements: D1PreparedStatement[] = [];
  await Promise.all(
    rows.map(async (row, i) => {
      const hour = new Date(row.at).toISOString().slice(0, 13);
      const key = archiveKey(
        hour as Parameters<typeof archiveKey>[0],
        `rtlimits${String(i).padStart(5, "0")}`,
      );
      const ndjson = toNdjson([row]);
      statements.push(
        testEnv.DB.prepare(
          "INSERT OR REPLACE INTO hop_objects (hour, key, rows, created_at) VALUES (?, ?, 1, ?)",
        ).bind(hour, key, row.at),
      );
      if (i >= OBJECTS - PENDING)
        statements.push(
          testEnv.DB.prepare(
            "INSERT OR REPLACE INTO hop_raw_pending (key, body, created_at) VALUES (?, ?, ?)",
          ).bind(key, ndjson, row.at),
        );
      else await putArchiveObject(testEnv.HOP_ARCHIVE!, key, ndjson);
    }),
  );
  await testEnv.DB.batch(statements);
  return rows;
}

/** The test env with its R2 and D1 calls counted (each one a call of the invocation). */
function countedEnv() {
  const calls = { r2: 0, d1: 0 };
  const counted = <T extends object>(target: T, method: string, kind: keyof typeof calls): T =>
    new Proxy(target, {
      get(t, prop) {
        const value = Reflect.get(t, prop);
        if (prop === method && typeof value === "function")
          return (...args: unknown[]) => {
            calls[kind]++;
            return value.apply(t, args);
          };
        return typeof value === "function" ? value.bind(t) : value;
      },
    });
  const env: Env = {
    ...testEnv,
    HOP_ARCHIVE: counted(testEnv.HOP_ARCHIVE!, "get", "r2"),
    // Every statement of the export is run once: a prepare is a query.
    DB: counted(testEnv.DB, "prepare", "d1"),
  };
  return { env, calls };
}

/** Every page of the day through `exportResponse`, with each page's calls. */
async function pages(limit: number, format: "ndjson" | "csv") {
  const ids: string[] = [];
  const perPage: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < OBJECTS; page++) {
    const { env, calls } = countedEnv();
    const res = await exportResponse(
      env,
      { from: DAY, to: DAY, store_id: "st_rt_limits_export", limit, format, cursor },
      new URL("https://qr.test/v1/hops"),
    );
    const lines = (await res.text()).split("\n").filter(Boolean);
    if (format === "csv") {
      const idColumn = lines[0]!.split(",").indexOf("event_id");
      for (const line of lines.slice(1)) ids.push(line.split(",")[idColumn]!);
    } else for (const line of lines) ids.push((JSON.parse(line) as HopRow).event_id);
    perPage.push(calls.r2 + calls.d1);
    cursor = res.headers.get("x-next-cursor") ?? undefined;
    if (!cursor) break;
  }
  return { ids, perPage };
}

describe("redteam: an export page's calls are bounded, whatever the rows per object", () => {
  it("GET /v1/hops?limit=10000 over one-row objects: each page within the bound, every row once", async () => {
    const rows = await seedQuietDay();
    const { ids, perPage } = await pages(10_000, "ndjson");
    expect(ids).toEqual(rows.map((r) => r.event_id));
    expect(perPage.length).toBe(Math.ceil(OBJECTS / MAX_EXPORT_OBJECTS));
    // One index query, then one R2 read per object; a pending object one more D1 read.
    for (const n of perPage) expect(n).toBeLessThanOrEqual(1 + MAX_EXPORT_OBJECTS + PENDING);
    expect(Math.max(...perPage)).toBeGreaterThanOrEqual(MAX_EXPORT_OBJECTS);
  });

  it("the dashboard's CSV (up to 100,000 rows) stops at the bound too and says where to go on", async () => {
    const rows = await seedQuietDay();
    const { ids, perPage } = await pages(DASHBOARD_CSV_ROWS, "csv");
    expect(ids).toEqual(rows.map((r) => r.event_id));
    for (const n of perPage) expect(n).toBeLessThanOrEqual(1 + MAX_EXPORT_OBJECTS + PENDING);
  });

  it("over HTTP: a page of one-row objects holds the bound's rows and a cursor, the last none", async () => {
    await seedQuietDay();
    const key = await mintKey("secret", ["stats:read"]);
    const path = `/v1/hops?from=${DAY}&to=${DAY}&store_id=st_rt_limits_export&limit=10000`;
    const first = await call(path, { key });
    expect(first.status).toBe(200);
    expect((await first.text()).split("\n").filter(Boolean)).toHaveLength(MAX_EXPORT_OBJECTS);
    const cursor = first.headers.get("x-next-cursor");
    expect(cursor).toBeTruthy();
    let next: string | null = cursor;
    let rows = MAX_EXPORT_OBJECTS;
    while (next) {
      const res = await call(`${path}&cursor=${next}`, { key });
      expect(res.status).toBe(200);
      rows += (await res.text()).split("\n").filter(Boolean).length;
      next = res.headers.get("x-next-cursor");
    }
    expect(rows).toBe(OBJECTS);
  });
});
