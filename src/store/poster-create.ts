/**
 * Creating posters in D1: checking the stores their rows name, then writing every poster (and
 * any new campaign, and the audit rows) in one transaction. Apart from posters.ts, which reads
 * and changes them, because a 1,000-row batch has concerns of its own (chunked inserts, a
 * store deleted mid-batch, colliding random ids).
 */
import { type AuditActor, changesOf } from "../core/audit";
import { type Keyring, signPosterCode } from "../core/token";
import { auditManyStatement } from "./audit-log";
import { campaignIdsStatement, newCampaignId } from "./campaigns";
import type { AnswerHook } from "./idempotency";
import {
  isForeignKeyViolation,
  type PosterInput,
  type PosterRecord,
  type RowError,
} from "./posters";
import { storeNames } from "./stores";

// One INSERT per chunk of rows, the rows carried as one JSON parameter (D1 allows 100 bound
// parameters per statement, and one statement per row made a 1,000-poster batch slow).
const INSERT_CHUNK = 200;
const INSERT_SQL = `INSERT INTO posters (id, code, name, store_id, campaign_id, path, params, status,
  active_from, active_until, created_at, updated_at, version, label, style, batch_index)
  SELECT json_extract(value, '$.id'), json_extract(value, '$.code'), json_extract(value, '$.name'),
    json_extract(value, '$.store_id'),
    (SELECT id FROM campaigns WHERE name = json_extract(value, '$.campaign')),
    json_extract(value, '$.path'), json_extract(value, '$.params'), json_extract(value, '$.status'),
    json_extract(value, '$.active_from'), json_extract(value, '$.active_until'), ?, ?, 1,
    json_extract(value, '$.label'), json_extract(value, '$.style'), json_extract(value, '$.batch_index')
  FROM json_each(?)`;

// A colliding random poster id, or a campaign another request created after the read below.
const isUniqueViolation = (err: unknown) =>
  /UNIQUE constraint failed: (posters|campaigns)/i.test(String(err));

/**
 * Check the stores rows refer to; errors name the row and field.
 *
 * @example
 * const errors = await checkStores(env.DB, inputs);
 */
export async function checkStores(
  db: D1Database,
  inputs: { store_id?: string | null }[],
): Promise<{ errors: RowError[]; names: Map<string, string> }> {
  const ids = inputs.map((p) => p.store_id).filter((s): s is string => !!s);
  const names = await storeNames(db, ids);
  const errors: RowError[] = [];
  inputs.forEach((p, index) => {
    if (p.store_id && !names.has(p.store_id))
      errors.push({ index, field: "store_id", message: `no store ${p.store_id}` });
  });
  return { errors, names };
}

/**
 * Create posters, all or nothing: one `DB.batch()` (a transaction) writes any new campaigns
 * and every poster, with `by` the audit log's `poster.create` rows, and with `answer` the
 * `Idempotency-Key` answer. The campaigns' ids are read before the batch, so the posters are
 * whole before it is written (the answer is sealed then); a campaign created meanwhile by
 * another request fails the batch, as a (rare) collision of random poster ids does, and both
 * retry.
 *
 * @example
 * const out = await createPosters(env.DB, config.keyring, [{ name: "Door", path: "/menu" }]);
 * if (out.ok) console.log(out.posters[0].code);
 */
export async function createPosters(
  db: D1Database,
  ring: Keyring,
  inputs: PosterInput[],
  by?: AuditActor,
  answer?: AnswerHook<PosterRecord[]>,
): Promise<{ ok: true; posters: PosterRecord[] } | { ok: false; errors: RowError[] }> {
  const { errors, names } = await checkStores(db, inputs);
  if (errors.length) return { ok: false, errors };
  const campaigns = inputs.map((p) => p.campaign).filter((c): c is string => !!c);
  for (let attempt = 0; ; attempt++) {
    const now = Date.now();
    const campaignIds = await resolveCampaigns(db, campaigns);
    const records = await Promise.all(
      inputs.map(async (p): Promise<PosterRecord> => {
        const { code, id } = await signPosterCode(ring);
        return {
          id,
          code,
          name: p.name,
          path: p.path,
          params: p.params ?? {},
          store_id: p.store_id ?? null,
          store_name: p.store_id ? names.get(p.store_id)! : null,
          campaign_id: p.campaign ? campaignIds.get(p.campaign)!.id : null,
          campaign: p.campaign ?? null,
          status: p.status ?? "active",
          active_from: p.active_from ?? null,
          active_until: p.active_until ?? null,
          created_at: now,
          updated_at: now,
          deleted_at: null,
          version: 1,
          label: p.label ?? null,
          style: p.style ?? null,
        };
      }),
    );
    if (new Set(records.map((r) => r.id)).size !== records.length) continue;
    const statements: D1PreparedStatement[] = [];
    const fresh = [...campaignIds.values()].filter((c) => c.fresh).map((c) => [c.id, c.name]);
    if (fresh.length) statements.push(insertCampaignsStatement(db, fresh, now));
    for (let i = 0; i < records.length; i += INSERT_CHUNK) {
      const rows = records.slice(i, i + INSERT_CHUNK).map((r, j) => ({
        ...r,
        params: JSON.stringify(r.params),
        style: r.style ? JSON.stringify(r.style) : null,
        batch_index: i + j,
      }));
      statements.push(db.prepare(INSERT_SQL).bind(now, now, JSON.stringify(rows)));
    }
    if (by) {
      const entries = records.map((r, i) => ({ id: r.id, changes: changesOf({ ...inputs[i] }) }));
      statements.push(auditManyStatement(db, by, "poster.create", entries, now));
    }
    statements.push(...((await answer?.(records)) ?? []));
    try {
      await db.batch(statements);
      return { ok: true, posters: records };
    } catch (err) {
      if (isForeignKeyViolation(err)) {
        // A store was deleted after the check above: name its rows, as the check would now.
        const late = await checkStores(db, inputs);
        if (late.errors.length) return { ok: false, errors: late.errors };
      }
      if (!isUniqueViolation(err) || attempt >= 4) throw err;
    }
  }
}

/**
 * Each named campaign's id: read for those that exist (a campaign keeps its id and name for
 * good), drawn for the rest (`fresh`: the batch inserts them).
 */
async function resolveCampaigns(
  db: D1Database,
  names: string[],
): Promise<Map<string, { id: string; name: string; fresh: boolean }>> {
  const out = new Map<string, { id: string; name: string; fresh: boolean }>();
  if (!names.length) return out;
  const { results } = await campaignIdsStatement(db, names).all<{ id: string; name: string }>();
  for (const r of results) out.set(r.name, { ...r, fresh: false });
  for (const name of names)
    if (!out.has(name)) out.set(name, { id: newCampaignId(), name, fresh: true });
  return out;
}

/** Insert campaigns by [id, name]: a name taken meanwhile fails the batch (UNIQUE), to retry. */
function insertCampaignsStatement(db: D1Database, pairs: string[][], now: number) {
  return db
    .prepare(
      "INSERT INTO campaigns (id, name, created_at) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ? FROM json_each(?)",
    )
    .bind(now, JSON.stringify(pairs));
}
