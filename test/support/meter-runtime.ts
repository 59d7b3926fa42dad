/**
 * Metering what is not on `env`: a Durable Object's own storage (`ctx.storage`), the messages a
 * queue consumer is handed, and the Worker's subrequests and Cache API calls. See meter.ts.
 */

import type { Meter } from "./meter";
import { type Count, queueMessageBytes, queueOps } from "./meter-bindings";

type Fn = (...args: unknown[]) => unknown;

/** Replace `obj[name]` on this one object (runtime objects accept an own property). */
function patch(obj: object, name: string, make: (real: Fn) => unknown): void {
  const real = (obj as Record<string, unknown>)[name];
  if (typeof real !== "function") return;
  Object.defineProperty(obj, name, {
    value: make((...args: unknown[]) => Reflect.apply(real, obj, args)),
    configurable: true,
  });
}

/** Count `n` rows, where `n` is one key or the length of a list of keys. */
const keys = (arg: unknown) => (Array.isArray(arg) ? arg.length : 1);

/**
 * Meter a Durable Object's storage in place, before the object reads `ctx.storage`: each
 * key-value call as the rows Cloudflare bills for the SQLite backend (a key read is a row
 * read, a key written or deleted a row written, each `setAlarm` a row written), and each
 * `sql.exec` by its cursor's own `rowsRead`/`rowsWritten`. Counted as `do.rows_read`,
 * `do.rows_written` and `do.storage_call` in `scope`.
 *
 * @example
 * constructor(ctx, env) { meterStorage(ctx.storage, meter, "object"); super(ctx, env); }
 */
export function meterStorage(storage: DurableObjectStorage, meter: Meter, scope: string): void {
  const count: Count = (metric, n) => meter.add(scope, metric, n);
  const call =
    (rowsMetric: string | null, rows: (args: unknown[]) => number) =>
    (real: Fn) =>
    (...args: unknown[]) => {
      count("do.storage_call");
      if (rowsMetric) count(rowsMetric, rows(args));
      return real(...args);
    };
  const read = call("do.rows_read", (a) => keys(a[0]));
  const written = call("do.rows_written", (a) =>
    typeof a[0] === "object" && a[0] !== null && !Array.isArray(a[0])
      ? Object.keys(a[0]).length
      : keys(a[0]),
  );
  patch(storage, "get", read);
  patch(storage, "put", written);
  patch(storage, "delete", written);
  patch(
    storage,
    "setAlarm",
    call("do.rows_written", () => 1),
  );
  patch(
    storage,
    "getAlarm",
    call(null, () => 0),
  );
  patch(
    storage,
    "deleteAlarm",
    call(null, () => 0),
  );
  patch(
    storage,
    "deleteAll",
    call(null, () => 0),
  );
  patch(storage, "list", (real) => async (...args: unknown[]) => {
    count("do.storage_call");
    const found = (await real(...args)) as Map<string, unknown>;
    count("do.rows_read", Math.max(1, found.size));
    return found;
  });
  const kv = storage.kv;
  if (kv) {
    patch(kv, "get", read);
    patch(kv, "put", written);
    patch(kv, "delete", written);
    patch(kv, "list", (real) => (...args: unknown[]) => {
      count("do.storage_call");
      const entries = real(...args) as Iterable<unknown>;
      return (function* () {
        for (const entry of entries) {
          count("do.rows_read");
          yield entry;
        }
      })();
    });
    Object.defineProperty(storage, "kv", { value: kv, configurable: true });
  }
  const sql = storage.sql;
  if (sql) {
    patch(sql, "exec", (real) => (...args: unknown[]) => {
      count("do.storage_call");
      const cursor = real(...args) as { rowsRead: number; rowsWritten: number };
      meter.watchCursor(scope, cursor);
      return cursor;
    });
    Object.defineProperty(storage, "sql", { value: sql, configurable: true });
  }
}

/**
 * Meter a batch handed to a queue consumer: each message costs its read operations when it is
 * delivered, and its delete operations once acknowledged (explicitly, or by the handler
 * returning without retrying it). Call `settle(ok)` when the handler has finished.
 *
 * @example
 * const metered = meterBatch(batch, meter, "consumer");
 * try { await worker.queue(batch, env, ctx); metered.settle(true); } catch (e) { metered.settle(false); throw e; }
 */
export function meterBatch(
  batch: MessageBatch<unknown>,
  meter: Meter,
  scope: string,
): { settle(ok: boolean): void } {
  const count: Count = (metric, n) => meter.add(scope, metric, n);
  type State = { ops: number; outcome: "ack" | "retry" | null };
  const state = new Map<Message<unknown>, State>();
  // The first decision about a message stands, as it does in the runtime.
  const decided =
    (which: () => Iterable<State>, outcome: "ack" | "retry") =>
    (real: Fn) =>
    (...args: unknown[]) => {
      for (const s of which()) s.outcome ??= outcome;
      return real(...args);
    };
  count("queue.batch");
  for (const m of batch.messages) {
    const ops = queueOps(queueMessageBytes(m.body));
    count("queue.delivered");
    count("queue.read_op", ops);
    const s = { ops, outcome: null as "ack" | "retry" | null };
    state.set(m, s);
    patch(
      m,
      "ack",
      decided(() => [s], "ack"),
    );
    patch(
      m,
      "retry",
      decided(() => [s], "retry"),
    );
  }
  patch(
    batch,
    "ackAll",
    decided(() => state.values(), "ack"),
  );
  patch(
    batch,
    "retryAll",
    decided(() => state.values(), "retry"),
  );
  return {
    settle(ok) {
      for (const s of state.values()) {
        const outcome = s.outcome ?? (ok ? "ack" : "retry");
        if (outcome === "ack") {
          count("queue.acked");
          count("queue.delete_op", s.ops);
        } else count("queue.retried");
      }
    },
  };
}

/**
 * Count what a Worker does outside its bindings: subrequests (`fetch`) and Cache API calls
 * (`caches.default` and opened caches), under `scope`. Returns a function that undoes it.
 *
 * @example
 * const restore = meterGlobals(meter, "any");
 */
export function meterGlobals(meter: Meter, scope: string): () => void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
    meter.add(scope, "subrequest");
    return realFetch(...args);
  }) as typeof fetch;
  const proto = (globalThis as { Cache?: { prototype: Record<string, unknown> } }).Cache?.prototype;
  const originals: [string, unknown][] = [];
  for (const method of ["match", "put", "delete"]) {
    const real = proto?.[method];
    if (typeof real !== "function") continue;
    originals.push([method, real]);
    proto![method] = function (this: unknown, ...args: unknown[]) {
      meter.add(scope, `cache.${method}`);
      return Reflect.apply(real as Fn, this, args);
    };
  }
  return () => {
    globalThis.fetch = realFetch;
    for (const [method, real] of originals) proto![method] = real;
  };
}
