// Emptying a test runtime's storage without letting the hop queue carry the previous file's hops
// into the empty database: see the header of fresh-storage.ts for why the drain is needed.
import { applyD1Migrations, reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Env } from "../../src/env";
import { buildHop } from "../../src/store/hops";

/**
 * The pool's own list of `waitUntil` work started by requests through `exports.default.fetch`
 * (the Worker's hop sends among it). Internal to @cloudflare/vitest-plugin, and no public API
 * awaits it: if an upgrade drops it, this fails loudly rather than draining less.
 */
async function settleWaitUntil(): Promise<void> {
  // @ts-expect-error the plugin's internal module has no type declarations
  const internal = (await import("cloudflare:test-internal")) as {
    waitForGlobalWaitUntil?: () => Promise<void>;
  };
  if (typeof internal.waitForGlobalWaitUntil !== "function")
    throw new Error("cloudflare:test-internal no longer exports waitForGlobalWaitUntil");
  // A rejection belongs to the request that started the work, not to the drain.
  await internal.waitForGlobalWaitUntil().catch(() => undefined);
}

/** Send one hop for a poster id of its own through the real queue; wait until it is counted. */
async function sentinel(): Promise<void> {
  const poster = `drain-${crypto.randomUUID()}`;
  const row = buildHop(
    { kind: "poster", subject_id: poster, poster_id: poster, hop: "scanned" },
    null,
  );
  await (env as unknown as Env).HOPS!.send({ t: "hops", rows: [row] });
  const counted = env.DB.prepare("SELECT 1 FROM hop_rollups WHERE poster_id = ?").bind(poster);
  for (let tries = 0; tries < 400; tries++) {
    if (await counted.first()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the queue drain's sentinel hop was not counted within 10 s");
}

/**
 * Wait until every hop message sent so far has been consumed, its batch finished (rollups,
 * archive object, webhook hand-off). The local broker delivers one batch at a time, in order:
 * once a first sentinel is counted, every earlier message was in its batch or before it; once a
 * second one is counted, the first one's batch has returned (the broker sends the next batch
 * only then), R2 writes included.
 *
 * @example
 * await drainHopQueue(); // then reset() finds nothing on its way to the database
 */
export async function drainHopQueue(): Promise<void> {
  await settleWaitUntil();
  await sentinel();
  await sentinel();
}

/**
 * Empty every binding's storage and apply the migrations again, after the hop queue is drained
 * into the storage that is being emptied. The migrations are applied first too: on a runtime's
 * first file the database has no tables yet, and the sentinels need them.
 *
 * @example
 * await emptyStorage(); // in a setup file, before each file that counts whole tables
 */
export async function emptyStorage(): Promise<void> {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  await drainHopQueue();
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
}
