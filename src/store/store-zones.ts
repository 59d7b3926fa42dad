/**
 * The time zones stores carry (`stores.time_zone`, migrations/0024): which are in use, and one
 * store's. Read by the hourly cron, the funnel and the export, never on the scan path (the poster
 * cache carries a poster's store's zone: store/poster-cache.ts).
 */

/**
 * The zones whose days hops may be filed under: the deployment's reporting zone first, then
 * every zone a store carries (sorted). One small read of the stores table.
 *
 * @example
 * await zonesInUse(env.DB, "UTC") // ["UTC", "America/Los_Angeles", "Asia/Tokyo"]
 */
export async function zonesInUse(db: D1Database, deploymentZone: string): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT DISTINCT time_zone FROM stores WHERE time_zone IS NOT NULL ORDER BY time_zone")
    .all<{ time_zone: string }>();
  return [deploymentZone, ...results.map((r) => r.time_zone).filter((z) => z !== deploymentZone)];
}

/**
 * The zone of a store's days: its own, else `deploymentZone` (also for an unknown store).
 *
 * @example
 * await storeDayZone(env.DB, "st_0k3m9x2q7a1b", "UTC") // "Asia/Tokyo"
 */
export async function storeDayZone(
  db: D1Database,
  storeId: string,
  deploymentZone: string,
): Promise<string> {
  const row = await db
    .prepare("SELECT time_zone FROM stores WHERE id = ?")
    .bind(storeId)
    .first<{ time_zone: string | null }>();
  return row?.time_zone ?? deploymentZone;
}
