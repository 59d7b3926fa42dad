// The Worker of `npm run bench -- budget` and `-- instructions`: the real Worker (src/index.ts:
// every route, its queue consumer and its Durable Object) with each handler's bindings metered
// (test/support/meter.ts) under a scope of its own: "request" (the fetch handler and its
// waitUntil work), "object" (inside HandoffObject, its storage included), "consumer" (the queue
// handler). With BENCH_METER=off nothing is wrapped (the instruction counts measure the product).
//
// Each response is held until the request's waitUntil work has finished, so a driver that sends
// one request at a time sees that request whole (its hops' queue send included). A few control
// routes under /__bench/ read and reset the counters; they are not part of the product.

import type { Env } from "../src/env";
import worker, {
  HandoffObject as ProductHandoffObject,
  LoginObject as ProductLoginObject,
} from "../src/index";
import { forgetKeyLookups } from "../src/store/keys";
import { Meter, meterBatch, meterEnv, meterGlobals, meterStorage } from "../test/support/meter";

type BenchEnv = Env & { BENCH_METER?: string };

/** One meter for the isolate: the Worker, its consumer and its objects share it locally. */
const meter = new Meter();
/** Which isolate a handler runs in (the driver checks the object's is the Worker's). */
let isolate: string | undefined;
const isolateId = () => {
  isolate ??= crypto.randomUUID(); // not at load: random values are not allowed in global scope
  return isolate;
};
let globalsMetered = false;

const metering = (env: BenchEnv) => env.BENCH_METER !== "off";

/**
 * A meter for one Durable Object: its counts go under "object", except while its alarm runs,
 * when they go under "alarm". An alarm expires or purges a record an earlier path made, so its
 * work belongs to no measured path (the bench reports it apart).
 */
function objectMeter() {
  let inAlarm = false;
  const scoped = Object.create(meter) as Meter;
  scoped.add = (scope, metric, n) =>
    meter.add(inAlarm && scope === "object" ? "alarm" : scope, metric, n);
  scoped.watchCursor = (scope, cursor) =>
    meter.watchCursor(inAlarm && scope === "object" ? "alarm" : scope, cursor);
  return {
    meter: scoped,
    async alarm(run: () => Promise<void>): Promise<void> {
      inAlarm = true;
      meter.add("alarm", "do.alarm");
      try {
        await run();
      } finally {
        inAlarm = false;
      }
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: a class mixin's constructor takes any[]
type ObjectClass = new (...args: any[]) => { alarm(): Promise<void> };

/** A product Durable Object class with its storage and bindings metered under "object". */
function metered<Base extends ObjectClass>(Product: Base) {
  return class extends Product {
    readonly objectMeter: ReturnType<typeof objectMeter>;

    // biome-ignore lint/suspicious/noExplicitAny: as ObjectClass
    constructor(...args: any[]) {
      const [ctx, env] = args as [DurableObjectState, BenchEnv];
      const scoped = objectMeter();
      if (metering(env)) meterStorage(ctx.storage, scoped.meter, "object");
      super(ctx, metering(env) ? meterEnv(env, scoped.meter, "object") : env);
      this.objectMeter = scoped;
    }

    override alarm(): Promise<void> {
      return this.objectMeter.alarm(() => super.alarm());
    }
  };
}

/** The product's handoff object, metered. */
export class HandoffObject extends metered(ProductHandoffObject) {
  /** The isolate this object runs in. */
  benchIsolate(): string {
    return isolateId();
  }
}

/** The product's QR login object, metered. */
export const LoginObject = metered(ProductLoginObject);

/** An execution context whose waitUntil promises can be awaited. */
function holding(ctx: ExecutionContext) {
  const pending: Promise<unknown>[] = [];
  const held = {
    waitUntil(promise: Promise<unknown>) {
      pending.push(promise);
      ctx.waitUntil(promise);
    },
    passThroughOnException: () => ctx.passThroughOnException(),
    props: ctx.props,
  } as ExecutionContext;
  return {
    ctx: held,
    async settled() {
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    },
  };
}

/**
 * 2,000 posters of one store, each with a rollup row on each of the 28 baseline days before the
 * default quiet week (UTC), half of them with one on each of the 7 quiet days too: the 1,000
 * others are quiet. Written straight to D1 (63,000 rows): the path measures the read alone.
 */
async function seedQuietPosters(db: D1Database): Promise<{ rows: number }> {
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const first = new Date(today - 34 * 86_400_000).toISOString().slice(0, 10);
  const now = Date.now();
  await db.batch([
    db
      .prepare(
        "INSERT OR IGNORE INTO stores (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
      )
      .bind("st_benchquiet", "Bench quiet", now),
    db
      .prepare(
        `INSERT OR IGNORE INTO posters (id, code, name, store_id, path, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
         SELECT printf('Q%05d', i), printf('Q%05dXXXX', i), printf('quiet %d', i), 'st_benchquiet',
                '/menu', ?1, ?1 FROM n`,
      )
      .bind(now),
    db
      .prepare(
        `INSERT OR IGNORE INTO hop_rollups (day, kind, store_id, poster_id, counts)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999),
              d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 34)
         SELECT date(?1, printf('+%d days', k)), 'poster', 'st_benchquiet', printf('Q%05d', i),
                '{"scanned":3,"landing":2}'
         FROM n, d WHERE k < 28 OR i % 2 = 0`,
      )
      .bind(first),
  ]);
  return { rows: 2000 * 28 + 1000 * 7 };
}

async function control(url: URL, env: BenchEnv): Promise<Response> {
  switch (url.pathname) {
    case "/__bench/empty":
      return new Response("ok");
    case "/__bench/counts":
      return Response.json(meter.snapshot());
    case "/__bench/reset":
      meter.reset();
      return Response.json({ ok: true });
    case "/__bench/forget-keys":
      // Forgets every D1 binding's key lookups in this isolate, the metered requests' included.
      forgetKeyLookups();
      return Response.json({ ok: true });
    case "/__bench/quiet-posters":
      return Response.json(await seedQuietPosters(env.DB));
    case "/__bench/isolates": {
      const stub = env.HANDOFF.get(env.HANDOFF.idFromName("bench-isolate")) as unknown as {
        benchIsolate(): Promise<string>;
      };
      return Response.json({ worker: isolateId(), object: await stub.benchIsolate() });
    }
    default:
      return new Response("no such bench route", { status: 404 });
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/__bench/")) return control(url, env);
    const held = holding(ctx);
    let response: Response;
    if (metering(env)) {
      if (!globalsMetered) {
        meterGlobals(meter, "any");
        globalsMetered = true;
      }
      meter.add("request", "invocation");
      response = await worker.fetch(request, meterEnv(env, meter, "request"), held.ctx);
    } else {
      response = await worker.fetch(request, env, held.ctx);
    }
    await held.settled();
    return response;
  },

  async queue(batch, env, ctx) {
    if (!metering(env)) return worker.queue(batch, env, ctx);
    meter.add("consumer", "invocation");
    const metered = meterBatch(batch, meter, "consumer");
    try {
      await worker.queue(batch, meterEnv(env, meter, "consumer"), ctx);
      metered.settle(true);
    } catch (err) {
      metered.settle(false);
      throw err;
    }
  },

  scheduled(controller, env, ctx) {
    if (!metering(env)) return worker.scheduled(controller, env, ctx);
    meter.add("cron", "invocation");
    return worker.scheduled(controller, meterEnv(env, meter, "cron"), ctx);
  },
} satisfies ExportedHandler<BenchEnv>;
