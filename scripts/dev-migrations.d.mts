// Types of scripts/dev-migrations.mjs, for test/unit/dev-migrations.test.ts.

/** The migrations wrangler's output marks applied (✅), each once, in order. */
export function appliedMigrations(output: string): string[];

/** The line `npm run dev` prints once the local migrations are applied. */
export function migrationsLine(applied: string[]): string;
