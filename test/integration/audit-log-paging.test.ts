// The audit log's reading and upkeep: a deep page reads about a page of rows (keyset paging on
// (at, id) over an index), retention deletes only rows past it, in bounded chunks; and a key's
// last use is written once an hour however many requests use it.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import {
  AUDIT_DELETE_CHUNK,
  AUDIT_DELETE_CHUNKS_PER_RUN,
  deleteOldAudit,
  listAuditLog,
} from "../../src/store/audit-log";
import { runMaintenance } from "../../src/store/maintenance";
import { mintKeyWithId, send } from "./audit-helpers";
import { session } from "./console-helpers";
import { ADMIN_KEY, atClock, call } from "./helpers";
import { testConfig } from "./hop-helpers";

const DAY = 86_400_000;
const db = env.DB;
// Fixed instants, so nothing here depends on when it runs: what each test asserts is rows,
// and the retention run's `now` is a parameter (before the rows other files write today).
const SEEDED = Date.parse("2026-05-31T00:00:00Z");
const RETENTION_NOW = Date.parse("2026-06-02T00:00:00Z");

/** Insert `n` rows about one subject, `at` from `start` one ms apart (two rows share each ms). */
async function seed(subject: string, n: number, start: number, actor = "key_seed") {
  const rows = Array.from({ length: n }, (_, i) => ({ at: start + Math.floor(i / 2) }));
  await db
    .prepare(
      "INSERT INTO audit_log (at, actor, via, action, subject_type, subject_id, changes) SELECT json_extract(value, '$.at'), ?, 'api', 'poster.update', 'poster', ?, '{}' FROM json_each(?)",
    )
    .bind(actor, subject, JSON.stringify(rows))
    .run();
}

describe("paging", () => {
  it("walks every row once, newest first, and a deep page reads O(page) rows", async () => {
    const subject = "PG_paging";
    await seed(subject, 1000, SEEDED);
    // Other subjects' rows in between: the subject filter must not read them.
    await seed(`${subject}x`, 500, SEEDED);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `subject_type=poster&subject_id=${subject}&limit=200${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await send("GET", `/v1/audit-log?${q}`, ADMIN_KEY);
      expect(page.status).toBe(200);
      const entries = page.body.entries as { id: number; at: number }[];
      seen.push(...entries.map((e) => e.id));
      cursor = page.body.next_cursor as string | null;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(1000);
    expect(seen).toEqual([...seen].sort((a, b) => b - a)); // ids grow with at here
    // The last page, reached by its cursor: rows read stay near the page size.
    const first = await listAuditLog(db, {
      subject_type: "poster",
      subject_id: subject,
      limit: 50,
    });
    expect(first.rows_read).toBeLessThanOrEqual(51 + 2);
    const tail = (await db
      .prepare(
        "SELECT at, id FROM audit_log WHERE subject_type = 'poster' AND subject_id = ? ORDER BY at, id LIMIT 1 OFFSET 60",
      )
      .bind(subject)
      .first<{ at: number; id: number }>())!;
    const deep = await listAuditLog(db, {
      subject_type: "poster",
      subject_id: subject,
      cursor: tail,
      limit: 50,
    });
    expect(deep.items).toHaveLength(50);
    expect(deep.rows_read).toBeLessThanOrEqual(51 + 2);
    // Unfiltered, by time: the same.
    // (The other subject's rows share the cursor's milliseconds: a few more rows are looked at.)
    const all = await listAuditLog(db, { cursor: tail, limit: 50 });
    expect(all.items).toHaveLength(50);
    expect(all.rows_read).toBeLessThanOrEqual(51 + 8);
    const byActor = await listAuditLog(db, { actor: "key_seed", cursor: tail, limit: 50 });
    expect(byActor.rows_read).toBeLessThanOrEqual(51 + 8);
  });
});

describe("retention", () => {
  it("the hourly cron deletes only rows older than QB_AUDIT_RETENTION_DAYS", async () => {
    const now = RETENTION_NOW;
    const subject = "RT_retention";
    const config = await testConfig();
    expect(config.auditRetentionDays).toBe(400);
    const cutoff = now - 400 * DAY;
    await seed(subject, 4, cutoff - 10); // at cutoff-10 .. cutoff-9: past retention
    await seed(subject, 2, cutoff); // exactly at the cutoff: kept
    await seed(subject, 2, now - DAY);
    const report = await runMaintenance(env as never, config, now);
    expect(report.auditDeleted).toBe(4);
    const { results } = await db
      .prepare("SELECT at FROM audit_log WHERE subject_id = ? ORDER BY at")
      .bind(subject)
      .all<{ at: number }>();
    expect(results.map((r) => r.at)).toEqual([cutoff, cutoff, now - DAY, now - DAY]);
  });

  it("deletes in bounded chunks: the rest waits for the next run", async () => {
    const subject = "RB_chunks";
    const cap = AUDIT_DELETE_CHUNK * AUDIT_DELETE_CHUNKS_PER_RUN;
    const old = Date.parse("2001-01-01T00:00:00Z");
    await seed(subject, cap + 7, old);
    expect(await deleteOldAudit(db, old + DAY)).toBe(cap);
    expect(await deleteOldAudit(db, old + DAY)).toBe(7);
    expect(await deleteOldAudit(db, old + DAY)).toBe(0);
  });
});

describe("api_keys.last_used_at", () => {
  it("is written once under 20 concurrent requests, then not again within the hour", async () => {
    const { key, id } = await mintKeyWithId(["posters:write"]);
    const trigger = `count_touch_${id}`;
    await db.batch([
      db.prepare(`CREATE TABLE IF NOT EXISTS test_key_touches (id TEXT, at INTEGER)`),
      db.prepare(
        `CREATE TRIGGER ${trigger} AFTER UPDATE OF last_used_at ON api_keys WHEN NEW.id = '${id}' BEGIN INSERT INTO test_key_touches VALUES (NEW.id, NEW.last_used_at); END`,
      ),
    ]);
    const touches = async () =>
      (
        await db
          .prepare("SELECT at FROM test_key_touches WHERE id = ? ORDER BY at")
          .bind(id)
          .all<{ at: number }>()
      ).results.map((r) => r.at);
    const lastUsed = async () =>
      (await send("GET", "/v1/keys", ADMIN_KEY)).body.keys as {
        id: string;
        last_used_at: number;
      }[];
    const use = () => call("/v1/keys", { key }); // 403: not the admin key, still a use
    const t0 = Date.parse("2031-03-01T10:00:00Z");
    try {
      expect((await lastUsed()).find((k) => k.id === id)!.last_used_at).toBeNull();
      await atClock(t0, async () => {
        const res = await Promise.all(
          Array.from({ length: 20 }, () => call("/v1/stores", { key })),
        );
        expect(res.every((r) => r.status === 200)).toBe(true);
      });
      // The writes ran in waitUntil; a later request in this isolate sees the cache at t0.
      await atClock(t0 + 31_000, use); // the isolate's cache has expired: re-read from D1
      await atClock(t0 + 59 * 60_000, use);
      await vi.waitFor(async () => expect(await touches()).toEqual([t0]));
      await atClock(t0 + 61 * 60_000, async () => {
        await Promise.all(Array.from({ length: 20 }, use));
      });
      // The writes run in waitUntil, after the answers: wait for them.
      await vi.waitFor(async () => expect(await touches()).toEqual([t0, t0 + 61 * 60_000]));
      expect((await lastUsed()).find((k) => k.id === id)!.last_used_at).toBe(t0 + 61 * 60_000);
    } finally {
      await db.prepare(`DROP TRIGGER ${trigger}`).run();
    }
  });

  it("a console sign-in is a use too", async () => {
    const { key, id } = await mintKeyWithId(["stats:read"]);
    const read = () =>
      db
        .prepare("SELECT last_used_at FROM api_keys WHERE id = ?")
        .bind(id)
        .first<number>("last_used_at");
    expect(await read()).toBeNull();
    const t0 = Date.parse("2031-04-01T08:00:00Z");
    await atClock(t0, () => session(key));
    await vi.waitFor(async () => expect(await read()).toBe(t0));
  });
});
