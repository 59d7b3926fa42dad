// The test Worker's env (the `env` of "cloudflare:workers" / "cloudflare:test"): our bindings plus
// what vitest.config.ts adds for the tests.
import type { D1Migration } from "cloudflare:test";
import type { Env as BridgeEnv } from "../../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends BridgeEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** A second D1 database (vitest.config.ts), migrated by the test that uses it. */
      SECOND_DB: D1Database;
      /** A second KV namespace (vitest.config.ts). */
      SECOND_CACHE: KVNamespace;
      QB_ADMIN_KEY: string;
      QB_SIGNING_KEYS: string;
    }
  }
}
