import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { RETRY } from "./src/config";
import { TEST_VARS } from "./test/vars";

// The Worker bundle maps the bare "zod" specifier to a slim build (wrangler.toml [alias]); the
// workerd tests do the same, so they run exactly what ships. Not zod-to-openapi's slim build: here
// the browser kit is a plain import of its source, which needs the library's generator
// (test/unit/openapi-generator.test.ts checks the kit as built).
const zodSlim = fileURLToPath(new URL("./src/vendor/zod-slim.js", import.meta.url));
// Two projects: pure logic runs as plain Node unit tests (fast); everything that needs
// bindings runs inside workerd through the Workers integration, with real D1/KV/DO/Queues.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      // Two files at a time, even on two cores: a workerd test file spends most of its time
      // starting its runtime and loading modules, not computing.
      maxWorkers: 2,
      projects: [
        {
          // Pure tests share one Node context per worker: nothing in them outlives a file. The
          // timeout only catches a hang: property tests run hundreds of cases, and a busy machine
          // (another test run beside this one) may slow them several times over.
          test: {
            name: "unit",
            include: ["test/unit/**/*.test.ts"],
            environment: "node",
            isolate: false,
            testTimeout: 30_000,
          },
        },
        {
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
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/integration/**/*.test.ts"],
            setupFiles: ["./test/integration/apply-migrations.ts"],
            testTimeout: 30_000,
          },
        },
      ],
    },
  };
});
