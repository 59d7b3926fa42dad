// Helpers for the hop pipeline, stats, dashboard and webhook tests: build hop rows, run the
// Worker's own queue handler on a hand-made batch, and query D1.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { buildHop, type HopInput, type HopRow } from "../../src/store/hops";

export const testEnv = env as unknown as Env;

let seq = 0;
/** A hop row at `at` (unix ms), with a request carrying `ip` when given. */
export async function hopRow(
  input: Partial<HopInput> & Pick<HopInput, "hop">,
  at: number,
  ip?: string,
): Promise<HopRow> {
  const headers = new Headers();
  if (ip) headers.set("cf-connecting-ip", ip);
  const request = new Request("https://qr.test/x", { headers });
  return buildHop(
    { kind: "poster", subject_id: `subject-${++seq}`, ...input },
    request,
    "test-ip-salt",
    at,
  );
}

/** Queue messages carrying rows, as the `HOPS` producer sends them. */
export function hopMessages(rows: HopRow[], attempts = 1) {
  return rows.map((row) => ({
    id: `msg-${row.event_id}`,
    timestamp: new Date(row.at),
    attempts,
    body: { t: "hop", row },
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

/** Write rows through the queue handler in batches of 100 (as the real consumer gets them). */
export async function ingestViaQueue(rows: HopRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    const result = await runQueue("qrbridge-hops", hopMessages(rows.slice(i, i + 100)));
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

/** Poll until `check` returns true (the real queue delivers asynchronously). */
export async function waitFor(check: () => Promise<boolean>, what: string, tries = 200) {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
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
