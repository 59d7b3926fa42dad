#!/usr/bin/env node
// The package's command line. One command, for a Worker whose D1 database also holds tables of
// its own, so its wrangler.toml's `migrations_dir` cannot point into node_modules/qrbridge:
//   npx qrbridge migrations <dir>   copy qrbridge's D1 migrations into <dir>
// Files already there with the same text are left alone; a file of the same name with other
// text stops the copy (exit 1) rather than be overwritten: wrangler records a migration as applied
// by its name, so an edited copy would never run again.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const MIGRATIONS = fileURLToPath(new URL("../migrations/", import.meta.url));
const USAGE = `usage: qrbridge migrations <dir>
  Copies qrbridge's D1 migrations (*.sql) into <dir>, e.g. your wrangler.toml's migrations_dir,
  then: npx wrangler d1 migrations apply DB --local (and --remote).`;

/** Copy the package's migrations into `dir`; what was copied and what was already there. */
function copyMigrations(dir) {
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  const differing = files.filter((f) => {
    const target = join(dir, f);
    return existsSync(target) && !readFileSync(target).equals(readFileSync(join(MIGRATIONS, f)));
  });
  if (differing.length > 0) {
    throw new Error(
      `${differing.join(", ")} in ${dir} differ from qrbridge's: nothing copied (a migration is ` +
        "applied once by its name; restore the file, or add a new migration of your own)",
    );
  }
  const copied = [];
  const present = [];
  for (const f of files) {
    if (existsSync(join(dir, f))) present.push(f);
    else {
      copyFileSync(join(MIGRATIONS, f), join(dir, f));
      copied.push(f);
    }
  }
  return { copied, present };
}

function main(args) {
  if (args[0] !== "migrations" || args.length !== 2) {
    console.error(USAGE);
    return args[0] === "--help" || args[0] === "-h" ? 0 : 2;
  }
  const dir = resolve(args[1]);
  try {
    const { copied, present } = copyMigrations(dir);
    console.log(
      `qrbridge: ${copied.length} migration(s) copied into ${dir}` +
        (present.length > 0 ? `, ${present.length} already there` : ""),
    );
    return 0;
  } catch (err) {
    console.error(`qrbridge: ${err.message}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
