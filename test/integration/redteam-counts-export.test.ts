// Red team, the raw export (`GET /v1/hops`, on fresh storage: it pages through every archived
// hop of its days). While a client pages with a cursor, new batches are counted, some of them
// stay in D1 (R2 refused their write) and the cron moves them to R2 and runs retention: every
// hop that was there when the export started comes exactly once. Forged and tampered cursors
// are a 400.
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config";
import type { HopRow } from "../../src/core/hop-row";
import { exportResponse } from "../../src/routes/hops-export";
import { encodeHopCursor } from "../../src/store/hop-export";
import { runMaintenance } from "../../src/store/maintenance";
import { call, mintKey } from "./helpers";
import { hopMessages, hopRow, runQueue, scalar, testEnv } from "./hop-helpers";

const DAY = "2024-06-10";
const START = Date.parse(`${DAY}T00:00:00Z`);

async function config(hopRetentionDays?: number) {
  const e = testEnv as unknown as Record<string, string>;
  return resolveConfig({
    adminKey: e.QB_ADMIN_KEY,
    signingKeys: e.QB_SIGNING_KEYS,
    hopRetentionDays,
  });
}
/** The cron, once pending rows are past their grace and with retention far back. */
const cronNow = async () => runMaintenance(testEnv, await config(3650), Date.now() + 600_000);

/** Scans spread over the first `hours` hours of the day. */
function scans(n: number, hours: number, label: string): HopRow[] {
  return Array.from({ length: n }, (_, i) =>
    hopRow(
      { hop: "scanned", subject_id: `${label}-${i}`, store_id: "st_rt_export" },
      START + (i % hours) * 3_600_000 + i * 1000,
      `${label}-${i}`,
    ),
  );
}

/** Count rows through the consumer, 10 messages a batch (many archive objects). */
async function ingest(rows: HopRow[], env = testEnv) {
  const messages = hopMessages(rows);
  for (let i = 0; i < messages.length; i += 10)
    await runQueue("qrbridge-hops", messages.slice(i, i + 10), env);
}

/** An R2 binding whose writes fail (the consumer then leaves its rows in D1). */
const failingPuts = (bucket: R2Bucket) =>
  new Proxy(bucket, {
    get(target, prop) {
      if (prop === "put") return () => Promise.reject(new Error("R2 unavailable"));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });

describe("redteam: the export cursor", () => {
  it("pages through R2 and D1's pending rows while hops arrive and the cron runs: each hop once", async () => {
    const key = await mintKey("secret", ["stats:read"]);
    const first = scans(60, 4, "a");
    await ingest(first.slice(0, 40));
    await ingest(first.slice(40), { ...testEnv, HOP_ARCHIVE: failingPuts(testEnv.HOP_ARCHIVE!) });
    expect(await scalar("SELECT COUNT(*) FROM hop_raw_pending")).toBeGreaterThan(0);
    const seen: string[] = [];
    let cursor: string | null = "";
    for (let page = 0; cursor !== null; page++) {
      const res = await call(
        `/v1/hops?from=${DAY}&to=${DAY}&limit=7${cursor ? `&cursor=${cursor}` : ""}`,
        { key },
      );
      expect(res.status).toBe(200);
      for (const line of (await res.text()).split("\n"))
        if (line) seen.push((JSON.parse(line) as HopRow).event_id);
      cursor = res.headers.get("x-next-cursor");
      if (page === 2) {
        // More hops for the later hours, then the cron: pending rows go to R2; then retention
        // as it runs on the last day the export's day is kept (90 days later).
        await ingest(scans(20, 6, "b").filter((r) => r.at >= START + 4 * 3_600_000));
        await cronNow();
        expect(await scalar("SELECT COUNT(*) FROM hop_raw_pending")).toBe(0);
        const kept = await runMaintenance(
          testEnv,
          await config(),
          Date.parse("2024-09-08T23:17:00Z"),
        );
        expect(kept.archiveDaysDeleted).toBe(0);
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const r of first) expect(seen).toContain(r.event_id);
    expect(seen.length).toBe(60 + 6);
  });

  it("an object read in the moment R2 got it and D1 let go of it is still exported", async () => {
    const rows = scans(5, 1, "c");
    await ingest(rows, { ...testEnv, HOP_ARCHIVE: failingPuts(testEnv.HOP_ARCHIVE!) });
    const bucket = testEnv.HOP_ARCHIVE!;
    // The reader's first look at R2 comes just before the cron writes the object and deletes
    // its pending rows.
    let raced = false;
    const racing = new Proxy(bucket, {
      get(target, prop) {
        if (prop === "get")
          return async (k: string) => {
            if (!raced && k.startsWith("hops/")) {
              raced = true;
              await cronNow();
              return null;
            }
            return target.get(k);
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const res = await exportResponse(
      { ...testEnv, HOP_ARCHIVE: racing },
      { from: DAY, to: DAY, subject_id: "c-0", limit: 10_000 },
      new URL(`https://qr.test/v1/hops`),
    );
    const text = await res.text();
    expect(raced).toBe(true);
    expect(
      text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l).event_id),
    ).toEqual([rows[0]!.event_id]);
  });

  it("forged and tampered cursors are a 400 with a JSON error, never a 500 or rows outside the range", async () => {
    const key = await mintKey("secret", ["stats:read"]);
    const b64 = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const cursors = [
      "not-a-cursor",
      "%00",
      "A".repeat(400),
      "A".repeat(401),
      b64("2024-06-10T00|../../etc/passwd|0"),
      b64("2024-06-10T00|hops/x|-1"),
      b64("2024-06-10T00|hops/x|99999999999"),
      b64("2024-06-10T00|hops/x|1e9"),
      b64(`2024-06-10T00|hops/${"x".repeat(300)}|0`),
      b64("2024-06-10T00|hops/x|0|extra"),
      // Well-formed, but outside the query's days: it would page the whole archive.
      encodeHopCursor({ hour: "2020-01-01T00", key: "hops/dt=2020-01-01/x", offset: 0 }),
      encodeHopCursor({ hour: "2024-06-11T00", key: "hops/dt=2024-06-11/x", offset: 0 }),
    ];
    for (const cursor of cursors) {
      const res = await call(
        `/v1/hops?from=${DAY}&to=${DAY}&cursor=${encodeURIComponent(cursor)}`,
        { key },
      );
      expect(res.status, cursor).toBe(400);
      const body = (await res.json()) as { error: string };
      expect(body.error, cursor).toBe("validation_failed");
    }
    // A cursor of the query's own days, at an object that does not exist, is simply a position.
    const ok = await call(
      `/v1/hops?from=${DAY}&to=${DAY}&cursor=${encodeHopCursor({ hour: `${DAY}T23`, key: "hops/zzz", offset: 3 })}`,
      { key },
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("");
  });
});
