/**
 * Bindings that fail the way a busy day makes them fail, for the red-team fault tests
 * (test/integration/redteam-faults-*.test.ts): a D1 whose statement or batch throws when a rule
 * says so — before it ran (nothing written), or after it committed (the answer lost) — and an
 * R2 bucket whose chosen calls throw. Everything else passes through to the real binding.
 */

/** When a D1 call fails: not at all, before it runs, or after it committed (its answer lost). */
export type D1Fault = null | "before" | "after";

export interface D1Faults {
  /** For a statement run alone (`run`, `all`, `first`, `raw`): its SQL and the call's number. */
  statement?: (sql: string, n: number) => D1Fault;
  /** For a `batch()`: the SQL of its statements and the call's number (1 = the first batch). */
  batch?: (sqls: string[], n: number) => D1Fault;
}

const injected = (what: string) => new Error(`D1_ERROR: injected failure (${what})`);

/**
 * A D1 binding failing as `faults` says; `calls` counts what reached it, and `fired` the faults.
 *
 * @example
 * const db = faultyD1(env.DB, { batch: (sqls, n) => (n === 2 ? "after" : null) });
 */
export function faultyD1(
  db: D1Database,
  faults: D1Faults,
): D1Database & { calls: { batch: number; statement: number; fired: number } } {
  const calls = { batch: 0, statement: 0, fired: 0 };
  const real = new WeakMap<object, D1PreparedStatement>();
  const sqlOf = new WeakMap<object, string>();
  const wrap = (s: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const wrapper = new Proxy(s, {
      get(t, prop) {
        if (prop === "bind") return (...args: unknown[]) => wrap(t.bind(...args), sql);
        if (prop === "run" || prop === "all" || prop === "first" || prop === "raw")
          return async (...args: unknown[]) => {
            const fault = faults.statement?.(sql, ++calls.statement) ?? null;
            if (fault) calls.fired++;
            if (fault === "before") throw injected(sql.slice(0, 40));
            const result = await Reflect.apply(
              (t as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!,
              t,
              args,
            );
            if (fault === "after") throw injected(`after ${sql.slice(0, 40)}`);
            return result;
          };
        const value = Reflect.get(t, prop, t) as unknown;
        return typeof value === "function"
          ? (...args: unknown[]) => Reflect.apply(value, t, args)
          : value;
      },
    });
    real.set(wrapper, s);
    sqlOf.set(wrapper, sql);
    return wrapper;
  };
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === "calls") return calls;
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch")
        return async (statements: D1PreparedStatement[]) => {
          const sqls = statements.map((s) => sqlOf.get(s) ?? "");
          const fault = faults.batch?.(sqls, ++calls.batch) ?? null;
          if (fault) calls.fired++;
          if (fault === "before") throw injected(`batch ${calls.batch}`);
          const result = await target.batch(statements.map((s) => real.get(s) ?? s));
          if (fault === "after") throw injected(`after batch ${calls.batch}`);
          return result;
        };
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return proxy as D1Database & { calls: { batch: number; statement: number; fired: number } };
}

/**
 * An R2 bucket whose `method` calls throw when `fail(key or prefix, n)` says so (n counts that
 * method's calls from 1); `after` makes a `put` or `delete` throw once it has been done.
 * `fired` counts the calls that threw.
 *
 * @example
 * const bucket = faultyR2(env.HOP_ARCHIVE, "put", (key) => key.startsWith("hops/"));
 */
export function faultyR2(
  bucket: R2Bucket,
  method: "put" | "get" | "delete" | "list",
  fail: (key: string, n: number) => boolean,
  opts: { after?: boolean } = {},
): R2Bucket & { fired: number } {
  let n = 0;
  let fired = 0;
  return new Proxy(bucket, {
    get(target, prop) {
      if (prop === "fired") return fired;
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      if (prop !== method) return (value as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        const first = args[0] as string | string[] | { prefix?: string } | undefined;
        const key = Array.isArray(first)
          ? first.join(",")
          : typeof first === "string"
            ? first
            : (first?.prefix ?? "");
        const doomed = fail(key, ++n);
        if (doomed) fired++;
        const what = key.length > 80 ? `${key.slice(0, 80)}…` : key;
        if (doomed && !opts.after) throw new Error(`injected R2 ${method} failure: ${what}`);
        const result = await Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
        if (doomed) throw new Error(`injected R2 ${method} failure after it was done: ${what}`);
        return result;
      };
    },
  }) as R2Bucket & { fired: number };
}

/** What a Durable Object's storage refuses: record writes (`kv.put`), alarm settings. */
export interface StorageFaults {
  /** A `kv.put` of `value` under `key` (n counts the puts from 1): true throws before it writes. */
  put?: (key: string, value: unknown, n: number) => boolean;
  /** A `setAlarm` (n counts them from 1): true rejects without setting it. */
  setAlarm?: (n: number) => boolean;
}

/**
 * A Durable Object's storage that refuses what `faults` says, as a full or failing storage
 * would; everything else passes through, and `fired` counts the refusals. Give it to a live
 * object's record (`StoredRecord`) or `ctx` to fail a step in the middle of a flow.
 *
 * @example
 * const storage = faultyStorage(state.storage, { put: (_k, v) => (v as { status: string }).status === "redeemed" });
 */
export function faultyStorage(
  storage: DurableObjectStorage,
  faults: StorageFaults,
): DurableObjectStorage & { fired: number } {
  const n = { put: 0, setAlarm: 0 };
  let fired = 0;
  const passThrough = (target: object, prop: string | symbol) => {
    const value = Reflect.get(target, prop) as unknown;
    return typeof value === "function"
      ? (value as (...a: unknown[]) => unknown).bind(target)
      : value;
  };
  const kv = new Proxy(storage.kv, {
    get(target, prop) {
      if (prop !== "put") return passThrough(target, prop);
      return (key: string, value: unknown) => {
        if (faults.put?.(key, value, ++n.put)) {
          fired++;
          throw new Error(`injected storage failure: put ${key}`);
        }
        return target.put(key, value);
      };
    },
  });
  return new Proxy(storage, {
    get(target, prop) {
      if (prop === "fired") return fired;
      if (prop === "kv") return kv;
      if (prop === "setAlarm")
        return async (...args: Parameters<DurableObjectStorage["setAlarm"]>) => {
          if (faults.setAlarm?.(++n.setAlarm)) {
            fired++;
            throw new Error("injected storage failure: setAlarm");
          }
          return target.setAlarm(...args);
        };
      return passThrough(target, prop);
    },
  }) as DurableObjectStorage & { fired: number };
}
