// Helpers for the hop pipeline, stats, dashboard and webhook tests: build hop rows, run the
// Worker's own queue handler on a hand-made batch, read the rollups and the R2 archive, and the
// one polling helper for what travels through the real queue.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { resolveConfig } from "../../src/config";
import type { HopRow } from "../../src/core/hop-row";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { readArchiveObject } from "../../src/store/hop-archive";
import { buildHop, type HopInput } from "../../src/store/hops";

export const testEnv = env as unknown as Env;

/** The bridge's configuration from the test env, for calling the cron and the ingest directly. */
export function testConfig() {
  const e = testEnv as unknown as Record<string, string>;
  return resolveConfig({ adminKey: e.QB_ADMIN_KEY, signingKeys: e.QB_SIGNING_KEYS, ipSalt: "s" });
}

/**
 * Retry `check` until it returns something other than undefined/false (the real queue delivers
 * asynchronously); fails with `what` after `tries` × 50 ms.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  tries = 200,
): Promise<T> {
  let last: T | undefined | false;
  for (let i = 0; i < tries; i++) {
    last = await check();
    if (last !== undefined && last !== false) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * A stand-in 64-bit IP hash (16 hex) for a label, well mixed like the writer's SHA-256 prefix:
 * FNV-1a, then the splitmix64 finaliser.
 */
export function fakeIpHash(label: string): string {
  const mask = 0xffffffffffffffffn;
  let h = 0xcbf29ce484222325n;
  for (const ch of label) h = ((h ^ BigInt(ch.charCodeAt(0))) * 0x100000001b3n) & mask;
  h = ((h ^ (h >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  h = ((h ^ (h >> 27n)) * 0x94d049bb133111ebn) & mask;
  return (h ^ (h >> 31n)).toString(16).padStart(16, "0");
}

let seq = 0;
/** A hop row at `at` (unix ms), from a client labelled `ip` when given. */
export function hopRow(
  input: Partial<HopInput> & Pick<HopInput, "hop">,
  at: number,
  ip?: string,
): HopRow {
  const row = buildHop({ kind: "poster", subject_id: `subject-${++seq}`, ...input }, null, at);
  if (ip) row.ip_hash = fakeIpHash(ip);
  return row;
}

/** Queue messages as the `HOPS` producer sends them: one message per row here. */
export function hopMessages(rows: HopRow[], attempts = 1) {
  return rows.map((row) => ({
    id: `msg-${row.event_id}`,
    timestamp: new Date(row.at),
    attempts,
    body: { t: "hops", rows: [row] },
  }));
}

/**
 * Run the Worker's queue handler on one batch; returns the ack/retry outcome and the delay
 * asked for by each `retry()` (the test runtime does not report delays itself).
 */
export async function runQueue(
  queue: string,
  messages: { id: string; timestamp: Date; attempts: number; body: unknown }[],
  bindings: Env = testEnv,
) {
  const batch = createMessageBatch(queue, messages);
  const delays: (number | undefined)[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (opts?: QueueRetryOptions) => {
      delays.push(opts?.delaySeconds);
      retry(opts);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, bindings, ctx);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

/** Count rows through the queue handler in batches of 100 messages (as the real consumer gets them). */
export async function ingestViaQueue(rows: HopRow[]): Promise<void> {
  const messages = hopMessages(rows);
  for (let i = 0; i < messages.length; i += 100) {
    const result = await runQueue("qrbridge-hops", messages.slice(i, i + 100));
    if (result.retryMessages.length || result.retryBatch.retry)
      throw new Error(`batch ${i / 100} was retried`);
  }
}

/** First column of the first row of a query. */
export async function scalar<T = number>(sql: string, ...args: unknown[]): Promise<T> {
  const row = await testEnv.DB.prepare(sql)
    .bind(...args)
    .first<Record<string, T>>();
  return Object.values(row ?? {})[0] as T;
}

/** The sum of one `counts` key (e.g. "scanned", "bot.previewed") over rollup rows matching `where`. */
export async function rolledUp(key: string, where = "1 = 1", ...args: unknown[]): Promise<number> {
  const { results } = await testEnv.DB.prepare(`SELECT counts FROM hop_rollups WHERE ${where}`)
    .bind(...args)
    .all<{ counts: string }>();
  return results.reduce(
    (n, r) => n + ((JSON.parse(r.counts) as Record<string, number>)[key] ?? 0),
    0,
  );
}

/** An archived hop as exported (`detail` parsed). */
export type ArchivedHop = Omit<HopRow, "detail"> & { detail: Record<string, unknown> | null };

/** Every hop in the R2 archive whose fields equal `match`, in time order. */
export async function archivedHops(match: Partial<ArchivedHop> = {}): Promise<ArchivedHop[]> {
  const bucket = testEnv.HOP_ARCHIVE!;
  const rows: ArchivedHop[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: "hops/", cursor });
    for (const o of page.objects) {
      for (const r of (await readArchiveObject(bucket, o.key)) ?? []) rows.push(r as ArchivedHop);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return rows
    .filter((r) =>
      Object.entries(match).every(([k, v]) => (r as unknown as Record<string, unknown>)[k] === v),
    )
    .sort((a, b) => a.at - b.at || a.hop.localeCompare(b.hop));
}

/** Wait until at least `count` archived hops match, then return them all. */
export function waitForHops(match: Partial<ArchivedHop>, count: number): Promise<ArchivedHop[]> {
  return eventually(
    async () => {
      const rows = await archivedHops(match);
      return rows.length >= count ? rows : undefined;
    },
    `${count} hops matching ${JSON.stringify(match)}`,
  );
}

/** A D1 binding whose `batch()` always fails, the rest passing through. */
export function failingBatchDb(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "batch") return () => Promise.reject(new Error("D1_ERROR: injected failure"));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
