// Two bridges mounted in one Worker on two D1 databases: each day's IP-hash salt is its
// database's own. The isolate keeps the salts it has read; keyed by the day alone, the second
// bridge hashed its scanners with the first one's salt, a salt its own database never held and
// its cron could never delete (the promise that a past day's hashes cannot be turned back).
import { applyD1Migrations, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { daySalt, deleteOldSalts, hashIp } from "../../src/store/hop-salt";
import { recordHop } from "../../src/store/hops";
import { testConfig, testEnv, waitForHops } from "./hop-helpers";

const first = testEnv.DB;
const second = env.SECOND_DB;
const saltIn = (db: D1Database, day: string) =>
  db.prepare("SELECT salt FROM hop_salts WHERE day = ?").bind(day).first<string>("salt");

beforeAll(async () => {
  await applyD1Migrations(second, env.TEST_MIGRATIONS);
});

describe("the day's IP salt, per database", () => {
  it("is read from and stored in each bridge's own database", async () => {
    const day = "2031-04-01";
    const a = await daySalt(first, day);
    const b = await daySalt(second, day);
    expect(a).toBe(await saltIn(first, day));
    expect(b).toBe(await saltIn(second, day));
    expect(b).not.toBe(a);
    // Read again from each isolate's memory: still each database's own.
    expect(await daySalt(first, day)).toBe(a);
    expect(await daySalt(second, day)).toBe(b);
  });

  it("is forgotten by the database whose cron deleted it, and only there", async () => {
    const day = "2031-04-02";
    const a = await daySalt(first, day);
    const b = await daySalt(second, day);
    expect(await deleteOldSalts(second, "2031-04-03")).toBeGreaterThan(0);
    expect(await saltIn(second, day)).toBeNull();
    // The second database draws a new salt for the day; the first keeps its own.
    const again = await daySalt(second, day);
    expect(again).not.toBe(b);
    expect(again).toBe(await saltIn(second, day));
    expect(await daySalt(first, day)).toBe(a);
  });

  it("hashes the same person's scan differently in the two bridges, each with its own salt", async () => {
    const config = await testConfig();
    const ip = "198.51.100.23";
    const scanIn = async (db: D1Database, subject: string) => {
      const ctx = createExecutionContext();
      const request = new Request("https://qr.test/p/X", { headers: { "cf-connecting-ip": ip } });
      recordHop(
        { env: { ...testEnv, DB: db }, ctx, config, request },
        { kind: "poster", subject_id: subject, hop: "scanned" },
      );
      await waitOnExecutionContext(ctx);
    };
    await scanIn(first, "salt-db-first");
    await scanIn(second, "salt-db-second");
    const [inFirst] = await waitForHops({ subject_id: "salt-db-first" }, 1);
    const [inSecond] = await waitForHops({ subject_id: "salt-db-second" }, 1);
    expect(inFirst!.day).toBe(inSecond!.day);
    const day = inFirst!.day;
    expect(inFirst!.ip_hash).toBe(await hashIp((await saltIn(first, day))!, ip));
    expect(inSecond!.ip_hash).toBe(await hashIp((await saltIn(second, day))!, ip));
    expect(inSecond!.ip_hash).not.toBe(inFirst!.ip_hash);
  });
});
