import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { ONCE_WEEK_MS, onceSlot } from "../../src/store/hop-rollups";
import { runMaintenance } from "../../src/store/maintenance";
import { ADMIN_KEY, call, mintSecretKey } from "./helpers";
import {
  archivedHops,
  hopMessages,
  hopRow,
  rolledUp,
  runQueue,
  scalar,
  testConfig,
  testEnv,
} from "./hop-helpers";

const DAY = 86_400_000;

describe("the cron trigger", () => {
  it("expires sessions, old deliveries, attempts, dead letters and the bookkeeping of counted hops", async () => {
    const now = Date.parse("2030-06-01T00:17:00Z");
    const nextSlot = onceSlot(now + ONCE_WEEK_MS);
    const db = testEnv.DB;
    await db.batch([
      db
        .prepare(
          "INSERT INTO dashboard_sessions (id_hash, key_id, created_at, expires_at) VALUES ('old-session', 'admin', ?, ?)",
        )
        .bind(now - 2 * DAY, now - DAY),
      db
        .prepare(
          "INSERT INTO dashboard_sessions (id_hash, key_id, created_at, expires_at) VALUES ('live-session', 'admin', ?, ?)",
        )
        .bind(now, now + DAY),
      db
        .prepare(
          "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, attempts, created_at) VALUES ('whd_old', 'whe_x', 'e', 'conversion', '{}', 'delivered', 1, ?)",
        )
        .bind(now - 31 * DAY),
      db
        .prepare("INSERT INTO webhook_attempts VALUES ('whd_old', 1, ?, 200, NULL, 5)")
        .bind(now - 31 * DAY),
      db
        .prepare(
          "INSERT INTO dead_letters (id, queue, type, body, attempts, received_at) VALUES ('dl_old', 'q-dlq', 'hop', '{}', 6, ?)",
        )
        .bind(now - 31 * DAY),
      // Counted batches are remembered a day; once-only events a week at a time.
      db.prepare("INSERT INTO hop_batches VALUES (?, 'b_old', '[]')").bind(now - DAY - 1),
      db.prepare("INSERT INTO hop_batches VALUES (?, 'b_new', '[]')").bind(now - DAY + 60_000),
      db
        .prepare(`INSERT INTO hop_once_${nextSlot} VALUES ('ev_three_weeks_ago', ?)`)
        .bind(now - 15 * DAY),
      db.prepare(`INSERT INTO hop_once_${onceSlot(now)} VALUES ('ev_this_week', ?)`).bind(now),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ scheduledTime: now, cron: "17 * * * *" }),
      testEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(
      await scalar(
        "SELECT COUNT(*) FROM dashboard_sessions WHERE id_hash IN ('old-session', 'live-session')",
      ),
    ).toBe(1);
    expect(await scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE id = 'whd_old'")).toBe(0);
    expect(
      await scalar("SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id = 'whd_old'"),
    ).toBe(0);
    expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE id = 'dl_old'")).toBe(0);
    expect(await scalar("SELECT group_concat(id) FROM hop_batches")).toBe("b_new");
    expect(await scalar(`SELECT COUNT(*) FROM hop_once_${nextSlot}`)).toBe(0);
    expect(await scalar(`SELECT group_concat(event_id) FROM hop_once_${onceSlot(now)}`)).toBe(
      "ev_this_week",
    );
    expect(await scalar("SELECT week FROM hop_once_weeks WHERE slot = ?", nextSlot)).toBe(
      Math.floor(now / ONCE_WEEK_MS) + 1,
    );
  });

  it("moves raw hops of the D1 table of earlier versions to the R2 archive", async () => {
    const db = testEnv.DB;
    const rows = [0, 1, 2].map((i) =>
      hopRow(
        { hop: "scanned", store_id: "st_legacy" },
        Date.parse("2030-05-31T10:00:00Z") + i * 3_600_000,
      ),
    );
    await db.batch(
      rows.map((r) =>
        db
          .prepare(
            "INSERT INTO legacy_hops (event_id, at, day, kind, subject_id, hop, store_id, bot) VALUES (?, ?, ?, 'poster', ?, 'scanned', 'st_legacy', 0)",
          )
          .bind(r.event_id, r.at, r.day, r.subject_id),
      ),
    );
    const report = await runMaintenance(
      testEnv,
      await testConfig(),
      Date.parse("2030-06-01T00:17:00Z"),
    );
    expect(report.legacyMoved).toBe(3);
    expect(await scalar("SELECT COUNT(*) FROM legacy_hops")).toBe(0);
    expect(await scalar("SELECT COUNT(*) FROM hop_objects WHERE hour LIKE '2030-05-31T%'")).toBe(3);
    const moved = await archivedHops({ store_id: "st_legacy" });
    expect(moved.map((r) => r.event_id)).toEqual(rows.map((r) => r.event_id));
  });

  it("re-dispatches deliveries whose enqueue was lost", async () => {
    const now = Date.parse("2030-07-01T00:17:00Z");
    await testEnv.DB.prepare(
      "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, attempts, created_at, next_attempt_at) VALUES ('whd_stuck', 'whe_x', 'e2', 'conversion', '{}', 'pending', 0, ?, ?)",
    )
      .bind(now - 3_600_000, now - 3_600_000)
      .run();
    const sent: unknown[] = [];
    const queue = {
      sendBatch: async (m: { body: unknown }[]) => void sent.push(...m.map((x) => x.body)),
    };
    const report = await runMaintenance(
      { ...testEnv, WEBHOOKS: queue as unknown as Queue } as Env,
      await testConfig(),
      now,
    );
    expect(report.deliveriesDispatched).toBeGreaterThanOrEqual(1);
    expect(sent).toContainEqual({ t: "webhook", id: "whd_stuck" });
  });
});

describe("dead letters", () => {
  it("an operator lists them and replays them: the hop lands once", async () => {
    const row = hopRow(
      { hop: "scanned", store_id: "st_replay" },
      Date.parse("2030-08-01T10:00:00Z"),
      "192.0.2.88",
    );
    await runQueue("qrbridge-hops-dlq", hopMessages([row], 6));
    const list = await call("/v1/dead-letters", { key: ADMIN_KEY });
    const { dead_letters } = (await list.json()) as {
      dead_letters: { id: string; type: string }[];
    };
    const id = `msg-${row.event_id}`;
    expect(dead_letters.find((d) => d.id === id)).toMatchObject({ type: "hops" });
    for (let i = 0; i < 2; i++) {
      const res = await call("/v1/dead-letters/replay", {
        method: "POST",
        key: ADMIN_KEY,
        json: { ids: [id, "nope"] },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        replayed: i === 0 ? 1 : 0,
        skipped: expect.arrayContaining([{ id: "nope", reason: "not found or already replayed" }]),
      });
    }
    expect(await archivedHops({ event_id: row.event_id })).toHaveLength(1);
    expect(await rolledUp("scanned", "store_id = 'st_replay'")).toBe(1);
    // Operators only: a secret key, even with every scope, is refused.
    const secret = await mintSecretKey();
    expect((await call("/v1/dead-letters", { key: secret })).status).toBe(403);
  });
});
