/**
 * Set-up for the tests of a store change's second drop of its posters' cache entries
 * (store/poster-redrop.ts): a queue that records what was sent, messages as the consumer gets
 * them, and a store with many posters seeded straight into D1.
 */
import type { Env } from "../../src/env";
import type { PosterDropMessage } from "../../src/store/poster-redrop";
import { testEnv } from "./hop-helpers";
import { env } from "./poster-helpers";

/** A queue that records what was sent, with its delay (a class: the meter counts its sends). */
export class RecordingQueue {
  sent: { body: PosterDropMessage; delaySeconds: number | undefined }[] = [];
  async send(body: never, opts?: { delaySeconds?: number }) {
    this.sent.push({ body, delaySeconds: opts?.delaySeconds });
  }
  async sendBatch(msgs: { body: never; delaySeconds?: number }[]) {
    for (const m of msgs) this.sent.push({ body: m.body, delaySeconds: m.delaySeconds });
  }
  /** What was sent since the last call, emptied. */
  take() {
    return this.sent.splice(0);
  }
}

/**
 * The env with `WEBHOOKS` recording what is sent.
 *
 * @example
 * const { queue, env: queued } = withQueue();
 */
export function withQueue(base: Env = testEnv) {
  const queue = new RecordingQueue();
  return { queue, env: { ...base, WEBHOOKS: queue as unknown as Queue } as Env };
}

/**
 * Messages as the consumer gets them.
 *
 * @example
 * await runQueue("qrbridge-webhooks", delivered([{ t: "poster-drop", store }]));
 */
export const delivered = (bodies: unknown[], attempts = 1, tag = "drop") =>
  bodies.map((body, i) => ({ id: `${tag}-${i}`, timestamp: new Date(), attempts, body }));

/**
 * `n` live posters of `store`, written straight into D1 in one statement: ids `<tag><0000…>`,
 * seven at a time sharing a `created_at` (as a batch's posters do), so pages end inside a tie.
 *
 * @example
 * const ids = await seedPosters(store, "zq1", 1200);
 */
export async function seedPosters(store: string, tag: string, n: number): Promise<string[]> {
  const at = Date.now();
  await env.DB.prepare(
    `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?4)
     INSERT INTO posters (id, code, name, store_id, path, created_at, updated_at)
     SELECT ?1 || printf('%04d', i), ?1 || printf('%04d', i) || 'c', 'Shelf ' || i, ?2, '/menu',
            ?3 + i / 7, ?3
     FROM k`,
  )
    .bind(tag, store, at, n)
    .run();
  return Array.from({ length: n }, (_, i) => `${tag}${String(i).padStart(4, "0")}`);
}
