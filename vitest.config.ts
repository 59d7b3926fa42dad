import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

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
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  QB_ENV: "test",
                  QB_ADMIN_KEY: "qb_admin_test_key_0123456789abcdef",
                  QB_SIGNING_KEYS:
                    "T1:test-signing-key-one-0123456789abcdef,T2:test-signing-key-two-0123456789abcdef",
                  QB_IP_SALT: "test-ip-salt",
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
