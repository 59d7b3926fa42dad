/**
 * The time zones stores carry (`stores.time_zone`, migrations/0024): which are or were in use
 * (`store_time_zones`), and the one a read filtered to a store or poster is in. Read by the
 * hourly cron, the funnel, the export, the quiet-posters list and the dashboard page, never on
 * the scan path (the poster cache carries a poster's store's zone: store/poster-cache.ts).
 */

/**
 * The zones whose days hops may be filed under: the deployment's reporting zone first, then
 * every zone a store carries or has carried (`store_time_zones`, sorted): hops recorded before a
 * store left a zone keep its days. One read of a row per zone, however many stores there are.
 *
 * @example
 * await zonesInUse(env.DB, "UTC") // ["UTC", "America/Los_Angeles", "Asia/Tokyo"]
 */
export async function zonesInUse(db: D1Database, deploymentZone: string): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT zone FROM store_time_zones ORDER BY zone")
    .all<{ zone: string }>();
  return [deploymentZone, ...results.map((r) => r.zone).filter((z) => z !== deploymentZone)];
}

/**
 * The statement that records store `storeId`'s zone among the zones in use, for the batch that
 * gives it the zone, after the store's own statement: written before any hop can be filed under
 * its days, and only when the store does carry it (a change of a store that does not exist
 * records nothing).
 *
 * @example
 * await db.batch([insertStore, ...zoneInUseStatements(db, id, "Asia/Tokyo", Date.now())]);
 */
export function zoneInUseStatements(
  db: D1Database,
  storeId: string,
  zone: string | null | undefined,
  now: number,
): D1PreparedStatement[] {
  if (!zone) return [];
  return [
    db
      .prepare(
        `INSERT OR IGNORE INTO store_time_zones (zone, first_used_at)
         SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM stores WHERE id = ?3 AND time_zone = ?1)`,
      )
      .bind(zone, now, storeId),
  ];
}

/**
 * The zone of the days a funnel, an export or a quiet-posters list filtered to one store or one
 * poster is read in: the store's (`store_id`; the deployment's for an unknown store or one with
 * no zone), else the poster's store's (`poster_id`; the deployment's for a poster with no store
 * or no zone), else null (no such filter: the caller takes the deployment's, or every zone in
 * use). One indexed read with a filter, none without. The one place a route's zone is chosen.
 *
 * @example
 * await filteredDayZone(env.DB, { store_id: "st_0k3m9x2q7a1b" }, "UTC") // "Asia/Tokyo"
 * await filteredDayZone(env.DB, { poster_id: "po_…" }, "UTC") // "Asia/Tokyo"
 */
export async function filteredDayZone(
  db: D1Database,
  filter: { store_id?: string; poster_id?: string },
  deploymentZone: string,
): Promise<string | null> {
  const read = (sql: string, id: string) =>
    db.prepare(sql).bind(id).first<{ time_zone: string | null }>();
  let row: { time_zone: string | null } | null;
  if (filter.store_id !== undefined)
    row = await read("SELECT time_zone FROM stores WHERE id = ?", filter.store_id);
  else if (filter.poster_id !== undefined)
    row = await read(
      "SELECT s.time_zone FROM posters p JOIN stores s ON s.id = p.store_id WHERE p.id = ?",
      filter.poster_id,
    );
  else return null;
  return row?.time_zone ?? deploymentZone;
}
