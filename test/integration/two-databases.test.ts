// Two bridges mounted in one Worker on two D1 databases (and two KV namespaces): what an isolate
// keeps in memory is each one's own. Keyed by the day alone, the second bridge hashed its
// scanners with the first one's IP salt, a salt its own database never held and its cron could
// never delete (the promise that a past day's hashes cannot be turned back); keyed by the poster
// id alone (30 bits: two databases' ids may meet), a scan read the other bridge's poster; keyed
// by its hash alone, an API key one bridge had checked was accepted by the other.
import { applyD1Migrations, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { daySalt, deleteOldSalts, hashIp } from "../../src/store/hop-salt";
import { recordHop } from "../../src/store/hops";
import { findUnrevokedKey } from "../../src/store/keys";
import { loadScanPoster } from "../../src/store/poster-cache";
import { mintKey } from "./helpers";
import { testConfig, testEnv, waitForHops } from "./hop-helpers";
import { makePoster } from "./poster-helpers";

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

describe("a scan's poster, per KV namespace", () => {
  it("is the poster of the bridge scanned, when both databases hold the same id", async () => {
    const poster = await makePoster({ name: "First bridge's", path: "/first" });
    // The same id in the second database, another poster (no store or campaign there).
    const row = await first
      .prepare("SELECT * FROM posters WHERE id = ?")
      .bind(poster.id)
      .first<Record<string, unknown>>();
    const copy = {
      ...row,
      name: "Second bridge's",
      path: "/second",
      store_id: null,
      campaign_id: null,
    };
    const columns = Object.keys(copy);
    await second
      .prepare(
        `INSERT INTO posters (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      )
      .bind(...Object.values(copy))
      .run();
    const ctx = createExecutionContext();
    const inFirst = await loadScanPoster({ DB: first, CACHE: testEnv.CACHE }, ctx, poster.id);
    const inSecond = await loadScanPoster({ DB: second, CACHE: env.SECOND_CACHE }, ctx, poster.id);
    await waitOnExecutionContext(ctx);
    expect(inFirst?.path).toBe("/first");
    expect(inSecond?.path).toBe("/second");
    // And again, from each one's memory.
    expect((await loadScanPoster({ DB: first, CACHE: testEnv.CACHE }, ctx, poster.id))?.path).toBe(
      "/first",
    );
    expect(
      (await loadScanPoster({ DB: second, CACHE: env.SECOND_CACHE }, ctx, poster.id))?.path,
    ).toBe("/second");
  });
});

describe("an API key, per database", () => {
  it("is not accepted by the other bridge once the first one has checked it", async () => {
    const key = await mintKey("secret", ["stats:read"]);
    expect(await findUnrevokedKey(first, key)).not.toBeNull();
    // Checked a moment ago by the first bridge: the second bridge's database has no such key.
    expect(await findUnrevokedKey(second, key)).toBeNull();
    expect(await findUnrevokedKey(first, key)).not.toBeNull();
  });
});
