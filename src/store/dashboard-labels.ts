/**
 * The names the dashboard shows for the ids in the funnel: stores, campaigns and posters (a
 * poster named with its store, as "Front door" alone repeats across stores).
 */

/** An id and the name to show for it. */
export interface Label {
  id: string;
  name: string;
}

/** Most names of each kind sent to the dashboard. */
const MAX_LABELS = 1000;

/**
 * Names by id for the dashboard's filters and charts, in one D1 round trip. With `storeId` (a
 * store key's session), only that store, the campaigns its posters belong to and its posters:
 * nothing names another store.
 *
 * @example
 * const { stores, campaigns, posters } = await dashboardLabels(c.env.DB);
 * const own = await dashboardLabels(c.env.DB, "st_0k3m9x2q7a1b");
 */
export async function dashboardLabels(
  db: D1Database,
  storeId?: string,
): Promise<{ stores: Label[]; campaigns: Label[]; posters: Label[] }> {
  if (storeId !== undefined) return storeLabels(db, storeId);
  const [stores, campaigns, posters] = await db.batch<Label>([
    db.prepare("SELECT id, name FROM stores ORDER BY name LIMIT ?").bind(MAX_LABELS),
    db.prepare("SELECT id, name FROM campaigns ORDER BY name LIMIT ?").bind(MAX_LABELS),
    db
      .prepare(
        `SELECT p.id, p.name || IFNULL(' · ' || s.name, '') AS name FROM posters p
         LEFT JOIN stores s ON s.id = p.store_id
         WHERE p.deleted_at IS NULL ORDER BY p.created_at DESC LIMIT ?`,
      )
      .bind(MAX_LABELS),
  ]);
  return {
    stores: stores?.results ?? [],
    campaigns: campaigns?.results ?? [],
    posters: posters?.results ?? [],
  };
}

/** {@link dashboardLabels} of one store. */
async function storeLabels(
  db: D1Database,
  storeId: string,
): Promise<{ stores: Label[]; campaigns: Label[]; posters: Label[] }> {
  const [stores, campaigns, posters] = await db.batch<Label>([
    db.prepare("SELECT id, name FROM stores WHERE id = ?").bind(storeId),
    db
      .prepare(
        `SELECT id, name FROM campaigns WHERE id IN
           (SELECT campaign_id FROM posters WHERE store_id = ?1 AND campaign_id IS NOT NULL)
         ORDER BY name LIMIT ?2`,
      )
      .bind(storeId, MAX_LABELS),
    db
      .prepare(
        `SELECT p.id, p.name || IFNULL(' · ' || s.name, '') AS name FROM posters p
         LEFT JOIN stores s ON s.id = p.store_id
         WHERE p.store_id = ?1 AND p.deleted_at IS NULL ORDER BY p.created_at DESC LIMIT ?2`,
      )
      .bind(storeId, MAX_LABELS),
  ]);
  return {
    stores: stores?.results ?? [],
    campaigns: campaigns?.results ?? [],
    posters: posters?.results ?? [],
  };
}
