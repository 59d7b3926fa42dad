// What `wrangler d1 migrations apply DB --local` did, read from its output, so `npm run dev`
// (scripts/dev-setup.mjs) prints one line instead of wrangler's table after every migration:
// on a fresh clone that was fourteen tables, ~250 lines before the server's own output.

/**
 * The migrations wrangler's output marks applied (✅), each once, in order; `[]` when it had
 * none to apply.
 *
 * @example
 * appliedMigrations("│ 0001_api_keys.sql │ ✅ │\n│ 0002_hops.sql │ 🕒️ │") // ["0001_api_keys.sql"]
 * appliedMigrations("✅ No migrations to apply!") // []
 */
export function appliedMigrations(output) {
  const names = new Set();
  for (const m of output.matchAll(/│\s*(\S+\.sql)\s*│\s*✅/g)) names.add(m[1]);
  return [...names];
}

/**
 * The line `npm run dev` prints once the local migrations are applied.
 *
 * @example
 * migrationsLine(["0001_api_keys.sql", "0002_hops.sql"])
 * // "qrbridge: 2 local D1 migrations applied (0001_api_keys.sql … 0002_hops.sql)"
 */
export function migrationsLine(applied) {
  if (applied.length === 0) return "qrbridge: local D1 database up to date";
  const names =
    applied.length === 1 ? applied[0] : `${applied[0]} … ${applied[applied.length - 1]}`;
  const count =
    applied.length === 1 ? "1 local D1 migration" : `${applied.length} local D1 migrations`;
  return `qrbridge: ${count} applied (${names})`;
}
