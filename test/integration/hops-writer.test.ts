import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config";
import { optionsFromEnv } from "../../src/env-options";
import { daySalt, hashIp } from "../../src/store/hop-salt";
import { type HopInput, hopQueue, recordHop } from "../../src/store/hops";
import { runMaintenance } from "../../src/store/maintenance";
import { archivedHops, eventually, failingBatchDb, rolledUp, scalar, testEnv } from "./hop-helpers";
import { makePoster, scan } from "./poster-helpers";

async function config(hops?: boolean) {
  const e = testEnv as unknown as Record<string, string>;
  return resolveConfig({
    adminKey: e.QB_ADMIN_KEY,
    signingKeys: e.QB_SIGNING_KEYS,
    ipSalt: "s",
    hops,
  });
}
const request = (ip = "192.0.2.7") =>
  new Request("https://qr.test/p/X", { headers: { "cf-connecting-ip": ip } });

/** Record `inputs` as one request would, with `env` overrides; resolves when its waitUntil is done. */
async function record(inputs: HopInput[], env: Partial<typeof testEnv> = {}, hops?: boolean) {
  const ctx = createExecutionContext();
  const scope = {
    env: { ...testEnv, ...env },
    ctx,
    config: await config(hops),
    request: request(),
  };
  for (const input of inputs) recordHop(scope, input);
  await waitOnExecutionContext(ctx);
}

const scanOf = (subject: string): HopInput => ({
  kind: "poster",
  subject_id: subject,
  hop: "scanned",
  store_id: subject,
});

describe("recording hops", () => {
  it("sends the hops of one request as one message, in that request's own waitUntil", async () => {
    const sent: { t: string; rows: { hop: string }[] }[] = [];
    const queue = {
      send: async (body: (typeof sent)[number]) => void sent.push(body),
    } as unknown as Queue;
    await record([scanOf("one"), { kind: "poster", subject_id: "one", hop: "landing" }], {
      HOPS: queue,
    });
    expect(sent.map((m) => m.rows.map((r) => r.hop))).toEqual([["scanned", "landing"]]);
  });

  it("loses nothing when the queue refuses: retried, spooled to R2, counted by the cron", async () => {
    let tries = 0;
    const refusing = {
      send: async () => {
        tries++;
        throw new Error("Too Many Requests: queue over 5,000 messages/s");
      },
    } as unknown as Queue;
    await record([scanOf("st_spooled"), scanOf("st_spooled")], { HOPS: refusing });
    expect(tries).toBe(3); // the first send and two retries
    const spooled = await testEnv.HOP_ARCHIVE!.list({ prefix: "spool/" });
    expect(spooled.objects).toHaveLength(1);
    expect(await rolledUp("scanned", "store_id = 'st_spooled'")).toBe(0);
    const report = await runMaintenance(testEnv, await config(), Date.now());
    expect(report.spooledIngested).toBe(2);
    expect(await rolledUp("scanned", "store_id = 'st_spooled'")).toBe(2);
    expect((await testEnv.HOP_ARCHIVE!.list({ prefix: "spool/" })).objects).toHaveLength(0);
    await runMaintenance(testEnv, await config(), Date.now());
    expect(await rolledUp("scanned", "store_id = 'st_spooled'")).toBe(2);
  });

  it("without a queue, writes directly; if D1 fails too, spools to R2", async () => {
    await record([scanOf("st_direct")], { HOPS: undefined });
    expect(await rolledUp("scanned", "store_id = 'st_direct'")).toBe(1);
    await record([scanOf("st_direct_down")], { HOPS: undefined, DB: failingBatchDb(testEnv.DB) });
    expect(await rolledUp("scanned", "store_id = 'st_direct_down'")).toBe(0);
    await runMaintenance(testEnv, await config(), Date.now());
    expect(await rolledUp("scanned", "store_id = 'st_direct_down'")).toBe(1);
  });

  it("with QB_HOP_QUEUE_SHARDS, an isolate sends to one of HOPS, HOPS_2 … (HOPS if that one is not bound)", async () => {
    const queue = (name: string) => ({ name }) as unknown as Queue;
    const shards = { HOPS: queue("HOPS"), HOPS_2: queue("HOPS_2"), HOPS_3: queue("HOPS_3") };
    const env = { ...testEnv, ...shards } as typeof testEnv;
    const picked = (hopQueue(env, 3) as unknown as { name: string }).name;
    expect(Object.keys(shards)).toContain(picked);
    expect(hopQueue(env, 3)).toBe(hopQueue(env, 3)); // the same shard for the whole isolate
    expect(
      (
        hopQueue(
          { ...env, [picked]: undefined, HOPS: shards.HOPS } as typeof testEnv,
          3,
        ) as unknown as { name: string }
      ).name,
    ).toBe("HOPS");
    expect((hopQueue(env, 1) as unknown as { name: string }).name).toBe("HOPS");
    expect(optionsFromEnv({ ...testEnv, QB_HOP_QUEUE_SHARDS: "4" }).hopQueueShards).toBe(4);
  });

  it("QB_HOPS=off records nothing", async () => {
    await record([scanOf("st_off")], { HOPS: undefined }, false);
    expect(await rolledUp("scanned", "store_id = 'st_off'")).toBe(0);
    expect(optionsFromEnv({ ...testEnv, QB_HOPS: "off" }).hops).toBe(false);
    expect(optionsFromEnv({ ...testEnv, QB_HOPS: "on" }).hops).toBe(true);
  });
});

describe("IP hashes", () => {
  it("use a random salt per day, the same in every isolate, deleted once the day is over", async () => {
    const a = await daySalt(testEnv.DB, "2030-01-01");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await daySalt(testEnv.DB, "2030-01-01")).toBe(a);
    const b = await daySalt(testEnv.DB, "2030-01-02");
    expect(b).not.toBe(a);
    expect(await hashIp(a, "203.0.113.9")).not.toBe(await hashIp(b, "203.0.113.9"));
    // The cron on 2030-01-03 keeps yesterday's salt and deletes the day before.
    await runMaintenance(testEnv, await config(), Date.parse("2030-01-03T01:00:00Z"));
    expect(await scalar("SELECT COUNT(*) FROM hop_salts WHERE day = '2030-01-01'")).toBe(0);
    expect(await scalar("SELECT COUNT(*) FROM hop_salts WHERE day = '2030-01-02'")).toBe(1);
  });

  it("are on a person's scan only, never on other hops", async () => {
    await record([
      { kind: "poster", subject_id: "ip-only", hop: "scanned" },
      { kind: "poster", subject_id: "ip-only", hop: "landing" },
      { kind: "poster", subject_id: "ip-only", hop: "scanned", bot: true },
    ]);
    const rows = await eventually(async () => {
      const r = await archivedHops({ subject_id: "ip-only" });
      return r.length === 3 ? r : undefined;
    }, "three hops");
    const seen = rows
      .map((r) => [r.hop, r.bot, r.ip_hash !== null])
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(seen).toEqual([
      ["landing", 0, false],
      ["scanned", 0, true],
      ["scanned", 1, false],
    ]);
  });
});

describe("an odd request never costs other people their hops", () => {
  it("40 scans and one with a 300-character Referer host → 41 scans counted", async () => {
    const p = await makePoster({ name: "Referer" });
    const served = await Promise.all(
      Array.from({ length: 41 }, (_, i) =>
        scan(
          `/p/${p.code}`,
          undefined,
          i === 20 ? { referer: `https://${"x".repeat(300)}.example/` } : {},
        ),
      ),
    );
    expect(served.every((r) => r.status === 200)).toBe(true);
    await eventually(
      async () => (await rolledUp("scanned", "poster_id = ?", p.id)) === 41,
      "41 scans counted",
    );
    const odd = (await archivedHops({ poster_id: p.id, hop: "scanned" })).filter(
      (h) => h.referrer_host,
    );
    expect(odd).toHaveLength(1);
    expect(odd[0]!.referrer_host).toHaveLength(200);
    expect(await scalar("SELECT COUNT(*) FROM dead_letters")).toBe(0);
  });

  it("under load, with forged codes hammered beside them, every served scan is counted", async () => {
    const p = await makePoster({ name: "Busy" });
    const forged = `${p.code.slice(0, 6)}${p.code.slice(6) === "ZZZZ" ? "YYYY" : "ZZZZ"}`;
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        i % 3 === 2 ? scan(`/p/${forged}`) : scan(`/p/${p.code}`),
      ),
    );
    const servedScans = results.filter((r) => r.status === 200).length;
    expect(servedScans).toBe(100);
    await eventually(
      async () => (await rolledUp("scanned", "poster_id = ?", p.id)) === servedScans,
      `${servedScans} scans counted`,
    );
  });
});
