// Runs before every file of the workers-fresh project (vitest.config.ts): those files count
// everything in the database, queue and archive, so each starts on empty storage, freshly
// migrated, as in a runtime of its own.
import { applyD1Migrations, reset } from "cloudflare:test";
import { env } from "cloudflare:workers";

await reset();
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
