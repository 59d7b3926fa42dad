// Red team, hop ingest: a batch carrying one poisonous message of every kind an attacker (or an
// old or broken writer) can construct. The promise: that one message (or row) goes to the dead
// letters, every other hop of the batch counts exactly once, and nothing blocks the batch.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { hopMessages, hopRow, rolledUp, runQueue, scalar, testEnv } from "./hop-helpers";

const DAY = "2011-05-17";
const AT = Date.parse(`${DAY}T09:00:00Z`);

/** `n` good scans of this test's own store. */
function goodRows(store: string, n: number): HopRow[] {
  return Array.from({ length: n }, (_, i) =>
    hopRow({ hop: "scanned", store_id: store, platform: "ios" }, AT + i, `10.9.${i}.1`),
  );
}

function message(id: string, body: unknown) {
  return { id, timestamp: new Date(AT), attempts: 1, body };
}

/** Run one batch: `good` rows of `store` in 10 messages around the poisonous `poison` message. */
async function batchWith(
  store: string,
  poison: { id: string; timestamp: Date; attempts: number; body: unknown },
) {
  const good = hopMessages(goodRows(store, 10));
  const messages = [...good.slice(0, 5), poison, ...good.slice(5)];
  const result = await runQueue("qrbridge-hops", messages);
  return { result, counted: await rolledUp("scanned", "store_id = ?", store) };
}

const base = () => hopRow({ hop: "scanned", platform: "ios" }, AT, "10.8.0.1");

/** Rows that must never be counted as they are: each alone in a message. */
const POISON_ROWS: [string, (r: HopRow) => unknown][] = [
  ["oversized detail", (r) => ({ ...r, detail: JSON.stringify({ x: "y".repeat(5000) }) })],
  ["unknown hop", (r) => ({ ...r, hop: "teleported" })],
  ["unknown kind", (r) => ({ ...r, kind: "billboard" })],
  ["missing event_id", (r) => ({ ...r, event_id: undefined })],
  ["missing day", ({ day: _d, ...r }) => r],
  ["at as a string", (r) => ({ ...r, at: String(r.at) })],
  ["at out of Date's range", (r) => ({ ...r, at: 1e300 })],
  ["at negative beyond Date's range", (r) => ({ ...r, at: -9e15 })],
  ["at not an integer", (r) => ({ ...r, at: 0.5 })],
  ["day not matching at", (r) => ({ ...r, day: "2026-99-99" })],
  ["bot as a boolean", (r) => ({ ...r, bot: true })],
  ["platform with a double quote", (r) => ({ ...r, platform: 'i"os' })],
  ["in_app with a double quote", (r) => ({ ...r, in_app: 'we"chat' })],
  ["in_app posing as a source", (r) => ({ ...r, in_app: "x~page" })],
  ["platform posing as a sketch register", (r) => ({ ...r, platform: "ios:123" })],
  ["platform posing as a dimension", (r) => ({ ...r, platform: "ios@i:wechat" })],
  ["store_id with a NUL byte", (r) => ({ ...r, store_id: "st\u0000x" })],
  ["platform with a NUL byte", (r) => ({ ...r, platform: "io\u0000s" })],
  ["platform with a lone surrogate", (r) => ({ ...r, platform: "io\ud800s" })],
  ["store_id with a lone surrogate", (r) => ({ ...r, store_id: "st\udc00" })],
  ["ms_since_created as a string", (r) => ({ ...r, ms_since_created: "5" })],
  ["subject_id as a number", (r) => ({ ...r, subject_id: 42 })],
  ["row as an array", (r) => Object.values(r)],
  ["row as null", () => null],
];

/** Whole messages that are not hop messages at all. */
const POISON_BODIES: [string, unknown][] = [
  ["the old {t:'hop'} shape", { t: "hop", row: base() }],
  ["JSON text that does not parse", '{"t":"hops","rows":[{'],
  ["rows not an array", { t: "hops", rows: "scanned" }],
  ["null body", null],
  ["a number", 1e308],
];

describe("redteam: one poisonous hop message never costs other hops", () => {
  it.each(POISON_ROWS)(
    "a row with %s is set aside alone; the 10 good messages count once",
    async (name, poison) => {
      const store = `st_rt_poison_${name.replace(/\W+/g, "_")}`;
      const bad = poison({ ...base(), store_id: store });
      const { result, counted } = await batchWith(
        store,
        message(`rt-${store}`, { t: "hops", rows: [bad] }),
      );
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(11);
      expect(counted).toBe(10);
      expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE id = ?", `rt-${store}:0`)).toBe(
        1,
      );
    },
  );

  it.each(POISON_BODIES)(
    "a message with %s is set aside; the 10 good messages count once",
    async (name, body) => {
      const store = `st_rt_body_${name.replace(/\W+/g, "_")}`;
      const { result, counted } = await batchWith(store, message(`rt-${store}`, body));
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(11);
      expect(counted).toBe(10);
      expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE id = ?", `rt-${store}`)).toBe(1);
    },
  );

  it("odd but storable values count once, the batch with them", async () => {
    const store = "st_rt_odd";
    const odd = [
      { ...base(), store_id: store, ms_since_created: 1e308, hop: "app_open" as const },
      { ...base(), store_id: store, ms_since_created: -5, hop: "app_open" as const },
      { ...base(), store_id: store, referrer_host: 'a"b\\c', detail: "{not json" },
      { ...base(), store_id: store, platform: "ios", in_app: "okhttp/4.12.0" },
    ];
    const result = await runQueue("qrbridge-hops", [
      ...hopMessages(goodRows(store, 4)),
      message("rt-odd", { t: "hops", rows: odd }),
    ]);
    expect(result.explicitAcks).toHaveLength(5);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(6);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(2);
    expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE id LIKE 'rt-odd%'")).toBe(0);
  });

  it("a row from an older writer, its optional columns missing, counts as if they were null", async () => {
    const store = "st_rt_missing_columns";
    const full = {
      ...base(),
      store_id: store,
      hop: "app_open" as const,
      detail: '{"via":"page"}',
    };
    const { ms_since_created: _ms, platform: _p, in_app: _i, ...older } = full;
    const result = await runQueue("qrbridge-hops", [
      message("rt-older", { t: "hops", rows: [older] }),
    ]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
    expect(await rolledUp("app_open@p:", "store_id = ?", store)).toBe(1);
    // No delay was measured, so none is in the histogram (not a 0 ms one).
    expect(await scalar("SELECT delays FROM hop_rollups WHERE store_id = ?", store)).toBe("{}");
  });

  it("a message mixing a poisonous row with good ones: the good rows count, the bad one alone is set aside", async () => {
    const store = "st_rt_mixed";
    const rows = goodRows(store, 3);
    const bad = { ...base(), store_id: store, platform: 'x"y' };
    const { result, counted } = await batchWith(
      store,
      message("rt-mixed", { t: "hops", rows: [rows[0], bad, rows[1], rows[2]] }),
    );
    expect(result.explicitAcks).toHaveLength(11);
    expect(counted).toBe(13);
    expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE id = 'rt-mixed:1'")).toBe(1);
  });
});

/**
 * A D1 binding that refuses, as D1 does a statement over one of its limits, every batch that
 * binds a value containing `marker`; everything else passes through.
 */
function refusingDb(db: D1Database, marker: string): D1Database {
  const poisoned = new WeakSet<object>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind")
          return (...args: unknown[]) => {
            const bound = wrap(target.bind(...args));
            if (args.some((a) => typeof a === "string" && a.includes(marker))) poisoned.add(bound);
            return bound;
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
      if (prop === "batch")
        return (stmts: D1PreparedStatement[]) =>
          stmts.some((s) => poisoned.has(s))
            ? Promise.reject(new Error("D1_ERROR: string or blob too big: SQLITE_TOOBIG"))
            : target.batch(stmts.map((s) => s));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("redteam: a message D1 itself refuses holds back no other", () => {
  it("the batch fails once, is retried, then counts each message alone: 10 counted, 1 retried to its DLQ", async () => {
    const store = "st_rt_toobig";
    const db = refusingDb(testEnv.DB, "rt-refused-by-d1");
    const env = { ...testEnv, DB: db };
    const good = hopMessages(goodRows(store, 10));
    const bad = message("rt-toobig", {
      t: "hops",
      rows: [{ ...base(), store_id: store, subject_id: "rt-refused-by-d1" }],
    });
    const first = await runQueue("qrbridge-hops", [...good, bad], env);
    expect(first.retryMessages).toHaveLength(11);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(0);
    // The queue delivers them again (another grouping): all but the refused one count.
    const again = [bad, ...good].map((m) => ({ ...m, attempts: 2 }));
    const second = await runQueue("qrbridge-hops", again, env);
    expect(second.retryMessages.map((m) => m.msgId)).toEqual(["rt-toobig"]);
    expect(second.explicitAcks).toHaveLength(10);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(10);
    // Delivered a third time, the counted ones count nothing more.
    await runQueue(
      "qrbridge-hops",
      again.map((m) => ({ ...m, attempts: 3 })),
      env,
    );
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(10);
  });
});
