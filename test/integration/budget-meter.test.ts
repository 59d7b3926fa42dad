// Checks of the meter the budget bench and test/integration/budget.test.ts count with
// (test/support/meter.ts): it must see every binding, answer as the bindings do, and recognise
// kinds of binding this Worker does not have yet (an R2 bucket) by their shape.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { Meter, meterEnv, meterGlobals, queueMessageBytes, queueOps } from "../support/meter";

const bindings = env as unknown as Env;
const meter = new Meter();

describe("the meter", () => {
  it("wraps every binding of the env (none passes unmetered)", () => {
    const metered = meterEnv(bindings, meter, "check") as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(bindings)) {
      const isBinding =
        typeof value === "object" &&
        value !== null &&
        ![Object.prototype, Array.prototype, null].includes(Object.getPrototypeOf(value));
      // A boolean, not the values: comparing RPC stubs deeply would call methods on them.
      expect(metered[name] !== value, name).toBe(isBinding);
    }
  });

  it("answers D1 as D1 does, and counts the rows D1 reports", async () => {
    await bindings.DB.prepare("CREATE TABLE IF NOT EXISTS meter_check (x INTEGER)").run();
    meter.reset();
    const db = meterEnv(bindings, meter, "check").DB;
    const insert = db.prepare("INSERT INTO meter_check (x) VALUES (?), (?), (?)").bind(1, 2, 3);
    const [inserted] = await db.batch([insert]);
    expect(inserted?.meta.changes).toBe(3);
    expect(await db.prepare("SELECT max(x) AS x FROM meter_check").first("x")).toBe(3);
    expect(await db.prepare("SELECT 1 AS x").first()).toEqual({ x: 1 });
    expect(await db.prepare("SELECT 1 AS x WHERE 0").first("x")).toBeNull();
    // An unknown column fails alike, metered or not.
    await expect(db.prepare("SELECT 1 AS x").first("y")).rejects.toThrow(/D1_COLUMN_NOTFOUND/);
    await expect(bindings.DB.prepare("SELECT 1 AS x").first("y")).rejects.toThrow(
      /D1_COLUMN_NOTFOUND/,
    );
    const counts = meter.snapshot();
    expect(counts["check:d1.batch"]).toBe(1);
    expect(counts["check:d1.query"]).toBe(5);
    expect(counts["check:d1.rows_written"]).toBe(3);
    expect(counts["check:d1.rows_read"]).toBe(3); // max(x) scans the three rows
  });

  it("recognises a binding by its shape: an R2 bucket by class, an unknown one per method", async () => {
    // Stand-ins with the methods of an R2 bucket and of a kind the meter does not know.
    class Bucket {
      async get() {}
      async head() {}
      async put() {}
      async list() {}
      async delete() {}
      async createMultipartUpload() {
        return new (class {
          async uploadPart() {}
          async complete() {}
        })();
      }
    }
    class Novel {
      async ask() {}
    }
    meter.reset();
    const m = meterEnv({ RAW: new Bucket(), NOVEL: new Novel() }, meter, "check");
    await m.RAW.put();
    await m.RAW.get();
    await m.RAW.head();
    await m.RAW.delete();
    const upload = await m.RAW.createMultipartUpload();
    await upload!.uploadPart();
    await upload!.complete();
    await m.NOVEL.ask();
    expect(meter.snapshot()).toEqual({
      "check:r2.class_a": 4,
      "check:r2.class_b": 2,
      "check:r2.free": 1,
      "check:other.NOVEL.ask": 1,
    });
  });

  it("bills a queue message per started 64 KB, its ~100 bytes of metadata included", () => {
    expect(queueOps(queueMessageBytes("x".repeat(63_900)))).toBe(1);
    expect(queueOps(queueMessageBytes("x".repeat(63_901)))).toBe(2);
  });

  it("counts Cache API calls", async () => {
    meter.reset();
    const restore = meterGlobals(meter, "any");
    try {
      await caches.default.match("https://qr.test/nothing");
      await caches.default.delete("https://qr.test/nothing");
    } finally {
      restore();
    }
    await caches.default.match("https://qr.test/nothing"); // no longer counted
    expect(meter.snapshot()).toEqual({ "any:cache.match": 1, "any:cache.delete": 1 });
  });
});
