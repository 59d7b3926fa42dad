// What the "nothing lost" red-team files share: the Worker with its hop queue replaced by a list
// of what it took, or — `dead` — as an isolate that dies before its send (queue, R2 spool and a
// direct write all fail for that one request); counting those messages through the real
// consumer; what a business sees of a subject's hops (the export) and webhooks; and the app's
// redeeming call with the file's handoffs and webhook endpoint that watch it.
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, expect } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { ANDROID_APP_UA, type Created, createHandoff } from "./handoffs-helpers";
import { BASE, call, exportLines, mintKey, runToEnd } from "./helpers";
import { failingBatchDb, runQueue, scalar } from "./hop-helpers";
import { receiver, registerWebhook, webhookKeyForFile } from "./webhooks-helpers";

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
  const rows = (await exportLines(`subject_id=${id}`, key)).map(
    (l) => JSON.parse(l) as { hop: string },
  );
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

/**
 * The app (or a stranger) redeeming handoff `h` with `POST /v1/resolve`, from its own address
 * (`ip`), with its `claim` when it sends one.
 *
 * @example
 * await dead.send(resolveReq(h, { claim: CLAIM }));
 */
export function resolveReq(h: Created, opts: { claim?: string; ip?: string } = {}): Request {
  const { claim, ip = "198.51.100.7" } = opts;
  return new Request(`${BASE}/v1/resolve`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": ANDROID_APP_UA,
      "cf-connecting-ip": ip,
    },
    body: JSON.stringify({ url: h.url, ...(claim ? { claim } : {}) }),
    cf: { country: "NL", colo: "AMS" },
  } as RequestInit);
}

/**
 * What a file watching its subjects' webhooks sets up: a secret key with `scopes`, and one
 * webhook endpoint for `events`, registered on first use and deleted after the file (the
 * storage is shared: other files' subjects make no deliveries to it).
 *
 * @example
 * const watch = webhookWatchForFile(["logins:write"], ["login.approved"]);
 * await watch.listen(); … await deliveries(watch.endpoint(), id, "login.approved");
 */
export function webhookWatchForFile(scopes: string[], events: string[]) {
  const keyFor = webhookKeyForFile();
  let key = "";
  let endpoint = "";
  beforeAll(async () => {
    key = await mintKey("secret", scopes);
  });
  afterAll(async () => {
    if (endpoint)
      expect(
        (await call(`/v1/webhooks/${endpoint}`, { method: "DELETE", key: keyFor() })).status,
      ).toBe(200);
  });
  return {
    /** The file's key (read inside a test). */
    key: () => key,
    /** The endpoint's id, once {@link listen} registered it. */
    endpoint: () => endpoint,
    /** The webhook receiver answering 200, and the endpoint registered if it is not yet. */
    async listen(): Promise<void> {
      receiver(200);
      if (!endpoint) endpoint = (await registerWebhook(keyFor(), events)).id;
    },
  };
}

/**
 * What a file testing a redemption's hops sets up ({@link webhookWatchForFile} for handoff
 * events): a fresh handoff per test, and the check that each hop was counted once with one
 * webhook.
 *
 * @example
 * const watched = redemptionWatchForFile();
 * const h = await watched.setUp(); … await watched.expectCountedOnce(h);
 */
export function redemptionWatchForFile() {
  const watch = webhookWatchForFile(
    ["handoffs:write", "stats:read"],
    ["handoff.scanned", "handoff.redeemed"],
  );
  return {
    /** The key that makes the file's handoffs and exports their hops (read inside a test). */
    key: watch.key,
    /** A fresh handoff, and the webhook endpoint listening for its events. */
    async setUp(): Promise<Created> {
      await watch.listen();
      return createHandoff(watch.key(), { payload: { session: "s-42" } });
    },
    /** One counted of each of the redemption's hops, one webhook for each. */
    async expectCountedOnce(h: Created): Promise<void> {
      const key = watch.key();
      expect(await exported(key, h.id, "redeemed")).toBe(1);
      expect(await exported(key, h.id, "scanned")).toBe(1);
      expect(await deliveries(watch.endpoint(), h.id, "handoff.redeemed")).toBe(1);
      expect(await deliveries(watch.endpoint(), h.id, "handoff.scanned")).toBe(1);
    },
  };
}
