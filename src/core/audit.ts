/**
 * The audit log's pure part: who made a change, and the small record of what changed. The
 * rows are written by store/audit-log.ts in the same D1 batch as the change.
 */

/** How a change came in (audit_log.via: migrations/0027 added "system"). */
export const AUDIT_VIAS = ["api", "console", "system"] as const;
export type AuditVia = (typeof AUDIT_VIAS)[number];

/** Who made a change: the key id ("admin" for the admin key) and how it came in. */
export interface AuditActor {
  actor: string;
  /**
   * "console": a dashboard session of that key (routes/console-api.ts); "api": a bearer key;
   * "system": the bridge itself, actor `system` (the webhook circuit breaker's pause).
   */
  via: AuditVia;
}

/** Every action the log records, by subject. */
export const AUDIT_ACTIONS = [
  "key.create",
  "key.revoke",
  /** A roll: on the old key, naming the new one (`rolled_to`) and when the old one ends. */
  "key.roll",
  "key.update",
  "poster.create",
  "poster.update",
  "poster.delete",
  "store.create",
  "store.update",
  "store.delete",
  "campaign.create",
  "webhook.create",
  "webhook.delete",
  "webhook.retry",
  "webhook.update",
  "webhook.pause",
  "webhook.resume",
  "webhook.rotate",
  "dead_letters.replay",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_SUBJECTS = [
  "key",
  "poster",
  "store",
  "campaign",
  "webhook",
  "dead_letter",
] as const;
export type AuditSubject = (typeof AUDIT_SUBJECTS)[number];

/**
 * The kind of subject an action is about: its prefix, but a replay is of one dead letter.
 *
 * @example
 * subjectOf("poster.update") // "poster"
 * subjectOf("dead_letters.replay") // "dead_letter"
 */
export function subjectOf(action: AuditAction): AuditSubject {
  return action === "dead_letters.replay" ? "dead_letter" : (action.split(".")[0] as AuditSubject);
}

/** One change to log; `at` and the row id are given when it is written. */
export interface AuditEntry extends AuditActor {
  action: AuditAction;
  subject_type: AuditSubject;
  subject_id: string;
  changes: AuditChanges;
}

/** The fields a change set (names), and the new values of those worth keeping. */
export interface AuditChanges {
  fields: string[];
  values: Record<string, unknown>;
}

/** A value longer than this as JSON is named in `fields` but not kept (the row stays small). */
export const AUDIT_VALUE_MAX = 200;

/**
 * What a change set, from its input: every field present (not `undefined`) is named; its value
 * is kept unless the field is in `nameOnly` (free-form or sensitive data: a store's metadata) or
 * its JSON is longer than {@link AUDIT_VALUE_MAX}. Callers never pass a secret at all.
 *
 * @example
 * changesOf({ status: "paused", name: undefined }) // { fields: ["status"], values: { status: "paused" } }
 * changesOf({ metadata: { pos: 1 } }, ["metadata"]) // { fields: ["metadata"], values: {} }
 */
export function changesOf(
  input: Record<string, unknown>,
  nameOnly: readonly string[] = [],
): AuditChanges {
  const fields: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    fields.push(field);
    if (nameOnly.includes(field)) continue;
    const json = JSON.stringify(value);
    if (json !== undefined && json.length <= AUDIT_VALUE_MAX) values[field] = value;
  }
  return { fields, values };
}

/** A page cursor of the log: the last row's `at` and `id`, newest first. */
export interface AuditCursor {
  at: number;
  id: number;
}

/**
 * The cursor after a row, opaque to callers.
 *
 * @example
 * encodeAuditCursor({ at: 1700000000000, id: 42 }) // "1700000000000.42"
 */
export function encodeAuditCursor(row: AuditCursor): string {
  return `${row.at}.${row.id}`;
}

/**
 * Decode a cursor; null when it is not one of ours.
 *
 * @example
 * decodeAuditCursor("1700000000000.42") // { at: 1700000000000, id: 42 }
 * decodeAuditCursor("1700000000000.st_x") // null
 */
export function decodeAuditCursor(text: string): AuditCursor | null {
  const m = /^(\d{1,16})\.(\d{1,16})$/.exec(text);
  return m ? { at: Number(m[1]), id: Number(m[2]) } : null;
}

/** Keep `last_used_at` to the hour: a key used all day costs about 24 writes, not one per call. */
export const KEY_USE_EVERY_MS = 3_600_000;

/**
 * Whether a key's `last_used_at` is due to be written: never written, or an hour old.
 *
 * @example
 * keyUseDue(null, Date.now()) // true
 * keyUseDue(now - 60_000, now) // false
 */
export function keyUseDue(lastUsedAt: number | null, now: number): boolean {
  return lastUsedAt === null || lastUsedAt < now - KEY_USE_EVERY_MS;
}
