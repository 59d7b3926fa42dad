/**
 * One wrapper per kind of binding, each counting calls in the unit Cloudflare bills them in.
 * The kind is read from the binding's shape (its methods, or the runtime's class name where the
 * binding is an RPC proxy on which every property looks like a method). See meter.ts.
 */

/** Adds `n` (default 1) to a metric of the scope the binding was wrapped for. */
export type Count = (metric: string, n?: number) => void;

/** Bytes over which Queues bills a second operation (a KB is 1,000 bytes). */
export const QUEUE_OP_BYTES = 64_000;
/** Internal metadata Queues adds to each message, counted in its size. */
const QUEUE_MESSAGE_OVERHEAD = 100;

/**
 * The billed size of a queue message body: its bytes (JSON for objects: the default v8
 * serialization of the same rows is of the same order) plus Queues' ~100 bytes of metadata.
 *
 * @example
 * queueMessageBytes({ t: "hops", rows: [] }) // 119
 */
export function queueMessageBytes(body: unknown): number {
  let bytes: number;
  if (typeof body === "string") bytes = new TextEncoder().encode(body).byteLength;
  else if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) bytes = body.byteLength;
  else bytes = new TextEncoder().encode(JSON.stringify(body) ?? "").byteLength;
  return bytes + QUEUE_MESSAGE_OVERHEAD;
}

/**
 * Queue operations one write, read or delete of a message of `bytes` costs.
 *
 * @example
 * queueOps(65_000) // 2
 */
export function queueOps(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / QUEUE_OP_BYTES));
}

type Methods = Record<string, (...args: unknown[]) => unknown>;
// Calls go through Reflect.apply: on an RPC stub (a Durable Object, a service) `method.apply`
// and `method.bind` are themselves remote names, not Function.prototype's.
/** Per method name: what to count before calling it, and how to wrap what it returns. */
type Plan = Record<string, { before?: (args: unknown[]) => void; after?: (r: unknown) => unknown }>;

const isFn = (v: object, name: string) => {
  try {
    return typeof (v as Methods)[name] === "function";
  } catch {
    return false;
  }
};
const kindOf = (v: object) => Object.prototype.toString.call(v).slice(8, -1);

/**
 * A proxy of `target` whose methods named in `plan` count (and may wrap their results); every
 * other method is called on the real object (runtime objects check their receiver).
 */
function proxy<T extends object>(target: T, plan: Plan): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== "function") return value;
      const step = typeof prop === "string" ? plan[prop] : undefined;
      if (!step) return (...args: unknown[]) => Reflect.apply(value, t, args);
      return (...args: unknown[]) => {
        step.before?.(args);
        const result = Reflect.apply(value, t, args);
        return step.after ? step.after(result) : result;
      };
    },
  });
}

/** Apply `f` to a result that may be a promise. */
const then = (r: unknown, f: (v: unknown) => unknown) => (r instanceof Promise ? r.then(f) : f(r));

function kv(ns: object, count: Count): object {
  const keys = (args: unknown[]) => (Array.isArray(args[0]) ? args[0].length : 1);
  return proxy(ns, {
    get: { before: (a) => count("kv.read", keys(a)) },
    getWithMetadata: { before: (a) => count("kv.read", keys(a)) },
    put: { before: () => count("kv.write") },
    delete: { before: () => count("kv.delete") },
    list: { before: () => count("kv.list") },
  });
}

function queue(q: object, count: Count): object {
  const message = (body: unknown) => {
    const bytes = queueMessageBytes(body);
    count("queue.message");
    count("queue.bytes", bytes);
    count("queue.write_op", queueOps(bytes));
  };
  return proxy(q, {
    send: {
      before: (a) => {
        count("queue.send");
        message(a[0]);
      },
    },
    sendBatch: {
      before: (a) => {
        count("queue.send");
        for (const m of a[0] as { body: unknown }[]) message(m.body);
      },
    },
  });
}

function r2(bucket: object, count: Count): object {
  const a = { before: () => count("r2.class_a") };
  const b = { before: () => count("r2.class_b") };
  const free = { before: () => count("r2.free") };
  const upload = (u: unknown) => proxy(u as object, { uploadPart: a, complete: a, abort: free });
  return proxy(bucket, {
    get: b,
    head: b,
    put: a,
    list: a,
    delete: free,
    createMultipartUpload: { ...a, after: (r) => then(r, upload) },
    resumeMultipartUpload: { after: upload },
  });
}

function durableObjects(ns: object, count: Count): object {
  // Every RPC method call and every fetch on a stub is one billed request.
  const stub = (s: unknown) =>
    new Proxy(s as object, {
      get(t, prop) {
        const value = Reflect.get(t, prop, t) as unknown;
        if (typeof value !== "function" || typeof prop !== "string") return value;
        return (...args: unknown[]) => {
          count("do.request");
          return Reflect.apply(value, t, args);
        };
      },
    });
  const wrapStub = { after: stub };
  return proxy(ns, {
    get: wrapStub,
    getByName: wrapStub,
    getExisting: wrapStub,
    jurisdiction: { after: (n) => durableObjects(n as object, count) },
  });
}

interface D1Meta {
  rows_read?: number;
  rows_written?: number;
}

function d1(db: object, count: Count): object {
  const real = new WeakMap<object, object>();
  const rows = (meta: D1Meta | undefined) => {
    count("d1.rows_read", meta?.rows_read ?? 0);
    count("d1.rows_written", meta?.rows_written ?? 0);
  };
  const statement = (s: object): object => {
    const call = (method: string, args: unknown[]) =>
      Reflect.apply((s as Methods)[method]!, s, args);
    const counted = async (method: string, args: unknown[]) => {
      count("d1.query");
      const result = (await call(method, args)) as { results: unknown[]; meta: D1Meta };
      rows(result.meta);
      return result;
    };
    const wrapper = new Proxy(s, {
      get(t, prop) {
        if (prop === "bind") return (...a: unknown[]) => statement(call("bind", a) as object);
        if (prop === "all" || prop === "run") return (...a: unknown[]) => counted(prop, a);
        // `first` runs the query `all` runs and drops its meta: run `all` to see the rows, and
        // answer as `first` does (null without a row; an unknown column throws).
        if (prop === "first")
          return async (column?: string) => {
            const row = ((await counted("all", [])).results[0] ?? null) as Record<
              string,
              unknown
            > | null;
            if (column === undefined || row === null) return row;
            if (row[column] === undefined)
              throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
            return row[column] ?? null;
          };
        if (prop === "raw")
          return (...a: unknown[]) => {
            count("d1.query");
            count("d1.unmetered"); // raw() returns no meta: its rows cannot be counted
            return call("raw", a);
          };
        const value = Reflect.get(t, prop, t) as unknown;
        return typeof value === "function"
          ? (...args: unknown[]) => Reflect.apply(value, t, args)
          : value;
      },
    });
    real.set(wrapper, s);
    return wrapper;
  };
  const database = (target: object): object =>
    proxy(target, {
      prepare: { after: (r) => statement(r as object) },
      batch: {
        before: (a) => {
          const list = a[0] as object[];
          a[0] = list.map((s) => real.get(s) ?? s); // the runtime wants its own statements
          count("d1.batch");
          count("d1.query", list.length);
        },
        after: (r) =>
          then(r, (results) => {
            for (const x of results as { meta: D1Meta }[]) rows(x.meta);
            return results;
          }),
      },
      exec: {
        before: () => {
          count("d1.query");
          count("d1.unmetered"); // exec() reports no rows
        },
      },
      withSession: { after: (r) => database(r as object) },
    });
  return database(db);
}

/** Any other object with methods: each call counted by name, so a new kind shows up. */
function other(name: string, target: object, count: Count): object {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== "function" || typeof prop !== "string") return value;
      return (...args: unknown[]) => {
        count(`other.${name}.${prop}`);
        return Reflect.apply(value, t, args);
      };
    },
  });
}

/**
 * The metered form of one `env` entry: a binding is wrapped by its kind; anything else (vars,
 * plain objects, arrays) passes as it is.
 *
 * @example
 * env2.DB = meterBinding("DB", env.DB, (metric, n) => meter.add("request", metric, n));
 */
export function meterBinding(name: string, value: unknown, count: Count): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return value;
  // RPC proxies answer "function" for any name: recognise them by the runtime's class first.
  if (kindOf(value) === "Fetcher") {
    return proxy(value, {
      fetch: { before: () => count("service.request") },
      connect: { before: () => count("service.request") },
    });
  }
  if (
    kindOf(value) === "DurableObjectNamespace" ||
    (isFn(value, "idFromName") && isFn(value, "get"))
  )
    return durableObjects(value, count);
  if (isFn(value, "prepare") && isFn(value, "batch")) return d1(value, count);
  if (isFn(value, "head") && isFn(value, "createMultipartUpload")) return r2(value, count);
  if (isFn(value, "getWithMetadata") && isFn(value, "put")) return kv(value, count);
  if (isFn(value, "send") && isFn(value, "sendBatch")) return queue(value, count);
  if (isFn(value, "limit"))
    return proxy(value, { limit: { before: () => count("ratelimit.call") } });
  if (isFn(value, "writeDataPoint"))
    return proxy(value, { writeDataPoint: { before: () => count("analytics.point") } });
  return other(name, value, count);
}
