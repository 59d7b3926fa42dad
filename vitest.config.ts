import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { RETRY } from "./src/config";

// The Worker bundle maps the bare "zod" specifier to a slim build (wrangler.toml [alias]); the
// workerd tests do the same, so they run exactly what ships.
const zodSlim = fileURLToPath(new URL("./src/vendor/zod-slim.js", import.meta.url));

// Two projects: pure logic runs as plain Node unit tests (fast); everything that needs
// bindings runs inside workerd through the Workers integration, with real D1/KV/DO/Queues.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
        },
        {
          resolve: { alias: [{ find: /^zod$/, replacement: zodSlim }] },
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
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  QB_ENV: "test",
                  QB_ADMIN_KEY: "qb_admin_test_key_0123456789abcdef",
                  QB_SIGNING_KEYS:
                    "T1:test-signing-key-one-0123456789abcdef,T2:test-signing-key-two-0123456789abcdef",
                  QB_IP_SALT: "test-ip-salt",
                  // App association (landing pages, /.well-known/*): a fictional demo app.
                  QB_APP_NAME: "QRBridge Demo",
                  QB_APP_SCHEME: "qrbridge-demo",
                  QB_IOS_APP_IDS: "ABCDE12345.com.example.qrbridge",
                  QB_APP_STORE_URL: "https://apps.apple.com/app/id1234567890",
                  QB_ANDROID_PACKAGE: "com.example.qrbridge",
                  QB_ANDROID_SHA256:
                    "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5",
                  QB_PLAY_STORE_URL:
                    "https://play.google.com/store/apps/details?id=com.example.qrbridge",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/integration/**/*.test.ts"],
            setupFiles: ["./test/integration/apply-migrations.ts"],
            testTimeout: 20_000,
          },
        },
      ],
    },
  };
});
