// What the "nothing lost" red-team files share: the Worker with its hop queue replaced by a list
// of what it took, or — `dead` — as an isolate that dies before its send (queue, R2 spool and a
// direct write all fail for that one request); counting those messages through the real
// consumer; and what a business sees of a subject's hops (the export) and webhooks.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { call, runToEnd } from "./helpers";
import { failingBatchDb, runQueue, scalar } from "./hop-helpers";

export type Message = { id: string; timestamp: Date; attempts: number; body: { rows: HopRow[] } };

/**
 * The Worker with its hop queue replaced by a list of the messages it took, or — `dead` — as
 * an isolate that dies before its send: the queue, the R2 spool and a direct write all fail.
 *
 * @example
 * const dead = app({ dead: true }); await dead.send(request); // nothing taken, nothing written
 */
export function app(opts: { dead?: boolean } = {}) {
  const taken: Message[] = [];
  const refuse = async () => {
    throw new Error("the isolate is gone");
  };
  const base = env as unknown as Record<string, unknown>;
  const bindings = {
    ...base,
    HOPS: {
      send: async (body: Message["body"]) => {
        if (opts.dead) return refuse();
        taken.push({
          id: `q-${crypto.randomUUID()}`,
          timestamp: new Date(),
          attempts: 1,
          body: structuredClone(body),
        });
      },
    },
    ...(opts.dead
      ? { HOP_ARCHIVE: { put: refuse }, DB: failingBatchDb(base.DB as D1Database) }
      : {}),
  };
  const rows = () => taken.flatMap((m) => m.body.rows);
  return { send: runToEnd(bindings), taken, rows };
}

/** Count messages through the real consumer, one batch each, in order. */
export async function consume(messages: Message[]): Promise<void> {
  for (const m of messages) {
    const r = await runQueue("qrbridge-hops", [m]);
    expect(r.retryBatch.retry || r.retryMessages.length > 0).toBe(false);
  }
}

/** How many of subject `id`'s `hop` hops the business exports with `key` (counted hops only). */
export async function exported(key: string, id: string, hop: string): Promise<number> {
  const res = await call(`/v1/hops?subject_id=${id}`, { key });
  expect(res.status).toBe(200);
  const rows = new TextDecoder()
    .decode(await res.arrayBuffer())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { hop: string });
  return rows.filter((r) => r.hop === hop).length;
}

/** Webhook deliveries to `endpoint` made for subject `id`'s `type` events. */
export const deliveries = (endpoint: string, id: string, type: string) =>
  scalar(
    `SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = ? AND event_type = ?
       AND json_extract(payload, '$.data.subject_id') = ?`,
    endpoint,
    type,
    id,
  );
