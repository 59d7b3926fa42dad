/**
 * What a store key reads (a key minted with `store_id`, or a console session opened with one):
 * only its store. One rule for every read it can reach — the funnel, the hop export, the
 * console's names: the key's store is always the `store_id` filter. A query that names another
 * store is refused (403 `forbidden`, `details.reason` "store_scope") rather than quietly answered
 * with other numbers; every other filter (campaign, poster, subject, kind, hop, source) is applied
 * within the store, so one naming another store's campaign or poster finds nothing of it — just
 * as one naming no such id does, so no answer tells another store's ids from unknown ones.
 */
import type { AuthContext } from "../app-env";
import { ApiError } from "../core/errors";

/**
 * The query with the caller's store forced as its `store_id`; unchanged for a key that sees
 * every store. Throws 403 when the query names another store.
 *
 * @example
 * const q = heldToStore(c.var.auth, c.req.valid("query")); // q.store_id === the key's store
 */
export function heldToStore<Q extends { store_id?: string }>(auth: AuthContext, q: Q): Q {
  if (auth.storeId === undefined) return q;
  if (q.store_id !== undefined && q.store_id !== auth.storeId)
    throw new ApiError(
      "forbidden",
      `store_id: this key reads only its own store (${auth.storeId}); leave store_id out or name that store`,
      { field: "store_id", reason: "store_scope" },
    );
  return { ...q, store_id: auth.storeId };
}

/**
 * 403 for a store key whose store was deleted: it reads nothing rather than (with no store to
 * filter by) everything.
 *
 * @example
 * if (record.store_id !== null && !record.store_exists) throw storeGone(record.store_id);
 */
export function storeGone(storeId: string): ApiError {
  return new ApiError(
    "forbidden",
    `this key is held to store ${storeId}, which no longer exists: it reads nothing; revoke it`,
    { reason: "store_deleted" },
  );
}
