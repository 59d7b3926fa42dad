/**
 * Dead letters (`dead_letters`): queue messages that exhausted their retries or could never be
 * processed, kept for 30 days so an operator can inspect them and send them back.
 */

import type { BridgeConfig } from "../config";
import { type AuditActor, changesOf } from "../core/audit";
import { boundHopRow, type HopRow } from "../core/hop-row";
import type { Env } from "../env";
import { auditManyStatement } from "./audit-log";
import { asideStatements, type RowAside } from "./dead-letter-store";
import { hopEnvelopeId, hopIdTime } from "./hop-ids";
import { type HopEnvelope, ingestHops } from "./hop-ingest";
import { lateOnceLetter, onceTooLate } from "./hop-rollups";
import { splitHopRows } from "./queues";
import { dispatchDeliveries } from "./webhook-dispatch";

export interface DeadLetter {
  id: string;
  queue: string;
  type: string | null;
  body: unknown;
  attempts: number;
  error: string | null;
  received_at: number;
  replayed_at: number | null;
  /** A whole hop message's envelope id (0015), else null. */
  envelope: string | null;
}

/**
 * Dead letters, newest first; by default only those not yet replayed.
 *
 * @example
 * const letters = await listDeadLetters(env.DB, { limit: 50 });
 */
export async function listDeadLetters(
  db: D1Database,
  opts: { limit: number; includeReplayed?: boolean },
): Promise<DeadLetter[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM dead_letters ${opts.includeReplayed ? "" : "WHERE replayed_at IS NULL"}
       ORDER BY received_at DESC, id DESC LIMIT ?`,
    )
    .bind(opts.limit)
    .all<Omit<DeadLetter, "body"> & { body: string }>();
  return results.map((r) => ({ ...r, body: JSON.parse(r.body) as unknown }));
}

/** What a replay did. */
export interface ReplayReport {
  replayed: number;
  skipped: { id: string; reason: string }[];
}

/**
 * The hop rows a dead letter carries, repaired where the writer's bounds can repair them (an
 * over-long field is cut as the writer cuts it today); null when it is not a hop letter.
 * Letters of the single-row shape older versions sent (`{t: "hop", row}`) are read too.
 *
 * @example
 * hopLetterRows({ t: "hops", rows: [row] }) // { good: [row], bad: [] }
 */
export function hopLetterRows(body: unknown): ReturnType<typeof splitHopRows> | null {
  const b = body as { t?: unknown; rows?: unknown; row?: unknown } | null;
  const rows = b?.t === "hops" && Array.isArray(b.rows) ? b.rows : b?.t === "hop" ? [b.row] : null;
  if (!rows) return null;
  const repaired = rows.map((r) =>
    typeof r === "object" && r !== null ? boundHopRow(r as HopRow) : r,
  );
  return splitHopRows(repaired);
}

/**
 * The rows of a whole hop message from a dead-letter queue as the consumer judged them, not
 * repaired; null for any other letter (a row set aside alone, the old single-row shape).
 *
 * @example
 * wholeMessageRows("qrbridge-hops-dlq", { t: "hops", id, rows }) // { good, bad }
 */
function wholeMessageRows(queue: string, body: unknown): ReturnType<typeof splitHopRows> | null {
  const b = body as { t?: unknown; rows?: unknown } | null;
  if (!queue.endsWith("-dlq") || b?.t !== "hops" || !Array.isArray(b.rows)) return null;
  return splitHopRows(b.rows);
}

/**
 * The envelope a replayed hop letter's `rows` count under. A whole message carries its writer's
 * id: a copy of it counted meanwhile (a resend) is recognised, and one still on its way will be.
 * One of an older writer is known by its queue message id (the letter's, from a dead-letter
 * queue); a row set aside alone is an envelope of its own. Counted, each is remembered in
 * `hop_resent` (31 days, longer than a letter is kept): a replay that counted but failed before
 * it marked its letters leaves them unreplayed, and replaying them again, however late, counts
 * nothing twice (`hop_batches` forgets in a day).
 *
 * @example
 * letterEnvelope({ id: "msg-1", queue: "qrbridge-hops-dlq", received_at }, body, rows).id
 * // the writer's id (body.id), else "msg-1"
 */
function letterEnvelope(
  r: { id: string; queue: string; received_at: number },
  body: { id?: unknown },
  rows: HopRow[],
): HopEnvelope {
  const own = hopEnvelopeId(body, "").id;
  const fallback = r.queue.endsWith("-dlq") ? r.id : `dead-letter:${r.id}`;
  return {
    id: own || fallback,
    resent: true,
    // Another copy may have been counted when this one was first sent, long before it was
    // dead-lettered: look back from the writer's time (in its id).
    sentAt: Math.min(r.received_at, hopIdTime(own) ?? r.received_at),
    again: true,
    rows,
  };
}

/**
 * Send dead letters back: hop rows are repaired where they can be ({@link hopLetterRows}) and
 * counted (exactly once: a letter is an envelope of its own), webhook deliveries go back to
 * `pending` and are dispatched. Each replayed letter is marked `replayed_at`; letters that
 * still cannot be processed are reported and left as they are, and so is a once-only app event
 * too old to tell whether it was counted (set aside again as a letter of its own, `late:…`).
 * `now` (unix ms) is the one clock of the replay: it judges lateness and stamps `replayed_at`.
 * With `by`, each replayed letter's `dead_letters.replay` audit row is written in the batch that
 * marks it replayed.
 *
 * @example
 * const report = await replayDeadLetters(env, config, ["msg-1"]);
 */
export async function replayDeadLetters(
  env: Env,
  config: Pick<BridgeConfig, "keyring" | "env" | "webhookBreaker">,
  ids: string[],
  now = Date.now(),
  by?: AuditActor,
): Promise<ReplayReport> {
  const report: ReplayReport = { replayed: 0, skipped: [] };
  if (ids.length === 0) return report;
  const { results } = await env.DB.prepare(
    "SELECT id, queue, type, body, received_at FROM dead_letters WHERE id IN (SELECT value FROM json_each(?)) AND replayed_at IS NULL",
  )
    .bind(JSON.stringify(ids))
    .all<{ id: string; queue: string; type: string | null; body: string; received_at: number }>();
  const found = new Set(results.map((r) => r.id));
  for (const id of ids)
    if (!found.has(id)) report.skipped.push({ id, reason: "not found or already replayed" });
  const envelopes: HopEnvelope[] = [];
  let replayed: string[] = [];
  const deliveries: string[] = [];
  const lettersOf = new Map<string, string[]>();
  const asked = new Set(ids);
  const aside: RowAside[] = [];
  for (const r of results) {
    const body = JSON.parse(r.body) as { t?: string; id?: unknown };
    const whole = wholeMessageRows(r.queue, body);
    if (whole) {
      // Split as the consumer splits it: the good rows count under the message's envelope, and
      // each bad row is its own letter (`<envelope>:<index>`, the one the consumer stored if it
      // got that far), which a replay of that letter repairs. Repaired here too, a row would
      // count twice when both letters are replayed.
      const envelope = letterEnvelope(r, body, whole.good);
      const queue = r.queue.replace(/-dlq$/, "");
      for (const b of whole.bad) {
        // Before the writer's id named it, the consumer named the letter by the queue message
        // id, which is this letter's own.
        const old = envelope.id === r.id ? null : `${r.id}:${b.index}`;
        aside.push({ id: `${envelope.id}:${b.index}`, old, queue, row: b.row, error: b.error });
      }
      if (whole.good.length) envelopes.push(envelope);
      replayed.push(r.id);
      continue;
    }
    const hops = hopLetterRows(body);
    const late = r.queue === "late" ? hops?.good.find((row) => onceTooLate(row, now)) : undefined;
    if (hops?.bad.length) {
      report.skipped.push({ id: r.id, reason: `invalid hop row: ${hops.bad[0]!.error}` });
    } else if (late) {
      // Refused here, not by counting it: a count that sets it aside again still claims its
      // envelope, so a second replay would find it counted and mark it replayed, counted nowhere.
      report.skipped.push({ id: r.id, reason: lateOnceLetter(late, now).error });
    } else if (hops) {
      envelopes.push(letterEnvelope(r, body, hops.good));
      replayed.push(r.id);
    } else if (body?.t === "webhook" && typeof body.id === "string") {
      deliveries.push(body.id);
      lettersOf.set(body.id, [...(lettersOf.get(body.id) ?? []), r.id]);
      replayed.push(r.id);
    } else report.skipped.push({ id: r.id, reason: "not a hop or webhook message" });
  }
  if (deliveries.length) {
    // As "Retry now" is a 409 while the endpoint is paused: sent now, a delivery would only be
    // held again, and an `expired` one expired (and counted in `hold_expired`) a second time.
    // Such a letter is left unreplayed for after the resume. Guarded in the UPDATE too, against
    // a pause landing between the two statements.
    const { results: released } = await env.DB.prepare(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?
       WHERE id IN (SELECT value FROM json_each(?)) AND status != 'delivered'
         AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                         WHERE e.id = webhook_deliveries.endpoint_id AND e.paused_at IS NOT NULL)
       RETURNING id`,
    )
      .bind(now, JSON.stringify(deliveries))
      .all<{ id: string }>();
    const kept = new Set(released.map((r) => r.id));
    const rest = deliveries.filter((id) => !kept.has(id));
    const { results: paused } = rest.length
      ? await env.DB.prepare(
          `SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
           WHERE d.id IN (SELECT value FROM json_each(?)) AND e.paused_at IS NOT NULL`,
        )
          .bind(JSON.stringify(rest))
          .all<{ id: string }>()
      : { results: [] };
    const pausedIds = new Set(paused.map((r) => r.id));
    const waiting = new Set(paused.flatMap((r) => lettersOf.get(r.id) ?? []));
    for (const letter of waiting)
      report.skipped.push({ id: letter, reason: "webhook paused: resume it to replay" });
    replayed = replayed.filter((id) => !waiting.has(id));
    deliveries.splice(0, deliveries.length, ...deliveries.filter((id) => !pausedIds.has(id)));
  }
  // Before counting, as the consumer does: a failure after leaves them stored all the same.
  const asideStmts = aside.length ? await asideStatements(env.DB, aside, asked, report) : [];
  if (asideStmts.length) await env.DB.batch(asideStmts);
  if (envelopes.length) {
    // A refused row is a letter of its own; replaying that letter refuses it again (same id).
    const { refused } = await ingestHops(env, config, envelopes, now);
    report.skipped.push(...refused);
    const again = new Set(refused.map((r) => r.id));
    replayed = replayed.filter((id) => !again.has(id));
  }
  await dispatchDeliveries(env, config, deliveries);
  if (replayed.length) {
    // Another replay of the same letters may have run alongside this one (two operators, a
    // double click): its effects and this one's count once, and only the replay that marks a
    // letter reports it and logs it, so neither the answers nor the audit log say it twice.
    const db = env.DB;
    const letters = replayed.map((id) => ({ id, changes: changesOf({}) }));
    const unmarked = (id: string) =>
      `EXISTS (SELECT 1 FROM dead_letters WHERE id = ${id} AND replayed_at IS NULL)`;
    const results = await db.batch<{ id: string }>([
      ...(by ? [auditManyStatement(db, by, "dead_letters.replay", letters, now, unmarked)] : []),
      db
        .prepare(
          "UPDATE dead_letters SET replayed_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND replayed_at IS NULL RETURNING id",
        )
        .bind(now, JSON.stringify(replayed)),
    ]);
    const marked = new Set(results.at(-1)!.results.map((r) => r.id));
    for (const id of replayed)
      if (!marked.has(id)) report.skipped.push({ id, reason: "already replayed" });
    replayed = replayed.filter((id) => marked.has(id));
  }
  report.replayed = replayed.length;
  return report;
}
