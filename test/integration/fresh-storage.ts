// Runs before every file of the workers-fresh project (vitest.config.ts): those files count
// everything in the database, queue and archive, so each starts as in a runtime of its own: on
// empty storage, freshly migrated, and with its modules (the Worker's caches, the helpers' keys)
// evaluated anew.
import { applyD1Migrations, reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";

vi.resetModules();
await reset();
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
