// Migration 0027 on an audit log written before it: this file puts `audit_log` back in the shape
// 0016 made (via 'api' or 'console' only), writes rows that way (a breaker pause among them, logged
// 'api' as it had to be), runs 0027 again, and reads them back. Every row survives, ids and all,
// the breaker's pause now via 'system'; the indexes are made again, and `via` now takes 'system'
// and still nothing else. (Each
// test file on fresh storage has a database of its own.)
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, call } from "./helpers";
import { testEnv } from "./hop-helpers";

const migrations = (env as unknown as { TEST_MIGRATIONS: { name: string; queries: string[] }[] })
  .TEST_MIGRATIONS;
const queriesOf = (prefix: string) => migrations.find((m) => m.name.startsWith(prefix))!.queries;

async function run(queries: string[]) {
  const db = testEnv.DB;
  await db.batch(queries.map((q) => db.prepare(q)));
}

const ROWS = [
  [101, 1_700_000_000_000, "key_old1", "api", "poster.update", "poster", "P-old", '{"fields":[]}'],
  [102, 1_700_000_001_000, "admin", "console", "key.revoke", "key", "key_old2", "{}"],
  [105, 1_700_000_002_000, "system", "api", "webhook.pause", "webhook", "whe_old", "{}"],
] as const;
const COLUMNS = "id, at, actor, via, action, subject_type, subject_id, changes";

const all = async () =>
  (await testEnv.DB.prepare(`SELECT ${COLUMNS} FROM audit_log ORDER BY id`).raw()) as unknown[][];
const insert = (via: string) =>
  testEnv.DB.prepare(
    "INSERT INTO audit_log (at, actor, via, action, subject_type, subject_id) VALUES (?, 'system', ?, 'webhook.pause', 'webhook', 'whe_new')",
  )
    .bind(1_700_000_003_000, via)
    .run();

beforeAll(async () => {
  // Back to the audit log of 0016, with rows written by the versions before 0027.
  await run([
    "DROP TABLE audit_log",
    ...queriesOf("0016").filter((q) => /audit_log/.test(q) && !/ALTER TABLE api_keys/.test(q)),
  ]);
  await expect(insert("system")).rejects.toThrow(/CHECK constraint/);
  await run(
    ROWS.map(
      (r) =>
        `INSERT INTO audit_log (${COLUMNS}) VALUES (${r.map((v) => (typeof v === "number" ? v : `'${v}'`)).join(", ")})`,
    ),
  );
  await run(queriesOf("0027"));
});

describe("migration 0027 on an audit log written before it", () => {
  it("keeps every row, ids included; the breaker's old pause reads via 'system'", async () => {
    expect(await all()).toEqual(
      ROWS.map((r) => (r[2] === "system" ? [...r.slice(0, 3), "system", ...r.slice(4)] : [...r])),
    );
  });

  it("makes the three indexes again", async () => {
    const { results } = await testEnv.DB.prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'audit_log' AND sql IS NOT NULL ORDER BY name",
    ).all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual([
      "audit_log_actor",
      "audit_log_at",
      "audit_log_subject",
    ]);
  });

  it("takes via 'system' and still refuses any other word; a new row's id follows the old ones", async () => {
    await insert("system");
    await expect(insert("robot")).rejects.toThrow(/CHECK constraint/);
    const last = (await all()).at(-1)!;
    expect([last[0], last[3]]).toEqual([106, "system"]);
  });

  it("the API lists the old rows and the new", async () => {
    const res = await call("/v1/audit-log?subject_type=webhook", { key: ADMIN_KEY });
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: { subject_id: string; via: string }[] };
    expect(entries.map((e) => [e.subject_id, e.via])).toEqual([
      ["whe_new", "system"],
      ["whe_old", "system"],
    ]);
  });
});
