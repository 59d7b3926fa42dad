import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { RETRY } from "./src/limits";
import { TEST_VARS } from "./test/vars";

// The Worker bundle maps the bare "zod" specifier to a slim build (wrangler.toml [alias]); the
// workerd tests do the same, so they run exactly what ships. Not zod-to-openapi's slim build: here
// the browser kit is a plain import of its source, which needs the library's generator
// (test/unit/openapi-generator.test.ts checks the kit as built).
const zodSlim = fileURLToPath(new URL("./src/vendor/zod-slim.js", import.meta.url));

/**
 * Workerd test files that read or change the whole database, queue or archive (every rollup row,
 * every archived hop, every query the consumer makes, the cron's clean-up at a future date, the
 * schema): each starts on empty storage (test/integration/fresh-storage.ts), so no other file's
 * rows are in what they count and they touch no other file's rows.
 */
const FRESH_STORAGE = [
  "budget",
  "budget-consumer",
  "fresh-storage",
  "hop-archive",
  "hops-consumer",
  "hops-writer",
  "idempotency-cron",
  "maintenance",
  "migration-0007",
  "migration-0027",
  "migration-0028",
  "model-counting",
  "redteam-counts-cron",
  "redteam-counts-export",
  "redteam-counts-export-retention",
  "redteam-counts-sends",
  "redteam-limits-cron",
  "redteam-limits-export",
  "redteam-late-*",
  "redteam-faults-*",
  "redteam-recent-admin-kit",
  "redteam-new-late",
  "stats",
  "stats-rates",
  // The cron at a future date: held deliveries kept, rotated-out secrets forgotten.
  "webhooks-pause",
  // The cron's hold expiry acts on every paused endpoint: its counts are the file's own.
  "webhooks-hold-limits",
  "webhooks-hold-cron",
  "redteam-today-hold-replay",
  // The cron's release of held deliveries acts on every resumed endpoint.
  "webhooks-drain",
  "webhooks-rotate",
  // The breaker's step and the cron act on every failing endpoint; their many failed deliveries,
  // left pending and old, would fill the due lists (LIMIT 200) other files' crons read.
  "webhooks-breaker",
  "webhooks-breaker-cost",
  // The cron's due list (oldest first, LIMIT 200) must hold these files' own deliveries.
  "redteam-lifecycle-webhook-hold",
  "webhooks-retry-once",
  // The rollup and funnel tests, whatever their name: they count rollup rows.
  "*{rollup,sketch,funnel}*",
].map((name) => `test/integration/${name}.test.ts`);

/** `import wasm from "….wasm"` as workerd gives it: the file compiled (for the Node unit tests). */
const wasmModules = {
  name: "wasm-modules",
  enforce: "pre" as const,
  load(id: string) {
    if (!id.endsWith(".wasm")) return null;
    return `import { readFileSync } from "node:fs";\nexport default new WebAssembly.Module(readFileSync(${JSON.stringify(id)}));`;
  },
};

// Three projects: pure logic runs as plain Node unit tests (fast); everything that needs
// bindings runs inside workerd through the Workers integration, with real D1/KV/DO/Queues:
// "workers" on storage its files share, "workers-fresh" on storage emptied before each file.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  /**
   * A workerd project. A runtime costs ~3 s to start (workerd, the Worker's modules, the
   * migrations), more than most files take to run, so `isolate: false` keeps one runtime per
   * worker for all its files, one after the other, modules included. On shared storage a file
   * makes its own keys, posters, clients and addresses and asserts only on those; with `fresh`,
   * each file gets empty storage and its modules evaluated anew instead (fresh-storage.ts).
   * Its own `groupOrder` runs each project apart: a runtime is kept only while the next file in
   * the queue belongs to the same project, so mixed projects would restart runtimes.
   */
  const workers = (
    name: string,
    fresh: boolean,
    groupOrder: number,
    files: { include: string[]; exclude?: string[] },
  ) => ({
    resolve: { alias: [{ find: /^zod$/, replacement: zodSlim }] },
    // wrangler.toml's QB_SEPARATE_KITS names the kits' upload modules, which only a
    // wrangler build makes: the tests import the kits' sources (src/routes/lazy-modules.ts).
    define: { QB_SEPARATE_KITS: "undefined" },
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // The real hop queue, flushed at once: tests wait for hops through the one
          // polling helper (test/integration/hop-helpers.ts), never for a batch timer.
          queueConsumers: {
            "qrbridge-hops": {
              maxBatchSize: 100,
              maxBatchTimeout: 0,
              maxRetries: RETRY.hopBatch.maxRetries,
              deadLetterQueue: "qrbridge-hops-dlq",
            },
          },
          bindings: { TEST_MIGRATIONS: migrations, ...TEST_VARS },
          // A second database and KV namespace, for a Worker that mounts two bridges on two of
          // each (test/integration/two-databases.test.ts).
          d1Databases: { SECOND_DB: "qrbridge-second" },
          kvNamespaces: { SECOND_CACHE: "qrbridge-second-cache" },
        },
      }),
    ],
    test: {
      name,
      ...files,
      isolate: false,
      sequence: { groupOrder },
      setupFiles: [
        fresh ? "./test/integration/fresh-storage.ts" : "./test/integration/apply-migrations.ts",
        "./test/integration/file-cleanup.ts",
      ],
      testTimeout: 30_000,
    },
  });
  return {
    test: {
      // Two files at a time, even on two cores: a workerd test file spends much of its time
      // waiting on its runtime (the queue, Durable Objects), not computing.
      maxWorkers: 2,
      projects: [
        {
          // Pure tests share one Node context per worker: nothing in them outlives a file. The
          // timeout only catches a hang: property tests run hundreds of cases, and a busy machine
          // (another test run beside this one) may slow them several times over.
          // A wasm file imported as a module (HarfBuzz, store/print-shaping.ts) is a compiled
          // module, as wrangler's rules make it in workerd: Node has no such import.
          plugins: [wasmModules],
          test: {
            name: "unit",
            include: ["test/unit/**/*.test.ts"],
            environment: "node",
            server: { deps: { inline: [/harfbuzzjs/] } },
            isolate: false,
            sequence: { groupOrder: 0 },
            testTimeout: 30_000,
          },
        },
        workers("workers", false, 1, {
          include: ["test/integration/**/*.test.ts"],
          exclude: FRESH_STORAGE,
        }),
        workers("workers-fresh", true, 2, { include: FRESH_STORAGE }),
      ],
    },
  };
});
