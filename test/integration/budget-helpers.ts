// What the budget tests share (budget.test.ts: one request's operations; budget-consumer.test.ts:
// the queue consumer's): the metered bindings, one metered request through the real Worker, and
// sums over the meter's counts.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { type Counts, Meter, meterEnv } from "../support/meter";
import { IPHONE_UA } from "./handoffs-helpers";
import { BASE } from "./helpers";

export const bindings = env as unknown as Env;
export const meter = new Meter();
export const CLAIM = "budget-app-claim-Zq4Lm9Xw2Vb8";

export interface Answer {
  status: number;
  body: string;
}

/** One request through the real Worker, metered; its waitUntil work is awaited too. */
export async function metered(path: string, init: RequestInit = {}): Promise<[Answer, Counts]> {
  meter.reset();
  const ctx = createExecutionContext();
  const request = new Request(/^https?:/i.test(path) ? path : `${BASE}${path}`, init);
  const res = await worker.fetch(request, meterEnv(bindings, meter, "request"), ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return [{ status: res.status, body }, meter.snapshot()];
}

export const phone = { headers: { "user-agent": IPHONE_UA } };
export const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", "user-agent": IPHONE_UA, ...headers },
  body: JSON.stringify(body),
});
/** The sum of a metric over every scope ("kv" sums kv.read, kv.write, …). */
export const count = (counts: Counts, metric: string) =>
  Object.entries(counts)
    .filter(([k]) => {
      const m = k.slice(k.indexOf(":") + 1);
      return m === metric || m.startsWith(`${metric}.`);
    })
    .reduce((a, [, n]) => a + n, 0);
export const storage = (c: Counts) => ({
  kv: count(c, "kv"),
  d1: count(c, "d1"),
  r2: count(c, "r2"),
});
