// `npm run dev` prints one line for the local D1 migrations (scripts/dev-setup.mjs), read from
// wrangler's output: the lines below are wrangler 4.86's, as `wrangler d1 migrations apply DB
// --local` prints them for a database two migrations behind (its pending list, then a status
// table after each migration it ran).
import { describe, expect, it } from "vitest";
import { appliedMigrations, migrationsLine } from "../../scripts/dev-migrations.mjs";

const TWO_APPLIED = `
Resource location: local

Migrations to be applied:
┌────────────────────────────────┐
│ name                           │
├────────────────────────────────┤
│ 0016_audit_log.sql             │
├────────────────────────────────┤
│ 0018_store_keys.sql            │
└────────────────────────────────┘
? About to apply 2 migration(s)
🚣 6 commands executed successfully.
┌────────────────────────────────┬────────┐
│ name                           │ status │
├────────────────────────────────┼────────┤
│ 0016_audit_log.sql             │ ✅     │
├────────────────────────────────┼────────┤
│ 0018_store_keys.sql            │ 🕒️    │
└────────────────────────────────┴────────┘
🚣 2 commands executed successfully.
┌────────────────────────────────┬────────┐
│ name                           │ status │
├────────────────────────────────┼────────┤
│ 0016_audit_log.sql             │ ✅     │
├────────────────────────────────┼────────┤
│ 0018_store_keys.sql            │ ✅     │
└────────────────────────────────┴────────┘
`;

describe("the dev server's migration line", () => {
  it("names each migration wrangler applied once, in order, whatever its tables repeat", () => {
    expect(appliedMigrations(TWO_APPLIED)).toEqual(["0016_audit_log.sql", "0018_store_keys.sql"]);
    expect(migrationsLine(appliedMigrations(TWO_APPLIED))).toBe(
      "qrbridge: 2 local D1 migrations applied (0016_audit_log.sql … 0018_store_keys.sql)",
    );
  });

  it("does not count a migration that is still waiting (🕒️), or the pending list", () => {
    const firstOnly = TWO_APPLIED.slice(0, TWO_APPLIED.indexOf("🚣 2 commands"));
    expect(appliedMigrations(firstOnly)).toEqual(["0016_audit_log.sql"]);
    expect(migrationsLine(appliedMigrations(firstOnly))).toBe(
      "qrbridge: 1 local D1 migration applied (0016_audit_log.sql)",
    );
  });

  it("says the database is up to date when wrangler had nothing to apply", () => {
    const none = "Resource location: local\n\n✅ No migrations to apply!\n";
    expect(appliedMigrations(none)).toEqual([]);
    expect(migrationsLine([])).toBe("qrbridge: local D1 database up to date");
  });
});
