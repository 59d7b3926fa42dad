import {
  createExecutionContext,
  createMessageBatch,
  waitOnExecutionContext,
} from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config";
import { HOP_COLUMNS } from "../../src/core/hop-row";
import worker from "../../src/index";
import { readArchiveObject } from "../../src/store/hop-archive";
import { runMaintenance } from "../../src/store/maintenance";
import { call, mintKey } from "./helpers";
import {
  type ArchivedHop,
  hopMessages,
  hopRow,
  ingestViaQueue,
  rolledUp,
  runQueue,
  scalar,
  testEnv,
} from "./hop-helpers";

const DAY = "2023-02-01";
const t0 = Date.parse(`${DAY}T10:00:00Z`);
let key: string;

/** `n` scans of poster P1 (and every fifth of P2), from 10:00 on, a second apart. */
function scans(n: number, from = t0) {
  return Array.from({ length: n }, (_, i) => {
    const poster = i % 5 === 4 ? "P2" : "P1";
    return hopRow(
      { subject_id: poster, poster_id: poster, hop: "scanned", platform: "ios" },
      from + i * 1000,
    );
  });
}

/** Every row of an export, following the cursor; with the pages' sizes. */
async function exportAll(query: string): Promise<{ rows: ArchivedHop[]; pages: number[] }> {
  const rows: ArchivedHop[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await call(`/v1/hops?${query}${cursor ? `&cursor=${cursor}` : ""}`, {
      key,
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split("\n").filter(Boolean);
    pages.push(lines.length);
    rows.push(...lines.map((l) => JSON.parse(l) as ArchivedHop));
    cursor = res.headers.get("x-next-cursor");
  } while (cursor && pages.length < 500);
  return { rows, pages };
}

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  // 250 scans in batches of 100 messages: 3 batches → 3 objects in hour 10 of DAY.
  await ingestViaQueue(scans(250));
});

describe("the R2 archive", () => {
  it("holds every counted hop once, as gzip NDJSON partitioned by day and hour", async () => {
    const listed = await testEnv.HOP_ARCHIVE!.list({ prefix: `hops/dt=${DAY}/` });
    expect(listed.objects.map((o) => o.key.replace(/[^/]+$/, ""))).toEqual(
      Array(3).fill(`hops/dt=${DAY}/hr=10/`),
    );
    const rows = (
      await Promise.all(listed.objects.map((o) => readArchiveObject(testEnv.HOP_ARCHIVE!, o.key)))
    ).flat();
    expect(rows).toHaveLength(250);
    expect(Object.keys(rows[0]!)).toEqual([...HOP_COLUMNS]);
    expect(await scalar("SELECT COUNT(*) FROM hop_raw_pending")).toBe(0);
  });

  it("GET /v1/hops pages through it with a cursor: every row exactly once, in archive order", async () => {
    const { rows, pages } = await exportAll(`from=${DAY}&to=${DAY}&limit=40`);
    expect(pages).toEqual([40, 40, 40, 40, 40, 40, 10]);
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(250);
    // Within a batch's object rows keep the order they were recorded in.
    expect(rows.slice(0, 100).map((r) => r.at)).toEqual(
      [...rows.slice(0, 100).map((r) => r.at)].sort((a, b) => a - b),
    );
  });

  it("filters within each page; a filtered page may be short, and the cursor goes on", async () => {
    const { rows } = await exportAll(`from=${DAY}&to=${DAY}&limit=40&poster_id=P2`);
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.poster_id === "P2")).toBe(true);
    expect((await exportAll(`from=${DAY}&to=${DAY}&hop=landing`)).rows).toHaveLength(0);
    expect((await exportAll(`from=${DAY}&to=${DAY}&subject_id=P1&kind=poster`)).rows).toHaveLength(
      200,
    );
  });

  it("exports CSV with a header and the same rows", async () => {
    const res = await call(`/v1/hops?from=${DAY}&to=${DAY}&format=csv&limit=1000`, { key });
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("x-next-cursor")).toBeNull();
    const lines = (await res.text()).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(HOP_COLUMNS.join(","));
    expect(lines).toHaveLength(251);
  });

  it("refuses a forged cursor and a bad format; needs stats:read", async () => {
    const bad = await call(`/v1/hops?cursor=not-a-cursor`, { key });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^cursor/);
    expect((await call(`/v1/hops?format=xml`, { key })).status).toBe(400);
    expect((await call(`/v1/hops`)).status).toBe(401);
  });

  it("a page deep in the log reads as few D1 rows as the first page", async () => {
    // 120 more objects (10 rows each) on the next day.
    const next = Date.parse("2023-02-02T10:00:00Z");
    for (let i = 0; i < 120; i++)
      await runQueue("qrbridge-hops", hopMessages(scans(10, next + i * 10_000)));
    let rowsRead = 0;
    const db = new Proxy(testEnv.DB, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (prop !== "prepare") return typeof value === "function" ? value.bind(target) : value;
        return (sql: string) => {
          const count = (stmt: D1PreparedStatement): D1PreparedStatement =>
            new Proxy(stmt, {
              get(s, p) {
                const v = Reflect.get(s, p);
                if (p === "bind") return (...args: unknown[]) => count(v.apply(s, args));
                if (p === "all" || p === "first" || p === "run")
                  return async (...args: unknown[]) => {
                    const r = await v.apply(s, args);
                    rowsRead += (r as D1Result).meta?.rows_read ?? 0;
                    return r;
                  };
                return typeof v === "function" ? v.bind(s) : v;
              },
            });
          return count(target.prepare(sql));
        };
      },
    });
    const page = async (cursor: string | null) => {
      rowsRead = 0;
      const ctx = createExecutionContext();
      const url = `https://qr.test/v1/hops?from=2023-02-02&to=2023-02-02&limit=20${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await worker.fetch(
        new Request(url, { headers: { authorization: `Bearer ${key}` } }),
        { ...testEnv, DB: db },
        ctx,
      );
      await res.text();
      await waitOnExecutionContext(ctx);
      return { read: rowsRead, next: res.headers.get("x-next-cursor") };
    };
    const first = await page(null);
    let deep = first;
    for (let i = 0; i < 50; i++) deep = await page(deep.next); // page 51 of 60
    expect(deep.next).not.toBeNull();
    // A seek by (hour, key), then at most limit + 1 index rows: never from the start.
    expect(deep.read).toBeLessThanOrEqual(first.read + 2);
    expect(deep.read).toBeLessThanOrEqual(22);
  });
});

describe("retention", () => {
  it("deletes whole days of raw hops past QB_HOP_RETENTION_DAYS and keeps the rollups", async () => {
    const e = testEnv as unknown as Record<string, string>;
    const config = await resolveConfig({
      adminKey: e.QB_ADMIN_KEY,
      signingKeys: e.QB_SIGNING_KEYS,
      hopRetentionDays: 30,
    });
    const now = Date.parse("2023-03-04T12:00:00Z"); // DAY is past 30 days; 2023-02-02 is kept
    const before = await rolledUp("scanned", "day = ?", DAY);
    expect(before).toBe(250);
    const report = await runMaintenance(testEnv, config, now);
    expect(report.archiveDaysDeleted).toBe(1);
    expect((await testEnv.HOP_ARCHIVE!.list({ prefix: `hops/dt=${DAY}/` })).objects).toHaveLength(
      0,
    );
    expect(
      (await testEnv.HOP_ARCHIVE!.list({ prefix: "hops/dt=2023-02-02/" })).objects.length,
    ).toBe(120);
    expect(await scalar("SELECT COUNT(*) FROM hop_objects WHERE hour LIKE ?", `${DAY}%`)).toBe(0);
    expect(await rolledUp("scanned", "day = ?", DAY)).toBe(250);
  });

  it("archives raw hops a crash left pending, and the export serves them meanwhile", async () => {
    // The start of the last hour: within retention, and its three rows on one day.
    const at = Math.floor(Date.now() / 3_600_000 - 1) * 3_600_000;
    const day = new Date(at).toISOString().slice(0, 10);
    const rows = scans(3, at);
    const noArchive = {
      ...testEnv,
      HOP_ARCHIVE: {
        put: async () => {
          throw new Error("R2 down");
        },
      } as unknown as R2Bucket,
    };
    const ctx = createExecutionContext();
    await worker.queue(createMessageBatch("qrbridge-hops", hopMessages(rows)), noArchive, ctx);
    await waitOnExecutionContext(ctx);
    expect(await scalar("SELECT COUNT(*) FROM hop_raw_pending")).toBe(1);
    expect((await exportAll(`from=${day}&to=${day}`)).rows).toHaveLength(3);
    const e = testEnv as unknown as Record<string, string>;
    const config = await resolveConfig({
      adminKey: e.QB_ADMIN_KEY,
      signingKeys: e.QB_SIGNING_KEYS,
    });
    // The consumer may still be on it for a moment; the cron takes what is over 5 minutes old.
    expect((await runMaintenance(testEnv, config, Date.now())).pendingArchived).toBe(0);
    const report = await runMaintenance(testEnv, config, Date.now() + 6 * 60_000);
    expect(report.pendingArchived).toBe(1);
    expect(await scalar("SELECT COUNT(*) FROM hop_raw_pending")).toBe(0);
    expect((await exportAll(`from=${day}&to=${day}`)).rows).toHaveLength(3);
  });
});
