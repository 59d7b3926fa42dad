/**
 * What the dev-only demo at `/` needs in D1: a publishable key valid for the page's own origin,
 * and a demo store with one poster. Only ever called when `config.demo` is on (never by
 * default in production). Both are created once and then found again.
 */
import { sha256Hex } from "../core/hash";
import type { Keyring } from "../core/token";
import { createPosters, getPoster, type PosterRecord } from "./posters";
import { createStore } from "./stores";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** `ref` of the demo store, how the demo finds it again. */
export const DEMO_STORE_REF = "qrbridge-demo";

async function hmac(secret: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
}

/**
 * The demo's publishable key for `origin`: `qb_pk_demo_` + 24 base62 characters of
 * HMAC(admin key, origin). Deterministic, so every page load gets the same key without storing
 * its text; unguessable without the admin key.
 *
 * @example
 * await demoKeyFor(config.adminKey, "http://localhost:8787") // "qb_pk_demo_3kQ…"
 */
export async function demoKeyFor(adminKey: string, origin: string): Promise<string> {
  const mac = await hmac(adminKey, `qrbridge demo key\n${origin}`);
  let out = "";
  for (let i = 0; i < 24; i++) out += BASE62[mac[i]! % 62];
  return `qb_pk_demo_${out}`;
}

/**
 * Make sure the demo key for `origin` exists (hash only, scope handoffs:write, that origin
 * only). `INSERT OR IGNORE`: a second call, or a revoked demo key, changes nothing.
 *
 * @example
 * const key = await ensureDemoKey(env.DB, config.adminKey, new URL(c.req.url).origin);
 */
export async function ensureDemoKey(
  db: D1Database,
  adminKey: string,
  origin: string,
): Promise<string> {
  const key = await demoKeyFor(adminKey, origin);
  const hash = await sha256Hex(key);
  await db
    .prepare(
      `INSERT OR IGNORE INTO api_keys (id, name, kind, key_hash, prefix, scopes, origins, created_at)
       VALUES (?, ?, 'publishable', ?, ?, '["handoffs:write"]', ?, ?)`,
    )
    .bind(
      `key_demo${hash.slice(0, 12)}`,
      `demo page (${origin})`.slice(0, 100),
      hash,
      key.slice(0, 12),
      JSON.stringify([origin]),
      Date.now(),
    )
    .run();
  return key;
}

async function findOrCreatePoster(db: D1Database, ring: Keyring): Promise<PosterRecord> {
  const row = await db
    .prepare(
      `SELECT p.id FROM posters p JOIN stores s ON s.id = p.store_id
       WHERE s.ref = ? AND p.deleted_at IS NULL ORDER BY p.created_at LIMIT 1`,
    )
    .bind(DEMO_STORE_REF)
    .first<{ id: string }>();
  const found = row ? await getPoster(db, row.id) : null;
  if (found) return found;
  const store = await createStore(db, {
    name: "Demo store",
    address: "1 Example Street",
    ref: DEMO_STORE_REF,
  });
  const out = await createPosters(db, ring, [
    {
      name: "Demo poster (window)",
      path: "/menu",
      store_id: store.id,
      campaign: "demo",
      params: { utm_source: "poster", table: "4" },
    },
  ]);
  if (!out.ok) throw new Error(`demo poster: ${JSON.stringify(out.errors)}`);
  return out.posters[0]!;
}

/**
 * The demo poster (in the demo store, campaign "demo"), created on first use.
 *
 * @example
 * const poster = await ensureDemoPoster(env.DB, config.keyring);
 */
export function ensureDemoPoster(db: D1Database, ring: Keyring): Promise<PosterRecord> {
  // Two first page loads at the same instant may each create one; harmless for a dev demo.
  return findOrCreatePoster(db, ring);
}
