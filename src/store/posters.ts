/**
 * Posters in D1. A poster's id is the 6-character id signed into its printed code; everything
 * else (path, params, store, campaign, status, window) can change without reprinting.
 * Deleting a poster revokes and hides it; the row stays, so its printed code keeps answering
 * "no longer active" and its stats keep their names. Creating them: store/poster-create.ts.
 */
import type { PosterStatus } from "../core/attribution";
import { type AuditActor, changesOf } from "../core/audit";
import type { QrStyle } from "../core/qr-style";
import type { Env } from "../env";
import { auditIf } from "./audit-log";
import { ensureCampaignsStatement } from "./campaigns";
import type { WaitUntil } from "./hops";
import { invalidatePosters } from "./poster-cache";

export interface PosterInput {
  name: string;
  path: string;
  store_id?: string | null;
  /** Campaign name; created on first use. */
  campaign?: string | null;
  params?: Record<string, string>;
  status?: PosterStatus;
  /** Unix ms, inclusive. */
  active_from?: number | null;
  /** Unix ms, exclusive. */
  active_until?: number | null;
  /** Printed small under the card when set (the name never is). */
  label?: string | null;
  /** QR style (core/qr-style.ts); null for black on white squares. */
  style?: QrStyle | null;
}

export interface PosterRecord {
  id: string;
  code: string;
  name: string;
  path: string;
  params: Record<string, string>;
  store_id: string | null;
  store_name: string | null;
  campaign_id: string | null;
  campaign: string | null;
  status: PosterStatus;
  active_from: number | null;
  active_until: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  version: number;
  label: string | null;
  style: QrStyle | null;
}

/** A row that cannot be written, named by its index in the request. */
export interface RowError {
  index: number;
  field: string;
  message: string;
}

export interface PosterRow extends Omit<PosterRecord, "params" | "style"> {
  params: string;
  style: string | null;
}

export const SELECT = `SELECT p.id, p.code, p.name, p.path, p.params, p.store_id, s.name AS store_name,
  p.campaign_id, c.name AS campaign, p.status, p.active_from, p.active_until, p.created_at,
  p.updated_at, p.deleted_at, p.version, p.label, p.style
  FROM posters p LEFT JOIN stores s ON s.id = p.store_id LEFT JOIN campaigns c ON c.id = p.campaign_id`;

/** A store deleted between the check of the rows and their write (posters.store_id's key). */
export const isForeignKeyViolation = (err: unknown) =>
  /FOREIGN KEY constraint failed/i.test(String(err));

export const toRecord = (r: PosterRow): PosterRecord => ({
  ...r,
  params: JSON.parse(r.params) as Record<string, string>,
  style: r.style ? (JSON.parse(r.style) as QrStyle) : null,
});

/**
 * One poster (deleted ones too, with `deleted_at` set), or null.
 *
 * @example
 * const poster = await getPoster(env.DB, "7K2M9Q");
 */
export async function getPoster(db: D1Database, id: string): Promise<PosterRecord | null> {
  const row = await db.prepare(`${SELECT} WHERE p.id = ?`).bind(id).first<PosterRow>();
  return row ? toRecord(row) : null;
}

export type PosterPatch = Partial<Omit<PosterInput, "status">> & { status?: PosterStatus };

/**
 * Change a poster that is not deleted. Bumps `version` and `updated_at`, and drops the poster
 * from the scan path's cache (store/poster-cache.ts). The caller checks the merged window; a
 * concurrent change makes this return `"conflict"`, and a `store_id` whose store was deleted
 * since the caller checked it `"no_store"`. With `by`, the audit log's `poster.update` row is
 * written in the same batch, only when the poster changed. With `later` (the request's
 * `waitUntil`), the cache entry is dropped again a few seconds after, for a scan in another
 * isolate that read the poster before the change.
 *
 * @example
 * const out = await updatePoster(env, "7K2M9Q", 3, { status: "paused" }, actor, c.executionCtx);
 */
export async function updatePoster(
  env: Pick<Env, "DB" | "CACHE">,
  id: string,
  expectedVersion: number,
  patch: PosterPatch,
  by?: AuditActor,
  later?: WaitUntil,
): Promise<PosterRecord | "conflict" | "no_store"> {
  const db = env.DB;
  const now = Date.now();
  const sets: string[] = ["version = version + 1", "updated_at = ?"];
  const args: unknown[] = [now];
  for (const field of [
    "name",
    "path",
    "store_id",
    "status",
    "active_from",
    "active_until",
    "label",
  ] as const) {
    if (patch[field] !== undefined) {
      sets.push(`${field} = ?`);
      args.push(patch[field]);
    }
  }
  if (patch.params !== undefined) {
    sets.push("params = ?");
    args.push(JSON.stringify(patch.params));
  }
  if (patch.style !== undefined) {
    sets.push("style = ?");
    args.push(patch.style === null ? null : JSON.stringify(patch.style));
  }
  const statements: D1PreparedStatement[] = [];
  if (patch.campaign !== undefined) {
    if (patch.campaign === null) sets.push("campaign_id = NULL");
    else {
      statements.push(ensureCampaignsStatement(db, [patch.campaign], now));
      sets.push("campaign_id = (SELECT id FROM campaigns WHERE name = ?)");
      args.push(patch.campaign);
    }
  }
  statements.push(
    db
      .prepare(
        `UPDATE posters SET ${sets.join(", ")} WHERE id = ? AND version = ? AND deleted_at IS NULL`,
      )
      .bind(...args, id, expectedVersion),
  );
  const updateAt = statements.length - 1;
  statements.push(...auditIf(db, by, "poster.update", id, changesOf(patch), now, true));
  let results: D1Result[];
  try {
    results = await db.batch(statements);
  } catch (err) {
    if (patch.store_id && isForeignKeyViolation(err)) return "no_store";
    throw err;
  }
  if (results[updateAt]!.meta.changes === 0) return "conflict";
  await invalidatePosters(env.CACHE, [id], later);
  return (await getPoster(db, id))!;
}

/**
 * Delete a poster: revoke it, hide it from lists and drop it from the scan path's cache.
 * Returns false for an unknown or already deleted poster. With `by`, the audit log's
 * `poster.delete` row is written in the same batch, only when the poster was deleted now. With
 * `later`, the cache entry is dropped again a few seconds after, as {@link updatePoster} does.
 *
 * @example
 * await deletePoster(env, "7K2M9Q", actor, c.executionCtx);
 */
export async function deletePoster(
  env: Pick<Env, "DB" | "CACHE">,
  id: string,
  by?: AuditActor,
  later?: WaitUntil,
): Promise<boolean> {
  const db = env.DB;
  const now = Date.now();
  const [res] = await db.batch([
    db
      .prepare(
        "UPDATE posters SET status = 'revoked', deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL",
      )
      .bind(now, now, id),
    ...auditIf(db, by, "poster.delete", id, changesOf({}), now, true),
  ]);
  if (res!.meta.changes === 0) return false;
  await invalidatePosters(env.CACHE, [id], later);
  return true;
}
