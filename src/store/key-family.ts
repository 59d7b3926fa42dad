/**
 * A key's roll family (`api_keys.roll_family`, migrations/0022): every key of one chain of rolls
 * (A → B → C) holds the id of its first key. The keys of a family are one caller — each opens
 * the handoffs any other created, replays their Idempotency-Key answers, and all spend one rate
 * budget — whatever became of the others: only the calling key itself must work (not revoked,
 * not expired; routes/middleware.ts checks it). A key that ended leaves things a fleet moved to
 * the next key still needs: a handoff running when it ended, a create whose answer was lost
 * just before, which a retry with the next key must replay rather than make twice.
 */

/**
 * How many of a family's newest keys are linked with each other: enough for a roll a day through
 * the longest grace (7 days) many times over, and few enough that a linked Idempotency-Key
 * lookup stays within D1's 100 bound parameters and a key lookup reads at most this many rows
 * more. A key older than these (rolled 21 times since) keeps only its neighbours.
 */
export const FAMILY_LINKS = 21;

/**
 * The columns a key lookup adds for `api_keys` aliased `k`: its family id and its family's
 * newest {@link FAMILY_LINKS} key ids (itself among them unless older), as a JSON array. Read
 * from the covering index `api_keys_roll_family`: no row at all for a key never rolled.
 *
 * @example
 * db.prepare(`SELECT k.id, ${familyColumns("k")} FROM api_keys k WHERE k.key_hash = ?`);
 */
export function familyColumns(k: string): string {
  return `${k}.roll_family AS roll_family, (SELECT json_group_array(id) FROM (
      SELECT f.id FROM api_keys f WHERE f.roll_family = ${k}.roll_family
      ORDER BY f.created_at DESC, f.id DESC LIMIT ${FAMILY_LINKS})) AS family`;
}

/** A key's family as its lookup read it: the family id, and the keys it is linked with. */
export interface KeyFamily {
  /** The family's first key; null: a key never rolled nor rolled from. */
  roll_family: string | null;
  /** The other keys of the family this key is one caller with (none: a family of one). */
  family: string[];
}

/**
 * The family of key `id` from the columns of {@link familyColumns} and the key's neighbours
 * (`rolled_from`, `rolled_to`), who stay linked even past the newest {@link FAMILY_LINKS}.
 *
 * @example
 * const { family } = familyOf("key_b", { roll_family: "key_a", family: '["key_c","key_b","key_a"]' }, "key_a", "key_c");
 * // ["key_c", "key_a"]
 */
export function familyOf(
  id: string,
  row: { roll_family: string | null; family: string | null },
  rolledFrom: string | null,
  rolledTo: string | null,
): KeyFamily {
  const newest = row.family ? (JSON.parse(row.family) as string[]) : [];
  const linked = new Set(newest.includes(id) ? newest : []);
  for (const n of [rolledFrom, rolledTo]) if (n !== null) linked.add(n);
  linked.delete(id);
  return { roll_family: row.roll_family, family: [...linked] };
}

/**
 * What a key's family adds to its authentication (`AuthContext`): the keys it is one caller
 * with, and the id its rate budgets are counted under — the family's, the same for every key
 * of it whichever isolate cached what: a first key cached before its first roll has no family
 * yet, and counts under its own id, which is the family's.
 *
 * @example
 * const auth = { kind: "secret", keyId: record.id, scopes: record.scopes, ...familyAuth(record) };
 */
export function familyAuth(f: KeyFamily): { linkedKeyIds?: string[]; budgetKeyId?: string } {
  return {
    ...(f.family.length ? { linkedKeyIds: f.family } : {}),
    ...(f.roll_family !== null ? { budgetKeyId: f.roll_family } : {}),
  };
}
