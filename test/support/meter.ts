/**
 * A meter of billable operations: every binding on a Worker's `env` is wrapped so that each call
 * is counted in the unit Cloudflare bills it in (KV reads/writes, D1 rows from D1's own `meta`,
 * Queue operations per 64 KB, R2 class A/B, Durable Object requests and storage rows, …).
 * Bindings are recognised by their shape, not by name, so a binding added to wrangler.toml is
 * counted without touching this file; one of a kind it does not know is still counted, per
 * method, as `other.<BINDING>.<method>`, so it cannot go unseen.
 *
 * Counts are kept per scope ("request", "object", "consumer", …): the bench and the workerd
 * test wrap the env of each handler with its own scope, and read `meter.snapshot()`.
 * Used by bench/budget-worker.ts and test/integration/budget.test.ts; never by the product.
 */
import { meterBinding } from "./meter-bindings";

export { QUEUE_OP_BYTES, queueMessageBytes, queueOps } from "./meter-bindings";
export { meterBatch, meterGlobals, meterStorage } from "./meter-runtime";

/** Counter name → count, keyed `<scope>:<metric>`, e.g. `request:kv.read`. */
export type Counts = Record<string, number>;

/**
 * The counters. One per isolate is enough: the Worker, its queue consumer and its Durable
 * Object share an isolate locally (the bench checks it), so they all count into the same one.
 */
export class Meter {
  private counts: Counts = {};
  /** SQL cursors of Durable Object storage: their rows are known once they are read. */
  private cursors: { scope: string; cursor: { rowsRead: number; rowsWritten: number } }[] = [];

  /**
   * Count `n` of `metric` in `scope`.
   *
   * @example
   * meter.add("request", "kv.read");
   */
  add(scope: string, metric: string, n = 1): void {
    if (n === 0) return;
    const key = `${scope}:${metric}`;
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }

  /**
   * Remember a SQL cursor; its rows read and written are counted at the next snapshot.
   *
   * @example
   * meter.watchCursor("object", storage.sql.exec("SELECT 1"));
   */
  watchCursor(scope: string, cursor: { rowsRead: number; rowsWritten: number }): void {
    this.cursors.push({ scope, cursor });
  }

  /**
   * The counts so far (zero counters are absent).
   *
   * @example
   * const counts = meter.snapshot(); // { "request:kv.read": 1, … }
   */
  snapshot(): Counts {
    for (const { scope, cursor } of this.cursors.splice(0)) {
      this.add(scope, "do.rows_read", cursor.rowsRead);
      this.add(scope, "do.rows_written", cursor.rowsWritten);
    }
    return { ...this.counts };
  }

  /**
   * Start counting from zero.
   *
   * @example
   * meter.reset();
   */
  reset(): void {
    this.counts = {};
    this.cursors = [];
  }
}

/** Metered envs, by meter, env and scope. */
const wrapped = new WeakMap<Meter, WeakMap<object, Map<string, object>>>();

/**
 * The env with every binding metered into `meter` under `scope`. Strings, numbers and plain
 * objects (vars) pass as they are. The same env and scope give the same object, so whatever the
 * product keys by env or binding identity (its config cache, the hop outbox) behaves as it does
 * unmetered.
 *
 * @example
 * const metered = meterEnv(env, meter, "request");
 * return worker.fetch(request, metered, ctx);
 */
export function meterEnv<E extends object>(env: E, meter: Meter, scope: string): E {
  let byEnv = wrapped.get(meter);
  if (!byEnv) {
    byEnv = new WeakMap();
    wrapped.set(meter, byEnv);
  }
  let byScope = byEnv.get(env);
  if (!byScope) {
    byScope = new Map();
    byEnv.set(env, byScope);
  }
  const known = byScope.get(scope);
  if (known) return known as E;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    out[name] = meterBinding(name, value, (metric, n) => meter.add(scope, metric, n));
  }
  byScope.set(scope, out);
  return out as E;
}
