/**
 * Campaigns in D1: the dimension a poster scan is attributed to besides its store and the poster
 * itself. Created on first use by name (posters.ts), or by `POST /v1/campaigns`.
 */
import { customAlphabet } from "nanoid";
import { type AuditActor, changesOf } from "../core/audit";
import { auditIf } from "./audit-log";
import type { AnswerHook } from "./idempotency";
import { type Cursor, listPageWhere, page } from "./paging";

const idPart = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 12);

export interface CampaignRecord {
  id: string;
  name: string;
  created_at: number;
}

/**
 * A fresh campaign id (`cp_` + 12 chars).
 *
 * @example
 * newCampaignId() // "cp_0k3m9x2q7a1b"
 */
export function newCampaignId(): string {
  return `cp_${idPart()}`;
}

/**
 * Campaigns, newest first, `limit` at a time.
 *
 * @example
 * const { items } = await listCampaigns(env.DB, { limit: 50 });
 */
export async function listCampaigns(
  db: D1Database,
  opts: { limit: number; cursor?: Cursor | null; q?: string },
): Promise<{ items: CampaignRecord[]; next_cursor: string | null }> {
  const { sql, args } = listPageWhere(opts, ["name"]);
  const { results } = await db
    .prepare(
      `SELECT id, name, created_at FROM campaigns ${sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .bind(...args, opts.limit + 1)
    .all<CampaignRecord>();
  return page(results, opts.limit);
}

/**
 * Create a campaign by name (as a poster naming it would); null when the name is taken. With
 * `by`, the audit log's `campaign.create` row is written in the same batch, only when created;
 * with `answer`, the `Idempotency-Key` answer too.
 *
 * @example
 * const campaign = await createCampaign(env.DB, "Summer 2026"); // { id: "cp_…", name, created_at }
 */
export async function createCampaign(
  db: D1Database,
  name: string,
  by?: AuditActor,
  answer?: AnswerHook<CampaignRecord>,
): Promise<CampaignRecord | null> {
  const record: CampaignRecord = { id: newCampaignId(), name, created_at: Date.now() };
  const { id, created_at: now } = record;
  const insert = db
    .prepare(
      "INSERT INTO campaigns (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id, name, created_at",
    )
    .bind(id, name, now);
  // A name already taken inserts nothing: the answer is stored only with a campaign created.
  const landed = { sql: "EXISTS (SELECT 1 FROM campaigns WHERE id = ?)", args: [id] };
  const [created] = await db.batch<CampaignRecord>([
    insert,
    ...auditIf(db, by, "campaign.create", id, changesOf({ name }), now, true),
    ...((await answer?.(record, landed)) ?? []),
  ]);
  return created?.results[0] ?? null;
}

/**
 * One campaign by name, or null.
 *
 * @example
 * const campaign = await campaignByName(env.DB, "Summer 2026");
 */
export async function campaignByName(db: D1Database, name: string): Promise<CampaignRecord | null> {
  return db
    .prepare("SELECT id, name, created_at FROM campaigns WHERE name = ?")
    .bind(name)
    .first<CampaignRecord>();
}

/**
 * One campaign by id, or null.
 *
 * @example
 * const campaign = await getCampaign(env.DB, "cp_0k3m9x2q7a1b");
 */
export async function getCampaign(db: D1Database, id: string): Promise<CampaignRecord | null> {
  return db
    .prepare("SELECT id, name, created_at FROM campaigns WHERE id = ?")
    .bind(id)
    .first<CampaignRecord>();
}

/**
 * One statement that creates the named campaigns unless they exist, for a `DB.batch()`: the
 * campaigns and the posters naming them are then written in one transaction.
 *
 * @example
 * await db.batch([ensureCampaignsStatement(db, ["Summer"], now), insertPosters]);
 */
export function ensureCampaignsStatement(
  db: D1Database,
  names: string[],
  now: number,
): D1PreparedStatement {
  const pairs = [...new Set(names)].map((name) => [newCampaignId(), name]);
  // `WHERE true` lets SQLite parse the upsert clause after a SELECT.
  return db
    .prepare(
      "INSERT INTO campaigns (id, name, created_at) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ? FROM json_each(?) WHERE true ON CONFLICT (name) DO NOTHING",
    )
    .bind(now, JSON.stringify(pairs));
}

/**
 * Ids of the named campaigns (as a statement, to read them inside the writing batch).
 *
 * @example
 * const [, , read] = await db.batch([ensure, insert, campaignIdsStatement(db, names)]);
 */
export function campaignIdsStatement(db: D1Database, names: string[]): D1PreparedStatement {
  return db
    .prepare("SELECT id, name FROM campaigns WHERE name IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify([...new Set(names)]));
}
