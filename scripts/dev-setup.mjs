#!/usr/bin/env node
// Runs before `npm run dev` (npm's predev hook): makes a fresh clone serve with no manual step.
// 1. .dev.vars from .dev.vars.example when missing (local-only example keys).
// 2. Local D1 migrations applied (idempotent: wrangler skips applied ones), in one line.
// 3. The client embed built (scripts/build-client.mjs).
// 4. The print kit's glyph packs (scripts/build-fonts.mjs → build/assets, the PRINT_FONTS
//    binding) and its module (scripts/build-lazy-modules.mjs → src/generated/print-kit.js).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { appliedMigrations, migrationsLine } from "./dev-migrations.mjs";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("qrbridge: created .dev.vars from .dev.vars.example (local-only example keys)");
}

// The <qr-bridge> embed built (src/client/ → src/client/dist/), which the Worker imports.
const client = spawnSync(process.execPath, ["scripts/build-client.mjs"], { stdio: "inherit" });
if (client.status !== 0) {
  console.error("qrbridge: building the client embed failed (see above)");
  process.exit(client.status ?? 1);
}

const fonts = spawnSync(process.execPath, ["scripts/build-fonts.mjs"], { stdio: "inherit" });
const kit = spawnSync(process.execPath, ["scripts/build-lazy-modules.mjs"], { stdio: "inherit" });
if (fonts.status !== 0 || kit.status !== 0) {
  console.error("qrbridge: building the print fonts failed (see above)");
  process.exit(fonts.status ?? 1);
}

// wrangler prints a table after each migration; its output is shown only when it fails.
const run = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"], {
  encoding: "utf8",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
});
if (run.status !== 0) {
  process.stdout.write(run.stdout ?? "");
  process.stderr.write(run.stderr ?? "");
  console.error("qrbridge: applying local D1 migrations failed (see above)");
  process.exit(run.status ?? 1);
}
console.log(migrationsLine(appliedMigrations(run.stdout)));
console.log("qrbridge: the admin key for local use is in .dev.vars (QB_ADMIN_KEY)");
